/**
 * The layer graph: `Layer` (build / call / computeOutputShape / getConfig), `SymbolicTensor`
 * placeholders and the `Node`s that connect them. A layer applied to symbolic tensors records a
 * node and returns symbolic outputs with inferred shapes; applied to concrete tensors it computes.
 */
import { Device, DType, K, keep, KeratorchError, Tensor, tidy } from '../backend';
import type { NestedArray, TensorInput } from '../backend';
import { checkDType, checkInt, checkShape, describe, fail } from '../backend/validate';
import { getInitializer, InitializerIdentifier } from './initializers';
import { booleanOption, optionsObject } from './options';
import { getRegularizer, Regularizer, RegularizerIdentifier } from './regularizers';
import { describeShape, isShape, isShapeList, layerError, layerInputShape, Shape } from './shapes';

export type { Shape } from './shapes';

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique name in a model (default: the class name in snake case with a counter, e.g. dense_1). */
  name?: string;
  /** Whether `fit` updates this layer's weights (default true). */
  trainable?: boolean;
  /** Shape of one sample (no batch axis); on a first layer it creates the model's input. */
  inputShape?: Shape;
  /** Shape including the batch axis (null where unknown). */
  batchInputShape?: Shape;
  /** Fixed batch size, used with `inputShape`. */
  batchSize?: number;
  /** The layer's dtype (default float32). */
  dtype?: DType;
}

/** The keys of {@link LayerArgs}, which every layer constructor accepts. */
const LAYER_ARGS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype'] as const;

type OwnOptionNames<Args, Parent> = Exclude<keyof Args, keyof Parent> & string;

/**
 * The option names a layer class adds to its parent's, for its static `optionNames`:
 * `ownOptionNames<DenseArgs, KernelLayerArgs>()('units', 'inputDim')`. The compiler checks that the
 * list names every key `Args` adds to `Parent` and nothing else, so the runtime list cannot drift
 * from the options interface.
 */
export function ownOptionNames<Args extends Parent, Parent>() {
  return <const Names extends readonly OwnOptionNames<Args, Parent>[]>(
    ...names: Names & ([OwnOptionNames<Args, Parent>] extends [Names[number]] ? unknown : never)
  ): readonly string[] => names;
}

const knownOptionsByClass = new WeakMap<object, string[]>();

/** Every option a layer class accepts: the `optionNames` of the class and of each class above it. */
function knownLayerOptions(cls: typeof Layer): string[] {
  let known = knownOptionsByClass.get(cls);
  if (!known) {
    known = [];
    for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      if (Object.prototype.hasOwnProperty.call(c, 'optionNames')) known.unshift(...(c as typeof Layer).optionNames);
    }
    knownOptionsByClass.set(cls, known);
  }
  return known;
}

/** Whether a class below Layer, from `cls` up, declares optionNames (a custom layer may not know it should). */
function declaresOptions(cls: typeof Layer): boolean {
  for (let c: unknown = cls; c !== Layer && typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, 'optionNames')) return true;
  }
  return false;
}

/** Refuses keys that no class from `cls` up to Layer lists; hints at optionNames where none is declared. */
function checkLayerOptions(cls: typeof Layer, args: unknown): void {
  try {
    optionsObject(cls.className, args, knownLayerOptions(cls), 'args');
  } catch (error) {
    if (error instanceof KeratorchError && !declaresOptions(cls)) {
      error.message += ` (a layer class lists the options it reads besides Layer's in static optionNames; ` +
        `${cls.className} lists none)`;
    }
    throw error;
  }
}

/** Arguments passed to `call` besides the inputs. */
export interface CallArgs {
  /** True during `fit` (dropout and batch normalization behave differently). */
  training?: boolean;
}

/** A layer applied to another layer's output, computed as one step (see `Layer.foldAfter`). */
export type FoldedCall = (input: Tensor, args: CallArgs) => Tensor;

const nameCounters = new Map<string, number>();

/** A fresh name such as `dense_1` for a class name such as `Dense`. */
export function uniqueLayerName(className: string): string {
  if (typeof className !== 'string' || className === '') fail('uniqueLayerName', 'a non-empty string', 'className', className);
  // Keras's to_snake_case: MaxPooling2D -> max_pooling2d, Conv2D -> conv2d.
  const base = className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const count = (nameCounters.get(base) ?? 0) + 1;
  nameCounters.set(base, count);
  return `${base}_${count}`;
}

let nextTensorId = 0;

/** A placeholder for a tensor in a model graph: its shape (null for the batch axis) and origin. */
export class SymbolicTensor {
  /** Unique id, used as a key when a model runs. */
  readonly id = nextTensorId++;

  constructor(
    /** Element type. */
    readonly dtype: DType,
    /** Shape with the batch axis (null when unknown). */
    readonly shape: Shape,
    /** The layer that produces it. */
    readonly sourceLayer: Layer,
    /** Which application (node) of that layer. */
    readonly nodeIndex: number,
    /** Which output of that node. */
    readonly tensorIndex: number,
  ) {}

  /** `layerName[nodeIndex][tensorIndex]`, as Keras's summary shows connections. */
  get name(): string {
    return `${this.sourceLayer.name}[${this.nodeIndex}][${this.tensorIndex}]`;
  }

  /** The number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** A short description such as `symbolic float32(None, 3, 3) from dense_1`. */
  describe(): string {
    return `symbolic ${this.dtype}${describeShape(this.shape)} from ${this.sourceLayer.name}`;
  }
}

/** One application of a layer to symbolic inputs. */
export class Node {
  constructor(
    /** The layer applied. */
    readonly layer: Layer,
    /** Its inputs (empty for an InputLayer). */
    readonly inputs: SymbolicTensor[],
    /** Its outputs. */
    readonly outputs: SymbolicTensor[],
    /** Extra call arguments recorded with the node. */
    readonly callArgs: CallArgs,
    /** Whether the inputs were given as a list (so `call` receives a list even for one). */
    readonly inputsAsList = false,
  ) {}
}

/** A weight owned by a layer. */
export interface LayerWeight {
  /** Full name, e.g. `dense_1/kernel`. */
  name: string;
  /** The values (a trainable K.variable, or a plain tensor when not trainable). */
  value: Tensor;
  /** Whether gradients update it. */
  trainable: boolean;
  /** Penalty added to the training loss. */
  regularizer?: Regularizer;
}

/** Options of {@link Layer.addWeight}. */
export interface AddWeightOptions {
  /** How to fill it (default glorotUniform). */
  initializer?: InitializerIdentifier;
  /** Updated by gradients (default true). */
  trainable?: boolean;
  /** A penalty on its values added to the loss. */
  regularizer?: RegularizerIdentifier;
  /** Element type (default the layer's dtype). */
  dtype?: DType;
}

/** The keys of {@link AddWeightOptions}. */
const ADD_WEIGHT_OPTIONS = ['initializer', 'trainable', 'regularizer', 'dtype'];

/** Inputs a layer can be applied to. */
export type LayerInput = SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[];

/**
 * What `apply` returns, as `T` (SymbolicTensor or Tensor), for a layer whose `call` returns `R`: one
 * when `call` always returns one Tensor (every built-in layer: Dense, Concatenate, ...), a list when
 * always a list (a model of several outputs), either when `call` may return both (the base `Layer`).
 */
export type Applied<R, T> = [R] extends [Tensor[]] ? T[] : [R] extends [Tensor] ? T : T | T[];

/**
 * The base of every layer. Subclasses implement `build` (make weights from the input shape),
 * `call` (compute on concrete tensors with `K`), `computeOutputShape` and `getConfig`, and set a
 * static `className` (used by save/load).
 */
export abstract class Layer {
  /** The class name written into saved configs. */
  static className = 'Layer';
  /**
   * The constructor options this class reads besides its parent's (see {@link ownOptionNames}). The
   * Layer constructor refuses any key that no class from this one up to Layer lists, naming the known
   * ones, so a misspelt option fails instead of being ignored. A custom layer that passes its own
   * options on to `super` lists them here.
   */
  static optionNames: readonly string[] = LAYER_ARGS;
  /** The layer's unique name. */
  name: string;
  /** Whether `fit` updates its weights. */
  trainable: boolean;
  /** The layer's dtype. */
  dtype: DType;
  /** True once `build` ran. */
  built = false;
  /** Shape with batch axis declared through `inputShape` / `batchInputShape`, if any. */
  batchInputShape?: Shape;
  /** Every application to symbolic tensors, in order. */
  readonly inboundNodes: Node[] = [];
  private readonly weightList: LayerWeight[] = [];

  constructor(args: LayerArgs = {}) {
    checkLayerOptions(this.constructor as typeof Layer, args);
    this.name = args.name ?? uniqueLayerName(this.className);
    if (typeof this.name !== 'string' || this.name.length === 0) {
      fail(this.className, 'a non-empty string', 'name', args.name);
    }
    for (const option of ['inputShape', 'batchInputShape'] as const) {
      const shape = args[option];
      if (shape !== undefined && shape !== null && !isShape(shape)) {
        fail(this.className, 'an array of non-negative integers or null', option, shape);
      }
    }
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    checkShapeArguments(this);
    if (args.batchInputShape) {
      this.batchInputShape = [...args.batchInputShape];
    } else if (args.inputShape) {
      this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    }
  }

  /** The class name (the static `className` of the instance's class). */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Makes the weights for inputs of `inputShape` (batch axis included, possibly null). */
  build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.built = true;
  }

  /** Computes the outputs from concrete inputs. */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /** The output shape(s) for inputs of `inputShape` (default: unchanged). */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /** The output dtype(s) for inputs of `inputDTypes` (default: the layer's dtype). */
  computeOutputDType(inputDTypes: DType[]): DType {
    void inputDTypes;
    return this.dtype;
  }

  /** The constructor options that rebuild this layer (without weights). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  /**
   * What `getConfig` cannot record, one phrase each naming the fix (a function with no registered
   * name): `save` refuses a model with any, so the failure comes when saving, not when loading.
   * Default none; a custom layer whose config holds such values overrides it.
   */
  unsavedParts(): string[] {
    return [];
  }

  /** Adds a weight; call from `build`. The tensor outlives any `tidy` scope it is made in. */
  addWeight(name: string, shape: number[], options: AddWeightOptions = {}): Tensor {
    const fn = 'addWeight';
    if (typeof name !== 'string' || name === '') fail(fn, 'a non-empty string', 'name', name);
    checkShape(fn, 'shape', shape);
    optionsObject(fn, options, ADD_WEIGHT_OPTIONS);
    const trainable = booleanOption(fn, 'options.trainable', options.trainable, true);
    const dtype = options.dtype === undefined ? this.dtype : checkDType(fn, options.dtype, 'options.dtype');
    const initializer = getInitializer(options.initializer ?? 'glorotUniform');
    const value = keep(tidy(() => {
      const initial = initializer.apply(shape, dtype);
      return trainable ? K.variable(initial, dtype, `${this.name}/${name}`) : K.constant(initial, dtype);
    }));
    value.name = `${this.name}/${name}`;
    const regularizer = options.regularizer === undefined || options.regularizer === null
      ? undefined : getRegularizer(options.regularizer);
    this.weightList.push({ name: `${this.name}/${name}`, value, trainable, regularizer });
    return value;
  }

  /** Every weight record, trainable first. */
  get weightRecords(): LayerWeight[] {
    return [...this.weightList.filter((w) => w.trainable), ...this.weightList.filter((w) => !w.trainable)];
  }

  /** All weights: trainable, then non-trainable. */
  get weights(): Tensor[] {
    return this.weightRecords.map((w) => w.value);
  }

  /** The weights `fit` updates (none when the layer is frozen). */
  get trainableWeights(): Tensor[] {
    return this.trainable ? this.weightList.filter((w) => w.trainable).map((w) => w.value) : [];
  }

  /** The weights `fit` leaves alone. */
  get nonTrainableWeights(): Tensor[] {
    return this.trainable ? this.weightList.filter((w) => !w.trainable).map((w) => w.value)
      : this.weightList.map((w) => w.value);
  }

  /** Copies of the weights' values as nested arrays, in `weights` order. */
  getWeights(): NestedArray[] {
    return this.weights.map((w) => w.array());
  }

  /** Overwrites the weights in `weights` order; shapes must match. */
  setWeights(values: (Tensor | TensorInput)[]): void {
    const weights = this.weights;
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw layerError(this, 'setWeights', `expected ${weights.length} weight values but received ` +
        `${Array.isArray(values) ? values.length : typeof values}`, 'ERR_ARGUMENT');
    }
    weights.forEach((w, i) => K.setValue(w, values[i]));
  }

  /** The number of weight values. */
  countParams(): number {
    return this.weights.reduce((total, w) => total + w.size, 0);
  }

  /** The sum of this layer's weight penalties, or null when it has none. */
  regularizationLoss(): Tensor | null {
    const terms = this.weightList.filter((w) => w.regularizer && w.trainable && this.trainable);
    if (terms.length === 0) return null;
    return tidy(() => terms.map((w) => (w.regularizer as Regularizer).apply(w.value)).reduce((a, b) => K.add(a, b)));
  }

  /** Moves every weight to `device` (`cpu`, `cuda`, `cuda:N`) in place; returns the layer. */
  to(device: Device): this {
    for (const w of this.weights) w.moveTo(device);
    return this;
  }

  /** Frees the weights' native memory. */
  dispose(): void {
    for (const w of this.weightList) w.value.dispose();
  }

  /**
   * Applies the layer: on symbolic tensors it records a node and returns symbolic outputs with
   * inferred shapes; on concrete tensors it computes. Applying one layer object several times
   * shares its weights. Typed by what `call` returns (see {@link Applied}): a layer whose `call`
   * returns `Tensor` gives one output, a list when it returns `Tensor[]`.
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): Applied<ReturnType<this['call']>, SymbolicTensor>;
  apply(inputs: Tensor | Tensor[], args?: CallArgs): Applied<ReturnType<this['call']>, Tensor>;
  apply(inputs: LayerInput, args?: CallArgs): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[];
  apply(inputs: LayerInput, args: CallArgs = {}): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] {
    const list: unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0) throw layerError(this, 'apply', 'expected at least one input but received none');
    if (list.every((x) => x instanceof SymbolicTensor)) {
      this.prepareSymbolicApply(list as SymbolicTensor[]);
      return this.applySymbolic(list as SymbolicTensor[], Array.isArray(inputs), args);
    }
    if (list.every((x) => x instanceof Tensor)) {
      const tensors = list as Tensor[];
      tensors.forEach((t, i) => t.assertLive(`${this.name}.apply`, `inputs[${i}]`));
      const shapes = tensors.map((t) => t.shape as Shape);
      this.ensureBuilt(Array.isArray(inputs) ? shapes : shapes[0]);
      return this.runCall(Array.isArray(inputs) ? tensors : tensors[0], args);
    }
    const kinds = list.map((x) => (x instanceof SymbolicTensor ? 'symbolic' : x instanceof Tensor ? 'Tensor'
      : typeof x)).join(', ');
    throw layerError(this, 'apply', `expected symbolic tensors (from Input) or Tensors, not a mix, but received ${kinds}`);
  }

  /** Called before a symbolic application computes its output shape (a function layer notes the dtypes). */
  protected prepareSymbolicApply(inputs: readonly SymbolicTensor[]): void {
    void inputs;
  }

  /** Runs `build` once, turning its failures into errors that name the layer. */
  protected ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    try {
      this.build(inputShape);
    } catch (error) {
      throw rethrow(this, 'build', error, inputShape);
    }
    this.built = true;
  }

  /**
   * This layer applied to `producer`'s output, computed in one step from `producer`'s input, or
   * null (the default) when that is not exact or not cheaper. A model uses it when `producer`'s
   * output feeds this layer alone (see `Model.foldLinearLayers`); both layers keep their weights.
   */
  foldAfter(producer: Layer): FoldedCall | null {
    void producer;
    return null;
  }

  /** @internal Runs a `foldAfter` result, naming this layer and the input shape in any error (the engine calls it). */
  runFolded(folded: FoldedCall, input: Tensor, args: CallArgs): Tensor {
    try {
      return folded(input, args);
    } catch (error) {
      throw rethrow(this, 'call', error, liveShape(input));
    }
  }

  /** @internal Calls `call`, naming the layer and input shapes in any error (the engine calls it). */
  runCall(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    try {
      return this.call(inputs, args);
    } catch (error) {
      const shapes = (Array.isArray(inputs) ? inputs : [inputs]).map(liveShape);
      throw rethrow(this, 'call', error, Array.isArray(inputs) ? shapes as Shape[] : shapes[0] as Shape);
    }
  }

  private applySymbolic(inputs: SymbolicTensor[], asList: boolean, args: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((x) => [...x.shape]);
    const inputShape = asList ? shapes : shapes[0];
    this.ensureBuilt(inputShape);
    let outputShape: Shape | Shape[];
    try {
      outputShape = this.computeOutputShape(inputShape);
    } catch (error) {
      throw rethrow(this, 'computeOutputShape', error, inputShape);
    }
    const dtype = this.computeOutputDType(inputs.map((x) => x.dtype));
    const multiple = Array.isArray(outputShape) && outputShape.length > 0 && Array.isArray(outputShape[0]);
    const outShapes = (multiple ? outputShape : [outputShape]) as Shape[];
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map((shape, i) => new SymbolicTensor(dtype, shape, this, nodeIndex, i));
    this.inboundNodes.push(new Node(this, inputs, outputs, { ...args }, asList));
    return multiple ? outputs : outputs[0];
  }

  private singleNode(what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw layerError(this, what, 'the layer has not been applied to a symbolic input yet');
    }
    if (this.inboundNodes.length > 1) {
      throw layerError(this, what, `the layer has been applied ${this.inboundNodes.length} times; ` +
        `use layer.inboundNodes[i].${what === 'output' ? 'outputs' : 'inputs'}`);
    }
    return this.inboundNodes[0];
  }

  /** The symbolic output of the layer's only application. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const outputs = this.singleNode('output').outputs;
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  /** The symbolic input of the layer's only application. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const inputs = this.singleNode('input').inputs;
    return inputs.length === 1 ? inputs[0] : inputs;
  }

  /** Output shape of the layer's only application. */
  get outputShape(): Shape | Shape[] {
    const outputs = this.singleNode('outputShape').outputs;
    return outputs.length === 1 ? outputs[0].shape : outputs.map((o) => o.shape);
  }
}

/**
 * Wraps the instance's `build` and `computeOutputShape` (the subclass's, found through the prototype
 * chain) so each checks and copies its shape argument first: both are public, every layer overrides
 * them, and a bad shape would otherwise fail as a TypeError somewhere inside each one.
 */
function checkShapeArguments(layer: Layer): void {
  for (const method of ['build', 'computeOutputShape'] as const) {
    const own = layer[method] as (inputShape: Shape | Shape[]) => unknown;
    Object.defineProperty(layer, method, {
      value: (inputShape: unknown) => own.call(layer, layerInputShape(layer, method, inputShape)),
      writable: true, configurable: true, enumerable: false,
    });
  }
}

/** A tensor's shape for an error message, or null when it is disposed or not a tensor. */
function liveShape(input: unknown): Shape | null {
  return input instanceof Tensor && !input.isDisposed ? input.shape as Shape : null;
}

function rethrow(layer: Layer, stage: string, error: unknown, inputShape: Shape | Shape[] | null): Error {
  // describe, not String: a thrown null-prototype object has no string form.
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : describe(error);
  if (message.startsWith(`layer "${layer.name}"`)) return error as Error;
  const shapes = inputShape === null ? ''
    : isShapeList(inputShape) ? ` (inputs ${inputShape.map((s) => (s ? describeShape(s) : 'disposed')).join(', ')})`
      : ` (input ${describeShape(inputShape)})`;
  const code = error instanceof KeratorchError ? error.code : 'ERR_ARGUMENT';
  const wrapped = new KeratorchError(`layer "${layer.name}" (${layer.className}) ${stage}${shapes}: ${message}`,
    code, error instanceof KeratorchError && error.op ? error.op : layer.name);
  if (error instanceof Error) wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${error.stack?.split('\n').slice(1).join('\n')}`;
  return wrapped;
}

/** Options of {@link Input}. */
export interface InputArgs {
  /** Shape of one sample, without the batch axis. */
  shape?: Shape;
  /** Shape with the batch axis. */
  batchShape?: Shape;
  /** Fixed batch size. */
  batchSize?: number;
  /** Element type (default float32). */
  dtype?: DType;
  /** Layer name (default input_N). */
  name?: string;
}

/** The layer behind `Input()`: it has no weights and passes its input through. */
export class InputLayer extends Layer {
  static className = 'InputLayer';
  static optionNames = ownOptionNames<LayerArgs, LayerArgs>()();

  constructor(args: LayerArgs) {
    super(args);
    if (!this.batchInputShape) {
      throw new KeratorchError('Input: expected shape or batchShape but received neither', 'ERR_ARGUMENT', 'Input');
    }
    this.built = true;
    const output = new SymbolicTensor(this.dtype, [...this.batchInputShape], this, 0, 0);
    this.inboundNodes.push(new Node(this, [], [output], {}));
  }

  call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
    return inputs;
  }
}

/** The keys of {@link InputArgs}. */
const INPUT_OPTIONS = ['shape', 'batchShape', 'batchSize', 'dtype', 'name'];

/** A symbolic model input: `Input({ shape: [3, 3] })` stands for tensors of shape (batch, 3, 3). */
export function Input(args: InputArgs): SymbolicTensor {
  const options = optionsObject<InputArgs>('Input', args, INPUT_OPTIONS, 'args');
  const given = options.batchShape ?? options.shape;
  if (!isShape(given)) {
    // describe, not JSON.stringify: NaN and Infinity must not read as null.
    fail('Input', 'an array of non-negative integers or null', options.batchShape !== undefined ? 'batchShape' : 'shape',
      given);
  }
  if (options.batchShape === undefined && options.batchSize !== undefined && options.batchSize !== null) {
    checkInt('Input', 'batchSize', options.batchSize, 0);
  }
  const shape = options.batchShape ?? [options.batchSize ?? null, ...given];
  const layer = new InputLayer({ batchInputShape: shape, dtype: options.dtype,
    name: options.name ?? uniqueLayerName('Input') });
  return layer.output as SymbolicTensor;
}
