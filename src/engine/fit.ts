/**
 * `model.fit`: epochs of shuffled batches, validation at each epoch end, and the callbacks that
 * watch it all. Tensors made from the caller's arrays, and each epoch's shuffled copy, are freed
 * before fit returns or throws.
 */
import { Tensor, tidy } from '../backend';
import { fail } from '../backend/validate';
import { batchRanges, gatherRows, permutation, sliceRows } from './batches';
import { Callback, CallbackLike, CallbackList, CallbackParams, History, Logs, ProgbarLogger, toCallback } from './callbacks';
import { CompiledState } from './compile';
import { RunningMeans, evaluateArrays, trainBatch } from './loops';
import type { Model } from './model';
import { booleanOption, intOption, numberOption, optionsObject } from './options';
import { ModelData, standardizeInputs, standardizeTargets } from './standardize';

/** Options of `model.fit`. */
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
  /** [x, y] to evaluate at each epoch end (takes precedence over validationSplit). */
  validationData?: [ModelData, ModelData];
  /** Shuffle the training samples before each epoch (default true); seeded by setSeed. */
  shuffle?: boolean;
  /** The epoch to start at, to resume a run (default 0). */
  initialEpoch?: number;
}

const OPTIONS = ['batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle',
  'initialEpoch'];

interface Arrays {
  xs: Tensor[];
  ys: Tensor[];
}

function checkCallbacks(fn: string, callbacks: unknown): Callback[] {
  if (callbacks === undefined) return [];
  if (!Array.isArray(callbacks)) fail(fn, 'an array of callbacks', 'callbacks', callbacks);
  return callbacks.map((c, i) => toCallback(fn, c, `callbacks[${i}]`));
}

/** The training and validation arrays; every tensor made on the way is added to `owned`. */
function prepareData(model: Model, compiled: CompiledState, x: unknown, y: unknown, options: Partial<FitArgs>,
  owned: Tensor[]): { train: Arrays; val?: Arrays } {
  const fn = 'fit';
  const xs = standardizeInputs(fn, model, x, owned);
  const ys = standardizeTargets(fn, model, compiled, y, xs[0].shapeRef[0], owned);
  const n = xs[0].shapeRef[0];
  if (n === 0) fail(fn, 'at least one sample', 'x', xs[0], 'ERR_SHAPE');
  if (options.validationData !== undefined) {
    const data = options.validationData;
    if (!Array.isArray(data) || data.length !== 2) fail(fn, 'an array [x, y]', 'validationData', data);
    const vxs = standardizeInputs(fn, model, data[0], owned, 'validationData[0]');
    const vys = standardizeTargets(fn, model, compiled, data[1], vxs[0].shapeRef[0], owned, 'validationData[1]',
      'validationData[0]');
    return { train: { xs, ys }, val: vxs[0].shapeRef[0] > 0 ? { xs: vxs, ys: vys } : undefined };
  }
  const split = options.validationSplit ?? 0;
  if (split === 0) return { train: { xs, ys } };
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    fail(fn, `a split that leaves samples on both sides (x has ${n})`, 'validationSplit', split, 'ERR_VALUE');
  }
  const cut = (ts: Tensor[], start: number, size: number) => {
    const parts = sliceRows(ts, start, size);
    owned.push(...parts);
    return parts;
  };
  return {
    train: { xs: cut(xs, 0, at), ys: cut(ys, 0, at) },
    val: { xs: cut(xs, at, n - at), ys: cut(ys, at, n - at) },
  };
}

/** Runs one epoch of batches; returns the epoch's averaged logs. */
function runEpoch(model: Model, compiled: CompiledState, train: Arrays, batchSize: number, shuffle: boolean,
  callbacks: CallbackList): Logs {
  const n = train.xs[0].shapeRef[0];
  const order = shuffle ? permutation(n) : null;
  const shuffled = order ? gatherRows([...train.xs, ...train.ys], order) : [...train.xs, ...train.ys];
  const xs = shuffled.slice(0, train.xs.length);
  const ys = shuffled.slice(train.xs.length);
  const means = new RunningMeans(compiled.metricsNames);
  try {
    for (const [b, [start, size]] of batchRanges(n, batchSize).entries()) {
      const batchLogs: Logs = { batch: b, size };
      callbacks.onBatchBegin(b, batchLogs);
      // The batch views are made inside the scope so they are freed with the step's tensors.
      const values = tidy(() => trainBatch(model, compiled, sliceRows(xs, start, size), sliceRows(ys, start, size)));
      means.add(values, size);
      compiled.metricsNames.forEach((name, i) => { batchLogs[name] = values[i]; });
      callbacks.onBatchEnd(b, batchLogs);
      if (model.stopTraining) break;
    }
  } finally {
    if (order) for (const t of shuffled) t.dispose();
  }
  return means.logs();
}

/** Trains `model` (compiled as `compiled`) on x, y; see {@link FitArgs}. */
export function fit(model: Model, compiled: CompiledState, x: unknown, y: unknown, args: unknown): History {
  const fn = 'fit';
  const options = optionsObject<FitArgs>(fn, args, OPTIONS, 'args');
  const batchSize = intOption(fn, 'batchSize', options.batchSize, 32, 1);
  const epochs = intOption(fn, 'epochs', options.epochs, 1, 0);
  const verbose = intOption(fn, 'verbose', options.verbose, 1, 0, 2);
  const shuffle = booleanOption(fn, 'shuffle', options.shuffle, true);
  const initialEpoch = intOption(fn, 'initialEpoch', options.initialEpoch, 0, 0);
  numberOption(fn, 'validationSplit', options.validationSplit, 0, 0, 1, true);
  const userCallbacks = checkCallbacks(fn, options.callbacks);
  if (y === undefined || y === null) fail(fn, 'targets (one array per output)', 'y', y);
  const owned: Tensor[] = [];
  try {
    const { train, val } = prepareData(model, compiled, x, y, options, owned);
    const samples = train.xs[0].shapeRef[0];
    const history = userCallbacks.find((c): c is History => c instanceof History) ?? new History();
    const list = [...userCallbacks];
    if (!list.includes(history)) list.push(history);
    if (verbose > 0 && !list.some((c) => c instanceof ProgbarLogger)) list.push(new ProgbarLogger({ verbose }));
    const callbacks = new CallbackList(list);
    const params: CallbackParams = {
      epochs, steps: Math.ceil(samples / batchSize), samples, batchSize, verbose, doValidation: val !== undefined,
      metrics: compiled.metricsNames,
    };
    callbacks.attach(model, params);
    model.stopTraining = false;
    model.history = history;
    callbacks.onTrainBegin({});
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      callbacks.onEpochBegin(epoch, {});
      const logs = runEpoch(model, compiled, train, batchSize, shuffle, callbacks);
      if (val) Object.assign(logs, evaluateArrays(model, compiled, val.xs, val.ys, batchSize).logs('val_'));
      callbacks.onEpochEnd(epoch, logs);
      if (model.stopTraining) break;
    }
    callbacks.onTrainEnd({});
    return history;
  } finally {
    for (const t of owned) t.dispose();
  }
}
