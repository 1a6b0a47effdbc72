/**
 * Keras 3's regression losses beyond MSE and MAE, with Keras 3's formulas (keras.losses, 3.15):
 * each takes `(yTrue, yPred)` of one shape and returns one value per sample (over the last axis).
 */
import { K, Tensor, tidy } from './backend';
import { fail } from './backend/validate';
import { numberOption } from './engine/options';
import { checkSamePair, EPSILON } from './loss_checks';

/** 0.5·e² where |e| <= delta, else delta·|e| - 0.5·delta², averaged over the last axis (e = yPred - yTrue). */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  checkSamePair('huber', yTrue, yPred);
  const d = numberOption('huber', 'delta', delta, 1, 0);
  return tidy(() => {
    const error = K.subtract(yPred, yTrue);
    const absError = K.abs(error);
    const quadratic = K.multiply(K.square(error), 0.5);
    const linear = K.subtract(K.multiply(absError, d), 0.5 * d * d);
    return K.mean(K.where(K.lessEqual(absError, d), quadratic, linear), -1);
  });
}

/** log(cosh(yPred - yTrue)), computed as x + softplus(-2x) - log 2 (no overflow), averaged over the last axis. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('logCosh', yTrue, yPred);
  return tidy(() => {
    const x = K.subtract(yPred, yTrue);
    return K.mean(K.subtract(K.add(x, K.softplus(K.multiply(x, -2))), Math.LN2), -1);
  });
}

/** 100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7)) over the last axis. */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('meanAbsolutePercentageError', yTrue, yPred);
  return tidy(() => {
    const diff = K.abs(K.divide(K.subtract(yTrue, yPred), K.maximum(K.abs(yTrue), EPSILON)));
    return K.multiply(K.mean(diff, -1), 100);
  });
}

/** mean((log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))²) over the last axis. */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('meanSquaredLogarithmicError', yTrue, yPred);
  return tidy(() => {
    const first = K.log(K.add(K.maximum(yPred, EPSILON), 1));
    const second = K.log(K.add(K.maximum(yTrue, EPSILON), 1));
    return K.mean(K.square(K.subtract(first, second)), -1);
  });
}

/** mean(yPred - yTrue · log(yPred + 1e-7)) over the last axis: the Poisson negative log-likelihood, up to a constant. */
export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSamePair('poisson', yTrue, yPred);
  return tidy(() => K.mean(K.subtract(yPred, K.multiply(yTrue, K.log(K.add(yPred, EPSILON)))), -1));
}

/** x · min(1 / ||x||, 1e7) along `axis`, as Keras 3's normalize. */
function unitAlong(x: Tensor, axis: number): Tensor {
  return K.multiply(x, K.minimum(K.divide(1, K.sqrt(K.sum(K.square(x), axis, true))), 1 / EPSILON));
}

/**
 * Minus the cosine similarity of yTrue and yPred along `axis` (default -1): -1 for the same
 * direction, 1 for the opposite one. One value per position of the other axes.
 */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor, axis = -1): Tensor {
  checkSamePair('cosineSimilarity', yTrue, yPred);
  const rank = yPred.rank;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) fail('cosineSimilarity', `an axis in [-${rank}, ${rank})`, 'axis', axis);
  return tidy(() => K.neg(K.sum(K.multiply(unitAlong(yTrue, axis), unitAlong(yPred, axis)), axis)));
}
