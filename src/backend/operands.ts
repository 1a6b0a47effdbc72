/** Turning backend arguments into native handles, with the standard checks. */
import { BinaryOp, HandleOrScalar, native, NativeHandle } from '../native';
import { integerRange } from './dtypes';
import { KeratorchError } from './errors';
import { Tensor } from './tensor';
import { fail } from './validate';

/** A tensor or a plain number / boolean (used as a scalar that broadcasts). */
export type Operand = Tensor | number | boolean;

/** The handle of a live tensor argument. */
export function handleOf(fn: string, x: unknown, name = 'x'): NativeHandle {
  if (!(x instanceof Tensor)) return fail(fn, 'a Tensor', name, x);
  x.assertLive(fn, name);
  return x.handle;
}

/** A live tensor argument. */
export function tensorArg(fn: string, x: unknown, name = 'x'): Tensor {
  handleOf(fn, x, name);
  return x as Tensor;
}

/** A tensor's handle, or a number / boolean passed through as a scalar. */
export function operandOf(fn: string, x: unknown, name: string): HandleOrScalar {
  if (typeof x === 'number' || typeof x === 'boolean') return x;
  if (!(x instanceof Tensor)) return fail(fn, 'a Tensor, number or boolean', name, x);
  x.assertLive(fn, name);
  return x.handle;
}

/** Comparisons, each with the one it becomes when its operands swap sides. */
const MIRRORED: Partial<Record<BinaryOp, BinaryOp>> = {
  equal: 'equal', notEqual: 'notEqual', less: 'greater', greater: 'less', lessEqual: 'greaterEqual',
  greaterEqual: 'lessEqual',
};

/** A number operand out of the range of the other operand's integer dtype, and which side it is on. */
interface OutOfRange {
  number: number;
  first: boolean;
  dtype: string;
  range: readonly [number, number];
}

function outOfRange(a: HandleOrScalar, b: HandleOrScalar, x: unknown, y: unknown): OutOfRange | undefined {
  const first = typeof a === 'number';
  const number = first ? a : b;
  const other = first ? y : x;
  if (typeof number !== 'number' || !(other instanceof Tensor)) return undefined;
  // Fractional numbers promote to float, and [0, 255] fits every integer dtype: no dtype read for them.
  if (!Number.isInteger(number) || (number >= 0 && number <= 255)) return undefined;
  const range = integerRange(other.dtype);
  if (range === undefined || (number >= range[0] && number < range[1])) return undefined;
  return { number, first, dtype: other.dtype, range };
}

function refuseOutOfRange(fn: string, out: OutOfRange, xName: string, yName: string): never {
  const [name, tensorName] = out.first ? [xName, yName] : [yName, xName];
  throw new KeratorchError(`${fn}: expected a number that ${tensorName}'s dtype ${out.dtype} holds (an integer in ` +
    `[${out.range[0]}, ${out.range[1]}); cast ${tensorName} to a wider dtype first) for ${name} but received ` +
    `${out.number}, out of bounds for ${out.dtype}`, 'ERR_VALUE', fn);
}

/**
 * The operands of an op whose result takes the tensor operand's dtype (`where`): a number next to an
 * integer tensor must fit that dtype (see {@link binaryOp}).
 */
export function operandPair(fn: string, x: unknown, y: unknown, xName = 'x', yName = 'y'): [HandleOrScalar, HandleOrScalar] {
  const a = operandOf(fn, x, xName);
  const b = operandOf(fn, y, yName);
  const out = outOfRange(a, b, x, y);
  if (out) refuseOutOfRange(fn, out, xName, yName);
  return [a, b];
}

/**
 * Runs a binary op (at least one operand a tensor); `fn` names it in errors. A plain number next to an
 * integer tensor follows NumPy 2's rule for Python scalars (NEP 50): an integral number is a "weak"
 * integer that takes the tensor's dtype, so it must fit it. `uint8 + 300` and `int32 * 1e10` are refused
 * ("add: ... but received 300, out of bounds for uint8") rather than wrapped, as are 300 - uint8,
 * `pow`, `mod`, `floorDiv`, `minimum` and `maximum` with such numbers. A fractional number promotes
 * to float (uint8 + 1.5 is float32). Where the result does not take the tensor's dtype nothing is out
 * of bounds: `divide` gives floats, comparisons answer for the number itself (uint8 < 300 is true
 * everywhere, uint8 == -1 false), and logical ops read it as non-zero. Bool tensors take any integer
 * (the result is int64), and float tensors any number.
 */
export function binaryOp(fn: string, op: BinaryOp, x: unknown, y: unknown, xName = 'x', yName = 'y'): NativeHandle {
  const a = operandOf(fn, x, xName);
  const b = operandOf(fn, y, yName);
  if (typeof a !== 'object' && typeof b !== 'object') fail(fn, 'at least one Tensor', `${xName}, ${yName}`, [x, y]);
  const out = outOfRange(a, b, x, y);
  if (out === undefined || op === 'divide') return native.binary[op](a, b);
  const tensor = (out.first ? b : a) as NativeHandle;
  if (op === 'logicalAnd' || op === 'logicalOr') {
    return out.first ? native.binary[op](true, tensor) : native.binary[op](tensor, true);
  }
  const comparison = MIRRORED[op];
  if (comparison === undefined) return refuseOutOfRange(fn, out, xName, yName);
  // Every value of the dtype lies on one side of the number, so the answer is all true or all false;
  // it is computed from the tensor so that it keeps the tensor's shape in a recorded forward too.
  const tensorOp = out.first ? comparison : op;
  const above = out.number >= out.range[1];
  const holds = tensorOp === 'notEqual' ||
    (above ? tensorOp === 'less' || tensorOp === 'lessEqual' : tensorOp === 'greater' || tensorOp === 'greaterEqual');
  return native.binary[holds ? 'equal' : 'notEqual'](tensor, tensor);
}

/** A list of live tensors. */
export function tensorList(fn: string, xs: unknown, name = 'tensors', minLength = 1): Tensor[] {
  if (!Array.isArray(xs) || xs.length < minLength) {
    return fail(fn, `an array of at least ${minLength} tensor(s)`, name, xs);
  }
  xs.forEach((x, i) => handleOf(fn, x, `${name}[${i}]`));
  return xs as Tensor[];
}

/** Wraps a native result. */
export function wrap(handle: NativeHandle): Tensor {
  return new Tensor(handle);
}

export { native };
