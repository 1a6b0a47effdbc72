/**
 * Planning with a VIN on hand-made maps where the policy is known (see test/helpers/vin.ts): rollouts
 * (goal reached, collision, off the map, the step limit), the paper's metrics computed exactly,
 * the Planner (paths, maps, every bad request), loadPlanner, and models that do not fit the data.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as keratorch from '../../src';
import { Conv2D, Dense, Input, KeratorchError, Model, Sequential } from '../../src';
import type { ErrorCode, SymbolicTensor } from '../../src';
import {
  buildVin, evaluateVin, generateGridworld, loadPlanner, Planner, ValueIteration, vinParts,
} from '../../src/vin';
import type { PlanRequest } from '../../src/vin';
import { rollouts } from '../../src/vin/planning';
import { constantActionVin, gridMap, handMadeDataset, serpentineMap, valueIterationVin, zeroLogitsVin } from '../helpers/vin';
import type { Cell, HandMadeDomain } from '../helpers/vin';
import { expectKeratorchError, settle } from '../helpers/memory';

beforeAll(settle);

// Against a policy that always moves north (N = action 0), on 8x8 maps:
const GOAL: Cell = [1, 3];
const PATHS = {
  // Straight north, as the expert: reached, 3 steps each, difference 0.
  north: [[4, 3], [3, 3], [2, 3], [1, 3]] as Cell[],
  // The expert goes round (5 steps) where north takes 4: reached, difference -1.
  expertLonger: [[5, 3], [5, 4], [4, 4], [3, 4], [2, 4], [1, 3]] as Cell[],
  // A 3-step "expert" (cells skipped; checkDataset does not check moves) where north takes 5 <= 2*3: reached, +2.
  expertShorter: [[6, 3], [4, 3], [2, 3], [1, 3]] as Cell[],
  // A 2-step "expert" from the same start: north needs 5 > 2*2 moves, so the rollout stops after 4.
  cutByLimit: [[6, 3], [3, 3], [1, 3]] as Cell[],
  // Starting on the goal: reached with 0 steps.
  atGoal: [[1, 3]] as Cell[],
  // An obstacle at (3, 3): north walks into it on its second move (the expert goes round, 4 steps).
  collision: [[5, 3], [4, 4], [3, 4], [2, 4], [1, 3]] as Cell[],
  // A map without a border, starting on the top row: north leaves the map at once.
  offMap: [[0, 2], [0, 3], [0, 4], [0, 5]] as Cell[],
};

const DOMAINS: HandMadeDomain[] = [
  {
    map: gridMap(8), goal: GOAL,
    paths: [PATHS.north, PATHS.expertLonger, PATHS.expertShorter, PATHS.cutByLimit, PATHS.atGoal],
    // The expert's moves along `north` (N N N) and `expertLonger` (E N N N NW).
    samples: [[4, 3, 0], [3, 3, 0], [2, 3, 0], [5, 3, 2], [5, 4, 0], [4, 4, 0], [3, 4, 0], [2, 4, 5]],
  },
  {
    map: gridMap(8, [[3, 3]]), goal: GOAL, paths: [PATHS.collision],
    samples: [[5, 3, 4], [4, 4, 0], [3, 4, 0], [2, 4, 5]], // NE N N NW
  },
  {
    map: gridMap(8, [], false), goal: [0, 5], paths: [PATHS.offMap],
    samples: [[0, 2, 2], [0, 3, 2], [0, 4, 2]], // E E E
  },
];

describe('rollouts and evaluateVin with an always-north policy (a zero logits kernel: ties go to action 0)', () => {
  let model: Model;
  beforeAll(() => { model = zeroLogitsVin(); });
  afterAll(() => model.dispose());

  test('rollouts: reached, cut at the step limit, collision with an obstacle, off the map', () => {
    const ds = handMadeDataset(DOMAINS);
    const starts: Cell[] = [[4, 3], [6, 3], [5, 3], [0, 2], [1, 3], [5, 3]];
    const domains = [0, 0, 1, 2, 0, 0];
    const limits = [6, 4, 8, 6, 0, 0];
    const outcomes = rollouts(vinParts(model), ds.obstacles, ds.goals, domains, starts, limits);
    expect(outcomes).toEqual([
      { path: [[4, 3], [3, 3], [2, 3], [1, 3]], reached: true, collided: false, ended: 'reached', k: 2 },
      { path: [[6, 3], [5, 3], [4, 3], [3, 3], [2, 3]], reached: false, collided: false, ended: 'maxSteps', k: 2 },
      { path: [[5, 3], [4, 3]], reached: false, collided: true, ended: 'blocked', k: 2 },
      { path: [[0, 2]], reached: false, collided: true, ended: 'blocked', k: 2 },
      { path: [[1, 3]], reached: true, collided: false, ended: 'reached', k: 2 }, // on the goal, even with no move allowed
      { path: [[5, 3]], reached: false, collided: false, ended: 'maxSteps', k: 2 }, // no move allowed
    ]);
  });

  test('evaluateVin: accuracy 8/15, success 4/7, trajectory difference (0 - 1 + 2 + 0) / 4 exactly', () => {
    const ds = handMadeDataset(DOMAINS);
    const zeros = Array.from(ds.sampleLabel).filter((label) => label === 0).length;
    expect([zeros, ds.sampleLabel.length]).toEqual([8, 15]);
    expect(evaluateVin(model, ds)).toEqual({ n: 7, accuracy: 8 / 15, successRate: 4 / 7, trajectoryDiff: 0.25 });
  });

  test('evaluateVin in batches of 2 gives the same result and reports progress up to samples + paths', () => {
    const ds = handMadeDataset(DOMAINS);
    const progress: [number, number][] = [];
    const result = evaluateVin(model, ds, { batchSize: 2, onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ n: 7, accuracy: 8 / 15, successRate: 4 / 7, trajectoryDiff: 0.25 });
    expect(progress.map(([done]) => done)).toEqual([2, 4, 6, 8, 10, 12, 14, 15, 17, 19, 21, 22]);
    expect(progress.every(([, total]) => total === 22)).toBe(true);
  });

  test('evaluateVin refuses an unknown option, naming the known ones', () => {
    expectKeratorchError(() => evaluateVin(model, handMadeDataset(DOMAINS), { batchsize: 2 } as never), 'ERR_ARGUMENT',
      'evaluateVin', 'expected an option among batchSize, onProgress, k for options but received "batchsize"');
  });

  test('no success at all: successRate 0 and trajectoryDiff NaN; no samples: accuracy NaN', () => {
    const failing = handMadeDataset([DOMAINS[1], DOMAINS[2]]);
    expect(evaluateVin(model, failing)).toEqual({ n: 2, accuracy: 2 / 7, successRate: 0, trajectoryDiff: NaN });
    const noSamples = handMadeDataset([{ ...DOMAINS[0], samples: [], paths: [PATHS.north] }]);
    expect(evaluateVin(model, noSamples)).toEqual({ n: 1, accuracy: NaN, successRate: 1, trajectoryDiff: 0 });
  });
});

describe('Planner', () => {
  let north: Planner;
  let east: Planner;
  const map = gridMap(8);
  beforeAll(() => {
    north = new Planner(zeroLogitsVin());
    east = new Planner(constantActionVin(2));
  });
  afterAll(() => {
    north.dispose();
    east.dispose();
  });

  test('plan follows the policy: to the goal, into an obstacle, up to maxSteps, or not at all', () => {
    expect(north.gridSize).toBe(8);
    expect(north.plan({ obstacles: map, start: [4, 3], goal: GOAL }))
      .toEqual({ path: [[4, 3], [3, 3], [2, 3], [1, 3]], reached: true, ended: 'reached', k: 2 });
    expect(north.plan({ obstacles: gridMap(8, [[3, 3]]), start: [5, 3], goal: GOAL }))
      .toEqual({ path: [[5, 3], [4, 3]], reached: false, ended: 'blocked', k: 2 });
    expect(north.plan({ obstacles: map, start: [6, 3], goal: GOAL, maxSteps: 2 }))
      .toEqual({ path: [[6, 3], [5, 3], [4, 3]], reached: false, ended: 'maxSteps', k: 2 });
    expect(north.plan({ obstacles: map, start: [6, 3], goal: GOAL, maxSteps: 0 }))
      .toEqual({ path: [[6, 3]], reached: false, ended: 'maxSteps', k: 2 });
    expect(north.plan({ obstacles: map, start: GOAL, goal: GOAL })).toEqual({ path: [GOAL], reached: true, ended: 'reached', k: 2 });
    // Default maxSteps (4n = 32) is not the limit here: a wall stops the walk.
    expect(north.plan({ obstacles: map, start: [6, 5], goal: [6, 6] }))
      .toEqual({ path: [[6, 5], [5, 5], [4, 5], [3, 5], [2, 5], [1, 5]], reached: false, ended: 'blocked', k: 2 });
  });

  test('a constant-east policy; obstacles may be nested rows, a flat array, a Uint8Array or booleans', () => {
    const expected = { path: [[3, 1], [3, 2], [3, 3], [3, 4], [3, 5]], reached: true, ended: 'reached', k: 2 };
    const request = { start: [3, 1], goal: [3, 5] } as Pick<PlanRequest, 'start' | 'goal'>;
    expect(east.plan({ ...request, obstacles: map })).toEqual(expected);
    expect(east.plan({ ...request, obstacles: map.flat() })).toEqual(expected);
    expect(east.plan({ ...request, obstacles: Uint8Array.from(map.flat()) })).toEqual(expected);
    expect(east.plan({ ...request, obstacles: map.map((row) => row.map((v) => v === 1)) as never })).toEqual(expected);
  });

  test('rewardMap and valueMap are n x n (exactly 1 everywhere for the constant-east VIN)', () => {
    const ones = Array.from({ length: 8 }, () => Array(8).fill(1));
    expect(east.rewardMap({ obstacles: map, goal: [3, 5] })).toEqual(ones);
    expect(east.valueMap({ obstacles: map, goal: [3, 5] })).toEqual(ones);
    for (const field of [north.rewardMap({ obstacles: map, goal: GOAL }), north.valueMap({ obstacles: map, goal: GOAL })]) {
      expect(field.length).toBe(8);
      for (const row of field) {
        expect(row.length).toBe(8);
        expect(row.every(Number.isFinite)).toBe(true);
      }
    }
  });

  test.each<[string, unknown, ErrorCode, RegExp]>([
    ['no request', null, 'ERR_ARGUMENT', /expected a request object but received null/],
    ['no obstacles', { start: [1, 1], goal: GOAL }, 'ERR_ARGUMENT', /expected obstacles as an 8x8 array of 0\/1 but received undefined/],
    ['7 rows', { obstacles: map.slice(1), start: [1, 1], goal: GOAL }, 'ERR_SHAPE',
      /expected obstacles as 8 rows of 8 cells \(this model plans on 8x8 maps\) but received 7 rows/],
    ['a row of 9', { obstacles: map.map((row, i) => (i === 2 ? [...row, 0] : row)), start: [1, 1], goal: GOAL }, 'ERR_SHAPE',
      /expected obstacles as 8 rows of 8 cells/],
    ['a flat array of 63', { obstacles: map.flat().slice(1), start: [1, 1], goal: GOAL }, 'ERR_SHAPE',
      /expected 64 obstacle cells \(an 8x8 map\) but received 63/],
    ['a Uint8Array of 65', { obstacles: new Uint8Array(65), start: [1, 1], goal: GOAL }, 'ERR_SHAPE', /received 65/],
    ['a 2 in a row', { obstacles: gridMap(8).map((row, i) => (i === 2 ? row.map((v, j) => (j === 3 ? 2 : v)) : row)),
      start: [1, 1], goal: GOAL }, 'ERR_VALUE', /expected 0 or 1 for obstacles\[2\]\[3\] but received 2/],
    ['NaN in a flat map', { obstacles: map.flat().map((v, i) => (i === 10 ? NaN : v)), start: [1, 1], goal: GOAL }, 'ERR_VALUE',
      /expected 0 or 1 for obstacles\[1\]\[2\] but received NaN/],
    ['start off the map', { obstacles: map, start: [8, 1], goal: GOAL }, 'ERR_VALUE', /start \[8, 1\] is off the 8x8 map/],
    ['goal off the map', { obstacles: map, start: [1, 1], goal: [-1, 3] }, 'ERR_VALUE', /goal \[-1, 3\] is off the 8x8 map/],
    ['start on an obstacle', { obstacles: map, start: [0, 4], goal: GOAL }, 'ERR_VALUE', /start \[0, 4\] is on an obstacle/],
    ['goal on an obstacle', { obstacles: gridMap(8, [[2, 2]]), start: [1, 1], goal: [2, 2] }, 'ERR_VALUE',
      /goal \[2, 2\] is on an obstacle/],
    ['a fractional start', { obstacles: map, start: [1.5, 2], goal: GOAL }, 'ERR_ARGUMENT',
      /expected start as \[row, col\] integers but received \[1.5,2\]/],
    ['a start of 3 numbers', { obstacles: map, start: [1, 2, 3], goal: GOAL }, 'ERR_ARGUMENT', /expected start as \[row, col\]/],
    ['a string goal', { obstacles: map, start: [1, 1], goal: '1,3' }, 'ERR_ARGUMENT',
      /expected goal as \[row, col\] integers but received "1,3"/],
    ['maxSteps -1', { obstacles: map, start: [1, 1], goal: GOAL, maxSteps: -1 }, 'ERR_ARGUMENT',
      /expected a non-negative integer for maxSteps but received -1/],
    ['maxSteps 2.5', { obstacles: map, start: [1, 1], goal: GOAL, maxSteps: 2.5 }, 'ERR_ARGUMENT', /for maxSteps but received 2.5/],
    ['a 16x16 map on an 8x8 model', { obstacles: gridMap(16), start: [1, 1], goal: [2, 2] }, 'ERR_SHAPE',
      /expected obstacles as 8 rows of 8 cells \(this model plans on 8x8 maps\) but received 16 rows/],
  ])('plan refuses %s with a clear KeratorchError', (_, request, code, message) => {
    expectKeratorchError(() => north.plan(request as PlanRequest), code, 'plan', message);
  });

  test('rewardMap and valueMap check their request as plan does', () => {
    expectKeratorchError(() => north.rewardMap({ obstacles: map.slice(1), goal: GOAL }), 'ERR_SHAPE', 'plan', /received 7 rows/);
    expectKeratorchError(() => north.valueMap({ obstacles: map, goal: [0, 0] }), 'ERR_VALUE', 'plan', /goal \[0, 0\] is on an obstacle/);
  });
});

describe('plans past the model\'s k, on a VIN that runs true value iteration', () => {
  const { obstacles, start, goal } = serpentineMap();
  let planner: Planner;
  beforeAll(() => { planner = new Planner(valueIterationVin(12, 4)); });
  afterAll(() => planner.dispose());

  test('at its own k the goal is out of sight: the plan stops where it comes back to a cell (a loop)', () => {
    const result = planner.plan({ obstacles, start, goal, maxSteps: 100 });
    expect(result.ended).toBe('loop');
    expect(result.reached).toBe(false);
    expect(result.k).toBe(4);
    // The revisited cell ends the path, and it is the only repeat.
    const keys = result.path.map(([r, c]) => r * 12 + c);
    expect(keys.indexOf(keys[keys.length - 1])).toBeLessThan(keys.length - 1);
    expect(new Set(keys.slice(0, -1)).size).toBe(keys.length - 1);
  });

  test('a longer k, or the adaptive one, reaches the goal along the zigzag', () => {
    const long = planner.plan({ obstacles, start, goal, maxSteps: 100, k: 40 });
    expect(long).toMatchObject({ reached: true, ended: 'reached', k: 40 });
    expect(long.path.length - 1).toBe(27); // the fewest moves: 9 to the lower gap, 9 to the upper one, 9 to the goal
    const auto = planner.plan({ obstacles, start, goal, maxSteps: 100, k: 'auto' });
    expect(auto).toMatchObject({ reached: true, ended: 'reached', path: long.path });
    // The adaptive k starts no lower than the farthest cell's cost to the goal, from the ladder 4, 8, 16, ...
    expect(auto.k).toBeGreaterThanOrEqual(32);
    expect(Math.log2(auto.k / 4) % 1).toBe(0);
    // The value map at the chosen k is what the plan used; valueMap reads k as plan does.
    expect(planner.valueMap({ obstacles, goal, k: 'auto' })).toEqual(planner.valueMap({ obstacles, goal, k: auto.k }));
    expect(planner.valueMap({ obstacles, goal, k: 4 })).not.toEqual(planner.valueMap({ obstacles, goal, k: auto.k }));
  });

  test('the plan runs out of moves before the goal: maxSteps', () => {
    expect(planner.plan({ obstacles, start, goal, maxSteps: 10, k: 'auto' })).toMatchObject({ reached: false, ended: 'maxSteps' });
  });

  test('evaluateVin takes k too: the zigzag path succeeds with the adaptive k only', () => {
    const shortest = planner.plan({ obstacles, start, goal, maxSteps: 100, k: 40 }).path;
    const ds = handMadeDataset([{ map: obstacles, goal, paths: [shortest], samples: [] }]);
    expect(evaluateVin(planner.model, ds).successRate).toBe(0);
    expect(evaluateVin(planner.model, ds, { k: 'auto' })).toMatchObject({ successRate: 1, trajectoryDiff: 0 });
  });

  test('k is an integer in [1, 10000] or auto', () => {
    const request = { obstacles, start, goal };
    for (const k of [0, 1.5, 10001, NaN]) {
      expectKeratorchError(() => planner.plan({ ...request, k }), 'ERR_VALUE', 'plan',
        `expected an integer in [1, 10000] or 'auto' for k but received ${k}`);
    }
    expectKeratorchError(() => planner.plan({ ...request, k: 'longer' as never }), 'ERR_ARGUMENT', 'plan', 'for k');
    const ds = handMadeDataset([{ map: obstacles, goal, paths: [[start, goal]], samples: [] }]);
    expectKeratorchError(() => evaluateVin(planner.model, ds, { k: -1 }), 'ERR_VALUE', 'evaluateVin', 'for k');
  });

  test('a request refuses unknown keys, naming the known ones', () => {
    expectKeratorchError(() => planner.plan({ obstacles, start, goal, K: 40 } as never), 'ERR_ARGUMENT', 'plan',
      'expected an option among obstacles, goal, start, maxSteps, k for options but received "K"');
    expectKeratorchError(() => planner.valueMap({ obstacles, goal, K: 40 } as never), 'ERR_ARGUMENT', 'plan', 'received "K"');
  });

  test('rewardMap and valueMap take the whole plan request, so one object serves a plan and its pictures', () => {
    const request = { obstacles, start, goal, maxSteps: 10, k: 20 };
    expect(planner.rewardMap(request)).toEqual(planner.rewardMap({ obstacles, goal }));
    expect(planner.valueMap(request)).toEqual(planner.valueMap({ obstacles, goal, k: 20 }));
  });
});

describe('loadPlanner and models that do not fit', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-planner-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('loadPlanner on a saved VIN plans as the model it was saved from', () => {
    const model = constantActionVin(1); // always south
    model.save(dir);
    model.dispose();
    const planner = loadPlanner(dir);
    expect(planner.gridSize).toBe(8);
    expect(planner.plan({ obstacles: gridMap(8), start: [2, 4], goal: [5, 4] }))
      .toEqual({ path: [[2, 4], [3, 4], [4, 4], [5, 4]], reached: true, ended: 'reached', k: 2 });
    expect(planner.valueMap({ obstacles: gridMap(8), goal: [5, 4] })).toEqual(Array.from({ length: 8 }, () => Array(8).fill(1)));
    planner.dispose();
  });

  test('loadPlanner on a folder without a model fails with a KeratorchError', () => {
    expect(() => loadPlanner(path.join(dir, 'missing'))).toThrow(KeratorchError);
  });

  test('evaluateVin refuses data for another grid size (ERR_SHAPE)', () => {
    const model = zeroLogitsVin(8);
    const data16 = generateGridworld({ gridSize: 16, numDomains: 2, seed: 3 });
    expectKeratorchError(() => evaluateVin(model, data16), 'ERR_SHAPE', 'evaluate', 'the model plans on 8x8 maps but the data is 16x16');
    model.dispose();
  });

  test('vinParts and Planner refuse a model that is not a VIN', () => {
    const dense = new Sequential([new Dense({ units: 8, inputShape: [4], name: 'only' })], { name: 'not_a_vin' });
    expectKeratorchError(() => vinParts(dense), 'ERR_ARGUMENT', 'planner',
      'the model "not_a_vin" is not a VIN made by buildVin (no layer "image"');
    expectKeratorchError(() => new Planner(dense), 'ERR_ARGUMENT', 'planner', 'not a VIN');
    dense.dispose();

    // The right layer names, but "vi" is not a ValueIteration layer.
    const image = Input({ shape: [4], name: 'image' });
    let x = new Dense({ units: 4, name: 'h' }).apply(image);
    x = new Dense({ units: 4, name: 'r' }).apply(x);
    x = new Dense({ units: 4, name: 'vi' }).apply(x);
    const out = new Dense({ units: 8, name: 'logits' }).apply(x);
    const impostor = new Model({ inputs: image, outputs: out, name: 'impostor' });
    expectKeratorchError(() => vinParts(impostor), 'ERR_ARGUMENT', 'planner', 'layer "vi" of "impostor" is a Dense, not ValueIteration');
    impostor.dispose();
  });

  test('vinParts refuses a VIN whose image input is not (None, 2, n, n): the grid size comes from it', () => {
    const image = Input({ shape: [2, 6, 7], name: 'image' });
    const h = new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', name: 'h' }).apply(image);
    const r = new Conv2D({ filters: 1, kernelSize: 1, dataFormat: 'channelsFirst', name: 'r' }).apply(h);
    const q = new ValueIteration({ k: 1, lQ: 2, name: 'vi' }).apply(r as SymbolicTensor);
    const model = new Model({ inputs: image, outputs: new Dense({ units: 8, name: 'logits' }).apply(q), name: 'oblong' });
    expectKeratorchError(() => vinParts(model), 'ERR_SHAPE', 'planner',
      'planner: expected a VIN whose image input has shape (None, 2, n, n) with n >= 1 but the model "oblong" takes ' +
      '(None, 2, 6, 7)');
    model.dispose();
  });

  test('vinParts finds the layers and the grid size of a VIN', () => {
    const model = buildVin({ gridSize: 6, k: 1, lH: 2 });
    const parts = vinParts(model);
    expect([parts.gridSize, parts.h.name, parts.r.name, parts.vi.name, parts.logits.name]).toEqual([6, 'h', 'r', 'vi', 'logits']);
    model.dispose();
  });
});

test('the package entry exports the VIN API (README: import { loadPlanner } from \'keratorch\')', () => {
  for (const name of ['buildVin', 'trainVin', 'evaluateVin', 'loadPlanner', 'Planner', 'vinParts', 'ValueIteration', 'QAtState',
    'generateGridworld', 'renderPlanPicture'] as const) {
    expect(typeof (keratorch as Record<string, unknown>)[name]).toBe('function');
  }
});

test('Planner and vinParts refuse what is not a Model, naming the planner', () => {
  for (const call of [() => new Planner(undefined as never), () => vinParts(5 as never)]) {
    expectKeratorchError(call, 'ERR_ARGUMENT', 'planner', 'expected a VIN Model (from buildVin or loadPlanner) for model');
  }
});
