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

// Keras 3's keras.activations, with their default arguments (gelu is the exact form there, while
// keras.ops.gelu defaults to the tanh approximation). `threshold` is left out: Keras's has two
// required arguments, so it cannot be used by name (K.threshold takes them).
const builtins = lookupTable<ActivationFunction>({
  relu: (x) => K.relu(x),
  softmax: (x) => K.softmax(x, -1),
  leakyRelu: (x) => K.leakyRelu(x, 0.2),
  relu6: (x) => K.relu6(x),
  logSoftmax: (x) => K.logSoftmax(x, -1),
  sparsemax: (x) => K.sparsemax(x, -1),
  sigmoid: (x) => K.sigmoid(x),
  logSigmoid: (x) => K.logSigmoid(x),
  sparseSigmoid: (x) => K.sparseSigmoid(x),
  hardSigmoid: (x) => K.hardSigmoid(x),
  tanh: (x) => K.tanh(x),
  tanhShrink: (x) => K.tanhShrink(x),
  hardTanh: (x) => K.hardTanh(x),
  linear: (x) => x,
  elu: (x) => K.elu(x, 1),
  selu: (x) => K.selu(x),
  celu: (x) => K.celu(x, 1),
  gelu: (x) => K.gelu(x, false),
  glu: (x) => K.glu(x, -1),
  silu: (x) => K.silu(x),
  hardSilu: (x) => K.hardSilu(x),
  mish: (x) => K.mish(x),
  softplus: (x) => K.softplus(x),
  softsign: (x) => K.softsign(x),
  squareplus: (x) => K.squareplus(x, 4),
  sparsePlus: (x) => K.sparsePlus(x),
  softShrink: (x) => K.softShrink(x, 0.5),
  hardShrink: (x) => K.hardShrink(x, 0.5),
  exponential: (x) => K.exp(x),
});
// Keras's aliases: the same functions, so a config saves the first name (silu, hardSilu), as Keras does.
builtins.swish = builtins.silu;
builtins.hardSwish = builtins.hardSilu;

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
