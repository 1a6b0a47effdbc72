/**
 * Checks of layer constructor options. Every failure reads the same way:
 * "<Layer>: expected <what> for <name> but received <value>" (a KeratorchError, ERR_ARGUMENT).
 */
import { DType, KeratorchError } from '../backend';
import { describe } from '../backend/validate';
import {
  getInitializer, getRegularizer, Initializer, InitializerIdentifier, LayerArgs, Regularizer,
  RegularizerIdentifier,
} from '../engine';
import { refuseUnsupportedOptions } from './unsupported_options';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];

/**
 * A short, readable description of an option value for error messages; it never throws. The
 * backend's `describe`, except that a small plain object is shown as its JSON (an option object's
 * keys are what the reader needs to see).
 */
export function describeValue(value: unknown): string {
  try {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('describe' in value)) {
      const text = JSON.stringify(value);
      if (text !== undefined && text.length <= 60) return text;
    }
  } catch {
    // circular, a BigInt inside, a Proxy whose traps throw: describe says what it can
  }
  return describe(value);
}

/** The standard option error. */
export function optionError(owner: string, expected: string, name: string, received: unknown): KeratorchError {
  return new KeratorchError(`${owner}: expected ${expected} for ${name} but received ${describeValue(received)}`,
    'ERR_ARGUMENT', owner);
}

/**
 * Checks the options object itself, refuses the Keras options keratorch lacks by name (masks,
 * constraints, ...), and checks the options every layer shares (name, trainable, dtype,
 * inputShape, batchInputShape, batchSize); returns it, so constructors can write `super(checkLayerArgs(...))`.
 */
export function checkLayerArgs<T extends LayerArgs>(owner: string, args: T): T {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw optionError(owner, 'an options object', 'args', args);
  }
  refuseUnsupportedOptions(owner, args);
  if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) {
    throw optionError(owner, 'a non-empty string', 'name', args.name);
  }
  if (args.trainable !== undefined) checkBoolean(owner, 'trainable', args.trainable);
  if (args.dtype !== undefined && !DTYPES.includes(args.dtype)) {
    throw optionError(owner, `one of ${DTYPES.join(', ')}`, 'dtype', args.dtype);
  }
  if (args.inputShape !== undefined && args.inputShape !== null) checkShapeOption(owner, 'inputShape', args.inputShape);
  if (args.batchInputShape !== undefined && args.batchInputShape !== null) {
    checkShapeOption(owner, 'batchInputShape', args.batchInputShape);
  }
  if (args.batchSize !== undefined && args.batchSize !== null) checkInt(owner, 'batchSize', args.batchSize, 1);
  return args;
}

/** Checks a shape option: an array of non-negative integers or null. */
export function checkShapeOption(owner: string, name: string, value: unknown): (number | null)[] {
  if (!Array.isArray(value) || value.some((d) => d !== null && !(Number.isInteger(d) && d >= 0))) {
    throw optionError(owner, 'an array of non-negative integers or null', name, value);
  }
  return value;
}

/** Checks an integer >= min. */
export function checkInt(owner: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw optionError(owner, min === 1 ? 'a positive integer' : `an integer >= ${min}`, name, value);
  }
  return value;
}

/** Checks a boolean. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw optionError(owner, 'a boolean', name, value);
  return value;
}

/** Checks a finite number in [min, max] (or [min, max) when `maxExclusive`). */
export function checkNumberIn(owner: string, name: string, value: unknown, min: number, max: number,
  maxExclusive = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (maxExclusive ? value < max : value <= max);
  if (!ok) throw optionError(owner, `a number in [${min}, ${max}${maxExclusive ? ')' : ']'}`, name, value);
  return value as number;
}

/** Checks one of a fixed set of strings. */
export function checkChoice<T extends string>(owner: string, name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw optionError(owner, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, name, value);
  }
  return value as T;
}

/** Checks an integer >= min or a pair of them; returns the pair. */
export function checkIntPair(owner: string, name: string, value: unknown, min = 1): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    throw optionError(owner, `an integer >= ${min} or a pair of them`, name, value);
  }
  return [pair[0], pair[1]];
}

/** An initializer from an identifier, failing with the layer's message shape. */
export function resolveInitializer(owner: string, name: string, value: InitializerIdentifier): Initializer {
  try {
    return getInitializer(value);
  } catch (cause) {
    throw withCause(optionError(owner, "an initializer (a name such as 'glorotUniform', an Initializer or " +
      '{ className, config })', name, value), value, cause);
  }
}

/** A regularizer from an identifier (null or undefined: none), failing with the layer's message shape. */
export function resolveRegularizer(owner: string, name: string, value: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (value === null || value === undefined) return null;
  try {
    return getRegularizer(value);
  } catch (cause) {
    throw withCause(optionError(owner, "'l1', 'l2', 'l1l2', a Regularizer or { className: 'L1L2', config }", name, value),
      value, cause);
  }
}

/**
 * `error` with the message of what made it appended when `value` is an object: its message says what
 * in the config is wrong (an unknown key, a value out of range). An unknown name needs no more words.
 */
function withCause(error: KeratorchError, value: unknown, cause: unknown): KeratorchError {
  if (typeof value === 'object' && value !== null && cause instanceof Error) error.message += ` (${cause.message})`;
  return error;
}

/** A JSON description of a regularizer that `getRegularizer` accepts, or null. */
export function serializeRegularizer(regularizer: Regularizer | null): { className: string; config: Record<string, unknown> } | null {
  return regularizer ? { className: regularizer.className, config: regularizer.getConfig() } : null;
}
