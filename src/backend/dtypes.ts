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

/** True when `value` is one of {@link DTYPES}. */
export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

/** The dtype a TypedArray holds, or undefined for unsupported kinds. */
export function dtypeOfTypedArray(values: ArrayBufferView): DType | undefined {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof BigInt64Array) return 'int64';
  if (values instanceof Uint8Array) return 'uint8';
  return undefined;
}
