/**
 * `model.fit` and `model.fitAsync`: epochs of shuffled batches, validation at each epoch end, and
 * the callbacks that watch it all, as one loop (training_run.ts) driven on the JS thread or off it.
 * Tensors made from the caller's arrays, and each epoch's shuffled copy, are freed before fit
 * returns or throws.
 */
import { Tensor } from '../backend';
import { fail } from '../backend/validate';
import { sliceRows } from './batches';
import { Callback, CallbackLike, CallbackList, CallbackParams, History, Logs, ProgbarLogger, toCallback } from './callbacks';
import { CompiledState } from './compile';
import type { Model } from './model';
import { booleanOption, intOption, numberOption, optionsObject } from './options';
import { ClassWeight, standardizeSampleWeight } from './sample_weights';
import { ModelData, standardizeInputs, standardizeTargets } from './standardize';
import { Arrays, epochRun, evaluateRun, hook, Run, stopRequested } from './training_run';

/** Options of `model.fit` and `model.fitAsync`. */
export interface FitArgs {
  /** Samples per gradient update (default 32). */
  batchSize?: number;
  /** The epoch to stop before (default 1); with initialEpoch, epochs initialEpoch..epochs-1 run. */
  epochs?: number;
  /** 0: silent, 1: a progress bar per epoch, 2: one line per epoch (default 1). */
  verbose?: number;
  /** Callbacks, or plain objects with some of their hooks (onEpochEnd, ...), called in order. */
  callbacks?: CallbackLike[];
  /** The fraction of samples (the last ones, before shuffling) held out for validation, in [0, 1). */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] to evaluate at each epoch end (takes precedence over validationSplit). */
  validationData?: [ModelData, ModelData] | [ModelData, ModelData, ModelData];
  /** Shuffle the training samples before each epoch (default true); seeded by setSeed. */
  shuffle?: boolean;
  /** The epoch to start at, to resume a run (default 0). */
  initialEpoch?: number;
  /** One weight per training sample, as Keras 3's sample_weight (not with classWeight). */
  sampleWeight?: ModelData;
  /** One weight per class, as Keras 3's class_weight: `{ 0: 1, 1: 5 }` (one output; not with sampleWeight). */
  classWeight?: ClassWeight;
  /** Ends training after the current batch once aborted, as `stopTraining = true` does. */
  signal?: AbortSignal;
}

const OPTIONS = ['batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle',
  'initialEpoch', 'sampleWeight', 'classWeight', 'signal'];

/** Checks and wraps fit's callbacks. */
export function checkCallbacks(fn: string, callbacks: unknown): Callback[] {
  if (callbacks === undefined) return [];
  if (!Array.isArray(callbacks)) fail(fn, 'an array of callbacks', 'callbacks', callbacks);
  return callbacks.map((c, i) => toCallback(fn, c, `callbacks[${i}]`));
}

/** Checks the signal option: an AbortSignal or nothing. */
export function checkSignal(fn: string, signal: unknown): AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) fail(fn, 'an AbortSignal', 'signal', signal);
  return signal as AbortSignal | undefined;
}

/** The arrays x, y (and the sample weights from sampleWeight or classWeight); tensors made are added to `owned`. */
export function standardizeArrays(fn: string, model: Model, compiled: CompiledState, x: unknown, y: unknown,
  sampleWeight: unknown, classWeight: unknown, owned: Tensor[], label = ''): Arrays {
  const xs = standardizeInputs(fn, model, x, owned, label ? `${label}[0]` : 'x');
  if (y === undefined || y === null) fail(fn, 'targets (one array per output)', label ? `${label}[1]` : 'y', y);
  const n = xs[0].shapeRef[0];
  const ys = standardizeTargets(fn, model, compiled, y, n, owned, label ? `${label}[1]` : 'y', label ? `${label}[0]` : 'x');
  return { xs, ys, sampleWeight: standardizeSampleWeight(fn, ys, sampleWeight, classWeight, n, owned) };
}

/** The training and validation arrays; every tensor made on the way is added to `owned`. */
function prepareData(fn: string, model: Model, compiled: CompiledState, x: unknown, y: unknown,
  options: Partial<FitArgs>, owned: Tensor[]): { train: Arrays; val?: Arrays } {
  const all = standardizeArrays(fn, model, compiled, x, y, options.sampleWeight, options.classWeight, owned);
  const n = all.xs[0].shapeRef[0];
  if (n === 0) fail(fn, 'at least one sample', 'x', all.xs[0], 'ERR_SHAPE');
  if (options.validationData !== undefined) {
    const data = options.validationData as unknown[];
    if (!Array.isArray(data) || data.length < 2 || data.length > 3) {
      fail(fn, 'an array [x, y] or [x, y, sampleWeight]', 'validationData', data);
    }
    const val = standardizeArrays(fn, model, compiled, data[0], data[1], data[2], undefined, owned, 'validationData');
    return { train: all, val: val.xs[0].shapeRef[0] > 0 ? val : undefined };
  }
  const split = options.validationSplit ?? 0;
  if (split === 0) return { train: all };
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    fail(fn, `a split that leaves samples on both sides (x has ${n})`, 'validationSplit', split, 'ERR_VALUE');
  }
  const cut = (start: number, size: number): Arrays => {
    const [xs, ys] = [sliceRows(all.xs, start, size), sliceRows(all.ys, start, size)];
    const w = all.sampleWeight ? sliceRows([all.sampleWeight], start, size)[0] : null;
    owned.push(...xs, ...ys, ...(w ? [w] : []));
    return { xs, ys, sampleWeight: w };
  };
  return { train: cut(0, at), val: cut(at, n - at) };
}

/** The callbacks of a run: the user's, its History, and a progress logger when verbose. */
export function runCallbacks(model: Model, userCallbacks: Callback[], verbose: number,
  params: CallbackParams): { callbacks: CallbackList; history: History } {
  const history = userCallbacks.find((c): c is History => c instanceof History) ?? new History();
  const list = [...userCallbacks];
  if (!list.includes(history)) list.push(history);
  if (verbose > 0 && !list.some((c) => c instanceof ProgbarLogger)) list.push(new ProgbarLogger({ verbose }));
  const callbacks = new CallbackList(list);
  callbacks.attach(model, params);
  model.stopTraining = false;
  model.history = history;
  return { callbacks, history };
}

/** The loop of `fit(x, y, args)` (see {@link FitArgs}), for runSync or runAsync; `fn` names it in errors. */
export function* fitRun(fn: string, model: Model, compiled: CompiledState, x: unknown, y: unknown,
  args: unknown): Run<History> {
  const options = optionsObject<FitArgs>(fn, args, OPTIONS, 'args');
  const batchSize = intOption(fn, 'batchSize', options.batchSize, 32, 1);
  const epochs = intOption(fn, 'epochs', options.epochs, 1, 0);
  const verbose = intOption(fn, 'verbose', options.verbose, 1, 0, 2);
  const shuffle = booleanOption(fn, 'shuffle', options.shuffle, true);
  const initialEpoch = intOption(fn, 'initialEpoch', options.initialEpoch, 0, 0);
  numberOption(fn, 'validationSplit', options.validationSplit, 0, 0, 1, true);
  const signal = checkSignal(fn, options.signal);
  const userCallbacks = checkCallbacks(fn, options.callbacks);
  if (y === undefined || y === null) fail(fn, 'targets (one array per output)', 'y', y);
  const owned: Tensor[] = [];
  try {
    const { train, val } = prepareData(fn, model, compiled, x, y, options, owned);
    const samples = train.xs[0].shapeRef[0];
    const { callbacks, history } = runCallbacks(model, userCallbacks, verbose, {
      epochs, steps: Math.ceil(samples / batchSize), samples, batchSize, verbose, doValidation: val !== undefined,
      metrics: compiled.metricsNames,
    });
    yield* hook(callbacks, 'onTrainBegin', {});
    for (let epoch = initialEpoch; epoch < epochs && !signal?.aborted; epoch++) {
      yield* hook(callbacks, 'onEpochBegin', epoch, {});
      const logs: Logs = yield* epochRun(model, compiled, train, batchSize, shuffle, callbacks, signal);
      if (val) Object.assign(logs, (yield* evaluateRun(compiled, val, batchSize)).logs('val_'));
      yield* hook(callbacks, 'onEpochEnd', epoch, logs);
      if (stopRequested(model, signal)) break;
    }
    yield* hook(callbacks, 'onTrainEnd', {});
    return history;
  } finally {
    for (const t of owned) t.dispose();
  }
}
