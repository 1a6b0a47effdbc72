/** Batch normalization. */
import { K, Tensor } from '../backend';
import {
  CallArgs, describeShape, Initializer, InitializerIdentifier, Layer, LayerArgs, layerError, ownOptionNames, Regularizer,
  RegularizerIdentifier, serializeInitializer, Shape,
} from '../engine';
import { checkAxisSize, checkInputRank, knownAxis, singleTensor } from './input_checks';
import {
  checkBoolean, checkLayerArgs, checkNumberIn, optionError, resolveInitializer, resolveRegularizer,
  serializeRegularizer,
} from './options';

/** Options of {@link BatchNormalization}. */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalized separately (default -1; 1 for channelsFirst images). */
  axis?: number;
  /** The moving averages' momentum (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset beta (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale gamma (default true). */
  scale?: boolean;
  /** Fills beta (default zeros). */
  betaInitializer?: InitializerIdentifier;
  /** Fills gamma (default ones). */
  gammaInitializer?: InitializerIdentifier;
  /** Fills the moving mean (default zeros). */
  movingMeanInitializer?: InitializerIdentifier;
  /** Fills the moving variance (default ones). */
  movingVarianceInitializer?: InitializerIdentifier;
  /** A penalty on beta. */
  betaRegularizer?: RegularizerIdentifier | null;
  /** A penalty on gamma. */
  gammaRegularizer?: RegularizerIdentifier | null;
}

/**
 * Normalizes each feature (along `axis`) to zero mean and unit variance, then scales by gamma and
 * shifts by beta. Called with `training: true` it uses the batch's statistics and updates the
 * non-trainable moving mean and variance in place (moving = moving * momentum + batch * (1 -
 * momentum), outside the gradient graph; with the biased batch variance, as Keras 3 (Keras 2.3 made it
 * unbiased first)); otherwise it uses the moving statistics.
 */
export class BatchNormalization extends Layer {
  static className = 'BatchNormalization';
  static optionNames = ownOptionNames<BatchNormalizationArgs, LayerArgs>()('axis', 'momentum', 'epsilon', 'center',
    'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer',
    'betaRegularizer', 'gammaRegularizer');
  /** The features axis, as given. */
  readonly axis: number;
  /** The moving averages' momentum. */
  readonly momentum: number;
  /** The variance offset. */
  readonly epsilon: number;
  /** Whether beta is used. */
  readonly center: boolean;
  /** Whether gamma is used. */
  readonly scale: boolean;
  /** Beta initializer. */
  readonly betaInitializer: Initializer;
  /** Gamma initializer. */
  readonly gammaInitializer: Initializer;
  /** Moving-mean initializer. */
  readonly movingMeanInitializer: Initializer;
  /** Moving-variance initializer. */
  readonly movingVarianceInitializer: Initializer;
  /** Beta penalty, if any. */
  readonly betaRegularizer: Regularizer | null;
  /** Gamma penalty, if any. */
  readonly gammaRegularizer: Regularizer | null;
  /** The learned scale, once built with `scale`. */
  gamma?: Tensor;
  /** The learned offset, once built with `center`. */
  beta?: Tensor;
  /** The moving mean (non-trainable), once built. */
  movingMean?: Tensor;
  /** The moving variance (non-trainable), once built. */
  movingVariance?: Tensor;
  private builtRank?: number;
  private features?: number;

  constructor(args: BatchNormalizationArgs = {}) {
    super(checkLayerArgs('BatchNormalization', args));
    const owner = 'BatchNormalization';
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) throw optionError(owner, 'an integer other than 0 (the batch axis)', 'axis', axis);
    this.axis = axis;
    this.momentum = checkNumberIn(owner, 'momentum', args.momentum ?? 0.99, 0, 1);
    this.epsilon = checkNumberIn(owner, 'epsilon', args.epsilon ?? 1e-3, 0, Infinity, true);
    this.center = checkBoolean(owner, 'center', args.center ?? true);
    this.scale = checkBoolean(owner, 'scale', args.scale ?? true);
    this.betaInitializer = resolveInitializer(owner, 'betaInitializer', args.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(owner, 'gammaInitializer', args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = resolveInitializer(owner, 'movingMeanInitializer', args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = resolveInitializer(owner, 'movingVarianceInitializer',
      args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(owner, 'betaRegularizer', args.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(owner, 'gammaRegularizer', args.gammaRegularizer);
  }

  /** The features axis for inputs of `rank` (non-negative), checked. */
  private axisFor(shape: Shape): number {
    const rank = shape.length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 1 || axis >= rank) {
      throw layerError(this, 'input', `expected an input with a features axis ${this.axis} (not the batch axis) ` +
        `but received ${describeShape(shape)}`);
    }
    return axis;
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = checkInputRank(this, inputShape, 2, true);
    const axis = this.axisFor(shape);
    const features = knownAxis(this, shape, axis, 'the features BatchNormalization normalizes');
    if (this.scale) {
      this.gamma = this.addWeight('gamma', [features], { initializer: this.gammaInitializer, regularizer: this.gammaRegularizer ?? undefined });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', [features], { initializer: this.betaInitializer, regularizer: this.betaRegularizer ?? undefined });
    }
    this.movingMean = this.addWeight('moving_mean', [features], { initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [features],
      { initializer: this.movingVarianceInitializer, trainable: false });
    this.builtRank = shape.length;
    this.features = features;
    this.built = true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = checkInputRank(this, inputShape, this.builtRank ?? 2, this.builtRank === undefined);
    const axis = this.axisFor(shape);
    if (this.features !== undefined) checkAxisSize(this, shape, axis, this.features, 'the features it was built for');
    return shape;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleTensor(this, inputs);
    const shape = this.computeOutputShape(x.shape);
    const axis = this.axisFor(shape);
    const reductionAxes = shape.map((_, i) => i).filter((i) => i !== axis);
    // Per-feature vectors broadcast against x as (1, ..., features, ..., 1).
    const broadcastShape = shape.map((d, i) => (i === axis ? d as number : 1));
    const expand = (v: Tensor) => (axis === shape.length - 1 ? v : K.reshape(v, broadcastShape));
    return K.tidy(() => {
      let mean: Tensor;
      let variance: Tensor;
      if (args.training === true) {
        mean = K.mean(x, reductionAxes, true);
        variance = K.var(x, reductionAxes, true);
        this.updateMovingStatistics(mean, variance);
      } else {
        mean = expand(this.movingMean as Tensor);
        variance = expand(this.movingVariance as Tensor);
      }
      let y = K.divide(K.subtract(x, mean), K.sqrt(K.add(variance, this.epsilon)));
      if (this.gamma) y = K.multiply(y, expand(this.gamma));
      if (this.beta) y = K.add(y, expand(this.beta));
      return y;
    });
  }

  /** moving = moving * momentum + batch * (1 - momentum), without recording gradients. */
  private updateMovingStatistics(mean: Tensor, variance: Tensor): void {
    K.noGrad(() => K.tidy(() => {
      const features = [this.features as number];
      const batchMean = K.reshape(K.stopGradient(mean), features);
      const batchVariance = K.reshape(K.stopGradient(variance), features);
      const blend = (moving: Tensor, batch: Tensor) =>
        K.setValue(moving, K.add(K.multiply(moving, this.momentum), K.multiply(batch, 1 - this.momentum)));
      blend(this.movingMean as Tensor, batchMean);
      blend(this.movingVariance as Tensor, batchVariance);
    }));
  }

  getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}
