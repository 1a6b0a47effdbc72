/** Elementwise core layers: Activation and Dropout. */
import { DType, K, Tensor } from '../backend';
import { CallArgs, Layer, LayerArgs, ownOptionNames, Shape, singleShape } from '../engine';
import { ActivationFunction, ActivationIdentifier, getActivation, serializeActivation } from './activations';
import { ElementwiseLayer } from './elementwise';
import { singleTensor } from './input_checks';
import { checkInt, checkLayerArgs, checkNumberIn, optionError } from './options';

/** Options of {@link Activation}. */
export interface ActivationArgs extends LayerArgs {
  /** The activation: a name such as 'relu', or a function of one tensor. */
  activation: ActivationIdentifier;
}

/** Applies an activation function. */
export class Activation extends Layer {
  static className = 'Activation';
  static optionNames = ownOptionNames<ActivationArgs, LayerArgs>()('activation');
  /** The activation applied. */
  readonly activation: ActivationFunction;

  constructor(args: ActivationArgs) {
    super(checkLayerArgs('Activation', args));
    this.activation = getActivation(args.activation, 'Activation', 'activation');
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    return this.activation(singleTensor(this, inputs));
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: serializeActivation(this.activation, 'Activation') };
  }
}

/** Options of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** The fraction of values to zero, in [0, 1). */
  rate: number;
  /**
   * The shape of the random mask, batch axis included; null entries take the input's size, 1
   * shares one draw along an axis (e.g. [null, 1, null] drops whole features of a sequence).
   */
  noiseShape?: (number | null)[] | null;
  /** A seed for reproducible masks (each call then draws from seed, seed + 1, ...). */
  seed?: number | null;
}

/**
 * Zeroes a random `rate` fraction of the values and scales the rest by 1 / (1 - rate), only when
 * called with `training: true`; otherwise passes the input through.
 */
export class Dropout extends Layer {
  static className = 'Dropout';
  static optionNames = ownOptionNames<DropoutArgs, LayerArgs>()('rate', 'noiseShape', 'seed');
  /** The fraction dropped. */
  readonly rate: number;
  /** The mask shape (null entries: the input's size). */
  readonly noiseShape: (number | null)[] | null;
  /** The seed, if any. */
  readonly seed: number | null;
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(checkLayerArgs('Dropout', args));
    this.rate = checkNumberIn('Dropout', 'rate', args.rate, 0, 1, true);
    const noise = args.noiseShape ?? null;
    if (noise !== null && (!Array.isArray(noise) || noise.some((d) => d !== null && !(Number.isInteger(d) && d >= 1)))) {
      throw optionError('Dropout', 'an array of positive integers or null', 'noiseShape', noise);
    }
    this.noiseShape = noise === null ? null : [...noise];
    this.seed = args.seed === undefined || args.seed === null ? null : checkInt('Dropout', 'seed', args.seed, 0);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }

  computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleTensor(this, inputs);
    if (args.training !== true || this.rate === 0) return x;
    const shape = x.shape;
    const noiseShape = this.noiseShape === null ? null : this.noiseShape.map((d, i) => d ?? shape[i]);
    const seed = this.seed === null ? null : this.seed + this.calls++;
    return K.dropout(x, this.rate, noiseShape, seed);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}

/** Returns its input unchanged (a placeholder in a model, as Keras's Identity). */
export class Identity extends ElementwiseLayer {
  static className = 'Identity';
  static optionNames = ownOptionNames<LayerArgs, LayerArgs>()();

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Identity', args));
  }

  protected transform(x: Tensor): Tensor {
    return x;
  }
}
