/**
 * The training and evaluation loops, written once as generators of work (a step, a callback hook,
 * the next batch of a dataset) and driven either synchronously (fit, evaluate: each step on the JS
 * thread) or asynchronously (fitAsync, evaluateAsync, fitDataset: each step on a worker thread, each
 * hook awaited). A generator's finally blocks free what it made, however the driver ends it.
 */
import { KeratorchError, Tensor } from '../backend';
import { batchRanges, gatherRows, permutation, sliceRows } from './batches';
import type { CallbackList, Logs } from './callbacks';
import { CompiledState } from './compile';
import { RunningMeans, testBatch, trainBatch } from './loops';
import type { Model } from './model';
import { runStep, StepBatch } from './training_step';

/** A hook of every callback, in order. */
export type HookName = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd';

/** What a loop asks its driver to do; the driver sends back the result. */
export type Work =
  /** One step; the result is the values in metricsNames order. */
  | { kind: 'step'; training: boolean; batch: StepBatch }
  /** A hook of every callback (awaited one by one by the async driver); no result. */
  | { kind: 'hook'; callbacks: CallbackList; hook: HookName; args: [number, Logs] | [Logs] }
  /** A call whose result may be a promise (a dataset's iterator or next batch; async driver only). */
  | { kind: 'await'; run: () => unknown };

/** A loop: yields work, receives its results, returns its own result. */
export type Run<T> = Generator<Work, T, unknown>;

/** Does one piece of work on the JS thread. */
function performSync(model: Model, compiled: CompiledState, work: Work): unknown {
  if (work.kind === 'step') {
    const { xs, ys, sampleWeight } = work.batch;
    return work.training ? trainBatch(model, compiled, xs, ys, sampleWeight)
      : testBatch(model, compiled, xs, ys, sampleWeight);
  }
  if (work.kind === 'hook') {
    for (const c of work.callbacks.callbacks) (c[work.hook] as (...a: unknown[]) => unknown).apply(c, work.args);
    return undefined;
  }
  throw new KeratorchError('fit: a dataset can only be read by the async loops (fitDataset)', 'ERR_ARGUMENT', 'fit');
}

/**
 * Drives `run` on the JS thread. A failure (a step's, a callback's) is thrown into the loop, so its
 * finally blocks free what it made, and then out of runSync.
 */
export function runSync<T>(model: Model, compiled: CompiledState, run: Run<T>): T {
  let next = run.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = performSync(model, compiled, next.value);
    } catch (error) {
      next = run.throw(error);
      continue;
    }
    next = run.next(result);
  }
  return next.value;
}

/**
 * Drives `run` with each step on a worker thread and each hook awaited (one callback after the
 * other). A failure (a step's, a hook's rejection) is thrown into the loop, so its cleanup runs,
 * and then rejects the returned promise.
 */
export async function runAsync<T>(model: Model, compiled: CompiledState, run: Run<T>): Promise<T> {
  let next = run.next();
  while (!next.done) {
    const work = next.value;
    let result: unknown;
    try {
      if (work.kind === 'step') {
        result = await runStep(model, compiled, work.batch, work.training);
      } else if (work.kind === 'hook') {
        for (const c of work.callbacks.callbacks) await (c[work.hook] as (...a: unknown[]) => unknown).apply(c, work.args);
      } else {
        result = await work.run();
      }
    } catch (error) {
      next = run.throw(error);
      continue;
    }
    next = run.next(result);
  }
  return next.value;
}

/** Yields one hook call of every callback. */
export function* hook(callbacks: CallbackList, name: HookName, ...args: [number, Logs] | [Logs]): Run<void> {
  yield { kind: 'hook', callbacks, hook: name, args };
}

/** Yields a call that may return a promise and returns its result (awaited). */
export function* awaited<T>(run: () => T | Promise<T>): Run<T> {
  return (yield { kind: 'await', run }) as T;
}

/** Yields one step and returns its values. */
export function* step(training: boolean, batch: StepBatch): Run<number[]> {
  return (yield { kind: 'step', training, batch }) as number[];
}

/** Arrays of whole datasets: inputs, targets and per-sample weights (or null). */
export interface Arrays {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight: Tensor | null;
}

/** Rows [start, start + size) of every array (views, freed by the caller). */
function sliceBatch(data: Arrays, start: number, size: number): StepBatch {
  const [xs, ys, w] = [sliceRows(data.xs, start, size), sliceRows(data.ys, start, size),
    data.sampleWeight ? sliceRows([data.sampleWeight], start, size)[0] : null];
  return { xs, ys, sampleWeight: w };
}

/** Frees the views sliceBatch made (a batch of every row is the arrays themselves). */
function disposeBatch(batch: StepBatch, data: Arrays): void {
  const source = new Set([...data.xs, ...data.ys, data.sampleWeight]);
  for (const t of [...batch.xs, ...batch.ys, batch.sampleWeight]) if (t && !source.has(t)) t.dispose();
}

/** Evaluates `data` in batches; `onBatch` sees each batch's running averages (for progress output). */
export function* evaluateRun(compiled: CompiledState, data: Arrays, batchSize: number,
  onBatch?: (done: number, means: RunningMeans) => void): Run<RunningMeans> {
  const means = new RunningMeans(compiled.metricsNames);
  const ranges = batchRanges(data.xs[0].shapeRef[0], batchSize);
  for (const [b, [start, size]] of ranges.entries()) {
    const batch = sliceBatch(data, start, size);
    try {
      const values = yield* step(false, batch);
      means.add(values, size);
    } finally {
      disposeBatch(batch, data);
    }
    onBatch?.(b + 1, means);
  }
  return means;
}

/** Whether the run should end after the current batch: stopTraining, or the signal aborted. */
export function stopRequested(model: Model, signal: AbortSignal | undefined): boolean {
  return model.stopTraining || signal?.aborted === true;
}

/** Trains one batch: its step between its onBatchBegin and onBatchEnd hooks; adds its values to `means`. */
export function* trainStep(compiled: CompiledState, callbacks: CallbackList, b: number, batch: StepBatch,
  size: number, means: RunningMeans): Run<void> {
  const batchLogs: Logs = { batch: b, size };
  yield* hook(callbacks, 'onBatchBegin', b, batchLogs);
  const values = yield* step(true, batch);
  means.add(values, size);
  compiled.metricsNames.forEach((name, i) => { batchLogs[name] = values[i]; });
  yield* hook(callbacks, 'onBatchEnd', b, batchLogs);
}

/** One epoch over `data` in (shuffled) batches; returns its averaged logs. */
export function* epochRun(model: Model, compiled: CompiledState, data: Arrays, batchSize: number, shuffle: boolean,
  callbacks: CallbackList, signal: AbortSignal | undefined): Run<Logs> {
  const n = data.xs[0].shapeRef[0];
  const all = data.sampleWeight ? [...data.xs, ...data.ys, data.sampleWeight] : [...data.xs, ...data.ys];
  const order = shuffle ? permutation(n) : null;
  const shuffled = order ? gatherRows(all, order) : all;
  const epochData: Arrays = {
    xs: shuffled.slice(0, data.xs.length),
    ys: shuffled.slice(data.xs.length, data.xs.length + data.ys.length),
    sampleWeight: data.sampleWeight ? shuffled[shuffled.length - 1] : null,
  };
  const means = new RunningMeans(compiled.metricsNames);
  try {
    for (const [b, [start, size]] of batchRanges(n, batchSize).entries()) {
      const batch = sliceBatch(epochData, start, size);
      try {
        yield* trainStep(compiled, callbacks, b, batch, size, means);
      } finally {
        disposeBatch(batch, epochData);
      }
      if (stopRequested(model, signal)) break;
    }
  } finally {
    if (order) for (const t of shuffled) t.dispose();
  }
  return means.logs();
}
