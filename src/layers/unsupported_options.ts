/**
 * Keras layer options keratorch does not have yet. A Keras user porting a model passes them; each is
 * refused by name with what is missing, instead of the generic unknown-option error, so that no
 * option is silently lost.
 */
import { KeratorchError } from '../backend';
import { describe } from '../backend/validate';

const CONSTRAINTS = 'weight constraints (maxNorm, nonNeg, unitNorm, minMaxNorm) are not supported yet: ' +
  'nothing would apply them after each optimizer update';
const RENORM = 'batch renormalization is not supported';

/** Each unsupported Keras option (camelCase) and why it is refused. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  maskZero: 'masks are not supported yet: no layer or loss would pass a mask on from Embedding',
  kernelConstraint: CONSTRAINTS,
  biasConstraint: CONSTRAINTS,
  embeddingsConstraint: CONSTRAINTS,
  betaConstraint: CONSTRAINTS,
  gammaConstraint: CONSTRAINTS,
  activityRegularizer: 'activity regularizers are not supported yet: nothing would add their penalty to the loss ' +
    '(weight regularizers are: kernelRegularizer, biasRegularizer, ...)',
  renorm: RENORM,
  renormClipping: RENORM,
  renormMomentum: RENORM,
};

/** Throws ERR_ARGUMENT naming the first unsupported Keras option in `args`, and why. */
export function refuseUnsupportedOptions(owner: string, args: object): void {
  for (const key of Object.keys(args)) {
    if (!Object.prototype.hasOwnProperty.call(UNSUPPORTED, key)) continue;
    const received = (args as Record<string, unknown>)[key];
    throw new KeratorchError(`${owner}: ${key} is not supported: ${UNSUPPORTED[key]}; leave it out ` +
      `(received ${describe(received)})`, 'ERR_ARGUMENT', owner);
  }
}
