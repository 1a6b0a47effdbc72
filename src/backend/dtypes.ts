/** Tensor element types. */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

/** All dtypes keratorch accepts. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];

/** Devices: `cpu`, `cuda` or `cuda:N`. */
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;

/** The TypedArray `data()` returns for each dtype. */
export interface DataTypeMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

/** Any TypedArray `data()` may return. */
export type TypedArray = DataTypeMap[DType];

/** True for float32 and float64. */
export function isFloatDType(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4, float64: 8, int32: 4, int64: 8, uint8: 1, bool: 1,
};

const INTEGER_RANGES: Partial<Record<DType, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31],
  int64: [-(2 ** 63), 2 ** 63],
  uint8: [0, 256],
};

/**
 * The values an integer dtype holds, as [lowest, end) (end excluded: 2 ** 63 is exact in a double,
 * 2 ** 63 - 1 is not); undefined for float and bool dtypes.
 */
export function integerRange(dtype: string): readonly [number, number] | undefined {
  // Own keys only: 'constructor' or an object must not reach Object.prototype's members.
  return typeof dtype === 'string' && Object.prototype.hasOwnProperty.call(INTEGER_RANGES, dtype)
    ? INTEGER_RANGES[dtype as DType] : undefined;
}

/** True when `value` is one of {@link DTYPES}. */
export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

const DTYPE_OF_TAG: Record<string, DType> = {
  '[object Float32Array]': 'float32',
  '[object Float64Array]': 'float64',
  '[object Int32Array]': 'int32',
  '[object BigInt64Array]': 'int64',
  '[object Uint8Array]': 'uint8',
};

/**
 * The dtype a TypedArray holds, or undefined for unsupported kinds. Read from the array's type tag,
 * not `instanceof`, so arrays from another realm (a vm context, jest's sandbox) are recognised too.
 */
export function dtypeOfTypedArray(values: ArrayBufferView): DType | undefined {
  if (!ArrayBuffer.isView(values)) return undefined;
  return DTYPE_OF_TAG[Object.prototype.toString.call(values)];
}

type TypedArrayConstructor = { new(buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray };

const ARRAY_OF_DTYPE: Record<DType, TypedArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/**
 * `values` as this realm's TypedArray for `dtype`, over the same memory (no copy). The addon makes
 * its arrays in the realm it was loaded in, which is not the caller's under jest or in a vm context,
 * where `instanceof Float32Array` would then be false.
 */
export function ownRealmArray(values: ArrayBufferView & { length: number }, dtype: DType): TypedArray {
  const ctor = ARRAY_OF_DTYPE[dtype] ?? Float32Array;
  if (values instanceof ctor) return values as TypedArray;
  return new ctor(values.buffer, values.byteOffset, values.length);
}
