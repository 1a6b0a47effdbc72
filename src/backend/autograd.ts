/** Gradients and gradient stopping. */
import { native, handleOf, tensorList, wrap } from './operands';
import { Tensor } from './tensor';
import { booleanOption, fail, isCallable, optionsObject } from './validate';

/** Options of `K.gradients`. */
export interface GradientsOptions {
  /** Keep the graph so the same loss can be differentiated again (default true, as in Keras). */
  retainGraph?: boolean;
  /** Build a graph of the gradients themselves, for higher-order derivatives (default false). */
  createGraph?: boolean;
}

/** How many {@link noGrad} calls are running: gradients are not recorded while it is above 0. */
let noGradDepth = 0;

/**
 * The gradients of `loss` (summed if it has several elements) with respect to each variable.
 * Variables the loss does not depend on get zeros. Inside {@link noGrad} this works for a loss
 * computed outside it (as torch.autograd.grad does); a loss computed inside it has no gradient
 * graph, and is refused rather than given zeros.
 */
export function gradients(loss: Tensor | Tensor[], variables: Tensor[], options: GradientsOptions = {}): Tensor[] {
  const fn = 'gradients';
  const { retainGraph, createGraph } = optionsObject<GradientsOptions>(fn, options, ['retainGraph', 'createGraph']);
  const losses = Array.isArray(loss) ? tensorList(fn, loss, 'loss') : [loss];
  losses.forEach((l, i) => handleOf(fn, l, Array.isArray(loss) ? `loss[${i}]` : 'loss'));
  const vars = tensorList(fn, variables, 'variables');
  vars.forEach((v, i) => {
    if (!v.requiresGrad) fail(fn, 'trainable variables (made by K.variable with a float dtype)', `variables[${i}]`, v);
  });
  if (noGradDepth > 0) {
    losses.forEach((l, i) => {
      if (!l.requiresGrad) {
        fail(fn, 'a loss computed while gradients are recorded (outside K.noGrad)',
          Array.isArray(loss) ? `loss[${i}]` : 'loss', `${l.describe()}, computed inside K.noGrad (no gradient graph)`,
          'ERR_VALUE');
      }
    });
  }
  const grads = native.grad(losses.map((l) => l.handle), vars.map((v) => v.handle),
    booleanOption(fn, 'retainGraph', retainGraph, true), booleanOption(fn, 'createGraph', createGraph, false));
  return grads.map(wrap);
}

/** The same values, cut from the gradient graph; a list gives a list. */
export function stopGradient(variables: Tensor): Tensor;
export function stopGradient(variables: Tensor[]): Tensor[];
export function stopGradient(variables: Tensor | Tensor[]): Tensor | Tensor[] {
  if (Array.isArray(variables)) return tensorList('stopGradient', variables, 'variables').map((v) => wrap(native.detach(v.handle)));
  return wrap(native.detach(handleOf('stopGradient', variables, 'variables')));
}

/** Runs `fn` without recording gradients (inference), restoring the previous mode after. */
export function noGrad<T>(fn: () => T): T {
  if (!isCallable(fn)) fail('noGrad', 'a function', 'fn', fn);
  const previous = native.setGradEnabled(false);
  noGradDepth++;
  try {
    return fn();
  } finally {
    noGradDepth--;
    native.setGradEnabled(previous);
  }
}
