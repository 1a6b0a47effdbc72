/** Weight initializers, by Keras name (`glorotUniform`, `heNormal`, `zeros`, ...) or as objects. */
import { DType, K, KeratorchError, Tensor, tidy } from '../backend';
import { checkShape, describe, fail } from '../backend/validate';
import { choiceOption, intOption, numberOption, optionsObject } from './options';
import { lookupTable } from '../util/lookup';

/** Fills a new weight. */
export interface Initializer {
  /** The name used in configs. */
  readonly className: string;
  /** A tensor of `shape` and `dtype`. */
  apply(shape: number[], dtype: DType): Tensor;
  /** Options that recreate it. */
  getConfig(): Record<string, unknown>;
}

/** An initializer name, an instance, or a saved `{ className, config }`. */
export type InitializerIdentifier = string | Initializer | { className: string; config?: Record<string, unknown> };

/** Keras's fan-in / fan-out: conv kernels (rows, cols, in, out) count the receptive field. */
export function computeFans(shape: number[]): [number, number] {
  checkShape('computeFans', 'shape', shape);
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length >= 3 && shape.length <= 5) {
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
  }
  const side = Math.sqrt(shape.reduce((a, b) => a * b, 1));
  return [side, side];
}

function truncatedNormal(shape: number[], mean: number, stddev: number, dtype: DType, seed?: number): Tensor {
  // Values beyond two standard deviations are drawn again, as TensorFlow's truncated_normal does.
  return tidy(() => {
    let values = K.randomNormal(shape, 0, 1, 'float64', seed);
    for (let round = 0; round < 100; round++) {
      const outside = K.greater(K.abs(values), 2);
      if (!K.any(outside).item<'bool'>()) break;
      values = K.where(outside, K.randomNormal(shape, 0, 1, 'float64', seed === undefined ? undefined : seed + round + 1), values);
    }
    return K.cast(K.add(K.multiply(values, stddev), mean), dtype);
  });
}

class Simple implements Initializer {
  constructor(readonly className: string, private readonly config: Record<string, unknown>,
    private readonly make: (shape: number[], dtype: DType) => Tensor) {}

  apply(shape: number[], dtype: DType): Tensor {
    return this.make(shape, dtype);
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}

/** Options of {@link varianceScaling}. */
export interface VarianceScalingArgs {
  scale?: number;
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution?: 'normal' | 'truncatedNormal' | 'uniform';
  seed?: number;
}

const VARIANCE_SCALING_OPTIONS = ['scale', 'mode', 'distribution', 'seed'] as const;
const FAN_MODES = ['fanIn', 'fanOut', 'fanAvg'] as const;
const DISTRIBUTIONS = ['normal', 'truncatedNormal', 'uniform'] as const;

/** A seed option: an integer >= 0, or undefined (unseeded). */
function seedOption(fn: string, value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : intOption(fn, 'seed', value, 0);
}

/** Keras's VarianceScaling: stddev (or limit) from `scale` over the fan, the basis of glorot/he/lecun. */
export function varianceScaling(args: VarianceScalingArgs = {}, className = 'VarianceScaling'): Initializer {
  const options = optionsObject<VarianceScalingArgs>(className, args, VARIANCE_SCALING_OPTIONS, 'config');
  const scale = numberOption(className, 'scale', options.scale, 1, 0);
  if (scale === 0) fail(className, 'a finite number > 0', 'scale', scale, 'ERR_VALUE');
  const mode = choiceOption(className, 'mode', options.mode, FAN_MODES, 'fanIn');
  const distribution = choiceOption(className, 'distribution', options.distribution, DISTRIBUTIONS, 'truncatedNormal');
  const seed = seedOption(className, options.seed);
  return new Simple(className, { scale, mode, distribution, seed }, (shape, dtype) => {
    const [fanIn, fanOut] = computeFans(shape);
    const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const scaled = scale / Math.max(1, fan);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * scaled);
      return K.randomUniform(shape, -limit, limit, dtype, seed);
    }
    if (distribution === 'normal') return K.randomNormal(shape, 0, Math.sqrt(scaled), dtype, seed);
    // 0.8796... is the stddev of a unit normal truncated at two standard deviations.
    return truncatedNormal(shape, 0, Math.sqrt(scaled) / 0.87962566103423978, dtype, seed);
  });
}

/**
 * A VarianceScaling with fixed scale, mode and distribution (glorotUniform, heNormal, ...). Its saved
 * config repeats them, so they are accepted, but only with the fixed values: another value would be
 * ignored, which is what the check prevents.
 */
function fixedVarianceScaling(className: string, fixed: Required<Omit<VarianceScalingArgs, 'seed'>>): Factory {
  return (config) => {
    const options = optionsObject<VarianceScalingArgs>(className, config, VARIANCE_SCALING_OPTIONS, 'config');
    for (const key of ['scale', 'mode', 'distribution'] as const) {
      if (options[key] !== undefined && options[key] !== fixed[key]) {
        fail(className, `${describe(fixed[key])} (${className}'s own; varianceScaling takes others)`, key, options[key],
          'ERR_VALUE');
      }
    }
    return varianceScaling({ ...fixed, seed: options.seed }, className);
  };
}

/** A random initializer's config: only `names` (and seed), each a finite number or absent. */
function randomConfig(className: string, config: Record<string, unknown>, names: Record<string, number>):
  { values: number[]; seed: number | undefined; config: Record<string, unknown> } {
  const options = optionsObject<Record<string, unknown>>(className, config, [...Object.keys(names), 'seed'], 'config');
  const values = Object.entries(names).map(([name, fallback]) => numberOption(className, name, options[name], fallback));
  return { values, seed: seedOption(className, options.seed), config: { ...options } };
}

type Factory = (config: Record<string, unknown>) => Initializer;

const factories = lookupTable<Factory>({
  zeros: (c) => {
    optionsObject('Zeros', c, [], 'config');
    return new Simple('Zeros', {}, (shape, dtype) => K.constant(0, dtype, shape));
  },
  ones: (c) => {
    optionsObject('Ones', c, [], 'config');
    return new Simple('Ones', {}, (shape, dtype) => K.constant(1, dtype, shape));
  },
  constant: (c) => {
    const options = optionsObject<{ value: number }>('Constant', c, ['value'], 'config');
    const value = numberOption('Constant', 'value', options.value, 0);
    return new Simple('Constant', { value }, (shape, dtype) => K.constant(value, dtype, shape));
  },
  randomNormal: (c) => {
    const { values: [mean, stddev], seed, config } = randomConfig('RandomNormal', c, { mean: 0, stddev: 0.05 });
    return new Simple('RandomNormal', config, (shape, dtype) => K.randomNormal(shape, mean, stddev, dtype, seed));
  },
  randomUniform: (c) => {
    const { values: [minval, maxval], seed, config } = randomConfig('RandomUniform', c, { minval: -0.05, maxval: 0.05 });
    return new Simple('RandomUniform', config, (shape, dtype) => K.randomUniform(shape, minval, maxval, dtype, seed));
  },
  truncatedNormal: (c) => {
    const { values: [mean, stddev], seed, config } = randomConfig('TruncatedNormal', c, { mean: 0, stddev: 0.05 });
    return new Simple('TruncatedNormal', config, (shape, dtype) => truncatedNormal(shape, mean, stddev, dtype, seed));
  },
  varianceScaling: (c) => varianceScaling(c as VarianceScalingArgs),
  glorotUniform: fixedVarianceScaling('GlorotUniform', { scale: 1, mode: 'fanAvg', distribution: 'uniform' }),
  glorotNormal: fixedVarianceScaling('GlorotNormal', { scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' }),
  heNormal: fixedVarianceScaling('HeNormal', { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' }),
  heUniform: fixedVarianceScaling('HeUniform', { scale: 2, mode: 'fanIn', distribution: 'uniform' }),
  lecunNormal: fixedVarianceScaling('LecunNormal', { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' }),
  lecunUniform: fixedVarianceScaling('LecunUniform', { scale: 1, mode: 'fanIn', distribution: 'uniform' }),
});

/** Normalizes `GlorotUniform`, `glorot_uniform` and `glorotUniform` to one key. */
function key(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());
}

/** The initializer for a name (Keras's, camelCase or snake_case), an instance, or a saved config. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier === 'object' && identifier !== null && 'apply' in identifier) return identifier;
  if (typeof identifier === 'object' && identifier !== null) {
    optionsObject('initializer', identifier, ['className', 'config'], 'identifier');
  }
  const name = typeof identifier === 'string' ? identifier : identifier?.className;
  const config = typeof identifier === 'object' && identifier !== null && 'config' in identifier ? identifier.config ?? {} : {};
  const factory = typeof name === 'string' ? factories[key(name)] : undefined;
  if (!factory) {
    const isConfig = typeof identifier === 'object' && identifier !== null && typeof name === 'string';
    throw new KeratorchError(`initializer: expected one of ${Object.keys(factories).join(', ')} for ` +
      `${isConfig ? 'identifier.className' : 'identifier'} but received ${describe(isConfig ? name : identifier)}`,
    'ERR_ARGUMENT', 'initializer');
  }
  return factory(config);
}

/** A serializable description of an initializer. */
export function serializeInitializer(initializer: Initializer): { className: string; config: Record<string, unknown> } {
  const usable = typeof initializer === 'object' && initializer !== null && typeof initializer.className === 'string' &&
    typeof initializer.getConfig === 'function';
  if (!usable) fail('serializeInitializer', 'an Initializer (with className and getConfig)', 'initializer', initializer);
  return { className: initializer.className, config: initializer.getConfig() };
}
