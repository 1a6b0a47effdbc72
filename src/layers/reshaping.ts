/** Layers that only rearrange values: Flatten, Reshape, Permute, RepeatVector. */
import { DataFormat, DType, K, Tensor } from '../backend';
import { CallArgs, describeShape, Layer, LayerArgs, layerError, ownOptionNames, Shape } from '../engine';
import { checkDataFormat } from './conv_utils';
import { checkInputRank, singleTensor } from './input_checks';
import { checkInt, checkLayerArgs, optionError } from './options';

/** A layer whose output has its input's dtype. */
abstract class RearrangingLayer extends Layer {
  computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }
}

/** Options of {@link Flatten}. */
export interface FlattenArgs extends LayerArgs {
  /** For channelsFirst images, channels are moved last first, so the order matches channelsLast. */
  dataFormat?: DataFormat;
}

/** Flattens every axis but the batch axis: (batch, ...) -> (batch, n). */
export class Flatten extends RearrangingLayer {
  static className = 'Flatten';
  static optionNames = ownOptionNames<FlattenArgs, LayerArgs>()('dataFormat');
  /** The input's image layout. */
  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    super(checkLayerArgs('Flatten', args));
    this.dataFormat = checkDataFormat('Flatten', args.dataFormat);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 1, true);
    const rest = shape.slice(1);
    if (rest.some((d) => d === null)) {
      throw layerError(this, 'input', `expected an input whose non-batch axes are all known but received ` +
        `${describeShape(shape)} (pass the full inputShape, or use GlobalAveragePooling2D)`);
    }
    return [shape[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    checkInputRank(this, x.shape, 1, true);
    if (this.dataFormat === 'channelsFirst' && x.rank > 2) {
      return K.tidy(() => K.batchFlatten(K.permuteDimensions(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1])));
    }
    return K.batchFlatten(x);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/** Options of {@link Reshape}. */
export interface ReshapeArgs extends LayerArgs {
  /** The shape of one sample (batch axis excluded); one entry may be -1 (inferred). */
  targetShape: number[];
}

/** Reshapes each sample to `targetShape`. */
export class Reshape extends RearrangingLayer {
  static className = 'Reshape';
  static optionNames = ownOptionNames<ReshapeArgs, LayerArgs>()('targetShape');
  /** The sample shape (one entry may be -1). */
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(checkLayerArgs('Reshape', args));
    const target = args.targetShape;
    if (!Array.isArray(target) || target.some((d) => !Number.isInteger(d) || d < -1 || d === 0) ||
        target.filter((d) => d === -1).length > 1) {
      throw optionError('Reshape', 'an array of positive integers with at most one -1', 'targetShape', target);
    }
    this.targetShape = [...target];
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 1, true);
    return [shape[0], ...this.sampleShape(shape)];
  }

  /** The output sample shape, with -1 resolved (null when the input size is unknown). */
  private sampleShape(shape: Shape): (number | null)[] {
    const rest = shape.slice(1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const missing = this.targetShape.indexOf(-1);
    const fits = missing === -1 ? size === known : size % known === 0;
    if (!fits) {
      throw layerError(this, 'input', `expected samples of ${missing === -1 ? known : `a multiple of ${known}`} values ` +
        `(targetShape ${describeShape(this.targetShape)}) but received ${describeShape(shape)} (${size} values per sample)`);
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    const shape = checkInputRank(this, x.shape, 1, true);
    return K.reshape(x, [x.shape[0], ...(this.sampleShape(shape) as number[])]);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

/** Options of {@link Permute}. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank-1 (1-based, the batch axis stays first), e.g. [2, 1] swaps two axes. */
  dims: number[];
}

/** Reorders the non-batch axes: output axis i (1-based) is input axis dims[i - 1]. */
export class Permute extends RearrangingLayer {
  static className = 'Permute';
  static optionNames = ownOptionNames<PermuteArgs, LayerArgs>()('dims');
  /** The 1-based permutation. */
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(checkLayerArgs('Permute', args));
    const dims = args.dims;
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : [];
    if (!Array.isArray(dims) || dims.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw optionError('Permute', 'a permutation of 1..n (1-based axes, the batch axis excluded)', 'dims', dims);
    }
    this.dims = [...dims];
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, this.dims.length + 1);
    return [shape[0], ...this.dims.map((d) => shape[d])];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    checkInputRank(this, x.shape, this.dims.length + 1);
    return K.permuteDimensions(x, [0, ...this.dims]);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

/** Options of {@link RepeatVector}. */
export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat. */
  n: number;
}

/** Repeats a (batch, features) input n times: (batch, n, features). */
export class RepeatVector extends RearrangingLayer {
  static className = 'RepeatVector';
  static optionNames = ownOptionNames<RepeatVectorArgs, LayerArgs>()('n');
  /** The repetition count. */
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(checkLayerArgs('RepeatVector', args));
    this.n = checkInt('RepeatVector', 'n', args.n);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 2);
    return [shape[0], this.n, shape[1]];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    checkInputRank(this, x.shape, 2);
    return K.repeat(x, this.n);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
