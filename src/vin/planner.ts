/**
 * `loadPlanner(dir)`: a trained VIN behind a small planning API for library and server use.
 * Requests are checked first; a bad map, start or goal throws a KeratorchError that says why.
 */
import { K, KeratorchError, Tensor, tidy, vin } from '../backend';
import { describe } from '../backend/validate';
import { Batcher, Model } from '../engine';
import { loadModel } from '../io/model-io';
import { optionsObject } from '../backend/validate';
import { Cell } from './data/dataset';
import { ObstacleMap, obstacleCells } from './obstacle_map';
import { checkPlanK, encodeImages, PlanEnd, PlanK, qMaps, rewardMaps, rollouts, VinParts, vinParts } from './planning';
import { AsyncPlanning, CheckedPlan } from './planning_async';

/** A map with a goal: obstacles as n rows of n cells (1 = obstacle) or a flat row-major n*n array. */
export interface MapRequest {
  obstacles: ObstacleMap;
  goal: [number, number];
}

/** A planning request. */
export interface PlanRequest extends MapRequest {
  start: [number, number];
  /** Moves allowed before giving up (default 4 n). */
  maxSteps?: number;
  /**
   * Value-iteration steps: an integer up to 10,000 (the model's own k by default: the weights are tied, so
   * more steps let values reach farther cells), or `'auto'`: doubling from the model's k until the value
   * map stops changing.
   */
  k?: PlanK;
}

/** A planned path. */
export interface PlanResult {
  /** Cells as [row, col], start first; after a loop, the revisited cell last. */
  path: [number, number][];
  /** Whether the path ends at the goal. */
  reached: boolean;
  /** Why the plan ended: `reached`, `loop` (back at a visited cell), `maxSteps` or `blocked` (a move into an obstacle or off the map). */
  ended: PlanEnd;
  /** The value-iteration steps the plan used (the adaptive mode's choice for 'auto'). */
  k: number;
}

// rewardMap and valueMap take a whole plan request too (one object serves a plan and its pictures):
// what they do not use is ignored, what no request has is refused.
const REQUEST_KEYS = ['obstacles', 'goal', 'start', 'maxSteps', 'k'];

function fail(message: string, code: 'ERR_ARGUMENT' | 'ERR_SHAPE' | 'ERR_VALUE' = 'ERR_ARGUMENT'): never {
  throw new KeratorchError(`plan: ${message}`, code, 'plan');
}

/** Plans paths with a trained VIN. */
export class Planner {
  private readonly parts: VinParts;
  private asyncPlanning?: AsyncPlanning;
  /** One queue per k: a batch runs one q-map forward. */
  private readonly batchers = new Map<PlanK, Batcher<CheckedPlan, PlanResult>>();

  constructor(readonly model: Model) {
    this.parts = vinParts(model);
  }

  /** The side of the maps this planner handles. */
  get gridSize(): number {
    return this.parts.gridSize;
  }

  private checkMap(request: MapRequest, keys: string[]): { obstacles: Uint8Array; goal: Cell } {
    const n = this.gridSize;
    if (!request || typeof request !== 'object') fail(`expected a request object but received ${describe(request)}`);
    optionsObject('plan', request, keys);
    const obstacles = obstacleCells('plan', request.obstacles, n, `this model plans on ${n}x${n} maps`);
    return { obstacles, goal: this.checkCell('goal', request.goal, obstacles) };
  }

  private checkCell(name: string, cell: unknown, obstacles: Uint8Array): Cell {
    const n = this.gridSize;
    if (!Array.isArray(cell) || cell.length !== 2 || !cell.every((v) => Number.isInteger(v))) {
      fail(`expected ${name} as [row, col] integers but received ${describe(cell)}`);
    }
    const [row, col] = cell as [number, number];
    if (row < 0 || row >= n || col < 0 || col >= n) fail(`${name} [${row}, ${col}] is off the ${n}x${n} map`, 'ERR_VALUE');
    if (obstacles[row * n + col]) fail(`${name} [${row}, ${col}] is on an obstacle`, 'ERR_VALUE');
    return [row, col];
  }

  private checkPlan(request: PlanRequest): CheckedPlan {
    const { obstacles, goal } = this.checkMap(request, REQUEST_KEYS);
    const start = this.checkCell('start', request.start, obstacles);
    const maxSteps = request.maxSteps ?? 4 * this.gridSize;
    if (!Number.isInteger(maxSteps) || maxSteps < 0) {
      fail(`expected a non-negative integer for maxSteps but received ${describe(maxSteps)}`);
    }
    const k = checkPlanK('plan', request.k, this.parts.vi.k);
    return { rows: 1, obstacles, goal, start, maxSteps, k };
  }

  /**
   * The path from `start` following the VIN's argmax actions, until the goal, a cell visited before (the
   * policy would cycle), a move into an obstacle or off the map, or `maxSteps` moves.
   */
  plan(request: PlanRequest): PlanResult {
    const { obstacles, goal, start, maxSteps, k } = this.checkPlan(request);
    const [outcome] = rollouts(this.parts, obstacles, Int32Array.from(goal), [0], [start], [maxSteps], k);
    return { path: outcome.path, reached: outcome.reached, ended: outcome.ended, k: outcome.k };
  }

  /**
   * `plan` off the JavaScript thread, with the same checks and results: the q maps (recorded once per
   * batch size) and the whole rollout run on a worker thread, and concurrent calls are batched
   * (`serving.configure`).
   */
  async planAsync(request: PlanRequest): Promise<PlanResult> {
    const checked = this.checkPlan(request);
    this.asyncPlanning ??= new AsyncPlanning(this.parts);
    const planning = this.asyncPlanning;
    let batcher = this.batchers.get(checked.k);
    if (!batcher) {
      batcher = new Batcher((plans) => planning.run(plans));
      this.batchers.set(checked.k, batcher);
    }
    return batcher.submit(checked);
  }

  /** Records the q-map forward (at the model's k) for every batch size planAsync may use now, so no request waits for it. */
  warmUp(): void {
    this.asyncPlanning ??= new AsyncPlanning(this.parts);
    this.asyncPlanning.warmUp();
  }

  /** The learned reward map (n rows of n numbers) for a map and goal. */
  rewardMap(request: MapRequest): number[][] {
    const { obstacles, goal } = this.checkMap(request, REQUEST_KEYS);
    return tidy(() => {
      const maps = rewardMaps(this.parts, encodeImages(obstacles, Int32Array.from(goal), [0], this.gridSize));
      return K.reshape(maps, [this.gridSize, this.gridSize]).array() as number[][];
    });
  }

  /** The value map after value iteration (n rows of n numbers) for a map and goal, at `k` steps as `plan`. */
  valueMap(request: MapRequest & { k?: PlanK }): number[][] {
    const { obstacles, goal } = this.checkMap(request, REQUEST_KEYS);
    const planK = checkPlanK('plan', request.k, this.parts.vi.k);
    return tidy(() => K.noGrad(() => {
      const images = encodeImages(obstacles, Int32Array.from(goal), [0], this.gridSize);
      const k = planK === 'auto' ? qMaps(this.parts, images, planK, () => [{ obstacles, goal }]).ks[0] : planK;
      const { vi } = this.parts;
      const v: Tensor = vin.valueIteration(rewardMaps(this.parts, images), vi.wR as Tensor, vi.wV as Tensor, k,
        vi.implementation).v;
      return K.reshape(v, [this.gridSize, this.gridSize]).array() as number[][];
    }));
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.model.dispose();
  }
}

/** A planner for the VIN saved in `dir` (by `model.save` or `keratorch train`). */
export function loadPlanner(dir: string): Planner {
  return new Planner(loadModel(dir, { compile: false }));
}
