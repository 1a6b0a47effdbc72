/** 2-D convolution (Conv2D) and zero padding (ZeroPadding2D) of images. */
import { DataFormat, DType, K, Padding, Tensor } from '../backend';
import { CallArgs, describeShape, FoldedCall, Layer, LayerArgs, layerError, ownOptionNames, Shape } from '../engine';
import { isLinearActivation } from './activations';
import { checkDataFormat, convOutputLength, imageAxes, PADDINGS } from './conv_utils';
import { checkAxisSize, checkInputRank, knownAxis, singleTensor } from './input_checks';
import { KernelLayer, KernelLayerArgs } from './kernel_layer';
import { checkChoice, checkInt, checkIntPair, checkLayerArgs, optionError } from './options';

/** Options of {@link Conv2D}. */
export interface Conv2DArgs extends KernelLayerArgs {
  /** The number of output channels. */
  filters: number;
  /** The window's (rows, cols), or one number for both. */
  kernelSize: number | [number, number];
  /** The step between windows (default 1). */
  strides?: number | [number, number];
  /** 'valid' (only whole windows, the default) or 'same' (pad so the output is ceil(input / stride)). */
  padding?: Padding;
  /** 'channelsLast' (batch, rows, cols, channels), the default, or 'channelsFirst' (batch, channels, rows, cols). */
  dataFormat?: DataFormat;
  /** The spacing of the kernel's taps (default 1); not together with strides > 1. */
  dilationRate?: number | [number, number];
  /**
   * Split the input channels and the filters into this many groups, each convolved on its own
   * (default 1; Keras's `groups`): input and filter counts must be multiples of it.
   */
  groups?: number;
}

/**
 * 2-D convolution of images with a (rows, cols, inChannels / groups, filters) kernel, plus a bias and
 * an activation.
 */
export class Conv2D extends KernelLayer {
  static className = 'Conv2D';
  static optionNames = ownOptionNames<Conv2DArgs, KernelLayerArgs>()('filters', 'kernelSize', 'strides', 'padding',
    'dataFormat', 'dilationRate', 'groups');
  /** The number of output channels. */
  readonly filters: number;
  /** The window size. */
  readonly kernelSize: [number, number];
  /** The step between windows. */
  readonly strides: [number, number];
  /** The padding mode. */
  readonly padding: Padding;
  /** The image layout. */
  readonly dataFormat: DataFormat;
  /** The spacing of kernel taps. */
  readonly dilationRate: [number, number];
  /** How many channel groups are convolved separately. */
  readonly groups: number;
  private inChannels?: number;

  constructor(args: Conv2DArgs) {
    super('Conv2D', checkLayerArgs('Conv2D', args));
    const owner = 'Conv2D';
    this.filters = checkInt(owner, 'filters', args.filters);
    this.kernelSize = checkIntPair(owner, 'kernelSize', args.kernelSize);
    this.strides = checkIntPair(owner, 'strides', args.strides ?? 1);
    this.padding = checkChoice(owner, 'padding', args.padding ?? 'valid', PADDINGS);
    this.dataFormat = checkDataFormat(owner, args.dataFormat);
    this.dilationRate = checkIntPair(owner, 'dilationRate', args.dilationRate ?? 1);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw optionError(owner, 'dilationRate 1 when strides > 1 (Keras does not combine them)', 'dilationRate',
        args.dilationRate);
    }
    this.groups = checkInt(owner, 'groups', args.groups ?? 1);
    if (this.filters % this.groups !== 0) {
      throw optionError(owner, `a divisor of filters (${this.filters})`, 'groups', this.groups);
    }
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = checkInputRank(this, inputShape, 4);
    const channelAxis = imageAxes(this.dataFormat).channels;
    const inChannels = knownAxis(this, shape, channelAxis, `the channels of ${this.dataFormat} images`);
    if (inChannels % this.groups !== 0) {
      throw layerError(this, 'input', `expected input channels that are a multiple of groups (${this.groups}) ` +
        `but received ${describeShape(shape)}`);
    }
    this.addKernelAndBias([...this.kernelSize, inChannels / this.groups, this.filters], this.filters);
    this.inChannels = inChannels;
    this.built = true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 4);
    const axes = imageAxes(this.dataFormat);
    if (this.inChannels !== undefined) {
      checkAxisSize(this, shape, axes.channels, this.inChannels, `the kernel has ${this.inChannels} input channels`);
    }
    const out = [...shape];
    [axes.rows, axes.cols].forEach((axis, i) => {
      const length = convOutputLength(shape[axis], this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]);
      if (length !== null && length < 1) {
        const dilated = (this.kernelSize[i] - 1) * this.dilationRate[i] + 1;
        throw layerError(this, 'input', `expected images of at least ${dilated} on axis ${axis} (the dilated kernel, ` +
          `padding 'valid') but received ${describeShape(shape)}`);
      }
      out[axis] = length;
    });
    out[axes.channels] = this.filters;
    return out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    this.computeOutputShape(x.shape);
    if (this.groups > 1) return K.tidy(() => this.activation(this.groupedConvolution(x)));
    return K.tidy(() => this.activation(K.conv2d(x, this.kernel as Tensor, this.strides, this.padding, this.dataFormat,
      this.dilationRate, this.bias ?? null)));
  }

  /** Each group's input channels convolved with its own filters, the results concatenated in group order. */
  private groupedConvolution(x: Tensor): Tensor {
    const channelAxis = imageAxes(this.dataFormat).channels;
    const kernel = this.kernel as Tensor;
    const inPerGroup = kernel.shapeRef[2];
    const outPerGroup = this.filters / this.groups;
    const block = (t: Tensor, axis: number, group: number, size: number) =>
      K.slice(t, t.shapeRef.map((_, i) => (i === axis ? group * size : 0)), t.shapeRef.map((_, i) => (i === axis ? size : -1)));
    const parts = Array.from({ length: this.groups }, (_, g) => K.conv2d(block(x, channelAxis, g, inPerGroup),
      block(kernel, 3, g, outPerGroup), this.strides, this.padding, this.dataFormat, this.dilationRate,
      this.bias ? block(this.bias, 0, g, outPerGroup) : null));
    return K.concatenate(parts, channelAxis);
  }

  /**
   * A 1x1 convolution (stride 1) reading a linear Conv2D with at least as many filters is one
   * convolution with the product kernel: y = W2 (W1 * x + b1) + b2 = (W2 W1) * x + (W2 b1 + b2).
   * Exact up to rounding; gradients reach both kernels through the product. The paper's VIN
   * reward (h: 2 -> 150 channels, r: 150 -> 1) then costs a 2 -> 1 convolution.
   */
  foldAfter(producer: Layer): FoldedCall | null {
    if (!(producer instanceof Conv2D) || !producer.kernel || !this.kernel || !isLinearActivation(producer.activation) ||
      producer.groups > 1 || this.groups > 1) return null;
    const pointwise = [...this.kernelSize, ...this.strides, ...this.dilationRate].every((n) => n === 1);
    if (!pointwise || producer.dataFormat !== this.dataFormat || producer.dtype !== this.dtype ||
      this.filters > producer.filters) return null;
    return (x) => {
      this.computeOutputShape(producer.computeOutputShape(x.shape));
      const first = producer.kernel as Tensor;
      const [rows, cols, channels, hidden] = first.shapeRef;
      return K.tidy(() => {
        const second = K.reshape(this.kernel as Tensor, [hidden, this.filters]);
        const kernel = K.reshape(K.dot(K.reshape(first, [rows * cols * channels, hidden]), second),
          [rows, cols, channels, this.filters]);
        const biases = [producer.bias ? K.reshape(K.dot(K.reshape(producer.bias, [1, hidden]), second), [this.filters]) : null,
          this.bias ?? null].filter((b): b is Tensor => b !== null);
        const bias = biases.length === 2 ? K.add(biases[0], biases[1]) : biases[0] ?? null;
        return this.activation(K.conv2d(x, kernel, producer.strides, producer.padding, this.dataFormat,
          producer.dilationRate, bias));
      });
    };
  }

  getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      groups: this.groups,
      ...this.kernelConfig(),
    };
  }
}

/** Options of {@link ZeroPadding2D}. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** One number for all four sides, [rows, cols] (each on both sides), or [[top, bottom], [left, right]] (default 1). */
  padding?: number | [number, number] | [[number, number], [number, number]];
  /** The image layout (default channelsLast). */
  dataFormat?: DataFormat;
}

/** Adds rows and columns of zeros around images. */
export class ZeroPadding2D extends Layer {
  static className = 'ZeroPadding2D';
  static optionNames = ownOptionNames<ZeroPadding2DArgs, LayerArgs>()('padding', 'dataFormat');
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];
  /** The image layout. */
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(checkLayerArgs('ZeroPadding2D', args));
    this.padding = normalizePadding(args.padding ?? 1);
    this.dataFormat = checkDataFormat('ZeroPadding2D', args.dataFormat);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 4);
    const axes = imageAxes(this.dataFormat);
    const out = [...shape];
    [axes.rows, axes.cols].forEach((axis, i) => {
      const length = shape[axis];
      out[axis] = length === null ? null : length + this.padding[i][0] + this.padding[i][1];
    });
    return out;
  }

  computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    checkInputRank(this, x.shape, 4);
    return K.spatial2dPadding(x, this.padding, this.dataFormat);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}

function normalizePadding(value: unknown): [[number, number], [number, number]] {
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (isCount(value)) return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    if (value.every(isCount)) return [[value[0], value[0]], [value[1], value[1]]];
    if (value.every((p) => Array.isArray(p) && p.length === 2 && p.every(isCount))) {
      return [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
    }
  }
  throw optionError('ZeroPadding2D', 'an integer >= 0, [rows, cols] or [[top, bottom], [left, right]]', 'padding', value);
}
