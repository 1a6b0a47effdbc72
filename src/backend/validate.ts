/**
 * Argument checks shared by every backend function. All failures read the same way:
 * "<fn>: expected <what> for <name> but received <value>".
 */
import { ErrorCode, KeratorchError } from './errors';
import { DTYPES, DType, isDType } from './dtypes';

/** Arrays nested deeper than this are described by their length: a description must not recurse without
 * bound (an array nested 20,000 deep, from a crafted file, would overflow the stack). */
const MAX_DESCRIBED_DEPTH = 8;

/** A short, readable description of any received value. It never throws, whatever it is given (a Proxy whose
 * traps throw, a getter that throws, a BigInt, a Symbol, a cycle, an object without a prototype), since every
 * error message is built from it: a failing description would replace the user's error with its own. */
export function describe(value: unknown, depth = 0): string {
  try {
    return describeUnchecked(value, depth);
  } catch {
    // Not Array.isArray: it throws on a revoked Proxy. typeof never throws.
    return `${typeof value === 'object' ? 'an object' : typeof value} that cannot be read`;
  }
}

function describeUnchecked(value: unknown, depth: number): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'function') return `${isCallable(value) ? 'function' : 'class'} ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) {
    // Not JSON.stringify: it would print NaN and Infinity as null.
    if (value.length > 30 || depth >= MAX_DESCRIBED_DEPTH) return `an array of length ${value.length}`;
    const text = `[${Array.from(value, (item) => describe(item, depth + 1)).join(',')}]`;
    return text.length <= 60 ? text : `an array of length ${value.length}`;
  }
  if (typeof value === 'object' && 'describe' in value && typeof value.describe === 'function') {
    const text = (value as { describe(): unknown }).describe();
    if (typeof text === 'string') return text;
  }
  if (typeof value === 'object') {
    const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `an object (${typeof name === 'string' && name !== '' ? name : 'Object'})`;
  }
  return `${typeof value} ${String(value)}`;
}

/**
 * True for a function that can be called: a class is typeof 'function' too, but calling one throws
 * V8's own TypeError ("Class constructors cannot be invoked without 'new'") from inside the callee.
 */
export function isCallable(value: unknown): value is (...args: never[]) => unknown {
  if (typeof value !== 'function') return false;
  try {
    return !/^class[\s{]/.test(Function.prototype.toString.call(value));
  } catch {
    return true;  // a Proxy of a function: toString refuses it, a call does not
  }
}

/** Throws the standard message. */
export function fail(fn: string, expected: string, name: string, received: unknown,
  code: ErrorCode = 'ERR_ARGUMENT'): never {
  // fn and name are the library's own strings, but a few checkers are exported and may be handed anything.
  const owner = typeof fn === 'string' ? fn : describe(fn);
  throw new KeratorchError(`${owner}: expected ${expected} for ${String(name)} but received ${describe(received)}`,
    code, owner);
}

/** Checks an integer (not NaN, not fractional), optionally with bounds. A non-number is ERR_ARGUMENT; a number
 * that is not a usable integer (NaN, fractional, out of bounds) is ERR_VALUE. */
export function checkInt(fn: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number') fail(fn, 'an integer', name, value);
  if (!Number.isInteger(value)) fail(fn, 'an integer', name, value, 'ERR_VALUE');
  if (value < min || value > max) {
    const range = max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    fail(fn, range, name, value, 'ERR_VALUE');
  }
  return value;
}

/** Checks a finite number. */
export function checkNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number') fail(fn, 'a finite number', name, value);
  if (!Number.isFinite(value)) fail(fn, 'a finite number', name, value, 'ERR_VALUE');
  return value;
}

/** The largest finite float32, for messages. */
const FLOAT32_MAX = '3.4028235e38';

/** True when `value` would overflow to ±Infinity as a `dtype` (float32 only: float64 holds every number). */
export function overflowsDType(value: number, dtype: string): boolean {
  return dtype === 'float32' && Number.isFinite(value) && !Number.isFinite(Math.fround(value));
}

/** Refuses a finite number that `dtype` would hold only as ±Infinity (libtorch says "cannot be converted to type
 * float without overflow", naming its own op). */
export function checkFitsDType(fn: string, name: string, value: number, dtype: string): number {
  if (overflowsDType(value, dtype)) {
    fail(fn, `a number ${dtype} holds (magnitude at most ${FLOAT32_MAX})`, name, value, 'ERR_VALUE');
  }
  return value;
}

/** Checks a finite number passed to an op on a tensor of `dtype`, which must also hold it. */
export function checkNumberFor(fn: string, name: string, value: unknown, dtype: string): number {
  return checkFitsDType(fn, name, checkNumber(fn, name, value), dtype);
}

/** Checks a list of integers. */
export function checkIntList(fn: string, name: string, value: unknown, min = -Infinity): number[] {
  if (!Array.isArray(value)) fail(fn, 'an array of integers', name, value);
  for (const v of value) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      fail(fn, min === -Infinity ? 'an array of integers' : `an array of integers >= ${min}`, name, value,
        typeof v === 'number' ? 'ERR_VALUE' : 'ERR_ARGUMENT');
    }
  }
  return value as number[];
}

/** Checks a shape (non-negative integers). */
export function checkShape(fn: string, name: string, value: unknown): number[] {
  return checkIntList(fn, name, value, 0);
}

/** Checks that two tensors' shapes broadcast together (numpy rules), naming both when they do not. */
export function checkBroadcast(fn: string, x: { shapeRef: readonly number[]; describe(): string },
  y: { shapeRef: readonly number[]; describe(): string }, xName = 'x', yName = 'y'): void {
  const a = x.shapeRef;
  const b = y.shapeRef;
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const da = a[a.length - i];
    const db = b[b.length - i];
    if (da !== db && da !== 1 && db !== 1) {
      fail(fn, `a shape that broadcasts with ${xName} (${xName} is ${x.describe()})`, yName, y, 'ERR_SHAPE');
    }
  }
}

/** Checks that two tensors live on the same device (libtorch's own message would not name the function). */
export function checkSameDevice(fn: string, x: { device: string; describe(): string },
  y: { device: string; describe(): string }, xName = 'x', yName = 'y'): void {
  if (x.device !== y.device) {
    fail(fn, `a tensor on ${xName}'s device ${x.device} (${xName} is ${x.describe()})`, yName, y, 'ERR_DEVICE');
  }
}

/** Resolves a (possibly negative) axis against a rank, Python style. */
export function normalizeAxis(fn: string, axis: unknown, rank: number, name = 'axis'): number {
  const bound = Math.max(rank, 1);
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -bound || axis >= bound) {
    fail(fn, `an axis in [${-bound}, ${bound - 1}] (tensor of rank ${rank})`, name, axis,
      typeof axis === 'number' ? 'ERR_VALUE' : 'ERR_ARGUMENT');
  }
  return axis < 0 ? axis + bound : axis;
}

/** Resolves an axis, a list of axes, or null/undefined (all axes) into sorted unique axes or null. */
export function normalizeAxes(fn: string, axis: unknown, rank: number): number[] | null {
  if (axis === null || axis === undefined) return null;
  const list = Array.isArray(axis) ? axis : [axis];
  const axes = list.map((a) => normalizeAxis(fn, a, rank));
  if (new Set(axes).size !== axes.length) fail(fn, 'distinct axes', 'axis', axis, 'ERR_VALUE');
  return axes.sort((a, b) => a - b);
}

/** Checks a dtype name. */
export function checkDType(fn: string, value: unknown, name = 'dtype'): DType {
  if (!isDType(value)) fail(fn, `one of ${DTYPES.join(', ')}`, name, value, 'ERR_DTYPE');
  return value;
}

/** Checks one of a set of string options. */
export function checkOption<T extends string>(fn: string, name: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail(fn, `one of ${options.map((o) => `'${o}'`).join(', ')}`, name, value);
  }
  return value as T;
}

/** Checks a pair of positive integers given as one number or two. */
export function checkPair(fn: string, name: string, value: unknown, min = 1): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2) fail(fn, `an integer or a pair of integers >= ${min}`, name, value);
  checkIntList(fn, name, pair, min);
  return [pair[0], pair[1]];
}

/** Checks an options object (undefined gives {}), refusing keys not in `allowed`. */
export function optionsObject<T extends object>(fn: string, args: unknown, allowed: readonly string[],
  name = 'options'): Partial<T> {
  if (args === undefined) return {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) fail(fn, 'an options object', name, args);
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) fail(fn, `an option among ${allowed.join(', ')}`, name, key);
  }
  return args as Partial<T>;
}

/** A boolean option, or the fallback. */
export function booleanOption(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(fn, 'a boolean', name, value);
  return value;
}
