/** Summary statistics of a gridworld dataset, to compare generated data with the paper's. */
import { checkDataset, GridworldDataset } from './dataset';

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
