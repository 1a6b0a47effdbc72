/** RMSprop: Keras 3's `RMSprop` (without its momentum and centered variants). */
import { optim, Tensor } from '../backend';
import { hyperparameter, Optimizer, OptimizerArgs, OptimizerConfig, StepOptions } from './optimizer';

/** Options of {@link RMSprop}. */
export interface RMSpropArgs extends OptimizerArgs {
  /** Step size; default 0.001. */
  learningRate?: number;
  /** Decay of the moving average of squared gradients, in [0, 1); default 0.9. */
  rho?: number;
  /** Fuzz factor added under the root (> 0); default 1e-7 (Keras's). */
  epsilon?: number;
}

/**
 * RMSprop as in Keras 3: a = rho * a + (1 - rho) * g², then p -= lr * g / sqrt(a + epsilon)
 * (Keras 2.3 had sqrt(a) + epsilon). Keeps one accumulator per parameter.
 */
export class RMSprop extends Optimizer {
  /** The Keras class name. */
  static override className = 'RMSprop';
  /** Decay of the squared-gradient average. */
  readonly rho: number;
  /** Fuzz factor. */
  readonly epsilon: number;

  /** Makes an RMSprop optimizer; every option is checked. */
  constructor(args: RMSpropArgs = {}) {
    super(args, ['rho', 'epsilon'], 0.001);
    this.rho = hyperparameter('RMSprop', 'rho', args.rho, 0.9);
    this.epsilon = hyperparameter('RMSprop', 'epsilon', args.epsilon, 1e-7);
  }

  /** The configuration: the common options plus this optimizer's own. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }

  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected step(params: Tensor[], grads: Tensor[], slots: Tensor[][], options: StepOptions): void {
    optim.rmsprop(params, grads, slots[0], { ...options, rho: this.rho, epsilon: this.epsilon });
  }
}
