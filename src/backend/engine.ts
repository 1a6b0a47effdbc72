/**
 * Tensor lifetime: tidy scopes, keep, and memory counters. Tensors register here when made, so a
 * tidy scope can free everything it created except what it returns.
 */
import { native } from '../native';
import type { MemoryInfo } from '../native';
import type { Tensor } from './tensor';
import { KeratorchError } from './errors';
import { describe, isCallable } from './validate';

const scopes: Set<Tensor>[] = [];

/** Anything tidy can return: tensors, or arrays / plain objects holding them, or other values. */
export type TensorContainer = Tensor | number | string | boolean | null | undefined | void |
  TensorContainer[] | { [key: string]: TensorContainer };

/** Records a new tensor in the innermost tidy scope (called by the Tensor constructor). */
export function track(tensor: Tensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1].add(tensor);
}

/** Excludes a tensor made inside `tidy` from being freed when the scope ends. */
export function keep<T extends Tensor>(tensor: T): T {
  // Duck-typed: tensor.ts imports this file, so the class is not at hand.
  if (typeof tensor !== 'object' || tensor === null || typeof (tensor as Partial<Tensor>).dispose !== 'function') {
    throw new KeratorchError(`keep: expected a Tensor for tensor but received ${describe(tensor)}`, 'ERR_ARGUMENT', 'keep');
  }
  if (scopes.length === 0) return tensor; // made outside any scope, or already handed out of one: counted
  for (const scope of scopes) scope.delete(tensor);
  countForGc(tensor);
  return tensor;
}

// The native side counts a tensor's memory for V8's GC heuristics only once no tidy scope holds
// it: a held tensor cannot be collected, and counting it made V8 run full collections for nothing
// (binding/common.cc). So it learns how many scopes are open, and which tensors leave them alive.
// Only whether any scope is open matters there, so only the outermost scope says so.
function openScope(scope: Set<Tensor>): void {
  if (scopes.length === 0) native.changeTidyDepth(1);
  scopes.push(scope);
}

function closeScope(): void {
  scopes.pop();
  if (scopes.length === 0) native.changeTidyDepth(-1);
}

function countForGc(tensor: Tensor): void {
  if (!tensor.isDisposed) native.reportToGc(tensor.handle);
}

// Walks arrays and plain objects (null-prototype ones too, as readers return) with a stack of its
// own, so a deeply nested container cannot overflow the call stack.
function collect(value: unknown, into: Set<Tensor>, seen: Set<unknown>): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    seen.add(item);
    if (isTensor(item)) {
      into.add(item);
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push(item[i]);
    } else {
      const prototype = Object.getPrototypeOf(item);
      if (prototype === Object.prototype || prototype === null) pending.push(...Object.values(item).reverse());
    }
  }
}

let tensorClass: (new (...args: never[]) => Tensor) | undefined;

/** Lets the engine recognise tensors without importing the class (avoids an import cycle). */
export function registerTensorClass(ctor: new (...args: never[]) => Tensor): void {
  tensorClass = ctor;
}

function isTensor(value: unknown): value is Tensor {
  return tensorClass !== undefined && value instanceof tensorClass;
}

/**
 * Runs `fn` and frees every tensor it created, except those it returns (found in arrays and plain
 * objects) and those passed to {@link keep}. If `fn` throws, everything it created is freed.
 * `fn` must be synchronous.
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  if (!isCallable(fn)) {
    throw new KeratorchError(`tidy: expected a function for fn but received ${describe(fn)}`, 'ERR_ARGUMENT', 'tidy');
  }
  const scope = new Set<Tensor>();
  openScope(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    closeScope();
    for (const tensor of scope) tensor.dispose();
    throw error;
  }
  closeScope();
  if (result instanceof Promise) {
    for (const tensor of scope) tensor.dispose();
    throw new KeratorchError('tidy: expected a synchronous function but it returned a Promise',
      'ERR_ARGUMENT', 'tidy');
  }
  const returned = new Set<Tensor>();
  collect(result, returned, new Set());
  const parent = scopes[scopes.length - 1];
  for (const tensor of scope) {
    if (!returned.has(tensor)) {
      tensor.dispose();
    } else if (parent) {
      parent.add(tensor);
    } else {
      countForGc(tensor);
    }
  }
  return result;
}

/**
 * Live native tensors (made and neither disposed nor garbage-collected) and their bytes, and how many
 * tensors (and bytes) the garbage collector has freed so far because no `dispose()` or `tidy()` did:
 * a `collectedTensors` that keeps growing means code is leaving tensors to the GC.
 */
export function memory(): MemoryInfo {
  return native.memory();
}

/** Disposes every tensor found in `container` (arrays and plain objects are searched). */
export function dispose(container: TensorContainer): void {
  const found = new Set<Tensor>();
  collect(container, found, new Set());
  for (const tensor of found) tensor.dispose();
}
