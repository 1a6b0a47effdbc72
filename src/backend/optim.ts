/**
 * Fused optimizer update steps (Keras 3's formulas): each call updates every parameter of a model
 * and its state tensors in place, in one native call, outside the gradient graph. The optimizer
 * classes in `src/optimizers` own the state and call these.
 */
import type { NativeDeferredUpdate, NativeHandle, NativeOptimOptions, OptimizerKind } from '../native';
import { native, tensorList } from './operands';
import { Tensor } from './tensor';
import { fail } from './validate';

/** Options every step takes: the rate, Keras's time-based decay, the step count, and clipping (one kind at most). */
export type StepOptions = Pick<NativeOptimOptions, 'learningRate' | 'decay' | 'iterations' | 'clipnorm' |
  'globalClipnorm' | 'clipvalue'>;
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

/**
 * The name of a hyperparameter of the update steps (learningRate, beta1, ...), or of an optimizer's
 * initial state (Adagrad's initialAccumulatorValue).
 */
export type Hyperparameter = keyof NativeOptimOptions | 'initialAccumulatorValue';

/** A hyperparameter's valid values: a number range, an integer >= min, or a boolean. */
type HyperparameterRule =
  | { kind: 'number'; min: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { kind: 'integer'; min: number }
  | { kind: 'boolean' };

/**
 * Every hyperparameter's valid values, as Keras and PyTorch define them. Values outside these write
 * NaN or Infinity into the weights (beta1 = 1 divides by 1 - beta1^t = 0; epsilon = 0 divides a zero
 * gradient by sqrt(0) + 0) or make no sense (a negative step count), so they are refused.
 */
const HYPERPARAMETERS: Record<Hyperparameter, HyperparameterRule> = {
  learningRate: { kind: 'number', min: 0 },
  decay: { kind: 'number', min: 0 },
  iterations: { kind: 'integer', min: 0 },
  clipnorm: { kind: 'number', min: 0 },
  globalClipnorm: { kind: 'number', min: 0 },
  clipvalue: { kind: 'number', min: 0 },
  momentum: { kind: 'number', min: 0, max: 1 },
  nesterov: { kind: 'boolean' },
  rho: { kind: 'number', min: 0, max: 1, maxExclusive: true },
  beta1: { kind: 'number', min: 0, max: 1, maxExclusive: true },
  beta2: { kind: 'number', min: 0, max: 1, maxExclusive: true },
  epsilon: { kind: 'number', min: 0, minExclusive: true },
  amsgrad: { kind: 'boolean' },
  initialAccumulatorValue: { kind: 'number', min: 0 },
};

const CLIP_OPTIONS = ['clipnorm', 'globalClipnorm', 'clipvalue'] as const;
const COMMON_STEP_OPTIONS = ['learningRate', 'decay', 'iterations', ...CLIP_OPTIONS] as const;

/** The options each step reads; any other key is refused. */
const STEP_OPTIONS: Record<OptimizerKind, readonly Hyperparameter[]> = {
  sgd: [...COMMON_STEP_OPTIONS, 'momentum', 'nesterov'],
  rmsprop: [...COMMON_STEP_OPTIONS, 'rho', 'epsilon'],
  adagrad: [...COMMON_STEP_OPTIONS, 'epsilon'],
  adam: [...COMMON_STEP_OPTIONS, 'beta1', 'beta2', 'epsilon', 'amsgrad'],
};

/** The rule's expected values in words, e.g. "a finite number >= 0 and < 1". */
function describeRule(rule: HyperparameterRule): string {
  if (rule.kind === 'boolean') return 'a boolean';
  if (rule.kind === 'integer') return `an integer >= ${rule.min}`;
  const bounds = [`${rule.minExclusive ? '>' : '>='} ${rule.min}`,
    rule.max === undefined ? '' : `${rule.maxExclusive ? '<' : '<='} ${rule.max}`].filter(Boolean).join(' and ');
  return `a finite number ${bounds}`;
}

/**
 * Checks one hyperparameter against its range (see HYPERPARAMETERS): a value of the wrong type is
 * ERR_ARGUMENT, one out of range ERR_VALUE. The optimizer classes check theirs with it too, and it is
 * public (in `optim`) for code that checks options before a step, so it checks its own arguments.
 */
export function checkHyperparameter(fn: string, name: Hyperparameter, value: unknown): number | boolean {
  if (typeof fn !== 'string' || fn === '') fail('checkHyperparameter', 'a non-empty string', 'fn', fn);
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(HYPERPARAMETERS, name)) {
    fail('checkHyperparameter', `one of ${Object.keys(HYPERPARAMETERS).join(', ')}`, 'name', name);
  }
  const rule = HYPERPARAMETERS[name];
  const expected = describeRule(rule);
  if (rule.kind === 'boolean') {
    if (typeof value !== 'boolean') fail(fn, expected, name, value);
    return value;
  }
  if (typeof value !== 'number') fail(fn, expected, name, value);
  const inRange = rule.kind === 'integer' ? Number.isInteger(value) && value >= rule.min
    : Number.isFinite(value) && (rule.minExclusive ? value > rule.min : value >= rule.min) &&
      (rule.max === undefined || (rule.maxExclusive ? value < rule.max : value <= rule.max));
  if (!inRange) fail(fn, expected, name, value, 'ERR_VALUE');
  return value;
}

/**
 * Keras 3 takes one kind of gradient clipping at most: `clipnorm`, `globalClipnorm` or `clipvalue`.
 * `isSet` tells which values count as given (the optimizers count any value, as Keras's "is not
 * None"; a step counts those > 0, since 0 turns clipping off); more than one is ERR_ARGUMENT.
 */
export function checkOneClipping(fn: string, options: Record<string, unknown>,
  isSet: (value: unknown) => boolean): void {
  if (typeof fn !== 'string') fail('checkOneClipping', 'the name of the calling function', 'fn', fn);
  if (options === null || typeof options !== 'object') fail(fn, 'an options object', 'options', options);
  if (typeof isSet !== 'function') fail(fn, 'a function telling which values are set', 'isSet', isSet);
  const given = CLIP_OPTIONS.filter((name) => isSet(options[name]));
  if (given.length > 1) {
    fail(fn, 'one of clipnorm, globalClipnorm and clipvalue at most (as Keras 3)', 'options',
      given.map((name) => `${name}: ${String(options[name])}`).join(', '));
  }
}

/** Checks a step's options object: only the step's own keys, each in range (absent keys take the defaults). */
function checkStepOptions(fn: string, kind: OptimizerKind, options: unknown): NativeOptimOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(fn, 'an options object', 'options', options);
  const allowed = STEP_OPTIONS[kind];
  for (const [key, value] of Object.entries(options)) {
    if (!(allowed as readonly string[]).includes(key)) fail(fn, `an option among ${allowed.join(', ')}`, 'options', key);
    if (value !== undefined) checkHyperparameter(fn, key as Hyperparameter, value);
  }
  checkOneClipping(fn, options as Record<string, unknown>, (value) => typeof value === 'number' && value > 0);
  return options as NativeOptimOptions;
}

/** The steps being captured by {@link captureUpdates}, or null when steps run. */
let captured: NativeDeferredUpdate[] | null = null;

/**
 * Runs `body` with the update steps it calls captured instead of run: each comes back with its
 * slots and options, for a training step that applies it off the JS thread once the gradients exist.
 * @internal The engine's (training_step.ts), for the built-in optimizers.
 */
export function captureUpdates(body: () => void): NativeDeferredUpdate[] {
  if (typeof body !== 'function') fail('captureUpdates', 'a function', 'body', body);
  const outer = captured;
  captured = [];
  try {
    body();
    return captured;
  } finally {
    captured = outer;
  }
}

function step(kind: OptimizerKind, params: Tensor[], grads: Tensor[], slots: [string, Tensor[]][],
  options: NativeOptimOptions): void {
  const fn = `optim.${kind}`;
  const checked = checkStepOptions(fn, kind, options);
  const paramHandles = handles(fn, params, 'params');
  const gradHandles = handles(fn, grads, 'grads');
  const slotHandles = slots.map(([name, list]) => handles(fn, list, name));
  if (captured) {
    captured.push({ kind, slots: slotHandles, options: checked });
    return;
  }
  native.optim[kind](paramHandles, gradHandles, slotHandles, checked);
}

/**
 * SGD: v = momentum * v - lr * g, then p += v (nesterov: p += momentum * v - lr * g).
 * Updates `params` and `moments` in place.
 */
export function sgd(params: Tensor[], grads: Tensor[], moments: Tensor[], options: SgdStepOptions): void {
  step('sgd', params, grads, [['moments', moments]], options);
}

/**
 * RMSprop: a = rho * a + (1 - rho) * g², then p -= lr * g / sqrt(a + epsilon).
 * Updates `params` and `accumulators` in place.
 */
export function rmsprop(params: Tensor[], grads: Tensor[], accumulators: Tensor[], options: RmspropStepOptions): void {
  step('rmsprop', params, grads, [['accumulators', accumulators]], options);
}

/**
 * Adagrad: a += g², then p -= lr * g / sqrt(a + epsilon). Updates `params` and `accumulators` in place
 * (Keras 3 starts them at 0.1, Adagrad's `initialAccumulatorValue`).
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
  if (checkStepOptions('optim.adam', 'adam', options).amsgrad) slots.push(['vhats', vhats as Tensor[]]);
  step('adam', params, grads, slots, options);
}

/** An optimizer step captured by {@link captureUpdates}: its kind, state slots and options. */
export type DeferredUpdate = NativeDeferredUpdate;
