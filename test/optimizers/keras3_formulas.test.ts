/**
 * The optimizers against real Keras 3.15.1 (test/golden/keras_golden.json's `optimizers`, made by
 * test/golden/keras_formula_cases.py): five steps each, at rtol 1e-4. They cover the formulas Keras 3
 * changed: clipnorm per variable and globalClipnorm, RMSprop's and Adagrad's epsilon under the root,
 * Adagrad's initial accumulator value and default rate.
 */
import { dispose, getOptimizer, K, tensor } from '../../src';
import { expectClose } from '../helpers/close';
import { readKerasFormulas } from '../helpers/keras_formulas_golden';

const { optimizers } = readKerasFormulas();

test('the golden file covers every optimizer and kind of clipping', () => {
  expect(new Set(optimizers.map((c) => c.className))).toEqual(new Set(['SGD', 'RMSprop', 'Adagrad', 'Adam']));
  for (const key of ['clipnorm', 'globalClipnorm', 'clipvalue', 'initialAccumulatorValue']) {
    expect(optimizers.some((c) => key in c.config)).toBe(true);
  }
});

test.each(optimizers.map((c) => [c.name, c] as const))('%s matches Keras 3 over five steps', (_name, c) => {
  const params = c.params.map((p) => K.variable(tensor(p.values as number[], p.shape)));
  const optimizer = getOptimizer({ className: c.className, config: c.config });
  c.grads.forEach((step, s) => {
    const grads = step.map((g, i) => tensor(g as number[], c.params[i].shape));
    optimizer.applyGradients(grads, params);
    dispose(grads);
    params.forEach((p, i) => {
      try {
        expectClose(p, c.expected[s][i] as number[], 1e-4, 1e-7);
      } catch (error) {
        throw new Error(`step ${s}, params[${i}]: ${(error as Error).message}`);
      }
    });
  });
  optimizer.dispose();
  dispose(params);
});
