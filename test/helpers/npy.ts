/** Arrays of every npy dtype and comparisons with the plain-value JSON of test/golden/make_npz_fixture.py. */
import type { DType, LoadedNpyArray, NpyArray } from '../../src';

/** One array of each dtype (and a 0-d and an empty one), with awkward values; dtype always given. */
export const EVERY_DTYPE: Record<string, NpyArray & { dtype: DType }> = {
  float32: { data: Float32Array.of(0.5, -1.25, NaN, Infinity, -0, 3e38), shape: [2, 3], dtype: 'float32' },
  float64: { data: Float64Array.of(1 / 3, -2.5e-300, -Infinity, 1e300), shape: [4], dtype: 'float64' },
  int32: { data: Int32Array.of(-2147483648, -1, 0, 1, 2147483647, 7, 8, 9), shape: [2, 2, 2], dtype: 'int32' },
  int64: { data: BigInt64Array.of(-(2n ** 63n), 2n ** 53n + 1n, 2n ** 63n - 1n), shape: [3], dtype: 'int64' },
  uint8: { data: Uint8Array.of(0, 1, 127, 128, 255), shape: [5], dtype: 'uint8' },
  bool: { data: Uint8Array.of(1, 0, 0, 1), shape: [2, 2], dtype: 'bool' },
  scalar: { data: Float64Array.of(2.75), shape: [], dtype: 'float64' },
  empty: { data: new Float32Array(0), shape: [0, 3], dtype: 'float32' },
};

/** An array as the fixture JSON writes it: values flattened in C order, int64 as strings, NaN/±Infinity as strings. */
export interface ArrayDescription {
  dtype: DType;
  shape: number[];
  values: (number | string | boolean)[];
}

/** The plain values of `array` in the fixture JSON's format. */
export function describeArray(array: NpyArray & { dtype: DType }): ArrayDescription {
  const values = Array.from(array.data as ArrayLike<number | bigint>, (v) => {
    if (typeof v === 'bigint') return v.toString();
    if (array.dtype === 'bool') return v !== 0;
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    return v;
  });
  return { dtype: array.dtype, shape: array.shape, values };
}

/** Expects `array` to hold exactly `expected` (signed zeros included). */
export function expectArray(array: LoadedNpyArray, expected: ArrayDescription): void {
  expect(describeArray(array)).toEqual(expected);
  expected.values.forEach((v, i) => {
    if (Object.is(v, -0)) expect(Object.is(array.data[i], -0)).toBe(true);
  });
}
