/** Products: Keras's `dot` and `batchDot`. */
import { native, handleOf, wrap } from './operands';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { checkSameDevice, fail, normalizeAxis } from './validate';

/**
 * Keras's dot: a matrix product for rank 2; for higher ranks, the last axis of x with the
 * second-to-last axis of y, giving x.shape[:-1] + y.shape[:-2] + y.shape[-1:].
 */
export function dot(x: Tensor, y: Tensor): Tensor {
  const fn = 'dot';
  const a = handleOf(fn, x, 'x');
  const b = handleOf(fn, y, 'y');
  const xs = x.shapeRef;
  const ys = y.shapeRef;
  if (xs.length === 0 || ys.length === 0) fail(fn, 'tensors of rank >= 1', 'x, y', [x.describe(), y.describe()], 'ERR_SHAPE');
  if (x.dtype !== y.dtype) fail(fn, `y of x's dtype (x is ${x.describe()})`, 'y', y, 'ERR_DTYPE');
  checkSameDevice(fn, x, y);
  const yAxis = ys.length >= 2 ? ys.length - 2 : 0;
  if (xs[xs.length - 1] !== ys[yAxis]) {
    fail(fn, `y with ${xs[xs.length - 1]} on axis ${yAxis} (x is ${x.describe()})`, 'y', y, 'ERR_SHAPE');
  }
  if (xs.length <= 2 && ys.length <= 2) return wrap(native.binary.matmul(a, b));
  return wrap(native.tensordot(a, b, [xs.length - 1], [yAxis]));
}

/**
 * Keras's batch_dot: for each sample of the batch (axis 0), the dot product over `axes`
 * (one number for both tensors, or [axisX, axisY]; default [x.rank-1, y.rank-2], or [x.rank-1, 1]
 * when y has rank 2, as Keras 2.3).
 * Output shape: (batch,) + x's other axes + y's other axes; (batch, 1) when both are rank 2.
 */
export function batchDot(x: Tensor, y: Tensor, axes?: number | [number, number]): Tensor {
  const fn = 'batchDot';
  handleOf(fn, x, 'x');
  handleOf(fn, y, 'y');
  const xs = x.shapeRef;
  const ys = y.shapeRef;
  if (xs.length < 2 || ys.length < 2) fail(fn, 'tensors of rank >= 2', 'x, y', [x.describe(), y.describe()], 'ERR_SHAPE');
  if (xs[0] !== ys[0]) fail(fn, `the same batch size as x (${xs[0]})`, 'y', y, 'ERR_SHAPE');
  if (x.dtype !== y.dtype) fail(fn, `y of x's dtype (x is ${x.describe()})`, 'y', y, 'ERR_DTYPE');
  checkSameDevice(fn, x, y);
  const pair = axes === undefined || axes === null ? [xs.length - 1, ys.length === 2 ? 1 : ys.length - 2]
    : typeof axes === 'number' ? [axes, axes] : axes;
  if (!Array.isArray(pair) || pair.length !== 2) fail(fn, 'a number or a pair of axes', 'axes', axes);
  const ax = normalizeAxis(fn, pair[0], xs.length, 'axes[0]');
  const ay = normalizeAxis(fn, pair[1], ys.length, 'axes[1]');
  if (ax === 0 || ay === 0) fail(fn, 'axes other than the batch axis 0', 'axes', axes, 'ERR_VALUE');
  if (xs[ax] !== ys[ay]) {
    fail(fn, `axes of equal size (x is ${x.describe()}, y is ${y.describe()})`, 'axes', [ax, ay], 'ERR_SHAPE');
  }
  const xRest = xs.filter((_, i) => i !== 0 && i !== ax);
  const yRest = ys.filter((_, i) => i !== 0 && i !== ay);
  const batch = xs[0];
  const depth = xs[ax];
  return tidy(() => {
    // (batch, X, depth) @ (batch, depth, Y) -> (batch, X, Y)
    const xPerm = [0, ...xRest.map((_, i) => (i + 1 < ax ? i + 1 : i + 2)), ax];
    const yPerm = [0, ay, ...yRest.map((_, i) => (i + 1 < ay ? i + 1 : i + 2))];
    const xm = wrap(native.reshape(wrap(native.permute(x.handle, xPerm)).handle, [batch, -1, depth]));
    const ym = wrap(native.reshape(wrap(native.permute(y.handle, yPerm)).handle, [batch, depth, -1]));
    const product = wrap(native.binary.matmul(xm.handle, ym.handle)).handle;
    const shape = xs.length === 2 && ys.length === 2 ? [batch, 1] : [batch, ...xRest, ...yRest];
    return wrap(native.reshape(product, shape));
  });
}
