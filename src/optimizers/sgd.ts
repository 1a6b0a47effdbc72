/** Stochastic gradient descent with optional (Nesterov) momentum: Keras 3's `SGD`. */
import { optim, Tensor } from '../backend';
import { hyperparameter, Optimizer, OptimizerArgs, OptimizerConfig, StepOptions } from './optimizer';

/** Options of {@link SGD}. */
export interface SGDArgs extends OptimizerArgs {
  /** Step size; default 0.01. */
  learningRate?: number;
  /** Momentum factor, in [0, 1]; default 0 (plain gradient descent). */
  momentum?: number;
  /** Use Nesterov momentum; default false. */
  nesterov?: boolean;
}

/**
 * SGD as in Keras 3 (and 2.3): v = momentum * v - lr * g, then p += v (with `nesterov`,
 * p += momentum * v - lr * g). Keeps one moment tensor per parameter.
 */
export class SGD extends Optimizer {
  /** The Keras class name. */
  static override className = 'SGD';
  /** The momentum factor. */
  readonly momentum: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;

  /** Makes an SGD optimizer; every option is checked. */
  constructor(args: SGDArgs = {}) {
    super(args, ['momentum', 'nesterov'], 0.01);
    this.momentum = hyperparameter('SGD', 'momentum', args.momentum, 0);
    this.nesterov = hyperparameter('SGD', 'nesterov', args.nesterov, false);
  }

  /** The configuration: the common options plus this optimizer's own. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }

  protected slotNames(): readonly string[] {
    return ['moment'];
  }

  protected step(params: Tensor[], grads: Tensor[], slots: Tensor[][], options: StepOptions): void {
    optim.sgd(params, grads, slots[0], { ...options, momentum: this.momentum, nesterov: this.nesterov });
  }
}
