/**
 * Keras's loss functions: each takes `(yTrue, yPred)` and returns one value per sample (the mean
 * over the last axis, as Keras), which `fit` averages over the batch. `getLoss` resolves the names
 * `compile` accepts.
 */
import { K, KeratorchError, Tensor, tidy } from './backend';
import { describe, fail } from './backend/validate';
import { getRegisteredFunction } from './io/registry';
import { lookupTable } from './util/lookup';

/** A loss: per-sample values from targets and predictions. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A resolved loss: the function plus the name and mode `compile` and the metrics read. */
export interface Loss {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  /** The canonical camelCase name (`categoricalCrossentropy`), or a custom function's name. */
  readonly lossName: string;
  /** Whether predictions are logits rather than probabilities (crossentropies only). */
  readonly fromLogits: boolean;
}

/** A loss name (camelCase, snake_case, 'mse' / 'mae'), a function, or `{ name, fromLogits }`. */
export type LossIdentifier = string | LossFunction | { name: string; fromLogits?: boolean };

/** @internal Checks that yTrue and yPred are live tensors (shared with the metrics). */
export function checkPair(fn: string, yTrue: unknown, yPred: unknown): void {
  if (!(yTrue instanceof Tensor)) fail(fn, 'a Tensor', 'yTrue', yTrue);
  if (!(yPred instanceof Tensor)) fail(fn, 'a Tensor', 'yPred', yPred);
  yTrue.assertLive(fn, 'yTrue');
  yPred.assertLive(fn, 'yPred');
}

function checkSameShape(fn: string, yTrue: Tensor, yPred: Tensor): void {
  const t = yTrue.shapeRef;
  const p = yPred.shapeRef;
  if (t.length !== p.length || t.some((d, i) => d !== p[i])) {
    fail(fn, `a tensor of yPred's shape [${p}]`, 'yTrue', yTrue, 'ERR_SHAPE');
  }
}

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

type Builtin = (yTrue: Tensor, yPred: Tensor, fromLogits?: boolean) => Tensor;

const BUILTINS = lookupTable<Builtin>({
  meanSquaredError,
  meanAbsoluteError,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  binaryCrossentropy,
});

const ALIASES = lookupTable<string>({ mse: 'meanSquaredError', mae: 'meanAbsoluteError' });

/** The losses whose outputs may be logits. */
const CROSSENTROPIES = new Set(['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy']);

/** Names `getLoss` knows, canonical first. */
export const LOSS_NAMES: readonly string[] = [...Object.keys(BUILTINS), ...Object.keys(ALIASES)];

/** snake_case or PascalCase to camelCase, aliases resolved; undefined when not a known loss. */
function canonicalName(name: string): string | undefined {
  const alias = ALIASES[name.toLowerCase()];
  if (alias) return alias;
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const lowerFirst = camel.charAt(0).toLowerCase() + camel.slice(1);
  return lowerFirst in BUILTINS ? lowerFirst : undefined;
}

function named(fn: LossFunction, lossName: string, fromLogits: boolean): Loss {
  const loss = ((yTrue: Tensor, yPred: Tensor) => fn(yTrue, yPred)) as Loss;
  Object.defineProperty(loss, 'lossName', { value: lossName, enumerable: true });
  Object.defineProperty(loss, 'fromLogits', { value: fromLogits, enumerable: true });
  Object.defineProperty(loss, 'name', { value: lossName });
  return loss;
}

function byName(name: string, fromLogits: boolean, received: unknown): Loss {
  const canonical = canonicalName(name);
  if (canonical === undefined) {
    const registered = registeredFunction(name);
    if (registered && !fromLogits) return named(registered as LossFunction, name, false);
    throw new KeratorchError(`getLoss: expected one of ${LOSS_NAMES.join(', ')} (or their snake_case names) ` +
      `for identifier but received ${describe(received)}`, 'ERR_ARGUMENT', 'getLoss');
  }
  if (fromLogits && !CROSSENTROPIES.has(canonical)) {
    fail('getLoss', 'fromLogits only with a crossentropy', 'identifier', received);
  }
  const builtin = BUILTINS[canonical];
  return named((t, p) => builtin(t, p, fromLogits), canonical, fromLogits);
}

/**
 * Resolves a loss identifier: a name (`'categoricalCrossentropy'`, `'categorical_crossentropy'`,
 * `'mse'`, `'mae'`, or a name given to `registerFunction`), a function `(yTrue, yPred) => Tensor` (its per-sample values are averaged),
 * or `{ name, fromLogits }`. Unknown names throw a KeratorchError that lists the known ones.
 */
export function getLoss(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'string') return byName(identifier, false, identifier);
  if (typeof identifier === 'function') {
    const existing = identifier as Partial<Loss>;
    if (typeof existing.lossName === 'string' && typeof existing.fromLogits === 'boolean') return identifier as Loss;
    const canonical = Object.values(BUILTINS).includes(identifier as Builtin)
      ? Object.keys(BUILTINS).find((k) => BUILTINS[k] === identifier) : undefined;
    return named(identifier, canonical ?? (identifier.name || 'loss'), false);
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.name === 'string') {
    const fromLogits = identifier.fromLogits ?? false;
    if (typeof fromLogits !== 'boolean') fail('getLoss', 'a boolean', 'identifier.fromLogits', fromLogits);
    return byName(identifier.name, fromLogits, identifier);
  }
  return fail('getLoss', 'a loss name, a function or { name, fromLogits }', 'identifier', identifier);
}
