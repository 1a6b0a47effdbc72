/** The batch variable functions and constant check their arguments, naming themselves. */
import { K, ones } from '../../src';
import { expectError } from '../helpers/errors';

describe('batchGetValue and batchSetValue check their lists', () => {
  test('batchGetValue refuses a non-array and names the bad entry', () => {
    expectError(() => K.batchGetValue(3 as never), 'ERR_ARGUMENT', 'batchGetValue: expected an array of Tensors for xs but received 3');
    expectError(() => K.batchGetValue([ones([1]), 5] as never), 'ERR_ARGUMENT', 'batchGetValue', 'for xs[1] but received 5');
  });

  test('batchSetValue refuses a non-array, a non-pair and a bad variable, naming the entry', () => {
    expectError(() => K.batchSetValue(undefined as never), 'ERR_ARGUMENT', 'batchSetValue: expected an array of [variable, value] pairs');
    expectError(() => K.batchSetValue([0] as never), 'ERR_ARGUMENT', 'batchSetValue: expected a [variable, value] pair for pairs[0]');
    expectError(() => K.batchSetValue([[1, 2]] as never), 'ERR_ARGUMENT', 'batchSetValue: expected a Tensor for pairs[0][0]');
  });

  test('batchSetValue still sets each variable', () => {
    const v = K.variable([1, 2]);
    K.batchSetValue([[v, [3, 4]]]);
    expect(K.batchGetValue([v])).toEqual([[3, 4]]);
  });
});

test('constant with a shape that does not fit the values says so, naming constant', () => {
  expectError(() => K.constant([1, 2], 'float32', [3]), 'ERR_SHAPE', 'constant: expected 3 values for shape [3] for value');
  expect(K.constant([1, 2], 'float32', [2, 1]).shape).toEqual([2, 1]);
});
