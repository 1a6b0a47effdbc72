/** Small generated data sets for training tests (deterministic: a fixed-seed LCG, not Math.random). */

/** A tiny deterministic generator of floats in [0, 1). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** XOR-like points: x in [-1, 1]², label 1 when both coordinates have the same sign. */
export function xorData(n: number, seed = 1): { x: number[][]; y: number[][] } {
  const rand = lcg(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    x.push([a, b]);
    y.push([a * b > 0 ? 1 : 0]);
  }
  return { x, y };
}

/**
 * size x size single-channel images (channelsLast) of dim noise with one bright pixel; the label is
 * the quadrant holding it (0: top-left, 1: top-right, 2: bottom-left, 3: bottom-right).
 */
export function quadrantImages(n: number, size = 8, seed = 2): { x: number[][][][]; y: number[] } {
  const rand = lcg(seed);
  const x: number[][][][] = [];
  const y: number[] = [];
  const half = size / 2;
  for (let i = 0; i < n; i++) {
    const image = Array.from({ length: size }, () => Array.from({ length: size }, () => [rand() * 0.1]));
    const r = Math.floor(rand() * size);
    const c = Math.floor(rand() * size);
    image[r][c][0] = 1;
    x.push(image);
    y.push((r < half ? 0 : 2) + (c < half ? 0 : 1));
  }
  return { x, y };
}
