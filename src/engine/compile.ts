/**
 * What `compile` records: the optimizer, and for each model output its loss, loss weight and
 * metrics; and the one function that turns targets and outputs into the total loss and the
 * logged values.
 */
import { K, KeratorchError, Tensor } from '../backend';
import { describe, fail } from '../backend/validate';
import { getLoss, Loss, LOSS_OPTION_KEYS, LossIdentifier } from '../losses';
import { getMetric, Metric, MetricIdentifier } from '../metrics';
import { getOptimizer, Optimizer, OptimizerIdentifier } from '../optimizers';
import { Model, Sequential } from './model';
import { optionsObject, refuse } from './options';

/** Options of `model.compile`. */
export interface CompileArgs {
  /** An optimizer or its name ('sgd', 'adam', 'rmsprop', 'adagrad'); default 'rmsprop' as Keras. */
  optimizer?: OptimizerIdentifier;
  /** One loss for every output, or one per output as a list (output order) or an object keyed by output name. */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /**
   * Metrics: a list applied to every output, a list of lists (one per output), or an object keyed
   * by output name.
   */
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Factors of each output's loss in the total (default 1), as a list or keyed by output name. */
  lossWeights?: number[] | Record<string, number>;
}

/** One model output as compiled. */
export interface CompiledOutput {
  /** The name of the layer that produces it (prefixes its logs in multi-output models). */
  name: string;
  /** The resolved loss. */
  loss: Loss;
  /** The loss as given to compile (for saving the training config). */
  lossId: LossIdentifier;
  /** The factor of this output's loss in the total. */
  lossWeight: number;
  /** The resolved metrics. */
  metrics: Metric[];
  /** The metrics as given to compile. */
  metricIds: MetricIdentifier[];
}

/** The losses and values of one batch: the total (with gradient graph) and each logged value. */
export interface BatchValues {
  /** The loss that is differentiated: weighted output losses plus weight penalties. */
  total: Tensor;
  /** Scalars in `metricsNames` order (the first is the total). */
  values: Tensor[];
}

/** A compiled model's optimizer, per-output losses and metrics. */
export class CompiledState {
  constructor(
    /** Updates the weights. */
    readonly optimizer: Optimizer,
    /** One entry per model output. */
    readonly outputs: CompiledOutput[],
  ) {}

  /** The log keys, Keras's `metrics_names`: loss, per-output losses (several outputs), then metrics. */
  get metricsNames(): string[] {
    const multi = this.outputs.length > 1;
    const names = ['loss'];
    if (multi) for (const o of this.outputs) names.push(`${o.name}_loss`);
    for (const o of this.outputs) for (const m of o.metrics) names.push(multi ? `${o.name}_${m.metricName}` : m.metricName);
    return names;
  }

  /**
   * The weighted sum of each output's mean loss plus the model's weight penalties, and the logged
   * values. Metrics are computed without a gradient graph. With `sampleWeight` (one weight per
   * sample), as Keras 3: each loss is sum(loss * weight) / (loss elements); metrics are not weighted
   * (Keras 3 weights only its `weighted_metrics`).
   */
  compute(model: Model, targets: Tensor[], outputs: Tensor[], sampleWeight: Tensor | null = null): BatchValues {
    const losses = this.outputs.map((o, i) => weightedMean(o.loss(targets[i], outputs[i]), sampleWeight));
    let total = losses.map((l, i) => (this.outputs[i].lossWeight === 1 ? l : K.multiply(l, this.outputs[i].lossWeight)))
      .reduce((a, b) => K.add(a, b));
    const penalty = model.regularizationLoss();
    if (penalty !== null) total = K.add(total, penalty);
    const metrics = K.noGrad(() => this.outputs.flatMap((o, i) => {
      const prediction = o.metrics.length > 0 ? K.stopGradient(outputs[i]) : outputs[i];
      return o.metrics.map((m) => K.mean(m(targets[i], prediction)));
    }));
    return { total, values: [total, ...(this.outputs.length > 1 ? losses : []), ...metrics] };
  }
}

/**
 * The mean of per-sample `values` (samples on axis 0), each sample weighted by `weight` (one per
 * sample) when given and the sum divided by the element count, as Keras 3's sum_over_batch_size.
 */
function weightedMean(values: Tensor, weight: Tensor | null): Tensor {
  if (weight === null || values.rank === 0) return K.mean(values);
  const perElement = K.reshape(K.cast(weight, values.dtype), [weight.shapeRef[0], ...values.shapeRef.slice(1).map(() => 1)]);
  return K.mean(K.multiply(values, perElement));
}

/** The names of a model's outputs: the layers that produce them (a Sequential's last layer). */
export function outputNames(model: Model): string[] {
  if (model.outputs.length > 0) return model.outputs.map((o) => o.sourceLayer.name);
  if (model instanceof Sequential && model.stack.length > 0) return [model.stack[model.stack.length - 1].name];
  return [model.name];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Spreads a per-output argument (one value, a list in output order, or an object keyed by name). */
function perOutput<T>(value: T | T[] | Record<string, T>, names: string[], what: string, isSingle: (v: unknown) => boolean,
  fallback?: T): T[] {
  const fn = 'compile';
  if (Array.isArray(value) && !isSingle(value)) {
    if (value.length !== names.length) {
      fail(fn, `${names.length} ${what} value(s), one per output (${names.join(', ')})`, what, value, 'ERR_ARGUMENT');
    }
    return value as T[];
  }
  if (isPlainObject(value) && !isSingle(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) refuse(fn, `keys among the output names (${names.join(', ')})`, what, unknown.map((k) => `"${k}"`).join(', '));
    return names.map((name) => {
      if (!(name in value)) {
        if (fallback !== undefined) return fallback;
        return refuse(fn, `a value for every output (${names.join(', ')})`, what, `none for "${name}"`);
      }
      return (value as Record<string, T>)[name];
    });
  }
  return names.map(() => value as T);
}

const isLossObject = (v: unknown): boolean => isPlainObject(v) && typeof v.name === 'string' &&
  Object.keys(v).every((k) => k === 'name' || LOSS_OPTION_KEYS.includes(k));

/** Resolves compile's arguments against a model; throws before anything changes when one is wrong. */
export function resolveCompile(model: Model, args: CompileArgs): CompiledState {
  const fn = 'compile';
  const options = optionsObject<CompileArgs>(fn, args, ['optimizer', 'loss', 'metrics', 'lossWeights'], 'args');
  if (args === undefined || options.loss === undefined || options.loss === null) {
    fail(fn, 'a loss (a name, a function, or one per output)', 'args.loss', options.loss);
  }
  const names = outputNames(model);
  const lossIds = perOutput<LossIdentifier>(options.loss, names, 'loss', (v) => typeof v !== 'object' || isLossObject(v));
  const losses = lossIds.map((id) => getLoss(id));
  const weights = options.lossWeights === undefined ? names.map(() => 1)
    : perOutput<number>(options.lossWeights, names, 'lossWeights', (v) => typeof v === 'number', 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, 'finite numbers', `lossWeights (output "${names[i]}")`, w);
  });
  const metricIds = resolveMetricIds(options.metrics, names);
  const optimizer = getOptimizer(options.optimizer ?? 'rmsprop');
  const outputs = names.map((name, i) => ({
    name,
    loss: losses[i],
    lossId: lossIds[i],
    lossWeight: weights[i],
    metrics: metricIds[i].map((id) => getMetric(id, losses[i])),
    metricIds: metricIds[i],
  }));
  const seen = new Set<string>();
  for (const key of new CompiledState(optimizer, outputs).metricsNames) {
    if (seen.has(key)) {
      throw new KeratorchError(`compile: expected distinct metric names for metrics but received ${describe(key)} twice`,
        'ERR_ARGUMENT', fn);
    }
    seen.add(key);
  }
  return new CompiledState(optimizer, outputs);
}

function resolveMetricIds(metrics: CompileArgs['metrics'], names: string[]): MetricIdentifier[][] {
  if (metrics === undefined || metrics === null) return names.map(() => []);
  const asList = (v: unknown, label: string): MetricIdentifier[] => {
    const list = Array.isArray(v) ? v : [v];
    list.forEach((m, j) => {
      if (typeof m !== 'string' && typeof m !== 'function') fail('compile', 'a metric name or function', `${label}[${j}]`, m);
    });
    return list as MetricIdentifier[];
  };
  if (Array.isArray(metrics)) {
    if (metrics.length > 0 && metrics.every((m) => Array.isArray(m))) {
      if (metrics.length !== names.length) {
        fail('compile', `${names.length} metric lists, one per output (${names.join(', ')})`, 'metrics', metrics);
      }
      return metrics.map((m, i) => asList(m, `metrics[${i}]`));
    }
    const shared = asList(metrics, 'metrics');
    return names.map(() => shared);
  }
  if (isPlainObject(metrics)) {
    const unknown = Object.keys(metrics).filter((k) => !names.includes(k));
    if (unknown.length > 0) refuse('compile', `keys among the output names (${names.join(', ')})`, 'metrics', unknown.map((k) => `"${k}"`).join(', '));
    return names.map((name) => (name in metrics ? asList(metrics[name], `metrics.${name}`) : []));
  }
  return fail('compile', 'a list of metrics or an object keyed by output name', 'metrics', metrics);
}
