/** The VIN value-iteration loop as one native call, fused or composed of libtorch ops. */
import type { NativeHandle } from '../native';
import { native, handleOf, wrap } from './operands';
import { Tensor } from './tensor';
import { checkInt, checkOption, checkSameDevice, fail } from './validate';

/**
 * How value iteration runs. `fused`: one native pass over all k steps per map (CPU: vectorized,
 * parallel over the batch; CUDA: one kernel for the forward and one for the backward), with its own
 * backward that saves only the argmax channels and the value maps. It applies to float32/float64
 * maps with 3x3 kernels; anything else runs `generic`. `generic`: k libtorch convolutions and maxes,
 * the reference the fused kernel is tested against.
 */
export type ValueIterationImplementation = 'fused' | 'generic';

export const VALUE_ITERATION_IMPLEMENTATIONS: readonly ValueIterationImplementation[] = ['fused', 'generic'];

/**
 * Runs k steps of value iteration on reward maps `r` (batch, 1, rows, cols): q = conv(r, wR), then
 * k times v = max over q's channels, q = conv([r, v], [wR, wV]). Kernels have Keras's layout
 * (rows, cols, 1, channels). Returns the final q (batch, channels, rows, cols) and the value map
 * v = max over the final q's channels (batch, 1, rows, cols).
 */
export function valueIteration(r: Tensor, wR: Tensor, wV: Tensor, k: number,
  implementation: ValueIterationImplementation = 'fused'): { q: Tensor; v: Tensor } {
  const [q, v] = runValueIteration('valueIteration', r, wR, wV, k, implementation, true).map(wrap);
  return { q, v };
}

/**
 * {@link valueIteration}'s final q alone, what a model's loss depends on: the value map is not
 * made (the generic path saves one max over channels, and no handle is made to be freed).
 */
export function valueIterationQ(r: Tensor, wR: Tensor, wV: Tensor, k: number,
  implementation: ValueIterationImplementation = 'fused'): Tensor {
  return wrap(runValueIteration('valueIterationQ', r, wR, wV, k, implementation, false)[0]);
}

function runValueIteration(fn: string, r: Tensor, wR: Tensor, wV: Tensor, k: number,
  implementation: ValueIterationImplementation, withValue: boolean): NativeHandle[] {
  const h = handleOf(fn, r, 'r');
  const a = handleOf(fn, wR, 'wR');
  const b = handleOf(fn, wV, 'wV');
  checkInt(fn, 'k', k, 1);
  checkOption(fn, 'implementation', implementation, VALUE_ITERATION_IMPLEMENTATIONS);
  // An empty map would reach libtorch's convolution, whose message speaks of its padded input instead.
  if (r.rank !== 4 || r.shapeRef[1] !== 1 || r.shapeRef[2] < 1 || r.shapeRef[3] < 1) {
    fail(fn, 'a reward map of shape (batch, 1, rows, cols) with rows and cols >= 1', 'r', r, 'ERR_SHAPE');
  }
  return native.valueIteration(h, a, b, k, implementation === 'fused', withValue);
}

/**
 * Whether `valueIteration(r, wR, wV, k, 'fused')` runs the fused kernels for these inputs (float32
 * or float64 alike, 3x3 kernels with at most 255 channels, one device: the CPU, or CUDA in a CUDA
 * build when a map fits a block's shared memory); otherwise it runs the generic path.
 */
export function fusedApplies(r: Tensor, wR: Tensor, wV: Tensor): boolean {
  const fn = 'fusedApplies';
  return native.fusedValueIterationApplies(handleOf(fn, r, 'r'), handleOf(fn, wR, 'wR'), handleOf(fn, wV, 'wV'));
}

/**
 * The q vectors at agents' cells: from q maps (batch, channels, rows, cols) and integer cells
 * (batch, 2) or (batch, S, 2) of (row, col), q[b, :, row, col] as (batch, channels) or
 * (batch, S, channels). One native gather, whose gradient reaches only the picked cells. A cell off
 * the map throws ERR_VALUE (in a recorded forward, the replay fails instead: it cannot read values).
 */
export function qAtCells(q: Tensor, cells: Tensor): Tensor {
  const fn = 'qAtCells';
  const qHandle = handleOf(fn, q, 'q');
  const cellsHandle = handleOf(fn, cells, 'cells');
  if (q.rank !== 4) fail(fn, 'q maps of shape (batch, channels, rows, cols)', 'q', q, 'ERR_SHAPE');
  const shape = cells.shapeRef;
  if ((shape.length !== 2 && shape.length !== 3) || shape[shape.length - 1] !== 2 || shape[0] !== q.shapeRef[0]) {
    fail(fn, `cells of shape (${q.shapeRef[0]}, 2) or (${q.shapeRef[0]}, S, 2)`, 'cells', cells, 'ERR_SHAPE');
  }
  checkSameDevice(fn, q, cells, 'q', 'cells');
  return wrap(native.qAtCells(qHandle, cellsHandle));
}
