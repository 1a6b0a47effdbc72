/**
 * Planning off the JS thread: the VIN's image part (h, r, value iteration: images -> q maps) is
 * recorded once per batch size, and each batch of plans runs as one native task that replays it and
 * rolls out every plan (binding/rollout.cc), following the same rule as `rollouts` in planning.ts.
 */
import { KeratorchError, serving, Tensor } from '../backend';
import { Dense } from '../layers';
import { ACTIONS, Cell } from './data/dataset';
import { encodeImages, rewardMaps, VinParts } from './planning';

/** A checked plan request. */
export interface CheckedPlan {
  rows: 1;
  obstacles: Uint8Array;
  goal: Cell;
  start: Cell;
  maxSteps: number;
}

const MOVES = Int32Array.from(ACTIONS.flatMap((a) => [a.dRow, a.dCol]));

/** The q-map recordings of one VIN and the batched native rollouts. */
export class AsyncPlanning {
  private readonly recordings = new Map<number, serving.RecordedForward>();
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

  private recordingFor(images: Tensor): serving.RecordedForward {
    const weights = this.qMapWeights();
    if (weights.length !== this.weights.length || weights.some((w, i) => w !== this.weights[i])) {
      this.recordings.clear();
      this.weights = weights;
    }
    const size = images.shapeRef[0];
    let recording = this.recordings.get(size);
    if (!recording) {
      const { vi, model } = this.parts;
      // h and r as one convolution when the model folds them, as `plan` computes them.
      recording = serving.recordForward(`planAsync(${model.name})`, [images], weights,
        ([x]) => [vi.apply(rewardMaps(this.parts, x)) as Tensor]);
      this.recordings.set(size, recording);
    }
    return recording;
  }

  /** Records every batch size up to serving's maxBatch. */
  warmUp(): void {
    const { maxBatch } = serving.options();
    const n = this.parts.gridSize;
    for (let size = 1; size <= maxBatch; size++) {
      const images = encodeImages(new Uint8Array(size * n * n), new Int32Array(2 * size), new Int32Array(size), n);
      try {
        this.recordingFor(images);
      } finally {
        images.dispose();
      }
    }
  }

  /** Plans a batch: one native task for the q maps and all rollouts. */
  async run(plans: CheckedPlan[]): Promise<{ path: [number, number][]; reached: boolean }[]> {
    const n = this.parts.gridSize;
    const cells = n * n;
    // The batch runs at its own size (see predict_async.ts): each size is recorded once.
    const size = plans.length;
    const obstacles = new Uint8Array(size * cells);
    const goals = new Int32Array(2 * size);
    plans.forEach((plan, b) => {
      obstacles.set(plan.obstacles, b * cells);
      goals.set(plan.goal, 2 * b);
    });
    const jobs = Int32Array.from(plans.flatMap((p, b) => [b, p.start[0], p.start[1], p.goal[0], p.goal[1], p.maxSteps]));
    const images = encodeImages(obstacles, goals, Int32Array.from({ length: size }, (_, b) => b), n);
    try {
      const recording = this.recordingFor(images);
      const outcomes = await recording.planRollouts(images, this.weights, this.kernel, obstacles, jobs, MOVES);
      return outcomes.map((o) => ({
        path: Array.from({ length: o.path.length / 2 }, (_, i) => [o.path[2 * i], o.path[2 * i + 1]] as [number, number]),
        reached: o.reached,
      }));
    } finally {
      images.dispose();
    }
  }
}
