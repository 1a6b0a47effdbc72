/**
 * Models: the functional `Model` (a DAG of layer applications from symbolic inputs to outputs)
 * and `Sequential`. A model is itself a layer, so models nest. Training methods are added by
 * `training.ts`.
 */
import { DType, KeratorchError, Tensor, tidy } from '../backend';
import { describe, fail } from '../backend/validate';
import { CallArgs, FoldedCall, InputLayer, Layer, Node, SymbolicTensor, Input } from './topology';
import { booleanOption, optionsObject } from './options';
import { describeShape, isShapeList, layerError, Shape } from './shapes';
import { formatSummary } from './summary';

/** A model's symbolic outputs: one, or a list. */
export type ModelOutputs = SymbolicTensor | SymbolicTensor[];

/**
 * What running a model with outputs `O` gives: a Tensor for one output, a list for a list (either
 * when `O` may be both).
 */
export type ConcreteOutputs<O extends ModelOutputs> = O extends SymbolicTensor[] ? Tensor[] : Tensor;

/** Options of the functional {@link Model}. */
export interface ModelArgs<O extends ModelOutputs = ModelOutputs> {
  /** The symbolic input(s), made by `Input`. */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The symbolic output(s), made by applying layers; one makes `predict` and `apply` give one. */
  outputs: O;
  /** The model's name (default model_N). */
  name?: string;
}

/** The keys of {@link ModelArgs}. */
const MODEL_OPTIONS = ['inputs', 'outputs', 'name'];

function modelError(name: string, message: string, code: 'ERR_ARGUMENT' | 'ERR_SHAPE' = 'ERR_ARGUMENT'): KeratorchError {
  return new KeratorchError(`Model "${name}": ${message}`, code, name);
}

/**
 * A functional model: `new Model({ inputs, outputs })`. `O` is the type of `outputs`, so a model of
 * one output tensor predicts (and applies as a layer to) one Tensor, a model of a list a list.
 */
export class Model<O extends ModelOutputs = ModelOutputs> extends Layer {
  static className = 'Model';
  /** The symbolic inputs. */
  inputs: SymbolicTensor[] = [];
  /** The symbolic outputs. */
  outputs: SymbolicTensor[] = [];
  /** Every layer, inputs first, in the order the graph runs them. */
  layers: Layer[] = [];
  /** Node applications in execution order. */
  protected nodesInOrder: Node[] = [];
  /** Whether the model was made with a list of inputs (so `call` takes a list). */
  inputsAsList = false;
  /** Whether the model was made with a list of outputs (so results come back as a list). */
  outputsAsList = false;
  /**
   * Whether running the model computes a layer and the one layer reading its output as one step
   * when the consumer says that is exact and cheaper (`Layer.foldAfter`): a linear Conv2D followed
   * by a 1x1 Conv2D with fewer filters becomes one convolution with the product of their kernels.
   * Weights, gradients and saved files are unchanged. Default true; false runs every layer as written.
   */
  foldLinearLayers = true;
  /** Consumer node -> producer node, for producers whose single output only that consumer reads. */
  private foldablePairs = new Map<Node, Node>();

  constructor(args: ModelArgs<O> | { name?: string; inputs?: undefined }) {
    const options = optionsObject<ModelArgs<O>>('Model', args, MODEL_OPTIONS, 'args');
    super({ name: options.name });
    if (options.inputs !== undefined) this.initGraph(options.inputs, options.outputs as SymbolicTensor | SymbolicTensor[]);
  }

  /** Links inputs to outputs: finds the nodes between them, in execution order, and checks names. */
  protected initGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    this.inputsAsList = Array.isArray(inputs);
    this.outputsAsList = Array.isArray(outputs);
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    ins.forEach((x, i) => {
      if (!(x instanceof SymbolicTensor)) throw modelError(this.name, `expected symbolic tensors (from Input) for inputs but received ${typeof x} at ${i}`);
      if (!(x.sourceLayer instanceof InputLayer)) {
        throw modelError(this.name, `inputs[${i}] must come from Input(), but it is the output of layer "${x.sourceLayer.name}"`);
      }
    });
    outs.forEach((x, i) => {
      if (!(x instanceof SymbolicTensor)) throw modelError(this.name, `expected symbolic tensors for outputs but received ${typeof x} at ${i}`);
    });
    const inputIds = new Set(ins.map((x) => x.id));
    const order: Node[] = [];
    const state = new Map<Node, 'visiting' | 'done'>();
    const visit = (tensor: SymbolicTensor, path: string[]) => {
      const node = tensor.sourceLayer.inboundNodes[tensor.nodeIndex];
      if (inputIds.has(tensor.id)) {
        if (!state.has(node)) { state.set(node, 'done'); order.push(node); }
        return;
      }
      if (node.inputs.length === 0) {
        throw modelError(this.name, `graph disconnected: output ${outs.map((o) => o.name).join(', ')} depends on ` +
          `"${tensor.sourceLayer.name}" (via ${[...path].reverse().join(' <- ') || 'itself'}), which is not among the inputs ` +
          `(${ins.map((x) => x.sourceLayer.name).join(', ')})`);
      }
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') throw modelError(this.name, `the graph has a cycle through "${node.layer.name}"`);
      state.set(node, 'visiting');
      for (const input of node.inputs) visit(input, [...path, node.layer.name]);
      state.set(node, 'done');
      order.push(node);
    };
    outs.forEach((o) => visit(o, []));
    for (const x of ins) {
      const node = x.sourceLayer.inboundNodes[x.nodeIndex];
      if (!state.has(node)) { state.set(node, 'done'); order.unshift(node); }
    }
    const layers: Layer[] = [];
    const byName = new Map<string, Layer>();
    for (const node of order) {
      const existing = byName.get(node.layer.name);
      if (existing && existing !== node.layer) {
        throw modelError(this.name, `two different layers are named "${node.layer.name}"; layer names must be unique in a model`);
      }
      if (!existing) { byName.set(node.layer.name, node.layer); layers.push(node.layer); }
    }
    this.inputs = ins;
    this.outputs = outs;
    this.nodesInOrder = order;
    this.layers = layers;
    this.foldablePairs = foldablePairs(order, outs);
    this.built = true;
  }

  /** The layer called `name`, or at position `index` in `layers`. */
  getLayer(name: string): Layer;
  getLayer(name: undefined, index: number): Layer;
  getLayer(name?: string, index?: number): Layer {
    if (index !== undefined) {
      if (typeof index !== 'number' || !Number.isInteger(index)) {
        throw modelError(this.name, `getLayer: expected an integer for index but received ${describe(index)}`);
      }
      const layer = this.layers[index];
      if (!layer) throw modelError(this.name, `getLayer: no layer at index ${index} (the model has ${this.layers.length})`);
      return layer;
    }
    if (typeof name !== 'string') {
      throw modelError(this.name, `getLayer: expected a layer name (a string) or an index but received ${describe(name)}`);
    }
    const layer = this.layers.find((l) => l.name === name);
    if (!layer) {
      throw modelError(this.name, `getLayer: no layer named ${JSON.stringify(name)}; layers are ${this.layers.map((l) => l.name).join(', ')}`);
    }
    return layer;
  }

  /** Unique weights of all layers (shared layers once), trainable first. */
  get weights(): Tensor[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Tensor[] {
    if (!this.trainable) return [];
    return unique(this.layers.flatMap((l) => l.trainableWeights));
  }

  get nonTrainableWeights(): Tensor[] {
    const trainable = new Set(this.trainableWeights);
    return unique(this.layers.flatMap((l) => [...l.trainableWeights, ...l.nonTrainableWeights]))
      .filter((w) => !trainable.has(w));
  }

  countParams(): number {
    return this.weights.reduce((total, w) => total + w.size, 0);
  }

  regularizationLoss(): Tensor | null {
    const terms = this.layers.filter((l) => l !== this).map((l) => l.regularizationLoss()).filter((t): t is Tensor => t !== null);
    if (terms.length === 0) return null;
    return tidy(() => terms.reduce((a, b) => a.add(b)));
  }

  dispose(): void {
    for (const w of this.weights) w.dispose();
  }

  /** Runs the graph on concrete inputs (one per model input) and returns one tensor per output. */
  execute(inputs: Tensor[], args: CallArgs = {}): Tensor[] {
    if (!Array.isArray(inputs)) {
      throw modelError(this.name, `execute: expected an array of ${this.inputs.length} input tensor(s) but received ` +
        `${describe(inputs)}`);
    }
    booleanOption('execute', 'args.training', optionsObject<CallArgs>('execute', args, ['training'], 'args').training, false);
    if (inputs.length !== this.inputs.length) {
      throw modelError(this.name, `expected ${this.inputs.length} input tensor(s) but received ${inputs.length}`);
    }
    const values = new Map<number, Tensor>();
    this.inputs.forEach((x, i) => {
      checkInputShape(this, x, inputs[i], i);
      values.set(x.id, inputs[i]);
    });
    const batch = batchSizeOf(inputs);
    const folds = this.activeFolds();
    const folded = new Set([...folds.values()].map((f) => f.producer));
    for (const node of this.nodesInOrder) {
      if (node.layer instanceof InputLayer || folded.has(node)) continue;
      const args2 = { ...node.callArgs, ...args };
      const fold = folds.get(node);
      let result: Tensor | Tensor[];
      if (fold) {
        const input = values.get(fold.producer.inputs[0].id) as Tensor;
        result = node.layer.runFolded(fold.call, input, { ...fold.producer.callArgs, ...args2 });
      } else {
        const ins = node.inputs.map((x) => values.get(x.id) as Tensor);
        result = node.layer.runCall(node.inputsAsList ? ins : ins[0], args2);
      }
      const outs = checkOutputs(node, result, batch);
      node.outputs.forEach((o, i) => values.set(o.id, outs[i]));
    }
    return this.outputs.map((o) => values.get(o.id) as Tensor);
  }

  /** The folds to run now: asked of the layers on each run, since they depend on built weights and options. */
  private activeFolds(): Map<Node, { producer: Node; call: FoldedCall }> {
    const folds = new Map<Node, { producer: Node; call: FoldedCall }>();
    if (!this.foldLinearLayers) return folds;
    for (const [consumer, producer] of this.foldablePairs) {
      const call = consumer.layer.foldAfter(producer.layer);
      if (call) folds.set(consumer, { producer, call });
    }
    return folds;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): ConcreteOutputs<O> {
    const outputs = this.execute(Array.isArray(inputs) ? inputs : [inputs], args);
    // outputsAsList is true exactly when the outputs given (of type O) were a list.
    return (this.outputsAsList ? outputs : outputs[0]) as ConcreteOutputs<O>;
  }

  /** Shapes of the outputs for inputs of `inputShape`, inferred through every node. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = isShapeList(inputShape) && this.inputsAsList ? inputShape : [inputShape as Shape];
    if (shapes.length !== this.inputs.length) {
      throw modelError(this.name, `computeOutputShape: expected ${this.inputs.length} input shape(s) but received ` +
        `${shapes.length}`, 'ERR_SHAPE');
    }
    const known = new Map<number, Shape>();
    this.inputs.forEach((x, i) => known.set(x.id, shapes[i]));
    for (const node of this.nodesInOrder) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((x) => known.get(x.id) as Shape);
      const out = node.layer.computeOutputShape(node.inputsAsList ? ins : ins[0]);
      const outs = isShapeList(out) ? out : [out];
      node.outputs.forEach((o, i) => known.set(o.id, outs[i]));
    }
    const outputs = this.outputs.map((o) => known.get(o.id) as Shape);
    return this.outputsAsList ? outputs : outputs[0];
  }

  computeOutputDType(): DType {
    return this.outputs[0]?.dtype ?? 'float32';
  }

  /** Prints (or passes to `printFn`) Keras's table of layers, output shapes, params and connections. */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
    if (typeof printFn !== 'function') fail('summary', 'a function', 'printFn', printFn);
    if (this.inputs.length === 0) {
      // As Keras: a table of no layers and 0 params would read as an empty model.
      throw new KeratorchError(`summary: model "${this.name}" has not yet been built, so its layers' shapes and ` +
        'weights are not known: give its first layer an inputShape, call model.build(batchInputShape), or run it on ' +
        'a batch of data (fit, predict) first', 'ERR_ARGUMENT', 'summary');
    }
    formatSummary(this, lineLength, positions).split('\n').forEach((line) => printFn(line));
  }

  /** The nodes this model runs, in order (for summaries and saving). */
  get nodes(): readonly Node[] {
    return this.nodesInOrder;
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }
}

/**
 * Pairs (consumer, producer) of single-input, single-output nodes where the producer's output is
 * read by the consumer alone and is not a model output, so computing both as one step loses nothing.
 */
function foldablePairs(order: Node[], outputs: SymbolicTensor[]): Map<Node, Node> {
  const readers = new Map<number, number>();
  for (const node of order) for (const x of node.inputs) readers.set(x.id, (readers.get(x.id) ?? 0) + 1);
  const outputIds = new Set(outputs.map((o) => o.id));
  const inGraph = new Set(order);
  const single = (node: Node) => !(node.layer instanceof InputLayer) && !node.inputsAsList && node.inputs.length === 1 &&
    node.outputs.length === 1;
  const pairs = new Map<Node, Node>();
  for (const consumer of order) {
    if (!single(consumer)) continue;
    const x = consumer.inputs[0];
    const producer = x.sourceLayer.inboundNodes[x.nodeIndex];
    if (!inGraph.has(producer) || !single(producer) || producer.layer === consumer.layer) continue;
    if (readers.get(x.id) !== 1 || outputIds.has(x.id)) continue;
    // A producer already folded into its own producer keeps running alone (one fold per chain link).
    if (pairs.has(producer)) continue;
    pairs.set(consumer, producer);
  }
  return pairs;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function checkInputShape(model: Model, expected: SymbolicTensor, actual: Tensor, index: number): void {
  if (!(actual instanceof Tensor)) {
    throw modelError(model.name, `expected a Tensor for input ${index} ("${expected.sourceLayer.name}") but received ${typeof actual}`);
  }
  actual.assertLive(`${model.name}`, `inputs[${index}]`);
  const shape = actual.shapeRef;
  const want = expected.shape;
  if (shape.length !== want.length || want.some((d, i) => d !== null && d !== shape[i])) {
    throw modelError(model.name, `input ${index} ("${expected.sourceLayer.name}") expects shape ${describeShape(want)} ` +
      `but received ${describeShape([...shape])}`, 'ERR_SHAPE');
  }
}

/** The batch size shared by every input's first axis, or null when there is none (scalars, or sizes that differ). */
function batchSizeOf(inputs: Tensor[]): number | null {
  const sizes = new Set(inputs.map((x) => (x.shapeRef.length > 0 ? x.shapeRef[0] : null)));
  return sizes.size === 1 ? [...sizes][0] : null;
}

/**
 * What a layer returned, checked against the shapes inferred when the graph was built: a layer whose
 * call disagrees with its computeOutputShape (a Lambda that changes the batch size, say) would
 * otherwise hand later layers, and the caller, tensors of shapes the model never declared. A
 * batch axis left unknown (null) must have the inputs' batch size; every known size must match.
 */
function checkOutputs(node: Node, result: Tensor | Tensor[], batch: number | null): Tensor[] {
  const outs = Array.isArray(result) ? result : [result];
  const declared = node.outputs;
  const describeDeclared = () => declared.map((o) => describeShape(o.shape)).join(', ');
  if (outs.length !== declared.length || outs.some((t) => !(t instanceof Tensor))) {
    throw layerError(node.layer, 'call', `expected ${declared.length} output Tensor(s) of shape ${describeDeclared()} ` +
      `(its inferred output) but received ${outs.map((t) => (t instanceof Tensor ? t.describe() : typeof t)).join(', ')}`);
  }
  outs.forEach((t, i) => {
    const want = declared[i].shape;
    const got = t.shapeRef;
    const fits = got.length === want.length && want.every((d, axis) =>
      (d === null ? axis !== 0 || batch === null || got[0] === batch : d === got[axis]));
    if (!fits) {
      const expected = want[0] === null && batch !== null ? describeShape([batch, ...want.slice(1)]) : describeShape(want);
      throw layerError(node.layer, 'call', `expected an output of shape ${expected} (its inferred output ` +
        `${describeShape(want)}${want[0] === null && batch !== null ? ` for a batch of ${batch}` : ''}) but received ` +
        `${describeShape([...got])}${declared.length > 1 ? ` for output ${i}` : ''}`);
    }
  });
  return outs;
}

/** A linear stack of layers: `new Sequential([layer, ...])` or `add(layer)` one at a time. */
export class Sequential extends Model<SymbolicTensor> {
  static className = 'Sequential';
  private pending: Layer[] = [];

  constructor(layers: Layer[] = [], args: { name?: string } = {}) {
    super({ name: optionsObject<{ name: string }>('Sequential', args, ['name'], 'args').name });
    if (!Array.isArray(layers)) fail('Sequential', 'an array of layers', 'layers', layers);
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer; the graph is (re)built once the first layer's input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw modelError(this.name, `add: expected a Layer but received ${typeof layer}`);
    }
    this.pending.push(layer);
    const first = this.pending[0];
    if (first.batchInputShape) this.buildGraph(first.batchInputShape);
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.pending.length === 0) throw modelError(this.name, 'pop: the model has no layers');
    this.pending.pop();
    if (this.pending.length > 0 && this.pending[0].batchInputShape) this.buildGraph(this.pending[0].batchInputShape);
  }

  /** Builds the graph for inputs of `batchInputShape` (called on first use when no layer declared it). */
  buildGraph(batchInputShape: Shape): void {
    if (this.pending.length === 0) throw modelError(this.name, 'the model has no layers');
    const first = this.pending[0];
    const input = first instanceof InputLayer ? (first.output as SymbolicTensor)
      : Input({ batchShape: batchInputShape, dtype: first.dtype, name: this.inputs[0]?.sourceLayer.name });
    let x = input;
    for (const layer of this.pending) {
      if (layer instanceof InputLayer) continue;
      const out = layer.apply(x);
      if (Array.isArray(out)) throw layerError(layer, 'in Sequential', 'layers of a Sequential model must have one output', 'ERR_ARGUMENT');
      x = out;
    }
    this.initGraph(input, x);
  }

  /** Builds the graph from the first batch's shape if no layer declared an input shape. */
  ensureGraph(sample: Tensor): void {
    if (this.inputs.length === 0) this.buildGraph([null, ...sample.shapeRef.slice(1)]);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    this.ensureGraph(Array.isArray(inputs) ? inputs[0] : inputs);
    return super.call(inputs, args);
  }

  build(inputShape: Shape | Shape[]): void {
    // The batch axis stays unknown: a first concrete batch must not fix the model's batch size.
    if (this.inputs.length === 0 && !isShapeList(inputShape)) this.buildGraph([null, ...inputShape.slice(1)]);
    this.built = true;
  }

  /** The layers, without the implicit input layer. */
  get stack(): Layer[] {
    return this.pending.filter((l) => !(l instanceof InputLayer));
  }
}
