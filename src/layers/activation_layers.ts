/** Keras 3's activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax. */
import { K, Tensor } from '../backend';
import {
  Initializer, InitializerIdentifier, LayerArgs, layerError, ownOptionNames, Regularizer, RegularizerIdentifier,
  serializeInitializer, Shape,
} from '../engine';
import { ElementwiseLayer } from './elementwise';
import { checkInputRank } from './input_checks';
import { checkLayerArgs, checkNumberIn, optionError, resolveInitializer, resolveRegularizer, serializeRegularizer } from './options';

/** Options of {@link ReLU}. */
export interface ReLUArgs extends LayerArgs {
  /** The largest output (default none). */
  maxValue?: number | null;
  /** The slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Values below it are scaled by negativeSlope, measured from it (default 0). */
  threshold?: number;
}

/** maxValue at or above maxValue, x from threshold up, negativeSlope · (x - threshold) below (Keras 3's ReLU). */
export class ReLU extends ElementwiseLayer {
  static className = 'ReLU';
  static optionNames = ownOptionNames<ReLUArgs, LayerArgs>()('maxValue', 'negativeSlope', 'threshold');
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(checkLayerArgs('ReLU', args));
    this.maxValue = args.maxValue == null ? null : checkNumberIn('ReLU', 'maxValue', args.maxValue, 0, Infinity);
    this.negativeSlope = checkNumberIn('ReLU', 'negativeSlope', args.negativeSlope ?? 0, 0, Infinity);
    this.threshold = checkNumberIn('ReLU', 'threshold', args.threshold ?? 0, -Infinity, Infinity);
  }

  protected transform(x: Tensor): Tensor {
    return K.relu(x, this.negativeSlope, this.maxValue ?? undefined, this.threshold);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUArgs extends LayerArgs {
  /** The slope below 0 (default 0.3, Keras 3's). */
  negativeSlope?: number;
}

/** x above 0, negativeSlope · x below. */
export class LeakyReLU extends ElementwiseLayer {
  static className = 'LeakyReLU';
  static optionNames = ownOptionNames<LeakyReLUArgs, LayerArgs>()('negativeSlope');
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(checkLayerArgs('LeakyReLU', args));
    this.negativeSlope = checkNumberIn('LeakyReLU', 'negativeSlope', args.negativeSlope ?? 0.3, 0, Infinity);
  }

  protected transform(x: Tensor): Tensor {
    return K.leakyRelu(x, this.negativeSlope);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}

/** Options of {@link ELU}. */
export interface ELUArgs extends LayerArgs {
  /** The scale of the negative part, alpha · (exp(x) - 1) (default 1). */
  alpha?: number;
}

/** x above 0, alpha · (exp(x) - 1) below. */
export class ELU extends ElementwiseLayer {
  static className = 'ELU';
  static optionNames = ownOptionNames<ELUArgs, LayerArgs>()('alpha');
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(checkLayerArgs('ELU', args));
    this.alpha = checkNumberIn('ELU', 'alpha', args.alpha ?? 1, -Infinity, Infinity);
  }

  protected transform(x: Tensor): Tensor {
    return K.elu(x, this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of {@link Softmax}. */
export interface SoftmaxArgs extends LayerArgs {
  /** The axis the outputs sum to 1 along (default -1). */
  axis?: number;
}

/** Softmax along `axis`. */
export class Softmax extends ElementwiseLayer {
  static className = 'Softmax';
  static optionNames = ownOptionNames<SoftmaxArgs, LayerArgs>()('axis');
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    super(checkLayerArgs('Softmax', args));
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw optionError('Softmax', 'an integer', 'axis', axis);
    this.axis = axis;
  }

  protected transform(x: Tensor): Tensor {
    if (this.axis >= x.rank || this.axis < -x.rank) {
      throw layerError(this, 'input', `expected an input with an axis ${this.axis} but received rank ${x.rank}`, 'ERR_SHAPE');
    }
    return K.softmax(x, this.axis);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Options of {@link PReLU}. */
export interface PReLUArgs extends LayerArgs {
  /** Fills alpha, the learned slopes below 0 (default zeros). */
  alphaInitializer?: InitializerIdentifier;
  /** A penalty on alpha. */
  alphaRegularizer?: RegularizerIdentifier | null;
  /** Axes (1-based, as Keras) along which one slope is shared, e.g. [1, 2] for one slope per image channel. */
  sharedAxes?: number[] | null;
}

/** x above 0, alpha · x below, with alpha learned per input position (or shared along `sharedAxes`). */
export class PReLU extends ElementwiseLayer {
  static className = 'PReLU';
  static optionNames = ownOptionNames<PReLUArgs, LayerArgs>()('alphaInitializer', 'alphaRegularizer', 'sharedAxes');
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly sharedAxes: number[] | null;
  /** The learned slopes, once built. */
  alpha?: Tensor;

  constructor(args: PReLUArgs = {}) {
    super(checkLayerArgs('PReLU', args));
    this.alphaInitializer = resolveInitializer('PReLU', 'alphaInitializer', args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = resolveRegularizer('PReLU', 'alphaRegularizer', args.alphaRegularizer);
    const shared = args.sharedAxes ?? null;
    if (shared !== null && (!Array.isArray(shared) || shared.some((a) => !Number.isInteger(a) || a < 1))) {
      throw optionError('PReLU', 'a list of axes >= 1 (the batch axis is 0)', 'sharedAxes', shared);
    }
    this.sharedAxes = shared === null ? null : [...shared];
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = checkInputRank(this, inputShape, 2, true);
    const alphaShape = shape.slice(1).map((d, i) => {
      if (this.sharedAxes?.includes(i + 1)) return 1;
      if (d === null) throw layerError(this, 'input', `expected a known size for axis ${i + 1} (or share it) but received none`);
      return d;
    });
    if (this.sharedAxes?.some((a) => a >= shape.length)) {
      throw layerError(this, 'input', `expected an input with the shared axes [${this.sharedAxes}] but received rank ${shape.length}`);
    }
    this.alpha = this.addWeight('alpha', alphaShape, { initializer: this.alphaInitializer, regularizer: this.alphaRegularizer ?? undefined });
    this.built = true;
  }

  protected transform(x: Tensor): Tensor {
    const alpha = this.alpha as Tensor;
    // Keras 3: relu(x) - alpha · relu(-x).
    return K.tidy(() => K.subtract(K.relu(x), K.multiply(alpha, K.relu(K.neg(x)))));
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: serializeRegularizer(this.alphaRegularizer), sharedAxes: this.sharedAxes };
  }
}
