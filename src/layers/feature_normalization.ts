/** Per-sample normalizations over feature axes: LayerNormalization and UnitNormalization (Keras 3's). */
import { K, Tensor } from '../backend';
import {
  Initializer, InitializerIdentifier, LayerArgs, layerError, ownOptionNames, Regularizer, RegularizerIdentifier,
  serializeInitializer, Shape,
} from '../engine';
import { ElementwiseLayer } from './elementwise';
import { checkInputRank } from './input_checks';
import {
  checkBoolean, checkLayerArgs, checkNumberIn, optionError, resolveInitializer, resolveRegularizer, serializeRegularizer,
} from './options';

/** An axis or a list of them, none of them the batch axis. */
function checkAxes(owner: string, value: unknown): number[] {
  const axes = Array.isArray(value) ? value : [value];
  if (axes.length === 0 || axes.some((a) => !Number.isInteger(a) || a === 0)) {
    throw optionError(owner, 'an axis or a list of axes, not the batch axis 0', 'axis', value);
  }
  return axes as number[];
}

/** `axes` for an input of `rank`, non-negative and sorted; a layer error when one is out of range. */
function axesFor(layer: ElementwiseLayer, axes: number[], rank: number): number[] {
  const resolved = axes.map((a) => (a < 0 ? a + rank : a));
  if (resolved.some((a) => a < 1 || a >= rank)) {
    throw layerError(layer, 'input', `expected an input with the axes [${axes}] (not the batch axis) but received rank ${rank}`, 'ERR_SHAPE');
  }
  return [...new Set(resolved)].sort((a, b) => a - b);
}

/** Options of {@link UnitNormalization}. */
export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis or axes whose vector gets L2 norm 1 (default -1). */
  axis?: number | number[];
}

/** x / ||x|| along `axis` (the norm floored at 1e-6, from Keras 3's epsilon 1e-12 on its square). */
export class UnitNormalization extends ElementwiseLayer {
  static className = 'UnitNormalization';
  static optionNames = ownOptionNames<UnitNormalizationArgs, LayerArgs>()('axis');
  readonly axis: number | number[];
  private readonly axes: number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(checkLayerArgs('UnitNormalization', args));
    this.axes = checkAxes('UnitNormalization', args.axis ?? -1);
    this.axis = Array.isArray(args.axis) ? [...this.axes] : this.axes[0];
  }

  protected transform(x: Tensor): Tensor {
    const axes = axesFor(this, this.axes, x.rank);
    return K.tidy(() => K.multiply(x, K.minimum(K.divide(1, K.sqrt(K.sum(K.square(x), axes, true))), 1e6)));
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Options of {@link LayerNormalization}. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes normalized together, per sample (default -1). */
  axis?: number | number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset beta (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale gamma (default true). */
  scale?: boolean;
  /** Keras 3's RMS scaling: x · rsqrt(variance + epsilon) · gamma, no centering and no beta (default false). */
  rmsScaling?: boolean;
  /** Fills beta (default zeros). */
  betaInitializer?: InitializerIdentifier;
  /** Fills gamma (default ones). */
  gammaInitializer?: InitializerIdentifier;
  /** A penalty on beta. */
  betaRegularizer?: RegularizerIdentifier | null;
  /** A penalty on gamma. */
  gammaRegularizer?: RegularizerIdentifier | null;
}

/**
 * Normalizes each sample over `axis` to zero mean and unit variance (the biased variance, as Keras),
 * then scales by gamma and shifts by beta, both shaped as those axes. The same in training and inference.
 */
export class LayerNormalization extends ElementwiseLayer {
  static className = 'LayerNormalization';
  static optionNames = ownOptionNames<LayerNormalizationArgs, LayerArgs>()('axis', 'epsilon', 'center', 'scale',
    'rmsScaling', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer');
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  /** The learned scale, once built with `scale`. */
  gamma?: Tensor;
  /** The learned offset, once built with `center` (and not rmsScaling). */
  beta?: Tensor;
  private readonly axes: number[];
  private builtRank?: number;

  constructor(args: LayerNormalizationArgs = {}) {
    super(checkLayerArgs('LayerNormalization', args));
    const owner = 'LayerNormalization';
    this.axes = checkAxes(owner, args.axis ?? -1);
    this.axis = Array.isArray(args.axis) ? [...this.axes] : this.axes[0];
    this.epsilon = checkNumberIn(owner, 'epsilon', args.epsilon ?? 1e-3, 0, Infinity, true);
    this.center = checkBoolean(owner, 'center', args.center ?? true);
    this.scale = checkBoolean(owner, 'scale', args.scale ?? true);
    this.rmsScaling = checkBoolean(owner, 'rmsScaling', args.rmsScaling ?? false);
    this.betaInitializer = resolveInitializer(owner, 'betaInitializer', args.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(owner, 'gammaInitializer', args.gammaInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(owner, 'betaRegularizer', args.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(owner, 'gammaRegularizer', args.gammaRegularizer);
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = checkInputRank(this, inputShape, 2, true);
    const axes = axesFor(this, this.axes, shape.length);
    const paramShape = axes.map((a) => {
      const d = shape[a];
      if (d === null) throw layerError(this, 'input', `expected a known size for the normalized axis ${a} but received none`);
      return d;
    });
    if (this.scale) {
      this.gamma = this.addWeight('gamma', paramShape, { initializer: this.gammaInitializer, regularizer: this.gammaRegularizer ?? undefined });
    }
    if (this.center && !this.rmsScaling) {
      this.beta = this.addWeight('beta', paramShape, { initializer: this.betaInitializer, regularizer: this.betaRegularizer ?? undefined });
    }
    this.builtRank = shape.length;
    this.built = true;
  }

  protected transform(x: Tensor): Tensor {
    if (x.rank !== this.builtRank) {
      throw layerError(this, 'input', `expected rank ${this.builtRank} (as built) but received rank ${x.rank}`, 'ERR_SHAPE');
    }
    const axes = axesFor(this, this.axes, x.rank);
    // gamma and beta are shaped as the normalized axes: broadcast them over the others.
    const broadcast = (w: Tensor): Tensor => K.reshape(w, x.shapeRef.map((d, i) => (axes.includes(i) ? d : 1)));
    return K.tidy(() => {
      const mean = K.mean(x, axes, true);
      const variance = K.mean(K.square(K.subtract(x, mean)), axes, true);
      let inv = K.divide(1, K.sqrt(K.add(variance, this.epsilon)));
      if (this.gamma) inv = K.multiply(inv, broadcast(this.gamma));
      if (this.rmsScaling) return K.multiply(x, inv);
      let out = K.multiply(K.subtract(x, mean), inv);
      if (this.beta) out = K.add(out, broadcast(this.beta));
      return out;
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), axis: this.axis, epsilon: this.epsilon, center: this.center, scale: this.scale,
      rmsScaling: this.rmsScaling, betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer), gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}
