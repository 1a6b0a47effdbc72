/**
 * Integer division and powers, where libtorch leaves C++'s undefined behaviour in place: the
 * smallest int32 or int64 divided by -1 raised SIGFPE and killed the process (binding/math.cc).
 * Results follow NumPy: floor division, a remainder with the divisor's sign, errors for what an
 * integer cannot hold.
 */
import { Input, K, KeratorchError, Lambda, Model, Tensor, tensor, SymbolicTensor } from '../../src';

const INT32_MIN = -(2 ** 31);
const INT64_MIN = -(2n ** 63n);

function int32(values: number[]): Tensor {
  return tensor(values, [values.length], 'int32');
}

function expectError(call: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try { call(); } catch (error) { thrown = error; }
  expect(thrown).toBeInstanceOf(KeratorchError);
  expect((thrown as Error).message).toMatch(message);
}

describe('the smallest integer divided by -1', () => {
  test('floorDiv refuses it in int32, with a scalar or a tensor divisor, naming the overflow', () => {
    const x = int32([INT32_MIN, 7]);
    expectError(() => K.floorDiv(x, -1), /^floorDiv: integer overflow: -2147483648 \/\/ -1 = 2147483648 does not fit int32/);
    expectError(() => K.floorDiv(x, int32([-1, -1])), /integer overflow/);
    expectError(() => K.floorDiv(x, int32([-1])), /integer overflow/);  // broadcast
  });

  test('floorDiv refuses it in int64', () => {
    const x = tensor(new BigInt64Array([INT64_MIN, 7n]), [2], 'int64');
    expectError(() => K.floorDiv(x, -1), /-9223372036854775808 \/\/ -1 = 9223372036854775808 does not fit int64/);
  });

  test('mod gives 0, the exact answer, in int32 and int64', () => {
    const remainder = K.mod(int32([INT32_MIN, 7, -7]), -1);
    expect(remainder.array()).toEqual([0, 0, 0]);
    expect(remainder.dtype).toBe('int32');
    expect(K.mod(int32([INT32_MIN, 5]), int32([-1, -1])).array()).toEqual([0, 0]);
    const x = tensor(new BigInt64Array([INT64_MIN]), [1], 'int64');
    expect(K.mod(x, -1).array()).toEqual([0]);
  });

  test('other divisors still floor, and the remainder takes the divisor sign', () => {
    expect(K.floorDiv(int32([INT32_MIN, 7, -7]), 2).array()).toEqual([-(2 ** 30), 3, -4]);
    expect(K.floorDiv(int32([INT32_MIN + 1]), -1).array()).toEqual([2 ** 31 - 1]);
    expect(K.mod(int32([7, -7]), -2).array()).toEqual([-1, -1]);
    expect(K.mod(int32([7, -7]), 2).array()).toEqual([1, 1]);
  });

  test('inside predictAsync, through a recorded Lambda, it gives NumPy\'s wrapped value instead of a trap', async () => {
    const input = Input({ shape: [2], dtype: 'int32' });
    const output = new Lambda((x: Tensor) => K.floorDiv(x, -1), { name: 'negate' }).apply(input) as SymbolicTensor;
    const model = new Model({ inputs: input, outputs: output });
    const x = tensor([INT32_MIN, 6], [1, 2], 'int32');
    const y = await model.predictAsync(x) as Tensor;
    expect(y.array()).toEqual([[INT32_MIN, -6]]);
    expect(y.dtype).toBe('int32');  // as predict gives: the divisor made safe keeps the result's dtype
  });
});

test('integer division by zero says so, for floorDiv and mod', () => {
  expectError(() => K.floorDiv(int32([1, 2]), 0), /^floorDiv: integer division by zero/);
  expectError(() => K.mod(int32([1, 2]), int32([1, 0])), /^mod: integer division by zero/);
});

test('integers to negative integer powers are refused, as NumPy does (libtorch gave 0)', () => {
  expectError(() => K.pow(int32([2, 0]), int32([-1, 1])), /^pow: integers to negative integer powers are not allowed/);
  expectError(() => K.pow(int32([2]), -1), /integers to negative integer powers/);
  expect(K.pow(int32([2, 3]), int32([3, 0])).array()).toEqual([8, 1]);
  expect(K.pow(K.cast(int32([2]), 'float32'), -1).array()).toEqual([0.5]);
});
