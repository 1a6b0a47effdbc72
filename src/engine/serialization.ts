/**
 * Model architecture as a Keras-style config (`{ className, config }`), and back. Layer classes are
 * found by `className` in the registry (src/io/registry), where every built-in layer registers.
 */
import { KeratorchError } from '../backend';
import { checkDType, fail } from '../backend/validate';
import { getRegisteredClass, registerClass } from '../io/registry';
import { InputLayer, Layer, Node, SymbolicTensor } from './topology';
import { Model, Sequential } from './model';
import { optionsObject } from './options';

/** A serialized layer or model. */
export interface LayerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** One inbound tensor of a node: [layer name, node index within the model, tensor index, call kwargs]. */
type InboundEntry = [string, number, number, Record<string, unknown>];

interface FunctionalLayerEntry extends LayerConfig {
  name: string;
  inboundNodes: InboundEntry[][];
}

/** A class that can rebuild a layer from its config. */
type LayerClass = { fromConfig?: (config: Record<string, unknown>) => Layer; new (config: Record<string, unknown>): Layer };

/** Serializes any layer; models include their whole graph. */
export function serializeLayer(layer: Layer): LayerConfig {
  if (!(layer instanceof Layer)) fail('serializeLayer', 'a Layer', 'layer', layer);
  if (layer instanceof Sequential) {
    return { className: 'Sequential', config: { name: layer.name, layers: layer.stack.map(serializeLayer) } };
  }
  if (layer instanceof Model) return { className: 'Model', config: functionalConfig(layer) };
  return { className: layer.className, config: layer.getConfig() };
}

function functionalConfig(model: Model): Record<string, unknown> {
  // Node indices are counted among this model's nodes of each layer, so a layer shared with other
  // models still gets consecutive indices here.
  const relative = new Map<Node, number>();
  const perLayer = new Map<Layer, number>();
  for (const node of model.nodes) {
    const index = perLayer.get(node.layer) ?? 0;
    relative.set(node, index);
    perLayer.set(node.layer, index + 1);
  }
  const ref = (x: SymbolicTensor): [string, number, number] => {
    const node = x.sourceLayer.inboundNodes[x.nodeIndex];
    return [x.sourceLayer.name, relative.get(node) as number, x.tensorIndex];
  };
  const layers: FunctionalLayerEntry[] = model.layers.map((layer) => {
    const nodes = model.nodes.filter((n) => n.layer === layer && !(layer instanceof InputLayer));
    return {
      ...serializeLayer(layer),
      name: layer.name,
      inboundNodes: nodes.map((node) => node.inputs.map((x) => {
        const kwargs: Record<string, unknown> = { ...node.callArgs };
        if (node.inputsAsList) kwargs.inputsAsList = true;
        return [...ref(x), kwargs] as InboundEntry;
      })),
    };
  });
  return {
    name: model.name,
    trainable: model.trainable,
    layers,
    inputLayers: model.inputs.map(ref),
    outputLayers: model.outputs.map(ref),
    inputsAsList: model.inputsAsList,
    outputsAsList: model.outputsAsList,
  };
}

function configError(message: string): KeratorchError {
  return new KeratorchError(`loadModel: ${message}`, 'ERR_VALUE', 'loadModel');
}

/**
 * How deeply models may nest in a config. Rebuilding recurses a few frames a level, so a crafted
 * config of thousands of nested models would exhaust the stack; real models nest a few levels.
 */
const MAX_NESTING = 64;

const LAYER_ENTRY_KEYS = ['className', 'config'];
const FUNCTIONAL_ENTRY_KEYS = ['className', 'config', 'name', 'inboundNodes'];
const SEQUENTIAL_KEYS = ['name', 'layers'];
const FUNCTIONAL_KEYS = ['name', 'trainable', 'layers', 'inputLayers', 'outputLayers', 'inputsAsList', 'outputsAsList'];

function invalid(expected: string, field: string, received: unknown): never {
  fail('loadModel', expected, field, received, 'ERR_VALUE');
}

function checkObject(value: unknown, field: string, expected = 'an object'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(expected, field, value);
  return value as Record<string, unknown>;
}

function checkArray(value: unknown, field: string, expected = 'an array'): unknown[] {
  if (!Array.isArray(value)) invalid(expected, field, value);
  return value;
}

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') invalid('a non-empty string', field, value);
  return value;
}

function checkFlag(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') invalid('a boolean', field, value);
  return value;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The fields every layer's config may have (see Layer.getConfig), checked before the layer is made. */
function checkBaseConfig(config: Record<string, unknown>, field: string): void {
  if (config.name !== undefined) checkName(config.name, `${field}.name`);
  checkFlag(config.trainable, `${field}.trainable`);
  if (config.dtype !== undefined) checkDType('loadModel', config.dtype, `${field}.dtype`);
  const shape = config.batchInputShape;
  if (shape !== undefined && !(Array.isArray(shape) && shape.every((d) => d === null || isIndex(d)))) {
    invalid('an array of non-negative integers or null', `${field}.batchInputShape`, shape);
  }
}

/** A reference to a layer's output: [layer name, node index, tensor index], and for inbound tensors, kwargs. */
function checkReference(value: unknown, field: string, withKwargs: boolean): InboundEntry {
  const expected = withKwargs ? '[layer name, node index, tensor index, kwargs]' : '[layer name, node index, tensor index]';
  const entry = checkArray(value, field, expected);
  const [name, nodeIndex, tensorIndex, kwargs] = entry;
  if (entry.length < 3 || entry.length > (withKwargs ? 4 : 3) || typeof name !== 'string' || !isIndex(nodeIndex) ||
    !isIndex(tensorIndex)) {
    invalid(expected, field, value);
  }
  const checked = kwargs === undefined ? {} : checkObject(kwargs, `${field}[3]`, 'an object of call arguments');
  return [name, nodeIndex, tensorIndex, checked];
}

/** Rebuilds a layer or model from {@link serializeLayer}'s output; `field` names it in errors. */
export function deserializeLayer(entry: LayerConfig, field = 'config'): Layer {
  return rebuild(entry, field, 0, LAYER_ENTRY_KEYS);
}

function rebuild(entry: unknown, field: string, depth: number, entryKeys: readonly string[]): Layer {
  if (depth > MAX_NESTING) throw configError(`models nest more than ${MAX_NESTING} levels deep (at ${field})`);
  const checked = checkObject(entry, field, 'a layer config { className, config }');
  optionsObject('loadModel', checked, entryKeys, field);
  const className = checkName(checked.className, `${field}.className`);
  const config = checked.config === undefined ? {} : checkObject(checked.config, `${field}.config`);
  checkBaseConfig(config, `${field}.config`);
  if (className === 'Sequential') {
    optionsObject('loadModel', config, SEQUENTIAL_KEYS, `${field}.config`);
    const entries = config.layers === undefined ? [] : checkArray(config.layers, `${field}.config.layers`);
    const layers: Layer[] = [];
    try {
      entries.forEach((e, i) => layers.push(rebuild(e, `${field}.config.layers[${i}]`, depth + 1, LAYER_ENTRY_KEYS)));
      return new Sequential(layers, { name: config.name as string | undefined });
    } catch (error) {
      for (const layer of layers) layer.dispose();
      throw error;
    }
  }
  if (className === 'Model') return functionalFromConfig(config, `${field}.config`, depth);
  const cls = getRegisteredClass(className, `layer ${JSON.stringify(config.name ?? className)}`) as unknown as LayerClass;
  return typeof cls.fromConfig === 'function' ? cls.fromConfig(config) : new cls(config);
}

/** One node of a functional config, waiting to be applied. */
interface PendingNode {
  name: string;
  layer: Layer;
  /** Which application of the layer this is (its nodes are applied in order). */
  index: number;
  inbound: InboundEntry[];
  field: string;
}

function functionalFromConfig(config: Record<string, unknown>, field: string, depth: number): Model {
  optionsObject('loadModel', config, FUNCTIONAL_KEYS, field);
  const entries = checkArray(config.layers, `${field}.layers`, 'a list of layer entries');
  const inputsAsList = checkFlag(config.inputsAsList, `${field}.inputsAsList`);
  const outputsAsList = checkFlag(config.outputsAsList, `${field}.outputsAsList`);
  const trainable = checkFlag(config.trainable, `${field}.trainable`);
  const name = config.name === undefined ? undefined : checkName(config.name, `${field}.name`);
  const inputRefs = checkArray(config.inputLayers, `${field}.inputLayers`)
    .map((r, i) => checkReference(r, `${field}.inputLayers[${i}]`, false));
  const outputRefs = checkArray(config.outputLayers, `${field}.outputLayers`)
    .map((r, i) => checkReference(r, `${field}.outputLayers[${i}]`, false));
  const layers = new Map<string, Layer>();
  try {
    // What each layer's applications produced so far, by node index.
    const produced = new Map<string, (SymbolicTensor | SymbolicTensor[])[]>();
    const queue: PendingNode[] = [];
    entries.forEach((raw, i) => {
      const where = `${field}.layers[${i}]`;
      const entry = checkObject(raw, where, 'a layer entry { className, config, name, inboundNodes }');
      const layerName = checkName(entry.name, `${where}.name`);
      if (layers.has(layerName)) throw configError(`${where}.name: the layer name "${layerName}" appears twice`);
      const nodes = checkArray(entry.inboundNodes, `${where}.inboundNodes`, 'a list of nodes').map((node, n) => {
        const tensors = checkArray(node, `${where}.inboundNodes[${n}]`, 'a list of inbound tensors');
        if (tensors.length === 0) invalid('a list of inbound tensors', `${where}.inboundNodes[${n}]`, node);
        return tensors.map((t, k) => checkReference(t, `${where}.inboundNodes[${n}][${k}]`, true));
      });
      let layer: Layer;
      if (entry.className === 'InputLayer') {
        optionsObject('loadModel', entry, FUNCTIONAL_ENTRY_KEYS, where);
        const inputConfig = entry.config === undefined ? {} : checkObject(entry.config, `${where}.config`);
        checkBaseConfig(inputConfig, `${where}.config`);
        if (nodes.length > 0) invalid('no inbound nodes (an InputLayer has none)', `${where}.inboundNodes`, entry.inboundNodes);
        layer = new InputLayer({ ...inputConfig, name: layerName });
      } else {
        layer = rebuild(entry, where, depth + 1, FUNCTIONAL_ENTRY_KEYS);
      }
      layer.name = layerName;
      layers.set(layerName, layer);
      produced.set(layerName, layer instanceof InputLayer ? [layer.output] : []);
      nodes.forEach((inbound, index) => queue.push({ name: layerName, layer, index, inbound, field: `${where}.inboundNodes[${index}]` }));
    });

    const tensorOf = ([layerName, nodeIndex, tensorIndex]: InboundEntry, where: string): SymbolicTensor => {
      const out = (produced.get(layerName) as (SymbolicTensor | SymbolicTensor[])[])[nodeIndex];
      const tensor = Array.isArray(out) ? out[tensorIndex] : tensorIndex === 0 ? out : undefined;
      if (tensor === undefined) {
        throw configError(`${where} refers to output ${tensorIndex} of node ${nodeIndex} of layer "${layerName}", which ` +
          `has ${out === undefined ? 'no such node' : `${Array.isArray(out) ? out.length : 1} output(s)`}`);
      }
      return tensor;
    };
    // The first thing `node` needs that does not exist yet (an earlier node of its layer, or an input), as a key.
    const blocker = (node: PendingNode): string | undefined => {
      if ((produced.get(node.name) as unknown[]).length < node.index) return `${node.name}\0${node.index - 1}`;
      for (const [layerName, nodeIndex] of node.inbound) {
        const out = produced.get(layerName);
        if (out === undefined) throw configError(`${node.field} refers to unknown layer "${layerName}"`);
        if (out.length <= nodeIndex) return `${layerName}\0${nodeIndex}`;
      }
      return undefined;
    };
    // Nodes are applied in file order (a saved file lists them in an order that works); one whose
    // inputs come later waits for exactly the output it lacks, so any order costs linear time.
    const waiting = new Map<string, PendingNode[]>();
    for (let next = 0; next < queue.length; next++) {
      const node = queue[next];
      const missing = blocker(node);
      if (missing !== undefined) {
        waiting.set(missing, [...(waiting.get(missing) ?? []), node]);
        continue;
      }
      const inputs = node.inbound.map((ref, k) => tensorOf(ref, `${node.field}[${k}]`));
      const { inputsAsList: nodeAsList, ...callArgs } = node.inbound[0][3];
      const asList = inputs.length > 1 || Boolean(nodeAsList);
      const outputs = produced.get(node.name) as unknown[];
      outputs.push(node.layer.apply((asList ? inputs : inputs[0]) as SymbolicTensor, callArgs));
      const key = `${node.name}\0${outputs.length - 1}`;
      const woken = waiting.get(key);
      if (woken) {
        waiting.delete(key);
        queue.push(...woken);
      }
    }
    const stuck = [...waiting.values()].flat();
    if (stuck.length > 0) {
      throw configError(`could not connect layers ${[...new Set(stuck.map((n) => n.name))].join(', ')}: their inputs never appear`);
    }
    const refTensor = (ref: InboundEntry, where: string): SymbolicTensor => {
      if (!produced.has(ref[0])) throw configError(`${where} refers to unknown layer "${ref[0]}"`);
      return tensorOf(ref, where);
    };
    const inputs = inputRefs.map((r, i) => refTensor(r, `${field}.inputLayers[${i}]`));
    const outputs = outputRefs.map((r, i) => refTensor(r, `${field}.outputLayers[${i}]`));
    const model = new Model({
      inputs: inputsAsList ? inputs : inputs[0],
      outputs: outputsAsList ? outputs : outputs[0],
      name,
    });
    // A frozen nested model stays frozen.
    if (trainable === false) model.trainable = false;
    return model;
  } catch (error) {
    for (const layer of layers.values()) layer.dispose();
    throw error;
  }
}

registerClass(InputLayer);
