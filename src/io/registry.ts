/**
 * Names for what a saved model cannot hold as code: the functions of Lambda and merge layers, and
 * custom classes (layers, optimizers, ...). Saving stores the name; loading looks it up here, so the
 * program that loads a model registers the same names first. Per-process JS state, like Keras's
 * `custom_objects` / `register_keras_serializable`.
 */
import { KeratorchError } from '../backend';
import { booleanOption, isCallable, optionsObject } from '../backend/validate';

/** A class that can be registered: a constructor (of any parameters) with its own static `className`. */
export type RegistrableClass = (abstract new (...args: never[]) => unknown) & { readonly className: string };

/** Options of {@link registerFunction} and {@link registerClass}. */
export interface RegisterOptions {
  /** Replace what is already registered under the name instead of throwing. */
  override?: boolean;
}

/** Any function (of any parameters); callers cast what they look up to the kind they expect. */
export type RegistrableFunction = (...args: never[]) => unknown;

const functions = new Map<string, RegistrableFunction>();
const classes = new Map<string, RegistrableClass>();

function fail(fn: string, message: string): never {
  throw new KeratorchError(`${fn}: ${message}`, 'ERR_ARGUMENT', fn);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}

function checkName(fn: string, name: unknown, what = 'name'): string {
  if (typeof name !== 'string' || name === '') fail(fn, `expected a non-empty string for ${what} but received ${describe(name)}`);
  return name;
}

function checkOptions(fn: string, options: unknown): RegisterOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    fail(fn, `expected an options object ({ override?: boolean }) for options but received ${describe(options)}`);
  }
  optionsObject(fn, options, ['override']);
  return { override: booleanOption(fn, 'options.override', (options as RegisterOptions).override, false) };
}

/**
 * Registers `fn` under `name`, so a model whose Lambda or merge layer uses it can be saved (the name
 * is stored) and loaded (the name is looked up). Registering the same function again is a no-op; a
 * different function under a taken name throws unless `{ override: true }`. One function may have
 * several names; {@link functionName} returns the first.
 *
 * @param name The name stored in saved models.
 * @param fn The function.
 * @param options `override`: replace a different function already under `name`.
 */
export function registerFunction(name: string, fn: RegistrableFunction, options?: RegisterOptions): void {
  const op = 'registerFunction';
  checkName(op, name);
  if (!isCallable(fn)) fail(op, `expected a function for fn but received ${describe(fn)}`);
  const { override = false } = checkOptions(op, options);
  const existing = functions.get(name);
  if (existing !== undefined && existing !== fn && !override) {
    fail(op, `the name "${name}" is already registered to ${describe(existing)}: choose another name, or pass ` +
      '{ override: true } to replace it');
  }
  functions.set(name, fn);
}

/**
 * The function registered under `name`. When there is none, throws a KeratorchError (`ERR_ARGUMENT`)
 * that names what needed it and the call that fixes it.
 *
 * @param name The registered name.
 * @param purpose What needs the function, for the message: `the Lambda layer "lambda_1"`.
 * @param op The public operation to blame in the message (default `loadModel`).
 */
export function getRegisteredFunction(name: string, purpose: string, op = 'loadModel'): RegistrableFunction {
  checkName('getRegisteredFunction', name);
  checkName('getRegisteredFunction', purpose, 'purpose');
  checkName('getRegisteredFunction', op, 'op');
  const found = functions.get(name);
  if (found === undefined) {
    fail(op, `${purpose} needs function "${name}": call registerFunction("${name}", fn) before loading`);
  }
  return found;
}

/**
 * The name `fn` is registered under (the first, if several), or undefined when it has none. Saving
 * stores this name for Lambda and merge functions.
 */
export function functionName(fn: RegistrableFunction): string | undefined {
  for (const [name, registered] of functions) {
    if (registered === fn) return name;
  }
  return undefined;
}

/** Removes the function registered under `name`; returns whether there was one. */
export function unregisterFunction(name: string): boolean {
  return functions.delete(checkName('unregisterFunction', name));
}

/**
 * Registers a class (a custom layer, optimizer, ...) under its own static `className`, so configs
 * naming that class can be loaded. Registering the same class again is a no-op; a different class
 * with the same `className` throws unless `{ override: true }`. A subclass must declare its own
 * `className` (an inherited one would clash with its parent's).
 *
 * @param cls The class, with `static readonly className = '...'`.
 * @param options `override`: replace a different class already registered under that name.
 */
export function registerClass(cls: RegistrableClass, options?: RegisterOptions): void {
  const op = 'registerClass';
  if (typeof cls !== 'function') fail(op, `expected a class for cls but received ${describe(cls)}`);
  if (!Object.prototype.hasOwnProperty.call(cls, 'className')) {
    const inherited = (cls as { className?: unknown }).className;
    const why = inherited === undefined ? 'it has no static className'
      : `it inherits className ${describe(inherited)} from a parent class`;
    fail(op, `expected a class with its own static className for cls but received class ${cls.name || '(anonymous)'} ` +
      `(${why}): add \`static readonly className = '${cls.name || 'MyClass'}'\``);
  }
  const name = checkName(op, cls.className, `${cls.name || 'cls'}.className`);
  const { override = false } = checkOptions(op, options);
  const existing = classes.get(name);
  if (existing !== undefined && existing !== cls && !override) {
    fail(op, `the className "${name}" is already registered to another class: rename one of them, or pass ` +
      '{ override: true } to replace it');
  }
  classes.set(name, cls);
}

/**
 * The class registered under `className`. When there is none, throws a KeratorchError
 * (`ERR_ARGUMENT`) that names what needed it and the call that fixes it.
 *
 * @param className The class's static `className`, as stored in a saved config.
 * @param purpose What needs the class, for the message: `layer "dense_1"` (default `the saved config`).
 * @param op The public operation to blame in the message (default `loadModel`).
 */
export function getRegisteredClass<T extends RegistrableClass = RegistrableClass>(className: string,
  purpose = 'the saved config', op = 'loadModel'): T {
  checkName('getRegisteredClass', className, 'className');
  checkName('getRegisteredClass', purpose, 'purpose');
  checkName('getRegisteredClass', op, 'op');
  const found = classes.get(className);
  if (found === undefined) {
    fail(op, `${purpose} needs class "${className}": call registerClass(${className}) before loading ` +
      `(the class must have static className = "${className}")`);
  }
  return found as T;
}

/** Removes the class registered under `className`; returns whether there was one. */
export function unregisterClass(className: string): boolean {
  return classes.delete(checkName('unregisterClass', className, 'className'));
}
