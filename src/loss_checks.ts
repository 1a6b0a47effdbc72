/** The argument checks every loss and metric shares. */
import { Tensor } from './backend';
import { fail } from './backend/validate';

/** @internal Checks that yTrue and yPred are live tensors (shared with the metrics). */
export function checkPair(fn: string, yTrue: unknown, yPred: unknown): void {
  if (!(yTrue instanceof Tensor)) fail(fn, 'a Tensor', 'yTrue', yTrue);
  if (!(yPred instanceof Tensor)) fail(fn, 'a Tensor', 'yPred', yPred);
  yTrue.assertLive(fn, 'yTrue');
  yPred.assertLive(fn, 'yPred');
}

/** @internal Checks that yTrue has yPred's shape. */
export function checkSameShape(fn: string, yTrue: Tensor, yPred: Tensor): void {
  const t = yTrue.shapeRef;
  const p = yPred.shapeRef;
  if (t.length !== p.length || t.some((d, i) => d !== p[i])) {
    fail(fn, `a tensor of yPred's shape [${p}]`, 'yTrue', yTrue, 'ERR_SHAPE');
  }
}

/** @internal Both checks: live tensors of one shape. */
export function checkSamePair(fn: string, yTrue: unknown, yPred: unknown): void {
  checkPair(fn, yTrue, yPred);
  checkSameShape(fn, yTrue as Tensor, yPred as Tensor);
}

/** @internal A number in [0, 1] (`alpha`, `labelSmoothing`), or `fallback` when undefined. */
export function fraction(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(fn, 'a number in [0, 1]', name, value, 'ERR_VALUE');
  return value;
}

/** Keras's backend epsilon, the floor its losses clip to. */
export const EPSILON = 1e-7;
