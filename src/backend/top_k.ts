/** inTopK: whether each row's target class is among its k largest predictions, as TensorFlow's in_top_k. */
import { Tensor } from './tensor';
import { tidy } from './engine';
import { checkInt, fail } from './validate';
import { equal, greater, isNaN, less, logicalAnd, logicalNot, multiply, subtract, where } from './math';
import { all, sum } from './reduction';
import { expandDims, oneHot } from './shapes';
import { cast } from './variables';

/**
 * For `predictions` (batch, classes) and integer `targets` (batch): true where fewer than `k`
 * classes score strictly more than the target class. Ties at the boundary count as in the top k,
 * as in TensorFlow; a row with a non-finite prediction, or a target outside [0, classes), gives false.
 */
export function inTopK(predictions: Tensor, targets: Tensor, k: number): Tensor {
  const fn = 'inTopK';
  if (!(predictions instanceof Tensor)) fail(fn, 'a Tensor', 'predictions', predictions);
  if (!(targets instanceof Tensor)) fail(fn, 'a Tensor', 'targets', targets);
  predictions.assertLive(fn, 'predictions');
  targets.assertLive(fn, 'targets');
  if (predictions.rank !== 2) fail(fn, 'a (batch, classes) tensor', 'predictions', predictions, 'ERR_SHAPE');
  if (predictions.dtype !== 'float32' && predictions.dtype !== 'float64') fail(fn, 'a float tensor', 'predictions', predictions, 'ERR_DTYPE');
  if (targets.rank !== 1 || targets.shapeRef[0] !== predictions.shapeRef[0]) {
    fail(fn, `a (batch) tensor of predictions' batch ${predictions.shapeRef[0]}`, 'targets', targets, 'ERR_SHAPE');
  }
  checkInt(fn, 'k', k, 0);
  const classes = predictions.shapeRef[1];
  return tidy(() => {
    // oneHot gives a row of zeros for a target out of range: such a row has no target score.
    const mask = cast(oneHot(targets, classes), predictions.dtype);
    const hasTarget = equal(sum(mask, -1), 1);
    const finite = all(logicalNot(isNaN(subtract(predictions, predictions))), -1); // inf - inf and NaN give NaN
    const safe = where(expandDims(finite, -1), predictions, 0);
    const targetScore = sum(multiply(safe, mask), -1);
    const above = sum(cast(greater(safe, expandDims(targetScore, -1)), 'int32'), -1);
    return logicalAnd(logicalAnd(less(above, k), finite), hasTarget);
  });
}
