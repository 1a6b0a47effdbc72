/** Adagrad: Keras 2.3's `Adagrad`. */
import { optim, Tensor } from '../backend';
import { hyperparameter, Optimizer, OptimizerArgs, OptimizerConfig, StepOptions } from './optimizer';

/** Options of {@link Adagrad}. */
export interface AdagradArgs extends OptimizerArgs {
  /** Step size; default 0.01. */
  learningRate?: number;
  /** Fuzz factor added to the root (> 0); default 1e-7 (Keras's `K.epsilon()`). */
  epsilon?: number;
}

/**
 * Adagrad as in Keras 2.3: a += g², then p -= lr * g / (sqrt(a) + epsilon). The accumulators start
 * at zero (Keras 2.3 has no initial accumulator value).
 */
export class Adagrad extends Optimizer {
  /** The Keras class name. */
  static override className = 'Adagrad';
  /** Fuzz factor. */
  readonly epsilon: number;

  /** Makes an Adagrad optimizer; every option is checked. */
  constructor(args: AdagradArgs = {}) {
    super(args, ['epsilon'], 0.01);
    this.epsilon = hyperparameter('Adagrad', 'epsilon', args.epsilon, 1e-7);
  }

  /** The configuration: the common options plus this optimizer's own. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }

  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected step(params: Tensor[], grads: Tensor[], slots: Tensor[][], options: StepOptions): void {
    optim.adagrad(params, grads, slots[0], { ...options, epsilon: this.epsilon });
  }
}
