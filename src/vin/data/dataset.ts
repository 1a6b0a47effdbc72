/**
 * The gridworld path-planning data of the Value Iteration Network paper (Tamar et al. 2016): obstacle
 * maps with a goal, expert shortest paths, and every path state labelled with the expert's action.
 * The generator (generate.ts), the npz files (npz.ts) and the reader of the original MATLAB files all
 * produce exactly {@link GridworldDataset}; plain typed arrays, no tensors.
 */
import { KeratorchError } from '../../backend';
import { checkInt, fail } from '../../backend/validate';

/**
 * A set of gridworld domains (n x n maps) with expert demonstrations. Cells are (row, col), row 0 at the
 * top; flat cell index `row * n + col`. All arrays are row-major (C order).
 */
export interface GridworldDataset {
  /** n: the maps are n x n cells, a one-cell obstacle border included. */
  gridSize: number;
  /** N: the number of domains (maps). */
  numDomains: number;
  /** N*n*n: domain d's map is `obstacles[d*n*n ..]`, row-major; 1 = obstacle, 0 = free. */
  obstacles: Uint8Array;
  /** N*2: the goal of each domain as (row, col). */
  goals: Int32Array;
  /** S: the domain of each labelled state. */
  sampleDomain: Int32Array;
  /** S*2: each labelled state as (row, col). */
  sampleState: Int32Array;
  /** S: the expert's action at each labelled state, an index into {@link ACTIONS}. */
  sampleLabel: Uint8Array;
  /** P: the domain of each expert path. */
  pathDomain: Int32Array;
  /** P+1: path p is cells `pathOffsets[p] .. pathOffsets[p+1]-1` of pathCells. */
  pathOffsets: Int32Array;
  /** T*2: the cells of all paths as (row, col), each path from its start to its goal (inclusive). */
  pathCells: Int32Array;
}

/** One of the 8 deterministic moves: its name, its (row, col) displacement and its cost. */
export interface GridAction {
  readonly name: 'N' | 'S' | 'E' | 'W' | 'NE' | 'NW' | 'SE' | 'SW';
  readonly dRow: number;
  readonly dCol: number;
  /** 1 for a straight move, sqrt(2) for a diagonal one. */
  readonly cost: number;
}

function action(name: GridAction['name'], dRow: number, dCol: number): GridAction {
  return Object.freeze({ name, dRow, dCol, cost: dRow !== 0 && dCol !== 0 ? Math.SQRT2 : 1 });
}

/**
 * The 8 moves in label order (the original data's): 0 N (-1,0), 1 S (1,0), 2 E (0,1), 3 W (0,-1),
 * 4 NE (-1,1), 5 NW (-1,-1), 6 SE (1,1), 7 SW (1,-1), as (row, col) displacements.
 */
export const ACTIONS: readonly GridAction[] = Object.freeze([
  action('N', -1, 0), action('S', 1, 0), action('E', 0, 1), action('W', 0, -1),
  action('NE', -1, 1), action('NW', -1, -1), action('SE', 1, 1), action('SW', 1, -1),
]);

/** The number of actions (labels are 0 .. NUM_ACTIONS-1). */
export const NUM_ACTIONS = 8;

/** A cell as (row, col). */
export type Cell = readonly [number, number];

/**
 * Where `action` leads from `cell` on an n x n map: a move off the map or into an obstacle stays put.
 * Only the target cell matters (a diagonal move may pass between two obstacles, as in the original data).
 *
 * @param obstacles One domain's map (n*n, 1 = obstacle), e.g. {@link domainObstacles}.
 */
export function step(obstacles: Uint8Array, n: number, cell: Cell, action: number): [number, number] {
  checkInt('step', 'n', n, 1);
  if (Object.prototype.toString.call(obstacles) !== '[object Uint8Array]' || obstacles.length !== n * n) {
    fail('step', `a Uint8Array of n * n = ${n * n} cells`, 'obstacles', obstacles, 'ERR_SHAPE');
  }
  if (!Array.isArray(cell) || cell.length !== 2 || !cell.every((v) => Number.isInteger(v) && v >= 0 && v < n)) {
    fail('step', `a cell [row, col] inside the ${n}x${n} map`, 'cell', cell, Array.isArray(cell) ? 'ERR_VALUE' : 'ERR_ARGUMENT');
  }
  const move = Number.isInteger(action) ? ACTIONS[action] : undefined;
  if (move === undefined) fail('step', 'an action in 0..7', 'action', action, 'ERR_VALUE');
  const row = cell[0] + move.dRow;
  const col = cell[1] + move.dCol;
  if (row < 0 || row >= n || col < 0 || col >= n || obstacles[row * n + col] !== 0) return [cell[0], cell[1]];
  return [row, col];
}

/** Domain d's map (n*n, row-major), a view into `ds.obstacles` (no copy). */
export function domainObstacles(ds: GridworldDataset, domain: number): Uint8Array {
  checkMaps('domainObstacles', ds);
  checkInt('domainObstacles', 'domain', domain, 0, ds.numDomains - 1);
  const size = ds.gridSize * ds.gridSize;
  return ds.obstacles.subarray(domain * size, (domain + 1) * size);
}

const ARRAY_KINDS = {
  obstacles: 'Uint8Array', goals: 'Int32Array', sampleDomain: 'Int32Array', sampleState: 'Int32Array',
  sampleLabel: 'Uint8Array', pathDomain: 'Int32Array', pathOffsets: 'Int32Array', pathCells: 'Int32Array',
} as const;

function sizeError(fn: string, name: string, expected: string, length: number): never {
  throw new KeratorchError(`${fn}: expected ${expected} for ${name}.length but received ${length}`,
    'ERR_SHAPE', fn);
}

/** The checks of {@link checkDataset} that take no time: an object whose gridSize, numDomains and obstacles
 * agree (for a function that reads one domain's map, called once per domain). */
function checkMaps(fn: string, ds: GridworldDataset): void {
  if (ds === null || typeof ds !== 'object') fail(fn, 'a GridworldDataset object', 'dataset', ds);
  const cells = checkInt(fn, 'gridSize', ds.gridSize, 1) ** 2;
  const numDomains = checkInt(fn, 'numDomains', ds.numDomains, 0);
  if (Object.prototype.toString.call(ds.obstacles) !== '[object Uint8Array]') fail(fn, 'a Uint8Array', 'obstacles', ds.obstacles);
  if (ds.obstacles.length !== numDomains * cells) {
    sizeError(fn, 'obstacles', `numDomains * gridSize^2 = ${numDomains * cells}`, ds.obstacles.length);
  }
}

/**
 * Checks that `ds` is a consistent {@link GridworldDataset} and throws a KeratorchError naming the first
 * problem: wrong array types, sizes that disagree with gridSize / numDomains / the sample and path
 * counts, obstacle values other than 0/1, goals, states or path cells off the map or on an obstacle,
 * labels outside 0..7, domain indices out of range, path offsets that do not run from 0 up to the
 * number of path cells with at least one cell a path.
 *
 * @param fn The function name the messages start with (callers that check their input pass theirs).
 */
export function checkDataset(ds: GridworldDataset, fn = 'checkDataset'): void {
  checkMaps(fn, ds);
  const n = ds.gridSize;
  const numDomains = ds.numDomains;
  for (const [name, kind] of Object.entries(ARRAY_KINDS)) {
    const value = (ds as unknown as Record<string, unknown>)[name];
    // The type tag, not instanceof: arrays from another realm (a vm context, jest) are fine.
    if (Object.prototype.toString.call(value) !== `[object ${kind}]`) fail(fn, `an ${kind}`, name, value);
  }
  const cells = n * n;
  if (ds.goals.length !== 2 * numDomains) sizeError(fn, 'goals', `2 * numDomains = ${2 * numDomains}`, ds.goals.length);
  const numSamples = ds.sampleDomain.length;
  if (ds.sampleState.length !== 2 * numSamples) {
    sizeError(fn, 'sampleState', `2 * sampleDomain.length = ${2 * numSamples}`, ds.sampleState.length);
  }
  if (ds.sampleLabel.length !== numSamples) {
    sizeError(fn, 'sampleLabel', `sampleDomain.length = ${numSamples}`, ds.sampleLabel.length);
  }
  const numPaths = ds.pathDomain.length;
  if (ds.pathOffsets.length !== numPaths + 1) {
    sizeError(fn, 'pathOffsets', `pathDomain.length + 1 = ${numPaths + 1}`, ds.pathOffsets.length);
  }
  if (ds.pathCells.length % 2 !== 0) sizeError(fn, 'pathCells', 'an even number', ds.pathCells.length);

  const badValue = (expected: string, name: string, received: unknown): never =>
    fail(fn, expected, name, received, 'ERR_VALUE');
  const obstacles = ds.obstacles;
  for (let i = 0; i < obstacles.length; i++) {
    if (obstacles[i] > 1) badValue('0 (free) or 1 (obstacle)', `obstacles[${i}]`, obstacles[i]);
  }
  // A cell (row, col) of domain d: on the map and free.
  const checkCell = (name: string, cellArray: Int32Array, i: number, domain: number): void => {
    const row = cellArray[2 * i];
    const col = cellArray[2 * i + 1];
    if (row < 0 || row >= n || col < 0 || col >= n) {
      badValue(`a cell inside the ${n}x${n} map`, `${name}[${i}]`, [row, col]);
    }
    if (obstacles[domain * cells + row * n + col] !== 0) {
      badValue(`a free cell of domain ${domain}`, `${name}[${i}]`, `(${row}, ${col}), an obstacle`);
    }
  };
  const checkDomain = (name: string, value: number): void => {
    if (value < 0 || value >= numDomains) badValue(`a domain index in [0, ${numDomains - 1}]`, name, value);
  };
  for (let d = 0; d < numDomains; d++) checkCell('goals', ds.goals, d, d);
  for (let i = 0; i < numSamples; i++) {
    const domain = ds.sampleDomain[i];
    checkDomain(`sampleDomain[${i}]`, domain);
    if (ds.sampleLabel[i] >= NUM_ACTIONS) badValue('an action in 0..7', `sampleLabel[${i}]`, ds.sampleLabel[i]);
    checkCell('sampleState', ds.sampleState, i, domain);
  }
  const numCells = ds.pathCells.length / 2;
  if (ds.pathOffsets[0] !== 0) badValue('0', 'pathOffsets[0]', ds.pathOffsets[0]);
  if (ds.pathOffsets[numPaths] !== numCells) {
    badValue(`pathCells.length / 2 = ${numCells}`, `pathOffsets[${numPaths}]`, ds.pathOffsets[numPaths]);
  }
  for (let p = 0; p < numPaths; p++) {
    const domain = ds.pathDomain[p];
    checkDomain(`pathDomain[${p}]`, domain);
    const begin = ds.pathOffsets[p];
    const end = ds.pathOffsets[p + 1];
    if (end <= begin || end > numCells) {
      badValue(`an offset in [${begin + 1}, ${numCells}] (every path has a cell)`, `pathOffsets[${p + 1}]`, end);
    }
    for (let i = begin; i < end; i++) checkCell('pathCells', ds.pathCells, i, domain);
  }
}

/**
 * The domains `start .. end-1` of `ds` as a new dataset (copied), renumbered from 0, with their samples
 * and paths in their original order.
 */
export function subsetDomains(ds: GridworldDataset, start: number, end?: number): GridworldDataset {
  const fn = 'subsetDomains';
  checkDataset(ds, fn);
  return subsetChecked(fn, ds, start, end ?? ds.numDomains);
}

/** {@link subsetDomains} of a checked dataset. */
function subsetChecked(fn: string, ds: GridworldDataset, start: number, end: number): GridworldDataset {
  checkInt(fn, 'start', start, 0, ds.numDomains);
  checkInt(fn, 'end', end, start, ds.numDomains);
  const cells = ds.gridSize * ds.gridSize;
  const inRange = (d: number): boolean => d >= start && d < end;

  let numSamples = 0;
  for (let i = 0; i < ds.sampleDomain.length; i++) if (inRange(ds.sampleDomain[i])) numSamples++;
  const sampleDomain = new Int32Array(numSamples);
  const sampleState = new Int32Array(2 * numSamples);
  const sampleLabel = new Uint8Array(numSamples);
  for (let i = 0, j = 0; i < ds.sampleDomain.length; i++) {
    if (!inRange(ds.sampleDomain[i])) continue;
    sampleDomain[j] = ds.sampleDomain[i] - start;
    sampleState[2 * j] = ds.sampleState[2 * i];
    sampleState[2 * j + 1] = ds.sampleState[2 * i + 1];
    sampleLabel[j] = ds.sampleLabel[i];
    j++;
  }

  let numPaths = 0;
  let numCells = 0;
  for (let p = 0; p < ds.pathDomain.length; p++) {
    if (!inRange(ds.pathDomain[p])) continue;
    numPaths++;
    numCells += ds.pathOffsets[p + 1] - ds.pathOffsets[p];
  }
  const pathDomain = new Int32Array(numPaths);
  const pathOffsets = new Int32Array(numPaths + 1);
  const pathCells = new Int32Array(2 * numCells);
  for (let p = 0, q = 0; p < ds.pathDomain.length; p++) {
    if (!inRange(ds.pathDomain[p])) continue;
    pathDomain[q] = ds.pathDomain[p] - start;
    const from = ds.pathOffsets[p];
    const to = ds.pathOffsets[p + 1];
    pathCells.set(ds.pathCells.subarray(2 * from, 2 * to), 2 * pathOffsets[q]);
    pathOffsets[q + 1] = pathOffsets[q] + (to - from);
    q++;
  }

  return {
    gridSize: ds.gridSize,
    numDomains: end - start,
    obstacles: ds.obstacles.slice(start * cells, end * cells),
    goals: ds.goals.slice(2 * start, 2 * end),
    sampleDomain, sampleState, sampleLabel, pathDomain, pathOffsets, pathCells,
  };
}

/**
 * Splits `ds` by domain: the first `numTrain` domains train, the rest test (domains are independent
 * draws, so a prefix is a random subset). E.g. the paper's 6/7 split:
 * `splitDataset(ds, Math.round(ds.numDomains * 6 / 7))`.
 */
export function splitDataset(ds: GridworldDataset, numTrain: number):
  { train: GridworldDataset; test: GridworldDataset } {
  const fn = 'splitDataset';
  checkDataset(ds, fn);
  checkInt(fn, 'numTrain', numTrain, 0, ds.numDomains);
  return { train: subsetChecked(fn, ds, 0, numTrain), test: subsetChecked(fn, ds, numTrain, ds.numDomains) };
}
