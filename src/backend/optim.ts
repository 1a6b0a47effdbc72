/**
 * Fused optimizer update steps (Keras 2.3's formulas): each call updates every parameter of a model
 * and its state tensors in place, in one native call, outside the gradient graph. The optimizer
 * classes in `src/optimizers` own the state and call these.
 */
import type { NativeHandle, NativeOptimOptions, OptimizerKind } from '../native';
import { native, tensorList } from './operands';
import { Tensor } from './tensor';

/** Options every step takes: the rate, Keras's time-based decay, the step count, and clipping. */
export type StepOptions = Pick<NativeOptimOptions, 'learningRate' | 'decay' | 'iterations' | 'clipnorm' | 'clipvalue'>;
/** Options of {@link sgd}. */
export type SgdStepOptions = StepOptions & Pick<NativeOptimOptions, 'momentum' | 'nesterov'>;
/** Options of {@link rmsprop}. */
export type RmspropStepOptions = StepOptions & Pick<NativeOptimOptions, 'rho' | 'epsilon'>;
/** Options of {@link adagrad}. */
export type AdagradStepOptions = StepOptions & Pick<NativeOptimOptions, 'epsilon'>;
/** Options of {@link adam}. */
export type AdamStepOptions = StepOptions & Pick<NativeOptimOptions, 'beta1' | 'beta2' | 'epsilon' | 'amsgrad'>;

const handles = (fn: string, xs: unknown, name: string): NativeHandle[] =>
  tensorList(fn, xs, name, 0).map((x) => x.handle);

function step(kind: OptimizerKind, params: Tensor[], grads: Tensor[], slots: [string, Tensor[]][],
  options: NativeOptimOptions): void {
  const fn = `optim.${kind}`;
  native.optim[kind](handles(fn, params, 'params'), handles(fn, grads, 'grads'),
    slots.map(([name, list]) => handles(fn, list, name)), options);
}

/**
 * SGD: v = momentum * v - lr * g, then p += v (nesterov: p += momentum * v - lr * g).
 * Updates `params` and `moments` in place.
 */
export function sgd(params: Tensor[], grads: Tensor[], moments: Tensor[], options: SgdStepOptions): void {
  step('sgd', params, grads, [['moments', moments]], options);
}

/**
 * RMSprop: a = rho * a + (1 - rho) * g², then p -= lr * g / (sqrt(a) + epsilon).
 * Updates `params` and `accumulators` in place.
 */
export function rmsprop(params: Tensor[], grads: Tensor[], accumulators: Tensor[], options: RmspropStepOptions): void {
  step('rmsprop', params, grads, [['accumulators', accumulators]], options);
}

/**
 * Adagrad: a += g², then p -= lr * g / (sqrt(a) + epsilon). Updates `params` and `accumulators` in place.
 */
export function adagrad(params: Tensor[], grads: Tensor[], accumulators: Tensor[], options: AdagradStepOptions): void {
  step('adagrad', params, grads, [['accumulators', accumulators]], options);
}

/**
 * Adam: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g², then
 * p -= lr_t m / (sqrt(v) + epsilon) with lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), t = iterations + 1.
 * With `options.amsgrad`, `vhats` (required then) keeps max(vhat, v), which replaces v in the denominator.
 * Updates `params`, `ms`, `vs` (and `vhats`) in place.
 */
export function adam(params: Tensor[], grads: Tensor[], ms: Tensor[], vs: Tensor[], vhats: Tensor[] | null,
  options: AdamStepOptions): void {
  const slots: [string, Tensor[]][] = [['ms', ms], ['vs', vs]];
  if (options.amsgrad) slots.push(['vhats', vhats as Tensor[]]);
  step('adam', params, grads, slots, options);
}
