/**
 * One training or evaluation step off the JS thread. Each batch signature (shapes, dtypes, devices)
 * of a compiled model is recorded once: the forward and the loss, run by the model's own code under
 * libtorch's tracer with the weights as graph inputs. A replay runs on a worker thread; a training
 * replay there also takes the gradients and applies the optimizer's update (a built-in optimizer's
 * step, captured instead of run), so nothing of the step's heavy work runs on the JS thread. A custom
 * optimizer gets the gradients back and updates on the JS thread.
 */
import { getNumThreads, K, optim, serving, Tensor, tidy } from '../backend';
import { Adagrad, Adam, Optimizer, RMSprop, SGD } from '../optimizers';
import { CompiledState } from './compile';
import type { Model } from './model';

/** One batch: inputs, targets and, when weighted, one weight per sample. */
export interface StepBatch {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight: Tensor | null;
}

interface Recordings {
  compiled: CompiledState;
  /** The weights the recordings were made with; another list means the model changed. */
  weights: Tensor[];
  byKey: Map<string, serving.RecordedForward>;
}

const recordings = new WeakMap<Model, Recordings>();

function sameList(a: Tensor[], b: Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function batchTensors(batch: StepBatch): Tensor[] {
  return batch.sampleWeight ? [...batch.xs, ...batch.ys, batch.sampleWeight] : [...batch.xs, ...batch.ys];
}

function signature(batch: StepBatch, training: boolean): string {
  const shapes = batchTensors(batch).map((t) => `${t.dtype}[${t.shapeRef.join(',')}]@${t.device}`).join(';');
  return `${training ? 'train' : 'test'}:${batch.xs.length}:${batch.sampleWeight ? 'w' : ''}:${shapes}`;
}

/** Records the step for this batch's signature: outputs are the logged values (the total first). */
function record(model: Model, compiled: CompiledState, batch: StepBatch, training: boolean,
  weights: Tensor[]): serving.RecordedForward {
  const nx = batch.xs.length;
  const ny = batch.ys.length;
  // Recording runs the forward for real: layers that update state (BatchNormalization's moving
  // statistics) would be updated once more than fit updates them, so their values are put back.
  const saved = tidy(() => model.nonTrainableWeights.map((w) => w.clone()));
  try {
    return serving.recordForward(`${training ? 'fitAsync' : 'evaluateAsync'}(${model.name})`, batchTensors(batch),
      weights, (ins) => {
        const outputs = model.execute(ins.slice(0, nx), { training });
        const sampleWeight = batch.sampleWeight ? ins[nx + ny] : null;
        return compiled.compute(model, ins.slice(nx, nx + ny), outputs, sampleWeight).values;
      });
  } finally {
    model.nonTrainableWeights.forEach((w, i) => K.setValue(w, saved[i]));
    for (const t of saved) t.dispose();
  }
}

function recordingFor(model: Model, compiled: CompiledState, batch: StepBatch, training: boolean,
  weights: Tensor[]): serving.RecordedForward {
  let state = recordings.get(model);
  if (!state || state.compiled !== compiled || !sameList(state.weights, weights)) {
    state = { compiled, weights, byKey: new Map() };
    recordings.set(model, state);
  }
  const key = signature(batch, training);
  let recording = state.byKey.get(key);
  if (!recording) {
    recording = record(model, compiled, batch, training, weights);
    state.byKey.set(key, recording);
  }
  return recording;
}

const BUILT_IN_OPTIMIZERS: Function[] = [SGD, RMSprop, Adagrad, Adam];

/** A built-in optimizer's next update, captured for the worker thread; null for a custom optimizer. */
function deferredUpdate(optimizer: Optimizer, params: Tensor[]): optim.DeferredUpdate | null {
  if (!BUILT_IN_OPTIMIZERS.includes(optimizer.constructor)) return null;
  // The parameters stand in for the gradients: a built-in step only reads their shapes here.
  const updates = optim.captureUpdates(() => optimizer.applyGradients(params, params));
  return updates.length === 1 ? updates[0] : null;
}

/**
 * Runs one step of `batch` on a worker thread: with `training`, forward (training = true), loss,
 * gradients and the optimizer's update; else forward and loss only. Resolves to the values in
 * `metricsNames` order, as trainBatch / testBatch return them.
 */
export async function runStep(model: Model, compiled: CompiledState, batch: StepBatch, training: boolean): Promise<number[]> {
  const weights = model.weights;
  const recording = recordingFor(model, compiled, batch, training, weights);
  const trainable = training ? model.trainableWeights : [];
  const update = trainable.length > 0 ? deferredUpdate(compiled.optimizer, trainable) : null;
  const { values, grads } = await recording.trainStep(batchTensors(batch), weights, trainable, update, getNumThreads());
  if (grads.length > 0) {
    try {
      compiled.optimizer.applyGradients(grads, trainable);
    } finally {
      for (const g of grads) g.dispose();
    }
  }
  return values;
}
