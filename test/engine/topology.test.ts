/** Bad arguments to Input, InputLayer, Layer, uniqueLayerName and addWeight: KeratorchErrors naming the function. */
import { Dense, Input, InputLayer, K, Layer, Tensor, uniqueLayerName } from '../../src';
import type { LayerArgs } from '../../src';
import { expectError } from '../helpers/errors';

class Identity extends Layer {
  static className = 'Identity';
  call(inputs: Tensor | Tensor[]) { return inputs; }
}

const nestedObject = (depth: number): unknown => {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

test('Input refuses a shape that is not an array of sizes, and a bad batchSize, before spreading it', () => {
  expectError(() => Input({ shape: /re/ as never }), 'ERR_ARGUMENT',
    'Input: expected an array of non-negative integers or null for shape but received an object (RegExp)');
  expectError(() => Input({ shape: nestedObject(10000) as never }), 'ERR_ARGUMENT', 'for shape but received an object');
  expectError(() => Input({ batchShape: [NaN] }), 'ERR_ARGUMENT', 'for batchShape but received [NaN]');
  expectError(() => Input({ shape: [3], batchSize: -1 }), 'ERR_VALUE', 'Input: expected an integer >= 0 for batchSize');
  expect(Input({ shape: [3], batchSize: 4 }).shape).toEqual([4, 3]);
});

test('the Layer constructor checks inputShape, batchInputShape and name without stringifying them', () => {
  expectError(() => new InputLayer({ inputShape: 3 as never }), 'ERR_ARGUMENT',
    'InputLayer: expected an array of non-negative integers or null for inputShape but received 3');
  expectError(() => new Identity({ batchInputShape: [null, -2] }), 'ERR_ARGUMENT', 'Identity: expected', 'for batchInputShape');
  expectError(() => new Identity({ name: nestedObject(10000) } as unknown as LayerArgs), 'ERR_ARGUMENT',
    'Identity: expected a non-empty string for name but received an object (Object)');
  expectError(() => new Identity({ name: 10n } as unknown as LayerArgs), 'ERR_ARGUMENT', 'received bigint 10');
});

test('uniqueLayerName needs a class name', () => {
  for (const bad of [0, undefined, null, '']) {
    expectError(() => uniqueLayerName(bad as never), 'ERR_ARGUMENT', 'uniqueLayerName: expected a non-empty string for className');
  }
  expect(uniqueLayerName('MaxPooling2D')).toMatch(/^max_pooling2d_\d+$/);
});

test('addWeight checks its name, shape and options', () => {
  const layer = new Dense({ units: 2 });
  expectError(() => layer.addWeight([1] as never, [2]), 'ERR_ARGUMENT', 'addWeight: expected a non-empty string for name');
  expectError(() => layer.addWeight('w', 3 as never), 'ERR_ARGUMENT', 'addWeight: expected an array of integers for shape but received 3');
  expectError(() => layer.addWeight('w', [2], { trainabel: true } as never), 'ERR_ARGUMENT',
    'addWeight: expected an option among initializer, trainable, regularizer, dtype');
  expectError(() => layer.addWeight('w', [2], { trainable: 1 as never }), 'ERR_ARGUMENT', 'for options.trainable');
  expectError(() => layer.addWeight('w', [2], { dtype: 'float99' as never }), 'ERR_DTYPE', 'for options.dtype');
  const w = layer.addWeight('w', [2, 3], { initializer: 'ones', trainable: false });
  expect(w.shape).toEqual([2, 3]);
  expect(K.sum(w).item()).toBe(6);
  layer.dispose();
});

test('a call failing on a value that is not a tensor still names the layer', () => {
  const layer = new Dense({ units: 2 });
  expectError(() => layer.runCall(undefined as never, {}), 'ERR_ARGUMENT', `layer "${layer.name}" (Dense) call`);
});
