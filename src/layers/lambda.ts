/** Lambda: wraps a function of tensors (written with `K`) as a layer. */
import { ownOptionNames } from '../engine';
import { FunctionLayer, FunctionLayerArgs, FunctionResult, LayerFunction } from './function_layer';
import { checkLayerArgs } from './options';

/** A Lambda function: the concrete input (a list for several inputs) and the layer's `arguments`. */
export type LambdaFunction<R extends FunctionResult = FunctionResult> = LayerFunction<R>;

/** Options of {@link Lambda} besides the function. */
export type LambdaOptions = FunctionLayerArgs;

/** The full options of {@link Lambda}, as `getConfig` returns them. */
export interface LambdaArgs<R extends FunctionResult = FunctionResult> extends FunctionLayerArgs {
  /** The function, or the name it is registered under (`registerFunction`). */
  function: LambdaFunction<R> | string;
}

/**
 * Runs `fn(inputs, arguments)` on concrete tensors: `new Lambda((x) => K.abs(x))`. The output
 * shape is inferred by running `fn` once on zeros, or declared with `outputShape` (one sample's
 * shape, or a function of the input shape) and then checked whenever the layer runs. To save the
 * layer, register the function: `registerFunction('abs', fn)`.
 */
export class Lambda<R extends FunctionResult = FunctionResult> extends FunctionLayer<R> {
  static className = 'Lambda';
  static optionNames = ownOptionNames<LambdaArgs, FunctionLayerArgs>()('function');

  /**
   * @param fn The function (or, as from `getConfig`, the full options with `function`).
   * @param options outputShape, arguments, name and the other layer options.
   */
  constructor(fn: LambdaFunction<R> | LambdaArgs<R>, options: LambdaOptions = {}) {
    const args: LambdaArgs<R> = typeof fn === 'function'
      ? { ...checkLayerArgs('Lambda', options), function: fn }
      : checkLayerArgs('Lambda', fn);
    super('Lambda', 'function', args.function, args);
  }

  /** The options that recreate the layer; `function` is the registered name (null when unregistered). */
  getConfig(): Record<string, unknown> {
    return this.functionConfig('function');
  }
}
