/** Keras variables and constants, evaluation, and introspection. */
import { native, binaryOp, handleOf, tensorArg, wrap } from './operands';
import { checkCastable, Tensor, NestedArray } from './tensor';
import { Device, DType, isFloatDType } from './dtypes';
import { floatx } from './config';
import { tensor, makeTensor, TensorInput, fill, arange as makeRange, eye as makeEye, randomNormal as makeNormal,
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
  return makeTensor(fn, value, undefined, dtype ?? (isTyped ? undefined : floatx()), undefined, 'value');
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
      t = tidy(() => {
        const values = fromValue(fn, value, dtype);
        const count = shape.reduce((a, b) => a * b, 1);
        if (values.size !== count) fail(fn, `${count} values for shape [${shape}]`, 'value', values, 'ERR_SHAPE');
        return wrap(native.reshape(values.handle, shape));
      });
    } else {
      t = fill(fn, shape, value, dtype ?? floatx());
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
  if (!Array.isArray(xs)) fail('batchGetValue', 'an array of Tensors', 'xs', xs);
  return xs.map((x, i) => tensorArg('batchGetValue', x, `xs[${i}]`).array());
}

/**
 * Overwrites a variable's values in place (same shape), outside the gradient graph. Values are
 * converted to the variable's dtype, refusing what it cannot hold, as {@link cast} does.
 */
export function setValue(x: Tensor, value: TensorInput | Tensor): void {
  assignChecked('setValue', x, value);
}

/** setValue for `fn` (setValue, updateAdd, updateSub), whose errors name `fn`. */
function assignChecked(fn: string, x: Tensor, value: TensorInput | Tensor, name = 'value', xName = 'x'): void {
  const h = handleOf(fn, x, xName);
  tidy(() => {
    const v = value instanceof Tensor ? tensorArg(fn, value, name) : makeTensor(fn, value, undefined, x.dtype, x.device, name);
    const xs = x.shapeRef;
    const vs = v.shapeRef;
    if (xs.length !== vs.length || xs.some((d, i) => d !== vs[i])) {
      fail(fn, `a value of shape [${xs}]`, name, v, 'ERR_SHAPE');
    }
    if (v.dtype !== x.dtype) checkCastable(fn, v, x.dtype, name);
    native.assign(h, v.handle);
  });
}

/** Sets several variables: pairs of [variable, value]. */
export function batchSetValue(pairs: [Tensor, TensorInput | Tensor][]): void {
  const fn = 'batchSetValue';
  if (!Array.isArray(pairs)) fail(fn, 'an array of [variable, value] pairs', 'pairs', pairs);
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) fail(fn, 'a [variable, value] pair', `pairs[${i}]`, pair);
    assignChecked(fn, pair[0], pair[1], `pairs[${i}][1]`, `pairs[${i}][0]`);
  });
}

/** x := newX (in place); returns x. */
export function update(x: Tensor, newX: Tensor): Tensor {
  setValue(x, newX);
  return x;
}

/**
 * x := x op delta in place, for updateAdd / updateSub: delta must broadcast to x's shape, and a float
 * result is refused for an integer variable (NumPy's same-kind rule for `+=`) rather than truncated.
 */
function updateBy(fn: string, op: 'add' | 'subtract', x: Tensor, delta: Tensor | number, name: string): Tensor {
  const h = handleOf(fn, x);
  if (delta instanceof Tensor) {
    handleOf(fn, delta, name);
    const xs = x.shapeRef;
    const ds = delta.shapeRef;
    if (ds.length > xs.length || ds.some((d, i) => d !== 1 && d !== xs[xs.length - ds.length + i])) {
      fail(fn, `a tensor that broadcasts to x's shape [${xs}]`, name, delta, 'ERR_SHAPE');
    }
  }
  tidy(() => {
    const result = wrap(binaryOp(fn, op, wrap(native.detach(h)), delta, 'x', name));
    if (isFloatDType(result.dtype) && !isFloatDType(x.dtype)) {
      fail(fn, `a value that keeps x's dtype ${x.dtype} (the result would be ${result.dtype})`, name, delta, 'ERR_DTYPE');
    }
    assignChecked(fn, x, result, name);
  });
  return x;
}

/** x := x + increment (in place); returns x. */
export const updateAdd = (x: Tensor, increment: Tensor | number): Tensor =>
  updateBy('updateAdd', 'add', x, increment, 'increment');

/** x := x - decrement (in place); returns x. */
export const updateSub = (x: Tensor, decrement: Tensor | number): Tensor =>
  updateBy('updateSub', 'subtract', x, decrement, 'decrement');

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
  markTrainable(fill('zeros', shape, 0, dtype ?? floatx()), name);
/** A variable of ones. */
export const ones = (shape: number[], dtype?: DType, name?: string): Tensor =>
  markTrainable(fill('ones', shape, 1, dtype ?? floatx()), name);
/** An identity-matrix variable. */
export const eye = (size: number, dtype?: DType, name?: string): Tensor =>
  markTrainable(makeEye(size, undefined, dtype ?? floatx()), name);
/** A variable of zeros shaped like x. */
export function zerosLike(x: Tensor, dtype?: DType, name?: string): Tensor {
  const t = tensorArg('zerosLike', x);
  return markTrainable(fill('zerosLike', t.shape, 0, dtype ?? t.dtype, t.device), name);
}
/** A variable of ones shaped like x. */
export function onesLike(x: Tensor, dtype?: DType, name?: string): Tensor {
  const t = tensorArg('onesLike', x);
  return markTrainable(fill('onesLike', t.shape, 1, dtype ?? t.dtype, t.device), name);
}

/**
 * Keras's arange: int32 when every argument is an integer, else float32 (as tf.range infers it);
 * `arange(n)` is 0..n-1, and empty for n < 0 (as Keras and numpy).
 */
export const arange = (start: number, stop?: number | null, step = 1, dtype?: DType): Tensor =>
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
