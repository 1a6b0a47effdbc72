/** Tensors made from nested arrays: the walk over them is bounded, with a clear error. */
import { K, onesLike, tensor } from '../../src';
import { MAX_NESTING } from '../../src/backend/creation';
import { expectError } from '../helpers/errors';

function nested(depth: number): unknown {
  let value: unknown = [1];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

test.each<[string, () => unknown, string]>([
  ['tensor', () => tensor(nested(10000) as never), 'values'],
  ['variable', () => K.variable(nested(10000) as never), 'value'],
  ['onesLike', () => onesLike(nested(10000) as never, 'int32'), 'x'],
])('%s refuses an array nested 10,000 deep', (fn, call, name) => {
  expectError(call, 'ERR_SHAPE', `${fn}: expected a nested array at most ${MAX_NESTING} levels deep for ${name}`);
});

test(`an array nested ${MAX_NESTING} deep is still a tensor`, () => {
  expect(tensor(nested(MAX_NESTING) as never).shape).toHaveLength(MAX_NESTING);
});
