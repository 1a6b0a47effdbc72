/** The VIN value-iteration loop as one native call (libtorch ops composed in C++, autograd through). */
import { native, handleOf, wrap } from './operands';
import { Tensor } from './tensor';
import { checkInt, fail } from './validate';

/**
 * Runs k steps of value iteration on reward maps `r` (batch, 1, rows, cols): q = conv(r, wR), then
 * k times v = max over q's channels, q = conv([r, v], [wR, wV]). Kernels have Keras's layout
 * (rows, cols, 1, channels). Returns the final q (batch, channels, rows, cols) and the value map
 * v = max over the final q's channels (batch, 1, rows, cols).
 */
export function valueIteration(r: Tensor, wR: Tensor, wV: Tensor, k: number): { q: Tensor; v: Tensor } {
  const fn = 'valueIteration';
  const h = handleOf(fn, r, 'r');
  const a = handleOf(fn, wR, 'wR');
  const b = handleOf(fn, wV, 'wV');
  checkInt(fn, 'k', k, 1);
  if (r.rank !== 4 || r.shapeRef[1] !== 1) fail(fn, 'a reward map of shape (batch, 1, rows, cols)', 'r', r, 'ERR_SHAPE');
  const [q, v] = native.valueIteration(h, a, b, k).map(wrap);
  return { q, v };
}
