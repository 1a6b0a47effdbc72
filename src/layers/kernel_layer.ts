/**
 * The base of layers with a kernel, an optional bias and an activation (Dense, Conv2D): their
 * shared options, weights, output step and config.
 */
import { DataFormat, K, Tensor } from '../backend';
import {
  Initializer, InitializerIdentifier, Layer, LayerArgs, ownOptionNames, Regularizer, RegularizerIdentifier,
  serializeInitializer,
} from '../engine';
import { ActivationFunction, ActivationIdentifier, getActivation, serializeActivation } from './activations';
import { checkBoolean, resolveInitializer, resolveRegularizer, serializeRegularizer } from './options';

/** Options of layers with a kernel and a bias. */
export interface KernelLayerArgs extends LayerArgs {
  /** Applied to the output (default none: linear). */
  activation?: ActivationIdentifier | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Fills the kernel (default glorotUniform). */
  kernelInitializer?: InitializerIdentifier;
  /** Fills the bias (default zeros). */
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernel. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** A penalty on the bias. */
  biasRegularizer?: RegularizerIdentifier | null;
}

/** See the file comment. */
export abstract class KernelLayer extends Layer {
  static optionNames = ownOptionNames<KernelLayerArgs, LayerArgs>()('activation', 'useBias', 'kernelInitializer',
    'biasInitializer', 'kernelRegularizer', 'biasRegularizer');
  /** The activation applied to the output. */
  readonly activation: ActivationFunction;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Kernel initializer. */
  readonly kernelInitializer: Initializer;
  /** Bias initializer. */
  readonly biasInitializer: Initializer;
  /** Kernel penalty, if any. */
  readonly kernelRegularizer: Regularizer | null;
  /** Bias penalty, if any. */
  readonly biasRegularizer: Regularizer | null;
  /** The kernel, once built. */
  kernel?: Tensor;
  /** The bias, once built with useBias. */
  bias?: Tensor;

  /** @param owner The class name, for messages. */
  protected constructor(owner: string, args: KernelLayerArgs) {
    super(args);
    this.activation = getActivation(args.activation ?? 'linear', owner, 'activation');
    this.useBias = checkBoolean(owner, 'useBias', args.useBias ?? true);
    this.kernelInitializer = resolveInitializer(owner, 'kernelInitializer', args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(owner, 'biasInitializer', args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(owner, 'kernelRegularizer', args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(owner, 'biasRegularizer', args.biasRegularizer);
  }

  /** Makes the kernel of `kernelShape` and, with useBias, a bias of `units`. */
  protected addKernelAndBias(kernelShape: number[], units: number): void {
    this.kernel = this.addWeight('kernel', kernelShape,
      { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer ?? undefined });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [units], { initializer: this.biasInitializer, regularizer: this.biasRegularizer ?? undefined });
    }
  }

  /** Adds the bias (per channel of `dataFormat`) and applies the activation. */
  protected biasAndActivation(y: Tensor, dataFormat: DataFormat = 'channelsLast'): Tensor {
    return this.activation(this.bias ? K.biasAdd(y, this.bias, dataFormat) : y);
  }

  /** The config entries of the options above. */
  protected kernelConfig(): Record<string, unknown> {
    return {
      activation: serializeActivation(this.activation, this.className),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }
}
