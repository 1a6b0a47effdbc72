/**
 * Keras 3's activation functions (`keras.ops` and `keras.activations`), with the TensorFlow
 * backend's formulas, so that values and gradients match it also at the kinks (where each branch
 * starts, which side a tie takes). Those libtorch has as one kernel run natively.
 */
import { native, handleOf, wrap } from './operands';
import type { UnaryOp } from '../native';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { isFloatDType } from './dtypes';
import { checkNumber, checkNumberFor, fail, normalizeAxis } from './validate';
import { abs, add, clip, divide, greater, greaterEqual, less, lessEqual, multiply, square, subtract, where } from './math';
import { elu, sigmoid, tanh } from './nn';
import { slice } from './shapes';

function unary(fn: string, op: UnaryOp, x: Tensor): Tensor {
  return wrap(native.unary[op](handleOf(fn, x)));
}

function floatArg(fn: string, x: Tensor): Tensor {
  handleOf(fn, x);
  if (!isFloatDType(x.dtype)) fail(fn, 'a float tensor', 'x', x, 'ERR_DTYPE');
  return x;
}

/** min(max(x, 0), 6); the gradient is 0 at 0 and at 6, as TensorFlow's. */
export const relu6 = (x: Tensor): Tensor => unary('relu6', 'relu6', x);

/**
 * Gaussian error linear unit: x Φ(x), exact (erf) or, with `approximate`, the tanh form. Like
 * keras.ops.gelu, approximate defaults to true; the `gelu` activation by name (keras.activations.gelu)
 * is the exact one.
 */
export function gelu(x: Tensor, approximate = true): Tensor {
  if (typeof approximate !== 'boolean') fail('gelu', 'a boolean', 'approximate', approximate);
  return unary('gelu', approximate ? 'geluTanh' : 'gelu', floatArg('gelu', x));
}

/** x · sigmoid(x) (also called swish). */
export const silu = (x: Tensor): Tensor => unary('silu', 'silu', floatArg('silu', x));

/** x · tanh(softplus(x)) (keras.activations.mish). */
export const mish = (x: Tensor): Tensor => unary('mish', 'mish', floatArg('mish', x));

/** Scaled ELU with Klambauer et al.'s constants. At exactly 0 the gradient is the left one (scale · alpha). */
export const selu = (x: Tensor): Tensor => unary('selu', 'selu', floatArg('selu', x));

/** log(sigmoid(x)), computed stably. */
export const logSigmoid = (x: Tensor): Tensor => unary('logSigmoid', 'logSigmoid', floatArg('logSigmoid', x));

/** Keras 3's piecewise-linear sigmoid: relu6(x + 3) / 6 (Keras 2's was clip(0.2 x + 0.5, 0, 1)). */
export function hardSigmoid(x: Tensor): Tensor {
  handleOf('hardSigmoid', x);
  return tidy(() => divide(relu6(add(x, 3)), 6));
}

/** x · hardSigmoid(x) (also called hard swish). */
export function hardSilu(x: Tensor): Tensor {
  handleOf('hardSilu', x);
  return tidy(() => multiply(x, hardSigmoid(x)));
}

/** clip(x, -1, 1), with a gradient of 1 at both bounds, as TensorFlow's clip_by_value. */
export function hardTanh(x: Tensor): Tensor {
  handleOf('hardTanh', x);
  return clip(x, -1, 1);
}

/** x - tanh(x). */
export function tanhShrink(x: Tensor): Tensor {
  handleOf('tanhShrink', x);
  return tidy(() => subtract(x, tanh(x)));
}

/** 0 at or below -1, 1 at or above 1, (x + 1) / 2 between. */
export function sparseSigmoid(x: Tensor): Tensor {
  handleOf('sparseSigmoid', x);
  return tidy(() => where(lessEqual(x, -1), 0, where(greaterEqual(x, 1), 1, multiply(add(x, 1), 0.5))));
}

/** 0 at or below -1, (x + 1)² / 4 below 1, x from 1 on. */
export function sparsePlus(x: Tensor): Tensor {
  handleOf('sparsePlus', x);
  return tidy(() => where(lessEqual(x, -1), 0, where(less(x, 1), multiply(square(add(x, 1)), 0.25), x)));
}

/** (x + sqrt(x² + b)) / 2; a negative b gives NaN where x² + b < 0, as in Keras. */
export function squareplus(x: Tensor, b = 4): Tensor {
  const fn = 'squareplus';
  floatArg(fn, x);
  checkNumberFor(fn, 'b', b, x.dtype);
  return tidy(() => divide(add(x, wrap(native.unary.sqrt(add(square(x), b).handle))), 2));
}

/** x - threshold above threshold, x + threshold below -threshold, 0 between. */
export function softShrink(x: Tensor, threshold = 0.5): Tensor {
  const fn = 'softShrink';
  handleOf(fn, x);
  const t = checkNumberFor(fn, 'threshold', threshold, x.dtype);
  return tidy(() => where(greater(x, t), subtract(x, t), where(less(x, -t), add(x, t), 0)));
}

/** x where |x| > threshold, else 0. */
export function hardShrink(x: Tensor, threshold = 0.5): Tensor {
  const fn = 'hardShrink';
  handleOf(fn, x);
  const t = checkNumberFor(fn, 'threshold', threshold, x.dtype);
  return tidy(() => where(greater(abs(x), t), x, 0));
}

/** x where x > threshold, else defaultValue (keras.ops.threshold: both are required). */
export function threshold(x: Tensor, thresholdValue: number, defaultValue: number): Tensor {
  const fn = 'threshold';
  handleOf(fn, x);
  const t = checkNumberFor(fn, 'threshold', thresholdValue, x.dtype);
  const value = checkNumberFor(fn, 'defaultValue', defaultValue, x.dtype);
  return tidy(() => where(greater(x, t), x, value));
}

/** Continuously differentiable ELU: max(x, 0) + alpha · (exp(min(x, 0) / alpha) - 1), as alpha · elu(x / alpha). */
export function celu(x: Tensor, alpha = 1): Tensor {
  const fn = 'celu';
  floatArg(fn, x);
  if (checkNumber(fn, 'alpha', alpha) === 0) fail(fn, 'a non-zero number', 'alpha', alpha, 'ERR_VALUE');
  if (alpha === 1) return elu(x, 1);
  return tidy(() => multiply(elu(divide(x, alpha), 1), alpha));
}

/** Gated linear unit: the first half of `axis` times the sigmoid of the second; the axis must be even. */
export function glu(x: Tensor, axis = -1): Tensor {
  const fn = 'glu';
  handleOf(fn, x);
  const dim = normalizeAxis(fn, axis, x.rank);
  const size = x.shapeRef[dim];
  if (size % 2 !== 0) fail(fn, `an even size along axis ${axis}`, 'x', x, 'ERR_SHAPE');
  const half = (index: number) => slice(x, x.shapeRef.map((_, i) => (i === dim ? index * size / 2 : 0)),
    x.shapeRef.map((d, i) => (i === dim ? size / 2 : d)));
  return tidy(() => multiply(half(0), sigmoid(half(1))));
}

/**
 * Sparsemax along `axis` (Martins & Astudillo, 2016): the Euclidean projection onto the simplex,
 * so each slice sums to 1 with exact zeros. Keras 3.15.1 computes a wrong threshold once two or more
 * values are in the support (keras-team/keras#23425); this is the corrected formula.
 */
export function sparsemax(x: Tensor, axis = -1): Tensor {
  const fn = 'sparsemax';
  floatArg(fn, x);
  return wrap(native.sparsemax(x.handle, normalizeAxis(fn, axis, x.rank)));
}
