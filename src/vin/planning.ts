/**
 * Planning with a trained VIN: batched rollouts of the argmax action, the paper's evaluation
 * metrics, and a `Planner` for single requests. The image part of the network (h, r, value
 * iteration) runs once per map; each rollout step only reads q at the agent's cell.
 */
import { K, KeratorchError, Tensor, tensor, tidy, vin } from '../backend';
import { describeShape, Layer, Model } from '../engine';
import { optionsObject } from '../engine/options';
import { fail } from '../backend/validate';
import { ACTIONS, Cell, checkDataset, GridworldDataset } from './data/dataset';
import { costToGoal } from './data/planning';
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

/** The most value-iteration steps a plan may run (the weights are tied, so any k runs the same model). */
export const MAX_PLAN_K = 10_000;

/**
 * Value-iteration steps for a plan: a number, or `'auto'`: from the model's k, doubling, until the value
 * map stops changing (see `AdaptiveK`).
 */
export type PlanK = number | 'auto';

/**
 * Why a plan ended: at the goal; at a cell it had visited (the policy is deterministic, so it would
 * cycle for ever); after maxSteps moves; or before a move off the map or into an obstacle.
 */
export type PlanEnd = 'reached' | 'loop' | 'maxSteps' | 'blocked';

/** `k` checked: the model's own when undefined, else an integer in [1, MAX_PLAN_K] or 'auto'. */
export function checkPlanK(fn: string, k: unknown, modelK: number): PlanK {
  if (k === undefined) return modelK;
  if (k === 'auto') return k;
  if (typeof k !== 'number') fail(fn, `an integer in [1, ${MAX_PLAN_K}] or 'auto'`, 'k', k);
  if (!Number.isInteger(k) || k < 1 || k > MAX_PLAN_K) fail(fn, `an integer in [1, ${MAX_PLAN_K}] or 'auto'`, 'k', k, 'ERR_VALUE');
  return k;
}

/** The k values the adaptive mode tries: the model's k, doubled each time, up to MAX_PLAN_K. */
export function adaptiveKLadder(modelK: number): number[] {
  const ladder = [Math.min(modelK, MAX_PLAN_K)];
  while (ladder[ladder.length - 1] < MAX_PLAN_K) ladder.push(Math.min(2 * ladder[ladder.length - 1], MAX_PLAN_K));
  return ladder;
}

/** Change of the value map, relative to its largest magnitude, below which it has stopped changing. */
const SETTLED_CHANGE = 1e-3;

/**
 * The adaptive k of one map. Value maps come in for the k of {@link adaptiveKLadder}; only cells from
 * which the goal can be reached count (values behind walls or on obstacles steer no plan). Value
 * iteration carries the goal one cell a step, so no k below the goal's farthest reachable cell (its
 * path cost, at least its number of moves) is judged. From there it settles on the first k whose value
 * map differs from the previous one by at most 1e-3 of its largest value. A learned iteration need not
 * converge (the shipped 28x28 VIN's values grow without bound past a few hundred steps): when the change
 * grows from one doubling to the next, or a value is not finite, it keeps the previous k; at MAX_PLAN_K it
 * keeps that.
 */
export class AdaptiveK {
  /** The chosen k, once settled. */
  chosen?: number;
  private previous?: { k: number; values: Float32Array; change: number };

  /**
   * @param reachable 1 at the cells from which the goal can be reached (n*n, row-major).
   * @param farthest The steps that carry the goal's value to every one of them.
   */
  constructor(private readonly reachable: Uint8Array, private readonly farthest: number) {}

  /** The counted cells of one map and goal. */
  static forMap(obstacles: Uint8Array, n: number, goal: Cell): AdaptiveK {
    const cost = costToGoal(obstacles, n, goal);
    const reachable = Uint8Array.from(cost, (c) => (Number.isFinite(c) ? 1 : 0));
    return new AdaptiveK(reachable, Math.ceil(cost.reduce((most, c) => (Number.isFinite(c) ? Math.max(most, c) : most), 0)));
  }

  /** Takes the value map (n*n) after `k` steps; returns whether k has settled. */
  offer(k: number, values: Float32Array): boolean {
    if (k < this.farthest && k < MAX_PLAN_K) return false;
    let largest = 0;
    let change = 0;
    const before = this.previous;
    for (let i = 0; i < values.length; i++) {
      if (!this.reachable[i]) continue;
      if (!Number.isFinite(values[i])) return this.settle(before?.k ?? k);
      largest = Math.max(largest, Math.abs(values[i]));
      if (before) change = Math.max(change, Math.abs(values[i] - before.values[i]));
    }
    const relative = largest > 0 ? change / largest : 0;
    if (before && relative <= SETTLED_CHANGE) return this.settle(k);
    if (before && relative > before.change) return this.settle(before.k);
    if (k >= MAX_PLAN_K) return this.settle(k);
    this.previous = { k, values: Float32Array.from(values), change: before ? relative : Infinity };
    return false;
  }

  private settle(k: number): boolean {
    this.chosen = k;
    this.previous = undefined;
    return true;
  }
}

/**
 * The q maps (batch, lQ, n, n) of encoded `images` after `k` steps of value iteration, and the k each
 * map used (the adaptive mode's is per map). `maps` are each image's obstacles (n*n) and goal, read
 * by the adaptive mode only.
 */
export function qMaps(parts: VinParts, images: Tensor, k: PlanK, maps: () => { obstacles: Uint8Array; goal: Cell }[]):
  { q: Tensor; ks: number[] } {
  const { vi } = parts;
  const batch = images.shapeRef[0];
  return tidy(() => K.noGrad(() => {
    const r = rewardMaps(parts, images);
    if (k !== 'auto') {
      return { q: vin.valueIterationQ(r, vi.wR as Tensor, vi.wV as Tensor, k, vi.implementation), ks: new Array(batch).fill(k) };
    }
    const n = parts.gridSize;
    const searches = maps().map((m) => AdaptiveK.forMap(m.obstacles, n, m.goal));
    const qByK = new Map<number, Tensor>();
    for (const ladderK of adaptiveKLadder(vi.k)) {
      if (searches.every((s) => s.chosen !== undefined)) break;
      const { q, v } = vin.valueIteration(r, vi.wR as Tensor, vi.wV as Tensor, ladderK, vi.implementation);
      qByK.set(ladderK, q);
      const values = v.data() as Float32Array;
      searches.forEach((s, b) => {
        if (s.chosen === undefined) s.offer(ladderK, values.subarray(b * n * n, (b + 1) * n * n));
      });
    }
    const ks = searches.map((s) => s.chosen as number);
    const lQ = vi.lQ;
    const rows = ks.map((chosen, b) => K.slice(qByK.get(chosen) as Tensor, [b, 0, 0, 0], [1, lQ, n, n]));
    return { q: batch === 1 ? rows[0] : K.concatenate(rows, 0), ks };
  }));
}

/** One rollout's outcome. */
export interface Rollout {
  /** Visited cells, start first (on a loop, the revisited cell last). */
  path: [number, number][];
  /** Whether the goal was reached without a move into an obstacle or off the map. */
  reached: boolean;
  /** Whether a chosen move would have left the map or entered an obstacle (the rollout stopped). */
  collided: boolean;
  /** Why the rollout ended. */
  ended: PlanEnd;
  /** The value-iteration steps its q map took. */
  k: number;
}

/**
 * Rolls out the argmax action from each start on its own map, for at most `maxSteps[i]` moves, with q
 * maps after `k` steps of value iteration (default: the model's k). A move into an obstacle or off the
 * map ends that rollout as a failure, and so does a move back to a visited cell (a loop).
 */
export function rollouts(parts: VinParts, obstacles: Uint8Array, goals: Int32Array, domains: ArrayLike<number>,
  starts: Cell[], maxSteps: number[], k: PlanK = parts.vi.k): Rollout[] {
  const n = parts.gridSize;
  const count = starts.length;
  const results: Rollout[] = starts.map((s) => ({ path: [[s[0], s[1]]], reached: false, collided: false,
    ended: 'maxSteps', k: 0 }));
  const position = starts.map((s) => [s[0], s[1]] as [number, number]);
  const visited = starts.map((s) => new Set([s[0] * n + s[1]]));
  const active = new Set<number>();
  for (let i = 0; i < count; i++) {
    const d = domains[i];
    if (position[i][0] === goals[2 * d] && position[i][1] === goals[2 * d + 1]) {
      results[i].reached = true;
      results[i].ended = 'reached';
    } else if (maxSteps[i] > 0) active.add(i);
  }
  tidy(() => K.noGrad(() => {
    const images = encodeImages(obstacles, goals, domains, n);
    const mapOf = (d: number) => ({ obstacles: obstacles.subarray(d * n * n, (d + 1) * n * n),
      goal: [goals[2 * d], goals[2 * d + 1]] as Cell });
    const { q, ks } = qMaps(parts, images, k, () => Array.from(domains, mapOf));
    ks.forEach((used, i) => { results[i].k = used; });
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
          results[i].ended = 'blocked';
          active.delete(i);
          continue;
        }
        position[i] = [row, col];
        results[i].path.push([row, col]);
        if (row === goals[2 * d] && col === goals[2 * d + 1]) {
          results[i].reached = true;
          results[i].ended = 'reached';
          active.delete(i);
        } else if (visited[i].has(row * n + col)) {
          results[i].ended = 'loop';
          active.delete(i);
        } else if (results[i].path.length - 1 >= maxSteps[i]) {
          active.delete(i);
        } else {
          visited[i].add(row * n + col);
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
  /** Value-iteration steps of the rollouts: a number up to 10,000, or 'auto' (default: the model's k). */
  k?: PlanK;
}

/**
 * Action accuracy on the labelled states, and success rate and trajectory difference of rollouts
 * from every expert path's start (at most twice the expert's length), as the paper defines them.
 */
export function evaluateVin(model: Model, ds: GridworldDataset, args: EvaluateOptions = {}): EvaluationResult {
  const options = optionsObject<EvaluateOptions>('evaluateVin', args, ['batchSize', 'onProgress', 'k']);
  const parts = partsOf('evaluateVin', model);
  const k = checkPlanK('evaluateVin', options.k, parts.vi.k);
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
    const outcomes = rollouts(parts, ds.obstacles, ds.goals, ds.pathDomain.subarray(start, end), starts, limits, k);
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
