/**
 * `model.fitDataset`: training from a stream of `{ xs, ys }` batches, as tfjs-layers' fitDataset
 * (epochs of `batchesPerEpoch` batches, or each a full pass of a restartable dataset), with
 * validation on arrays or on another dataset at each epoch end. Runs with runAsync.
 */
import { KeratorchError, Tensor } from '../backend';
import { fail, isCallable } from '../backend/validate';
import type { History, Logs } from './callbacks';
import type { CallbackLike } from './callbacks';
import { CompiledState } from './compile';
import { checkCallbacks, checkSignal, runCallbacks, standardizeArrays } from './fit';
import { RunningMeans } from './loops';
import type { Model } from './model';
import { intOption, optionsObject } from './options';
import type { ClassWeight } from './sample_weights';
import type { ModelData } from './standardize';
import { Arrays, awaited, evaluateRun, hook, Run, step, stopRequested, trainStep } from './training_run';

/** One element of a dataset: a batch of inputs and targets, as tfjs's `{ xs, ys }`. */
export interface DatasetBatch {
  xs: ModelData;
  ys: ModelData;
}

type AnyIterable = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>;

/**
 * Batches to train from: an async iterable or iterable (an async generator, a generator, an array),
 * a function that returns one (called again for each pass), or an object with `iterator()` (a tfjs
 * Dataset) that returns an iterator (or a promise of one).
 */
export type TrainingDataset = AnyIterable | (() => AnyIterable) |
  { iterator(): Iterator<DatasetBatch> | AsyncIterator<DatasetBatch> | Promise<AsyncIterator<DatasetBatch>> };

/** Options of `model.fitDataset`. */
export interface DatasetArgs {
  /** The epoch to stop before (default 1). */
  epochs?: number;
  /** Batches per epoch, read on from one iterator across epochs; default: each epoch reads the dataset to its end. */
  batchesPerEpoch?: number;
  /** The epoch to start at (default 0). */
  initialEpoch?: number;
  /** 0: silent, 1: a progress bar per epoch (one line without batchesPerEpoch), 2: one line per epoch (default 1). */
  verbose?: number;
  /** Callbacks, or plain objects with some of their hooks; async hooks are awaited. */
  callbacks?: CallbackLike[];
  /** Evaluated at each epoch end: [x, y] arrays, or a dataset of `{ xs, ys }` batches. */
  validationData?: [ModelData, ModelData] | TrainingDataset;
  /** With a validation dataset: batches read from it each epoch (default: all). */
  validationBatches?: number;
  /** With validation arrays: samples per batch (default 32). */
  validationBatchSize?: number;
  /** One weight per class, as Keras 3's class_weight. */
  classWeight?: ClassWeight;
  /** Ends training after the current batch once aborted. */
  signal?: AbortSignal;
}

const OPTIONS = ['epochs', 'batchesPerEpoch', 'initialEpoch', 'verbose', 'callbacks', 'validationData',
  'validationBatches', 'validationBatchSize', 'classWeight', 'signal'];

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

function isDataset(value: unknown): boolean {
  if (isCallable(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value || isCallable((value as { iterator?: unknown }).iterator);
}

/** A fresh iterator of `dataset` (for an iterable that is its own iterator, the same one, read on). */
function openIterator(fn: string, name: string, dataset: unknown): AnyIterator | Promise<AnyIterator> {
  const source = isCallable(dataset) ? (dataset as () => unknown)() : dataset;
  if (source !== null && typeof source === 'object') {
    if (Symbol.asyncIterator in source) return (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    if (Symbol.iterator in source) return (source as Iterable<unknown>)[Symbol.iterator]();
    const iterator = (source as { iterator?: unknown }).iterator;
    if (isCallable(iterator)) return (iterator as () => AnyIterator).call(source);
  }
  return fail(fn, 'an async iterable or iterable of { xs, ys } batches, a function returning one, or a dataset with ' +
    'iterator()', name, source);
}

/** The batch of one dataset element; tensors made from arrays are added to `owned`. */
function batchOf(fn: string, model: Model, compiled: CompiledState, element: unknown, classWeight: unknown,
  owned: Tensor[]): Arrays {
  if (element === null || typeof element !== 'object' || !('xs' in element) || !('ys' in element)) {
    fail(fn, 'a batch { xs, ys }', 'a dataset element', element);
  }
  const { xs, ys } = element as DatasetBatch;
  // The dataset's own tensors are freed after the step too, as tfjs's fitDataset frees them.
  for (const part of [xs, ys]) {
    const list = part instanceof Tensor ? [part] : Array.isArray(part) ? part : Object.values(part ?? {});
    for (const t of list) if (t instanceof Tensor) owned.push(t);
  }
  return standardizeArrays(fn, model, compiled, xs, ys, undefined, classWeight, owned, 'batch');
}

function freeAll(owned: Tensor[]): void {
  for (const t of new Set(owned)) t.dispose();
  owned.length = 0;
}

/** Evaluates a validation dataset: `batches` batches of a fresh iterator, or all of them. */
function* evaluateDataset(fn: string, model: Model, compiled: CompiledState, dataset: unknown,
  batches: number | undefined): Run<RunningMeans> {
  const means = new RunningMeans(compiled.metricsNames);
  const iterator = yield* awaited(() => openIterator(fn, 'validationData', dataset));
  for (let b = 0; batches === undefined || b < batches; b++) {
    const next = yield* awaited(() => iterator.next());
    if (next.done) break;
    const owned: Tensor[] = [];
    try {
      const batch = batchOf(fn, model, compiled, next.value, undefined, owned);
      const size = batch.xs[0].shapeRef[0];
      means.add(yield* step(false, batch), size);
    } finally {
      freeAll(owned);
    }
  }
  return means;
}

/** The loop of `fitDataset(dataset, args)`, for runAsync. */
export function* fitDatasetRun(model: Model, compiled: CompiledState, dataset: unknown, args: unknown): Run<History> {
  const fn = 'fitDataset';
  const options = optionsObject<DatasetArgs>(fn, args, OPTIONS, 'args');
  const epochs = intOption(fn, 'epochs', options.epochs, 1, 0);
  const perEpoch = options.batchesPerEpoch === undefined ? undefined
    : intOption(fn, 'batchesPerEpoch', options.batchesPerEpoch, 1, 1);
  const initialEpoch = intOption(fn, 'initialEpoch', options.initialEpoch, 0, 0);
  const verbose = intOption(fn, 'verbose', options.verbose, 1, 0, 2);
  const valBatches = options.validationBatches === undefined ? undefined
    : intOption(fn, 'validationBatches', options.validationBatches, 1, 1);
  const valBatchSize = intOption(fn, 'validationBatchSize', options.validationBatchSize, 32, 1);
  const signal = checkSignal(fn, options.signal);
  const userCallbacks = checkCallbacks(fn, options.callbacks);
  if (!isDataset(dataset)) openIterator(fn, 'dataset', dataset);
  const valData = options.validationData;
  const isBatch = (v: unknown) => v !== null && typeof v === 'object' && 'xs' in v;
  // A list of two that are not batches is [x, y] (a list of { xs, ys } batches is a dataset).
  const valArrays = Array.isArray(valData) && valData.length === 2 && !isBatch(valData[0]) ? valData : undefined;
  if (valData !== undefined && !valArrays && !isDataset(valData)) {
    fail(fn, 'an array [x, y] or a dataset of { xs, ys } batches', 'validationData', valData);
  }
  const owned: Tensor[] = [];
  try {
    const val = valArrays ? standardizeArrays(fn, model, compiled, valArrays[0], valArrays[1], undefined, undefined,
      owned, 'validationData') : undefined;
    const { callbacks, history } = runCallbacks(model, userCallbacks, perEpoch === undefined && verbose === 1 ? 2 : verbose, {
      epochs, steps: perEpoch ?? 0, samples: 0, batchSize: 0, verbose, doValidation: valData !== undefined,
      metrics: compiled.metricsNames,
    });
    yield* hook(callbacks, 'onTrainBegin', {});
    let iterator = yield* awaited(() => openIterator(fn, 'dataset', dataset));
    let exhausted = false;
    for (let epoch = initialEpoch; epoch < epochs && !signal?.aborted; epoch++) {
      yield* hook(callbacks, 'onEpochBegin', epoch, {});
      if (perEpoch === undefined && epoch > initialEpoch) iterator = yield* awaited(() => openIterator(fn, 'dataset', dataset));
      const means = new RunningMeans(compiled.metricsNames);
      let b = 0;
      while (perEpoch === undefined || b < perEpoch) {
        const next = yield* awaited(() => iterator.next());
        if (next.done) {
          exhausted = perEpoch !== undefined;
          break;
        }
        const batchOwned: Tensor[] = [];
        try {
          const batch = batchOf(fn, model, compiled, next.value, options.classWeight, batchOwned);
          yield* trainStep(compiled, callbacks, b, batch, batch.xs[0].shapeRef[0], means);
        } finally {
          freeAll(batchOwned);
        }
        b++;
        if (stopRequested(model, signal)) break;
      }
      if (b === 0) {
        throw new KeratorchError(`${fn}: the dataset gave no batch in epoch ${epoch}; give a dataset that can be read ` +
          'again (a function returning a fresh generator, or an object with iterator()) or set batchesPerEpoch',
          'ERR_VALUE', fn);
      }
      if (exhausted) {
        console.warn(`${fn}: the dataset ran out after ${b} of batchesPerEpoch ${perEpoch} batches in epoch ${epoch}; ` +
          'training ends here');
      }
      const logs: Logs = means.logs();
      if (val) Object.assign(logs, (yield* evaluateRun(compiled, val, valBatchSize)).logs('val_'));
      else if (valData !== undefined) {
        Object.assign(logs, (yield* evaluateDataset(fn, model, compiled, valData, valBatches)).logs('val_'));
      }
      yield* hook(callbacks, 'onEpochEnd', epoch, logs);
      if (exhausted || stopRequested(model, signal)) break;
    }
    yield* hook(callbacks, 'onTrainEnd', {});
    return history;
  } finally {
    freeAll(owned);
  }
}
