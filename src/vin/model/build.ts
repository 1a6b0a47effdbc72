/**
 * `buildVin`: the paper's gridworld VIN as a keratorch Model: the h convolution on the
 * (obstacle, goal) image, the reward map r, the ValueIteration layer, the q values at the agent's
 * cell, and the action logits.
 */
import { KeratorchError, vin } from '../../backend';
import { checkInt, describe } from '../../backend/validate';
import { Input, Model, SymbolicTensor } from '../../engine';
import { Conv2D, Dense } from '../../layers';
import { QAtState } from './q_at_state';
import { ValueIteration } from './value_iteration';

/** Options of {@link buildVin}. */
export interface VinOptions {
  /** The map's side n (maps are n x n). */
  gridSize: number;
  /** Value-iteration steps (default 10 for 8x8, 20 for 16x16, 36 for 28x28, else 2n). */
  k?: number;
  /** Channels of the h layer (default 150). */
  lH?: number;
  /** Q channels (default 10). */
  lQ?: number;
  /** Actions (default 8). */
  nActions?: number;
  /** The model's name (default vin_<n>x<n>). */
  name?: string;
  /** Value iteration's implementation: `fused` (default) or `generic` (see `vin.valueIteration`). */
  implementation?: vin.ValueIterationImplementation;
}

const OPTION_NAMES = ['gridSize', 'k', 'lH', 'lQ', 'nActions', 'name', 'implementation'];

/** The paper's k for a grid size. */
export function defaultK(gridSize: number): number {
  checkInt('defaultK', 'gridSize', gridSize, 1);
  return ({ 8: 10, 16: 20, 28: 36 } as Record<number, number>)[gridSize] ?? Math.round(1.3 * gridSize);
}

/**
 * The VIN model. Inputs: `image` (batch, 2, n, n) float32 (channel 0: 1 on obstacles; channel 1:
 * 1 at the goal) and `state` (batch, 2) int32 (row, col). Output: action logits (batch, nActions).
 * Layers: `h`, `r`, `vi` (ValueIteration), `q_at_state`, `logits`.
 */
export function buildVin(options: VinOptions): Model {
  // A misspelt option (say `K: 20`) would otherwise be dropped silently and the default used.
  const unknown = Object.keys(options ?? {}).filter((key) => !OPTION_NAMES.includes(key));
  if (unknown.length > 0) {
    throw new KeratorchError(`buildVin: unknown option ${JSON.stringify(unknown[0])} (expected one of ` +
      `${OPTION_NAMES.join(', ')})`, 'ERR_ARGUMENT', 'buildVin');
  }
  const { gridSize } = options ?? ({} as VinOptions);
  if (!Number.isInteger(gridSize) || gridSize < 3) {
    throw new KeratorchError(`buildVin: expected an integer >= 3 for gridSize but received ${describe(gridSize)}`,
      'ERR_ARGUMENT', 'buildVin');
  }
  const k = options.k ?? defaultK(gridSize);
  const lH = options.lH ?? 150;
  const lQ = options.lQ ?? 10;
  const nActions = options.nActions ?? 8;
  const image = Input({ shape: [2, gridSize, gridSize], name: 'image' });
  const state = Input({ shape: [2], dtype: 'int32', name: 'state' });
  const h = new Conv2D({ filters: lH, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', name: 'h',
    kernelInitializer: { className: 'RandomNormal', config: { stddev: 0.01 } } }).apply(image) as SymbolicTensor;
  const r = new Conv2D({ filters: 1, kernelSize: 1, useBias: false, dataFormat: 'channelsFirst', name: 'r',
    kernelInitializer: { className: 'RandomNormal', config: { stddev: 0.01 } } }).apply(h) as SymbolicTensor;
  const q = new ValueIteration({ k, lQ, name: 'vi', implementation: options.implementation }).apply(r) as SymbolicTensor;
  const qAt = new QAtState({ name: 'q_at_state' }).apply([q, state]) as SymbolicTensor;
  const logits = new Dense({ units: nActions, useBias: false, name: 'logits' }).apply(qAt) as SymbolicTensor;
  return new Model({ inputs: [image, state], outputs: logits, name: options.name ?? `vin_${gridSize}x${gridSize}` });
}
