/**
 * Model architecture as a Keras-style config (`{ className, config }`), and back. Layer classes are
 * found by `className` in the registry (src/io/registry), where every built-in layer registers.
 */
import { KeratorchError } from '../backend';
import { getRegisteredClass, registerClass } from '../io/registry';
import { InputLayer, Layer, Node, SymbolicTensor } from './topology';
import { Model, Sequential } from './model';

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

/** Rebuilds a layer or model from {@link serializeLayer}'s output. */
export function deserializeLayer(entry: LayerConfig): Layer {
  if (!entry || typeof entry !== 'object' || typeof entry.className !== 'string') {
    throw configError(`expected a layer config { className, config } but received ${JSON.stringify(entry)?.slice(0, 80)}`);
  }
  const config = entry.config ?? {};
  if (entry.className === 'Sequential') {
    const layers = (config.layers as LayerConfig[] | undefined) ?? [];
    return new Sequential(layers.map(deserializeLayer), { name: config.name as string });
  }
  if (entry.className === 'Model') return functionalFromConfig(config);
  const cls = getRegisteredClass(entry.className, `layer ${JSON.stringify(config.name ?? entry.className)}`) as unknown as LayerClass;
  return typeof cls.fromConfig === 'function' ? cls.fromConfig(config) : new cls(config);
}

function functionalFromConfig(config: Record<string, unknown>): Model {
  const entries = config.layers as FunctionalLayerEntry[] | undefined;
  if (!Array.isArray(entries)) throw configError('a Model config needs a "layers" list');
  const layers = new Map<string, Layer>();
  const outputsOf = new Map<string, (SymbolicTensor | SymbolicTensor[])[]>();
  for (const entry of entries) {
    const layer = entry.className === 'InputLayer'
      ? new InputLayer({ ...(entry.config as object), name: entry.name })
      : deserializeLayer(entry);
    layer.name = entry.name;
    layers.set(entry.name, layer);
    outputsOf.set(entry.name, layer instanceof InputLayer ? [layer.output] : []);
  }
  const lookup = ([name, nodeIndex, tensorIndex]: InboundEntry | [string, number, number]): SymbolicTensor | undefined => {
    const produced = outputsOf.get(name);
    if (!produced) throw configError(`a node refers to unknown layer "${name}"`);
    const out = produced[nodeIndex];
    if (out === undefined) return undefined;
    return Array.isArray(out) ? out[tensorIndex] : out;
  };
  // Apply nodes as soon as their inputs exist; a node whose inputs come later waits a round.
  const pending = entries.flatMap((entry) => entry.inboundNodes.map((node, i) => ({ entry, node, i })));
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (let k = 0; k < pending.length; k++) {
      const { entry, node, i } = pending[k];
      const done = outputsOf.get(entry.name) as unknown[];
      if (done.length !== i) continue;
      const inputs = node.map(lookup);
      if (inputs.some((x) => x === undefined)) continue;
      const { inputsAsList, ...callArgs } = node[0]?.[3] ?? {};
      const layer = layers.get(entry.name) as Layer;
      const asList = inputs.length > 1 || Boolean(inputsAsList);
      const out = layer.apply((asList ? inputs : inputs[0]) as SymbolicTensor, callArgs);
      (outputsOf.get(entry.name) as unknown[]).push(out);
      pending.splice(k, 1);
      k--;
      progress = true;
    }
  }
  if (pending.length > 0) {
    throw configError(`could not connect layers ${pending.map((p) => p.entry.name).join(', ')}: their inputs never appear`);
  }
  const refs = (key: string) => ((config[key] as [string, number, number][]) ?? []).map((r) => {
    const x = lookup(r);
    if (!x) throw configError(`${key} refers to a missing tensor ${JSON.stringify(r)}`);
    return x;
  });
  const inputs = refs('inputLayers');
  const outputs = refs('outputLayers');
  return new Model({
    inputs: config.inputsAsList ? inputs : inputs[0],
    outputs: config.outputsAsList ? outputs : outputs[0],
    name: config.name as string,
  });
}

registerClass(InputLayer);
