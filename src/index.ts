/**
 * keratorch: Keras-like deep learning for TypeScript on libtorch.
 * `K` is the Keras backend; `tensor`, `tidy`, `memory` and friends manage tensors directly.
 */
export * from './backend';
export * from './io';
export * from './engine';
export * from './layers';
export * from './optimizers';
export * from './vin';
export * as losses from './losses';
export { getLoss } from './losses';
export type { Loss, LossFunction, LossIdentifier } from './losses';
export * as metrics from './metrics';
export { getMetric } from './metrics';
export type { Metric, MetricFunction, MetricIdentifier } from './metrics';
