/** Hand-made gridworld data and VINs whose policy is known in advance, for planning and metric tests. */
import { K, Model, tensor, tidy } from '../../src';
import { ACTIONS, buildVin, checkDataset } from '../../src/vin';
import type { GridworldDataset, VinOptions } from '../../src/vin';

/** A cell as [row, col]. */
export type Cell = [number, number];

/** An n x n map (rows of 0/1) with a one-cell obstacle border (or none) and extra obstacle cells. */
export function gridMap(n: number, obstacles: Cell[] = [], border = true): number[][] {
  const map = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) =>
    (border && (r === 0 || c === 0 || r === n - 1 || c === n - 1) ? 1 : 0)));
  for (const [r, c] of obstacles) map[r][c] = 1;
  return map;
}

/** One domain of {@link handMadeDataset}: its map, goal, expert paths and labelled states. */
export interface HandMadeDomain {
  map: number[][];
  goal: Cell;
  paths: Cell[][];
  /** Labelled states: [row, col, action]. */
  samples: [number, number, number][];
}

/** A GridworldDataset of the given domains (checked with checkDataset). */
export function handMadeDataset(domains: HandMadeDomain[]): GridworldDataset {
  const n = domains[0].map.length;
  const cells = domains.flatMap((d) => d.paths.flat());
  const ds: GridworldDataset = {
    gridSize: n,
    numDomains: domains.length,
    obstacles: Uint8Array.from(domains.flatMap((d) => d.map.flat())),
    goals: Int32Array.from(domains.flatMap((d) => d.goal)),
    sampleDomain: Int32Array.from(domains.flatMap((d, i) => d.samples.map(() => i))),
    sampleState: Int32Array.from(domains.flatMap((d) => d.samples.flatMap(([r, c]) => [r, c]))),
    sampleLabel: Uint8Array.from(domains.flatMap((d) => d.samples.map(([, , a]) => a))),
    pathDomain: Int32Array.from(domains.flatMap((d, i) => d.paths.map(() => i))),
    pathOffsets: Int32Array.from([0, ...domains.flatMap((d) => d.paths.map((p) => p.length))]
      .map((_, i, lengths) => lengths.slice(0, i + 1).reduce((a, b) => a + b, 0))),
    pathCells: Int32Array.from(cells.flat()),
  };
  checkDataset(ds);
  return ds;
}

const SMALL: Omit<VinOptions, 'gridSize'> = { k: 2, lH: 4 };

/**
 * A small VIN whose logits kernel is zero: every logit is 0, so argmax takes the first of the tied
 * actions, 0 (N, one row up), in every cell of every map.
 */
export function zeroLogitsVin(gridSize = 8): Model {
  const model = buildVin({ gridSize, ...SMALL });
  tidy(() => model.getLayer('logits').setWeights([K.zeros([10, 8])]));
  return model;
}

/**
 * A small VIN that always chooses `action`, with exact, known maps: h is its bias (1 in channel 0),
 * so the reward map r is 1 everywhere; wR's centre tap (channel 0) is 1 and wV is 0, so q's
 * channel 0 is 1 and the others 0 after any number of steps, and the value map is 1 everywhere;
 * the logits kernel maps q's channel 0 to `action` alone.
 */
export function constantActionVin(action: number, gridSize = 8): Model {
  const model = buildVin({ gridSize, ...SMALL });
  const lH = SMALL.lH as number;
  tidy(() => {
    const hBias = new Float32Array(lH);
    hBias[0] = 1;
    model.getLayer('h').setWeights([K.zeros([3, 3, 2, lH]), tensor(hBias, [lH])]);
    const rKernel = new Float32Array(lH);
    rKernel[0] = 1;
    model.getLayer('r').setWeights([tensor(rKernel, [1, 1, lH, 1])]);
    const wR = new Float32Array(3 * 3 * 10);
    wR[(1 * 3 + 1) * 10] = 1; // [1, 1, 0, 0]
    model.getLayer('vi').setWeights([tensor(wR, [3, 3, 1, 10]), K.zeros([3, 3, 1, 10])]);
    const logits = new Float32Array(10 * 8);
    logits[action] = 1; // [0, action]
    model.getLayer('logits').setWeights([tensor(logits, [10, 8])]);
  });
  return model;
}

/**
 * A VIN that runs true value iteration, so its plans are shortest paths once k carries the goal's value
 * to the start: r = -1 a free cell, -100 an obstacle, +10 the goal (h's centre taps and bias); q channel a
 * = r + 0.9 v at the cell action a leads to (wR and wV read that neighbour); logits = q. Far from the
 * goal every free neighbour looks the same, the first of the tied actions (N, then S) wins, and the plan
 * goes back and forth. Its own k is `k`; the n x n map is walled off by `serpentineMap`.
 */
export function valueIterationVin(gridSize: number, k: number): Model {
  const model = buildVin({ gridSize, k, lH: 1, lQ: 8 });
  tidy(() => {
    const h = new Float32Array(3 * 3 * 2);
    h[(1 * 3 + 1) * 2] = -99; // the obstacle channel at the centre: -1 - 99
    h[(1 * 3 + 1) * 2 + 1] = 11; // the goal channel: -1 + 11
    model.getLayer('h').setWeights([tensor(h, [3, 3, 2, 1]), tensor([-1], [1])]);
    model.getLayer('r').setWeights([tensor([1], [1, 1, 1, 1])]);
    const wR = new Float32Array(3 * 3 * 8);
    const wV = new Float32Array(3 * 3 * 8);
    ACTIONS.forEach((a, i) => {
      wR[((1 + a.dRow) * 3 + 1 + a.dCol) * 8 + i] = 1;
      wV[((1 + a.dRow) * 3 + 1 + a.dCol) * 8 + i] = 0.9;
    });
    model.getLayer('vi').setWeights([tensor(wR, [3, 3, 1, 8]), tensor(wV, [3, 3, 1, 8])]);
    model.getLayer('logits').setWeights([K.eye(8)]);
  });
  return model;
}

/**
 * A 12x12 map whose two inner walls (rows 4 and 8) leave one gap each, at opposite ends, so the way from
 * the bottom-right corner to the top-left one zigzags: about 27 moves.
 */
export function serpentineMap(): { obstacles: number[][]; start: Cell; goal: Cell } {
  const walls: Cell[] = [];
  for (let col = 1; col <= 9; col++) walls.push([4, col]);
  for (let col = 2; col <= 10; col++) walls.push([8, col]);
  return { obstacles: gridMap(12, walls), start: [10, 10], goal: [2, 1] };
}
