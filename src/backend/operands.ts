/** Turning backend arguments into native handles, with the standard checks. */
import { HandleOrScalar, native, NativeHandle } from '../native';
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
