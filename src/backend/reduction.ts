/** Reductions over axes (TensorFlow-backend semantics: axis may be a number, a list, or null for all). */
import { native, handleOf, tensorArg, wrap } from './operands';
import type { ReduceOp } from '../native';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { normalizeAxes, normalizeAxis } from './validate';

/** Axis argument of reductions: one axis, several (an empty list: none), or null / undefined for all. */
export type Axis = number | number[] | null | undefined;

// Sums and products keep an integer input's dtype, as TensorFlow does (done natively).
function reduce(op: ReduceOp, x: Tensor, axis: Axis, keepdims: boolean): Tensor {
  const h = handleOf(op, x);
  const axes = normalizeAxes(op, axis, x.rank);
  if (axes !== null && axes.length === 0) {
    // An empty list reduces no axis, as in numpy and TensorFlow (libtorch would reduce them all):
    // each value is reduced alone, over a new axis of size 1, so the dtype is the reduction's own.
    return tidy(() => wrap(native.reduce[op](wrap(native.expandDims(h, x.rank)).handle, [x.rank], false)));
  }
  return wrap(native.reduce[op](h, axes, Boolean(keepdims)));
}

/** Sum over axes. */
export const sum = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('sum', x, axis, keepdims);
/**
 * Mean over axes. Integer inputs give float32, as keras.ops.mean does (Keras 2's backend mean kept the
 * integer dtype and truncated: the mean of int32 [1, 2] was 1, here it is 1.5).
 */
export const mean = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('mean', x, axis, keepdims);
/** Maximum over axes. */
export const max = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('max', x, axis, keepdims);
/** Minimum over axes. */
export const min = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('min', x, axis, keepdims);
/** Product over axes. */
export const prod = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('prod', x, axis, keepdims);
/** Population standard deviation over axes. */
export const std = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('std', x, axis, keepdims);
/** Population variance over axes. */
export const variance = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('var', x, axis, keepdims);
/** True where any value along the axes is non-zero (bool). */
export const any = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('any', x, axis, keepdims);
/** True where every value along the axes is non-zero (bool). */
export const all = (x: Tensor, axis: Axis = null, keepdims = false): Tensor => reduce('all', x, axis, keepdims);
/** log(sum(exp(x))) over axes, computed stably. */
export const logsumexp = (x: Tensor, axis: Axis = null, keepdims = false): Tensor =>
  reduce('logsumexp', x, axis, keepdims);

function argReduce(op: string, x: Tensor, axis: number, keepdims = false): Tensor {
  const h = handleOf(op, x);
  return wrap(native.argReduce(op, h, normalizeAxis(op, axis, tensorArg(op, x).rank), keepdims));
}

/** Index of the maximum along an axis (int64); NaN is skipped, as in TensorFlow (a row of NaN gives 0). */
export const argmax = (x: Tensor, axis = -1, keepdims = false): Tensor => argReduce('argmax', x, axis, keepdims);
/** Index of the minimum along an axis (int64); NaN is skipped, as in TensorFlow (a row of NaN gives 0). */
export const argmin = (x: Tensor, axis = -1, keepdims = false): Tensor => argReduce('argmin', x, axis, keepdims);

/** Cumulative sum along an axis. */
export function cumsum(x: Tensor, axis = 0): Tensor {
  const h = handleOf('cumsum', x);
  return wrap(native.cumulative('cumsum', h, normalizeAxis('cumsum', axis, x.rank)));
}

/** Cumulative product along an axis. */
export function cumprod(x: Tensor, axis = 0): Tensor {
  const h = handleOf('cumprod', x);
  return wrap(native.cumulative('cumprod', h, normalizeAxis('cumprod', axis, x.rank)));
}
