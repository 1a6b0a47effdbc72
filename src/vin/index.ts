/** The Value Iteration Network (Tamar et al. 2016) and its gridworld path-planning data. */
export * from './data';
export { loadOriginalGridworld, originalGridworldFromMat, ORIGINAL_TRAIN_VARIABLES, ORIGINAL_TEST_VARIABLES } from './data/matlab';
export * from './model';
export { evaluateVin, MAX_PLAN_K, vinParts } from './planning';
export type { EvaluateOptions, EvaluationResult, PlanEnd, PlanK, VinParts } from './planning';
export type { ObstacleMap } from './obstacle_map';
export { Planner, loadPlanner } from './planner';
export type { MapRequest, PlanRequest, PlanResult } from './planner';
export { trainVin } from './train';
export type { TrainVinOptions, TrainVinResult } from './train';
export { renderPlanPicture, layoutPlanPicture } from './picture';
export type { PlanPictureOptions, PlanPictureLayout, PanelLayout } from './picture';
