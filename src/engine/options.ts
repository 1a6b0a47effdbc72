/**
 * Checks for the options objects of compile, fit and the callbacks, in the backend's one message
 * shape ("fn: expected X for name but received Y"). Unknown keys are refused so a misspelt option
 * fails instead of being ignored.
 */
import { ErrorCode, KeratorchError } from '../backend';
import { fail } from '../backend/validate';

/** Throws the standard message with `received` written as given (a description, not a value). */
export function refuse(fn: string, expected: string, name: string, received: string,
  code: ErrorCode = 'ERR_ARGUMENT'): never {
  throw new KeratorchError(`${fn}: expected ${expected} for ${name} but received ${received}`, code, fn);
}

// Shared with the backend's own options (K.gradients), which cannot import from the engine.
export { optionsObject, booleanOption } from '../backend/validate';

/** An integer option in [min, max], or the fallback when undefined. */
export function intOption(fn: string, name: string, value: unknown, fallback: number, min = 0, max = Infinity): number {
  if (value === undefined) return fallback;
  const range = max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
  if (typeof value !== 'number') fail(fn, range, name, value);
  if (!Number.isInteger(value) || value < min || value > max) fail(fn, range, name, value, 'ERR_VALUE');
  return value;
}

/** A finite number option in [min, max) (max excluded when `maxExclusive`), or the fallback. */
export function numberOption(fn: string, name: string, value: unknown, fallback: number, min = -Infinity,
  max = Infinity, maxExclusive = false): number {
  if (value === undefined) return fallback;
  const bounds = [min > -Infinity ? `>= ${min}` : '', max < Infinity ? `${maxExclusive ? '<' : '<='} ${max}` : '']
    .filter(Boolean).join(' and ');
  const expected = `a finite number${bounds ? ` ${bounds}` : ''}`;
  if (typeof value !== 'number') fail(fn, expected, name, value);
  if (!Number.isFinite(value) || value < min || (maxExclusive ? value >= max : value > max)) {
    fail(fn, expected, name, value, 'ERR_VALUE');
  }
  return value;
}

/** A non-empty string option, or the fallback. */
export function stringOption(fn: string, name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) fail(fn, 'a non-empty string', name, value);
  return value;
}

/** One of a set of strings, or the fallback. */
export function choiceOption<T extends string>(fn: string, name: string, value: unknown, choices: readonly T[],
  fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(fn, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, name, value);
  }
  return value as T;
}

/** A function option, or undefined. */
export function functionOption<F>(fn: string, name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(fn, 'a function', name, value);
  return value as F;
}
