/**
 * BatchNormalization against real Keras 3.15.1 (test/golden/keras_golden.json's
 * `batchNormalization`, made by test/golden/keras_formula_cases.py), at rtol 1e-4: three training
 * calls (the output, the gradients of sum(output * w) for the input, gamma and beta, and the moving
 * mean and variance after each; Keras 3 averages the biased batch variance in, Keras 2.3 the
 * unbiased one), then inference with the moving statistics.
 */
import { BatchNormalization, K, Tensor, tensor } from '../../src';
import { expectClose } from '../helpers/close';
import { Nested, readKerasFormulas } from '../helpers/keras_formulas_golden';

const { batchNormalization } = readKerasFormulas();
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);

test.each(batchNormalization.map((c) => [c.name, c] as const))('%s matches Keras 3', (_name, c) => {
  const layer = new BatchNormalization(c.config);
  layer.build(c.shape);
  K.tidy(() => layer.setWeights(c.weights.map((w) => tensor(w as number[]))));
  const w = tensor(flat(c.w), c.shape);
  c.steps.forEach((step, s) => {
    K.tidy(() => {
      const x = K.variable(tensor(flat(step.input), c.shape));
      const output = layer.apply(x, { training: true }) as Tensor;
      const [dx, dgamma, dbeta] = K.gradients(K.sum(K.multiply(output, w)), [x, layer.gamma as Tensor, layer.beta as Tensor]);
      const checks: [string, Tensor, Nested][] = [['output', output, step.output], ['input gradient', dx, step.grads.input],
        ['gamma gradient', dgamma, step.grads.gamma], ['beta gradient', dbeta, step.grads.beta],
        ['moving mean', layer.movingMean as Tensor, step.movingMean],
        ['moving variance', layer.movingVariance as Tensor, step.movingVariance]];
      for (const [what, got, want] of checks) {
        try {
          expectClose(got, want as number[], 1e-4, 1e-6);
        } catch (error) {
          throw new Error(`step ${s}, ${what}: ${(error as Error).message}`);
        }
      }
    });
  });
  K.tidy(() => expectClose(layer.apply(tensor(flat(c.probe), c.shape), { training: false }) as Tensor,
    c.inference as number[], 1e-4, 1e-6));
  w.dispose();
  layer.dispose();
});
