/** `keratorch train`: trains a VIN (on given data, or freshly generated) and saves it. */
import * as fs from 'fs';
import * as path from 'path';
import { cuda, Device, KeratorchError } from '../backend';
import { Model } from '../engine';
import { InvalidLoss, ReduceLROnPlateau, TerminateOnNaN } from '../engine/callbacks';
import { GridworldDataset, splitDataset } from '../vin/data/dataset';
import { generateGridworld, GRID_SIZE_LIMITS } from '../vin/data/generate';
import { defaultK } from '../vin/model/build';
import { evaluateVin } from '../vin/planning';
import { trainVin } from '../vin/train';
import { checkOutputPath, intOption, numberOption, OptionSpec, parseOptions, UsageError } from './args';
import { loadAnyDataset } from './data-files';
import { writeModelFolder } from '../io/model-io';

export const trainOptions: OptionSpec = {
  grid: { type: 'string', help: 'map side when generating data (8, 16, 28)' },
  data: { type: 'string', help: '.npz or .mat training data (default: generate --domains maps)' },
  'val-data': { type: 'string', help: 'validation data (default: the last 10% of the maps)' },
  domains: { type: 'string', help: 'maps to generate when no --data (default 5000)' },
  epochs: { type: 'string', help: 'passes over the data (default 30)' },
  'batch-size': { type: 'string', help: 'samples an update (default 128)' },
  lr: { type: 'string', help: 'RMSprop learning rate (default 0.002)' },
  k: { type: 'string', help: 'value-iteration steps (default 10/20/36 for 8/16/28)' },
  seed: { type: 'string', help: 'seed for data, weights and shuffling (default 0)' },
  'lr-patience': { type: 'string', help: 'halve the learning rate after N epochs without val_loss progress (default off)' },
  device: { type: 'string', help: 'cpu or cuda (default cpu)' },
  init: { type: 'string', help: 'start from the weights of a saved VIN folder (fine-tuning)' },
  out: { type: 'string', required: true, help: 'folder to save the model in' },
};

function loadData(o: Record<string, string | boolean | undefined>, seed: number): { train: GridworldDataset; val: GridworldDataset } {
  if (o.data !== undefined) {
    const all = loadAnyDataset('train', o.data as string);
    if (o.grid !== undefined && Number(o.grid) !== all.gridSize) {
      throw new UsageError(`keratorch train: --grid ${o.grid} but ${o.data} holds ${all.gridSize}x${all.gridSize} maps`);
    }
    if (o['val-data'] !== undefined) return { train: all, val: loadAnyDataset('train', o['val-data'] as string) };
    const { train, test } = splitDataset(all, Math.max(1, Math.round(all.numDomains * 0.9)));
    return { train, val: test };
  }
  if (o.grid === undefined) throw new UsageError('keratorch train: give --grid (to generate data) or --data');
  const gridSize = intOption('train', 'grid', o.grid, 0, GRID_SIZE_LIMITS.min, GRID_SIZE_LIMITS.max);
  const numDomains = intOption('train', 'domains', o.domains, 5000);
  console.log(`generating ${numDomains} ${gridSize}x${gridSize} maps (seed ${seed}) and ${Math.max(100, Math.round(numDomains / 10))} validation maps`);
  const train = generateGridworld({ gridSize, numDomains, seed });
  const val = generateGridworld({ gridSize, numDomains: Math.max(100, Math.round(numDomains / 10)), seed: seed + 1_000_003 });
  return { train, val };
}

/**
 * Fails when training went non-finite, so that no NaN weights are saved: at the batch whose loss
 * TerminateOnNaN caught, or at a weight that the last update made NaN (its loss came before it).
 */
function refuseNonFinite(model: Model, stoppedAt: InvalidLoss | null): void {
  const advice = 'nothing was saved (a smaller --lr may help)';
  if (stoppedAt) {
    throw new KeratorchError(`training stopped at epoch ${stoppedAt.epoch + 1}, batch ${stoppedAt.batch + 1}: the loss ` +
      `is ${stoppedAt.loss}; ${advice}`, 'ERR_VALUE', 'train');
  }
  const bad = model.weights.find((w) => !(w.data() as Float32Array).every(Number.isFinite));
  if (bad) throw new KeratorchError(`training made weight ${bad.name} non-finite; ${advice}`, 'ERR_VALUE', 'train');
}

/** Runs `keratorch train`. */
export function train(argv: string[]): void {
  const o = parseOptions('train', argv, trainOptions);
  const device = (o.device ?? 'cpu') as Device;
  if (device !== 'cpu' && !String(device).startsWith('cuda')) {
    throw new UsageError(`keratorch train: expected cpu or cuda for --device but received ${JSON.stringify(o.device)}`);
  }
  if (device !== 'cpu' && !cuda.isAvailable()) {
    throw new KeratorchError(`--device ${device} but CUDA is not available here (cuda.isAvailable() is false; ` +
      'see keratorch info)', 'ERR_DEVICE', 'train');
  }
  const seed = intOption('train', 'seed', o.seed, 0, 0);
  // Every option, and the output folder, is checked before minutes go into generating data and training.
  const out = checkOutputPath('train', 'out', o.out as string, 'folder');
  const epochs = intOption('train', 'epochs', o.epochs, 30);
  const batchSize = intOption('train', 'batch-size', o['batch-size'], 128);
  const learningRate = numberOption('train', 'lr', o.lr, 0.002);
  const k = o.k === undefined ? undefined : intOption('train', 'k', o.k, 1);
  const patience = o['lr-patience'] === undefined ? 0 : intOption('train', 'lr-patience', o['lr-patience'], 1);
  if (o.data === undefined) intOption('train', 'grid', o.grid, 0, GRID_SIZE_LIMITS.min, GRID_SIZE_LIMITS.max);
  if (o.domains !== undefined) intOption('train', 'domains', o.domains, 5000);
  const { train: trainData, val } = loadData(o, seed);
  const options = { k: k ?? defaultK(trainData.gridSize), epochs, batchSize, learningRate, seed };
  console.log(`training a ${trainData.gridSize}x${trainData.gridSize} VIN (k=${options.k}) on ${trainData.sampleLabel.length} ` +
    `labelled states from ${trainData.numDomains} maps, validating on ${val.sampleLabel.length}, device ${device}`);
  // Silent: a non-finite loss fails the command below, with its own message.
  const terminateOnNaN = new TerminateOnNaN({ verbose: 0 });
  const callbacks = [terminateOnNaN,
    ...(patience > 0 ? [new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience, minLr: 1e-5, verbose: 1 })] : [])];
  const initialWeights = o.init === undefined ? undefined : path.join(o.init as string, 'weights.safetensors');
  if (initialWeights && !fs.existsSync(initialWeights)) {
    throw new UsageError(`keratorch train: --init ${o.init} holds no weights.safetensors`);
  }
  const { model, history, seconds } = trainVin(trainData, { ...options, validation: val, device, callbacks, initialWeights });
  refuseNonFinite(model, terminateOnNaN.stoppedAt);
  const metrics = val.pathDomain.length > 0 ? evaluateVin(model, val) : null;
  const training = JSON.stringify({
    ...options, lrPatience: patience, init: o.init ?? null, device, gridSize: trainData.gridSize, trainStates: trainData.sampleLabel.length,
    trainMaps: trainData.numDomains, data: o.data ?? 'generated', seconds, history: history.history, validation: metrics,
  }, null, 2) + '\n';
  // The model and its training record in one all-or-nothing swap: an interrupted or failed save
  // leaves the previous folder as it was.
  writeModelFolder(model, out, [{ name: 'training.json', chunks: [Buffer.from(training, 'utf8')] }]);
  console.log(`trained in ${seconds.toFixed(1)} s; saved to ${out}`);
  if (metrics) {
    console.log(`validation: accuracy ${(100 * metrics.accuracy).toFixed(2)}%, success ${(100 * metrics.successRate).toFixed(2)}%, ` +
      `trajectory diff ${metrics.trajectoryDiff.toFixed(3)}`);
  }
}
