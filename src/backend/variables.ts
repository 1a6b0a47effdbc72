/** Keras variables and constants, evaluation, and introspection. */
import { native, handleOf, tensorArg, wrap } from './operands';
import { Tensor, NestedArray } from './tensor';
import { Device, DType, isFloatDType } from './dtypes';
import { floatx } from './config';
import { tensor, TensorInput, full, arange as makeRange, eye as makeEye, randomNormal as makeNormal,
  randomUniform as makeUniform, randomBinomial as makeBinomial } from './creation';
import { checkDType, checkShape, fail } from './validate';
import { tidy } from './engine';

function markTrainable(t: Tensor, name?: string): Tensor {
  if (isFloatDType(t.dtype)) native.setRequiresGrad(t.handle, true);
  if (name !== undefined) t.name = name;
  return t;
}

function fromValue(fn: string, value: TensorInput | Tensor, dtype: DType | undefined): Tensor {
  if (value instanceof Tensor) {
    handleOf(fn, value, 'value');
    // A detached copy: a variable owns its storage and starts a new graph. The detached view (and,
    // when casting, the uncast copy) are freed here rather than left to the garbage collector.
    return tidy(() => {
      const copy = wrap(native.clone(wrap(native.detach(value.handle)).handle));
      return dtype && dtype !== copy.dtype ? copy.cast(dtype) : copy;
    });
  }
  const isTyped = ArrayBuffer.isView(value);
  return tensor(value, undefined, dtype ?? (isTyped ? undefined : floatx()));
}

/**
 * A trainable tensor (for float dtypes), as Keras's `variable`: gradients flow to it and
 * `setValue` updates it in place. Numbers and arrays default to `floatx()`.
 */
export function variable(value: TensorInput | Tensor, dtype?: DType, name?: string): Tensor {
  if (dtype !== undefined) checkDType('variable', dtype);
  return markTrainable(fromValue('variable', value, dtype), name);
}

/** A constant tensor; with `shape`, a number fills that shape. */
export function constant(value: TensorInput | Tensor, dtype?: DType, shape?: number[], name?: string): Tensor {
  const fn = 'constant';
  if (dtype !== undefined) checkDType(fn, dtype);
  let t: Tensor;
  if (shape !== undefined) {
    checkShape(fn, 'shape', shape);
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      t = tidy(() => wrap(native.reshape(fromValue(fn, value, dtype).handle, shape)));
    } else {
      t = full(shape, Number(value), dtype ?? floatx());
    }
  } else {
    t = fromValue(fn, value, dtype);
  }
  if (name !== undefined) t.name = name;
  return t;
}

/** The values as nested arrays. */
export function evaluate(x: Tensor): NestedArray {
  return tensorArg('eval', x).array();
}

/** The values of a variable as nested arrays. */
export const getValue = (x: Tensor): NestedArray => tensorArg('getValue', x).array();

/** The values of several variables. */
export function batchGetValue(xs: Tensor[]): NestedArray[] {
  return xs.map((x) => getValue(x));
}

/** Overwrites a variable's values in place (same shape), outside the gradient graph. */
export function setValue(x: Tensor, value: TensorInput | Tensor): void {
  const fn = 'setValue';
  const h = handleOf(fn, x);
  tidy(() => {
    const v = value instanceof Tensor ? tensorArg(fn, value, 'value') : tensor(value, undefined, x.dtype, x.device);
    const xs = x.shapeRef;
    const vs = v.shapeRef;
    if (xs.length !== vs.length || xs.some((d, i) => d !== vs[i])) {
      fail(fn, `a value of shape [${xs}]`, 'value', v, 'ERR_SHAPE');
    }
    native.assign(h, v.handle);
  });
}

/** Sets several variables: pairs of [variable, value]. */
export function batchSetValue(pairs: [Tensor, TensorInput | Tensor][]): void {
  for (const [x, value] of pairs) setValue(x, value);
}

/** x := newX (in place); returns x. */
export function update(x: Tensor, newX: Tensor): Tensor {
  setValue(x, newX);
  return x;
}

/** x := x + increment (in place); returns x. */
export function updateAdd(x: Tensor, increment: Tensor | number): Tensor {
  handleOf('updateAdd', x);
  tidy(() => setValue(x, wrap(native.binary.add(wrap(native.detach(x.handle)).handle,
    increment instanceof Tensor ? handleOf('updateAdd', increment, 'increment') : increment))));
  return x;
}

/** x := x - decrement (in place); returns x. */
export function updateSub(x: Tensor, decrement: Tensor | number): Tensor {
  handleOf('updateSub', x);
  tidy(() => setValue(x, wrap(native.binary.subtract(wrap(native.detach(x.handle)).handle,
    decrement instanceof Tensor ? handleOf('updateSub', decrement, 'decrement') : decrement))));
  return x;
}

/** The shape as a 1-D int32 tensor. */
export function shape(x: Tensor): Tensor {
  return tensor(Int32Array.from(tensorArg('shape', x).shapeRef));
}

/** The shape as an array of numbers. */
export const intShape = (x: Tensor): number[] => tensorArg('intShape', x).shape;
/** The number of axes. */
export const ndim = (x: Tensor): number => tensorArg('ndim', x).rank;
/** The dtype name. */
export const dtype = (x: Tensor): DType => tensorArg('dtype', x).dtype;
/** The number of elements. */
export const countParams = (x: Tensor): number => tensorArg('countParams', x).size;

/** A copy with another dtype. */
export function cast(x: Tensor, dtype: DType): Tensor {
  handleOf('cast', x);
  return x.cast(checkDType('cast', dtype));
}

/** A variable of zeros (Keras's K.zeros). */
export const zeros = (shape: number[], dtype?: DType, name?: string): Tensor =>
  markTrainable(full(checkShape('zeros', 'shape', shape), 0, dtype ?? floatx()), name);
/** A variable of ones. */
export const ones = (shape: number[], dtype?: DType, name?: string): Tensor =>
  markTrainable(full(checkShape('ones', 'shape', shape), 1, dtype ?? floatx()), name);
/** An identity-matrix variable. */
export const eye = (size: number, dtype?: DType, name?: string): Tensor =>
  markTrainable(makeEye(size, undefined, dtype ?? floatx()), name);
/** A variable of zeros shaped like x. */
export function zerosLike(x: Tensor, dtype?: DType, name?: string): Tensor {
  const t = tensorArg('zerosLike', x);
  return markTrainable(full(t.shape, 0, dtype ?? t.dtype, t.device), name);
}
/** A variable of ones shaped like x. */
export function onesLike(x: Tensor, dtype?: DType, name?: string): Tensor {
  const t = tensorArg('onesLike', x);
  return markTrainable(full(t.shape, 1, dtype ?? t.dtype, t.device), name);
}

/** Keras's arange: int32 by default; `arange(n)` is 0..n-1, and empty for n < 0 (as Keras and numpy). */
export const arange = (start: number, stop?: number | null, step = 1, dtype: DType = 'int32'): Tensor =>
  stop === undefined || stop === null
    ? makeRange(typeof start === 'number' && start < 0 ? 0 : start, undefined, step, dtype)
    : makeRange(start, stop, step, dtype);

/** Normally distributed values (Keras's random_normal). */
export const randomNormal = (shape: number[], mean = 0, stddev = 1, dtype?: DType, seed?: number | null): Tensor =>
  makeNormal(shape, mean, stddev, dtype ?? floatx(), seed);
/** Uniform values in [minval, maxval) (Keras's random_uniform). */
export const randomUniform = (shape: number[], minval = 0, maxval = 1, dtype?: DType, seed?: number | null): Tensor =>
  makeUniform(shape, minval, maxval, dtype ?? floatx(), seed);
/** 1 with probability p, else 0 (Keras's random_binomial). */
export const randomBinomial = (shape: number[], p = 0, dtype?: DType, seed?: number | null): Tensor =>
  makeBinomial(shape, p, dtype ?? floatx(), seed);

/** Moves a tensor to a device (`cpu`, `cuda`, `cuda:N`). */
export const toDevice = (x: Tensor, device: Device): Tensor => tensorArg('toDevice', x).to(device);
