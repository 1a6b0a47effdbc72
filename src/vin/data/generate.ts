/**
 * The VIN paper's gridworld generator (Tamar et al. 2016, section 4.1), seeded and reproducible.
 */
import { KeratorchError } from '../../backend';
import { checkInt, fail } from '../../backend/validate';
import { ACTIONS, GridworldDataset } from './dataset';
import { drawObstacleMap, shapeScratchSize } from './obstacles';
import { CostToGoalSolver, expertActionAt } from './planning';
import { SeededRandom } from './random';

/** Options of {@link generateGridworld}. */
export interface GenerateGridworldOptions {
  /** n: maps are n x n cells, the obstacle border included (n >= 4). */
  gridSize: number;
  /** N: how many domains (maps) to draw (default 5000, the paper's). */
  numDomains?: number;
  /** Each map gets 1..maxObs random obstacles (default by gridSize: see {@link GRIDWORLD_DEFAULTS}). */
  maxObs?: number;
  /** The largest obstacle size, 0 = single cells (default by gridSize: see {@link GRIDWORLD_DEFAULTS}). */
  maxObsSize?: number;
  /** Expert paths per domain, from distinct starts (default 7, the paper's); fewer where a map has fewer
   * cells that can reach the goal. */
  pathsPerDomain?: number;
  /** The PRNG seed, an integer in [0, 2^53] (default 0): equal options give identical data. */
  seed?: number;
  /**
   * Called with (domains done, numDomains) about 100 times and once at the end; e.g.
   * `const bar = new ProgressBar(n, 'gridworld '); onProgress: (done) => bar.update(done)`.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Obstacle settings by grid size of the paper's data (the defaults of {@link generateGridworld}). */
export const GRIDWORLD_DEFAULTS: Readonly<Record<number, { maxObs: number; maxObsSize: number }>> = Object.freeze({
  8: { maxObs: 30, maxObsSize: 0 },
  16: { maxObs: 40, maxObsSize: 1 },
  28: { maxObs: 50, maxObsSize: 2 },
});

const OPTION_NAMES = ['gridSize', 'numDomains', 'maxObs', 'maxObsSize', 'pathsPerDomain', 'seed', 'onProgress'];

/**
 * The map sides {@link generateGridworld} draws: a free interior needs n >= 4, and cell indices must
 * fit an int32 (n * n < 2^31). The CLI checks `--grid` against these too.
 */
export const GRID_SIZE_LIMITS = Object.freeze({ min: 4, max: 46340 });

/**
 * The most memory one call may ask for. The paper's largest set (5000 maps of 28 x 28) needs about
 * 50 MB; far more than this cannot be meant, and would end in a RangeError or exhausted memory.
 */
const MAX_BYTES = 2 ** 32;

/**
 * About the bytes generating asks for: the maps and goals, the sample and path arrays at their first
 * capacity (twice: `finish` copies them), and one map's scratch (the Dijkstra heap holds 8 entries of
 * 12 bytes a cell, the costs 8 and the starts 4).
 */
function plannedBytes(n: number, pathsPerDomain: number): { perDomain: number; fixed: number } {
  const cells = n * n;
  const perPath = 2 * (24 * n + 8);
  return { perDomain: cells + 8 + pathsPerDomain * perPath, fixed: 108 * cells };
}

/** Redraws of one map before giving up (valid settings need a handful at most). */
const MAX_TRIES = 10000;

/** An Int32Array that grows by doubling. */
class Int32Builder {
  data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(capacity, 16));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

function checkOptions(options: GenerateGridworldOptions): Required<Omit<GenerateGridworldOptions, 'onProgress'>> &
  Pick<GenerateGridworldOptions, 'onProgress'> {
  const fn = 'generateGridworld';
  if (options === null || typeof options !== 'object') fail(fn, 'an options object', 'options', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new KeratorchError(`${fn}: unknown option ${JSON.stringify(key)} (expected one of ` +
        `${OPTION_NAMES.join(', ')})`, 'ERR_ARGUMENT', fn);
    }
  }
  const gridSize = checkInt(fn, 'gridSize', options.gridSize, GRID_SIZE_LIMITS.min, GRID_SIZE_LIMITS.max);
  const defaults = GRIDWORLD_DEFAULTS[gridSize];
  const defaulted = (name: 'maxObs' | 'maxObsSize', min: number): number => {
    const value = options[name] ?? defaults?.[name];
    if (value === undefined) {
      fail(fn, `an integer >= ${min} (there is no default for gridSize ${gridSize}; the paper's sizes are ` +
        `${Object.keys(GRIDWORLD_DEFAULTS).join(', ')})`, name, value);
    }
    return checkInt(fn, name, value, min);
  };
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    fail(fn, 'a function (done, total) => void', 'onProgress', onProgress);
  }
  const numDomains = checkInt(fn, 'numDomains', options.numDomains ?? 5000, 0);
  const pathsPerDomain = checkInt(fn, 'pathsPerDomain', options.pathsPerDomain ?? 7, 1);
  // Checked before anything is allocated, so an impossible size fails at once, saying how much it asked for.
  const { perDomain, fixed } = plannedBytes(gridSize, pathsPerDomain);
  if (fixed > MAX_BYTES) {
    fail(fn, `a gridSize whose working arrays fit in ${MAX_BYTES} bytes (${gridSize}x${gridSize} maps need about ` +
      `${fixed})`, 'gridSize', gridSize, 'ERR_VALUE');
  }
  const maxDomains = Math.floor((MAX_BYTES - fixed) / perDomain);
  if (numDomains > maxDomains) {
    fail(fn, `at most ${maxDomains} maps of ${gridSize}x${gridSize} with ${pathsPerDomain} paths each (${numDomains} ` +
      `need about ${fixed + numDomains * perDomain} bytes, over the ${MAX_BYTES}-byte limit)`, 'numDomains', numDomains,
    'ERR_VALUE');
  }
  return {
    gridSize,
    numDomains,
    maxObs: defaulted('maxObs', 1),
    maxObsSize: defaulted('maxObsSize', 0),
    pathsPerDomain,
    seed: checkInt(fn, 'seed', options.seed ?? 0, 0, Number.MAX_SAFE_INTEGER),
    onProgress,
  };
}

/**
 * Generates gridworld domains with expert demonstrations the way the VIN paper did. For each domain:
 * a goal at a random interior cell; 1..maxObs obstacles, each a rectangle or a circle (even odds) of
 * random size up to maxObsSize at a random place, dropped if it covers the goal (see obstacles.ts for
 * the exact shapes); a one-cell obstacle border. Moves are the 8 deterministic {@link ACTIONS} (cost 1
 * straight, sqrt(2) diagonal); Dijkstra from the goal gives every cell's cost to go. The first start is
 * a random free cell; a map that kept no obstacle, or whose first start is the goal or cannot reach it,
 * is redrawn (the paper's rules). Further starts, distinct, are random among the free cells that can
 * reach the goal, up to `pathsPerDomain` in all (the paper drew all of them among the free cells and
 * dropped those that could not reach the goal, so its maps had fewer paths). Each start gives an expert
 * path, which follows the lowest-index shortest-path action; every path state but the goal becomes a
 * sample labelled with that action, and the path (start to goal, inclusive) is recorded.
 *
 * Samples and paths are in domain order. Deterministic for given options (a seeded xoshiro128** PRNG).
 *
 * @example
 * const train = generateGridworld({ gridSize: 8, numDomains: 5000, seed: 1 });
 * saveDataset('gridworld_8.npz', train);
 */
export function generateGridworld(options: GenerateGridworldOptions): GridworldDataset {
  const { gridSize: n, numDomains, maxObs, maxObsSize, pathsPerDomain, seed, onProgress } = checkOptions(options);
  const rng = new SeededRandom(seed);
  const cells = n * n;
  const obstacles = new Uint8Array(numDomains * cells);
  const goals = new Int32Array(2 * numDomains);
  const sampleDomain = new Int32Builder(numDomains * pathsPerDomain * n);
  const sampleState = new Int32Builder(2 * sampleDomain.data.length);
  const sampleLabel = new Int32Builder(sampleDomain.data.length);
  const pathDomain = new Int32Builder(numDomains * pathsPerDomain);
  const pathOffsets = new Int32Builder(numDomains * pathsPerDomain + 1);
  const pathCells = new Int32Builder(2 * sampleDomain.data.length);
  pathOffsets.push(0);

  const solver = new CostToGoalSolver(n);
  const cost = new Float64Array(cells);
  const scratch = new Int32Array(shapeScratchSize(n, maxObsSize));
  const starts = new Int32Array(cells);
  const dDelta = Int32Array.from(ACTIONS, (a) => a.dRow * n + a.dCol);
  const progressEvery = Math.max(1, Math.floor(numDomains / 100));

  for (let d = 0; d < numDomains; d++) {
    const map = obstacles.subarray(d * cells, (d + 1) * cells);
    let goal: number;
    let numStarts: number;
    let firstStart: number;
    for (let tries = 1; ; tries++) {
      if (tries > MAX_TRIES) {
        throw new KeratorchError(`generateGridworld: no valid map in ${MAX_TRIES} draws (every map kept no ` +
          `obstacle, or its first start could not reach the goal): maxObs ${maxObs} and maxObsSize ${maxObsSize} do not suit gridSize ${n}`,
        'ERR_VALUE', 'generateGridworld');
      }
      goal = (1 + rng.int(n - 2)) * n + 1 + rng.int(n - 2);
      if (drawObstacleMap(rng, n, goal, maxObs, maxObsSize, map, scratch) === 0) continue;
      solver.solve(map, goal, cost);
      let numFree = 0;
      for (let v = 0; v < cells; v++) numFree += 1 - map[v];
      // The paper's rule (script_make_test_data.m): the first start is any free cell, and a map where it
      // is the goal or cannot reach it is drawn again. This drops maps whose goal is walled into a small
      // pocket, as often as the original did.
      let firstFree = rng.int(numFree);
      numStarts = 0;
      firstStart = -1;
      for (let v = 0; v < cells; v++) {
        if (map[v] !== 0) continue;
        const reaches = v !== goal && cost[v] < Infinity;
        if (firstFree-- === 0) {
          if (!reaches) break;
          firstStart = numStarts;
        }
        if (reaches) starts[numStarts++] = v;
      }
      if (firstStart >= 0) break;
    }
    goals[2 * d] = (goal / n) | 0;
    goals[2 * d + 1] = goal % n;

    // Distinct starts: the first one drawn above, then a partial Fisher-Yates shuffle of the others.
    const numPaths = Math.min(pathsPerDomain, numStarts);
    for (let p = 0; p < numPaths; p++) {
      const j = p === 0 ? firstStart : p + rng.int(numStarts - p);
      const start = starts[j];
      starts[j] = starts[p];
      starts[p] = start;

      pathDomain.push(d);
      let v = start;
      for (;;) {
        const row = (v / n) | 0;
        const col = v - row * n;
        pathCells.push(row);
        pathCells.push(col);
        if (v === goal) break;
        const a = expertActionAt(map, n, cost, v);
        sampleDomain.push(d);
        sampleState.push(row);
        sampleState.push(col);
        sampleLabel.push(a);
        v += dDelta[a];
      }
      pathOffsets.push(pathCells.length / 2);
    }
    if (onProgress && ((d + 1) % progressEvery === 0 || d + 1 === numDomains)) onProgress(d + 1, numDomains);
  }

  return {
    gridSize: n,
    numDomains,
    obstacles,
    goals,
    sampleDomain: sampleDomain.finish(),
    sampleState: sampleState.finish(),
    sampleLabel: Uint8Array.from(sampleLabel.data.subarray(0, sampleLabel.length)),
    pathDomain: pathDomain.finish(),
    pathOffsets: pathOffsets.finish(),
    pathCells: pathCells.finish(),
  };
}
