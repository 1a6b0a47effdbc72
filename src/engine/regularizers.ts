/** Weight penalties added to the training loss: l1, l2, l1l2. */
import { K, KeratorchError, Tensor, tidy } from '../backend';
import { describe } from '../backend/validate';
import { optionsObject } from './options';

/** A penalty on a weight's values. */
export interface Regularizer {
  readonly className: string;
  /** The penalty (a scalar tensor). */
  apply(weight: Tensor): Tensor;
  /** Options that recreate it. */
  getConfig(): Record<string, unknown>;
}

/** A regularizer name ('l1', 'l2', 'l1l2'), an instance, or a saved `{ className, config }`. */
export type RegularizerIdentifier = string | Regularizer | { className: string; config?: Record<string, unknown> };

/** l1 * sum(|w|) + l2 * sum(w²). */
export class L1L2 implements Regularizer {
  readonly className = 'L1L2';

  constructor(readonly l1 = 0, readonly l2 = 0) {
    for (const [name, value] of [['l1', l1], ['l2', l2]] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new KeratorchError(`L1L2: expected a finite number >= 0 for ${name} but received ${describe(value)}`,
          'ERR_ARGUMENT', 'L1L2');
      }
    }
  }

  apply(weight: Tensor): Tensor {
    return tidy(() => {
      let penalty = K.constant(0, weight.dtype);
      if (this.l1) penalty = K.add(penalty, K.multiply(K.sum(K.abs(weight)), this.l1));
      if (this.l2) penalty = K.add(penalty, K.multiply(K.sum(K.square(weight)), this.l2));
      return penalty;
    });
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** An L1 penalty (Keras's default factor 0.01). */
export const l1 = (factor = 0.01): Regularizer => new L1L2(factor, 0);
/** An L2 penalty (Keras's default factor 0.01). */
export const l2 = (factor = 0.01): Regularizer => new L1L2(0, factor);
/** L1 and L2 penalties. */
export const l1l2 = (l1Factor = 0.01, l2Factor = 0.01): Regularizer => new L1L2(l1Factor, l2Factor);

/** The regularizer for an identifier. */
export function getRegularizer(identifier: RegularizerIdentifier): Regularizer {
  if (typeof identifier === 'object' && identifier !== null && 'apply' in identifier) return identifier;
  if (identifier === 'l1') return l1();
  if (identifier === 'l2') return l2();
  if (identifier === 'l1l2' || identifier === 'l1_l2') return l1l2();
  if (typeof identifier === 'object' && identifier !== null && identifier.className === 'L1L2') {
    optionsObject('regularizer', identifier, ['className', 'config'], 'identifier');
    const c = optionsObject<{ l1: number; l2: number }>('L1L2', identifier.config, ['l1', 'l2'], 'config');
    return new L1L2(c.l1 ?? 0, c.l2 ?? 0);
  }
  const className = typeof identifier === 'object' && identifier !== null ? identifier.className : undefined;
  const isConfig = typeof className === 'string';
  throw new KeratorchError(`regularizer: expected 'l1', 'l2', 'l1l2', a Regularizer or { className: 'L1L2', config } ` +
    `for ${isConfig ? 'identifier.className' : 'identifier'} but received ${describe(isConfig ? className : identifier)}`,
  'ERR_ARGUMENT', 'regularizer');
}
