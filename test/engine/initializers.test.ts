/** Bad arguments to the initializer functions: KeratorchErrors whose messages survive any value. */
import { getInitializer, initializers, serializeInitializer } from '../../src';
import { expectError } from '../helpers/errors';

test('computeFans checks its shape', () => {
  for (const bad of [0, undefined, 'max', new BigInt64Array([2n ** 40n]), [, 3]]) { // eslint-disable-line no-sparse-arrays
    expectError(() => initializers.computeFans(bad as never), 'ERR_ARGUMENT', 'computeFans: expected an array of integers');
  }
  expectError(() => initializers.computeFans([2, -1]), 'ERR_VALUE', 'computeFans: expected an array of integers >= 0');
  expect(initializers.computeFans([3, 3, 2, 4])).toEqual([18, 36]);
});

test('serializeInitializer needs an initializer', () => {
  for (const bad of [0, undefined, null, [2.5], { className: 'X' }]) {
    expectError(() => serializeInitializer(bad as never), 'ERR_ARGUMENT', 'serializeInitializer: expected an Initializer');
  }
  expect(serializeInitializer(getInitializer('ones'))).toEqual({ className: 'Ones', config: {} });
});

test('getInitializer describes a BigInt, a cycle and an unknown className; prototype names are unknown', () => {
  expectError(() => getInitializer(10n as never), 'ERR_ARGUMENT', 'for identifier but received bigint 10');
  const cyclic: Record<string, unknown> = { className: 'Nope' };
  cyclic.config = cyclic;
  expectError(() => getInitializer(cyclic as never), 'ERR_ARGUMENT', 'for identifier.className but received "Nope"');
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    expectError(() => getInitializer(name), 'ERR_ARGUMENT', `for identifier but received "${name}"`);
    expectError(() => getInitializer({ className: name }), 'ERR_ARGUMENT', `for identifier.className but received "${name}"`);
  }
});
