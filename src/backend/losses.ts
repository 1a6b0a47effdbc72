/** Keras's cross-entropies (TensorFlow-backend formulas, including the epsilon clipping). */
import { native, handleOf, wrap } from './operands';
import { Tensor } from './tensor';
import { tidy } from './engine';
import { epsilon } from './config';
import { fail, normalizeAxis } from './validate';
import { abs, add, clip, divide, exp, log, log1p, maximum, multiply, neg, subtract } from './math';
import { sum } from './reduction';
import { logSoftmax, checkFloat } from './nn';
import { checkIndices } from './shapes';

function sameShape(fn: string, target: Tensor, output: Tensor): void {
  const t = target.shapeRef;
  const o = output.shapeRef;
  if (t.length !== o.length || t.some((d, i) => d !== o[i])) {
    fail(fn, `a target of the output's shape [${o}]`, 'target', target, 'ERR_SHAPE');
  }
}

/** Cross-entropy between a one-hot (or soft) target and probabilities or logits along `axis`. */
export function categoricalCrossentropy(target: Tensor, output: Tensor, fromLogits = false, axis = -1): Tensor {
  const fn = 'categoricalCrossentropy';
  handleOf(fn, target, 'target');
  checkFloat(fn, output, 'output');
  sameShape(fn, target, output);
  const a = normalizeAxis(fn, axis, output.rank);
  return tidy(() => {
    if (fromLogits) return neg(sum(multiply(target, logSoftmax(output, a)), a));
    const scaled = divide(output, sum(output, a, true));
    const eps = epsilon();
    return neg(sum(multiply(target, log(clip(scaled, eps, 1 - eps))), a));
  });
}

/** Cross-entropy between integer class targets and probabilities or logits on the last axis. */
export function sparseCategoricalCrossentropy(target: Tensor, output: Tensor, fromLogits = false, axis = -1): Tensor {
  const fn = 'sparseCategoricalCrossentropy';
  handleOf(fn, target, 'target');
  checkFloat(fn, output, 'output');
  const a = normalizeAxis(fn, axis, output.rank);
  const os = output.shapeRef;
  const classes = os[a];
  const outer = os.filter((_, i) => i !== a);
  if (target.size !== outer.reduce((x, y) => x * y, 1)) {
    fail(fn, `one class index per output row (${outer.join('x') || 'scalar'})`, 'target', target, 'ERR_SHAPE');
  }
  return tidy(() => {
    const t = target.dtype === 'float32' || target.dtype === 'float64' ? wrap(native.cast(target.handle, 'int64')) : target;
    checkIndices(fn, t, classes, 'target');
    const eps = epsilon();
    const logits = fromLogits ? output : log(clip(output, eps, 1 - eps));
    const lastAxis = a === os.length - 1 ? logits
      : wrap(native.permute(logits.handle, [...os.keys()].filter((i) => i !== a).concat([a])));
    // One row of log-probabilities per target; the loss picks each row's target entry.
    const logp = wrap(native.reshape(logSoftmax(lastAxis, -1).handle, [-1, classes]));
    const picked = wrap(native.nllLoss(logp.handle, wrap(native.reshape(t.handle, [-1])).handle));
    return wrap(native.reshape(picked.handle, outer));
  });
}

/** Elementwise binary cross-entropy between targets in [0, 1] and probabilities or logits. */
export function binaryCrossentropy(target: Tensor, output: Tensor, fromLogits = false): Tensor {
  const fn = 'binaryCrossentropy';
  handleOf(fn, target, 'target');
  checkFloat(fn, output, 'output');
  sameShape(fn, target, output);
  return tidy(() => {
    if (fromLogits) {
      // max(x, 0) - x z + log(1 + e^-|x|), stable for large |x|.
      return add(subtract(maximum(output, 0), multiply(output, target)), log1p(exp(neg(abs(output)))));
    }
    // Keras 3: clipped to [eps, 1 - eps] and no second eps inside the logs (Keras 2.3 added one), so
    // probabilities of exactly 0 and 1 cost -log(eps)-ish, not -log(2 eps).
    const eps = epsilon();
    const p = clip(output, eps, 1 - eps);
    const positive = multiply(target, log(p));
    const negative = multiply(subtract(1, target), log(subtract(1, p)));
    return neg(add(positive, negative));
  });
}
