/** Elementwise arithmetic, math functions and comparisons (TensorFlow-backend semantics). */
import { native, Operand, binaryOp, operandPair, handleOf, tensorArg, wrap } from './operands';
import type { BinaryOp, UnaryOp } from '../native';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { tensor as makeTensor } from './creation';
import { integerRange, isFloatDType } from './dtypes';
import { checkBroadcast, checkNumberFor, fail } from './validate';

// Shape mismatches are left to libtorch: its error names both shapes and comes back as ERR_SHAPE,
// and checking here would cost a metadata read per operand on every call.
// A plain number operand follows NumPy 2's rule for Python scalars: see binaryOp.
function binary(op: BinaryOp, x: Operand, y: Operand, nativeOp: BinaryOp = op): Tensor {
  return wrap(binaryOp(op, nativeOp, x, y));
}

function unary(op: UnaryOp, x: Tensor): Tensor {
  return wrap(native.unary[op](handleOf(op, x)));
}

/** x + y, broadcasting. */
export const add = (x: Operand, y: Operand): Tensor => binary('add', x, y);
/** x - y, broadcasting. */
export const subtract = (x: Operand, y: Operand): Tensor => binary('subtract', x, y);
/** x * y, broadcasting. */
export const multiply = (x: Operand, y: Operand): Tensor => binary('multiply', x, y);
/** x / y (true division), broadcasting. */
export const divide = (x: Operand, y: Operand): Tensor => binary('divide', x, y);
/**
 * floor(x / y). Integers divide exactly; floats take the floor of the rounded quotient, as
 * TensorFlow's FloorDiv does (so 1 // 0.1 is 10), with a zero gradient instead of an error.
 */
export function floorDiv(x: Operand, y: Operand): Tensor {
  // Only numbers and tensors are read here; anything else goes on to binary(), which names it.
  const integral = (v: Operand) => (v instanceof Tensor ? !isFloatDType(v.dtype) : typeof v !== 'number' || Number.isInteger(v));
  if (integral(x) && integral(y)) return binary('floorDiv', x, y);
  return tidy(() => wrap(native.unary.floor(binary('floorDiv', x, y, 'divide').handle)));
}
/** x modulo y, with the sign of y (Python's %). */
export const mod = (x: Operand, y: Operand): Tensor => binary('mod', x, y);
/** x to the power a, elementwise. */
export const pow = (x: Operand, a: Operand): Tensor => binary('pow', x, a);
/** Elementwise minimum. */
export const minimum = (x: Operand, y: Operand): Tensor => binary('minimum', x, y);
/** Elementwise maximum. */
export const maximum = (x: Operand, y: Operand): Tensor => binary('maximum', x, y);
/** x == y (bool). */
export const equal = (x: Operand, y: Operand): Tensor => binary('equal', x, y);
/** x != y (bool). */
export const notEqual = (x: Operand, y: Operand): Tensor => binary('notEqual', x, y);
/** x > y (bool). */
export const greater = (x: Operand, y: Operand): Tensor => binary('greater', x, y);
/** x >= y (bool). */
export const greaterEqual = (x: Operand, y: Operand): Tensor => binary('greaterEqual', x, y);
/** x < y (bool). */
export const less = (x: Operand, y: Operand): Tensor => binary('less', x, y);
/** x <= y (bool). */
export const lessEqual = (x: Operand, y: Operand): Tensor => binary('lessEqual', x, y);
/** Logical and (bool). */
export const logicalAnd = (x: Operand, y: Operand): Tensor => binary('logicalAnd', x, y);
/** Logical or (bool). */
export const logicalOr = (x: Operand, y: Operand): Tensor => binary('logicalOr', x, y);

/** -x. */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** |x|. */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** x². */
export const square = (x: Tensor): Tensor => unary('square', x);
/** e^x. */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** log(1 + x). */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** -1, 0 or 1; NaN stays NaN, as in TensorFlow. */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** Rounds half to even, as Keras does. */
export const round = (x: Tensor): Tensor => unary('round', x);
/** Largest integer <= x. */
export const floor = (x: Tensor): Tensor => unary('floor', x);
/** Smallest integer >= x. */
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
/** Sine. */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** Cosine. */
export const cos = (x: Tensor): Tensor => unary('cos', x);
/** Tangent. */
export const tan = (x: Tensor): Tensor => unary('tan', x);
/** 1 / x. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** Logical not (bool). */
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x);
/** True where x is NaN. */
export const isNaN = (x: Tensor): Tensor => unary('isNaN', x);

/** Square root; negative inputs are clipped to 0 first, as in Keras. */
export function sqrt(x: Tensor): Tensor {
  return tidy(() => unary('sqrt', clip(tensorArg('sqrt', x), 0, null)));
}

// An integer tensor keeps its dtype, so its bounds must be integers it holds (Keras refuses others too).
function clipBound(fn: string, name: string, value: number | null | undefined, dtype: string): number | null {
  if (value === null || value === undefined) return null;
  const bound = checkNumberFor(fn, name, value, dtype);
  const range = integerRange(dtype);
  if (range && !(Number.isInteger(bound) && bound >= range[0] && bound < range[1])) {
    fail(fn, `an integer in [${range[0]}, ${range[1]}) (x is ${dtype})`, name, value, 'ERR_VALUE');
  }
  return bound;
}

/**
 * Clips values to [minValue, maxValue]; either bound may be null. maxValue < minValue acts as
 * minValue. The dtype is kept: an integer tensor takes integer bounds.
 */
export function clip(x: Tensor, minValue: number | null, maxValue: number | null): Tensor {
  const fn = 'clip';
  const h = handleOf(fn, x);
  const low = clipBound(fn, 'minValue', minValue, x.dtype);
  let high = clipBound(fn, 'maxValue', maxValue, x.dtype);
  if (low !== null && high !== null && high < low) high = low;
  return wrap(native.clip(h, low, high));
}

/** Picks from `x` where `condition` holds, else from `y` (broadcasting). Two plain numbers give float32. */
export function where(condition: Tensor, x: Operand, y: Operand): Tensor {
  const fn = 'where';
  const c = handleOf(fn, condition, 'condition');
  const [a, b] = operandPair(fn, x, y);
  if (typeof a !== 'object' && typeof b !== 'object') {
    // libtorch cannot pick between two wrapped scalars (an internal assert): make x a tensor.
    return tidy(() => where(condition, makeTensor(a, undefined, undefined, condition.device), b));
  }
  if (x instanceof Tensor) checkBroadcast(fn, condition, x, 'condition', 'x');
  if (y instanceof Tensor) checkBroadcast(fn, condition, y, 'condition', 'y');
  if (x instanceof Tensor && y instanceof Tensor) checkBroadcast(fn, x, y);
  return wrap(native.where(c, a, b));
}

/**
 * Keras's switch: `where`, except that a condition of lower rank than the expressions lines up with
 * their leading axes (a rank-1 condition picks whole rows), as the TensorFlow backend does.
 */
export function kerasSwitch(condition: Tensor, thenExpression: Operand, elseExpression: Operand): Tensor {
  const c = tensorArg('switch', condition, 'condition');
  const rank = Math.max(0, ...[thenExpression, elseExpression].map((e) => (e instanceof Tensor ? e.rank : 0)));
  if (c.rank === 0 || c.rank >= rank) return where(c, thenExpression, elseExpression);
  return tidy(() => {
    const aligned = wrap(native.reshape(c.handle, [...c.shapeRef, ...Array(rank - c.rank).fill(1)]));
    return where(aligned, thenExpression, elseExpression);
  });
}
