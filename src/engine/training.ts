/**
 * Training methods of `Model` (added to its prototype, as backend/methods.ts adds ops to Tensor):
 * compile, fit, evaluate, predict, and the single-batch trainOnBatch / testOnBatch /
 * predictOnBatch.
 */
import { K, KeratorchError, Tensor, tidy } from '../backend';
import { fail } from '../backend/validate';
import type { Optimizer } from '../optimizers';
import { History } from './callbacks';
import { CompileArgs, CompiledState, resolveCompile } from './compile';
import { EvaluateArgs, evaluateLoop, scalarOrList } from './evaluate';
import { fitRun, FitArgs, standardizeArrays } from './fit';
import { predictArrays, testBatch, trainBatch } from './loops';
import { ConcreteOutputs, Model, ModelOutputs } from './model';
import { intOption, optionsObject } from './options';
import { ModelData, standardizeInputs } from './standardize';
import { trainingConfig } from './training_config';
import { runSync } from './training_run';

export type { CompileArgs } from './compile';
export type { FitArgs } from './fit';
export type { ModelData, DataInput } from './standardize';

export type { EvaluateArgs } from './evaluate';

/** Options of `model.predict`. */
export interface PredictArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
}

declare module './model' {
  interface Model<O extends ModelOutputs = ModelOutputs> {
    /**
     * Configures training: the optimizer (default 'rmsprop'), the loss (one, or one per output as a
     * list or keyed by output name), metrics ('accuracy', 'mse', functions...) and lossWeights.
     */
    compile(args: CompileArgs): void;
    /** Trains for `epochs` over x, y in shuffled batches; returns the History of per-epoch logs. */
    fit(x: ModelData, y: ModelData, args?: FitArgs): History;
    /**
     * The loss (and metrics) over x, y in batches: a number, or [loss, ...metrics] when there are
     * several; with `returnDict: true`, an object keyed by `metricsNames`.
     */
    evaluate(x: ModelData, y: ModelData, args: EvaluateArgs & { returnDict: true }): Record<string, number>;
    evaluate(x: ModelData, y: ModelData, args?: EvaluateArgs): number | number[];
    /** The outputs for x, computed in batches and joined: a Tensor for a model of one output, else one per output. */
    predict(x: ModelData, args?: PredictArgs): ConcreteOutputs<O>;
    /**
     * One gradient update on x, y (each sample weighted by `sampleWeight`, as Keras 3's
     * train_on_batch); returns the loss (and metrics) of that batch.
     */
    trainOnBatch(x: ModelData, y: ModelData, sampleWeight?: ModelData): number | number[];
    /** The loss (and metrics) on x, y as one batch, without updating (samples weighted by `sampleWeight`). */
    testOnBatch(x: ModelData, y: ModelData, sampleWeight?: ModelData): number | number[];
    /** The outputs for x as one batch. */
    predictOnBatch(x: ModelData): ConcreteOutputs<O>;
    /** The compile options in serializable form (for saving), or null when not compiled or not serializable. */
    getTrainingConfig(): Record<string, unknown> | null;
    /** Set to true (by a callback, or from outside during fitAsync) to end training after the current batch. */
    stopTraining: boolean;
    /** The History of the last fit. */
    history?: History;
    /** The optimizer given to compile (undefined before). */
    readonly optimizer: Optimizer | undefined;
    /** The log keys of evaluate / trainOnBatch results: loss, per-output losses, metrics. */
    readonly metricsNames: string[];
  }
}

const compiledStates = new WeakMap<Model, CompiledState>();

/** The compile state of `model`, or a clear error naming `fn` when compile was not called. */
export function compiledOf(fn: string, model: Model): CompiledState {
  const state = compiledStates.get(model);
  if (!state) {
    throw new KeratorchError(`${fn}: expected a compiled model for model but received "${model.name}", which was ` +
      'not compiled; call model.compile({ optimizer, loss }) first', 'ERR_ARGUMENT', fn);
  }
  return state;
}

/** Runs `step` on all of x, y (weighted by sampleWeight) as one batch. */
function onOneBatch(fn: string, model: Model, x: unknown, y: unknown, sampleWeight: unknown,
  step: typeof trainBatch): number | number[] {
  const compiled = compiledOf(fn, model);
  const owned: Tensor[] = [];
  try {
    const data = standardizeArrays(fn, model, compiled, x, y, sampleWeight, undefined, owned);
    if (data.xs[0].shapeRef[0] === 0) fail(fn, 'at least one sample', 'x', data.xs[0], 'ERR_SHAPE');
    return scalarOrList(step(model, compiled, data.xs, data.ys, data.sampleWeight));
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** Runs `body` with the tensors it makes from the caller's arrays freed afterwards. */
function withOwned<T>(body: (owned: Tensor[]) => T): T {
  const owned: Tensor[] = [];
  try {
    return body(owned);
  } finally {
    for (const t of owned) t.dispose();
  }
}

const methods = {
  compile(this: Model, args: CompileArgs): void {
    compiledStates.set(this, resolveCompile(this, args));
  },

  fit(this: Model, x: ModelData, y: ModelData, args?: FitArgs): History {
    const compiled = compiledOf('fit', this);
    return runSync(this, compiled, fitRun('fit', this, compiled, x, y, args));
  },

  evaluate(this: Model, x: ModelData, y: ModelData, args?: EvaluateArgs): number | number[] | Record<string, number> {
    const compiled = compiledOf('evaluate', this);
    return runSync(this, compiled, evaluateLoop('evaluate', this, compiled, x, y, args));
  },

  predict(this: Model, x: ModelData, args?: PredictArgs): Tensor | Tensor[] {
    const fn = 'predict';
    const options = optionsObject<PredictArgs>(fn, args, ['batchSize'], 'args');
    const batchSize = intOption(fn, 'batchSize', options.batchSize, 32, 1);
    return withOwned((owned) => {
      const xs = standardizeInputs(fn, this, x, owned);
      if (xs[0].shapeRef[0] === 0) fail(fn, 'at least one sample', 'x', xs[0], 'ERR_SHAPE');
      const outputs = predictArrays(this, xs, batchSize);
      return this.outputsAsList ? outputs : outputs[0];
    });
  },

  trainOnBatch(this: Model, x: ModelData, y: ModelData, sampleWeight?: ModelData): number | number[] {
    return onOneBatch('trainOnBatch', this, x, y, sampleWeight, trainBatch);
  },

  testOnBatch(this: Model, x: ModelData, y: ModelData, sampleWeight?: ModelData): number | number[] {
    return onOneBatch('testOnBatch', this, x, y, sampleWeight, testBatch);
  },

  predictOnBatch(this: Model, x: ModelData): Tensor | Tensor[] {
    const fn = 'predictOnBatch';
    return withOwned((owned) => {
      const xs = standardizeInputs(fn, this, x, owned);
      const outputs = K.noGrad(() => tidy(() => this.execute(xs, { training: false })
        .map((o) => (xs.includes(o) ? o.clone() : o))));
      return this.outputsAsList ? outputs : outputs[0];
    });
  },

  getTrainingConfig(this: Model): Record<string, unknown> | null {
    const state = compiledStates.get(this);
    return state ? trainingConfig(state) : null;
  },
};

for (const [name, method] of Object.entries(methods)) {
  Object.defineProperty(Model.prototype, name, { value: method, writable: true, configurable: true });
}

Object.defineProperty(Model.prototype, 'stopTraining', { value: false, writable: true, configurable: true });
Object.defineProperty(Model.prototype, 'optimizer', {
  get(this: Model) { return compiledStates.get(this)?.optimizer; },
  configurable: true,
});
Object.defineProperty(Model.prototype, 'metricsNames', {
  get(this: Model) { return compiledStates.get(this)?.metricsNames ?? []; },
  configurable: true,
});
