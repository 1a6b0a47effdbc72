/**
 * loadOriginalGridworld on the VIN paper's 8x8 files (counts, the paper's statistics, paths on free
 * cells ending at the goal, labels that match the moves in both layouts, the layout facts the
 * conversion relies on), and its errors on files and variables of the wrong kind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readMat } from '../../../src/io';
import type { MatValue } from '../../../src/io';
import {
  ACTIONS, checkDataset, datasetStats, loadOriginalGridworld, originalGridworldFromMat,
} from '../../../src/vin';
import type { GridworldDataset } from '../../../src/vin';
import { expectKeratorchError } from '../../helpers/memory';

// The repository's sibling shared/ folder (this file is test/vin/data/matlab.test.ts).
const vinData = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'vin-original');
const trainFile = path.join(vinData, 'gridworld_8.mat');
const testFile = path.join(vinData, 'gridworld_8_test.mat');
const hasVinData = fs.existsSync(trainFile) && fs.existsSync(testFile);
const withVinData = hasVinData ? test : test.skip;
const vinNote = hasVinData ? '' : ` (skipped: ${vinData} not found)`;

type Numeric = Extract<MatValue, { kind: 'numeric' }>;

function numeric(cls: Numeric['class'], dims: number[], values: number[]): Numeric {
  return { kind: 'numeric', class: cls, dims, data: Float64Array.from(values) };
}

/**
 * Every path lies on free cells and ends at its domain's goal; the samples are the paths' cells but
 * the last, in order, each labelled with the move (an ACTIONS index) to the next cell.
 */
function expectPathsValid(ds: GridworldDataset): void {
  const n = ds.gridSize;
  let s = 0;
  for (let p = 0; p < ds.pathDomain.length; p++) {
    const d = ds.pathDomain[p];
    const begin = ds.pathOffsets[p];
    const end = ds.pathOffsets[p + 1];
    for (let i = begin; i < end; i++) {
      const [r, c] = [ds.pathCells[2 * i], ds.pathCells[2 * i + 1]];
      if (ds.obstacles[d * n * n + r * n + c] !== 0) throw new Error(`path ${p} crosses an obstacle at (${r}, ${c})`);
      if (i === end - 1) break;
      const move = ACTIONS[ds.sampleLabel[s]];
      const next = [ds.pathCells[2 * i + 2], ds.pathCells[2 * i + 3]];
      if (ds.sampleDomain[s] !== d || ds.sampleState[2 * s] !== r || ds.sampleState[2 * s + 1] !== c) {
        throw new Error(`sample ${s} is not cell ${i} of path ${p}`);
      }
      if (r + move.dRow !== next[0] || c + move.dCol !== next[1]) throw new Error(`sample ${s}: label ${move.name} does not lead to the next cell`);
      s++;
    }
    const last = end - 1;
    expect([ds.pathCells[2 * last], ds.pathCells[2 * last + 1]]).toEqual([ds.goals[2 * d], ds.goals[2 * d + 1]]);
  }
  expect(s).toBe(ds.sampleDomain.length);
}

describe('loadOriginalGridworld on the paper\'s 8x8 files', () => {
  let train: GridworldDataset;
  let testSet: GridworldDataset;
  beforeAll(() => {
    if (!hasVinData) return;
    train = loadOriginalGridworld(trainFile);
    testSet = loadOriginalGridworld(testFile);
  });

  withVinData(`training file: 3672 domains, 70924 labelled states, no paths${vinNote}`, () => {
    checkDataset(train);
    expect([train.gridSize, train.numDomains, train.sampleDomain.length, train.pathDomain.length])
      .toEqual([8, 3672, 70924, 0]);
    expect(Array.from(train.pathOffsets)).toEqual([0]);
    expect(train.pathCells.length).toBe(0);
    // Samples come domain by domain.
    for (let s = 1; s < train.sampleDomain.length; s++) {
      if (train.sampleDomain[s] !== train.sampleDomain[s - 1] && train.sampleDomain[s] !== train.sampleDomain[s - 1] + 1) {
        throw new Error(`sample ${s} jumps domains`);
      }
    }
    const stats = datasetStats(train);
    expect(stats.interiorDensity).toBeCloseTo(0.1074, 4);
  });

  withVinData(`training labels are the moves along the expert trajectories${vinNote}`, () => {
    // Each sample's move leads to a free cell that is the next sample's state (same trajectory) or
    // the goal (the trajectory ends there; goals are not labelled): the labels use ACTIONS' order.
    const n = train.gridSize;
    let trajectories = 0;
    for (let s = 0; s < train.sampleDomain.length; s++) {
      const d = train.sampleDomain[s];
      const move = ACTIONS[train.sampleLabel[s]];
      const r = train.sampleState[2 * s] + move.dRow;
      const c = train.sampleState[2 * s + 1] + move.dCol;
      if (train.obstacles[d * n * n + r * n + c] !== 0) throw new Error(`sample ${s} moves onto an obstacle`);
      const atGoal = r === train.goals[2 * d] && c === train.goals[2 * d + 1];
      const continues = s + 1 < train.sampleDomain.length && train.sampleDomain[s + 1] === d &&
        train.sampleState[2 * s + 2] === r && train.sampleState[2 * s + 3] === c;
      if (!atGoal && !continues) throw new Error(`sample ${s}: label ${move.name} leads neither to the next state nor to the goal`);
      if (atGoal) trajectories++;
    }
    expect(trajectories).toBe(24896);
  });

  withVinData(`training file: the batch_* arrays hold the same states per domain, in groups of 10${vinNote}`, () => {
    const v = readMat(trainFile);
    const im = v.batch_im_data as Numeric;
    const value = v.batch_value_data as Numeric;
    const xs = v.state_x_data as Numeric;
    const ys = v.state_y_data as Numeric;
    const labels = v.batch_label_data as Numeric;
    const rows = im.dims[0];
    expect([rows, xs.dims[1]]).toEqual([9072, 10]);
    const sameRow = (m: Numeric, a: number, b: number): boolean => {
      for (let k = 0; k < m.dims[1]; k++) if (m.data[a + rows * k] !== m.data[b + rows * k]) return false;
      return true;
    };
    // Runs of identical (image, value map) rows are the same 3672 domains, in the same order.
    const batchSets: Set<string>[] = [];
    for (let b = 0; b < rows; b++) {
      if (b === 0 || !sameRow(im, b, b - 1) || !sameRow(value, b, b - 1)) batchSets.push(new Set());
      for (let j = 0; j < 10; j++) {
        const at = b + rows * j;
        batchSets[batchSets.length - 1].add(`${xs.data[at]},${ys.data[at]},${labels.data[at]}`);
      }
    }
    expect(batchSets).toHaveLength(train.numDomains);
    const flatSets = batchSets.map(() => new Set<string>());
    for (let s = 0; s < train.sampleDomain.length; s++) {
      flatSets[train.sampleDomain[s]].add(`${train.sampleState[2 * s]},${train.sampleState[2 * s + 1]},${train.sampleLabel[s]}`);
    }
    expect(flatSets).toEqual(batchSets);
  });

  withVinData(`test file: 1000 domains, 1000 paths, 2958 labelled states${vinNote}`, () => {
    checkDataset(testSet);
    expect([testSet.gridSize, testSet.numDomains, testSet.pathDomain.length, testSet.sampleDomain.length])
      .toEqual([8, 1000, 1000, 2958]);
    expect(Array.from(testSet.pathDomain)).toEqual(Array.from({ length: 1000 }, (_, d) => d));
    expect(testSet.pathCells.length / 2).toBe(3958);
    // The first path, from the file's 1-based [3 6; 4 5; 5 4; 6 4; 7 3; 7 2].
    expect(Array.from(testSet.pathCells.subarray(0, 12))).toEqual([2, 5, 3, 4, 4, 3, 5, 3, 6, 2, 6, 1]);
    expect(Array.from(testSet.goals.subarray(0, 2))).toEqual([6, 1]);
  });

  withVinData(`test file: the paper's statistics (interior density 0.108, 3.96 cells a path, start and goal included)${vinNote}`, () => {
    const stats = datasetStats(testSet);
    expect(stats.interiorDensity).toBeCloseTo(0.108, 3);
    expect(stats.meanPathStates).toBeCloseTo(3.96, 2);
    expect(stats.meanPathStates).toBe(3.958);
    // Labelled states a path is one less.
    expect(testSet.sampleDomain.length / testSet.pathDomain.length).toBe(2.958);
  });

  withVinData(`test file: every path stays on free cells, moves one cell at a time and ends at the goal${vinNote}`, () => {
    expectPathsValid(testSet);
  });

  withVinData(`both files: a one-cell obstacle border; the test labels use every action, like the training labels${vinNote}`, () => {
    for (const ds of [train, testSet]) {
      const n = ds.gridSize;
      for (let d = 0; d < ds.numDomains; d++) {
        for (let i = 0; i < n; i++) {
          const base = d * n * n;
          const border = [base + i, base + (n - 1) * n + i, base + i * n, base + i * n + n - 1];
          if (border.some((k) => ds.obstacles[k] !== 1)) throw new Error(`domain ${d} has a gap in its border`);
        }
      }
      expect(new Set(ds.sampleLabel)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    }
  });

  withVinData(`test file layout: all_im_data and all_value_data are column-major, paths 1-based${vinNote}`, () => {
    // Reading the test maps row-major instead would put paths across obstacles and away from goals.
    const v = readMat(testFile);
    const im = v.all_im_data as Numeric;
    const value = v.all_value_data as Numeric;
    const paths = v.all_states_xy as Extract<MatValue, { kind: 'cell' }>;
    const N = im.dims[0];
    let onFreeRowMajor = 0;
    let atGoalRowMajor = 0;
    for (let d = 0; d < N; d++) {
      const L = (paths.cells[d] as Numeric).dims[0];
      const cells = (paths.cells[d] as Numeric).data as Float64Array;
      let free = true;
      for (let i = 0; i < L; i++) {
        const [r, c] = [cells[i] - 1, cells[i + L] - 1];
        if (im.data[d + N * (r * 8 + c)] !== 1) free = false;
      }
      onFreeRowMajor += free ? 1 : 0;
      const [gr, gc] = [cells[L - 1] - 1, cells[2 * L - 1] - 1];
      atGoalRowMajor += value.data[d + N * (gr * 8 + gc)] === 10 ? 1 : 0;
    }
    expect([onFreeRowMajor, atGoalRowMajor]).toEqual([689, 171]);
  });
});

describe('loadOriginalGridworld errors', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-vin-matlab-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a MAT-file with other variables lists those found and those expected', () => {
    const file = path.resolve(__dirname, '..', '..', 'golden', 'matlab_fixture_le.mat');
    expectKeratorchError(() => loadOriginalGridworld(file), 'ERR_VALUE', 'loadOriginalGridworld', JSON.stringify(file),
      'not an original VIN gridworld file: found variables [dbl, sgl, i8',
      'expected a training file with [im_data, value_data, state_xy_data, label_data]',
      'or a test file with [all_im_data, all_value_data, all_states_xy] (missing all_im_data, all_value_data, all_states_xy)');
    expectKeratorchError(() => originalGridworldFromMat({ im_data: numeric('uint8', [1, 4], [1, 1, 1, 1]) }),
      'ERR_VALUE', 'loadOriginalGridworld', 'found variables [im_data]', '(missing value_data, state_xy_data, label_data)');
  });

  test('files that are not MAT v5 files fail in readMat', () => {
    const text = path.join(tmp, 'gridworld_8.mat');
    fs.writeFileSync(text, 'a'.repeat(500));
    expectKeratorchError(() => loadOriginalGridworld(text), 'ERR_VALUE', 'readMat', 'not a MAT v5 file');
    const zip = Buffer.alloc(300);
    zip.writeUInt32LE(0x04034b50, 0);
    fs.writeFileSync(text, zip);
    expectKeratorchError(() => loadOriginalGridworld(text), 'ERR_VALUE', 'readMat', 'zip archive');
  });

  withVinData(`a truncated copy of the test file${vinNote}`, () => {
    const bytes = fs.readFileSync(testFile);
    const cut = path.join(tmp, 'gridworld_8_test.mat');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectKeratorchError(() => loadOriginalGridworld(cut), 'ERR_VALUE', 'readMat', JSON.stringify(cut), 'truncated data element');
  });

  // A 3x3 test-layout map, column-major (index row + 3 * col): free cells (1,1), (2,1), (1,2), 0-based.
  const free3 = [0, 0, 0, 0, 1, 1, 0, 1, 0];
  const value3 = (goal: number): number[] => Array.from({ length: 9 }, (_, k) => (k === goal ? 10 : -1));
  const testVars = (im: number[], value: number[], path: number[], dims = [path.length / 2, 2]): Record<string, MatValue> => ({
    all_im_data: numeric('double', [1, 9], im),
    all_value_data: numeric('double', [1, 9], value),
    all_states_xy: { kind: 'cell', dims: [1, 1], cells: [numeric('double', dims, path)] },
  });

  test('hand-made test layout converts (column-major maps, 1-based paths)', () => {
    // Path (2,2) -> (3,2) in 1-based (row, col): column-major [rows..., cols...] = [2, 3, 2, 2]. Goal (2,1) 0-based = index 2+3*1.
    const ds = originalGridworldFromMat(testVars(free3, value3(5), [2, 3, 2, 2]));
    expect(Array.from(ds.obstacles)).toEqual([1, 1, 1, 1, 0, 0, 1, 0, 1]);
    expect(Array.from(ds.goals)).toEqual([2, 1]);
    expect(Array.from(ds.pathCells)).toEqual([1, 1, 2, 1]);
    expect([Array.from(ds.sampleState), Array.from(ds.sampleLabel)]).toEqual([[1, 1], [1]]); // 1 = S
  });

  test('inconsistent data: no goal, a non-binary image, a jump, a path that misses the goal, an obstacle, wrong sizes', () => {
    const op = 'loadOriginalGridworld';
    expectKeratorchError(() => originalGridworldFromMat(testVars(free3, value3(-1), [2, 3, 2, 2])), 'ERR_VALUE', op,
      'all_value_data row 1 has no goal (no cell holds 10)');
    expectKeratorchError(() => originalGridworldFromMat(testVars([...free3.slice(0, 8), 2], value3(5), [2, 3, 2, 2])), 'ERR_VALUE', op,
      'all_im_data(1, 9) is 2; expected 1 (free) or 0 (obstacle)');
    expectKeratorchError(() => originalGridworldFromMat(testVars(free3, value3(5), [1, 3, 2, 2])), 'ERR_VALUE', op,
      'all_states_xy{1} steps from (0, 1) to (2, 1) (0-based), which is not one of the 8 moves');
    expectKeratorchError(() => originalGridworldFromMat(testVars(free3, value3(4), [2, 3, 2, 2])), 'ERR_VALUE', op,
      'all_states_xy{1} ends at (2, 1), not at the goal (1, 1)');
    // (1,0) -> (2,1) 0-based: a diagonal move to the goal from an obstacle.
    expectKeratorchError(() => originalGridworldFromMat(testVars(free3, value3(5), [2, 3, 1, 2])), 'ERR_VALUE', op,
      'the converted data is inconsistent', 'sampleState[0]', 'an obstacle');
    expectKeratorchError(() => originalGridworldFromMat(testVars(free3, value3(5), [2, 3, 2, 2], [1, 4])), 'ERR_VALUE', op,
      'expected all_states_xy{1} to be L x 2 (row, col) but it is 1 x 4');
    const vars = testVars(free3, value3(5), [2, 3, 2, 2]);
    vars.all_value_data = numeric('double', [1, 8], value3(5).slice(0, 8));
    expectKeratorchError(() => originalGridworldFromMat(vars), 'ERR_VALUE', op, 'expected all_value_data to be 1 x 9 but it is 1 x 8');
    vars.all_value_data = { kind: 'char', dims: [1, 2], text: 'no' };
    expectKeratorchError(() => originalGridworldFromMat(vars), 'ERR_VALUE', op, 'expected all_value_data to be a real 2-D numeric matrix but it is a char array');
  });

  test('training layout: a label out of range, a state off the map', () => {
    const op = 'loadOriginalGridworld';
    // 3x3 row-major map with the centre and (1,2) free; goal (1,2); one sample at (1,1) moving E.
    const im = [0, 0, 0, 0, 1, 1, 0, 0, 0];
    const value = [0, 0, 0, 0, 0, 10, 0, 0, 0];
    const vars = (xy: number[], label: number): Record<string, MatValue> => ({
      im_data: numeric('uint8', [1, 9], im), value_data: numeric('uint8', [1, 9], value),
      state_xy_data: numeric('uint8', [1, 2], xy), label_data: numeric('uint8', [1, 1], [label]),
    });
    const ds = originalGridworldFromMat(vars([1, 1], 2));
    expect([ds.numDomains, Array.from(ds.goals), Array.from(ds.sampleState), ds.sampleLabel[0]]).toEqual([1, [1, 2], [1, 1], 2]);
    expectKeratorchError(() => originalGridworldFromMat(vars([1, 1], 8)), 'ERR_VALUE', op, 'label_data row 1 is 8; expected an action in 0..7');
    expectKeratorchError(() => originalGridworldFromMat(vars([1, 3], 2)), 'ERR_VALUE', op,
      'state_xy_data row 1 is (1, 3), not a cell of the 3x3 map (0-based)');
    expectKeratorchError(() => originalGridworldFromMat({ ...vars([1, 1], 2), im_data: numeric('uint8', [1, 8], im.slice(0, 8)) }),
      'ERR_VALUE', op, 'expected im_data to have n*n columns (one map a row) but it has 8');
  });
});

test('originalGridworldFromMat refuses what is not readMat\'s result, naming itself', () => {
  for (const bad of [undefined, null, 3, [1]]) {
    expectKeratorchError(() => originalGridworldFromMat(bad as never), 'ERR_ARGUMENT', 'originalGridworldFromMat',
      "expected readMat's result (an object of variables by name) for variables");
  }
  expectKeratorchError(() => originalGridworldFromMat({}, 5 as never), 'ERR_ARGUMENT', 'originalGridworldFromMat',
    'expected a string for label but received 5');
});
