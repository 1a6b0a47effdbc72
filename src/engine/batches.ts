/**
 * Splitting arrays of samples into batches: contiguous row blocks (K.slice), reordering rows
 * (K.gather), and the shuffling permutation, drawn from keratorch's seeded generator so that
 * `setSeed(n)` makes a run repeat exactly.
 */
import { K, Tensor, tensor, tidy } from '../backend';

/** Rows [start, start + size) of each tensor (views, no copy). */
export function sliceRows(tensors: Tensor[], start: number, size: number): Tensor[] {
  return tensors.map((t) => {
    if (start === 0 && size === t.shapeRef[0]) return t;
    return K.slice(t, [start, ...t.shapeRef.slice(1).map(() => 0)], [size, ...t.shapeRef.slice(1).map(() => -1)]);
  });
}

/** The rows of each tensor in the order of `indices` (copies). */
export function gatherRows(tensors: Tensor[], indices: number[]): Tensor[] {
  return tidy(() => {
    const index = tensor(indices, [indices.length], 'int64', tensors[0]?.device);
    return tensors.map((t) => K.gather(t, index));
  });
}

/**
 * A random order of 0..n-1. The keys come from `K.randomUniform` (float64, so ties are
 * negligible; a tie keeps index order), so the global seed decides the order.
 */
export function permutation(n: number): number[] {
  if (n <= 1) return n === 1 ? [0] : [];
  const draw = K.randomUniform([n], 0, 1, 'float64');
  let keys: Float64Array;
  try {
    keys = draw.data<'float64'>();
  } finally {
    draw.dispose();
  }
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
}

/** [start, size] of each batch of `batchSize` rows over `n` samples (the last may be smaller). */
export function batchRanges(n: number, batchSize: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) ranges.push([start, Math.min(batchSize, n - start)]);
  return ranges;
}
