/** 2-D pooling of images: windowed max / average, and global max / average over rows and cols. */
import { DataFormat, K, Padding, Tensor } from '../backend';
import { CallArgs, describeShape, Layer, LayerArgs, layerError, ownOptionNames, Shape } from '../engine';
import { checkDataFormat, convOutputLength, imageAxes, PADDINGS } from './conv_utils';
import { checkInputRank, singleTensor } from './input_checks';
import { checkBoolean, checkChoice, checkIntPair, checkLayerArgs } from './options';

/** Options of {@link MaxPooling2D} and {@link AveragePooling2D}. */
export interface Pooling2DArgs extends LayerArgs {
  /** The window's (rows, cols), or one number for both (default [2, 2]). */
  poolSize?: number | [number, number];
  /** The step between windows (default: the pool size). */
  strides?: number | [number, number] | null;
  /** 'valid' (only whole windows, the default) or 'same'. */
  padding?: Padding;
  /** The image layout (default channelsLast). */
  dataFormat?: DataFormat;
}

/** The base of windowed pooling: options, Keras's output-shape arithmetic, and the K.pool2d call. */
abstract class Pooling2D extends Layer {
  static optionNames = ownOptionNames<Pooling2DArgs, LayerArgs>()('poolSize', 'strides', 'padding', 'dataFormat');
  /** The window size. */
  readonly poolSize: [number, number];
  /** The step between windows. */
  readonly strides: [number, number];
  /** The padding mode. */
  readonly padding: Padding;
  /** The image layout. */
  readonly dataFormat: DataFormat;
  /** How windows are reduced. */
  protected abstract readonly mode: 'max' | 'avg';

  constructor(owner: string, args: Pooling2DArgs) {
    super(checkLayerArgs(owner, args));
    this.poolSize = checkIntPair(owner, 'poolSize', args.poolSize ?? 2);
    this.strides = args.strides === undefined || args.strides === null ? [...this.poolSize]
      : checkIntPair(owner, 'strides', args.strides);
    this.padding = checkChoice(owner, 'padding', args.padding ?? 'valid', PADDINGS);
    this.dataFormat = checkDataFormat(owner, args.dataFormat);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 4);
    const axes = imageAxes(this.dataFormat);
    const out = [...shape];
    [axes.rows, axes.cols].forEach((axis, i) => {
      const length = convOutputLength(shape[axis], this.poolSize[i], this.padding, this.strides[i]);
      if (length !== null && length < 1) {
        throw layerError(this, 'input', `expected images of at least ${this.poolSize[i]} on axis ${axis} ` +
          `(the pool size, padding 'valid') but received ${describeShape(shape)}`);
      }
      out[axis] = length;
    });
    return out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    this.computeOutputShape(x.shape);
    return K.pool2d(x, this.poolSize, this.strides, this.padding, this.dataFormat, this.mode);
  }

  getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding,
      dataFormat: this.dataFormat,
    };
  }
}

/** The maximum of each window. */
export class MaxPooling2D extends Pooling2D {
  static className = 'MaxPooling2D';
  protected readonly mode = 'max';

  constructor(args: Pooling2DArgs = {}) {
    super('MaxPooling2D', args);
  }
}

/** The mean of each window (padded cells are not counted). */
export class AveragePooling2D extends Pooling2D {
  static className = 'AveragePooling2D';
  protected readonly mode = 'avg';

  constructor(args: Pooling2DArgs = {}) {
    super('AveragePooling2D', args);
  }
}

/** Options of the global pooling layers. */
export interface GlobalPooling2DArgs extends LayerArgs {
  /** The image layout (default channelsLast). */
  dataFormat?: DataFormat;
  /** Keep the pooled rows and cols as axes of size 1, as Keras (default false). */
  keepdims?: boolean;
}

/**
 * The base of global pooling: (batch, rows, cols, channels) -> (batch, channels), or with `keepdims`
 * (batch, 1, 1, channels) (channelsFirst: (batch, channels, 1, 1)).
 */
abstract class GlobalPooling2D extends Layer {
  static optionNames = ownOptionNames<GlobalPooling2DArgs, LayerArgs>()('dataFormat', 'keepdims');
  /** The image layout. */
  readonly dataFormat: DataFormat;
  /** Whether the pooled axes stay, with size 1. */
  readonly keepdims: boolean;

  constructor(owner: string, args: GlobalPooling2DArgs) {
    super(checkLayerArgs(owner, args));
    this.dataFormat = checkDataFormat(owner, args.dataFormat);
    this.keepdims = args.keepdims === undefined ? false : checkBoolean(owner, 'keepdims', args.keepdims);
  }

  /** Reduces over the spatial axes. */
  protected abstract reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor;

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 4);
    const { rows, cols, channels } = imageAxes(this.dataFormat);
    if (this.keepdims) return shape.map((d, i) => (i === rows || i === cols ? 1 : d));
    return [shape[0], shape[channels]];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    checkInputRank(this, x.shape, 4);
    const axes = imageAxes(this.dataFormat);
    return this.reduce(x, [axes.rows, axes.cols], this.keepdims);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/** The mean over rows and cols, per channel. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalAveragePooling2D', args);
  }

  protected reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor {
    return K.mean(x, axes, keepdims);
  }
}

/** The maximum over rows and cols, per channel. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalMaxPooling2D', args);
  }

  protected reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor {
    return K.max(x, axes, keepdims);
  }
}
