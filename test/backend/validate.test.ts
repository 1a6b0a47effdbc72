/**
 * The value describer every error message is built from never throws, and scalar parameters that float32 would
 * hold only as Infinity are refused by the function the user called (libtorch named its own op).
 */
import { K, tensor, ones, full, KeratorchError } from '../../src';
import { describe as describeValue, fail } from '../../src/backend/validate';
import { expectError } from '../helpers/errors';

const throwingProxy = (target: object) => new Proxy(target, {
  get: () => { throw new Error('get'); },
  has: () => { throw new Error('has'); },
  getPrototypeOf: () => { throw new Error('getPrototypeOf'); },
});

describe('describe never throws', () => {
  const cyclic: unknown[] = [1, 2];
  cyclic.push(cyclic);
  const revoked = Proxy.revocable([], {});
  revoked.revoke();
  test.each<[string, unknown, string | RegExp]>([
    ['a bigint', 10n, 'bigint 10n'],
    ['a symbol', Symbol('s'), 'symbol Symbol(s)'],
    ['an object without a prototype', Object.create(null), 'an object (Object)'],
    ['a cyclic array', cyclic, 'an array of length 3'],
    ['an array nested 10,000 deep', JSON.parse(`${'['.repeat(10000)}${']'.repeat(10000)}`), /^\[+an array of length 1\]+$/],
    ['a Proxy whose traps throw', throwingProxy({}), 'an object that cannot be read'],
    ['an array Proxy whose traps throw', throwingProxy([]), 'an object that cannot be read'],
    ['a revoked Proxy', revoked.proxy, 'an object that cannot be read'],
    ['an array holding a Proxy whose traps throw', [1, throwingProxy({})], '[1,an object that cannot be read]'],
    ['an object whose describe throws', { describe: () => { throw new Error('x'); } }, 'an object that cannot be read'],
    ['a function', function named() {}, 'function named'],
  ])('%s', (_, value, expected) => {
    expect(describeValue(value)).toMatch(expected);
  });

  test('fail throws a KeratorchError even when handed a non-string function name', () => {
    expect(() => fail(Object.create(null) as string, 'a Tensor', 'x', 1)).toThrow(KeratorchError);
  });
});

describe('a scalar parameter float32 cannot hold is refused by the function called, naming it', () => {
  test.each<[string, () => unknown, string]>([
    ['leakyRelu', () => K.leakyRelu(ones([2, 3]), -1e300), 'alpha'],
    ['elu', () => K.elu(ones([2]), 1e300), 'alpha'],
    ['clip', () => K.clip(ones([2]), -1e300, 1), 'minValue'],
    ['relu', () => K.relu(ones([2]), 0, 1e300), 'maxValue'],
    ['full', () => full([2], 1e300), 'value'],
    ['tensor', () => tensor(1e300, [2, 2], 'float32'), 'values'],
    ['tensor', () => tensor([1, -1e300], [2], 'float32'), 'values[1]'],
    ['tensor', () => tensor(new Float64Array([1e300]), [1], 'float32'), 'values'],
  ])('%s', (fn, call, name) => {
    expectError(call, 'ERR_VALUE', `${fn}: expected a number float32 holds`, `for ${name}`, '1e+300');
  });

  test('float64 and Infinity are still taken', () => {
    expect(tensor([1e300], [1], 'float64').array()).toEqual([1e300]);
    expect(tensor([Infinity], [1], 'float32').array()).toEqual([Infinity]);
    expect(K.leakyRelu(tensor([-1]), 3e38).array()).toEqual([-3e38].map(Math.fround));
  });
});
