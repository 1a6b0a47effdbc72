/**
 * What the typed results stand for at run time (issue 19): predict and apply give one Tensor for a
 * model of one output and a list for a list; evaluate's returnDict keys the values by metricsNames.
 */
import { Tensor, tensor, tidy, Input, Model, Sequential, Dense, Concatenate, Lambda, K } from '../../src';
import { expectError } from '../helpers/errors';

function twoOutputs() {
  const input = Input({ shape: [2] });
  const a = new Dense({ units: 1, kernelInitializer: 'ones', useBias: false }).apply(input);
  const b = new Dense({ units: 2, kernelInitializer: 'ones', useBias: false }).apply(input);
  return { input, a, b, one: new Model({ inputs: input, outputs: a }), two: new Model({ inputs: input, outputs: [a, b] }) };
}

test('a model of one output predicts one Tensor, of a list a list; so does apply', () => tidy(() => {
  const { input, one, two } = twoOutputs();
  const x = tensor([[1, 2]]);
  const single = one.predict(x);
  expect(single).toBeInstanceOf(Tensor);
  expect(single.array()).toEqual([[3]]);
  const both = two.predict(x);
  expect(Array.isArray(both)).toBe(true);
  expect(both.map((t) => t.array())).toEqual([[[3]], [[3, 3]]]);
  expect(Array.isArray(two.apply(input))).toBe(true);
  expect(one.apply(x)).toBeInstanceOf(Tensor);
}));

test('merge layers and a Lambda of one result give one output on a list', () => tidy(() => {
  const { input, a } = twoOutputs();
  const joined = new Concatenate().apply([a, input]);
  expect(joined.shape).toEqual([null, 3]);
  const abs = new Lambda((ts: Tensor[]) => K.abs(K.subtract(ts[0], ts[1]))).apply([a, a]);
  expect(abs.shape).toEqual([null, 1]);
  // The dtype the Lambda's probe run sees is the inputs': an int32 input stays int32.
  const ints = Input({ shape: [2], dtype: 'int32' });
  expect(new Lambda((t: Tensor) => K.add(t, 1)).apply(ints).dtype).toBe('int32');
}));

test('evaluate with returnDict: true keys the values by metricsNames', () => tidy(() => {
  const model = new Sequential([new Dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
  const x = tensor([[1, 2], [3, 4]]);
  const y = tensor([[2], [5]]);
  const list = model.evaluate(x, y, { verbose: 0 });
  const named = model.evaluate(x, y, { verbose: 0, returnDict: true });
  expect(Object.keys(named)).toEqual(model.metricsNames);
  expect(Object.values(named)).toEqual(list);
  expect(named).toEqual({ loss: 2.5, mae: 1.5 }); // predictions 3 and 7 for 2 and 5
  expectError(() => model.evaluate(x, y, { returnDict: 'yes' } as never), 'ERR_ARGUMENT', 'returnDict');
}));
