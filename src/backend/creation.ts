/** Making tensors: from JS values, filled, ranges, identity and random. */
import * as os from 'os';
import { native } from '../native';
import { Device, DType, DTYPE_BYTES, dtypeOfTypedArray, integerRange, isFloatDType } from './dtypes';
import { KeratorchError } from './errors';
import { NestedArray, Tensor } from './tensor';
import { checkDType, checkFitsDType, checkInt, checkNumber, checkShape, fail, overflowsDType } from './validate';

/** Values a tensor can be made from. */
export type TensorInput = number | boolean | NestedArray | Float32Array | Float64Array | Int32Array |
  BigInt64Array | Uint8Array;

/** A tensor, or values to make one from. */
export type TensorLike = Tensor | TensorInput;

/** Nested arrays deeper than this are refused: the walk over them recurses once a level, and libtorch's kernels
 * take at most 25 dimensions anyway. */
export const MAX_NESTING = 64;

function inferShape(fn: string, values: NestedArray, name: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    if (shape.length === MAX_NESTING) {
      throw new KeratorchError(`${fn}: expected a nested array at most ${MAX_NESTING} levels deep for ${name} but ` +
        `received one nested deeper`, 'ERR_SHAPE', fn);
    }
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flatten(fn: string, values: NestedArray, shape: number[], name: string): (number | boolean)[] {
  const flat: (number | boolean)[] = [];
  const walk = (value: NestedArray, axis: number, path: string) => {
    if (axis === shape.length) {
      if (Array.isArray(value)) fail(fn, `a rectangular nested array of shape [${shape}]`, name, `a deeper array at ${path}`, 'ERR_SHAPE');
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        fail(fn, 'numbers or booleans', `${name}${path}`, value);
      }
      flat.push(value);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[axis]) {
      fail(fn, `a rectangular nested array of shape [${shape}]`, `${name}${path}`, value, 'ERR_SHAPE');
    }
    for (let i = 0; i < value.length; i++) walk(value[i], axis + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return flat;
}

/**
 * Checks that `dtype` holds every value: an integer dtype, integers in its range (no silent wrap-around, no
 * truncation), the same for numbers, booleans and every TypedArray, bigints included; float32, no finite
 * value that would overflow to ±Infinity; bool and float64 take any value.
 */
function checkHoldable(fn: string, name: string, values: ArrayLike<unknown>, dtype: DType): void {
  const labelOf = (i: number) => (values.length === 1 && name !== 'values' ? name : `${name}[${i}]`);
  if (dtype === 'float32') {
    if (values instanceof Float32Array) return;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number' && overflowsDType(v, dtype)) checkFitsDType(fn, labelOf(i), v, dtype);
    }
    return;
  }
  if (isFloatDType(dtype) || dtype === 'bool') return;
  const range = integerRange(dtype) as readonly [number, number];
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    // A bigint compares exactly: Number(2n ** 63n - 1n) rounds up to 2^63, out of int64's range.
    if (typeof raw === 'bigint' && raw >= BigInt(range[0]) && raw < BigInt(range[1])) continue;
    const v = Number(raw);
    if (typeof raw !== 'bigint' && Number.isInteger(v) && v >= range[0] && v < range[1]) continue;
    if (!Number.isInteger(v)) fail(fn, `integers (dtype ${dtype})`, labelOf(i), values[i], 'ERR_VALUE');
    fail(fn, `integers in [${range[0]}, ${range[1]}) (dtype ${dtype})`, labelOf(i), values[i], 'ERR_VALUE');
  }
}

function sourceArray(flat: ArrayLike<number | boolean>, dtype: DType): ArrayBufferView {
  switch (dtype) {
    case 'float32': return Float32Array.from(flat, Number);
    case 'float64': case 'int64': return Float64Array.from(flat, Number);
    case 'int32': return Int32Array.from(flat, Number);
    default: return Uint8Array.from(flat, (v) => (dtype === 'bool' ? (v ? 1 : 0) : Number(v)));
  }
}

/** A count as digits, or to 3 significant digits past 2^53 (where digits would be made up). */
function formatCount(count: number): string {
  return Number.isSafeInteger(count) ? String(count) : count.toPrecision(3);
}

/** "4.0 TB (4000000000000 bytes)": decimal units, as memory sizes are quoted. */
function formatBytes(bytes: number, exact = true): string {
  const units = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let unit = -1;
  for (; value >= 1000 && unit < units.length - 1; unit++) value /= 1000;
  if (unit < 0 || value >= 1000) return `${formatCount(bytes)} bytes`;
  return `${value.toFixed(1)} ${units[unit]}${exact ? ` (${formatCount(bytes)} bytes)` : ''}`;
}

/**
 * Refuses a tensor larger than this machine's memory before libtorch tries to make it (it would
 * fail with a bare std::bad_alloc, or first swap the machine to a halt). `what` describes the request.
 */
export function checkAllocation(fn: string, shape: readonly number[], dtype: DType,
  what = `shape [${shape}] ${dtype}`): void {
  const bytes = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  const memory = os.totalmem();
  if (bytes > memory) {
    throw new KeratorchError(`${fn}: ${what} needs ${formatBytes(bytes)}, more than this machine's ` +
      `${formatBytes(memory, false)} of memory`, 'ERR_MEMORY', fn);
  }
}

/**
 * {@link tensor} for `fn`, whose errors name `fn` and the argument `name` (setValue's `value`).
 * @internal
 */
export function makeTensor(fn: string, values: TensorInput, shape?: number[], dtype?: DType, device?: Device,
  name = 'values'): Tensor {
  if (dtype !== undefined) checkDType(fn, dtype);
  if (shape !== undefined) checkShape(fn, 'shape', shape);
  let flat: ArrayLike<number | boolean> | ArrayBufferView;
  let inferred: number[];
  let defaultDType: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    const own = dtypeOfTypedArray(values);
    if (own === undefined) fail(fn, 'a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array', name, values);
    defaultDType = own;
    inferred = [(values as Float32Array).length];
    flat = values as Float32Array;
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    if (typeof values === 'boolean') defaultDType = 'bool';
    inferred = [];
    flat = [values];
  } else if (Array.isArray(values)) {
    inferred = inferShape(fn, values, name);
    const items = flatten(fn, values, inferred, name);
    // bool only when every value is one; numbers among booleans make numbers (true is 1), as in numpy.
    if (items.length > 0 && items.every((v) => typeof v === 'boolean')) defaultDType = 'bool';
    flat = items;
  } else {
    return fail(fn, 'a number, boolean, nested array or TypedArray', name, values);
  }
  const finalDType = dtype ?? defaultDType;
  const length = (flat as ArrayLike<unknown>).length;
  const finalShape = shape ?? inferred;
  const count = finalShape.reduce((a, b) => a * b, 1);
  if (count !== length) {
    if (length === 1 && shape !== undefined) {
      return fill(fn, finalShape, Number((flat as ArrayLike<number>)[0]), finalDType, device, name);
    }
    fail(fn, `${count} values for shape [${finalShape}]`, name, `${length} values`, 'ERR_SHAPE');
  }
  checkHoldable(fn, name, flat as ArrayLike<unknown>, finalDType);
  // A TypedArray goes as it is: the addon converts it to the dtype while copying it.
  const source = ArrayBuffer.isView(flat) ? flat : sourceArray(flat, finalDType);
  return new Tensor(native.fromBuffer(source, finalShape, finalDType, device ?? null));
}

/**
 * Makes a tensor from a number, a boolean, nested arrays or a TypedArray (tfjs's argument order).
 * Numbers default to float32, booleans to bool (numbers and booleans together: float32),
 * TypedArrays to their own type. Values an integer dtype cannot hold are refused, not wrapped.
 */
export function tensor(values: TensorInput, shape?: number[], dtype?: DType, device?: Device): Tensor {
  return makeTensor('tensor', values, shape, dtype, device);
}

/** Turns a TensorLike into a Tensor; tensors pass through unchanged. */
export function toTensor(fn: string, value: unknown, name = 'x', dtype?: DType): Tensor {
  if (value instanceof Tensor) {
    value.assertLive(fn, name);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    return makeTensor(fn, value as TensorInput, undefined, dtype, undefined, name);
  }
  return fail(fn, 'a Tensor, number, boolean or nested array', name, value);
}

/** {@link full} for `fn`, whose errors name `fn`. @internal */
export function fill(fn: string, shape: number[], value: number | boolean, dtype: DType, device?: Device,
  name = 'value'): Tensor {
  checkShape(fn, 'shape', shape);
  checkDType(fn, dtype);
  if (typeof value !== 'number' && typeof value !== 'boolean') fail(fn, 'a number', name, value);
  checkHoldable(fn, name, [value], dtype);
  checkAllocation(fn, shape, dtype);
  return new Tensor(native.full(shape, Number(value), dtype, device ?? null));
}

/** A tensor filled with `value`. */
export function full(shape: number[], value: number, dtype: DType = 'float32', device?: Device): Tensor {
  return fill('full', shape, value, dtype, device);
}

/** A tensor of zeros. */
export function zeros(shape: number[], dtype: DType = 'float32', device?: Device): Tensor {
  return fill('zeros', shape, 0, dtype, device);
}

/** A tensor of ones. */
export function ones(shape: number[], dtype: DType = 'float32', device?: Device): Tensor {
  return fill('ones', shape, 1, dtype, device);
}

/** Zeros with `x`'s shape, dtype and device. */
export function zerosLike(x: Tensor, dtype?: DType): Tensor {
  const t = toTensor('zerosLike', x);
  return fill('zerosLike', t.shape, 0, dtype ?? t.dtype, t.device);
}

/** Ones with `x`'s shape, dtype and device. */
export function onesLike(x: Tensor, dtype?: DType): Tensor {
  const t = toTensor('onesLike', x);
  return fill('onesLike', t.shape, 1, dtype ?? t.dtype, t.device);
}

/**
 * Values from `start` up to (not including) `stop` by `step`; one argument means `[0, start)`. A step
 * away from `stop` gives an empty tensor, as in numpy. Without a dtype it is int32 when every argument
 * is an integer and float32 otherwise, as Keras infers it (`arange(0.5, 3, 0.5)` is float32). An
 * integer dtype takes integer arguments only (libtorch would truncate them: a step of 0.5 would become
 * 0), and every value must fit the dtype.
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType, device?: Device): Tensor {
  const fn = 'arange';
  checkNumber(fn, 'start', start);
  if (stop !== undefined && stop !== null) checkNumber(fn, 'stop', stop);
  checkNumber(fn, 'step', step);
  if (dtype === undefined) dtype = [start, stop ?? 0, step].every(Number.isInteger) ? 'int32' : 'float32';
  checkDType(fn, dtype);
  if (step === 0) fail(fn, 'a non-zero number', 'step', step, 'ERR_VALUE');
  const [lo, hi] = stop === undefined || stop === null ? [0, start] : [start, stop];
  const count = Math.max(0, Math.ceil((hi - lo) / step));
  checkAllocation(fn, [count], dtype, `${formatCount(count)} values (start ${lo}, stop ${hi}, step ${step}) of ${dtype}`);
  const range = integerRange(dtype);
  if (range) {
    const given = stop === undefined || stop === null ? { start, step } : { start, stop, step };
    for (const [name, v] of Object.entries(given)) {
      if (!Number.isInteger(v)) fail(fn, `an integer (dtype ${dtype})`, name, v, 'ERR_VALUE');
    }
    const last = lo + (count - 1) * step;
    if (count > 0 && (Math.min(lo, last) < range[0] || Math.max(lo, last) >= range[1])) {
      fail(fn, `values that fit ${dtype}, in [${range[0]}, ${range[1]}),`, 'start, stop, step', [lo, hi, step],
        'ERR_VALUE');
    }
  }
  if (count === 0) return fill(fn, [0], 0, dtype, device);
  return new Tensor(native.arange(lo, hi, step, dtype, device ?? null));
}

/** An identity matrix of `rows` x `cols` (cols defaults to rows). */
export function eye(rows: number, cols?: number, dtype: DType = 'float32', device?: Device): Tensor {
  checkInt('eye', 'rows', rows, 0);
  if (cols !== undefined) checkInt('eye', 'cols', cols, 0);
  checkAllocation('eye', [rows, cols ?? rows], checkDType('eye', dtype));
  return new Tensor(native.eye(rows, cols ?? rows, dtype, device ?? null));
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
  checkAllocation(fn, shape, checkDType(fn, dtype));
  return new Tensor(native.randomNormal(shape, mean, stddev, dtype, device ?? null, checkSeed(fn, seed)));
}

/** Uniformly distributed values in `[minval, maxval)`. */
export function randomUniform(shape: number[], minval = 0, maxval = 1, dtype: DType = 'float32',
  seed?: number | null, device?: Device): Tensor {
  const fn = 'randomUniform';
  checkShape(fn, 'shape', shape);
  checkNumber(fn, 'minval', minval);
  if (checkNumber(fn, 'maxval', maxval) < minval) fail(fn, `a number >= minval (${minval})`, 'maxval', maxval, 'ERR_VALUE');
  checkAllocation(fn, shape, checkDType(fn, dtype));
  return new Tensor(native.randomUniform(shape, minval, maxval, dtype, device ?? null, checkSeed(fn, seed)));
}

/** 1 with probability `p`, else 0. */
export function randomBinomial(shape: number[], p = 0, dtype: DType = 'float32', seed?: number | null,
  device?: Device): Tensor {
  const fn = 'randomBinomial';
  checkShape(fn, 'shape', shape);
  if (checkNumber(fn, 'p', p) < 0 || p > 1) fail(fn, 'a probability in [0, 1]', 'p', p, 'ERR_VALUE');
  checkAllocation(fn, shape, checkDType(fn, dtype));
  return new Tensor(native.randomBinomial(shape, p, dtype, device ?? null, checkSeed(fn, seed)));
}

/** Seeds keratorch's generator: the random calls that follow repeat exactly. */
export function setSeed(seed: number): void {
  native.setSeed(checkInt('setSeed', 'seed', seed, 0));
}

