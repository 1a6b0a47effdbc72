/**
 * Planning with a trained VIN: batched rollouts of the argmax action, the paper's evaluation
 * metrics, and a `Planner` for single requests. The image part of the network (h, r, value
 * iteration) runs once per map; each rollout step only reads q at the agent's cell.
 */
import { K, KeratorchError, Tensor, tensor, tidy } from '../backend';
import { describeShape, Layer, Model } from '../engine';
import { optionsObject } from '../engine/options';
import { fail } from '../backend/validate';
import { ACTIONS, Cell, checkDataset, GridworldDataset } from './data/dataset';
import { ValueIteration } from './model/value_iteration';

/** Maps of one or more domains as the VIN's image input: (batch, 2, n, n), obstacles then goal. */
export function encodeImages(obstacles: Uint8Array, goals: Int32Array, domains: ArrayLike<number>, n: number): Tensor {
  const size = n * n;
  const data = new Float32Array(domains.length * 2 * size);
  for (let b = 0; b < domains.length; b++) {
    const d = domains[b];
    for (let i = 0; i < size; i++) data[b * 2 * size + i] = obstacles[d * size + i];
    data[b * 2 * size + size + goals[2 * d] * n + goals[2 * d + 1]] = 1;
  }
  return tensor(data, [domains.length, 2, n, n]);
}

/** The VIN's parts, found by layer name in a model made by `buildVin` (or loaded). */
export interface VinParts {
  model: Model;
  gridSize: number;
  h: Layer;
  r: Layer;
  vi: ValueIteration;
  logits: Layer;
}

/** Finds the VIN's layers in `model`, with a clear error when it is not a VIN. */
export function vinParts(model: Model): VinParts {
  return partsOf('planner', model);
}

/** {@link vinParts}, whose errors name `fn`. */
function partsOf(fn: string, model: Model): VinParts {
  if (!(model instanceof Model)) fail(fn, 'a VIN Model (from buildVin or loadPlanner)', 'model', model);
  const names = model.layers.map((l) => l.name);
  for (const needed of ['image', 'h', 'r', 'vi', 'logits']) {
    if (!names.includes(needed)) {
      throw new KeratorchError(`${fn}: the model "${model.name}" is not a VIN made by buildVin (no layer "${needed}"; ` +
        `layers are ${names.join(', ')})`, 'ERR_ARGUMENT', fn);
    }
  }
  const vi = model.getLayer('vi');
  if (!(vi instanceof ValueIteration)) {
    throw new KeratorchError(`${fn}: layer "vi" of "${model.name}" is a ${vi.className}, not ValueIteration`, 'ERR_ARGUMENT', fn);
  }
  // The map side comes from the saved model: an empty or non-square image input cannot be planned on.
  const image = model.inputs[0].shape;
  const gridSize = image[2];
  if (image.length !== 4 || image[1] !== 2 || gridSize === null || gridSize < 1 || image[3] !== gridSize) {
    throw new KeratorchError(`${fn}: expected a VIN whose image input has shape (None, 2, n, n) with n >= 1 but the ` +
      `model "${model.name}" takes ${describeShape(image)}`, 'ERR_SHAPE', fn);
  }
  return { model, gridSize, h: model.getLayer('h'), r: model.getLayer('r'), vi, logits: model.getLayer('logits') };
}

/** Reward maps (batch, 1, n, n) for encoded images: h and r as one convolution when the model folds them. */
export function rewardMaps(parts: VinParts, images: Tensor): Tensor {
  return tidy(() => K.noGrad(() => {
    const folded = parts.model.foldLinearLayers ? parts.r.foldAfter(parts.h) : null;
    return folded ? parts.r.runFolded(folded, images, {}) : parts.r.apply(parts.h.apply(images) as Tensor) as Tensor;
  }));
}

/** One rollout's outcome. */
export interface Rollout {
  /** Visited cells, start first. */
  path: [number, number][];
  /** Whether the goal was reached without a move into an obstacle or off the map. */
  reached: boolean;
  /** Whether a chosen move would have left the map or entered an obstacle (the rollout stopped). */
  collided: boolean;
}

/**
 * Rolls out the argmax action from each start on its own map, for at most `maxSteps[i]` moves.
 * A move into an obstacle or off the map ends that rollout as a failure.
 */
export function rollouts(parts: VinParts, obstacles: Uint8Array, goals: Int32Array, domains: ArrayLike<number>,
  starts: Cell[], maxSteps: number[]): Rollout[] {
  const n = parts.gridSize;
  const count = starts.length;
  const results: Rollout[] = starts.map((s) => ({ path: [[s[0], s[1]]], reached: false, collided: false }));
  const position = starts.map((s) => [s[0], s[1]] as [number, number]);
  const active = new Set<number>();
  for (let i = 0; i < count; i++) {
    const d = domains[i];
    if (position[i][0] === goals[2 * d] && position[i][1] === goals[2 * d + 1]) results[i].reached = true;
    else if (maxSteps[i] > 0) active.add(i);
  }
  tidy(() => K.noGrad(() => {
    const images = encodeImages(obstacles, goals, domains, n);
    const q = parts.vi.apply(rewardMaps(parts, images)) as Tensor;
    const qAtState = parts.model.getLayer('q_at_state');
    for (let stepIndex = 0; active.size > 0; stepIndex++) {
      const states = tensor(Int32Array.from(position.flat()), [count, 2], 'int32');
      let actions: ArrayLike<bigint> = new BigInt64Array(0);
      tidy(() => {
        actions = K.argmax(parts.logits.apply(qAtState.apply([q, states]) as Tensor) as Tensor, -1).data() as BigInt64Array;
      });
      states.dispose();
      for (const i of [...active]) {
        const move = ACTIONS[Number(actions[i])];
        const d = domains[i];
        const row = position[i][0] + move.dRow;
        const col = position[i][1] + move.dCol;
        if (row < 0 || row >= n || col < 0 || col >= n || obstacles[d * n * n + row * n + col] !== 0) {
          results[i].collided = true;
          active.delete(i);
          continue;
        }
        position[i] = [row, col];
        results[i].path.push([row, col]);
        if (row === goals[2 * d] && col === goals[2 * d + 1]) {
          results[i].reached = true;
          active.delete(i);
        } else if (results[i].path.length - 1 >= maxSteps[i]) {
          active.delete(i);
        }
      }
    }
  }));
  return results;
}

/** The paper's metrics on a dataset. */
export interface EvaluationResult {
  /** Expert paths rolled out. */
  n: number;
  /** Fraction of labelled states where the argmax action equals the expert's. */
  accuracy: number;
  /** Fraction of rollouts reaching the goal (within twice the expert's length, no collision). */
  successRate: number;
  /** Mean (planned steps - expert steps) over successful rollouts. */
  trajectoryDiff: number;
}

/** Options of {@link evaluateVin}. */
export interface EvaluateOptions {
  /** Maps per batch (default 256). */
  batchSize?: number;
  /** Called after each batch with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Action accuracy on the labelled states, and success rate and trajectory difference of rollouts
 * from every expert path's start (at most twice the expert's length), as the paper defines them.
 */
export function evaluateVin(model: Model, ds: GridworldDataset, args: EvaluateOptions = {}): EvaluationResult {
  const options = optionsObject<EvaluateOptions>('evaluateVin', args, ['batchSize', 'onProgress']);
  const parts = partsOf('evaluateVin', model);
  checkDataset(ds, 'evaluateVin');
  if (parts.gridSize !== ds.gridSize) {
    throw new KeratorchError(`evaluate: the model plans on ${parts.gridSize}x${parts.gridSize} maps but the data is ` +
      `${ds.gridSize}x${ds.gridSize}`, 'ERR_SHAPE', 'evaluate');
  }
  const batchSize = options.batchSize ?? 256;
  const n = ds.gridSize;
  const numSamples = ds.sampleLabel.length;
  const numPaths = ds.pathDomain.length;
  const total = numSamples + numPaths;
  let correct = 0;
  for (let start = 0; start < numSamples; start += batchSize) {
    const end = Math.min(numSamples, start + batchSize);
    correct += tidy(() => K.noGrad(() => {
      const domains = ds.sampleDomain.subarray(start, end);
      const images = encodeImages(ds.obstacles, ds.goals, domains, n);
      const states = tensor(ds.sampleState.slice(2 * start, 2 * end), [end - start, 2], 'int32');
      const predicted = K.argmax(model.apply([images, states]) as Tensor, -1).data() as BigInt64Array;
      let hits = 0;
      for (let i = 0; i < end - start; i++) if (Number(predicted[i]) === ds.sampleLabel[start + i]) hits++;
      return hits;
    }));
    options.onProgress?.(end, total);
  }
  let successes = 0;
  let diffSum = 0;
  for (let start = 0; start < numPaths; start += batchSize) {
    const end = Math.min(numPaths, start + batchSize);
    const starts: Cell[] = [];
    const limits: number[] = [];
    const expertSteps: number[] = [];
    for (let p = start; p < end; p++) {
      const first = ds.pathOffsets[p];
      const steps = ds.pathOffsets[p + 1] - first - 1;
      starts.push([ds.pathCells[2 * first], ds.pathCells[2 * first + 1]]);
      limits.push(2 * steps);
      expertSteps.push(steps);
    }
    const outcomes = rollouts(parts, ds.obstacles, ds.goals, ds.pathDomain.subarray(start, end), starts, limits);
    outcomes.forEach((o, i) => {
      if (!o.reached) return;
      successes++;
      diffSum += o.path.length - 1 - expertSteps[i];
    });
    options.onProgress?.(numSamples + end, total);
  }
  return {
    n: numPaths,
    accuracy: numSamples ? correct / numSamples : NaN,
    successRate: numPaths ? successes / numPaths : NaN,
    trajectoryDiff: successes ? diffSum / successes : NaN,
  };
}
