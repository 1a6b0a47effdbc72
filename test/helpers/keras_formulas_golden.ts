/**
 * The Keras 3 formula cases of test/golden/keras_golden.json (written by
 * test/golden/keras_formula_cases.py through make_keras_golden.py): optimizers, BatchNormalization,
 * binary crossentropy and accuracy, Conv2D's groups.
 */
import { readKerasGolden } from './keras_golden';

/** Nested numbers as JSON holds them. */
export type Nested = number | Nested[];

/** Five optimizer steps on three float32 variables, and the variables after each. */
export interface OptimizerCase {
  name: string;
  className: string;
  config: Record<string, number | boolean>;
  params: { shape: number[]; values: Nested }[];
  /** grads[step][param] */
  grads: Nested[][];
  /** expected[step][param]: the variable after that step */
  expected: Nested[][];
}

/** One training call of BatchNormalization: its output, the moving statistics after it, and gradients. */
export interface BatchNormStep {
  input: Nested;
  output: Nested;
  movingMean: Nested;
  movingVariance: Nested;
  /** Gradients of sum(output * w). */
  grads: { input: Nested; gamma: Nested; beta: Nested };
}

/** Three training calls, then an inference call on `probe`. */
export interface BatchNormCase {
  name: string;
  config: { axis?: number; momentum: number; epsilon: number };
  shape: number[];
  /** gamma, beta, moving mean, moving variance before the first call */
  weights: Nested[];
  w: Nested;
  steps: BatchNormStep[];
  probe: Nested;
  inference: Nested;
}

/** A crossentropy (with the gradients of sum(loss * w)) or binaryAccuracy (with its threshold). */
export interface LossCase {
  name: string;
  fn: 'K.binaryCrossentropy' | 'losses.binaryCrossentropy' | 'metrics.binaryAccuracy';
  keras: string;
  target: Nested;
  output: Nested;
  expected: Nested;
  threshold?: number;
  w?: Nested;
  grads?: { target: Nested; output: Nested };
}

/** Conv2D with groups: weights, input, output and the gradients of sum(output * w). */
export interface ConvGroupsCase {
  name: string;
  config: { filters: number; kernelSize: number; groups: number; strides?: number; padding?: 'valid' | 'same';
    dilationRate?: number; dataFormat?: 'channelsFirst' };
  shape: number[];
  kernel: Nested;
  bias: Nested;
  input: Nested;
  w: Nested;
  output: Nested;
  outputShape: number[];
  grads: { input: Nested; kernel: Nested; bias: Nested };
}

/** The cases of keras_formula_cases.py in the checked-in golden file. */
export interface KerasFormulas {
  optimizers: OptimizerCase[];
  batchNormalization: BatchNormCase[];
  losses: LossCase[];
  conv2dGroups: ConvGroupsCase[];
}

/** The formula cases of the checked-in golden file. */
export function readKerasFormulas(): KerasFormulas {
  return readKerasGolden() as unknown as KerasFormulas;
}
