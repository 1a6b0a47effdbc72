/**
 * Planning off the JS thread: the VIN's image part (h, r, value iteration: images -> q maps) is
 * recorded once per k and batch size, and each batch of plans runs as one native task that replays it
 * and rolls out every plan (binding/rollout.cc), following the same rule as `rollouts` in planning.ts.
 * The adaptive k replays the value maps of its ladder first, then rolls out each group of plans at its k.
 */
import { KeratorchError, serving, Tensor, vin } from '../backend';
import { Dense } from '../layers';
import { ACTIONS, Cell } from './data/dataset';
import { AdaptiveK, adaptiveKLadder, encodeImages, PlanEnd, PlanK, rewardMaps, VinParts } from './planning';

/** A checked plan request. */
export interface CheckedPlan {
  rows: 1;
  obstacles: Uint8Array;
  goal: Cell;
  start: Cell;
  maxSteps: number;
  k: PlanK;
}

/** An async plan's outcome, as `Planner.plan`'s. */
export interface AsyncPlanResult {
  path: [number, number][];
  reached: boolean;
  ended: PlanEnd;
  k: number;
}

const MOVES = Int32Array.from(ACTIONS.flatMap((a) => [a.dRow, a.dCol]));

/** The q-map recordings of one VIN and the batched native rollouts. */
export class AsyncPlanning {
  /** By k, then by batch size: each records the forward images -> [q, v] after k steps. */
  private readonly recordings = new Map<number, Map<number, serving.RecordedForward>>();
  private weights: Tensor[] = [];
  private readonly kernel: Tensor;

  constructor(private readonly parts: VinParts) {
    const logits = parts.logits;
    if (!(logits instanceof Dense) || logits.bias || logits.getConfig().activation !== 'linear' || !logits.kernel) {
      throw new KeratorchError(`planAsync: the VIN's "logits" layer must be a built Dense layer without bias or ` +
        `activation (its argmax is taken natively) but it is a ${logits.className}`, 'ERR_ARGUMENT', 'planAsync');
    }
    this.kernel = logits.kernel;
  }

  /** The weights of h, r and vi, the parameters of the q-map recording. */
  private qMapWeights(): Tensor[] {
    const { h, r, vi } = this.parts;
    return [...new Set([h, r, vi].flatMap((l) => l.weights))];
  }

  private recordingFor(images: Tensor, k: number): serving.RecordedForward {
    const weights = this.qMapWeights();
    if (weights.length !== this.weights.length || weights.some((w, i) => w !== this.weights[i])) {
      this.recordings.clear();
      this.weights = weights;
    }
    let bySize = this.recordings.get(k);
    if (!bySize) {
      bySize = new Map();
      this.recordings.set(k, bySize);
    }
    const size = images.shapeRef[0];
    let recording = bySize.get(size);
    if (!recording) {
      const { vi, model } = this.parts;
      // h and r as one convolution when the model folds them, as `plan` computes them. The native rollout
      // reads the first output, q; the adaptive k reads the second, the value map.
      recording = serving.recordForward(`planAsync(${model.name})`, [images], weights, ([x]) => {
        const { q, v } = vin.valueIteration(rewardMaps(this.parts, x), vi.wR as Tensor, vi.wV as Tensor, k, vi.implementation);
        return [q, v];
      });
      bySize.set(size, recording);
    }
    return recording;
  }

  /** Records every batch size up to serving's maxBatch, at the model's k. */
  warmUp(): void {
    const { maxBatch } = serving.options();
    const n = this.parts.gridSize;
    for (let size = 1; size <= maxBatch; size++) {
      const images = encodeImages(new Uint8Array(size * n * n), new Int32Array(2 * size), new Int32Array(size), n);
      try {
        this.recordingFor(images, this.parts.vi.k);
      } finally {
        images.dispose();
      }
    }
  }

  /** Plans a batch of one k: one native task for the q maps and all rollouts (the adaptive k first runs its value maps). */
  async run(plans: CheckedPlan[]): Promise<AsyncPlanResult[]> {
    const k = plans[0].k;
    if (k !== 'auto') return this.rollOut(plans, k);
    const ks = await this.adaptiveKs(plans);
    const results: AsyncPlanResult[] = new Array(plans.length);
    for (const chosen of new Set(ks)) {
      const members = plans.flatMap((_, i) => (ks[i] === chosen ? [i] : []));
      const outcomes = await this.rollOut(members.map((i) => plans[i]), chosen);
      members.forEach((i, j) => { results[i] = outcomes[j]; });
    }
    return results;
  }

  /** The batch's maps and their encoded images. */
  private encode(plans: CheckedPlan[]): { obstacles: Uint8Array; images: Tensor } {
    const n = this.parts.gridSize;
    const cells = n * n;
    const size = plans.length;
    const obstacles = new Uint8Array(size * cells);
    const goals = new Int32Array(2 * size);
    plans.forEach((plan, b) => {
      obstacles.set(plan.obstacles, b * cells);
      goals.set(plan.goal, 2 * b);
    });
    return { obstacles, images: encodeImages(obstacles, goals, Int32Array.from({ length: size }, (_, b) => b), n) };
  }

  /** Each plan's adaptive k, from value maps replayed off the JS thread (see `AdaptiveK`). */
  private async adaptiveKs(plans: CheckedPlan[]): Promise<number[]> {
    const n = this.parts.gridSize;
    const searches = plans.map((p) => AdaptiveK.forMap(p.obstacles, n, p.goal));
    const { images } = this.encode(plans);
    try {
      for (const ladderK of adaptiveKLadder(this.parts.vi.k)) {
        if (searches.every((s) => s.chosen !== undefined)) break;
        const outputs = await this.recordingFor(images, ladderK).run([images], this.weights);
        try {
          const values = outputs[1].data() as Float32Array;
          searches.forEach((s, b) => {
            if (s.chosen === undefined) s.offer(ladderK, values.subarray(b * n * n, (b + 1) * n * n));
          });
        } finally {
          outputs.forEach((t) => t.dispose());
        }
      }
    } finally {
      images.dispose();
    }
    return searches.map((s) => s.chosen as number);
  }

  /** Plans at `k` steps: one native task for the q maps and all rollouts. */
  private async rollOut(plans: CheckedPlan[], k: number): Promise<AsyncPlanResult[]> {
    // The batch runs at its own size (see predict_async.ts): each size is recorded once per k.
    const { obstacles, images } = this.encode(plans);
    const jobs = Int32Array.from(plans.flatMap((p, b) => [b, p.start[0], p.start[1], p.goal[0], p.goal[1], p.maxSteps]));
    try {
      const recording = this.recordingFor(images, k);
      const outcomes = await recording.planRollouts(images, this.weights, this.kernel, obstacles, jobs, MOVES);
      return outcomes.map((o) => {
        const path = Array.from({ length: o.path.length / 2 }, (_, i) => [o.path[2 * i], o.path[2 * i + 1]] as [number, number]);
        return { path, reached: o.reached, ended: endOf(o.reached, o.collided, path), k };
      });
    } finally {
      images.dispose();
    }
  }
}

/**
 * Why a native rollout ended. It stops at the first revisited cell, which it appends, so a path whose last
 * cell appears before it ended in a loop (a path cut at maxSteps repeats no cell).
 */
function endOf(reached: boolean, collided: boolean, path: [number, number][]): PlanEnd {
  if (reached) return 'reached';
  if (collided) return 'blocked';
  const [row, col] = path[path.length - 1];
  return path.slice(0, -1).some(([r, c]) => r === row && c === col) ? 'loop' : 'maxSteps';
}
