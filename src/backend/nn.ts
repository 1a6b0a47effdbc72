/** Activations, dropout, convolution, pooling and bias (TensorFlow-backend semantics). */
import { native, handleOf, tensorArg, wrap } from './operands';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { isFloatDType } from './dtypes';
import { checkInt, checkNumber, checkNumberFor, checkOption, checkPair, checkSameDevice, fail, normalizeAxes,
  normalizeAxis } from './validate';
import { add, clip, divide, maximum, multiply, subtract, sqrt } from './math';
import { Axis, sum } from './reduction';
import { DataFormat } from './shapes';

/** Padding modes of conv2d and pool2d. */
export type Padding = 'valid' | 'same';
const DATA_FORMATS = ['channelsLast', 'channelsFirst'] as const;

/** max(x, 0), with Keras's options: slope `alpha` below `threshold`, and a cap `maxValue`. */
export function relu(x: Tensor, alpha = 0, maxValue: number | null = null, threshold = 0): Tensor {
  const fn = 'relu';
  handleOf(fn, x);
  checkNumber(fn, 'alpha', alpha);
  checkNumber(fn, 'threshold', threshold);
  if (alpha === 0 && maxValue === null && threshold === 0) return wrap(native.unary.relu(x.handle));
  return tidy(() => {
    let y = threshold !== 0
      ? multiply(x, wrap(native.cast(wrap(native.binary.greater(x.handle, threshold)).handle, x.dtype)))
      : wrap(native.unary.relu(x.handle));
    if (maxValue !== null && maxValue !== undefined) y = clip(y, 0, checkNumberFor(fn, 'maxValue', maxValue, x.dtype));
    if (alpha !== 0) {
      const negative = wrap(native.unary.relu(wrap(native.binary.subtract(threshold, x.handle)).handle));
      y = subtract(y, multiply(negative, alpha));
    }
    return y;
  });
}

/** Exponential linear unit. */
export function elu(x: Tensor, alpha = 1): Tensor {
  const h = handleOf('elu', x);
  return wrap(native.elu(h, checkNumberFor('elu', 'alpha', alpha, x.dtype)));
}

/** Leaky ReLU with slope `alpha` below 0. */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  const h = handleOf('leakyRelu', x);
  return wrap(native.leakyRelu(h, checkNumberFor('leakyRelu', 'alpha', alpha, x.dtype)));
}

/** 1 / (1 + e^-x). */
export const sigmoid = (x: Tensor): Tensor => wrap(native.unary.sigmoid(handleOf('sigmoid', x)));
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => wrap(native.unary.tanh(handleOf('tanh', x)));
/** log(1 + e^x). */
export const softplus = (x: Tensor): Tensor => wrap(native.unary.softplus(handleOf('softplus', x)));
/** x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor => wrap(native.unary.softsign(handleOf('softsign', x)));

/** Softmax along `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  const h = handleOf('softmax', x);
  return wrap(native.softmax(h, normalizeAxis('softmax', axis, x.rank)));
}

/** Log of softmax along `axis`, computed stably. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const h = handleOf('logSoftmax', x);
  return wrap(native.logSoftmax(h, normalizeAxis('logSoftmax', axis, x.rank)));
}

/** Zeroes each value with probability `level` and scales the rest by 1 / (1 - level). */
export function dropout(x: Tensor, level: number, noiseShape: number[] | null = null, seed: number | null = null): Tensor {
  const fn = 'dropout';
  const h = handleOf(fn, x);
  if (checkNumber(fn, 'level', level) < 0 || level >= 1) fail(fn, 'a rate in [0, 1)', 'level', level, 'ERR_VALUE');
  if (noiseShape !== null && noiseShape !== undefined) {
    const fits = Array.isArray(noiseShape) && noiseShape.length === x.rank &&
      noiseShape.every((d, i) => d === 1 || d === x.shapeRef[i]);
    if (!fits) fail(fn, `a shape broadcastable to [${x.shapeRef}]`, 'noiseShape', noiseShape, 'ERR_SHAPE');
  }
  if (seed !== null && seed !== undefined) checkInt(fn, 'seed', seed, 0);
  return wrap(native.dropout(h, level, noiseShape ?? null, seed ?? null));
}

/** x / sqrt(max(sum(x², axis), 1e-12)); `axis` is one axis, a list of them, or null for all. */
export function l2Normalize(x: Tensor, axis: Axis = null): Tensor {
  handleOf('l2Normalize', x);
  return tidy(() => {
    const squares = sum(multiply(x, x), normalizeAxes('l2Normalize', axis, x.rank), true);
    return divide(x, sqrt(maximum(squares, 1e-12)));
  });
}

// Keras's image layout is resolved here only: libtorch works in NCHW.
function toNCHW(x: Tensor, dataFormat: DataFormat): Tensor {
  return dataFormat === 'channelsLast' ? wrap(native.permute(x.handle, [0, 3, 1, 2])) : x;
}

function fromNCHW(x: Tensor, dataFormat: DataFormat): Tensor {
  return dataFormat === 'channelsLast' ? wrap(native.permute(x.handle, [0, 2, 3, 1])) : x;
}

/** Per-side padding {top, bottom, left, right} that gives TensorFlow's 'same' or 'valid'. */
function paddingFor(padding: Padding, size: [number, number], kernel: [number, number],
  strides: [number, number], dilation: [number, number]): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const sides: number[] = [];
  for (let i = 0; i < 2; i++) {
    const out = Math.ceil(size[i] / strides[i]);
    const total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilation[i] + 1 - size[i], 0);
    sides.push(Math.floor(total / 2), total - Math.floor(total / 2));
  }
  return sides;
}

/**
 * 2-D convolution. `kernel` has Keras's shape (rows, cols, inChannels, outChannels) whatever the
 * data format; `x` is (batch, rows, cols, channels) for channelsLast, (batch, channels, rows, cols)
 * for channelsFirst. `bias` (outChannels), when given, is added inside the convolution (one pass
 * over the output fewer than `biasAdd` after it).
 */
export function conv2d(x: Tensor, kernel: Tensor, strides: number | [number, number] = [1, 1],
  padding: Padding = 'valid', dataFormat: DataFormat = 'channelsLast',
  dilationRate: number | [number, number] = [1, 1], bias: Tensor | null = null): Tensor {
  const fn = 'conv2d';
  handleOf(fn, x);
  handleOf(fn, kernel, 'kernel');
  const s = checkPair(fn, 'strides', strides);
  const d = checkPair(fn, 'dilationRate', dilationRate);
  checkOption(fn, 'padding', padding, ['valid', 'same'] as const);
  checkOption(fn, 'dataFormat', dataFormat, DATA_FORMATS);
  if (x.rank !== 4) fail(fn, 'a rank-4 input', 'x', x, 'ERR_SHAPE');
  if (kernel.rank !== 4) fail(fn, 'a rank-4 kernel (rows, cols, in, out)', 'kernel', kernel, 'ERR_SHAPE');
  checkSameDevice(fn, x, kernel, 'x', 'kernel');
  if (bias !== null) {
    handleOf(fn, bias, 'bias');
    if (bias.rank !== 1 || bias.shapeRef[0] !== kernel.shapeRef[3]) {
      fail(fn, `a bias of ${kernel.shapeRef[3]} values (one per output channel)`, 'bias', bias, 'ERR_SHAPE');
    }
    checkSameDevice(fn, x, bias, 'x', 'bias');
  }
  const shape = x.shapeRef;
  const [kh, kw, kin] = kernel.shapeRef;
  const channels = dataFormat === 'channelsLast' ? shape[3] : shape[1];
  if (kin !== channels) fail(fn, `a kernel with ${channels} input channels (x is ${x.describe()})`, 'kernel', kernel, 'ERR_SHAPE');
  const spatial: [number, number] = dataFormat === 'channelsLast' ? [shape[1], shape[2]] : [shape[2], shape[3]];
  const pads = paddingFor(padding, spatial, [kh, kw], s, d);
  const convolve = (nchw: Tensor) => wrap(native.conv2d(nchw.handle, kernel.handle, bias?.handle ?? null, s, pads, d));
  if (dataFormat === 'channelsFirst') return convolve(x);
  return tidy(() => fromNCHW(convolve(toNCHW(x, dataFormat)), dataFormat));
}

/** 2-D max or average pooling; padded cells are ignored, as in Keras. */
export function pool2d(x: Tensor, poolSize: number | [number, number], strides: number | [number, number] = [1, 1],
  padding: Padding = 'valid', dataFormat: DataFormat = 'channelsLast', poolMode: 'max' | 'avg' = 'max'): Tensor {
  const fn = 'pool2d';
  handleOf(fn, x);
  const p = checkPair(fn, 'poolSize', poolSize);
  const s = checkPair(fn, 'strides', strides);
  checkOption(fn, 'padding', padding, ['valid', 'same'] as const);
  checkOption(fn, 'dataFormat', dataFormat, DATA_FORMATS);
  checkOption(fn, 'poolMode', poolMode, ['max', 'avg'] as const);
  if (x.rank !== 4) fail(fn, 'a rank-4 input', 'x', x, 'ERR_SHAPE');
  const shape = x.shapeRef;
  const spatial: [number, number] = dataFormat === 'channelsLast' ? [shape[1], shape[2]] : [shape[2], shape[3]];
  if (padding === 'valid' && (spatial[0] < p[0] || spatial[1] < p[1])) {
    fail(fn, `a pool no larger than the input's ${spatial.join('x')}`, 'poolSize', poolSize, 'ERR_SHAPE');
  }
  const pads = paddingFor(padding, spatial, p, s, [1, 1]);
  return tidy(() => fromNCHW(wrap(native.pool2d(toNCHW(x, dataFormat).handle, poolMode, p, s, pads)), dataFormat));
}

/**
 * Adds a bias: rank 1 (one per channel), or rank x.rank - 1 (one per cell of a sample). As in Keras,
 * a full bias is always given channels last, (spatial..., channels): for channelsFirst it is
 * reshaped (not transposed) to (1, channels, spatial...), exactly as Keras's TensorFlow backend does.
 */
export function biasAdd(x: Tensor, bias: Tensor, dataFormat: DataFormat = 'channelsLast'): Tensor {
  const fn = 'biasAdd';
  handleOf(fn, x);
  handleOf(fn, bias, 'bias');
  checkOption(fn, 'dataFormat', dataFormat, DATA_FORMATS);
  const xs = x.shapeRef;
  const bs = bias.shapeRef;
  const channelAxis = dataFormat === 'channelsLast' ? xs.length - 1 : 1;
  if (bs.length === 1) {
    if (bs[0] !== xs[channelAxis]) fail(fn, `a bias of ${xs[channelAxis]} channels (x is ${x.describe()})`, 'bias', bias, 'ERR_SHAPE');
    if (dataFormat === 'channelsLast') return add(x, bias);
    return tidy(() => add(x, wrap(native.reshape(bias.handle, [1, bs[0], ...Array(xs.length - 2).fill(1)]))));
  }
  const full = dataFormat === 'channelsLast' || xs.length < 3 ? xs.slice(1) : [...xs.slice(2), xs[1]];
  if (bs.length !== full.length || bs.some((d, i) => d !== full[i])) {
    fail(fn, `a bias of shape [${xs[channelAxis]}] or [${full}]`, 'bias', bias, 'ERR_SHAPE');
  }
  if (dataFormat === 'channelsLast' || xs.length < 3) return add(x, bias);
  return tidy(() => add(x, wrap(native.reshape(bias.handle, [1, ...xs.slice(1)]))));
}

/** Checks that a loss's float inputs fit each other. */
export function checkFloat(fn: string, x: Tensor, name: string): void {
  if (!isFloatDType(tensorArg(fn, x, name).dtype)) fail(fn, 'a float tensor', name, x, 'ERR_DTYPE');
}
