/**
 * The VIN paper's own gridworld files (github.com/avivt/VIN, `data/gridworld_{8,16,28}.mat` and
 * `..._test.mat`, MATLAB v5) as {@link GridworldDataset}. In both layouts an image holds 1 for a free
 * cell and 0 for an obstacle, and a value map holds 10 at the goal.
 *
 * - Training files (script_make_data.m): one row per labelled state. `im_data` and `value_data` hold
 *   the domain's image and value map, row-major (MATLAB transposed them for Python); `state_xy_data`
 *   the 0-based (row, col); `label_data` the action 0..7. A domain's rows are consecutive (its
 *   trajectories in order, goals left out). The `batch_*` / `state_x_data` / `state_y_data` arrays
 *   hold the same states per domain, shuffled and padded to groups of 10, and are not read.
 * - Test files (script_make_test_data.m): one row per domain. `all_im_data` and `all_value_data` are
 *   column-major (MATLAB's `reshape(im, 1, [])`); `all_states_xy` is a cell array of expert paths as
 *   1-based (row, col), start first, goal last.
 */
import { readMat } from '../../io/matlab';
import type { MatNumeric, MatValue } from '../../io/matlab';
import { KeratorchError } from '../../backend/errors';
import { fail } from '../../backend/validate';
import { ACTIONS, checkDataset } from './dataset';
import type { GridworldDataset } from './dataset';

const OP = 'loadOriginalGridworld';

/** The variables each layout needs (the files hold more). */
export const ORIGINAL_TRAIN_VARIABLES = ['im_data', 'value_data', 'state_xy_data', 'label_data'] as const;
/** The variables of a test file. */
export const ORIGINAL_TEST_VARIABLES = ['all_im_data', 'all_value_data', 'all_states_xy'] as const;

/** The value a value map holds at the goal. */
const GOAL_VALUE = 10;

/** A numeric matrix read column-major: `at(i, j)` is row i, column j. */
interface Matrix {
  rows: number;
  cols: number;
  values: ArrayLike<number>;
}

function at(m: Matrix, i: number, j: number): number {
  return m.values[i + m.rows * j];
}

/** Converts with the file named in every message. */
class Converter {
  constructor(private readonly label: string, private readonly variables: Record<string, MatValue>) {}

  fail(message: string): never {
    throw new KeratorchError(`${OP}: ${this.label}: ${message}`, 'ERR_VALUE', OP);
  }

  /** A real 2-D numeric variable, with its number of rows and columns checked where given. */
  matrix(name: string, value: MatValue = this.variables[name], rows?: number, cols?: number): Matrix {
    if (value.kind !== 'numeric' || value.imag !== undefined || value.dims.length !== 2) {
      const what = value.kind === 'numeric'
        ? `${value.imag ? 'complex ' : ''}${value.dims.length}-D ${value.class} array` : `${value.kind} array`;
      this.fail(`expected ${name} to be a real 2-D numeric matrix but it is a ${what}`);
    }
    const [r, c] = value.dims;
    if ((rows !== undefined && r !== rows) || (cols !== undefined && c !== cols)) {
      this.fail(`expected ${name} to be ${rows ?? 'any'} x ${cols ?? 'any'} but it is ${r} x ${c}`);
    }
    return { rows: r, cols: c, values: numbers(value) };
  }

  /** n from a matrix with n*n columns (one map a row). */
  gridSize(name: string, m: Matrix): number {
    const n = Math.round(Math.sqrt(m.cols));
    if (n * n !== m.cols || n < 1) this.fail(`expected ${name} to have n*n columns (one map a row) but it has ${m.cols}`);
    return n;
  }

  /** 1 - image, checking the image holds only 0 (obstacle) and 1 (free). */
  obstacle(name: string, value: number, row: number, col: number): number {
    if (value !== 0 && value !== 1) this.fail(`${name}(${row + 1}, ${col + 1}) is ${value}; expected 1 (free) or 0 (obstacle)`);
    return 1 - value;
  }

  /** The one cell (as a flat index into the row) where a value map holds 10. */
  goalIndex(name: string, m: Matrix, row: number): number {
    let goal = -1;
    for (let k = 0; k < m.cols; k++) {
      if (at(m, row, k) !== GOAL_VALUE) continue;
      if (goal >= 0) this.fail(`${name} row ${row + 1} holds the goal value ${GOAL_VALUE} twice, in columns ${goal + 1} and ${k + 1}`);
      goal = k;
    }
    if (goal < 0) this.fail(`${name} row ${row + 1} has no goal (no cell holds ${GOAL_VALUE})`);
    return goal;
  }

  cell(name: string, row: number, col: number, n: number): void {
    if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || row >= n || col < 0 || col >= n) {
      this.fail(`${name} is (${row}, ${col}), not a cell of the ${n}x${n} map (0-based)`);
    }
  }
}

function numbers(value: MatNumeric): ArrayLike<number> {
  const data = value.data;
  return data instanceof BigInt64Array || data instanceof BigUint64Array ? Float64Array.from(data, Number) : data;
}

/** The action index of the move from (r0, c0) to (r1, c1), or -1 when it is not one of the 8 moves. */
function actionOf(dRow: number, dCol: number): number {
  return ACTIONS.findIndex((a) => a.dRow === dRow && a.dCol === dCol);
}

function convertTrain(cv: Converter): GridworldDataset {
  const image = cv.matrix('im_data');
  const n = cv.gridSize('im_data', image);
  const cells = n * n;
  const numSamples = image.rows;
  const value = cv.matrix('value_data', undefined, numSamples, cells);
  const states = cv.matrix('state_xy_data', undefined, numSamples, 2);
  const labelValue = cv.matrix('label_data');
  if (labelValue.rows * labelValue.cols !== numSamples || Math.min(labelValue.rows, labelValue.cols) !== 1) {
    cv.fail(`expected label_data to be a ${numSamples}-vector (one label a row of im_data) but it is ` +
      `${labelValue.rows} x ${labelValue.cols}`);
  }

  // A domain is a run of consecutive rows with the same image and goal (the generator writes each
  // domain's trajectories together); identical neighbours would be the same domain anyway.
  const goalOf = new Int32Array(numSamples);
  const startsDomain = new Uint8Array(numSamples);
  let numDomains = 0;
  for (let s = 0; s < numSamples; s++) {
    goalOf[s] = cv.goalIndex('value_data', value, s);
    let fresh = s === 0 || goalOf[s] !== goalOf[s - 1];
    for (let k = 0; k < cells && !fresh; k++) fresh = at(image, s, k) !== at(image, s - 1, k);
    if (fresh) {
      startsDomain[s] = 1;
      numDomains++;
    }
  }

  const obstacles = new Uint8Array(numDomains * cells);
  const goals = new Int32Array(2 * numDomains);
  const sampleDomain = new Int32Array(numSamples);
  const sampleState = new Int32Array(2 * numSamples);
  const sampleLabel = new Uint8Array(numSamples);
  let d = -1;
  for (let s = 0; s < numSamples; s++) {
    if (startsDomain[s]) {
      d++;
      // Row-major already: flat index k = row * n + col.
      for (let k = 0; k < cells; k++) obstacles[d * cells + k] = cv.obstacle('im_data', at(image, s, k), s, k);
      goals[2 * d] = Math.floor(goalOf[s] / n);
      goals[2 * d + 1] = goalOf[s] % n;
    }
    sampleDomain[s] = d;
    const row = at(states, s, 0);
    const col = at(states, s, 1);
    cv.cell(`state_xy_data row ${s + 1}`, row, col, n);
    sampleState[2 * s] = row;
    sampleState[2 * s + 1] = col;
    const label = labelValue.values[s];
    if (!Number.isInteger(label) || label < 0 || label >= ACTIONS.length) {
      cv.fail(`label_data row ${s + 1} is ${label}; expected an action in 0..${ACTIONS.length - 1}`);
    }
    sampleLabel[s] = label;
  }
  return {
    gridSize: n, numDomains, obstacles, goals, sampleDomain, sampleState, sampleLabel,
    pathDomain: new Int32Array(0), pathOffsets: new Int32Array(1), pathCells: new Int32Array(0),
  };
}

function convertTest(cv: Converter, variables: Record<string, MatValue>): GridworldDataset {
  const image = cv.matrix('all_im_data');
  const n = cv.gridSize('all_im_data', image);
  const cells = n * n;
  const numDomains = image.rows;
  const value = cv.matrix('all_value_data', undefined, numDomains, cells);
  const pathsValue = variables.all_states_xy;
  if (pathsValue.kind !== 'cell' || pathsValue.cells.length !== numDomains) {
    const what = pathsValue.kind === 'cell' ? `a cell array of ${pathsValue.cells.length}` : `a ${pathsValue.kind} array`;
    cv.fail(`expected all_states_xy to be a cell array of ${numDomains} paths (one a domain) but it is ${what}`);
  }

  const obstacles = new Uint8Array(numDomains * cells);
  const goals = new Int32Array(2 * numDomains);
  const paths: Matrix[] = [];
  let numCells = 0;
  for (let d = 0; d < numDomains; d++) {
    // Column-major maps: MATLAB's flat index is row + n * col.
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        obstacles[d * cells + r * n + c] = cv.obstacle('all_im_data', at(image, d, r + n * c), d, r + n * c);
      }
    }
    const goal = cv.goalIndex('all_value_data', value, d);
    goals[2 * d] = goal % n;
    goals[2 * d + 1] = Math.floor(goal / n);
    const path = cv.matrix(`all_states_xy{${d + 1}}`, pathsValue.cells[d]);
    if (path.rows > 0 && path.cols !== 2) {
      cv.fail(`expected all_states_xy{${d + 1}} to be L x 2 (row, col) but it is ${path.rows} x ${path.cols}`);
    }
    paths.push(path);
    numCells += path.rows;
  }

  // An empty cell is a domain without a path; the files have none.
  const numPaths = paths.filter((p) => p.rows > 0).length;
  const pathDomain = new Int32Array(numPaths);
  const pathOffsets = new Int32Array(numPaths + 1);
  const pathCells = new Int32Array(2 * numCells);
  const numSamples = numCells - numPaths;
  const sampleDomain = new Int32Array(numSamples);
  const sampleState = new Int32Array(2 * numSamples);
  const sampleLabel = new Uint8Array(numSamples);
  let p = 0;
  let t = 0;
  let s = 0;
  for (let d = 0; d < numDomains; d++) {
    const path = paths[d];
    if (path.rows === 0) continue;
    const name = `all_states_xy{${d + 1}}`;
    for (let i = 0; i < path.rows; i++) {
      const row = at(path, i, 0) - 1;
      const col = at(path, i, 1) - 1;
      cv.cell(`${name} cell ${i + 1} (0-based)`, row, col, n);
      pathCells[2 * (t + i)] = row;
      pathCells[2 * (t + i) + 1] = col;
      if (i === 0) continue;
      // Each state but the goal is labelled with the move to the next one.
      const prevRow = pathCells[2 * (t + i - 1)];
      const prevCol = pathCells[2 * (t + i - 1) + 1];
      const action = actionOf(row - prevRow, col - prevCol);
      if (action < 0) {
        cv.fail(`${name} steps from (${prevRow}, ${prevCol}) to (${row}, ${col}) (0-based), which is not one of the 8 moves`);
      }
      sampleDomain[s] = d;
      sampleState[2 * s] = prevRow;
      sampleState[2 * s + 1] = prevCol;
      sampleLabel[s] = action;
      s++;
    }
    const last = t + path.rows - 1;
    if (pathCells[2 * last] !== goals[2 * d] || pathCells[2 * last + 1] !== goals[2 * d + 1]) {
      cv.fail(`${name} ends at (${pathCells[2 * last]}, ${pathCells[2 * last + 1]}), not at the goal ` +
        `(${goals[2 * d]}, ${goals[2 * d + 1]}) (0-based)`);
    }
    pathDomain[p] = d;
    t += path.rows;
    pathOffsets[++p] = t;
  }
  return {
    gridSize: n, numDomains, obstacles, goals, sampleDomain, sampleState, sampleLabel, pathDomain, pathOffsets, pathCells,
  };
}

/**
 * Converts the variables of an original VIN gridworld file (see {@link loadOriginalGridworld}) into a
 * {@link GridworldDataset}; the layout (training or test) is told by the variable names.
 *
 * @param variables What {@link readMat} returned.
 * @param label How messages name the source (default 'variables').
 * @throws KeratorchError `ERR_VALUE` (op `loadOriginalGridworld`) when the variables are neither layout
 *   (the message lists those found and those expected), or hold inconsistent data: sizes that
 *   disagree, image values other than 0/1, a value map without exactly one 10, states off the map or
 *   on an obstacle, labels outside 0..7, paths that do not move one cell at a time or end elsewhere
 *   than at the goal.
 */
export function originalGridworldFromMat(variables: Record<string, MatValue>, label = 'variables'): GridworldDataset {
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    fail('originalGridworldFromMat', "readMat's result (an object of variables by name)", 'variables', variables);
  }
  if (typeof label !== 'string') fail('originalGridworldFromMat', 'a string', 'label', label);
  // Typed, so that TypeScript sees cv.fail never returns.
  const cv: Converter = new Converter(label, variables);
  const found = Object.keys(variables);
  const has = (names: readonly string[]): boolean => names.every((name) => found.includes(name));
  let ds: GridworldDataset;
  if (has(ORIGINAL_TRAIN_VARIABLES)) {
    ds = convertTrain(cv);
  } else if (has(ORIGINAL_TEST_VARIABLES)) {
    ds = convertTest(cv, variables);
  } else {
    const missing = (names: readonly string[]): string => names.filter((name) => !found.includes(name)).join(', ');
    cv.fail(`not an original VIN gridworld file: found variables [${found.join(', ')}]; expected a training ` +
      `file with [${ORIGINAL_TRAIN_VARIABLES.join(', ')}] (missing ${missing(ORIGINAL_TRAIN_VARIABLES)}) or a ` +
      `test file with [${ORIGINAL_TEST_VARIABLES.join(', ')}] (missing ${missing(ORIGINAL_TEST_VARIABLES)})`);
  }
  // Goals, states and path cells on free cells, and the sizes, as every producer of the type guarantees.
  try {
    checkDataset(ds, OP);
  } catch (error) {
    const message = error instanceof KeratorchError ? error.message.replace(`${OP}: `, '') : String(error);
    cv.fail(`the converted data is inconsistent: ${message}`);
  }
  return ds;
}

/**
 * Reads one of the VIN paper's gridworld files (`gridworld_8.mat`, `gridworld_16_test.mat`, ...) as a
 * {@link GridworldDataset}. Maps become obstacles = 1 - image (row-major); goals are the cells where
 * the value map holds 10.
 *
 * - A training file gives one domain per run of consecutive rows with the same image and goal, and
 *   its labelled states (`state_xy_data`, `label_data`) as samples; it has no paths (the path arrays
 *   are empty).
 * - A test file gives one domain per row of `all_im_data`, its expert path from `all_states_xy`
 *   (converted to 0-based), and as samples every path state but the goal, labelled with the move to
 *   the next cell.
 *
 * @param source The file path, or its bytes.
 * @throws KeratorchError `ERR_VALUE` from {@link readMat} (op `readMat`) when the file is not a
 *   readable MAT v5 file, or from {@link originalGridworldFromMat} (op `loadOriginalGridworld`) when it
 *   is neither layout or its data is inconsistent.
 */
export function loadOriginalGridworld(source: string | Uint8Array): GridworldDataset {
  const label = typeof source === 'string' ? JSON.stringify(source) : `${source?.length}-byte buffer`;
  return originalGridworldFromMat(readMat(source), label);
}
