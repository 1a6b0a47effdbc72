/** The densely-connected layer: `activation(dot(x, kernel) + bias)` on the last axis. */
import { K, Tensor } from '../backend';
import { CallArgs, ownOptionNames, Shape } from '../engine';
import { checkAxisSize, checkInputRank, knownAxis, singleTensor } from './input_checks';
import { KernelLayer, KernelLayerArgs } from './kernel_layer';
import { checkInt, checkLayerArgs } from './options';

/** Options of {@link Dense}. */
export interface DenseArgs extends KernelLayerArgs {
  /** The size of the output's last axis (a positive integer). */
  units: number;
  /** Keras's shorthand for `inputShape: [inputDim]` on a first layer. */
  inputDim?: number;
}

/**
 * `activation(dot(x, kernel) + bias)`. Inputs of rank > 2 are transformed on their last axis
 * (kernel shape (lastAxis, units)), as Keras does.
 */
export class Dense extends KernelLayer {
  static className = 'Dense';
  static optionNames = ownOptionNames<DenseArgs, KernelLayerArgs>()('units', 'inputDim');
  /** The output size. */
  readonly units: number;
  private inputDim?: number;

  constructor(args: DenseArgs) {
    const checked = checkLayerArgs('Dense', args);
    const inputDim = checked.inputDim === undefined ? undefined : checkInt('Dense', 'inputDim', checked.inputDim);
    super('Dense', inputDim !== undefined && !checked.inputShape && !checked.batchInputShape
      ? { ...checked, inputShape: [inputDim] } : checked);
    this.units = checkInt('Dense', 'units', args.units);
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = checkInputRank(this, inputShape, 2, true);
    const inputDim = knownAxis(this, shape, shape.length - 1, 'the features Dense transforms');
    this.addKernelAndBias([inputDim, this.units], this.units);
    this.inputDim = inputDim;
    this.built = true;
  }

  /** Checks rank >= 2 and, once built, the last axis against the kernel. */
  private checkInput(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, 2, true);
    if (this.inputDim !== undefined) {
      checkAxisSize(this, shape, shape.length - 1, this.inputDim, `the kernel is (${this.inputDim}, ${this.units})`);
    }
    return shape;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = this.checkInput(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    this.checkInput(x.shape);
    return K.tidy(() => this.biasAndActivation(K.dot(x, this.kernel as Tensor)));
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units, ...this.kernelConfig() };
  }
}
