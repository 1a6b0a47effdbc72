/**
 * Keras's loss functions: each takes `(yTrue, yPred)` and returns one value per sample (the mean
 * over the last axis, as Keras), which `fit` averages over the batch. `getLoss` resolves the names
 * `compile` accepts.
 */
import { K, KeratorchError, Tensor, tidy } from './backend';
import { describe, fail } from './backend/validate';
import { checkPair, checkSameShape } from './loss_checks';
import { cosineSimilarity, huber, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson } from './losses_regression';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy, categoricalHinge, FocalOptions, hinge, kld, squaredHinge } from './losses_classification';
import { getRegisteredFunction } from './io/registry';
import { lookupTable } from './util/lookup';

/** A loss: per-sample values from targets and predictions. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

export { checkPair } from './loss_checks';
export { cosineSimilarity, huber, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson } from './losses_regression';
export { binaryFocalCrossentropy, categoricalFocalCrossentropy, categoricalHinge, hinge, kld, squaredHinge } from './losses_classification';
export type { FocalOptions } from './losses_classification';

/** A resolved loss: the function plus the name and mode `compile` and the metrics read. */
export interface Loss {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  /** The canonical camelCase name (`categoricalCrossentropy`), or a custom function's name. */
  readonly lossName: string;
  /** Whether predictions are logits rather than probabilities (crossentropies only). */
  readonly fromLogits: boolean;
}

/** A loss name (camelCase, snake_case, 'mse' / 'mae'), a function, or `{ name, ...options }`. */
export type LossIdentifier = string | LossFunction | ({ name: string } & LossOptions);

/** mean((yPred - yTrue)²) over the last axis. */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkPair('meanSquaredError', yTrue, yPred);
  checkSameShape('meanSquaredError', yTrue, yPred);
  return tidy(() => K.mean(K.square(K.subtract(yPred, yTrue)), -1));
}

/** mean(|yPred - yTrue|) over the last axis. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkPair('meanAbsoluteError', yTrue, yPred);
  checkSameShape('meanAbsoluteError', yTrue, yPred);
  return tidy(() => K.mean(K.abs(K.subtract(yPred, yTrue)), -1));
}

/** Cross-entropy of one-hot targets against probabilities (or logits with `fromLogits`), per sample. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  checkPair('categoricalCrossentropy', yTrue, yPred);
  return K.categoricalCrossentropy(yTrue, yPred, fromLogits);
}

/** Cross-entropy of integer class targets against probabilities (or logits), per sample. */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  checkPair('sparseCategoricalCrossentropy', yTrue, yPred);
  return K.sparseCategoricalCrossentropy(yTrue, yPred, fromLogits);
}

/** Binary cross-entropy of 0/1 targets against probabilities (or logits), averaged over the last axis. */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  checkPair('binaryCrossentropy', yTrue, yPred);
  return tidy(() => K.mean(K.binaryCrossentropy(yTrue, yPred, fromLogits), -1));
}

/** @internal The function registered under `name` (registerFunction), or undefined when there is none. */
export function registeredFunction(name: string): ((...args: never[]) => unknown) | undefined {
  try {
    return getRegisteredFunction(name, 'lookup');
  } catch {
    return undefined;  // not registered: the caller reports the name as unknown
  }
}

/** The options a loss identifier object may carry besides `name` (each loss takes some of them). */
export interface LossOptions {
  /** Crossentropies: predictions are logits. */
  fromLogits?: boolean;
  /** huber: where the loss turns from quadratic to linear (default 1). */
  delta?: number;
  /** cosineSimilarity: the axis along which vectors are compared (default -1). */
  axis?: number;
  /** Focal crossentropies (see FocalOptions). */
  alpha?: number;
  gamma?: number;
  labelSmoothing?: number;
  applyClassBalancing?: boolean;
}

type Builtin = (yTrue: Tensor, yPred: Tensor, options: LossOptions) => Tensor;

/** A built-in loss: the function of (yTrue, yPred, options) and the option keys it takes. */
interface BuiltinLoss {
  fn: Builtin;
  options: readonly (keyof LossOptions)[];
  /** The plain function users call directly (losses.huber), for getLoss(losses.huber). */
  plain: (...args: never[]) => Tensor;
}

const plainLoss = (fn: (yTrue: Tensor, yPred: Tensor) => Tensor): BuiltinLoss => ({ fn: (t, p) => fn(t, p), options: [], plain: fn });
const FOCAL = ['alpha', 'gamma', 'fromLogits', 'labelSmoothing'] as const;
const focalOptions = (o: LossOptions): FocalOptions =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as FocalOptions;

const BUILTINS = lookupTable<BuiltinLoss>({
  meanSquaredError: plainLoss(meanSquaredError),
  meanAbsoluteError: plainLoss(meanAbsoluteError),
  categoricalCrossentropy: { fn: (t, p, o) => categoricalCrossentropy(t, p, o.fromLogits ?? false), options: ['fromLogits'], plain: categoricalCrossentropy },
  sparseCategoricalCrossentropy: { fn: (t, p, o) => sparseCategoricalCrossentropy(t, p, o.fromLogits ?? false), options: ['fromLogits'], plain: sparseCategoricalCrossentropy },
  binaryCrossentropy: { fn: (t, p, o) => binaryCrossentropy(t, p, o.fromLogits ?? false), options: ['fromLogits'], plain: binaryCrossentropy },
  huber: { fn: (t, p, o) => huber(t, p, o.delta), options: ['delta'], plain: huber },
  logCosh: plainLoss(logCosh),
  meanAbsolutePercentageError: plainLoss(meanAbsolutePercentageError),
  meanSquaredLogarithmicError: plainLoss(meanSquaredLogarithmicError),
  poisson: plainLoss(poisson),
  cosineSimilarity: { fn: (t, p, o) => cosineSimilarity(t, p, o.axis), options: ['axis'], plain: cosineSimilarity },
  kld: plainLoss(kld),
  hinge: plainLoss(hinge),
  squaredHinge: plainLoss(squaredHinge),
  categoricalHinge: plainLoss(categoricalHinge),
  binaryFocalCrossentropy: { fn: (t, p, o) => binaryFocalCrossentropy(t, p, focalOptions(o)),
    options: [...FOCAL, 'applyClassBalancing'], plain: binaryFocalCrossentropy },
  categoricalFocalCrossentropy: { fn: (t, p, o) => categoricalFocalCrossentropy(t, p, focalOptions(o)),
    options: FOCAL, plain: categoricalFocalCrossentropy },
});

/** Keras's short names and legacy aliases. */
const ALIASES = lookupTable<string>({
  mse: 'meanSquaredError', mae: 'meanAbsoluteError', mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError', huberLoss: 'huber', logcosh: 'logCosh',
  klDivergence: 'kld', kullbackLeiblerDivergence: 'kld',
});

/** @internal Every option key some loss takes (compile tells a loss object from a per-output one by them). */
export const LOSS_OPTION_KEYS: readonly string[] = [...new Set(Object.values(BUILTINS).flatMap((b) => b.options))];

/** Names `getLoss` knows, canonical first. */
export const LOSS_NAMES: readonly string[] = [...Object.keys(BUILTINS), ...Object.keys(ALIASES)];

/** snake_case or PascalCase to camelCase, aliases resolved; undefined when not a known loss. */
function canonicalName(name: string): string | undefined {
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const lowerFirst = camel.charAt(0).toLowerCase() + camel.slice(1);
  const alias = ALIASES[name.toLowerCase()] ?? ALIASES[lowerFirst];
  if (alias) return alias;
  return lowerFirst in BUILTINS ? lowerFirst : undefined;
}

function named(fn: LossFunction, lossName: string, fromLogits: boolean): Loss {
  const loss = ((yTrue: Tensor, yPred: Tensor) => fn(yTrue, yPred)) as Loss;
  Object.defineProperty(loss, 'lossName', { value: lossName, enumerable: true });
  Object.defineProperty(loss, 'fromLogits', { value: fromLogits, enumerable: true });
  Object.defineProperty(loss, 'name', { value: lossName });
  return loss;
}

function byName(name: string, options: LossOptions, received: unknown): Loss {
  const canonical = canonicalName(name);
  const given = Object.keys(options);
  if (canonical === undefined) {
    const registered = registeredFunction(name);
    if (registered && given.length === 0) return named(registered as LossFunction, name, false);
    if (registered) fail('getLoss', `no options for the registered function "${name}"`, 'identifier', received);
    throw new KeratorchError(`getLoss: expected one of ${LOSS_NAMES.join(', ')} (or their snake_case names) ` +
      `for identifier but received ${describe(received)}`, 'ERR_ARGUMENT', 'getLoss');
  }
  const builtin = BUILTINS[canonical];
  const unknown = given.find((key) => !(builtin.options as readonly string[]).includes(key));
  if (unknown === 'fromLogits') fail('getLoss', 'fromLogits only with a crossentropy', 'identifier', received);
  if (unknown !== undefined) {
    fail('getLoss', builtin.options.length === 0 ? `no options for ${canonical}`
      : `an option of ${canonical} among ${builtin.options.join(', ')}`, 'identifier', received);
  }
  // Checked now, so that compile fails rather than the first batch.
  if (options.fromLogits !== undefined && typeof options.fromLogits !== 'boolean') {
    fail('getLoss', 'a boolean', 'identifier.fromLogits', options.fromLogits);
  }
  const fromLogits = options.fromLogits ?? false;
  return named((t, p) => builtin.fn(t, p, options), canonical, fromLogits);
}

/**
 * Resolves a loss identifier: a name (`'categoricalCrossentropy'`, `'categorical_crossentropy'`,
 * `'mse'`, `'huber'`, or a name given to `registerFunction`), a function `(yTrue, yPred) => Tensor`
 * (its per-sample values are averaged), or `{ name, ...options }`: `{ name, fromLogits }` for the
 * crossentropies, `{ name: 'huber', delta }`, `{ name: 'cosineSimilarity', axis }`,
 * `{ name: 'binaryFocalCrossentropy', alpha, gamma, fromLogits, labelSmoothing, applyClassBalancing }`.
 * Unknown names and options throw a KeratorchError that lists the known ones.
 */
export function getLoss(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'string') return byName(identifier, {}, identifier);
  if (typeof identifier === 'function') {
    const existing = identifier as Partial<Loss>;
    if (typeof existing.lossName === 'string' && typeof existing.fromLogits === 'boolean') return identifier as Loss;
    const canonical = Object.keys(BUILTINS).find((k) => BUILTINS[k].plain === identifier);
    return named(identifier, canonical ?? (identifier.name || 'loss'), false);
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.name === 'string') {
    const { name, ...options } = identifier;
    return byName(name, options, identifier);
  }
  return fail('getLoss', 'a loss name, a function or { name, ...options }', 'identifier', identifier);
}
