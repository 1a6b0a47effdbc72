/** Gridworld data for the VIN: the dataset type, the paper's generator, shortest paths, statistics, npz files. */
export {
  ACTIONS, NUM_ACTIONS, step, domainObstacles, checkDataset, subsetDomains, splitDataset,
} from './dataset';
export type { GridworldDataset, GridAction, Cell } from './dataset';
export { generateGridworld, GRIDWORLD_DEFAULTS } from './generate';
export type { GenerateGridworldOptions } from './generate';
export { costToGoal, expertAction } from './planning';
export { datasetStats, datasetDistributions } from './stats';
export type { DatasetStats, DatasetDistributions } from './stats';
export { saveDataset, loadDataset } from './npz';
export { SeededRandom } from './random';
