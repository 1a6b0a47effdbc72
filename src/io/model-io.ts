/**
 * Saving and loading models: `model.save(dir)` writes `model.json` (architecture as a Keras-style
 * config, plus the training config) and `weights.safetensors`; `loadModel(dir)` rebuilds the
 * model. `saveWeights` / `loadWeights` move weights by layer name.
 */
import * as fs from 'fs';
import * as nodePath from 'path';
import { K, KeratorchError, tidy } from '../backend';
import { deserializeLayer, LayerConfig, Model, namedWeights, serializeLayer } from '../engine';
import { loadSafetensors, saveSafetensors } from './safetensors';

/** The file names inside a saved model's folder. */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';
const FORMAT = 'keratorch-model';
const FORMAT_VERSION = 1;

/** What `model.json` holds. */
export interface SavedModel {
  format: typeof FORMAT;
  formatVersion: number;
  modelConfig: LayerConfig;
  /** The `compile` options (optimizer, loss, metrics) in serializable form, or null. */
  trainingConfig: Record<string, unknown> | null;
  weightsFile: string;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Compile the model with the saved training config when there is one (default true). */
  compile?: boolean;
}

/** A model that knows its compile options (added by the training module). */
interface Compilable {
  compile?(config: Record<string, unknown>): void;
  getTrainingConfig?(): Record<string, unknown> | null;
}

function fail(fn: string, message: string, code: 'ERR_ARGUMENT' | 'ERR_VALUE' = 'ERR_VALUE'): never {
  throw new KeratorchError(`${fn}: ${message}`, code, fn);
}

function checkModel(fn: string, model: unknown): Model {
  if (!(model instanceof Model)) fail(fn, `expected a Model for model but received ${typeof model}`, 'ERR_ARGUMENT');
  return model;
}

function writeFileAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, path);
}

/** Writes the weights of `model` to a safetensors file, one entry per weight name. */
export function saveWeights(model: Model, path: string): void {
  const named = namedWeights(checkModel('saveWeights', model));
  saveSafetensors(path, Object.fromEntries(named), { format: 'keratorch', model: model.name });
}

/**
 * Loads weights saved by {@link saveWeights} (or `save`) into `model`, by name. Every name, shape
 * and dtype is checked before anything is assigned: a file that does not match leaves the model
 * as it was and throws an error listing the differences.
 */
export function loadWeights(model: Model, path: string): void {
  const fn = 'loadWeights';
  const expected = namedWeights(checkModel(fn, model));
  const { tensors } = loadSafetensors(path);
  try {
    const problems: string[] = [];
    for (const [name, weight] of expected) {
      const found = tensors[name];
      if (!found) {
        problems.push(`missing "${name}"`);
      } else if (found.dtype !== weight.dtype || found.shape.join(',') !== weight.shape.join(',')) {
        problems.push(`"${name}" is ${found.describe()} in the file but ${weight.describe()} in the model`);
      }
    }
    for (const name of Object.keys(tensors)) {
      if (!expected.has(name)) problems.push(`unexpected "${name}"`);
    }
    if (problems.length > 0) {
      fail(fn, `the weights in ${JSON.stringify(path)} do not match model "${model.name}": ${problems.slice(0, 8).join('; ')}` +
        (problems.length > 8 ? `; and ${problems.length - 8} more` : ''));
    }
    tidy(() => {
      for (const [name, weight] of expected) K.setValue(weight, tensors[name].to(weight.device));
    });
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/** Saves the architecture, training config and weights of `model` into folder `dir`. */
export function saveModel(model: Model, dir: string): void {
  const fn = 'save';
  checkModel(fn, model);
  if (typeof dir !== 'string' || dir === '') fail(fn, `expected a folder path for dir but received ${JSON.stringify(dir)}`, 'ERR_ARGUMENT');
  const saved: SavedModel = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    modelConfig: serializeLayer(model),
    trainingConfig: (model as unknown as Compilable).getTrainingConfig?.() ?? null,
    weightsFile: WEIGHTS_FILE,
  };
  const text = JSON.stringify(saved, null, 2);
  fs.mkdirSync(dir, { recursive: true });
  saveWeights(model, nodePath.join(dir, WEIGHTS_FILE));
  writeFileAtomically(nodePath.join(dir, MODEL_FILE), text + '\n');
}

/** Rebuilds a model saved by `model.save(dir)`: same architecture, same weights, compiled if it was. */
export function loadModel(dir: string, options: LoadModelOptions = {}): Model {
  const fn = 'loadModel';
  if (typeof dir !== 'string' || dir === '') fail(fn, `expected a folder path for dir but received ${JSON.stringify(dir)}`, 'ERR_ARGUMENT');
  const file = nodePath.join(dir, MODEL_FILE);
  let saved: SavedModel;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedModel;
  } catch (error) {
    fail(fn, `cannot read ${JSON.stringify(file)}: ${(error as Error).message}`, 'ERR_ARGUMENT');
  }
  if (saved?.format !== FORMAT || typeof saved.modelConfig !== 'object') {
    fail(fn, `${JSON.stringify(file)} is not a keratorch model (expected "format": "${FORMAT}")`);
  }
  if (saved.formatVersion > FORMAT_VERSION) {
    fail(fn, `${JSON.stringify(file)} has format version ${saved.formatVersion}; this keratorch reads up to ${FORMAT_VERSION}`);
  }
  const model = deserializeLayer(saved.modelConfig);
  if (!(model instanceof Model)) fail(fn, `${JSON.stringify(file)} holds a ${model.className}, not a model`);
  try {
    loadWeights(model, nodePath.join(dir, saved.weightsFile ?? WEIGHTS_FILE));
  } catch (error) {
    model.dispose();
    throw error;
  }
  const compilable = model as unknown as Compilable;
  if (saved.trainingConfig && options.compile !== false && typeof compilable.compile === 'function') {
    compilable.compile(saved.trainingConfig);
  }
  return model;
}

declare module '../engine/model' {
  interface Model {
    /** Saves architecture, training config and weights into folder `dir` (see {@link loadModel}). */
    save(dir: string): void;
    /** Writes the weights to a safetensors file, by layer name. */
    saveWeights(path: string): void;
    /** Loads weights by layer name; a mismatched file leaves the model unchanged and throws. */
    loadWeights(path: string): void;
  }
}

Object.assign(Model.prototype, {
  save(this: Model, dir: string) { saveModel(this, dir); },
  saveWeights(this: Model, path: string) { saveWeights(this, path); },
  loadWeights(this: Model, path: string) { loadWeights(this, path); },
});

