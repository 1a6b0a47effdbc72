/** getRegularizer's message is made for any value: BigInt, cycles, deep nesting, prototype names. */
import { getRegularizer } from '../../src';
import { expectError } from '../helpers/errors';

test('values JSON cannot write are described, not stringified', () => {
  expectError(() => getRegularizer(2n ** 64n as never), 'ERR_ARGUMENT', 'for identifier but received bigint 18446744073709551616');
  const cyclic: Record<string, unknown> = { units: 2 };
  cyclic.self = cyclic;
  expectError(() => getRegularizer(cyclic as never), 'ERR_ARGUMENT', 'for identifier but received an object (Object)');
  let deep: unknown = [1];
  for (let i = 0; i < 10000; i++) deep = [deep];
  expectError(() => getRegularizer(deep as never), 'ERR_ARGUMENT', 'for identifier but received [[[');
  expectError(() => getRegularizer({ className: 'L3' }), 'ERR_ARGUMENT', 'for identifier.className but received "L3"');
  expectError(() => getRegularizer('constructor'), 'ERR_ARGUMENT', 'for identifier but received "constructor"');
});
