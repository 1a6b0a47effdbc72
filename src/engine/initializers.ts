/** Weight initializers, by Keras name (`glorotUniform`, `heNormal`, `zeros`, ...) or as objects. */
import { DType, K, KeratorchError, Tensor, tidy } from '../backend';

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
      if (!(K.any(outside).item() as boolean)) break;
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

/** Keras's VarianceScaling: stddev (or limit) from `scale` over the fan, the basis of glorot/he/lecun. */
export function varianceScaling(args: VarianceScalingArgs = {}, className = 'VarianceScaling'): Initializer {
  const { scale = 1, mode = 'fanIn', distribution = 'truncatedNormal', seed } = args;
  if (!(scale > 0)) throw new KeratorchError(`${className}: expected a positive number for scale but received ${scale}`, 'ERR_ARGUMENT', className);
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

type Factory = (config: Record<string, unknown>) => Initializer;

const factories: Record<string, Factory> = {
  zeros: () => new Simple('Zeros', {}, (shape, dtype) => K.constant(0, dtype, shape)),
  ones: () => new Simple('Ones', {}, (shape, dtype) => K.constant(1, dtype, shape)),
  constant: (c) => new Simple('Constant', { value: c.value ?? 0 }, (shape, dtype) => K.constant(Number(c.value ?? 0), dtype, shape)),
  randomNormal: (c) => new Simple('RandomNormal', c, (shape, dtype) =>
    K.randomNormal(shape, Number(c.mean ?? 0), Number(c.stddev ?? 0.05), dtype, c.seed as number | undefined)),
  randomUniform: (c) => new Simple('RandomUniform', c, (shape, dtype) =>
    K.randomUniform(shape, Number(c.minval ?? -0.05), Number(c.maxval ?? 0.05), dtype, c.seed as number | undefined)),
  truncatedNormal: (c) => new Simple('TruncatedNormal', c, (shape, dtype) =>
    truncatedNormal(shape, Number(c.mean ?? 0), Number(c.stddev ?? 0.05), dtype, c.seed as number | undefined)),
  varianceScaling: (c) => varianceScaling(c as VarianceScalingArgs),
  glorotUniform: (c) => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: c.seed as number }, 'GlorotUniform'),
  glorotNormal: (c) => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', seed: c.seed as number }, 'GlorotNormal'),
  heNormal: (c) => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: c.seed as number }, 'HeNormal'),
  heUniform: (c) => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: c.seed as number }, 'HeUniform'),
  lecunNormal: (c) => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: c.seed as number }, 'LecunNormal'),
  lecunUniform: (c) => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed: c.seed as number }, 'LecunUniform'),
};

/** Normalizes `GlorotUniform`, `glorot_uniform` and `glorotUniform` to one key. */
function key(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());
}

/** The initializer for a name (Keras's, camelCase or snake_case), an instance, or a saved config. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier === 'object' && identifier !== null && 'apply' in identifier) return identifier;
  const name = typeof identifier === 'string' ? identifier : identifier?.className;
  const config = typeof identifier === 'object' && identifier !== null && 'config' in identifier ? identifier.config ?? {} : {};
  const factory = typeof name === 'string' ? factories[key(name)] : undefined;
  if (!factory) {
    throw new KeratorchError(`initializer: expected one of ${Object.keys(factories).join(', ')} for identifier but ` +
      `received ${JSON.stringify(identifier)}`, 'ERR_ARGUMENT', 'initializer');
  }
  return factory(config);
}

/** A serializable description of an initializer. */
export function serializeInitializer(initializer: Initializer): { className: string; config: Record<string, unknown> } {
  return { className: initializer.className, config: initializer.getConfig() };
}
