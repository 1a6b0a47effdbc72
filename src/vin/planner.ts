/**
 * `loadPlanner(dir)`: a trained VIN behind a small planning API for library and server use.
 * Requests are checked first; a bad map, start or goal throws a KeratorchError that says why.
 */
import { K, KeratorchError, Tensor, tidy } from '../backend';
import { describe } from '../backend/validate';
import { Batcher, Model } from '../engine';
import { loadModel } from '../io/model-io';
import { Cell } from './data/dataset';
import { encodeImages, rewardMaps, rollouts, VinParts, vinParts } from './planning';
import { AsyncPlanning, CheckedPlan } from './planning_async';

/** A map with a goal: obstacles as n rows of n numbers (1 = obstacle) or a flat n*n array. */
export interface MapRequest {
  obstacles: number[][] | ArrayLike<number>;
  goal: [number, number];
}

/** A planning request. */
export interface PlanRequest extends MapRequest {
  start: [number, number];
  /** Moves allowed before giving up (default 4 n). */
  maxSteps?: number;
}

/** A planned path. */
export interface PlanResult {
  /** Cells as [row, col], start first. */
  path: [number, number][];
  /** Whether the path ends at the goal. */
  reached: boolean;
}

function fail(message: string, code: 'ERR_ARGUMENT' | 'ERR_SHAPE' | 'ERR_VALUE' = 'ERR_ARGUMENT'): never {
  throw new KeratorchError(`plan: ${message}`, code, 'plan');
}

/** Plans paths with a trained VIN. */
export class Planner {
  private readonly parts: VinParts;
  private asyncPlanning?: AsyncPlanning;
  private batcher?: Batcher<CheckedPlan, PlanResult>;

  constructor(readonly model: Model) {
    this.parts = vinParts(model);
  }

  /** The side of the maps this planner handles. */
  get gridSize(): number {
    return this.parts.gridSize;
  }

  private checkMap(request: MapRequest): { obstacles: Uint8Array; goal: Cell } {
    const n = this.gridSize;
    if (!request || typeof request !== 'object') fail(`expected a request object but received ${describe(request)}`);
    const { obstacles, goal } = request;
    const flat = new Uint8Array(n * n);
    if (Array.isArray(obstacles) && Array.isArray(obstacles[0])) {
      const rows = obstacles as number[][];
      if (rows.length !== n || rows.some((row) => !Array.isArray(row) || row.length !== n)) {
        fail(`expected obstacles as ${n} rows of ${n} cells (this model plans on ${n}x${n} maps) but received ` +
          `${rows.length} rows of ${rows.map((r) => (Array.isArray(r) ? r.length : typeof r)).slice(0, 3).join('/')}...`, 'ERR_SHAPE');
      }
      rows.forEach((row, i) => row.forEach((v, j) => { flat[i * n + j] = this.cellValue(v, i, j); }));
    } else if (obstacles && typeof (obstacles as ArrayLike<number>).length === 'number') {
      const list = obstacles as ArrayLike<number>;
      if (list.length !== n * n) fail(`expected ${n * n} obstacle cells (an ${n}x${n} map) but received ${list.length}`, 'ERR_SHAPE');
      for (let i = 0; i < list.length; i++) flat[i] = this.cellValue(list[i], Math.floor(i / n), i % n);
    } else {
      fail(`expected obstacles as an ${n}x${n} array of 0/1 but received ${typeof obstacles}`);
    }
    return { obstacles: flat, goal: this.checkCell('goal', goal, flat) };
  }

  private cellValue(value: unknown, row: number, col: number): number {
    if (value !== 0 && value !== 1 && value !== true && value !== false) {
      fail(`expected 0 or 1 for obstacles[${row}][${col}] but received ${describe(value)}`, 'ERR_VALUE');
    }
    return Number(value);
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
    const { obstacles, goal } = this.checkMap(request);
    const start = this.checkCell('start', request.start, obstacles);
    const maxSteps = request.maxSteps ?? 4 * this.gridSize;
    if (!Number.isInteger(maxSteps) || maxSteps < 0) {
      fail(`expected a non-negative integer for maxSteps but received ${describe(maxSteps)}`);
    }
    return { rows: 1, obstacles, goal, start, maxSteps };
  }

  /** The path from `start` following the VIN's argmax actions, until the goal or `maxSteps` moves. */
  plan(request: PlanRequest): PlanResult {
    const { obstacles, goal, start, maxSteps } = this.checkPlan(request);
    const [outcome] = rollouts(this.parts, obstacles, Int32Array.from(goal), [0], [start], [maxSteps]);
    return { path: outcome.path, reached: outcome.reached };
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
    this.batcher ??= new Batcher((plans) => planning.run(plans));
    return this.batcher.submit(checked);
  }

  /** Records the q-map forward for every batch size planAsync may use now, so no request waits for it. */
  warmUp(): void {
    this.asyncPlanning ??= new AsyncPlanning(this.parts);
    this.asyncPlanning.warmUp();
  }

  /** The learned reward map (n rows of n numbers) for a map and goal. */
  rewardMap(request: MapRequest): number[][] {
    const { obstacles, goal } = this.checkMap(request);
    return tidy(() => {
      const maps = rewardMaps(this.parts, encodeImages(obstacles, Int32Array.from(goal), [0], this.gridSize));
      return K.reshape(maps, [this.gridSize, this.gridSize]).array() as number[][];
    });
  }

  /** The value map after value iteration (n rows of n numbers) for a map and goal. */
  valueMap(request: MapRequest): number[][] {
    const { obstacles, goal } = this.checkMap(request);
    return tidy(() => K.noGrad(() => {
      const r = rewardMaps(this.parts, encodeImages(obstacles, Int32Array.from(goal), [0], this.gridSize));
      const v: Tensor = this.parts.vi.valueMaps(r);
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
