/**
 * The Tensor API: making tensors from JS values, every dtype, the creation functions, properties,
 * reading values back, numpy-style printing, device/dtype copies and the op methods.
 */
import { Console } from 'console';
import { Writable } from 'stream';
import { inspect } from 'util';
import {
  K, Tensor, tensor, zeros, ones, full, arange, eye, randomNormal, randomUniform, zerosLike, onesLike,
  setSeed, tidy, KeratorchError,
} from '../../src';
import type { DType } from '../../src';
import { expectClose } from '../helpers/close';

function stats(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), min, max };
}

/** What console.log prints for `value`, through a real Console. */
function consoleLogOutput(...values: unknown[]): string {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  new Console({ stdout: sink, stderr: sink, colorMode: false }).log(...values);
  return text;
}

describe('tensor() from JS values', () => {
  test('nested arrays give float32 by default, with the shape inferred', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t).toBeInstanceOf(Tensor);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.rank).toBe(2);
    expect(t.size).toBe(6);
    expect(t.device).toBe('cpu');
    expect(t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.data()).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
  });

  test('deeper nesting: rank 3 and rank 4', () => {
    const t3 = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]);
    expect(t3.shape).toEqual([3, 2, 2]);
    expect(t3.array()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]);
    const t4 = tensor([[[[1]], [[2]]]]);
    expect(t4.shape).toEqual([1, 2, 1, 1]);
    expect(t4.array()).toEqual([[[[1]], [[2]]]]);
  });

  test('float32 rounds values to single precision', () => {
    const t = tensor([0.1, 1 / 3]);
    expect(Array.from(t.data<'float32'>())).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
    expect(t.array()).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
  });

  test('a number gives a float32 scalar (rank 0)', () => {
    const t = tensor(3.5);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([]);
    expect(t.rank).toBe(0);
    expect(t.size).toBe(1);
    expect(t.item()).toBe(3.5);
    expect(t.array()).toBe(3.5);
  });

  test('booleans give bool tensors', () => {
    const scalar = tensor(true);
    expect(scalar.dtype).toBe('bool');
    expect(scalar.shape).toEqual([]);
    expect(scalar.item()).toBe(true);
    const t = tensor([[true, false], [false, true]]);
    expect(t.dtype).toBe('bool');
    expect(t.shape).toEqual([2, 2]);
    expect(t.array()).toEqual([[true, false], [false, true]]);
    expect(t.data()).toEqual(new Uint8Array([1, 0, 0, 1]));
  });

  test('an empty array gives a float32 tensor of shape [0]', () => {
    const t = tensor([]);
    expect(t.shape).toEqual([0]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(0);
    expect(t.array()).toEqual([]);
    expect(t.data()).toEqual(new Float32Array(0));
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  test('an explicit shape lays out flat values (row-major)', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor([[1, 2], [3, 4]], [4]).array()).toEqual([1, 2, 3, 4]);
    expect(tensor([7], []).array()).toBe(7);
  });

  test('a single value with a larger shape fills it', () => {
    const t = tensor(5, [2, 2]);
    expect(t.array()).toEqual([[5, 5], [5, 5]]);
    expect(tensor([2], [3], 'int32').array()).toEqual([2, 2, 2]);
  });

  const typedCases: [string, ArrayBufferView, DType, unknown[]][] = [
    ['Float32Array', new Float32Array([1.5, -2, 3]), 'float32', [1.5, -2, 3]],
    ['Float64Array', new Float64Array([0.1, -2, 1e300]), 'float64', [0.1, -2, 1e300]],
    ['Int32Array', new Int32Array([1, -2, 2147483647]), 'int32', [1, -2, 2147483647]],
    ['BigInt64Array', new BigInt64Array([1n, -2n, 4294967296n]), 'int64', [1, -2, 4294967296]],
    ['Uint8Array', new Uint8Array([0, 7, 255]), 'uint8', [0, 7, 255]],
  ];
  test.each(typedCases)('a %s gives its own dtype and values', (_name, values, dtype, expected) => {
    const t = tensor(values as Float32Array);
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([3]);
    expect(t.array()).toEqual(expected);
    const data = t.data();
    expect(data.constructor).toBe(values.constructor);
    expect(data).toEqual(values);
  });

  test('a TypedArray with a shape and with another dtype', () => {
    expect(tensor(new Float32Array([1, 2, 3, 4]), [2, 2]).array()).toEqual([[1, 2], [3, 4]]);
    const asInt = tensor(new Float32Array([1, 2, 3]), undefined, 'int32');
    expect(asInt.dtype).toBe('int32');
    expect(asInt.data()).toEqual(new Int32Array([1, 2, 3]));
    const asDouble = tensor(new Int32Array([1, -2]), undefined, 'float64');
    expect(asDouble.dtype).toBe('float64');
    expect(asDouble.data()).toEqual(new Float64Array([1, -2]));
    const fromBig = tensor(new BigInt64Array([5n, -6n]), undefined, 'float32');
    expect(fromBig.array()).toEqual([5, -6]);
  });

  test('a TypedArray view with a byte offset reads only its own elements', () => {
    const buffer = new Float32Array([9, 9, 1, 2, 3, 9]).buffer;
    const view = new Float32Array(buffer, 8, 3);
    expect(tensor(view).array()).toEqual([1, 2, 3]);
  });

  test('the tensor copies its input: changing the source later changes nothing', () => {
    const source = new Float32Array([1, 2, 3]);
    const t = tensor(source);
    source[0] = 100;
    expect(t.array()).toEqual([1, 2, 3]);
    const nested = [[1, 2]];
    const u = tensor(nested);
    nested[0][0] = 100;
    expect(u.array()).toEqual([[1, 2]]);
  });

  test('data() feeds back into tensor(): same dtype (bool comes back as uint8) and values', () => {
    for (const dtype of ['float32', 'float64', 'int32', 'int64', 'uint8'] as DType[]) {
      const t = tensor([[1, 2], [3, 4]], undefined, dtype);
      const back = tensor(t.data(), t.shape);
      expect([dtype, back.dtype]).toEqual([dtype, dtype]);
      expect(back.array()).toEqual([[1, 2], [3, 4]]);
    }
    const flags = tensor(tensor([true, false]).data());
    expect(flags.dtype).toBe('uint8');
    expect(flags.array()).toEqual([1, 0]);
  });

  test('data() returns a copy: changing it leaves the tensor alone', () => {
    const t = tensor([1, 2, 3]);
    const data = t.data();
    data[0] = 100;
    expect(t.array()).toEqual([1, 2, 3]);
  });
});

describe('every dtype', () => {
  const dtypeCases: [DType, { new(n: number): ArrayBufferView }, number][] = [
    ['float32', Float32Array, 4],
    ['float64', Float64Array, 8],
    ['int32', Int32Array, 4],
    ['int64', BigInt64Array, 8],
    ['uint8', Uint8Array, 1],
    ['bool', Uint8Array, 1],
  ];

  test.each(dtypeCases)('%s: made from nested arrays, read back as %p', (dtype, TypedArrayClass) => {
    const t = tensor([[0, 1], [2, 3]], undefined, dtype);
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([2, 2]);
    expect(t.data()).toBeInstanceOf(TypedArrayClass);
    if (dtype === 'bool') {
      expect(t.array()).toEqual([[false, true], [true, true]]);
      expect(Array.from(t.data() as Uint8Array)).toEqual([0, 1, 1, 1]);
    } else {
      expect(t.array()).toEqual([[0, 1], [2, 3]]);
      expect(Array.from(t.data() as Float32Array, Number)).toEqual([0, 1, 2, 3]);
    }
  });

  test.each(dtypeCases)('%s: zeros, ones and full', (dtype, TypedArrayClass) => {
    const z = zeros([2, 3], dtype);
    const o = ones([3], dtype);
    const f = full([2], 1, dtype);
    for (const t of [z, o, f]) {
      expect(t.dtype).toBe(dtype);
      expect(t.data()).toBeInstanceOf(TypedArrayClass);
    }
    const zero = dtype === 'bool' ? false : 0;
    const one = dtype === 'bool' ? true : 1;
    expect(z.array()).toEqual([[zero, zero, zero], [zero, zero, zero]]);
    expect(o.array()).toEqual([one, one, one]);
    expect(f.array()).toEqual([one, one]);
  });

  test('data() kinds: float32 Float32Array, float64 Float64Array, int32 Int32Array, int64 BigInt64Array, uint8/bool Uint8Array', () => {
    expect(tensor([1], undefined, 'float32').data()).toBeInstanceOf(Float32Array);
    expect(tensor([1], undefined, 'float64').data()).toBeInstanceOf(Float64Array);
    expect(tensor([1], undefined, 'int32').data()).toBeInstanceOf(Int32Array);
    expect(tensor([1], undefined, 'int64').data()).toEqual(new BigInt64Array([1n]));
    expect(tensor([1], undefined, 'uint8').data()).toBeInstanceOf(Uint8Array);
    expect(tensor([true], undefined, 'bool').data()).toEqual(new Uint8Array([1]));
  });

  test('float64 keeps double precision; float32 does not', () => {
    expect(tensor([0.1], undefined, 'float64').array()).toEqual([0.1]);
    expect(tensor([0.1], undefined, 'float32').array()).not.toEqual([0.1]);
    expect(tensor([1e300], undefined, 'float64').item()).toBe(1e300);
  });

  test('int64 holds values past 32 bits', () => {
    const t = tensor([2 ** 40, -(2 ** 35)], undefined, 'int64');
    expect(t.data()).toEqual(new BigInt64Array([2n ** 40n, -(2n ** 35n)]));
    expect(t.array()).toEqual([2 ** 40, -(2 ** 35)]);
    expect(tensor([2 ** 40], undefined, 'int64').item()).toBe(2 ** 40);
  });

  test('uint8 holds 0..255 and int32 its full range', () => {
    expect(tensor([0, 128, 255], undefined, 'uint8').array()).toEqual([0, 128, 255]);
    expect(tensor([-(2 ** 31), 2 ** 31 - 1], undefined, 'int32').array()).toEqual([-(2 ** 31), 2 ** 31 - 1]);
  });

  test('bool from numbers: non-zero is true', () => {
    expect(tensor([0, 1, 5], undefined, 'bool').array()).toEqual([false, true, true]);
  });

  test('booleans into a numeric dtype give 0 and 1', () => {
    expect(tensor([true, false], undefined, 'float32').array()).toEqual([1, 0]);
    expect(tensor([true, false], undefined, 'int32').array()).toEqual([1, 0]);
  });
});

describe('creation functions', () => {
  test('zeros and ones: default float32, any shape, scalars and empty shapes', () => {
    const z = zeros([2, 3]);
    expect(z.dtype).toBe('float32');
    expect(z.array()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones([2]).array()).toEqual([1, 1]);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([]).item()).toBe(0);
    expect(ones([0, 3]).shape).toEqual([0, 3]);
    expect(ones([0, 3]).size).toBe(0);
  });

  test('full fills with a value', () => {
    expect(full([2, 2], 7).array()).toEqual([[7, 7], [7, 7]]);
    expect(full([3], -2, 'int32').array()).toEqual([-2, -2, -2]);
    expect(full([2], 2.5, 'float64').array()).toEqual([2.5, 2.5]);
  });

  test('arange: one argument, start/stop, step, negative step, float dtype', () => {
    const a = arange(5);
    expect(a.dtype).toBe('int32');
    expect(a.array()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 8, 2).array()).toEqual([2, 4, 6]);
    expect(arange(5, 0, -1).array()).toEqual([5, 4, 3, 2, 1]);
    expect(arange(3, 3).shape).toEqual([0]);
    const f = arange(0, 1, 0.25, 'float32');
    expect(f.dtype).toBe('float32');
    expect(f.array()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0, 3, 1, 'int64').dtype).toBe('int64');
  });

  test('eye: square, rectangular, other dtypes', () => {
    expect(eye(3).array()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).array()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2).array()).toEqual([[1, 0], [0, 1], [0, 0]]);
    const e = eye(2, undefined, 'int32');
    expect(e.dtype).toBe('int32');
    expect(e.array()).toEqual([[1, 0], [0, 1]]);
  });

  test('zerosLike and onesLike keep shape, dtype and device, or take a dtype', () => {
    const x = tensor([[1, 2, 3]], undefined, 'int32');
    const z = zerosLike(x);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe('int32');
    expect(z.device).toBe(x.device);
    expect(z.array()).toEqual([[0, 0, 0]]);
    const o = onesLike(x);
    expect(o.dtype).toBe('int32');
    expect(o.array()).toEqual([[1, 1, 1]]);
    const of = onesLike(x, 'float64');
    expect(of.dtype).toBe('float64');
    expect(of.array()).toEqual([[1, 1, 1]]);
    expect(zerosLike(tensor(3)).shape).toEqual([]);
  });

  describe('random', () => {
    test('randomNormal: shape, dtype, and the same seed gives the same values', () => {
      const a = randomNormal([3, 4], 0, 1, 'float32', 7);
      const b = randomNormal([3, 4], 0, 1, 'float32', 7);
      const c = randomNormal([3, 4], 0, 1, 'float32', 8);
      expect(a.shape).toEqual([3, 4]);
      expect(a.dtype).toBe('float32');
      expect(a.array()).toEqual(b.array());
      expect(a.array()).not.toEqual(c.array());
      expect(randomNormal([2], 0, 1, 'float64', 1).dtype).toBe('float64');
    });

    test('randomUniform: shape, dtype, and the same seed gives the same values', () => {
      const a = randomUniform([5], 0, 1, 'float32', 3);
      const b = randomUniform([5], 0, 1, 'float32', 3);
      expect(a.array()).toEqual(b.array());
      expect(a.array()).not.toEqual(randomUniform([5], 0, 1, 'float32', 4).array());
    });

    test('without a seed, consecutive calls differ', () => {
      expect(randomNormal([8]).array()).not.toEqual(randomNormal([8]).array());
      expect(randomUniform([8]).array()).not.toEqual(randomUniform([8]).array());
    });

    test('setSeed makes the unseeded sequence repeat exactly', () => {
      setSeed(1234);
      const a1 = randomNormal([6]).array();
      const b1 = randomUniform([6]).array();
      setSeed(1234);
      const a2 = randomNormal([6]).array();
      const b2 = randomUniform([6]).array();
      expect(a2).toEqual(a1);
      expect(b2).toEqual(b1);
      expect(a1).not.toEqual(randomNormal([6]).array());
      setSeed(99);
      expect(randomNormal([6]).array()).not.toEqual(a1);
    });

    test('a seeded call does not disturb the unseeded sequence', () => {
      setSeed(5);
      randomNormal([4]);
      const expected = randomNormal([4]).array();
      setSeed(5);
      randomNormal([4]);
      randomNormal([100], 0, 1, 'float32', 42);
      randomUniform([100], 0, 1, 'float32', 42);
      expect(randomNormal([4]).array()).toEqual(expected);
    });

    test('K.setSeed is the same generator', () => {
      K.setSeed(77);
      const a = K.randomUniform([5]).array();
      setSeed(77);
      expect(K.randomUniform([5]).array()).toEqual(a);
    });

    test('randomNormal statistics on 10k samples: mean and stddev', () => {
      const values = randomNormal([10000], 3, 2, 'float32', 11).data() as Float32Array;
      const s = stats(values);
      // standard error of the mean is 2 / 100 = 0.02; of the std about 0.014
      expect(Math.abs(s.mean - 3)).toBeLessThan(0.1);
      expect(Math.abs(s.std - 2)).toBeLessThan(0.08);
      // about 68% within one stddev, 95% within two
      let one = 0;
      let two = 0;
      for (const v of values) {
        if (Math.abs(v - 3) < 2) one++;
        if (Math.abs(v - 3) < 4) two++;
      }
      expect(one / values.length).toBeGreaterThan(0.66);
      expect(one / values.length).toBeLessThan(0.70);
      expect(two / values.length).toBeGreaterThan(0.94);
      expect(two / values.length).toBeLessThan(0.96);
    });

    test('randomUniform statistics on 10k samples: range, mean, variance, spread', () => {
      const values = randomUniform([100, 100], -2, 6, 'float64', 12).data() as Float64Array;
      const s = stats(values);
      expect(s.min).toBeGreaterThanOrEqual(-2);
      expect(s.max).toBeLessThan(6);
      expect(Math.abs(s.mean - 2)).toBeLessThan(0.1);
      expect(Math.abs(s.std - 8 / Math.sqrt(12))).toBeLessThan(0.08);
      const buckets = new Array(8).fill(0);
      for (const v of values) buckets[Math.floor(v + 2)]++;
      for (const count of buckets) expect(Math.abs(count - 1250)).toBeLessThan(150);
    });
  });
});

describe('properties and reading values', () => {
  test('shape is a copy: changing it does not change the tensor', () => {
    const t = zeros([2, 3]);
    const shape = t.shape;
    shape[0] = 10;
    expect(t.shape).toEqual([2, 3]);
  });

  test('rank and size for scalars, vectors, empty and higher-rank tensors', () => {
    expect([tensor(1).rank, tensor(1).size]).toEqual([0, 1]);
    expect([tensor([1, 2]).rank, tensor([1, 2]).size]).toEqual([1, 2]);
    expect([zeros([2, 0, 3]).rank, zeros([2, 0, 3]).size]).toEqual([3, 0]);
    expect([zeros([2, 3, 4, 5]).rank, zeros([2, 3, 4, 5]).size]).toEqual([4, 120]);
  });

  test('device is cpu by default and when asked for', () => {
    expect(tensor([1]).device).toBe('cpu');
    expect(tensor([1], undefined, 'float32', 'cpu').device).toBe('cpu');
    expect(zeros([1], 'float32', 'cpu').device).toBe('cpu');
  });

  test('item() on one-element tensors of each kind', () => {
    expect(tensor([[4]]).item()).toBe(4);
    expect(tensor([9], undefined, 'int32').item()).toBe(9);
    expect(tensor([9], undefined, 'int64').item()).toBe(9);
    expect(tensor([200], undefined, 'uint8').item()).toBe(200);
    expect(tensor([false]).item()).toBe(false);
    expect(tensor([0.5], undefined, 'float64').item()).toBe(0.5);
  });

  test('item() on several elements throws ERR_SHAPE', () => {
    expect(() => tensor([1, 2]).item()).toThrow(KeratorchError);
    try {
      tensor([1, 2]).item();
    } catch (error) {
      expect((error as KeratorchError).code).toBe('ERR_SHAPE');
      expect((error as KeratorchError).message).toMatch(/^item: .*float32\[2\]/);
    }
  });

  test('array() of a scalar is a plain value, of int64 numbers, of bool booleans', () => {
    expect(tensor(2).array()).toBe(2);
    expect(tensor(true).array()).toBe(true);
    expect(tensor([[1, 2]], undefined, 'int64').array()).toEqual([[1, 2]]);
    expect(typeof (tensor([1], undefined, 'int64').array() as number[])[0]).toBe('number');
  });
});

describe('printing', () => {
  test('toString of the dot example is numpy-like', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6], [7, 8]]);
    expect(K.dot(a, b).toString()).toBe('[[19., 22.],\n [43., 50.]]');
    expect(String(K.dot(a, b))).toBe('[[19., 22.],\n [43., 50.]]');
    expect(`${K.dot(a, b)}`).toBe('[[19., 22.],\n [43., 50.]]');
  });

  test('integers print without dots, any integer dtype', () => {
    expect(tensor([1, 2, 3], undefined, 'int32').toString()).toBe('[1, 2, 3]');
    expect(tensor([[1, -20], [300, 4]], undefined, 'int64').toString()).toBe('[[  1, -20],\n [300,   4]]');
    expect(tensor([0, 255], undefined, 'uint8').toString()).toBe('[  0, 255]');
    expect(arange(3).toString()).toBe('[0, 1, 2]');
  });

  test('bools print True/False, padded like numpy', () => {
    expect(tensor([true, false]).toString()).toBe('[ True, False]');
    expect(tensor([[true], [true]]).toString()).toBe('[[ True],\n [ True]]');
    expect(tensor([false]).toString()).toBe('[False]');
  });

  test('scalars', () => {
    expect(tensor(3).toString()).toBe('3.');
    expect(tensor(3, undefined, 'int32').toString()).toBe('3');
    expect(tensor(true).toString()).toBe('True');
    expect(tensor(0.5).toString()).toBe('0.5');
  });

  test('floats: aligned columns, negative numbers, fractions that read back', () => {
    expect(tensor([-1, 2]).toString()).toBe('[-1.,  2.]');
    const text = tensor([0.5, 0.25, -1.125]).toString();
    const cells = text.slice(1, -1).split(', ');
    expect(new Set(cells.map((c) => c.length)).size).toBe(1);
    expect(cells.map(Number)).toEqual([0.5, 0.25, -1.125]);
  });

  test('nan and inf', () => {
    expect(tensor([NaN, Infinity, -Infinity, 1]).toString()).toMatch(/^\[\s*nan,\s+inf,\s+-inf,\s+1\.\]$/);
  });

  test('very small or very large floats use exponent notation', () => {
    expect(tensor([1e-5, 1]).toString()).toMatch(/e-05/);
    expect(tensor([1e9]).toString()).toMatch(/e\+09/);
  });

  test('rank 3 separates blocks with a blank line, as numpy does', () => {
    expect(zeros([2, 2, 2], 'int32').toString()).toBe('[[[0, 0],\n  [0, 0]],\n\n [[0, 0],\n  [0, 0]]]');
  });

  test('empty tensors', () => {
    expect(tensor([]).toString()).toBe('[]');
  });

  test('up to 1000 elements print in full', () => {
    const text = arange(1000).toString();
    expect(text).not.toContain('...');
    expect(text.startsWith('[  0,   1,')).toBe(true);
    expect(text.endsWith(' 999]')).toBe(true);
  });

  test('big tensors are summarized with "..." (numpy threshold 1000, 3 edge items)', () => {
    expect(arange(2000).toString()).toBe('[   0,    1,    2, ..., 1997, 1998, 1999]');
    const text = K.reshape(arange(10000), [100, 100]).toString();
    const lines = text.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('[[   0,    1,    2, ...,   97,   98,   99],');
    expect(lines[3]).toBe(' ...,');
    expect(lines[6]).toBe(' [9900, 9901, 9902, ..., 9997, 9998, 9999]]');
    const big = zeros([50, 50, 50]).toString();
    expect(big).toContain('...');
    expect(big.length).toBeLessThan(2000);
  });

  test('util.inspect and console.log show tensor(..., dtype=...)', () => {
    const d = K.dot(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
    const expected = 'tensor([[19., 22.],\n        [43., 50.]], dtype=float32)';
    expect(inspect(d)).toBe(expected);
    expect(consoleLogOutput(d)).toBe(`${expected}\n`);
    expect(consoleLogOutput('x =', tensor([1, 2], undefined, 'int32'))).toBe('x = tensor([1, 2], dtype=int32)\n');
    expect(inspect({ w: tensor([true]) })).toBe('{ w: tensor([ True], dtype=bool) }');
  });

  test('a disposed tensor prints as such instead of throwing', () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(t.toString()).toBe('Tensor(disposed float32[2])');
    expect(inspect(t)).toBe('Tensor(disposed float32[2])');
  });
});

describe('to, cast and clone', () => {
  test("to('cpu') gives a tensor with the same values", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const y = x.to('cpu');
    expect(y).not.toBe(x);
    expect(y.device).toBe('cpu');
    expect(y.dtype).toBe('float32');
    expect(y.array()).toEqual([[1, 2], [3, 4]]);
    expect(K.toDevice(x, 'cpu').array()).toEqual([[1, 2], [3, 4]]);
  });

  test("to('cpu') on a CPU tensor is a copy: updating it in place leaves the original alone", () => {
    const x = tensor([1, 2, 3]);
    const y = x.to('cpu');
    K.setValue(y, [9, 9, 9]);
    expect(y.array()).toEqual([9, 9, 9]);
    expect(x.array()).toEqual([1, 2, 3]);
    x.dispose();
    expect(y.array()).toEqual([9, 9, 9]);
  });

  test('cast between dtypes', () => {
    const x = tensor([1.7, -1.7, 0, 2]);
    const asInt = x.cast('int32');
    expect(asInt.dtype).toBe('int32');
    expect(asInt.array()).toEqual([1, -1, 0, 2]);
    expect(x.cast('int64').array()).toEqual([1, -1, 0, 2]);
    expect(x.cast('bool').array()).toEqual([true, true, false, true]);
    expect(x.cast('float64').array()).toEqual([Math.fround(1.7), Math.fround(-1.7), 0, 2]);
    expect(tensor([true, false]).cast('float32').array()).toEqual([1, 0]);
    expect(tensor([3, 200], undefined, 'int32').cast('uint8').array()).toEqual([3, 200]);
    expect(K.cast(x, 'int32').array()).toEqual([1, -1, 0, 2]);
    expect(x.dtype).toBe('float32');
  });

  test('cast to its own dtype is still a copy (Tensor.cast and K.cast)', () => {
    const x = tensor([1, 2, 3]);
    const same = x.cast('float32');
    const kSame = K.cast(x, 'float32');
    K.setValue(same, [7, 7, 7]);
    K.setValue(kSame, [8, 8, 8]);
    expect(x.array()).toEqual([1, 2, 3]);
    expect(same.array()).toEqual([7, 7, 7]);
    expect(kSame.array()).toEqual([8, 8, 8]);
  });

  test('clone has the same values and its own storage', () => {
    const x = tensor([[1, 2], [3, 4]], undefined, 'int32');
    const c = x.clone();
    expect(c).not.toBe(x);
    expect(c.dtype).toBe('int32');
    expect(c.array()).toEqual([[1, 2], [3, 4]]);
    K.setValue(c, [[0, 0], [0, 0]]);
    expect(x.array()).toEqual([[1, 2], [3, 4]]);
    K.setValue(x, [[5, 5], [5, 5]]);
    expect(c.array()).toEqual([[0, 0], [0, 0]]);
    x.dispose();
    expect(c.array()).toEqual([[0, 0], [0, 0]]);
  });

  test('a view (reshape) and its source can be disposed independently', () => {
    const x = tensor([1, 2, 3, 4]);
    const v = x.reshape([2, 2]);
    x.dispose();
    expect(v.array()).toEqual([[1, 2], [3, 4]]);
  });
});

describe('op methods on Tensor', () => {
  const a = () => tensor([[1, -2], [3, -4]]);
  const b = () => tensor([[5, 6], [7, 8]]);

  test('arithmetic with tensors and numbers', () => {
    expect(a().add(b()).array()).toEqual([[6, 4], [10, 4]]);
    expect(a().sub(b()).array()).toEqual([[-4, -8], [-4, -12]]);
    expect(a().mul(b()).array()).toEqual([[5, -12], [21, -32]]);
    expectClose(a().div(b()), [[0.2, -1 / 3], [3 / 7, -0.5]]);
    expect(a().pow(2).array()).toEqual([[1, 4], [9, 16]]);
    expect(a().add(1).array()).toEqual([[2, -1], [4, -3]]);
    expect(a().mul(0.5).array()).toEqual([[0.5, -1], [1.5, -2]]);
    expect(a().minimum(0).array()).toEqual([[0, -2], [0, -4]]);
    expect(a().maximum(b().sub(5)).array()).toEqual([[1, 1], [3, 3]]);
  });

  test('broadcasting a row and a column', () => {
    const row = tensor([10, 20]);
    const col = tensor([[1], [2], [3]]);
    expect(row.add(col).array()).toEqual([[11, 21], [12, 22], [13, 23]]);
    expect(a().mul(tensor([1, -1])).array()).toEqual([[1, 2], [3, 4]]);
  });

  test('comparisons give bool tensors', () => {
    const c = a().greater(0);
    expect(c.dtype).toBe('bool');
    expect(c.array()).toEqual([[true, false], [true, false]]);
    expect(a().greaterEqual(-2).array()).toEqual([[true, true], [true, false]]);
    expect(a().less(b()).array()).toEqual([[true, true], [true, true]]);
    expect(a().lessEqual(1).array()).toEqual([[true, true], [false, true]]);
    expect(a().equal(3).array()).toEqual([[false, false], [true, false]]);
    expect(a().notEqual(3).array()).toEqual([[true, true], [false, true]]);
  });

  test('unary math', () => {
    expect(a().neg().array()).toEqual([[-1, 2], [-3, 4]]);
    expect(a().abs().array()).toEqual([[1, 2], [3, 4]]);
    expect(a().square().array()).toEqual([[1, 4], [9, 16]]);
    expect(tensor([4, 9, -1]).sqrt().array()).toEqual([2, 3, 0]);
    expectClose(tensor([0, 1]).exp(), [1, Math.E]);
    expectClose(tensor([1, Math.E]).log(), [0, 1]);
    expect(tensor([-3, 0, 2]).sign().array()).toEqual([-1, 0, 1]);
    expect(tensor([0.5, 1.5, 2.5, -0.5]).round().array()).toEqual([0, 2, 2, -0]);
    expectClose(tensor([0, Math.PI / 2]).sin(), [0, 1]);
    expectClose(tensor([0, Math.PI]).cos(), [1, -1]);
    expect(a().clip(-1, 2).array()).toEqual([[1, -1], [2, -1]]);
    expect(a().clip(null, 0).array()).toEqual([[0, -2], [0, -4]]);
  });

  test('reductions with axis and keepdims', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.sum().item()).toBe(21);
    expect(x.sum(1).array()).toEqual([6, 15]);
    const kept = x.sum(1, true);
    expect(kept.shape).toEqual([2, 1]);
    expect(kept.array()).toEqual([[6], [15]]);
    expect(x.sum(0).array()).toEqual([5, 7, 9]);
    expect(x.sum(-1).array()).toEqual([6, 15]);
    expect(x.sum([0, 1]).item()).toBe(21);
    expect(x.mean(0).array()).toEqual([2.5, 3.5, 4.5]);
    expect(x.max(1).array()).toEqual([3, 6]);
    expect(x.min(0, true).array()).toEqual([[1, 2, 3]]);
    expect(x.prod(1).array()).toEqual([6, 120]);
    const am = x.argmax(1);
    expect(am.dtype).toBe('int64');
    expect(am.array()).toEqual([2, 2]);
    expect(x.argmin(0).array()).toEqual([0, 0, 0]);
    expect(x.argmax().array()).toEqual([2, 2]);
  });

  test('shape methods', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.reshape([3, 2]).array()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(x.reshape([-1]).shape).toEqual([6]);
    expect(x.transpose().array()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(x.permute([1, 0]).array()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(x.expandDims(0).shape).toEqual([1, 2, 3]);
    expect(x.expandDims().shape).toEqual([2, 3, 1]);
    expect(x.expandDims(0).squeeze(0).shape).toEqual([2, 3]);
    expect(x.flatten().array()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('dot, matmul and activations', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const y = tensor([[5, 6], [7, 8]]);
    expect(x.dot(y).array()).toEqual([[19, 22], [43, 50]]);
    expect(x.matmul(y).array()).toEqual([[19, 22], [43, 50]]);
    expect(tensor([-1, 2]).relu().array()).toEqual([0, 2]);
    expectClose(tensor([0]).sigmoid(), [0.5]);
    expectClose(tensor([0, 100]).tanh(), [0, 1]);
    const s = tensor([[1, 1], [0, Math.log(3)]]).softmax();
    expectClose(s, [[0.5, 0.5], [0.25, 0.75]]);
    expectClose(tensor([[1, 0], [1, 0]]).softmax(0), [[0.5, 0.5], [0.5, 0.5]]);
  });

  test('methods chain and agree with K', () => {
    const x = tensor([[1, -2], [3, -4]]);
    expect(x.abs().sum().item()).toBe(10);
    expect(x.mul(2).add(1).relu().sum(0).array()).toEqual(K.sum(K.relu(K.add(K.multiply(x, 2), 1)), 0).array());
    expect(x.dot(x).array()).toEqual(K.dot(x, x).array());
  });

  test('methods leave their inputs alone', () => {
    const x = tensor([1, 2]);
    x.add(1);
    x.neg();
    x.reshape([2, 1]);
    expect(x.array()).toEqual([1, 2]);
    expect(x.shape).toEqual([2]);
  });

  test('methods work inside tidy', () => {
    const x = tensor([1, 2, 3]);
    const total = tidy(() => x.mul(2).add(1).sum());
    expect(total.item()).toBe(15);
  });
});
