/**
 * Shortest paths to the goal on a gridworld map: Dijkstra over the reversed moves (cost 1 straight,
 * sqrt(2) diagonal) and the expert's action. Typed arrays and a binary heap, because the generator runs
 * this once per domain (5000 maps of 28x28 in a few seconds).
 */
import { checkInt, fail } from '../../backend/validate';
import { ACTIONS, Cell, NUM_ACTIONS } from './dataset';

/**
 * Costs are sums a + b*sqrt(2) of at most n*n moves; two different ones differ by far more than this
 * (|a - b*sqrt(2)| >= 1/(3b) for integers), float rounding by far less.
 */
export const COST_TOLERANCE = 1e-9;

const D_ROW = Int32Array.from(ACTIONS, (a) => a.dRow);
const D_COL = Int32Array.from(ACTIONS, (a) => a.dCol);
const COST = Float64Array.from(ACTIONS, (a) => a.cost);

/**
 * Reusable Dijkstra buffers for n x n maps: a binary min-heap of (cost, cell) with lazy deletion (a
 * cell is pushed again when its cost drops; stale entries are skipped when popped).
 */
export class CostToGoalSolver {
  private readonly keys: Float64Array;
  private readonly cells: Int32Array;
  private size = 0;

  constructor(readonly n: number) {
    // Each cell is pushed at most once per incoming move, plus the goal.
    const capacity = n * n * NUM_ACTIONS + 1;
    this.keys = new Float64Array(capacity);
    this.cells = new Int32Array(capacity);
  }

  /**
   * Fills `cost` (n*n) with every cell's cost to reach the goal (flat index `goal`), Infinity for
   * obstacles and cells that cannot reach it.
   */
  solve(obstacles: Uint8Array, goal: number, cost: Float64Array): void {
    const n = this.n;
    cost.fill(Infinity);
    cost[goal] = 0;
    this.size = 0;
    this.push(0, goal);
    while (this.size > 0) {
      const d = this.keys[0];
      const v = this.pop();
      if (d > cost[v]) continue;
      const row = (v / n) | 0;
      const col = v - row * n;
      // u reaches v with action a when u = v - delta(a) is on the map and free.
      for (let a = 0; a < NUM_ACTIONS; a++) {
        const r = row - D_ROW[a];
        const c = col - D_COL[a];
        if (r < 0 || r >= n || c < 0 || c >= n) continue;
        const u = r * n + c;
        if (obstacles[u] !== 0) continue;
        const next = d + COST[a];
        if (next < cost[u]) {
          cost[u] = next;
          this.push(next, u);
        }
      }
    }
  }

  private push(key: number, cell: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[i] = this.keys[parent];
      this.cells[i] = this.cells[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.cells[i] = cell;
  }

  private pop(): number {
    const top = this.cells[0];
    const size = --this.size;
    const key = this.keys[size];
    const cell = this.cells[size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= key) break;
      this.keys[i] = this.keys[child];
      this.cells[i] = this.cells[child];
      i = child;
    }
    this.keys[i] = key;
    this.cells[i] = cell;
    return top;
  }
}

/**
 * The expert's action at flat cell `v`: the lowest-index action whose move is a shortest-path step
 * (cost[v] == step cost + cost[next]), or -1 at the goal and where the goal cannot be reached.
 */
export function expertActionAt(obstacles: Uint8Array, n: number, cost: Float64Array, v: number): number {
  const here = cost[v];
  if (here === 0 || here === Infinity) return -1;
  const row = (v / n) | 0;
  const col = v - row * n;
  for (let a = 0; a < NUM_ACTIONS; a++) {
    const r = row + D_ROW[a];
    const c = col + D_COL[a];
    if (r < 0 || r >= n || c < 0 || c >= n) continue;
    const u = r * n + c;
    if (obstacles[u] === 0 && Math.abs(here - COST[a] - cost[u]) <= COST_TOLERANCE) return a;
  }
  return -1;
}

function checkMap(fn: string, obstacles: Uint8Array, n: number): void {
  checkInt(fn, 'n', n, 1);
  if (Object.prototype.toString.call(obstacles) !== '[object Uint8Array]' || obstacles.length !== n * n) {
    fail(fn, `a Uint8Array of n*n = ${n * n} cells`, 'obstacles', obstacles, 'ERR_SHAPE');
  }
}

function checkCell(fn: string, name: string, cell: Cell, n: number): number {
  if (!Array.isArray(cell) || cell.length !== 2 || !cell.every((x) => Number.isInteger(x) && x >= 0 && x < n)) {
    fail(fn, `a cell [row, col] inside the ${n}x${n} map`, name, cell, 'ERR_VALUE');
  }
  return cell[0] * n + cell[1];
}

/**
 * The cost of the shortest path from every cell of one n x n map to `goal` (8 moves, 1 straight and
 * sqrt(2) diagonal, obstacles impassable): a Float64Array of n*n, row-major, 0 at the goal, Infinity on
 * obstacles and where the goal cannot be reached.
 *
 * @param obstacles One domain's map (n*n, 1 = obstacle).
 * @param goal The goal as (row, col); it must be free.
 */
export function costToGoal(obstacles: Uint8Array, n: number, goal: Cell): Float64Array {
  const fn = 'costToGoal';
  checkMap(fn, obstacles, n);
  const g = checkCell(fn, 'goal', goal, n);
  if (obstacles[g] !== 0) fail(fn, 'a free cell', 'goal', goal, 'ERR_VALUE');
  const cost = new Float64Array(n * n);
  new CostToGoalSolver(n).solve(obstacles, g, cost);
  return cost;
}

/**
 * The expert's action at `cell`: the lowest-index action of {@link ACTIONS} that moves along a shortest
 * path to the goal, given `cost` from {@link costToGoal}; -1 at the goal or where the goal cannot be
 * reached.
 */
export function expertAction(obstacles: Uint8Array, n: number, cost: Float64Array, cell: Cell): number {
  const fn = 'expertAction';
  checkMap(fn, obstacles, n);
  if (Object.prototype.toString.call(cost) !== '[object Float64Array]' || cost.length !== n * n) {
    fail(fn, `a Float64Array of n*n = ${n * n} costs`, 'cost', cost, 'ERR_SHAPE');
  }
  return expertActionAt(obstacles, n, cost, checkCell(fn, 'cell', cell, n));
}
