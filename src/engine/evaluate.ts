/** `model.evaluate` and `model.evaluateAsync`: one loop (training_run.ts), driven on the JS thread or off it. */
import { Tensor } from '../backend';
import { fail } from '../backend/validate';
import { ProgressBar } from '../util/progress';
import { CompiledState } from './compile';
import { standardizeArrays } from './fit';
import type { Model } from './model';
import { booleanOption, intOption, optionsObject } from './options';
import type { ModelData } from './standardize';
import { evaluateRun, Run } from './training_run';

/** Options of `model.evaluate` and `model.evaluateAsync`. */
export interface EvaluateArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** 0: silent, 1: a progress bar (default 1). */
  verbose?: number;
  /** Return `{ loss, ...metrics }` keyed by `metricsNames` instead of a number or list (default false), as Keras's `return_dict`. */
  returnDict?: boolean;
  /** One weight per sample, as Keras 3's sample_weight. */
  sampleWeight?: ModelData;
}

/** The values of a list of one, else the list. */
export function scalarOrList(values: number[]): number | number[] {
  return values.length === 1 ? values[0] : values;
}

/** The loop of `evaluate(x, y, args)`, for runSync or runAsync; `fn` names it in errors. */
export function* evaluateLoop(fn: string, model: Model, compiled: CompiledState, x: unknown, y: unknown,
  args: unknown): Run<number | number[] | Record<string, number>> {
  const options = optionsObject<EvaluateArgs>(fn, args, ['batchSize', 'verbose', 'returnDict', 'sampleWeight'], 'args');
  const batchSize = intOption(fn, 'batchSize', options.batchSize, 32, 1);
  const verbose = intOption(fn, 'verbose', options.verbose, 1, 0, 1);
  const returnDict = booleanOption(fn, 'returnDict', options.returnDict, false);
  const owned: Tensor[] = [];
  try {
    const data = standardizeArrays(fn, model, compiled, x, y, options.sampleWeight, undefined, owned);
    if (data.xs[0].shapeRef[0] === 0) fail(fn, 'at least one sample', 'x', data.xs[0], 'ERR_SHAPE');
    const bar = verbose > 0 ? new ProgressBar(Math.ceil(data.xs[0].shapeRef[0] / batchSize)) : null;
    const means = yield* evaluateRun(compiled, data, batchSize, (done, m) => bar?.update(done, m.logs()));
    return returnDict ? means.logs() : scalarOrList(means.values());
  } finally {
    for (const t of owned) t.dispose();
  }
}
