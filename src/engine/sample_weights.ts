/**
 * `sampleWeight` and `classWeight`, as Keras 3 takes them: one weight per sample, or one per class
 * that becomes each sample's weight by its target's class (argmax of a one-hot target, else the
 * rounded target; classes not listed weigh 1). The two cannot be given together, and class weights
 * need a model of one output.
 */
import { K, Tensor, tensor, tidy } from '../backend';
import { fail } from '../backend/validate';
import { refuse } from './options';
import { toTensor } from './standardize';

/** Weights by class index: `{ 0: 1, 1: 5 }`. */
export type ClassWeight = Record<number, number>;

function checkClassWeight(fn: string, classWeight: unknown): Map<number, number> {
  if (classWeight === null || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    fail(fn, 'an object of class index -> weight', 'classWeight', classWeight);
  }
  const weights = new Map<number, number>();
  for (const [key, value] of Object.entries(classWeight as Record<string, unknown>)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0) fail(fn, 'class indices (integers >= 0) as keys', 'classWeight', key);
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(fn, 'finite numbers', `classWeight[${key}]`, value);
    weights.set(index, value);
  }
  return weights;
}

/** Each sample's class: argmax of a target with several columns, else the rounded target. */
function classesOf(target: Tensor): number[] {
  return tidy(() => {
    const last = target.rank > 1 ? target.shapeRef[target.rank - 1] : 1;
    const classes = last > 1 ? K.argmax(target, -1) : K.round(K.reshape(target, [target.shapeRef[0]]));
    return Array.from(K.reshape(classes, [-1]).dataSync() as ArrayLike<number>, Number);
  });
}

/**
 * The per-sample weights (a float32 vector of `samples`), or null without either option. Tensors
 * made are added to `owned`.
 */
export function standardizeSampleWeight(fn: string, ys: Tensor[], sampleWeight: unknown, classWeight: unknown,
  samples: number, owned: Tensor[]): Tensor | null {
  if (sampleWeight !== undefined && sampleWeight !== null && classWeight !== undefined && classWeight !== null) {
    refuse(fn, 'sampleWeight or classWeight, not both (as Keras 3)', 'args', 'both');
  }
  if (classWeight !== undefined && classWeight !== null) {
    const weights = checkClassWeight(fn, classWeight);
    if (ys.length !== 1) refuse(fn, 'a model of one output for classWeight (as Keras 3)', 'y', `${ys.length} outputs`);
    const made = tensor(new Float32Array(classesOf(ys[0]).map((c) => weights.get(c) ?? 1)), [samples], 'float32');
    owned.push(made);
    return made;
  }
  if (sampleWeight === undefined || sampleWeight === null) return null;
  const weight = toTensor(fn, 'sampleWeight', sampleWeight, 'float32', owned);
  if (weight.rank !== 1 || weight.shapeRef[0] !== samples) {
    fail(fn, `one weight per sample (shape [${samples}])`, 'sampleWeight', weight, 'ERR_SHAPE');
  }
  if (weight.dtype === 'float32') return weight;
  const cast = K.cast(weight, 'float32');
  owned.push(cast);
  return cast;
}
