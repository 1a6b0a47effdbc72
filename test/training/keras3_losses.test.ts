/**
 * Binary crossentropy and binaryAccuracy against real Keras 3.15.1 (test/golden/keras_golden.json's
 * `losses`, made by test/golden/keras_formula_cases.py), at rtol 1e-4: the crossentropy on
 * probabilities of exactly 0 and 1 (clipped to [eps, 1 - eps], no second eps inside the logs, as
 * Keras 3), with the gradients of sum(loss * w); binaryAccuracy per element, as Keras 3.
 */
import { K, losses, metrics, Tensor, tensor } from '../../src';
import { expectClose } from '../helpers/close';
import { LossCase, Nested, readKerasFormulas } from '../helpers/keras_formulas_golden';

const cases = readKerasFormulas().losses;
const crossentropies: Record<string, (target: Tensor, output: Tensor) => Tensor> = {
  'K.binaryCrossentropy': (t, o) => K.binaryCrossentropy(t, o),
  'losses.binaryCrossentropy': (t, o) => losses.binaryCrossentropy(t, o),
};
const asTensor = (values: Nested): Tensor => tensor(values as number[][]);

test.each(cases.filter((c) => c.fn !== 'metrics.binaryAccuracy').map((c) => [c.name, c] as const))(
  '%s matches Keras 3, gradients included', (_name, c: LossCase) => {
    K.tidy(() => {
      const target = K.variable(asTensor(c.target));
      const output = K.variable(asTensor(c.output));
      const loss = crossentropies[c.fn](target, output);
      expectClose(loss, c.expected as number[], 1e-4, 1e-6);
      const [dt, dout] = K.gradients(K.sum(K.multiply(loss, tensor(c.w as number[]))), [target, output]);
      expectClose(dt, c.grads?.target as number[], 1e-4, 1e-6);
      expectClose(dout, c.grads?.output as number[], 1e-4, 1e-6);
    });
  });

test.each(cases.filter((c) => c.fn === 'metrics.binaryAccuracy').map((c) => [c.name, c] as const))(
  '%s matches Keras 3 per element', (_name, c: LossCase) => {
    K.tidy(() => {
      const accuracy = metrics.binaryAccuracy(asTensor(c.target), asTensor(c.output), c.threshold);
      expect(accuracy.shape).toEqual([3, 4]);
      expectClose(accuracy, c.expected as number[]);
    });
  });
