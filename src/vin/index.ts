/** The Value Iteration Network (Tamar et al. 2016) and its gridworld path-planning data. */
export * from './data';
export { loadOriginalGridworld, originalGridworldFromMat, ORIGINAL_TRAIN_VARIABLES, ORIGINAL_TEST_VARIABLES } from './data/matlab';
