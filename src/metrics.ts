/**
 * Keras's metrics: functions of `(yTrue, yPred)` giving one value per sample, which `fit` averages
 * over batches and epochs. `getMetric` resolves the names `compile` accepts; 'accuracy' picks the
 * binary, categorical or sparse variant from the loss, as Keras does.
 */
import { K, KeratorchError, Tensor, tidy } from './backend';
import { describe, fail } from './backend/validate';
import { checkPair, Loss, meanAbsoluteError, meanSquaredError, registeredFunction } from './losses';
import { lookupTable } from './util/lookup';

export { meanSquaredError, meanAbsoluteError } from './losses';

/** A metric: per-sample values from targets and predictions. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A resolved metric: the function and the name its values are logged under. */
export interface Metric {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  /** The key in `fit`'s logs and History (`accuracy`, `mse`, a custom function's name). */
  readonly metricName: string;
}

/** A metric name ('accuracy', 'acc', 'mse', 'mae', camelCase or snake_case names) or a function. */
export type MetricIdentifier = string | MetricFunction;

/** 1 where the prediction is on the target's side of `threshold`, per element as Keras 3 (Keras 2.3 averaged the last axis). */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  checkPair('binaryAccuracy', yTrue, yPred);
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) fail('binaryAccuracy', 'a finite number', 'threshold', threshold);
  return tidy(() => {
    const predicted = K.cast(K.greater(yPred, threshold), yTrue.dtype === 'float64' ? 'float64' : 'float32');
    return K.cast(K.equal(K.cast(yTrue, predicted.dtype), predicted), 'float32');
  });
}

/** 1 where the largest prediction is at the one-hot target's class. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkPair('categoricalAccuracy', yTrue, yPred);
  return tidy(() => K.cast(K.equal(K.argmax(yTrue, -1), K.argmax(yPred, -1)), 'float32'));
}

/** 1 where the largest prediction is at the integer target's class (targets shaped (n) or (n, 1)). */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkPair('sparseCategoricalAccuracy', yTrue, yPred);
  return tidy(() => {
    return K.cast(K.equal(K.cast(sparseTargets(yTrue, yPred), 'int64'), K.argmax(yPred, -1)), 'float32');
  });
}

/** Integer targets (n) from (n) or (n, 1), for the sparse metrics. */
function sparseTargets(yTrue: Tensor, yPred: Tensor): Tensor {
  return yTrue.rank === yPred.rank && yTrue.shapeRef[yTrue.rank - 1] === 1 ? K.squeeze(yTrue, -1) : yTrue;
}

function checkK(fn: string, k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) fail(fn, 'an integer >= 1', 'k', k);
  return k;
}

/** 1 where the one-hot target's class is among the `k` (default 5) largest predictions (ties count as in), as Keras 3. */
export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  checkPair('topKCategoricalAccuracy', yTrue, yPred);
  const kk = checkK('topKCategoricalAccuracy', k);
  return tidy(() => K.cast(K.inTopK(yPred, K.cast(K.argmax(yTrue, -1), 'int32'), kk), 'float32'));
}

/** 1 where the integer target (shaped (n) or (n, 1)) is among the `k` (default 5) largest predictions, as Keras 3. */
export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  checkPair('sparseTopKCategoricalAccuracy', yTrue, yPred);
  const kk = checkK('sparseTopKCategoricalAccuracy', k);
  return tidy(() => K.cast(K.inTopK(yPred, K.cast(sparseTargets(yTrue, yPred), 'int32'), kk), 'float32'));
}

const BUILTINS = lookupTable<MetricFunction>({
  meanSquaredError,
  meanAbsoluteError,
  binaryAccuracy: (t, p) => binaryAccuracy(t, p),
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy: (t, p) => topKCategoricalAccuracy(t, p),
  sparseTopKCategoricalAccuracy: (t, p) => sparseTopKCategoricalAccuracy(t, p),
});

const ALIASES = lookupTable<string>({ mse: 'meanSquaredError', mae: 'meanAbsoluteError' });

/** Names `getMetric` knows. */
export const METRIC_NAMES: readonly string[] = ['accuracy', 'acc', ...Object.keys(BUILTINS), ...Object.keys(ALIASES)];

function named(fn: MetricFunction, metricName: string): Metric {
  const metric = ((yTrue: Tensor, yPred: Tensor) => fn(yTrue, yPred)) as Metric;
  Object.defineProperty(metric, 'metricName', { value: metricName, enumerable: true });
  Object.defineProperty(metric, 'name', { value: metricName });
  return metric;
}

/**
 * Keras's choice for 'accuracy': binary when the loss is binary crossentropy or the output has one
 * unit, sparse categorical for the sparse loss, categorical otherwise. On logits the binary
 * threshold 0.5 applies to sigmoid(yPred), i.e. yPred > 0.
 */
function accuracyFor(loss: Loss | undefined): MetricFunction {
  return (yTrue, yPred) => {
    const lastDim = yPred.rank > 0 ? yPred.shapeRef[yPred.rank - 1] : 1;
    const name = loss?.lossName;
    if (name === 'binaryCrossentropy' || lastDim === 1) {
      return binaryAccuracy(yTrue, yPred, loss?.fromLogits ? 0 : 0.5);
    }
    if (name === 'sparseCategoricalCrossentropy') return sparseCategoricalAccuracy(yTrue, yPred);
    return categoricalAccuracy(yTrue, yPred);
  };
}

/**
 * Resolves a metric identifier: 'accuracy' / 'acc' (the variant that fits `loss`), 'mse', 'mae',
 * the built-in metrics by camelCase or snake_case name, a name given to `registerFunction`, or a function `(yTrue, yPred) => Tensor`
 * (logged under its function name). Unknown names throw a KeratorchError listing the known ones.
 */
export function getMetric(identifier: MetricIdentifier, loss?: Loss): Metric {
  if (typeof identifier === 'function') {
    const existing = identifier as Partial<Metric>;
    if (typeof existing.metricName === 'string') return identifier as Metric;
    return named(identifier, identifier.name || 'metric');
  }
  if (typeof identifier !== 'string') {
    return fail('getMetric', 'a metric name or a function', 'identifier', identifier);
  }
  if (identifier === 'accuracy' || identifier === 'acc') return named(accuracyFor(loss), identifier);
  const alias = ALIASES[identifier.toLowerCase()];
  const camel = identifier.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const canonical = alias ?? (camel in BUILTINS ? camel : undefined);
  if (canonical === undefined) {
    const registered = registeredFunction(identifier);
    if (registered) return named(registered as MetricFunction, identifier);
    throw new KeratorchError(`getMetric: expected one of ${METRIC_NAMES.join(', ')} (or their snake_case names) ` +
      `or a function for identifier but received ${describe(identifier)}`, 'ERR_ARGUMENT', 'getMetric');
  }
  return named(BUILTINS[canonical], identifier);
}
