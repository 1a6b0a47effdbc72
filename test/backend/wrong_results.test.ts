/**
 * Bad input that used to give a wrong answer with no error (issue 16): values wrapped into an
 * integer dtype, an empty axis list reducing everything, NaN cast to INT_MIN, a dtype read from the
 * first element only, zero gradients inside noGrad. Also messages that named another function.
 */
import { K, KeratorchError, Tensor, tensor, zeros, ones, full, arange, eye, randomNormal, randomUniform, randomBinomial, tidy } from '../../src';
import type { DType } from '../../src';
import { expectKeratorchError as expectError, settle } from '../helpers/memory';

beforeEach(settle);

const values = (t: Tensor) => t.array();

describe('TypedArrays and bigints are range-checked against the dtype, as number arrays are', () => {
  test('a bigint an int32 cannot hold is refused, not wrapped to 0', () => {
    expectError(() => tensor(new BigInt64Array([2n ** 40n]), [1], 'int32'), 'ERR_VALUE', 'tensor', 'values[0]',
      '1099511627776', 'int32');
    expectError(() => tensor(new BigInt64Array([1n, -1n]), [2], 'uint8'), 'ERR_VALUE', 'tensor', 'values[1]', 'uint8');
    expect(values(tensor(new BigInt64Array([5n, -7n]), [2], 'int32'))).toEqual([5, -7]);
    // int64's ends compare exactly (as numbers, 2^63 - 1 rounds up to 2^63 and was refused).
    expect(tensor(new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n)]), [2], 'int64').shape).toEqual([2]);
    const big = tensor(new BigInt64Array([2n ** 60n + 1n]));
    expect(big.dtype).toBe('int64');
    expect(big.data()[0]).toBe(2n ** 60n + 1n);
  });

  test('float and int32 arrays: fractions and values out of range are refused for integer dtypes', () => {
    expectError(() => tensor(new Float32Array([1, 1.5]), [2], 'int32'), 'ERR_VALUE', 'tensor', 'values[1]', '1.5');
    expectError(() => tensor(new Float64Array([2 ** 40]), [1], 'int32'), 'ERR_VALUE', 'tensor', 'values[0]');
    expectError(() => tensor(new Int32Array([300]), [1], 'uint8'), 'ERR_VALUE', 'tensor', '300', 'uint8');
    expectError(() => tensor(new Float64Array([NaN]), [1], 'int64'), 'ERR_VALUE', 'tensor', 'NaN');
    expect(values(tensor(new Float64Array([3, -4]), [2], 'int32'))).toEqual([3, -4]);
    expect(values(tensor(new Int32Array([255, 0]), [2], 'uint8'))).toEqual([255, 0]);
    expect(values(tensor(new Uint8Array([2, 0]), [2], 'bool'))).toEqual([true, false]);
  });

  test('arange refuses a range whose values an integer dtype cannot hold', () => {
    expectError(() => arange(2 ** 31 - 2, 2 ** 31 + 2, 1, 'int32'), 'ERR_VALUE', 'arange', 'int32',
      '[2147483646,2147483650,1]');
    expectError(() => arange(-(2 ** 31) + 1, -(2 ** 31) - 2, -1, 'int32'), 'ERR_VALUE', 'arange', 'int32');
    expectError(() => arange(250, 260, 1, 'uint8'), 'ERR_VALUE', 'arange', 'uint8');
    expect(values(arange(2 ** 31 - 2, 2 ** 31 + 2, 1, 'int64'))).toEqual([2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1]);
    expect(values(arange(2 ** 31 - 3, 2 ** 31, 1, 'int32'))).toEqual([2 ** 31 - 3, 2 ** 31 - 2, 2 ** 31 - 1]);
  });

  test('arange names the real problem: too many values, or a fraction for an integer dtype', () => {
    expectError(() => arange(0, 1, 1e-300), 'ERR_MEMORY', 'arange', '1.00e+300 values', 'step 1e-300', '4.00e+300 bytes',
      'memory');
    expectError(() => arange(0, 1, 1e-300, 'float32'), 'ERR_MEMORY', 'arange', '1.00e+300 values');
    // libtorch would truncate the step to 0 ("step must be nonzero") or the start to 0.
    expectError(() => arange(0, 1, 0.5, 'int32'), 'ERR_VALUE', 'arange', 'step', '0.5', 'int32');
    expectError(() => arange(0.5, 3, 1, 'int32'), 'ERR_VALUE', 'arange', 'start', '0.5');
    expect(values(arange(0, 1, 0.5, 'float32'))).toEqual([0, 0.5]);
  });

  test('arange with a step away from stop is empty, as in numpy', () => {
    const empty = arange(5, 0);
    expect(empty.shape).toEqual([0]);
    expect(empty.dtype).toBe('int32');
    expect(arange(0, 5, -1, 'float32').shape).toEqual([0]);
  });
});

describe('a plain number operand follows NumPy 2 (NEP 50): it must fit an integer tensor\'s dtype', () => {
  const u8 = () => tensor([1, 2], [2], 'uint8');
  const i32 = () => tensor([1, 2], [2], 'int32');

  test('arithmetic with an integral number out of the dtype\'s range is refused, naming the op', () => {
    tidy(() => {
      const [small, int, long, condition] = [u8(), i32(), tensor([1], [1], 'int64'), tensor([true, false])];
      expectError(() => K.add(int, 1e10), 'ERR_VALUE', 'add', 'for y', '10000000000', 'out of bounds for int32');
      expectError(() => K.add(small, 300), 'ERR_VALUE', 'add', '300', 'out of bounds for uint8');
      expectError(() => K.subtract(300, small), 'ERR_VALUE', 'subtract', 'for x', "y's dtype uint8");
      expectError(() => K.multiply(small, -1), 'ERR_VALUE', 'multiply', '-1', 'uint8');
      expectError(() => small.add(256), 'ERR_VALUE', 'add', '256');
      for (const op of ['pow', 'mod', 'floorDiv', 'minimum', 'maximum'] as const) {
        expectError(() => K[op](int, 2 ** 31), 'ERR_VALUE', op, '2147483648', 'int32');
      }
      expectError(() => K.where(condition, small, 300), 'ERR_VALUE', 'where', '300', 'uint8');
      expectError(() => K.add(long, 2 ** 63), 'ERR_VALUE', 'add', 'int64');
    });
  });

  test('numbers that fit, fractions, and other dtypes work as before', () => {
    tidy(() => {
      expect(values(K.add(i32(), 2 ** 31 - 3))).toEqual([2 ** 31 - 2, 2 ** 31 - 1]);
      expect(values(K.add(tensor([-5], [1], 'int32'), -(2 ** 31) + 5))).toEqual([-(2 ** 31)]);
      const promoted = K.add(u8(), 1.5);
      expect(promoted.dtype).toBe('float32');
      expect(values(promoted)).toEqual([2.5, 3.5]);
      expect(values(K.add(tensor([0.5]), 1e10))).toEqual([1e10]);
      const fromBool = K.add(tensor([true]), 300);
      expect(fromBool.dtype).toBe('int64');
      expect(values(fromBool)).toEqual([301]);
    });
  });

  test('ops whose result is not in the tensor\'s dtype give the right answer for any number', () => {
    tidy(() => {
      expect(values(K.divide(u8(), 300))).toEqual([expect.closeTo(1 / 300, 7), expect.closeTo(2 / 300, 7)]);
      const grid = tensor([[0, 1], [254, 255]], [2, 2], 'uint8');
      const all = (b: boolean) => [[b, b], [b, b]];
      expect(values(K.equal(grid, 256))).toEqual(all(false));
      expect(values(K.notEqual(grid, 256))).toEqual(all(true));
      expect(values(K.less(grid, 300))).toEqual(all(true));
      expect(values(K.lessEqual(grid, 300))).toEqual(all(true));
      expect(values(K.greater(grid, 300))).toEqual(all(false));
      expect(values(K.greaterEqual(grid, 300))).toEqual(all(false));
      expect(values(K.less(grid, -1))).toEqual(all(false));
      expect(values(K.greater(grid, -1))).toEqual(all(true));
      expect(values(K.greater(300, grid))).toEqual(all(true));
      expect(values(K.lessEqual(-1, grid))).toEqual(all(true));
      expect(values(K.equal(i32(), 2 ** 32 + 1))).toEqual([false, false]);
      expect(values(K.logicalAnd(tensor([0, 1], [2], 'uint8'), 256))).toEqual([false, true]);
      expect(values(K.logicalOr(256, tensor([0, 1], [2], 'uint8')))).toEqual([true, true]);
    });
  });

  test('updateAdd and updateSub refuse numbers the variable\'s dtype cannot hold, naming themselves', () => {
    const counter = K.variable([1, 2], 'int32');
    expectError(() => K.updateAdd(counter, 1e10), 'ERR_VALUE', 'updateAdd', 'increment', 'int32');
    expectError(() => K.updateSub(counter, 2 ** 31), 'ERR_VALUE', 'updateSub', 'decrement', 'int32');
    expectError(() => K.updateAdd(counter, 0.5), 'ERR_DTYPE', 'updateAdd', 'int32', 'float32', '0.5');
    expect(values(K.updateAdd(counter, 3))).toEqual([4, 5]);
    counter.dispose();
  });
});

describe('an empty axis list reduces no axis, as in numpy and TensorFlow', () => {
  test('every reduction returns the values, in the dtype the reduction gives', () => {
    tidy(() => {
      const x = tensor([[1, -2], [3, 0]]);
      const kept = (t: Tensor) => ({ shape: t.shape, values: values(t) });
      for (const op of ['sum', 'max', 'min', 'prod', 'mean', 'logsumexp'] as const) {
        expect(kept(K[op](x, []))).toEqual({ shape: [2, 2], values: [[1, -2], [3, 0]] });
        expect(K[op](x, [], true).shape).toEqual([2, 2]);
      }
      expect(values(K.std(x, []))).toEqual([[0, 0], [0, 0]]);
      expect(values(K.var(x, []))).toEqual([[0, 0], [0, 0]]);
      expect(values(K.any(x, []))).toEqual([[true, true], [true, false]]);
      expect(values(K.all(x, []))).toEqual([[true, true], [true, false]]);
      const ints = tensor([[1, 2]], [1, 2], 'int32');
      expect(K.sum(ints, []).dtype).toBe('int32');
      expect(K.mean(ints, []).dtype).toBe('float32');
      expect(values(x.sum([]))).toEqual([[1, -2], [3, 0]]);
      expect(values(K.sum(tensor(4), []))).toBe(4);
    });
  });

  test('null and undefined still reduce every axis', () => {
    tidy(() => {
      const x = tensor([[1, 2], [3, 4]]);
      expect(values(K.sum(x, null))).toBe(10);
      expect(values(K.sum(x))).toBe(10);
      expect(values(K.max(x, undefined))).toBe(4);
    });
  });

  test('gradients flow through an empty reduction', () => {
    const v = K.variable([1, 2]);
    const [g] = tidy(() => K.gradients(K.sum(K.multiply(K.sum(v, []), 3)), [v]));
    expect(values(g)).toEqual([3, 3]);
    v.dispose();
    g.dispose();
  });
});

describe('cast refuses float values an integer dtype cannot hold', () => {
  test('NaN, infinities and values out of range are refused, with how many and the first', () => {
    tidy(() => {
      const [nan, infinite, large, above, negative, byte] = [tensor([NaN, 1]), tensor([1, Infinity, 1e20, -Infinity]),
        tensor([[0, 1], [2, 1e20]]), tensor([2 ** 31], [1], 'float64'), tensor([-1, 2]), tensor([256])];
      expectError(() => K.cast(nan, 'int32'), 'ERR_VALUE', 'cast', '1 value out of range', 'first NaN at index 0');
      expectError(() => K.cast(infinite, 'int32'), 'ERR_VALUE', 'cast', 'float32[4]', '3 values',
        'first Infinity at index 1');
      expectError(() => large.cast('int64'), 'ERR_VALUE', 'cast', '1 value', 'at index 3');
      expectError(() => K.cast(above, 'int32'), 'ERR_VALUE', 'cast', '2147483648');
      expectError(() => K.cast(negative, 'uint8'), 'ERR_VALUE', 'cast', 'uint8', 'first -1');
      expectError(() => K.cast(byte, 'uint8'), 'ERR_VALUE', 'cast', '256');
    });
  });

  test('values that fit are truncated towards zero as before; bool and float targets take anything', () => {
    tidy(() => {
      expect(values(K.cast(tensor([-0.5, 255.9, 3.7]), 'uint8'))).toEqual([0, 255, 3]);
      expect(values(K.cast(tensor([-(2 ** 31), 2 ** 31 - 128]), 'int32'))).toEqual([-(2 ** 31), 2 ** 31 - 128]);
      expect(values(K.cast(tensor([-2147483648.9], [1], 'float64'), 'int32'))).toEqual([-(2 ** 31)]);
      expect(values(K.cast(tensor([NaN, 0, 1e20]), 'bool'))).toEqual([true, false, true]);
      expect(values(K.cast(tensor([NaN], [1], 'float64'), 'float32'))).toEqual([NaN]);
      expect(K.cast(zeros([0, 3]), 'int32').shape).toEqual([0, 3]);
    });
  });

  test('setValue converts a float tensor into an integer variable with the same check', () => {
    const counter = K.variable([1, 2], 'int32');
    tidy(() => {
      const nan = tensor([NaN, 1]);
      expectError(() => K.setValue(counter, nan), 'ERR_VALUE', 'setValue', 'value', 'NaN');
    });
    expect(values(counter)).toEqual([1, 2]);
    counter.dispose();
  });
});

describe('a nested array\'s dtype comes from all its values', () => {
  test('booleans with numbers make numbers (float32, as numbers alone do); booleans alone make bool', () => {
    tidy(() => {
      const mixed = tensor([true, 2]);
      expect(mixed.dtype).toBe(tensor([1, 2]).dtype);
      expect(values(mixed)).toEqual([1, 2]);
      expect(values(tensor([[false], [3]]))).toEqual([[0], [3]]);
      expect(tensor([[true], [false]]).dtype).toBe('bool');
      expect(values(tensor([true, 2], undefined, 'int32'))).toEqual([1, 2]);
    });
  });
});

describe('gradients inside noGrad', () => {
  test('a loss recorded outside noGrad has its gradients computed inside it, as torch.autograd.grad does', () => {
    const a = K.variable([1, 2]);
    const loss = K.sum(K.multiply(a, a));
    const [g] = K.noGrad(() => K.gradients(loss, [a]));
    expect(values(g)).toEqual([2, 4]);
    for (const t of [a, loss, g]) t.dispose();
  });

  test('a loss computed inside noGrad has no graph: refused instead of zeros', () => {
    const a = K.variable([1, 2]);
    tidy(() => {
      const [recorded, unrecorded] = [K.sum(a), K.noGrad(() => K.sum(K.multiply(a, a)))];
      expectError(() => K.noGrad(() => K.gradients(unrecorded, [a])), 'ERR_VALUE', 'gradients', 'inside K.noGrad');
      expectError(() => K.noGrad(() => K.gradients([recorded, unrecorded], [a])), 'ERR_VALUE', 'gradients', 'loss[1]');
      // Outside noGrad, a loss that does not depend on the variable still gets zeros (Keras's rule).
      expect(values(K.gradients(K.sum(tensor([1, 2])), [a])[0])).toEqual([0, 0]);
    });
    a.dispose();
  });

  test('noGrad of a non-function says so', () => {
    expectError(() => K.noGrad(5 as unknown as () => number), 'ERR_ARGUMENT', 'noGrad', 'a function', 'received 5');
  });

  test('gradients refuses unknown options, listing the known ones', () => {
    const a = K.variable([1]);
    tidy(() => {
      const loss = K.sum(a);
      expectError(() => K.gradients(loss, [a], { retainGraphs: false } as never), 'ERR_ARGUMENT', 'gradients',
        'retainGraph, createGraph', '"retainGraphs"');
      expectError(() => K.gradients(loss, [a], { createGraph: 'yes' } as never), 'ERR_ARGUMENT', 'gradients',
        'createGraph', '"yes"');
    });
    a.dispose();
  });
});

describe('messages name the user\'s function and what it received', () => {
  test('setValue, updateAdd and updateSub name themselves and their argument', () => {
    const v = K.variable([1, 2]);
    tidy(() => {
      const [counter, three, square] = [K.variable([1], 'int32'), tensor([1, 2, 3]), tensor([[1, 2], [3, 4]])];
      expectError(() => K.setValue(v, [1, 'x'] as never), 'ERR_ARGUMENT', 'setValue', 'value[1]', '"x"');
      expectError(() => K.setValue(v, {} as never), 'ERR_ARGUMENT', 'setValue', 'for value');
      expectError(() => K.setValue(counter, [1.5]), 'ERR_VALUE', 'setValue', 'value', '1.5');
      expectError(() => K.updateAdd(v, three), 'ERR_SHAPE', 'updateAdd', 'increment', 'float32[3]', '[2]');
      expectError(() => K.updateSub(v, square), 'ERR_SHAPE', 'updateSub', 'decrement');
      expectError(() => K.updateAdd(v, 'x' as never), 'ERR_ARGUMENT', 'updateAdd', 'increment', '"x"');
    });
    expect(values(K.updateAdd(v, tidy(() => tensor([[10, 20]]).reshape([2]))))).toEqual([11, 22]);
    v.dispose();
  });

  test('a tensor larger than the machine\'s memory is refused before allocating, with its size', () => {
    const huge = [1e6, 1e6];
    const bytes = '4000000000000 bytes';
    expectError(() => zeros(huge), 'ERR_MEMORY', 'zeros', 'shape [1000000,1000000] float32', '4.0 TB', bytes,
      "this machine's", 'of memory');
    expectError(() => ones(huge, 'float64'), 'ERR_MEMORY', 'ones', '8000000000000 bytes');
    expectError(() => full(huge, 7, 'int32'), 'ERR_MEMORY', 'full', bytes);
    expectError(() => tensor(0, huge), 'ERR_MEMORY', 'tensor', bytes);
    expectError(() => eye(1e7), 'ERR_MEMORY', 'eye', 'shape [10000000,10000000]');
    expectError(() => arange(0, 1e13, 1, 'float32'), 'ERR_MEMORY', 'arange', '10000000000000 values', '40000000000000 bytes');
    expectError(() => randomNormal(huge), 'ERR_MEMORY', 'randomNormal', bytes);
    expectError(() => randomUniform(huge), 'ERR_MEMORY', 'randomUniform', bytes);
    expectError(() => randomBinomial(huge, 0.5, 'uint8'), 'ERR_MEMORY', 'randomBinomial', '1000000000000 bytes');
    expectError(() => K.zeros(huge), 'ERR_MEMORY', 'zeros', bytes);
    expectError(() => K.constant(1, 'float32', huge), 'ERR_MEMORY', 'constant', bytes);
    const dtypes: DType[] = ['float32', 'bool'];
    for (const dtype of dtypes) expect(zeros([0, 1e9], dtype).shape).toEqual([0, 1e9]);
  });
});

test('cast refuses dtype names that are Object.prototype members or objects, before reading ranges by them', () => {
  for (const dtype of ['constructor', '__proto__', Object.create(null)]) {
    expect(() => ones([2]).cast(dtype as never)).toThrow(/^cast: /);
    expect(() => ones([2]).cast(dtype as never)).toThrow(KeratorchError);
    expect(() => K.cast(ones([2]), dtype as never)).toThrow(KeratorchError);
  }
});

test('a class where a function is expected is refused up front, not by V8 from inside the call', () => {
  expect(() => K.noGrad(class Foo {} as never)).toThrow('noGrad: expected a function for fn but received class Foo');
  expect(() => tidy(class Bar {} as never)).toThrow('tidy: expected a function for fn but received class Bar');
});

test('floorDiv names an operand that is neither a tensor nor a number', () => {
  expect(() => K.floorDiv(Object.create(null), ones([2]))).toThrow(/^floorDiv: expected a Tensor, number or boolean for x/);
  expect(K.floorDiv(tensor([7], [1], 'int32'), 2).array()).toEqual([3]);
});
