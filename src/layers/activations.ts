/**
 * Activations by name (`relu`, `softmax`, ...; camelCase or snake_case), as Keras's
 * `keras.activations`. A custom activation is a function of one tensor; to be saved in a config it
 * must be registered with `registerFunction(name, fn)`.
 */
import { K, KeratorchError, Tensor } from '../backend';
import { functionName, getRegisteredFunction } from '../io/registry';
import { describeValue } from './options';
import { lookupTable } from '../util/lookup';

/** An activation: a function of one tensor. */
export type ActivationFunction = (x: Tensor) => Tensor;

/** An activation name, or a function. */
export type ActivationIdentifier = string | ActivationFunction;

// SELU's constants (Klambauer et al., 2017), as in Keras.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

const builtins = lookupTable<ActivationFunction>({
  relu: (x) => K.relu(x),
  softmax: (x) => K.softmax(x, -1),
  sigmoid: (x) => K.sigmoid(x),
  tanh: (x) => K.tanh(x),
  linear: (x) => x,
  elu: (x) => K.elu(x, 1),
  selu: (x) => K.tidy(() => K.multiply(K.elu(x, SELU_ALPHA), SELU_SCALE)),
  softplus: (x) => K.softplus(x),
  softsign: (x) => K.softsign(x),
  hardSigmoid: (x) => K.hardSigmoid(x),
  exponential: (x) => K.exp(x),
  leakyRelu: (x) => K.leakyRelu(x, 0.2),
});

/** Whether `activation` is the built-in identity (`linear`). */
export function isLinearActivation(activation: ActivationFunction): boolean {
  return activation === builtins.linear;
}

/** The names of the built-in activations (camelCase; snake_case is accepted too). */
export const activationNames: readonly string[] = Object.freeze(Object.keys(builtins));

/** `hard_sigmoid` and `hardSigmoid` name the same activation. */
function canonical(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The activation for a built-in name, the name of a registered function, or a function (returned
 * as is). `owner` and `name` say what to blame in the error for anything else.
 */
export function getActivation(identifier: ActivationIdentifier, owner = 'getActivation', name = 'identifier'): ActivationFunction {
  if (typeof identifier === 'function') return identifier;
  // Who asks and for what are the caller's words in the message: anything else reads as the defaults.
  if (typeof owner !== 'string') owner = 'getActivation';
  if (typeof name !== 'string') name = 'identifier';
  if (typeof identifier === 'string') {
    const builtin = builtins[canonical(identifier)];
    if (builtin) return builtin;
    if (identifier !== '') {
      try {
        return getRegisteredFunction(identifier, 'activation') as ActivationFunction;
      } catch {
        // not registered either: fall through to the standard message
      }
    }
  }
  throw new KeratorchError(`${owner}: expected one of ${activationNames.map((n) => `'${n}'`).join(', ')}, the name of a ` +
    `function registered with registerFunction, or a function for ${name} but received ${describeValue(identifier)}`,
  'ERR_ARGUMENT', owner);
}

/**
 * The name that recreates an activation with {@link getActivation}: the built-in name, or the name
 * the function is registered under. An unregistered custom function cannot be saved.
 */
export function serializeActivation(activation: ActivationFunction, owner = 'serializeActivation'): string {
  for (const [name, fn] of Object.entries(builtins)) if (fn === activation) return name;
  const registered = typeof activation === 'function' ? functionName(activation) : undefined;
  if (registered !== undefined) return registered;
  throw new KeratorchError(`${owner}: expected a built-in activation or a function registered with ` +
    `registerFunction(name, fn) for activation but received ${describeValue(activation)} (register it to save the layer)`,
  'ERR_ARGUMENT', owner);
}
