/**
 * Keras 1's `merge(inputs, { mode })`: a built-in mode ('sum', 'mul', 'concat', 'ave', 'max',
 * 'dot', 'cos') makes the matching Keras 2 layer; a function mode makes a {@link Merge} layer,
 * whose output shape is declared (`outputShape`) or inferred as for Lambda.
 */
import { Tensor } from '../backend';
import { Layer, ownOptionNames, Shape, SymbolicTensor } from '../engine';
import { optionsObject } from '../engine/options';
import { FunctionLayer, FunctionLayerArgs, FunctionResult, OutputShapeSpec } from './function_layer';
import { checkInputCount } from './input_checks';
import { Add, Average, Concatenate, Dot, Maximum, Multiply } from './merge';
import { checkLayerArgs, optionError } from './options';

/**
 * A merge function: the list of concrete inputs and the layer's `arguments` (a method's type, so
 * that a function declaring the arguments it reads, `(xs, args: { n: number }) => ...`, is accepted).
 */
export type MergeFunction<R extends FunctionResult = FunctionResult> = {
  run(inputs: Tensor[], args: Record<string, unknown>): R;
}['run'];

/** Options of {@link Merge}. */
export interface MergeArgs<R extends FunctionResult = FunctionResult> extends FunctionLayerArgs {
  /** The function of the list of inputs, or the name it is registered under (`registerFunction`). */
  mode: MergeFunction<R> | string;
}

/**
 * A layer that merges a list of (at least two) inputs with a function: Keras 1's Merge with a
 * callable mode. `R` is what the function returns, so `apply` gives one output for a function of one.
 */
export class Merge<R extends FunctionResult = FunctionResult> extends FunctionLayer<R> {
  static className = 'Merge';
  static optionNames = ownOptionNames<MergeArgs, FunctionLayerArgs>()('mode');

  constructor(args: MergeArgs<R>) {
    const checked = checkLayerArgs('Merge', args);
    super('Merge', 'mode', checked.mode, checked);
  }

  protected checkInputs(inputShape: Shape | Shape[]): void {
    checkInputCount(this, inputShape, 2);
  }

  /** The options that recreate the layer; `mode` is the registered name (null when unregistered). */
  getConfig(): Record<string, unknown> {
    return this.functionConfig('mode');
  }
}

/** The built-in modes of {@link merge}. */
export type MergeMode = 'sum' | 'mul' | 'concat' | 'ave' | 'max' | 'dot' | 'cos';

const MODES: readonly MergeMode[] = ['sum', 'mul', 'concat', 'ave', 'max', 'dot', 'cos'];

/** The keys of {@link MergeOptions}. */
const MERGE_OPTIONS = ['mode', 'outputShape', 'name', 'concatAxis', 'dotAxes', 'arguments'];

/** Options of {@link merge}. */
export interface MergeOptions {
  /** A built-in mode, or a function of the list of inputs. */
  mode?: MergeMode | MergeFunction;
  /** For a function mode: the output shape (one sample's, or a function of the input shapes); inferred when left out. */
  outputShape?: OutputShapeSpec | null;
  /** The layer's name. */
  name?: string;
  /** The axis of mode 'concat' (default -1). */
  concatAxis?: number;
  /** The axes of modes 'dot' and 'cos' (default -1). */
  dotAxes?: number | [number, number];
  /** For a function mode: extra values passed as its second argument. */
  arguments?: Record<string, unknown>;
}

function mergeLayer(options: MergeOptions): Layer {
  const { mode = 'sum', name } = options;
  if (typeof mode === 'function') {
    return new Merge({ mode, name, outputShape: options.outputShape, arguments: options.arguments });
  }
  switch (mode) {
    case 'sum': return new Add({ name });
    case 'mul': return new Multiply({ name });
    case 'ave': return new Average({ name });
    case 'max': return new Maximum({ name });
    case 'concat': return new Concatenate({ name, axis: options.concatAxis ?? -1 });
    case 'dot': return new Dot({ name, axes: options.dotAxes ?? -1 });
    case 'cos': return new Dot({ name, axes: options.dotAxes ?? -1, normalize: true });
    default:
      throw optionError('merge', `one of ${MODES.map((m) => `'${m}'`).join(', ')} or a function`, 'mode', mode);
  }
}

/**
 * Keras 1's functional merge: applies a merge layer to `inputs` (symbolic tensors from `Input`, or
 * concrete tensors) and returns its output. `outputShape` and `arguments` apply to function modes;
 * Keras 1 ignored them otherwise, and so does this.
 */
export function merge(inputs: SymbolicTensor[], options?: MergeOptions): SymbolicTensor;
export function merge(inputs: Tensor[], options?: MergeOptions): Tensor;
export function merge(inputs: SymbolicTensor[] | Tensor[], options?: MergeOptions): SymbolicTensor | Tensor;
export function merge(inputs: SymbolicTensor[] | Tensor[], options: MergeOptions = {}): SymbolicTensor | Tensor {
  optionsObject<MergeOptions>('merge', options, MERGE_OPTIONS);
  if (!Array.isArray(inputs) || inputs.length < 2) {
    throw optionError('merge', 'a list of at least 2 inputs', 'inputs', inputs);
  }
  const out = mergeLayer(options).apply(inputs as SymbolicTensor[]);
  if (Array.isArray(out)) {
    if (out.length === 1) return out[0];
    throw optionError('merge', 'a mode with one output (use the Merge layer for several)', 'mode', options.mode);
  }
  return out as SymbolicTensor | Tensor;
}
