/** Summary statistics of a gridworld dataset, to compare generated data with the paper's. */
import { ACTIONS, checkDataset, GridworldDataset } from './dataset';

/** What {@link datasetStats} measures. */
export interface DatasetStats {
  /** The fraction of interior cells (the one-cell border excluded) that are obstacles, over all domains. */
  interiorDensity: number;
  /**
   * Cells per expert path, start and goal included (= labelled states per path + 1). The original
   * data's definition: its 8x8 test set, one path per domain, has 3.96 cells a path.
   */
  meanPathStates: number;
  /** The number of expert paths. */
  numPaths: number;
  /** The number of labelled states. */
  numSamples: number;
}

/** Interior obstacle density, mean path length, path and sample counts of `ds` (checked first). */
export function datasetStats(ds: GridworldDataset): DatasetStats {
  checkDataset(ds, 'datasetStats');
  const n = ds.gridSize;
  let interiorObstacles = 0;
  for (let d = 0; d < ds.numDomains; d++) {
    for (let r = 1; r < n - 1; r++) {
      const rowStart = (d * n + r) * n;
      for (let c = 1; c < n - 1; c++) interiorObstacles += ds.obstacles[rowStart + c];
    }
  }
  const interiorCells = ds.numDomains * Math.max(n - 2, 0) ** 2;
  const numPaths = ds.pathDomain.length;
  return {
    interiorDensity: interiorCells > 0 ? interiorObstacles / interiorCells : NaN,
    meanPathStates: numPaths > 0 ? ds.pathCells.length / 2 / numPaths : NaN,
    numPaths,
    numSamples: ds.sampleDomain.length,
  };
}

/** A sample's mean, standard deviation and 10%, 50% and 90% quantiles (NaN for an empty sample). */
export interface Distribution {
  mean: number;
  /** The population standard deviation (numpy's `std` default). */
  sd: number;
  /** Quantiles interpolate linearly between order statistics (numpy's `quantile` default). */
  q10: number;
  q50: number;
  q90: number;
}

/** What {@link datasetDistributions} measures: the figures the generator is calibrated against. */
export interface DatasetDistributions {
  numMaps: number;
  /** Per map: the fraction of its interior cells (the one-cell border excluded) that are obstacles. */
  density: Distribution;
  /** The number of expert paths measured by `pathStates`. */
  numPaths: number;
  /** Per expert path: its cells, start and goal included. */
  pathStates: Distribution;
  /**
   * Where the paths came from: the dataset's `paths`; its labelled `samples` when it has no paths
   * (the paper's training files): each run of a domain's samples that ends with a move into the goal
   * is one path; or `none` when it has neither.
   */
  pathSource: 'paths' | 'samples' | 'none';
}

/** The {@link Distribution} of `values`, which it sorts. */
export function distribution(values: Float64Array): Distribution {
  const count = values.length;
  if (count === 0) return { mean: NaN, sd: NaN, q10: NaN, q50: NaN, q90: NaN };
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += (values[i] - mean) ** 2;
  values.sort();
  const quantile = (q: number): number => {
    const at = (count - 1) * q;
    const below = Math.floor(at);
    const above = Math.min(below + 1, count - 1);
    return values[below] + (at - below) * (values[above] - values[below]);
  };
  return { mean, sd: Math.sqrt(squares / count), q10: quantile(0.1), q50: quantile(0.5), q90: quantile(0.9) };
}

/** Path lengths in cells from labelled states: a path ends at the state whose move enters the goal. */
function pathStatesFromSamples(ds: GridworldDataset): number[] {
  const lengths: number[] = [];
  let run = 0;
  for (let s = 0; s < ds.sampleDomain.length; s++) {
    if (s > 0 && ds.sampleDomain[s] !== ds.sampleDomain[s - 1]) run = 0;
    const d = ds.sampleDomain[s];
    const action = ACTIONS[ds.sampleLabel[s]];
    run++;
    if (ds.sampleState[2 * s] + action.dRow === ds.goals[2 * d] &&
      ds.sampleState[2 * s + 1] + action.dCol === ds.goals[2 * d + 1]) {
      lengths.push(run + 1);
      run = 0;
    }
  }
  return lengths;
}

/**
 * The distributions of per-map interior obstacle density and of expert path length (cells, start and
 * goal included) of `ds` (checked first), as `keratorch gen --stats` prints them; for generated data
 * and the paper's `.mat` files alike.
 */
export function datasetDistributions(ds: GridworldDataset): DatasetDistributions {
  checkDataset(ds, 'datasetDistributions');
  const n = ds.gridSize;
  const interiorCells = Math.max(n - 2, 0) ** 2;
  const density = new Float64Array(interiorCells > 0 ? ds.numDomains : 0);
  for (let d = 0; d < density.length; d++) {
    let obstacles = 0;
    for (let r = 1; r < n - 1; r++) {
      const rowStart = (d * n + r) * n;
      for (let c = 1; c < n - 1; c++) obstacles += ds.obstacles[rowStart + c];
    }
    density[d] = obstacles / interiorCells;
  }
  const numPaths = ds.pathDomain.length;
  let pathStates: Float64Array;
  let pathSource: DatasetDistributions['pathSource'];
  if (numPaths > 0) {
    pathStates = new Float64Array(numPaths);
    for (let p = 0; p < numPaths; p++) pathStates[p] = ds.pathOffsets[p + 1] - ds.pathOffsets[p];
    pathSource = 'paths';
  } else {
    pathStates = Float64Array.from(pathStatesFromSamples(ds));
    pathSource = pathStates.length > 0 ? 'samples' : 'none';
  }
  return {
    numMaps: ds.numDomains,
    density: distribution(density),
    numPaths: pathStates.length,
    pathStates: distribution(pathStates),
    pathSource,
  };
}

/** `mean / sd / q10 / q50 / q90` with `digits` decimals. */
export function formatDistribution(dist: Distribution, digits: number): string {
  return [dist.mean, dist.sd, dist.q10, dist.q50, dist.q90].map((x) => x.toFixed(digits)).join(' / ');
}

/** The lines `keratorch gen --stats` prints for `stats`. */
export function formatDistributions(stats: DatasetDistributions): string[] {
  const source = stats.pathSource === 'samples' ? ', traced from the labelled states' : '';
  return [
    `maps: ${stats.numMaps}`,
    `interior obstacle density per map (mean / sd / q10 / q50 / q90): ${formatDistribution(stats.density, 3)}`,
    stats.pathSource === 'none'
      ? 'expert path length: no paths or labelled states'
      : `expert path length in cells, start and goal included (mean / sd / q10 / q50 / q90): ` +
        `${formatDistribution(stats.pathStates, 2)} over ${stats.numPaths} paths${source}`,
  ];
}

/** Reference figures: mean, sd and quantiles only (rounded as published). */
export type ReferenceDistribution = Readonly<Distribution>;

/**
 * The paper's own test files (avivt/VIN `data/gridworld_{8,16,28}_test.mat`, 1000 maps and one expert
 * path each), measured by {@link datasetDistributions}: what `generateGridworld`'s defaults are
 * calibrated against (`npm run bench:gen-stats`). The 16x16 and 28x28 files are not in this
 * repository; their figures are from issue 17.
 */
export const ORIGINAL_TEST_FIGURES: Readonly<Record<8 | 16 | 28, { density: ReferenceDistribution;
  pathStates: Readonly<Omit<Distribution, 'sd'>> }>> = Object.freeze({
  8: {
    density: { mean: 0.108, sd: 0.072, q10: 0.028, q50: 0.111, q90: 0.194 },
    pathStates: { mean: 3.96, q10: 2, q50: 4, q90: 6 },
  },
  16: {
    density: { mean: 0.200, sd: 0.113, q10: 0.041, q50: 0.204, q90: 0.352 },
    pathStates: { mean: 7.86, q10: 4, q50: 8, q90: 12 },
  },
  28: {
    density: { mean: 0.207, sd: 0.113, q10: 0.046, q50: 0.212, q90: 0.358 },
    pathStates: { mean: 13.98, q10: 6, q50: 14, q90: 23 },
  },
});
