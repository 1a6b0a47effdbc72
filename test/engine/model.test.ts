/** Bad arguments to Model.execute, getLayer, computeOutputShape and summary: KeratorchErrors naming the method. */
import { Dense, Input, Model, ones, Sequential } from '../../src';
import type { Shape } from '../../src';
import { expectError } from '../helpers/errors';

const model = () => new Sequential([new Dense({ units: 2, inputShape: [3] })]);

test('execute needs an array of inputs and known call arguments', () => {
  const m = model();
  expectError(() => m.execute(undefined as never), 'ERR_ARGUMENT', 'execute: expected an array of 1 input tensor(s) but received undefined');
  expectError(() => m.execute([ones([1, 3])], { trainig: true } as never), 'ERR_ARGUMENT', 'execute: expected an option among training');
  expectError(() => m.execute([ones([1, 3])], { training: 1 as never }), 'ERR_ARGUMENT', 'for args.training');
  expect(m.execute([ones([4, 3])])[0].shape).toEqual([4, 2]);
});

test('getLayer takes a name or an integer index', () => {
  const m = model();
  expectError(() => m.getLayer(undefined, Object.create(null)), 'ERR_ARGUMENT', 'getLayer: expected an integer for index but received an object');
  expectError(() => m.getLayer(undefined, 0.5), 'ERR_ARGUMENT', 'getLayer: expected an integer for index but received 0.5');
  expectError(() => m.getLayer(5 as never), 'ERR_ARGUMENT', 'getLayer: expected a layer name (a string) or an index but received 5');
  expect(m.getLayer(undefined, 1)).toBe(m.layers[1]);
});

test('computeOutputShape needs one shape per model input', () => {
  const a = Input({ shape: [2] });
  const b = Input({ shape: [3] });
  const m = new Model({ inputs: [a, b], outputs: new Dense({ units: 1 }).apply(a) });
  expectError(() => m.computeOutputShape([null, 2]), 'ERR_SHAPE', 'computeOutputShape: expected 2 input shape(s) but received 1');
  expect(m.computeOutputShape([[null, 2], [null, 3]] as Shape[])).toEqual([null, 1]);
});

test('summary checks printFn, lineLength and positions', () => {
  const m = model();
  expectError(() => m.summary(80, undefined, '' as never), 'ERR_ARGUMENT', 'summary: expected a function for printFn but received ""');
  for (const width of [-1, -(2 ** 31), 1e10, 2.5, '80']) {
    expectError(() => m.summary(width as never, undefined, () => {}), 'ERR_ARGUMENT', 'summary: expected an integer in [1, 1000] for lineLength');
  }
  for (const positions of [1e10, [0.5, 1], [0.5, 0.8, 1e10], [0.5, NaN, 1], [-1, 0.5, 1]]) {
    expectError(() => m.summary(80, positions as never, () => {}), 'ERR_ARGUMENT', 'summary: expected 3 column ends', 'for positions');
  }
  const lines: string[] = [];
  m.summary(80, [30, 60, 80], (line) => lines.push(line));
  expect(lines[1]).toBe('_'.repeat(80));
});
