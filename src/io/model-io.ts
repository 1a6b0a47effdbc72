/**
 * Saving and loading models: `model.save(dir)` writes `model.json` (architecture as a Keras-style
 * config, plus the training config) and `weights.safetensors`; `loadModel(dir)` rebuilds the
 * model. `saveWeights` / `loadWeights` move weights by layer name.
 */
import * as nodePath from 'path';
import { K, KeratorchError, tidy } from '../backend';
import { booleanOption, fail as refuse, optionsObject } from '../backend/validate';
import { deserializeLayer, LayerConfig, Model, ModelOutputs, namedWeights, serializeLayer } from '../engine';
import { checkSavable } from '../engine/save_checks';
import { FolderFile, writeFolderAtomic } from './atomic';
import { readRegularFile } from './read_file';
import { encodeSafetensorsChunks, loadSafetensors, saveSafetensors } from './safetensors';

/** The file names inside a saved model's folder. */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';
const FORMAT = 'keratorch-model';
const FORMAT_VERSION = 1;
const SAVED_MODEL_FIELDS = ['format', 'formatVersion', 'modelConfig', 'trainingConfig', 'weightsFile'];
const LOAD_MODEL_OPTIONS = ['compile'];
const SAVE_MODEL_OPTIONS = ['allowUnregistered'];
/** A model.json is a few kilobytes a layer; this bound (the one safetensors puts on its JSON header)
 * keeps a wrong or hostile file from being read into memory whole. */
const MAX_MODEL_FILE_BYTES = 100_000_000;

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

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * Save even when a Lambda or merge function has no registered name (default false: `save` refuses,
   * naming the layer and the `registerFunction` call). It is saved as null, with a warning, and
   * loading then refuses that layer, naming it.
   */
  allowUnregistered?: boolean;
}

/** A model that knows its compile options (added by the training module). */
interface Compilable {
  compile?(config: Record<string, unknown>): void;
  getTrainingConfig?(): Record<string, unknown> | null;
}

function fail(fn: string, message: string, code: 'ERR_ARGUMENT' | 'ERR_VALUE' = 'ERR_VALUE'): never {
  throw new KeratorchError(`${fn}: ${message}`, code, fn);
}

function checkFilePath(fn: string, path: unknown): void {
  if (typeof path !== 'string' || path === '') refuse(fn, 'a file path', 'path', path);
}

function checkModel(fn: string, model: unknown): Model {
  if (!(model instanceof Model)) refuse(fn, 'a Model', 'model', model);
  return model;
}

function weightsMetadata(model: Model): Record<string, string> {
  return { format: 'keratorch', model: model.name };
}

/** Writes the weights of `model` to a safetensors file, one entry per weight name. */
export function saveWeights(model: Model, path: string): void {
  const named = namedWeights(checkModel('saveWeights', model));
  checkFilePath('saveWeights', path);
  saveSafetensors(path, Object.fromEntries(named), weightsMetadata(model));
}

/**
 * Loads weights saved by {@link saveWeights} (or `save`) into `model`, by name. Every name, shape
 * and dtype is checked before anything is assigned: a file that does not match leaves the model
 * as it was and throws an error listing the differences.
 */
export function loadWeights(model: Model, path: string): void {
  const fn = 'loadWeights';
  const expected = namedWeights(checkModel(fn, model));
  checkFilePath(fn, path);
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

/**
 * Saves the architecture, training config and weights of `model` into folder `dir`, all or nothing:
 * both files are written into a temporary folder beside `dir` that then replaces it (other files in
 * an existing `dir` are kept). The folder above `dir` must exist. A failure leaves `dir` as it was.
 */
export function saveModel(model: Model, dir: string, options?: SaveModelOptions): void {
  writeModelFolder(model, dir, [], options);
}

/**
 * {@link saveModel} with `extraFiles` in the same folder and the same swap (the CLI's training.json);
 * not exported from the package.
 */
export function writeModelFolder(model: Model, dir: string, extraFiles: readonly FolderFile[],
  options: SaveModelOptions = {}): void {
  const fn = 'save';
  checkModel(fn, model);
  if (typeof dir !== 'string' || dir === '') refuse(fn, 'a folder path', 'dir', dir);
  const checked = optionsObject<SaveModelOptions>(fn, options, SAVE_MODEL_OPTIONS);
  checkSavable(fn, model, booleanOption(fn, 'allowUnregistered', checked.allowUnregistered, false));
  const saved: SavedModel = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    modelConfig: serializeLayer(model),
    trainingConfig: (model as unknown as Compilable).getTrainingConfig?.() ?? null,
    weightsFile: WEIGHTS_FILE,
  };
  const text = JSON.stringify(saved, null, 2);
  const weights = encodeSafetensorsChunks(fn, Object.fromEntries(namedWeights(model)), weightsMetadata(model));
  writeFolderAtomic(fn, dir, [
    { name: WEIGHTS_FILE, chunks: weights },
    { name: MODEL_FILE, chunks: [Buffer.from(text + '\n', 'utf8')] },
    ...extraFiles,
  ]);
}

/** The object of a model.json, its fields checked (the layer configs are checked as they are rebuilt). */
function readSavedModel(fn: string, file: string): SavedModel {
  const text = readRegularFile(fn, file, MAX_MODEL_FILE_BYTES).toString('utf8');
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch (error) {
    fail(fn, `${JSON.stringify(file)} is not valid JSON (${(error as Error).message})`);
  }
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved) || (saved as SavedModel).format !== FORMAT) {
    fail(fn, `${JSON.stringify(file)} is not a keratorch model (expected "format": "${FORMAT}")`);
  }
  optionsObject(fn, saved, SAVED_MODEL_FIELDS, JSON.stringify(file));
  const { formatVersion, modelConfig, trainingConfig, weightsFile } = saved as Record<string, unknown>;
  const field = (name: string): string => `${name} in ${JSON.stringify(file)}`;
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion) || formatVersion < 1) {
    refuse(fn, 'an integer >= 1', field('formatVersion'), formatVersion, 'ERR_VALUE');
  }
  if (formatVersion > FORMAT_VERSION) {
    fail(fn, `${JSON.stringify(file)} has format version ${formatVersion}; this keratorch reads up to ${FORMAT_VERSION}`);
  }
  const isObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!isObject(modelConfig)) refuse(fn, 'a layer config { className, config }', field('modelConfig'), modelConfig, 'ERR_VALUE');
  if (trainingConfig !== undefined && trainingConfig !== null && !isObject(trainingConfig)) {
    refuse(fn, 'an object or null', field('trainingConfig'), trainingConfig, 'ERR_VALUE');
  }
  // A bare file name: the weights are read from inside the model's folder, never from elsewhere.
  if (weightsFile !== undefined && (typeof weightsFile !== 'string' || ['', '.', '..'].includes(weightsFile) ||
    /[/\\\0]/.test(weightsFile))) {
    refuse(fn, 'a file name inside the model folder (no slashes, not "." or "..")', field('weightsFile'), weightsFile, 'ERR_VALUE');
  }
  return saved as SavedModel;
}

/** Rebuilds a model saved by `model.save(dir)`: same architecture, same weights, compiled if it was. */
export function loadModel(dir: string, options: LoadModelOptions = {}): Model {
  const fn = 'loadModel';
  if (typeof dir !== 'string' || dir === '') refuse(fn, 'a folder path', 'dir', dir);
  const checked = optionsObject<LoadModelOptions>(fn, options, LOAD_MODEL_OPTIONS);
  const compile = booleanOption(fn, 'compile', checked.compile, true);
  const file = nodePath.join(dir, MODEL_FILE);
  const saved = readSavedModel(fn, file);
  const layer = deserializeLayer(saved.modelConfig, 'modelConfig');
  if (!(layer instanceof Model)) {
    layer.dispose();
    fail(fn, `${JSON.stringify(file)} holds a ${layer.className}, not a model`);
  }
  const model = layer;
  try {
    loadWeights(model, nodePath.join(dir, saved.weightsFile ?? WEIGHTS_FILE));
    const compilable = model as unknown as Compilable;
    if (saved.trainingConfig && compile && typeof compilable.compile === 'function') {
      compilable.compile(saved.trainingConfig);
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

declare module '../engine/model' {
  // The same type parameter as the class (declarations that merge must agree); these methods do not use it.
  interface Model<O extends ModelOutputs = ModelOutputs> {
    /**
     * Saves architecture, training config and weights into folder `dir` (see {@link loadModel});
     * refuses a model that could not load back (see {@link SaveModelOptions}).
     */
    save(dir: string, options?: SaveModelOptions): void;
    /** Writes the weights to a safetensors file, by layer name. */
    saveWeights(path: string): void;
    /** Loads weights by layer name; a mismatched file leaves the model unchanged and throws. */
    loadWeights(path: string): void;
  }
}

Object.assign(Model.prototype, {
  save(this: Model, dir: string, options?: SaveModelOptions) { saveModel(this, dir, options); },
  saveWeights(this: Model, path: string) { saveWeights(this, path); },
  loadWeights(this: Model, path: string) { loadWeights(this, path); },
});

