/**
 * `model.fitAsync`, `model.evaluateAsync` and `model.fitDataset`: the loops of fit and evaluate with
 * every step (forward, loss, gradients, optimizer update) on a worker thread (training_step.ts), so
 * the event loop keeps running; callbacks run on the JS thread between steps and are awaited.
 */
import type { History } from './callbacks';
import { EvaluateArgs, evaluateLoop } from './evaluate';
import { fitRun, FitArgs } from './fit';
import { DatasetArgs, fitDatasetRun, TrainingDataset } from './fit_dataset';
import { Model, ModelOutputs } from './model';
import type { ModelData } from './standardize';
import { compiledOf } from './training';
import { runAsync } from './training_run';

declare module './model' {
  interface Model<O extends ModelOutputs = ModelOutputs> {
    /**
     * `fit` with each training step off the JavaScript thread: the same arguments, the same History
     * and, from the same seed, the same weights. Callback hooks are awaited (one that rejects makes
     * fitAsync reject); `stopTraining = true` or an aborted `signal` ends training after the current
     * batch. The model's forward must not read tensor values into JS (ERR_TRACE otherwise).
     */
    fitAsync(x: ModelData, y: ModelData, args?: FitArgs): Promise<History>;
    /** `evaluate` with each batch off the JavaScript thread: the same arguments and results. */
    evaluateAsync(x: ModelData, y: ModelData, args: EvaluateArgs & { returnDict: true }): Promise<Record<string, number>>;
    evaluateAsync(x: ModelData, y: ModelData, args?: EvaluateArgs): Promise<number | number[]>;
    /**
     * Trains from a dataset of `{ xs, ys }` batches, as tfjs's fitDataset: an async iterable or
     * iterable (a generator), a function returning one, or an object with `iterator()`. Each epoch
     * reads `batchesPerEpoch` batches, or restarts the dataset and reads it to its end. Each batch's
     * tensors are freed after its step. Steps run off the JavaScript thread, as in fitAsync.
     */
    fitDataset(dataset: TrainingDataset, args?: DatasetArgs): Promise<History>;
  }
}

const methods = {
  async fitAsync(this: Model, x: ModelData, y: ModelData, args?: FitArgs): Promise<History> {
    const compiled = compiledOf('fitAsync', this);
    return runAsync(this, compiled, fitRun('fitAsync', this, compiled, x, y, args));
  },

  async evaluateAsync(this: Model, x: ModelData, y: ModelData, args?: EvaluateArgs): Promise<number | number[] | Record<string, number>> {
    const compiled = compiledOf('evaluateAsync', this);
    return runAsync(this, compiled, evaluateLoop('evaluateAsync', this, compiled, x, y, args));
  },

  async fitDataset(this: Model, dataset: TrainingDataset, args?: DatasetArgs): Promise<History> {
    const compiled = compiledOf('fitDataset', this);
    return runAsync(this, compiled, fitDatasetRun(this, compiled, dataset, args));
  },
};

for (const [name, method] of Object.entries(methods)) {
  Object.defineProperty(Model.prototype, name, { value: method, writable: true, configurable: true });
}
