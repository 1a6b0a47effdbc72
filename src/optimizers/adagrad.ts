/** Adagrad: Keras 3's `Adagrad`. */
import { full, optim, Tensor } from '../backend';
import { hyperparameter, Optimizer, OptimizerArgs, OptimizerConfig, StepOptions } from './optimizer';

/** Options of {@link Adagrad}. */
export interface AdagradArgs extends OptimizerArgs {
  /** Step size; default 0.001 (Keras 3's; Keras 2.3 had 0.01). */
  learningRate?: number;
  /** The accumulators' starting value (>= 0); default 0.1 (Keras 3's). */
  initialAccumulatorValue?: number;
  /** Fuzz factor added under the root (> 0); default 1e-7 (Keras's). */
  epsilon?: number;
}

/**
 * Adagrad as in Keras 3: a += g², then p -= lr * g / sqrt(a + epsilon), the accumulators starting at
 * `initialAccumulatorValue` (Keras 2.3 started them at 0 and had sqrt(a) + epsilon).
 */
export class Adagrad extends Optimizer {
  /** The Keras class name. */
  static override className = 'Adagrad';
  /** The accumulators' starting value. */
  readonly initialAccumulatorValue: number;
  /** Fuzz factor. */
  readonly epsilon: number;

  /** Makes an Adagrad optimizer; every option is checked. */
  constructor(args: AdagradArgs = {}) {
    super(args, ['initialAccumulatorValue', 'epsilon'], 0.001);
    this.initialAccumulatorValue = hyperparameter('Adagrad', 'initialAccumulatorValue', args.initialAccumulatorValue, 0.1);
    this.epsilon = hyperparameter('Adagrad', 'epsilon', args.epsilon, 1e-7);
  }

  /** The configuration: the common options plus this optimizer's own. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected override createSlot(_slot: number, param: Tensor): Tensor {
    return full([...param.shapeRef], this.initialAccumulatorValue, param.dtype, param.device);
  }

  protected step(params: Tensor[], grads: Tensor[], slots: Tensor[][], options: StepOptions): void {
    optim.adagrad(params, grads, slots[0], { ...options, epsilon: this.epsilon });
  }
}
