/** Shape and indexing: reshape, permute, concatenate, tile, slice, gather, one-hot, padding. */
import { native, handleOf, tensorArg, tensorList, wrap } from './operands';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { checkInt, checkIntList, fail, normalizeAxis } from './validate';
import { tensor as makeTensor } from './creation';
import { greaterEqual, less, logicalAnd, multiply, where } from './math';

/** Keras image layouts. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** Reshapes to `shape` (one entry may be -1). */
export function reshape(x: Tensor, shape: number[]): Tensor {
  const fn = 'reshape';
  const h = handleOf(fn, x);
  checkIntList(fn, 'shape', shape, -1);
  const known = shape.filter((d) => d !== -1);
  const count = known.reduce((a, b) => a * b, 1);
  const size = x.size;
  if (shape.filter((d) => d === -1).length > 1 ||
      (shape.includes(-1) ? count === 0 || size % count !== 0 : count !== size)) {
    fail(fn, `a shape with ${size} elements (from ${x.describe()})`, 'shape', shape, 'ERR_SHAPE');
  }
  return wrap(native.reshape(h, shape));
}

/** Reorders axes: `pattern[i]` is the input axis that becomes axis i. */
export function permuteDimensions(x: Tensor, pattern: number[]): Tensor {
  const fn = 'permuteDimensions';
  const h = handleOf(fn, x);
  const rank = x.rank;
  const axes = checkIntList(fn, 'pattern', pattern).map((a) => normalizeAxis(fn, a, rank, 'pattern'));
  if (axes.length !== rank || new Set(axes).size !== rank) {
    fail(fn, `a permutation of ${rank} axes (x is ${x.describe()})`, 'pattern', pattern, 'ERR_SHAPE');
  }
  return wrap(native.permute(h, axes));
}

/** Reverses all axes (a matrix transpose for rank 2). */
export function transpose(x: Tensor): Tensor {
  const rank = tensorArg('transpose', x).rank;
  return wrap(native.permute(x.handle, Array.from({ length: rank }, (_, i) => rank - 1 - i)));
}

/** Adds an axis of size 1 at `axis`. */
export function expandDims(x: Tensor, axis = -1): Tensor {
  const h = handleOf('expandDims', x);
  return wrap(native.expandDims(h, normalizeAxis('expandDims', axis, x.rank + 1)));
}

/** Removes the axis `axis`, which must have size 1. */
export function squeeze(x: Tensor, axis: number): Tensor {
  const fn = 'squeeze';
  const h = handleOf(fn, x);
  const a = normalizeAxis(fn, axis, x.rank);
  if (x.shapeRef[a] !== 1) fail(fn, `an axis of size 1 (x is ${x.describe()})`, 'axis', axis, 'ERR_SHAPE');
  return wrap(native.squeeze(h, a));
}

/** Flattens to one axis. */
export function flatten(x: Tensor): Tensor {
  return wrap(native.reshape(handleOf('flatten', x), [-1]));
}

/** Flattens every axis but the first: (batch, ...) -> (batch, n). */
export function batchFlatten(x: Tensor): Tensor {
  const h = handleOf('batchFlatten', x);
  if (x.rank < 1) fail('batchFlatten', 'a tensor of rank >= 1', 'x', x, 'ERR_SHAPE');
  const rest = x.shapeRef.slice(1).reduce((a, b) => a * b, 1);
  return wrap(native.reshape(h, [x.shapeRef[0], rest]));
}

function checkSameRest(fn: string, tensors: Tensor[], axis: number, includeAxis: boolean): void {
  const first = tensors[0].shapeRef;
  tensors.forEach((t, i) => {
    const s = t.shapeRef;
    const fits = s.length === first.length && s.every((d, j) => (j === axis && !includeAxis) || d === first[j]);
    if (!fits) {
      fail(fn, `shapes that match [${first}]${includeAxis ? '' : ` except on axis ${axis}`}`,
        `tensors[${i}]`, t, 'ERR_SHAPE');
    }
  });
}

/** Joins tensors along an existing axis. */
export function concatenate(tensors: Tensor[], axis = -1): Tensor {
  const fn = 'concatenate';
  const list = tensorList(fn, tensors);
  const a = normalizeAxis(fn, axis, list[0].rank);
  checkSameRest(fn, list, a, false);
  return wrap(native.concatenate(list.map((t) => t.handle), a));
}

/** Joins tensors of one shape along a new axis. */
export function stack(tensors: Tensor[], axis = 0): Tensor {
  const fn = 'stack';
  const list = tensorList(fn, tensors);
  const a = normalizeAxis(fn, axis, list[0].rank + 1);
  checkSameRest(fn, list, -1, true);
  return wrap(native.stack(list.map((t) => t.handle), a));
}

/** Repeats the whole tensor `n` times along each axis (a number tiles the last axis). */
export function tile(x: Tensor, n: number | number[]): Tensor {
  const fn = 'tile';
  const h = handleOf(fn, x);
  const reps = checkIntList(fn, 'n', typeof n === 'number' ? [n] : n, 0);
  if (reps.length > x.rank) fail(fn, `at most ${x.rank} repetition counts (x is ${x.describe()})`, 'n', n, 'ERR_SHAPE');
  return wrap(native.tile(h, [...Array(x.rank - reps.length).fill(1), ...reps]));
}

/** Repeats each element `rep` times along `axis` (numpy's repeat). */
export function repeatElements(x: Tensor, rep: number, axis: number): Tensor {
  const fn = 'repeatElements';
  const h = handleOf(fn, x);
  return wrap(native.repeatElements(h, checkInt(fn, 'rep', rep, 0), normalizeAxis(fn, axis, x.rank)));
}

/** Repeats a 2-D (samples, dim) tensor n times: (samples, n, dim). */
export function repeat(x: Tensor, n: number): Tensor {
  const fn = 'repeat';
  const h = handleOf(fn, x);
  if (x.rank !== 2) fail(fn, 'a rank-2 tensor', 'x', x, 'ERR_SHAPE');
  checkInt(fn, 'n', n, 0);
  return tidy(() => wrap(native.tile(wrap(native.expandDims(h, 1)).handle, [1, n, 1])));
}

/** Reverses the order of elements along the given axes. */
export function reverse(x: Tensor, axes: number | number[]): Tensor {
  const fn = 'reverse';
  const h = handleOf(fn, x);
  const list = (typeof axes === 'number' ? [axes] : checkIntList(fn, 'axes', axes)).map((a) => normalizeAxis(fn, a, x.rank, 'axes'));
  return wrap(native.reverse(h, list));
}

/** The block starting at `start` with extent `size` on each axis (-1: to the end). */
export function slice(x: Tensor, start: number[], size: number[]): Tensor {
  const fn = 'slice';
  const h = handleOf(fn, x);
  const shape = x.shapeRef;
  checkIntList(fn, 'start', start, 0);
  checkIntList(fn, 'size', size, -1);
  if (start.length !== shape.length || size.length !== shape.length) {
    fail(fn, `${shape.length} start and size values (x is ${x.describe()})`, 'start/size', [start, size], 'ERR_SHAPE');
  }
  start.forEach((s, i) => {
    const extent = size[i] === -1 ? shape[i] - s : size[i];
    if (s > shape[i] || s + extent > shape[i]) {
      fail(fn, `a block inside ${x.describe()}`, 'start/size', [start, size], 'ERR_VALUE');
    }
  });
  return wrap(native.slice(h, start, size));
}

/** Rows of `reference` (along axis 0) picked by `indices` of any rank. */
export function gather(reference: Tensor, indices: Tensor | number | number[]): Tensor {
  const fn = 'gather';
  const h = handleOf(fn, reference, 'reference');
  if (reference.rank < 1) fail(fn, 'a tensor of rank >= 1', 'reference', reference, 'ERR_SHAPE');
  return tidy(() => {
    const idx = indices instanceof Tensor ? tensorArg(fn, indices, 'indices')
      : makeTensor(checkIndexValues(fn, indices), undefined, 'int64', reference.device);
    checkIndices(fn, idx, reference.shapeRef[0], 'indices');
    return wrap(native.gather(h, idx.handle, 0));
  });
}

function checkIndexValues(fn: string, indices: unknown): number | number[] {
  if (typeof indices === 'number') return checkInt(fn, 'indices', indices);
  return checkIntList(fn, 'indices', indices);
}

function checkIntegerIndices(fn: string, idx: Tensor, name: string): void {
  if (idx.dtype !== 'int32' && idx.dtype !== 'int64' && idx.dtype !== 'uint8') {
    fail(fn, 'an integer tensor', name, idx, 'ERR_DTYPE');
  }
}

/**
 * The smallest and largest value of an integer tensor, read in one native call; null when it is
 * empty, or while a forward is recorded for async use (values read then could not guard the replays).
 */
export function indexBounds(indices: Tensor): [number, number] | null {
  const fn = 'indexBounds';
  const h = handleOf(fn, indices, 'indices');
  checkIntegerIndices(fn, indices, 'indices');
  return native.indexBounds(h);
}

/** Checks integer dtype and range [0, bound) of an index tensor. */
export function checkIndices(fn: string, idx: Tensor, bound: number, name: string): void {
  checkIntegerIndices(fn, idx, name);
  // While a forward is recorded, the bounds are null: libtorch's own index checks guard every replay.
  const bounds = native.indexBounds(idx.handle);
  if (bounds && (bounds[0] < 0 || bounds[1] >= bound)) {
    fail(fn, `indices in [0, ${bound})`, name, `values from ${bounds[0]} to ${bounds[1]}`, 'ERR_VALUE');
  }
}

/**
 * One-hot encodes integer `indices` into a new last axis of size `numClasses` (float32). An index
 * outside [0, numClasses), negative ones too, gives a row of zeros, as in Keras (tf.one_hot).
 */
export function oneHot(indices: Tensor, numClasses: number): Tensor {
  const fn = 'oneHot';
  const h = handleOf(fn, indices, 'indices');
  checkInt(fn, 'numClasses', numClasses, 1);
  checkIntegerIndices(fn, indices, 'indices');
  // Null bounds: empty, or recorded for replays whose values are not known yet (masked, to be safe).
  const bounds = native.indexBounds(h);
  const empty = indices.shapeRef.includes(0);
  if (empty || (bounds !== null && bounds[0] >= 0 && bounds[1] < numClasses)) return wrap(native.oneHot(h, numClasses));
  return tidy(() => {
    const inRange = logicalAnd(greaterEqual(indices, 0), less(indices, numClasses));
    const encoded = wrap(native.oneHot(where(inRange, indices, 0).handle, numClasses));
    return multiply(encoded, wrap(native.cast(expandDims(inRange, -1).handle, 'float32')));
  });
}

/** Zero-pads the two spatial axes of a 4-D tensor: padding = [[top, bottom], [left, right]]. */
export function spatial2dPadding(x: Tensor, padding: [[number, number], [number, number]] = [[1, 1], [1, 1]],
  dataFormat: DataFormat = 'channelsLast'): Tensor {
  const fn = 'spatial2dPadding';
  const h = handleOf(fn, x);
  if (x.rank !== 4) fail(fn, 'a rank-4 tensor', 'x', x, 'ERR_SHAPE');
  if (!Array.isArray(padding) || padding.length !== 2) fail(fn, '[[top, bottom], [left, right]]', 'padding', padding);
  const [[top, bottom], [left, right]] = padding.map((p) => checkIntList(fn, 'padding', p, 0));
  // libtorch pads from the last axis backwards: (last axis: before, after), (previous axis: ...).
  const pads = dataFormat === 'channelsFirst'
    ? [left, right, top, bottom]
    : [0, 0, left, right, top, bottom];
  return wrap(native.pad(h, pads, 0));
}

/** Zero-pads axis 1 of a 3-D tensor: padding = [before, after]. */
export function temporalPadding(x: Tensor, padding: [number, number] = [1, 1]): Tensor {
  const fn = 'temporalPadding';
  const h = handleOf(fn, x);
  if (x.rank !== 3) fail(fn, 'a rank-3 tensor', 'x', x, 'ERR_SHAPE');
  if (!Array.isArray(padding) || padding.length !== 2) fail(fn, '[before, after]', 'padding', padding);
  const [before, after] = checkIntList(fn, 'padding', padding, 0);
  return wrap(native.pad(h, [0, 0, before, after], 0));
}
