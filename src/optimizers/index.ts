/**
 * Optimizers (Keras 3's formulas): SGD, RMSprop, Adagrad, Adam, and `getOptimizer` to pick one by name, by
 * configuration, or pass an instance through. Their update steps run natively through `optim`.
 */
import { fail } from '../backend/validate';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Optimizer, OptimizerConfig } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';
import { lookupTable } from '../util/lookup';

export { Optimizer } from './optimizer';
export type { OptimizerArgs, OptimizerConfig } from './optimizer';
export { SGD } from './sgd';
export type { SGDArgs } from './sgd';
export { RMSprop } from './rmsprop';
export type { RMSpropArgs } from './rmsprop';
export { Adagrad } from './adagrad';
export type { AdagradArgs } from './adagrad';
export { Adam } from './adam';
export type { AdamArgs } from './adam';

/** A serialized optimizer: its class name and `getConfig()` (Keras's `class_name` is accepted too). */
export interface OptimizerSpec {
  className: string;
  config?: Record<string, unknown>;
}

/** What {@link getOptimizer} accepts: a name (`'adam'`), an optimizer, or a class name plus config. */
export type OptimizerIdentifier = string | Optimizer | OptimizerSpec;

type OptimizerConstructor = new (args?: Record<string, unknown>) => Optimizer;

const OPTIMIZERS = lookupTable<OptimizerConstructor>({
  sgd: SGD as unknown as OptimizerConstructor,
  adam: Adam as unknown as OptimizerConstructor,
  rmsprop: RMSprop as unknown as OptimizerConstructor,
  adagrad: Adagrad as unknown as OptimizerConstructor,
});

const KNOWN = `one of ${Object.keys(OPTIMIZERS).map((n) => `'${n}'`).join(', ')} (any case)`;

// Keras (Python) spells some keys differently; a saved Keras config uses these.
const KERAS_KEYS = lookupTable<string>({ learning_rate: 'learningRate',
  lr: 'learningRate', beta_1: 'beta1', beta_2: 'beta2', global_clipnorm: 'globalClipnorm',
  initial_accumulator_value: 'initialAccumulatorValue' });

function fromKerasConfig(config: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'name') continue;  // tf.keras adds one; it does not configure anything
    args[KERAS_KEYS[key] ?? key] = value;
  }
  return args;
}

/**
 * An optimizer from an identifier, as Keras's `optimizers.get`: a name (`'sgd'`, `'adam'`, `'rmsprop'`,
 * `'adagrad'`, any case) gives one with default options; `{className, config}` (as `getClassName()` and
 * `getConfig()` give, or a Keras config with snake_case keys) rebuilds one; an optimizer is returned as
 * is. Anything else throws ERR_ARGUMENT naming what was received and the known optimizers.
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  const fn = 'getOptimizer';
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    const ctor = OPTIMIZERS[identifier.toLowerCase()];
    if (ctor === undefined) fail(fn, `an optimizer name, ${KNOWN}`, 'identifier', identifier);
    return new ctor();
  }
  if (identifier !== null && typeof identifier === 'object' && !Array.isArray(identifier)) {
    const spec = identifier as OptimizerSpec & { class_name?: string };
    const className = spec.className ?? spec.class_name;
    const ctor = typeof className === 'string' ? OPTIMIZERS[className.toLowerCase()] : undefined;
    if (ctor === undefined) fail(fn, `a className, ${KNOWN}`, 'identifier.className', className);
    const config = spec.config ?? {};
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      fail(fn, 'a configuration object', 'identifier.config', config);
    }
    return new ctor(fromKerasConfig(config));
  }
  return fail(fn, `an optimizer name (${KNOWN}), an Optimizer or {className, config}`, 'identifier', identifier);
}

/** The serialized form of an optimizer, which {@link getOptimizer} turns back into an equal one. */
export function serializeOptimizer(optimizer: Optimizer): { className: string; config: OptimizerConfig } {
  if (!(optimizer instanceof Optimizer)) fail('serializeOptimizer', 'an Optimizer', 'optimizer', optimizer);
  return { className: optimizer.getClassName(), config: optimizer.getConfig() };
}
