/**
 * Training a VIN on a gridworld dataset with the Keras-style API: buildVin, compile with RMSprop
 * (the paper's code's optimizer), fit on (image, state) -> expert action.
 */
import { Device, KeratorchError, setSeed, Tensor, tensor } from '../backend';
import { Input, Model, SymbolicTensor } from '../engine';
import { optionsObject } from '../engine/options';
import type { History } from '../engine/callbacks';
import type { CallbackLike } from '../engine/callbacks';
import { RMSprop } from '../optimizers';
import { checkDataset, GridworldDataset } from './data/dataset';
import { buildVin, defaultK } from './model/build';
import { encodeImages } from './planning';

/** Options of {@link trainVin}. */
export interface TrainVinOptions {
  /** Value-iteration steps (default the paper's for the grid size). */
  k?: number;
  /** Passes over the training data (default 30). */
  epochs?: number;
  /** Samples per update (default 128). */
  batchSize?: number;
  /** RMSprop learning rate (default 0.002). */
  learningRate?: number;
  /** Seed for weights and shuffling (default 0). */
  seed?: number;
  /** Held-out data evaluated after each epoch. */
  validation?: GridworldDataset;
  /** 0 silent, 1 progress bar, 2 one line an epoch (default 1). */
  verbose?: number;
  /** Extra callbacks. */
  callbacks?: CallbackLike[];
  /** A weights file (`weights.safetensors` of a saved VIN of the same size) to start from. */
  initialWeights?: string;
  /** Where to train: `cpu` (default), `cuda` or `cuda:N`. The returned model is moved back to the CPU. */
  device?: Device;
}

/** The keys of {@link TrainVinOptions}. */
const TRAIN_VIN_OPTIONS = ['k', 'epochs', 'batchSize', 'learningRate', 'seed', 'validation', 'verbose', 'callbacks',
  'initialWeights', 'device'];

/** The model, its History, and the wall time of `fit`. */
export interface TrainVinResult {
  model: Model;
  history: History;
  seconds: number;
}

/** The labelled states of `ds` as VIN inputs [images, states] and targets (expert actions). */
export function vinArrays(ds: GridworldDataset, device: Device = 'cpu'): { x: [Tensor, Tensor]; y: Tensor } {
  const count = ds.sampleLabel.length;
  if (count === 0) {
    throw new KeratorchError('trainVin: the dataset has no labelled states', 'ERR_VALUE', 'trainVin');
  }
  const [images, states, labels] = [encodeImages(ds.obstacles, ds.goals, ds.sampleDomain, ds.gridSize),
    tensor(Int32Array.from(ds.sampleState), [count, 2], 'int32'), tensor(Int32Array.from(ds.sampleLabel), [count], 'int32')];
  if (device !== 'cpu') for (const t of [images, states, labels]) t.moveTo(device);
  return { x: [images, states], y: labels };
}

/** Labelled states a map in each training example (the paper's code uses 10). */
export const STATES_PER_MAP = 10;

/**
 * The labelled states of `ds` grouped by map, `perMap` at a time: images (M, 2, n, n), states
 * (M, perMap, 2), labels (M, perMap). A map's last group is filled up with its first states again,
 * as the paper's data does, so every group is full.
 */
export function groupedVinArrays(ds: GridworldDataset, perMap = STATES_PER_MAP, device: Device = 'cpu'):
  { x: [Tensor, Tensor]; y: Tensor } {
  const byDomain = new Map<number, number[]>();
  for (let i = 0; i < ds.sampleLabel.length; i++) {
    const list = byDomain.get(ds.sampleDomain[i]);
    if (list) list.push(i); else byDomain.set(ds.sampleDomain[i], [i]);
  }
  if (byDomain.size === 0) throw new KeratorchError('trainVin: the dataset has no labelled states', 'ERR_VALUE', 'trainVin');
  const groupDomains: number[] = [];
  const states: number[] = [];
  const labels: number[] = [];
  for (const [domain, samples] of byDomain) {
    const groups = Math.ceil(samples.length / perMap);
    for (let g = 0; g < groups; g++) {
      groupDomains.push(domain);
      for (let j = 0; j < perMap; j++) {
        const sample = samples[(g * perMap + j) % samples.length];
        states.push(ds.sampleState[2 * sample], ds.sampleState[2 * sample + 1]);
        labels.push(ds.sampleLabel[sample]);
      }
    }
  }
  const m = groupDomains.length;
  const tensors = [encodeImages(ds.obstacles, ds.goals, groupDomains, ds.gridSize),
    tensor(Int32Array.from(states), [m, perMap, 2], 'int32'), tensor(Int32Array.from(labels), [m, perMap], 'int32')];
  if (device !== 'cpu') for (const t of tensors) t.moveTo(device);
  return { x: [tensors[0], tensors[1]], y: tensors[2] };
}

/**
 * The model `fit` trains: the VIN's own layers applied to `perMap` states a map, so value iteration
 * runs once per map instead of once per state. It shares every weight with `vinModel`.
 */
export function multiStateModel(vinModel: Model, perMap = STATES_PER_MAP): Model {
  const image = vinModel.inputs[0];
  const states = Input({ shape: [perMap, 2], dtype: 'int32', name: 'states' });
  const q = vinModel.getLayer('vi').output as SymbolicTensor;
  const qAt = vinModel.getLayer('q_at_state').apply([q, states]) as SymbolicTensor;
  const logits = vinModel.getLayer('logits').apply(qAt) as SymbolicTensor;
  return new Model({ inputs: [image, states], outputs: logits, name: `${vinModel.name}_training` });
}

/** Builds and trains a VIN on `data`; the model is compiled (so it can be saved with its config). */
export function trainVin(data: GridworldDataset, args: TrainVinOptions = {}): TrainVinResult {
  const options = optionsObject<TrainVinOptions>('trainVin', args, TRAIN_VIN_OPTIONS);
  checkDataset(data, 'trainVin');
  if (options.validation !== undefined) checkDataset(options.validation, 'trainVin (validation)');
  const seed = options.seed ?? 0;
  setSeed(seed);
  const device = options.device ?? 'cpu';
  const model = buildVin({ gridSize: data.gridSize, k: options.k ?? defaultK(data.gridSize) });
  if (options.initialWeights) model.loadWeights(options.initialWeights);
  if (device !== 'cpu') model.to(device);
  const compileArgs = {
    // The paper's recipe is PyTorch's RMSprop with eps 1e-6 outside the root, sqrt(v) + 1e-6.
    // keratorch's RMSprop is Keras 3's, sqrt(v + eps): eps 1e-12 gives the same 1e-6 floor, and
    // the two differ by at most a factor of sqrt(2) (where sqrt(v) is near 1e-6).
    optimizer: new RMSprop({ learningRate: options.learningRate ?? 0.002, epsilon: 1e-12 }),
    loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true },
    metrics: ['accuracy'],
  };
  const trainer = multiStateModel(model);
  trainer.compile(compileArgs);
  // The saved model carries the same training config (its optimizer state is the trainer's).
  model.compile(compileArgs);
  const train = groupedVinArrays(data, STATES_PER_MAP, device);
  const validation = options.validation ? groupedVinArrays(options.validation, STATES_PER_MAP, device) : undefined;
  const started = Date.now();
  try {
    // batchSize counts labelled states, as the paper's; each example holds STATES_PER_MAP of them.
    const history = trainer.fit(train.x, train.y, {
      epochs: options.epochs ?? 30,
      batchSize: Math.max(1, Math.round((options.batchSize ?? 128) / STATES_PER_MAP)),
      verbose: options.verbose ?? 1,
      validationData: validation ? [validation.x, validation.y] : undefined,
      callbacks: options.callbacks,
    });
    const seconds = (Date.now() - started) / 1000;
    if (device !== 'cpu') model.to('cpu');
    return { model, history, seconds };
  } finally {
    for (const t of [...train.x, train.y, ...(validation ? [...validation.x, validation.y] : [])]) t.dispose();
  }
}
