/** Making tensors: from JS values, filled, ranges, identity and random. */
import { native } from '../native';
import { Device, DType, dtypeOfTypedArray, isFloatDType } from './dtypes';
import { NestedArray, Tensor } from './tensor';
import { checkDType, checkInt, checkNumber, checkShape, fail } from './validate';

/** Values a tensor can be made from. */
export type TensorInput = number | boolean | NestedArray | Float32Array | Float64Array | Int32Array |
  BigInt64Array | Uint8Array;

/** A tensor, or values to make one from. */
export type TensorLike = Tensor | TensorInput;

function inferShape(fn: string, values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flatten(fn: string, values: NestedArray, shape: number[]): (number | boolean)[] {
  const flat: (number | boolean)[] = [];
  const walk = (value: NestedArray, axis: number, path: string) => {
    if (axis === shape.length) {
      if (Array.isArray(value)) fail(fn, `a rectangular nested array of shape [${shape}]`, 'values', `a deeper array at ${path}`, 'ERR_SHAPE');
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        fail(fn, 'numbers or booleans', `values${path}`, value);
      }
      flat.push(value);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[axis]) {
      fail(fn, `a rectangular nested array of shape [${shape}]`, `values${path}`, value, 'ERR_SHAPE');
    }
    for (let i = 0; i < value.length; i++) walk(value[i], axis + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return flat;
}

/** The values each integer dtype can hold: [lowest, end) (end excluded: 2 ** 63 is exact, 2 ** 63 - 1 is not). */
const INT_RANGES: Partial<Record<DType, [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31],
  int64: [-(2 ** 63), 2 ** 63],
  uint8: [0, 256],
};

/** Checks that `value` is an integer the dtype can hold (no silent wrap-around); bool takes any integer. */
function checkIntegral(fn: string, name: string, value: unknown, dtype: DType): void {
  const v = Number(value);
  if (!Number.isInteger(v)) fail(fn, `integers (dtype ${dtype})`, name, value, 'ERR_VALUE');
  const range = INT_RANGES[dtype];
  if (range && (v < range[0] || v >= range[1])) {
    fail(fn, `integers in [${range[0]}, ${range[1]}) (dtype ${dtype})`, name, value, 'ERR_VALUE');
  }
}

function sourceArray(fn: string, flat: ArrayLike<number | boolean>, dtype: DType): ArrayBufferView {
  const integral = !isFloatDType(dtype) && dtype !== 'bool';
  if (integral) {
    for (let i = 0; i < flat.length; i++) checkIntegral(fn, `values[${i}]`, flat[i], dtype);
  }
  switch (dtype) {
    case 'float32': return Float32Array.from(flat, Number);
    case 'float64': case 'int64': return Float64Array.from(flat, Number);
    case 'int32': return Int32Array.from(flat, Number);
    default: return Uint8Array.from(flat, (v) => (dtype === 'bool' ? (v ? 1 : 0) : Number(v)));
  }
}

/**
 * Makes a tensor from a number, a boolean, nested arrays or a TypedArray (tfjs's argument order).
 * Numbers default to float32, booleans to bool, TypedArrays to their own type.
 */
export function tensor(values: TensorInput, shape?: number[], dtype?: DType, device?: Device): Tensor {
  const fn = 'tensor';
  if (dtype !== undefined) checkDType(fn, dtype);
  if (shape !== undefined) checkShape(fn, 'shape', shape);
  let flat: ArrayLike<number | boolean> | ArrayBufferView;
  let inferred: number[];
  let defaultDType: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    const own = dtypeOfTypedArray(values);
    if (own === undefined) fail(fn, 'a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array', 'values', values);
    defaultDType = own;
    inferred = [(values as Float32Array).length];
    flat = values as Float32Array;
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    if (typeof values === 'boolean') defaultDType = 'bool';
    inferred = [];
    flat = [values];
  } else if (Array.isArray(values)) {
    inferred = inferShape(fn, values);
    const items = flatten(fn, values, inferred);
    if (items.length > 0 && typeof items[0] === 'boolean') defaultDType = 'bool';
    flat = items;
  } else {
    return fail(fn, 'a number, boolean, nested array or TypedArray', 'values', values);
  }
  const finalDType = dtype ?? defaultDType;
  const length = (flat as ArrayLike<unknown>).length;
  const finalShape = shape ?? inferred;
  const count = finalShape.reduce((a, b) => a * b, 1);
  if (count !== length) {
    if (length === 1 && shape !== undefined) return full(finalShape, Number((flat as ArrayLike<number>)[0]), finalDType, device);
    fail(fn, `${count} values for shape [${finalShape}]`, 'values', `${length} values`, 'ERR_SHAPE');
  }
  const bigInts = ArrayBuffer.isView(values) && defaultDType === 'int64';
  const source = bigInts ? values
    : ArrayBuffer.isView(flat) && finalDType === defaultDType && isFloatDType(finalDType)
      ? flat
      : sourceArray(fn, flat as ArrayLike<number>, finalDType);
  return new Tensor(native.fromBuffer(source, finalShape, finalDType, device ?? null));
}

/** Turns a TensorLike into a Tensor; tensors pass through unchanged. */
export function toTensor(fn: string, value: unknown, name = 'x', dtype?: DType): Tensor {
  if (value instanceof Tensor) {
    value.assertLive(fn, name);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    return tensor(value as TensorInput, undefined, dtype);
  }
  return fail(fn, 'a Tensor, number, boolean or nested array', name, value);
}

/** A tensor filled with `value`. */
export function full(shape: number[], value: number, dtype: DType = 'float32', device?: Device): Tensor {
  checkShape('full', 'shape', shape);
  checkDType('full', dtype);
  if (typeof value !== 'number' && typeof value !== 'boolean') fail('full', 'a number', 'value', value);
  if (!isFloatDType(dtype)) checkIntegral('full', 'value', value, dtype);
  return new Tensor(native.full(shape, Number(value), dtype, device ?? null));
}

/** A tensor of zeros. */
export function zeros(shape: number[], dtype: DType = 'float32', device?: Device): Tensor {
  checkShape('zeros', 'shape', shape);
  checkDType('zeros', dtype);
  return full(shape, 0, dtype, device);
}

/** A tensor of ones. */
export function ones(shape: number[], dtype: DType = 'float32', device?: Device): Tensor {
  checkShape('ones', 'shape', shape);
  checkDType('ones', dtype);
  return full(shape, 1, dtype, device);
}

/** Zeros with `x`'s shape, dtype and device. */
export function zerosLike(x: Tensor, dtype?: DType): Tensor {
  const t = toTensor('zerosLike', x);
  return full(t.shape, 0, dtype ?? t.dtype, t.device);
}

/** Ones with `x`'s shape, dtype and device. */
export function onesLike(x: Tensor, dtype?: DType): Tensor {
  const t = toTensor('onesLike', x);
  return full(t.shape, 1, dtype ?? t.dtype, t.device);
}

/** Values from `start` up to (not including) `stop` by `step`; one argument means `[0, start)`. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'int32', device?: Device): Tensor {
  const fn = 'arange';
  checkNumber(fn, 'start', start);
  if (stop !== undefined && stop !== null) checkNumber(fn, 'stop', stop);
  checkNumber(fn, 'step', step);
  if (step === 0) fail(fn, 'a non-zero number', 'step', step, 'ERR_VALUE');
  const [lo, hi] = stop === undefined || stop === null ? [0, start] : [start, stop];
  return new Tensor(native.arange(lo, hi, step, checkDType(fn, dtype), device ?? null));
}

/** An identity matrix of `rows` x `cols` (cols defaults to rows). */
export function eye(rows: number, cols?: number, dtype: DType = 'float32', device?: Device): Tensor {
  checkInt('eye', 'rows', rows, 0);
  if (cols !== undefined) checkInt('eye', 'cols', cols, 0);
  return new Tensor(native.eye(rows, cols ?? rows, checkDType('eye', dtype), device ?? null));
}

function checkSeed(fn: string, seed: number | undefined | null): number | null {
  if (seed === undefined || seed === null) return null;
  return checkInt(fn, 'seed', seed, 0);
}

/** Normally distributed values; `seed` makes the call reproducible on its own. */
export function randomNormal(shape: number[], mean = 0, stddev = 1, dtype: DType = 'float32',
  seed?: number | null, device?: Device): Tensor {
  const fn = 'randomNormal';
  checkShape(fn, 'shape', shape);
  checkNumber(fn, 'mean', mean);
  if (checkNumber(fn, 'stddev', stddev) < 0) fail(fn, 'a number >= 0', 'stddev', stddev, 'ERR_VALUE');
  return new Tensor(native.randomNormal(shape, mean, stddev, checkDType(fn, dtype), device ?? null, checkSeed(fn, seed)));
}

/** Uniformly distributed values in `[minval, maxval)`. */
export function randomUniform(shape: number[], minval = 0, maxval = 1, dtype: DType = 'float32',
  seed?: number | null, device?: Device): Tensor {
  const fn = 'randomUniform';
  checkShape(fn, 'shape', shape);
  checkNumber(fn, 'minval', minval);
  if (checkNumber(fn, 'maxval', maxval) < minval) fail(fn, `a number >= minval (${minval})`, 'maxval', maxval, 'ERR_VALUE');
  return new Tensor(native.randomUniform(shape, minval, maxval, checkDType(fn, dtype), device ?? null, checkSeed(fn, seed)));
}

/** 1 with probability `p`, else 0. */
export function randomBinomial(shape: number[], p = 0, dtype: DType = 'float32', seed?: number | null,
  device?: Device): Tensor {
  const fn = 'randomBinomial';
  checkShape(fn, 'shape', shape);
  if (checkNumber(fn, 'p', p) < 0 || p > 1) fail(fn, 'a probability in [0, 1]', 'p', p, 'ERR_VALUE');
  return new Tensor(native.randomBinomial(shape, p, checkDType(fn, dtype), device ?? null, checkSeed(fn, seed)));
}

/** Seeds keratorch's generator: the random calls that follow repeat exactly. */
export function setSeed(seed: number): void {
  native.setSeed(checkInt('setSeed', 'seed', seed, 0));
}

