/**
 * Training a VIN on a gridworld dataset with the Keras-style API: buildVin, compile with RMSprop
 * (the paper's code's optimizer), fit on (image, state) -> expert action.
 */
import { Device, KeratorchError, setSeed, Tensor, tensor } from '../backend';
import { Model } from '../engine';
import type { History } from '../engine/callbacks';
import type { CallbackLike } from '../engine/callbacks';
import { RMSprop } from '../optimizers';
import { GridworldDataset } from './data/dataset';
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
  /** Where to train: `cpu` (default), `cuda` or `cuda:N`. The returned model is moved back to the CPU. */
  device?: Device;
}

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

/** Builds and trains a VIN on `data`; the model is compiled (so it can be saved with its config). */
export function trainVin(data: GridworldDataset, options: TrainVinOptions = {}): TrainVinResult {
  const seed = options.seed ?? 0;
  setSeed(seed);
  const device = options.device ?? 'cpu';
  const model = buildVin({ gridSize: data.gridSize, k: options.k ?? defaultK(data.gridSize) });
  if (device !== 'cpu') model.to(device);
  model.compile({
    optimizer: new RMSprop({ learningRate: options.learningRate ?? 0.002, epsilon: 1e-6 }),
    loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true },
    metrics: ['accuracy'],
  });
  const train = vinArrays(data, device);
  const validation = options.validation ? vinArrays(options.validation, device) : undefined;
  const started = Date.now();
  try {
    const history = model.fit(train.x, train.y, {
      epochs: options.epochs ?? 30,
      batchSize: options.batchSize ?? 128,
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
