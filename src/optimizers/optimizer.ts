/**
 * The optimizer base class (Keras 3's `keras.optimizers.Optimizer`, with Keras 2.3's time-based
 * `decay` kept): hyperparameters, the step count, per-parameter state made lazily on the first step,
 * and Keras 2.3's weight layout for saving it.
 * Subclasses name their state slots and run their update through `optim` (one native call per step).
 */
import { K, keep, KeratorchError, optim, Tensor, tensor, zerosLike } from '../backend';
import { fail } from '../backend/validate';

/** Options every optimizer takes. */
export interface OptimizerArgs {
  /** The step size (>= 0). Callbacks such as ReduceLROnPlateau change it through `learningRate`. */
  learningRate?: number;
  /** Keras's time-based decay (>= 0): each step uses learningRate / (1 + decay * iterations). Default 0. */
  decay?: number;
  /**
   * When the L2 norm of one parameter's gradient reaches clipnorm, scale that gradient by
   * clipnorm / norm (Keras 3: each gradient on its own; >= 0, 0 turns it off).
   */
  clipnorm?: number;
  /**
   * When the global L2 norm of all gradients together reaches globalClipnorm, scale every gradient
   * by globalClipnorm / norm (Keras 3's `global_clipnorm`, Keras 2.3's `clipnorm`; >= 0, 0 turns it off).
   */
  globalClipnorm?: number;
  /** Clip every gradient element to [-clipvalue, clipvalue] (>= 0, 0 turns it off). */
  clipvalue?: number;
}

/** An optimizer's configuration as `getConfig()` returns it (camelCase keys, plain values). */
export type OptimizerConfig = Record<string, number | boolean>;

/** What every update step receives besides the tensors. */
export type StepOptions = optim.StepOptions;

const COMMON_OPTIONS = ['learningRate', 'decay', 'clipnorm', 'globalClipnorm', 'clipvalue'] as const;

/** Checks an options object: no unknown keys, so a misspelt option fails instead of being ignored. */
export function checkOptions(fn: string, args: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (args === undefined) return {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return fail(fn, 'an options object', 'options', args);
  }
  const names = [...COMMON_OPTIONS, ...allowed];
  for (const key of Object.keys(args)) {
    if (!names.includes(key)) fail(fn, `an option among ${names.join(', ')}`, 'options', key);
  }
  return args as Record<string, unknown>;
}

/**
 * A hyperparameter option, checked as the update steps check it ({@link optim.checkHyperparameter}:
 * ERR_ARGUMENT for a wrong type, ERR_VALUE out of range), or the fallback when undefined.
 */
export function hyperparameter<T extends number | boolean>(fn: string, name: optim.Hyperparameter,
  value: unknown, fallback: T): T {
  return value === undefined ? fallback : optim.checkHyperparameter(fn, name, value) as T;
}

/**
 * The base of every optimizer. `applyGradients(grads, params)` performs one update of all
 * parameters in place; state tensors (moments, accumulators) are made on the first step, zeros
 * like each parameter on its device, and kept until `dispose()`.
 */
export abstract class Optimizer {
  /** The Keras class name (`SGD`, `Adam`, ...), used by `getConfig`-based serialization. */
  static className = 'Optimizer';

  /** Keras's time-based decay factor. */
  readonly decay: number;
  /** Per-gradient norm clipping threshold, if any. */
  readonly clipnorm?: number;
  /** Global-norm clipping threshold, if any. */
  readonly globalClipnorm?: number;
  /** Elementwise clipping threshold, if any. */
  readonly clipvalue?: number;

  private rate: number;
  private steps = 0;
  /** Per parameter, one state tensor per slot (insertion order is the weight order). */
  private readonly state = new Map<Tensor, Tensor[]>();
  /** Weights given to setWeights before the state existed, applied on the first step. */
  private pending?: Tensor[];

  /**
   * @param args the options (checked here: common ones; subclasses check theirs).
   * @param extraOptions the subclass's own option names, so unknown keys can be refused.
   * @param defaultRate the subclass's default learning rate (Keras 3's).
   */
  protected constructor(args: OptimizerArgs | undefined, extraOptions: readonly string[], defaultRate: number) {
    const fn = this.getClassName();
    // The class is exported (for instanceof and subclassing), so JavaScript can call its constructor directly.
    if (new.target === Optimizer) {
      throw new KeratorchError('Optimizer: expected a subclass (SGD, RMSprop, Adagrad, Adam or your own) for the class ' +
        'but received the abstract Optimizer itself', 'ERR_ARGUMENT', 'Optimizer');
    }
    if (!Array.isArray(extraOptions)) fail(fn, 'an array of option names', 'extraOptions', extraOptions);
    const options = checkOptions(fn, args, extraOptions);
    this.rate = hyperparameter(fn, 'learningRate', options.learningRate, defaultRate);
    this.decay = hyperparameter(fn, 'decay', options.decay, 0);
    optim.checkOneClipping(fn, options, (value) => value !== undefined);
    if (options.clipnorm !== undefined) this.clipnorm = hyperparameter(fn, 'clipnorm', options.clipnorm, 0);
    if (options.globalClipnorm !== undefined) {
      this.globalClipnorm = hyperparameter(fn, 'globalClipnorm', options.globalClipnorm, 0);
    }
    if (options.clipvalue !== undefined) this.clipvalue = hyperparameter(fn, 'clipvalue', options.clipvalue, 0);
  }

  /** The Keras class name of this optimizer. */
  getClassName(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** The base learning rate (before decay). Setting it takes effect from the next step. */
  get learningRate(): number {
    return this.rate;
  }

  set learningRate(value: number) {
    this.rate = hyperparameter(`${this.getClassName()}.learningRate`, 'learningRate', value, this.rate);
  }

  /** How many update steps were applied (Keras's `iterations`). */
  get iterations(): number {
    return this.steps;
  }

  /** The configuration, enough to rebuild an equivalent optimizer (`getOptimizer({className, config})`). */
  getConfig(): OptimizerConfig {
    const config: OptimizerConfig = { learningRate: this.rate, decay: this.decay };
    if (this.clipnorm !== undefined) config.clipnorm = this.clipnorm;
    if (this.globalClipnorm !== undefined) config.globalClipnorm = this.globalClipnorm;
    if (this.clipvalue !== undefined) config.clipvalue = this.clipvalue;
    return config;
  }

  /** The names of the state slots, in Keras's weight order (e.g. Adam: m, v, vhat). */
  protected abstract slotNames(): readonly string[];

  /** Runs one update of every parameter and its slots (slot-major: `slots[k][i]` is slot k of params[i]). */
  protected abstract step(params: Tensor[], grads: Tensor[], slots: Tensor[][], options: StepOptions): void;

  /** Makes the initial state of slot `slot` for `param` (zeros like the parameter). */
  protected createSlot(_slot: number, param: Tensor): Tensor {
    return zerosLike(param);
  }

  /**
   * Applies one update step: each `params[i]` moves by its gradient `grads[i]` (same shape), in place
   * and outside the gradient graph. Clipping follows Keras 3; decay and the step count Keras 2.3.
   */
  applyGradients(grads: Tensor[], params: Tensor[]): void {
    const fn = `${this.getClassName()}.applyGradients`;
    checkPairs(fn, grads, params);
    const slots = this.slotsFor(fn, params);
    this.step(params, grads, slots, {
      learningRate: this.rate,
      decay: this.decay,
      iterations: this.steps,
      clipnorm: this.clipnorm ?? 0,
      globalClipnorm: this.globalClipnorm ?? 0,
      clipvalue: this.clipvalue ?? 0,
    });
    this.steps += 1;
  }

  /**
   * The optimizer's weights in Keras's order: the step count (an int64 scalar), then each slot's
   * tensor for every parameter (slot-major, parameters in the order first seen). These are copies
   * that the caller owns. Empty before the first step (unless setWeights was called).
   */
  getWeights(): Tensor[] {
    if (this.state.size === 0) return this.pending ? this.pending.map((w) => w.clone()) : [];
    const weights = [tensor(this.steps, [], 'int64')];
    for (let k = 0; k < this.slotNames().length; k++) {
      for (const slots of this.state.values()) weights.push(slots[k].clone());
    }
    return weights;
  }

  /**
   * Sets the weights from a list laid out as {@link getWeights} returns it (values are copied).
   * Before the first step the list is kept and checked against the parameters of that step.
   */
  setWeights(weights: Tensor[]): void {
    const fn = `${this.getClassName()}.setWeights`;
    // Array.from: some() skips the holes of a sparse array, which would then read as undefined.
    if (!Array.isArray(weights) || Array.from(weights).some((w) => !(w instanceof Tensor))) {
      fail(fn, 'an array of tensors', 'weights', weights);
    }
    weights.forEach((w, i) => w.assertLive(fn, `weights[${i}]`));
    if (this.state.size === 0) {
      if (weights.length === 0) return;
      const steps = stepCountOf(fn, weights[0]);
      const copies = weights.map((w) => keep(w.clone()));
      for (const w of this.pending ?? []) w.dispose();
      this.pending = copies;
      this.steps = steps;
      return;
    }
    this.assignWeights(fn, [...this.state.keys()], weights);
  }

  /** Frees the state tensors; a later step starts again from zero state (the step count is kept). */
  dispose(): void {
    for (const slots of this.state.values()) for (const t of slots) t.dispose();
    this.state.clear();
    for (const w of this.pending ?? []) w.dispose();
    this.pending = undefined;
  }

  private slotsFor(fn: string, params: Tensor[]): Tensor[][] {
    const fresh = params.filter((p) => !this.state.has(p));
    if (fresh.length > 0) {
      const names = this.slotNames();
      const firstState = this.state.size === 0;
      // keep(): the first step often runs inside a caller's tidy scope, which must not free the state.
      for (const p of fresh) this.state.set(p, names.map((_, k) => keep(this.createSlot(k, p))));
      if (firstState && this.pending) {
        const pending = this.pending;
        this.pending = undefined;
        try {
          this.assignWeights(fn, params, pending);
        } finally {
          for (const w of pending) w.dispose();
        }
      }
    }
    return this.slotNames().map((_, k) => params.map((p) => (this.state.get(p) as Tensor[])[k]));
  }

  private assignWeights(fn: string, params: Tensor[], weights: Tensor[]): void {
    const slotCount = this.slotNames().length;
    const expected = 1 + slotCount * params.length;
    if (weights.length !== expected) {
      fail(fn, `${expected} weights (the step count, then ${slotCount} slot(s) for each of ${params.length} ` +
        'parameters)', 'weights', `${weights.length} weights`, 'ERR_SHAPE');
    }
    const targets: Tensor[] = [];
    for (let k = 0; k < slotCount; k++) {
      for (const p of params) targets.push((this.state.get(p) as Tensor[])[k]);
    }
    targets.forEach((t, i) => {
      const w = weights[i + 1];
      if (!sameShape(t.shapeRef, w.shapeRef)) {
        fail(fn, `a tensor of shape [${t.shapeRef}]`, `weights[${i + 1}]`, w, 'ERR_SHAPE');
      }
    });
    const steps = stepCountOf(fn, weights[0]);
    targets.forEach((t, i) => K.setValue(t, weights[i + 1]));
    this.steps = steps;
  }
}

/** The step count that starts an optimizer's weights: one value, an integer >= 0 (Adam's bias correction needs it). */
function stepCountOf(fn: string, weight: Tensor): number {
  if (weight.size !== 1) fail(fn, 'a step count of one value', 'weights[0]', weight, 'ERR_SHAPE');
  return optim.checkHyperparameter(fn, 'iterations', Number(weight.item())) as number;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks grads and params: arrays of live tensors of equal length, each gradient shaped as its parameter. */
function checkPairs(fn: string, grads: unknown, params: unknown): void {
  if (!Array.isArray(params)) fail(fn, 'an array of tensors', 'params', params);
  if (!Array.isArray(grads)) fail(fn, 'an array of tensors', 'grads', grads);
  if (grads.length !== params.length) {
    fail(fn, `one gradient per parameter (${params.length})`, 'grads', `${grads.length} gradients`, 'ERR_SHAPE');
  }
  params.forEach((p, i) => {
    if (!(p instanceof Tensor)) fail(fn, 'a Tensor', `params[${i}]`, p);
    p.assertLive(fn, `params[${i}]`);
    const g = grads[i];
    if (!(g instanceof Tensor)) fail(fn, 'a Tensor', `grads[${i}]`, g);
    g.assertLive(fn, `grads[${i}]`);
    if (!sameShape(g.shapeRef, p.shapeRef)) {
      fail(fn, `a gradient shaped like params[${i}] (${p.describe()})`, `grads[${i}]`, g, 'ERR_SHAPE');
    }
  });
}
