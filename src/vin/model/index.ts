/** The VIN model: buildVin and its two special layers. */
export { buildVin, defaultK } from './build';
export type { VinOptions } from './build';
export { ValueIteration } from './value_iteration';
export type { ValueIterationArgs } from './value_iteration';
export { QAtState } from './q_at_state';
