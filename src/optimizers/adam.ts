/** Adam (and AMSGrad): Keras 3's `Adam` (the same formula as Keras 2.3's). */
import { optim, Tensor, zeros } from '../backend';
import { hyperparameter, Optimizer, OptimizerArgs, OptimizerConfig, StepOptions } from './optimizer';

/** Options of {@link Adam}. */
export interface AdamArgs extends OptimizerArgs {
  /** Step size; default 0.001. */
  learningRate?: number;
  /** Decay of the first-moment average, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1); default 0.999. */
  beta2?: number;
  /** Fuzz factor added to the root (> 0); default 1e-7 (Keras's `K.epsilon()`). */
  epsilon?: number;
  /** Use the AMSGrad variant (the running maximum of v in the denominator); default false. */
  amsgrad?: boolean;
}

/**
 * Adam as in Keras 2.3: with t = iterations + 1 and lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t),
 * m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g², p -= lr_t m / (sqrt(v) + epsilon).
 * State slots m, v, vhat per parameter (vhat is a one-element placeholder unless `amsgrad`, as in Keras).
 */
export class Adam extends Optimizer {
  /** The Keras class name. */
  static override className = 'Adam';
  /** First-moment decay. */
  readonly beta1: number;
  /** Second-moment decay. */
  readonly beta2: number;
  /** Fuzz factor. */
  readonly epsilon: number;
  /** Whether AMSGrad is used. */
  readonly amsgrad: boolean;

  /** Makes an Adam optimizer; every option is checked. */
  constructor(args: AdamArgs = {}) {
    super(args, ['beta1', 'beta2', 'epsilon', 'amsgrad'], 0.001);
    this.beta1 = hyperparameter('Adam', 'beta1', args.beta1, 0.9);
    this.beta2 = hyperparameter('Adam', 'beta2', args.beta2, 0.999);
    this.epsilon = hyperparameter('Adam', 'epsilon', args.epsilon, 1e-7);
    this.amsgrad = hyperparameter('Adam', 'amsgrad', args.amsgrad, false);
  }

  /** The configuration: the common options plus this optimizer's own. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }

  protected slotNames(): readonly string[] {
    return ['m', 'v', 'vhat'];
  }

  protected override createSlot(slot: number, param: Tensor): Tensor {
    // Keras 2.3 keeps a [1]-shaped vhat per parameter without amsgrad, so weight lists line up.
    if (slot === 2 && !this.amsgrad) return zeros([1], param.dtype, param.device);
    return super.createSlot(slot, param);
  }

  protected step(params: Tensor[], grads: Tensor[], slots: Tensor[][], options: StepOptions): void {
    optim.adam(params, grads, slots[0], slots[1], this.amsgrad ? slots[2] : null, {
      ...options, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad,
    });
  }
}
