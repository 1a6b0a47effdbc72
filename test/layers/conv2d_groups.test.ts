/**
 * Conv2D's `groups` against real Keras 3.15.1 (test/golden/keras_golden.json's `conv2dGroups`, made
 * by test/golden/keras_formula_cases.py), at rtol 1e-4: output, and the gradients of sum(output * w)
 * for the input, kernel and bias; then the kernel shape, config and the checks on groups.
 */
import { Conv2D, K, Tensor, tensor } from '../../src';
import { expectClose } from '../helpers/close';
import { Nested, readKerasFormulas } from '../helpers/keras_formulas_golden';
import { expectKeratorchError } from '../helpers/memory';

const cases = readKerasFormulas().conv2dGroups;
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);

test.each(cases.map((c) => [c.name, c] as const))('%s matches Keras 3, gradients included', (_name, c) => {
  const layer = new Conv2D(c.config);
  layer.build(c.shape);
  K.tidy(() => {
    layer.setWeights([tensor(c.kernel as number[]), tensor(c.bias as number[])]);
    const x = K.variable(tensor(flat(c.input), c.shape));
    const y = layer.apply(x) as Tensor;
    expect(y.shape).toEqual(c.outputShape);
    expectClose(y, c.output as number[], 1e-4, 1e-6);
    const [dx, dkernel, dbias] = K.gradients(K.sum(K.multiply(y, tensor(flat(c.w), c.outputShape))),
      [x, layer.kernel as Tensor, layer.bias as Tensor]);
    expectClose(dx, c.grads.input as number[], 1e-4, 1e-6);
    expectClose(dkernel, c.grads.kernel as number[], 1e-4, 1e-6);
    expectClose(dbias, c.grads.bias as number[], 1e-4, 1e-6);
  });
  layer.dispose();
});

test('the kernel holds inChannels / groups inputs; groups is in the config and checked', () => {
  const layer = new Conv2D({ filters: 6, kernelSize: 3, groups: 3 });
  layer.build([null, 8, 8, 9]);
  expect((layer.kernel as Tensor).shape).toEqual([3, 3, 3, 6]);
  expect(layer.getConfig()).toMatchObject({ groups: 3 });
  expect(new Conv2D({ filters: 2, kernelSize: 1 }).groups).toBe(1);
  expectKeratorchError(() => new Conv2D({ filters: 4, kernelSize: 3, groups: 3 }), 'ERR_ARGUMENT', 'Conv2D',
    'expected a divisor of filters (4) for groups but received 3');
  expectKeratorchError(() => new Conv2D({ filters: 4, kernelSize: 3, groups: 0 }), 'ERR_ARGUMENT', 'Conv2D', 'groups');
  expect(() => new Conv2D({ filters: 4, kernelSize: 3, groups: 2 }).build([null, 8, 8, 3])).toThrow(
    /multiple of groups \(2\)/);
  layer.dispose();
});
