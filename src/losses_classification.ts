/**
 * Keras 3's hinge, divergence and focal losses, with Keras 3's formulas (keras.losses, 3.15): each
 * takes `(yTrue, yPred)` of one shape and returns one value per sample (over the last axis).
 */
import { K, Tensor, tidy } from './backend';
import { booleanOption, optionsObject } from './backend/validate';
import { numberOption } from './engine/options';
import { checkSamePair, EPSILON, fraction } from './loss_checks';

/** Kullback-Leibler divergence sum(yTrue · log(yTrue / yPred)), both clipped to [1e-7, 1]. */
export function kld(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('kld', yTrue, yPred);
  return tidy(() => {
    const t = K.clip(yTrue, EPSILON, 1);
    return K.sum(K.multiply(t, K.log(K.divide(t, K.clip(yPred, EPSILON, 1)))), -1);
  });
}

/** Targets of only 0 and 1 become -1 and 1 (all of them, as Keras 3); other targets stay as they are. */
function hingeLabels(yTrue: Tensor, dtype: Tensor['dtype']): Tensor {
  const t = K.cast(yTrue, dtype);
  // A tensor condition, not a JS branch: fitAsync records the loss, and a recording cannot branch on values.
  const binary = K.all(K.logicalOr(K.equal(t, 0), K.equal(t, 1)));
  return K.where(binary, K.subtract(K.multiply(t, 2), 1), t);
}

/** mean(max(1 - yTrue · yPred, 0)) over the last axis; 0/1 targets are read as -1/1. */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('hinge', yTrue, yPred);
  return tidy(() => K.mean(K.maximum(K.subtract(1, K.multiply(hingeLabels(yTrue, yPred.dtype), yPred)), 0), -1));
}

/** mean(max(1 - yTrue · yPred, 0)²) over the last axis; 0/1 targets are read as -1/1. */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('squaredHinge', yTrue, yPred);
  return tidy(() => K.mean(K.square(K.maximum(K.subtract(1, K.multiply(hingeLabels(yTrue, yPred.dtype), yPred)), 0)), -1));
}

/** max(max((1 - yTrue) · yPred) - sum(yTrue · yPred) + 1, 0), for one-hot targets. */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('categoricalHinge', yTrue, yPred);
  return tidy(() => {
    const t = K.cast(yTrue, yPred.dtype);
    const positive = K.sum(K.multiply(t, yPred), -1);
    const negative = K.max(K.multiply(K.subtract(1, t), yPred), -1);
    return K.maximum(K.add(K.subtract(negative, positive), 1), 0);
  });
}

/** The focal losses' options, as Keras 3 names them (camelCase). */
export interface FocalOptions {
  /** The balancing weight of the positive class (default 0.25). */
  alpha?: number;
  /** The focusing exponent on (1 - p_t) (default 2). */
  gamma?: number;
  /** Whether yPred holds logits (default false). */
  fromLogits?: boolean;
  /** Targets move this far towards uniform (default 0). */
  labelSmoothing?: number;
  /** Binary only: weight positives by alpha and negatives by 1 - alpha (default false). */
  applyClassBalancing?: boolean;
}

const FOCAL_OPTIONS = ['alpha', 'gamma', 'fromLogits', 'labelSmoothing'] as const;

/** The options of `fn` with their defaults; unknown keys are refused, naming the known ones. */
function focalOptions(fn: string, given: unknown, known: readonly string[]): Required<FocalOptions> {
  const o = optionsObject<FocalOptions>(fn, given, known, 'options');
  return {
    alpha: fraction(fn, 'alpha', o.alpha, 0.25), gamma: numberOption(fn, 'gamma', o.gamma, 2, 0),
    fromLogits: booleanOption(fn, 'fromLogits', o.fromLogits, false), labelSmoothing: fraction(fn, 'labelSmoothing', o.labelSmoothing, 0),
    applyClassBalancing: booleanOption(fn, 'applyClassBalancing', o.applyClassBalancing, false),
  };
}

/**
 * Binary crossentropy scaled by (1 - p_t)^gamma, p_t the probability given to the true label, so
 * that easy examples weigh less (Lin et al. 2017); averaged over the last axis.
 */
export function binaryFocalCrossentropy(yTrue: Tensor, yPred: Tensor, options: FocalOptions = {}): Tensor {
  checkSamePair('binaryFocalCrossentropy', yTrue, yPred);
  const o = focalOptions('binaryFocalCrossentropy', options, [...FOCAL_OPTIONS, 'applyClassBalancing']);
  return tidy(() => {
    let t = K.cast(yTrue, yPred.dtype);
    if (o.labelSmoothing > 0) t = K.add(K.multiply(t, 1 - o.labelSmoothing), 0.5 * o.labelSmoothing);
    const p = o.fromLogits ? K.sigmoid(yPred) : yPred;
    const bce = K.binaryCrossentropy(t, p, false);
    const pT = K.add(K.multiply(t, p), K.multiply(K.subtract(1, t), K.subtract(1, p)));
    let focal = K.multiply(K.pow(K.subtract(1, pT), o.gamma), bce);
    if (o.applyClassBalancing) focal = K.multiply(K.add(K.multiply(t, o.alpha), K.multiply(K.subtract(1, t), 1 - o.alpha)), focal);
    return K.mean(focal, -1);
  });
}

/** Categorical crossentropy with each class's term scaled by alpha · (1 - p)^gamma; summed over the last axis. */
export function categoricalFocalCrossentropy(yTrue: Tensor, yPred: Tensor,
  options: Omit<FocalOptions, 'applyClassBalancing'> = {}): Tensor {
  checkSamePair('categoricalFocalCrossentropy', yTrue, yPred);
  const o = focalOptions('categoricalFocalCrossentropy', options, FOCAL_OPTIONS);
  return tidy(() => {
    let t = K.cast(yTrue, yPred.dtype);
    const classes = yPred.shapeRef[yPred.rank - 1];
    if (o.labelSmoothing > 0) t = K.add(K.multiply(t, 1 - o.labelSmoothing), o.labelSmoothing / classes);
    const p = o.fromLogits ? K.softmax(yPred, -1) : yPred;
    const output = K.clip(K.divide(p, K.sum(p, -1, true)), EPSILON, 1 - EPSILON);
    const cce = K.neg(K.multiply(t, K.log(output)));
    return K.sum(K.multiply(K.multiply(K.pow(K.subtract(1, output), o.gamma), o.alpha), cce), -1);
  });
}
