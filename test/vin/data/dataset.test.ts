/**
 * The dataset type's helpers: ACTIONS and step, checkDataset's messages for each kind of inconsistency,
 * subsetDomains / splitDataset, and the shortest-path helpers' argument checks.
 */
import {
  ACTIONS, NUM_ACTIONS, checkDataset, costToGoal, domainObstacles, expertAction, generateGridworld, splitDataset,
  step, subsetDomains,
} from '../../../src';
import type { GridworldDataset } from '../../../src';
import { expectKeratorchError } from '../../helpers/memory';

/** A 4x4 map with a border and one interior obstacle at (1, 2); goal (2, 2); two paths. */
function tiny(): GridworldDataset {
  const map = [
    1, 1, 1, 1,
    1, 0, 1, 1,
    1, 0, 0, 1,
    1, 1, 1, 1,
  ];
  return {
    gridSize: 4,
    numDomains: 2,
    obstacles: Uint8Array.from([...map, ...map]),
    goals: Int32Array.of(2, 2, 1, 1),
    sampleDomain: Int32Array.of(0, 0, 1),
    sampleState: Int32Array.of(1, 1, 2, 1, 2, 2),
    sampleLabel: Uint8Array.of(6, 2, 5),
    pathDomain: Int32Array.of(0, 1),
    pathOffsets: Int32Array.of(0, 2, 4),
    pathCells: Int32Array.of(1, 1, 2, 2, 2, 2, 1, 1),
  };
}

describe('actions and moves', () => {
  test('ACTIONS: the original label order, deltas and costs', () => {
    expect(ACTIONS.map((a) => [a.name, a.dRow, a.dCol])).toEqual([
      ['N', -1, 0], ['S', 1, 0], ['E', 0, 1], ['W', 0, -1], ['NE', -1, 1], ['NW', -1, -1], ['SE', 1, 1], ['SW', 1, -1],
    ]);
    expect(ACTIONS.map((a) => a.cost)).toEqual([1, 1, 1, 1, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2]);
    expect(NUM_ACTIONS).toBe(8);
    expect(Object.isFrozen(ACTIONS) && Object.isFrozen(ACTIONS[0])).toBe(true);
  });

  test('step: moves, and stays put at obstacles and the map edge', () => {
    const map = domainObstacles(tiny(), 0);
    expect(step(map, 4, [1, 1], 6)).toEqual([2, 2]); // SE
    expect(step(map, 4, [2, 2], 5)).toEqual([1, 1]); // NW, between two obstacles: only the target matters
    expect(step(map, 4, [1, 1], 2)).toEqual([1, 1]); // E into the obstacle at (1, 2)
    expect(step(map, 4, [1, 1], 0)).toEqual([1, 1]); // N into the border
    const open = new Uint8Array(9);
    expect(step(open, 3, [0, 0], 0)).toEqual([0, 0]); // off the map
    expect(step(open, 3, [0, 0], 6)).toEqual([1, 1]);
    expectKeratorchError(() => step(open, 3, [0, 0], 8), 'ERR_VALUE', 'step',
      'expected an action in 0..7 for action but received 8');
  });

  test('costToGoal / expertAction on a small map', () => {
    const map = domainObstacles(tiny(), 0);
    const cost = costToGoal(map, 4, [2, 2]);
    expect(cost[1 * 4 + 1]).toBeCloseTo(Math.SQRT2, 12);
    expect(cost[2 * 4 + 1]).toBe(1);
    expect(cost[0]).toBe(Infinity);
    expect(expertAction(map, 4, cost, [1, 1])).toBe(6);
    expect(expertAction(map, 4, cost, [2, 1])).toBe(2);
    expect(expertAction(map, 4, cost, [2, 2])).toBe(-1);
    expectKeratorchError(() => costToGoal(map, 4, [1, 2]), 'ERR_VALUE', 'costToGoal',
      'expected a free cell for goal but received [1,2]');
    expectKeratorchError(() => costToGoal(map, 5, [1, 1]), 'ERR_SHAPE', 'costToGoal',
      'expected a Uint8Array of n*n = 25 cells for obstacles');
    expectKeratorchError(() => costToGoal(map, 4, [4, 0]), 'ERR_VALUE', 'costToGoal',
      'expected a cell [row, col] inside the 4x4 map for goal but received [4,0]');
    expectKeratorchError(() => expertAction(map, 4, new Float64Array(3), [1, 1]), 'ERR_SHAPE', 'expertAction',
      'expected a Float64Array of n*n = 16 costs for cost');
  });
});

describe('checkDataset', () => {
  test('accepts a consistent dataset', () => {
    expect(() => checkDataset(tiny())).not.toThrow();
  });

  const cases: [string, (ds: GridworldDataset) => void, string, string][] = [
    ['a wrong array type', (ds) => { ds.goals = new Float64Array(4) as never; }, 'ERR_ARGUMENT',
      'expected an Int32Array for goals but received an object (Float64Array)'],
    ['obstacles of the wrong size', (ds) => { ds.obstacles = ds.obstacles.subarray(1); }, 'ERR_SHAPE',
      'expected numDomains * gridSize^2 = 32 for obstacles.length but received 31'],
    ['goals of the wrong size', (ds) => { ds.numDomains = 1; ds.obstacles = ds.obstacles.subarray(0, 16); },
      'ERR_SHAPE', 'expected 2 * numDomains = 2 for goals.length but received 4'],
    ['sampleState of the wrong size', (ds) => { ds.sampleState = ds.sampleState.subarray(2); }, 'ERR_SHAPE',
      'expected 2 * sampleDomain.length = 6 for sampleState.length but received 4'],
    ['sampleLabel of the wrong size', (ds) => { ds.sampleLabel = ds.sampleLabel.subarray(1); }, 'ERR_SHAPE',
      'expected sampleDomain.length = 3 for sampleLabel.length but received 2'],
    ['pathOffsets of the wrong size', (ds) => { ds.pathOffsets = ds.pathOffsets.subarray(1); }, 'ERR_SHAPE',
      'expected pathDomain.length + 1 = 3 for pathOffsets.length but received 2'],
    ['an obstacle value of 2', (ds) => { ds.obstacles[5] = 2; }, 'ERR_VALUE',
      'expected 0 (free) or 1 (obstacle) for obstacles[5] but received 2'],
    ['a goal on an obstacle', (ds) => { ds.goals[0] = 1; ds.goals[1] = 2; }, 'ERR_VALUE',
      'expected a free cell of domain 0 for goals[0] but received "(1, 2), an obstacle"'],
    ['a goal off the map', (ds) => { ds.goals[3] = 4; }, 'ERR_VALUE',
      'expected a cell inside the 4x4 map for goals[1] but received [1,4]'],
    ['a label of 8', (ds) => { ds.sampleLabel[1] = 8; }, 'ERR_VALUE',
      'expected an action in 0..7 for sampleLabel[1] but received 8'],
    ['a sample domain out of range', (ds) => { ds.sampleDomain[2] = 2; }, 'ERR_VALUE',
      'expected a domain index in [0, 1] for sampleDomain[2] but received 2'],
    ['a state on an obstacle', (ds) => { ds.sampleState[0] = 0; }, 'ERR_VALUE',
      'expected a free cell of domain 0 for sampleState[0] but received "(0, 1), an obstacle"'],
    ['a state off the map', (ds) => { ds.sampleState[1] = -1; }, 'ERR_VALUE',
      'expected a cell inside the 4x4 map for sampleState[0] but received [1,-1]'],
    ['offsets not from 0', (ds) => { ds.pathOffsets[0] = 1; }, 'ERR_VALUE',
      'expected 0 for pathOffsets[0] but received 1'],
    ['offsets not up to the cell count', (ds) => { ds.pathOffsets[2] = 3; }, 'ERR_VALUE',
      'expected pathCells.length / 2 = 4 for pathOffsets[2] but received 3'],
    ['an empty path', (ds) => { ds.pathOffsets[1] = 0; }, 'ERR_VALUE',
      'expected an offset in [1, 4] (every path has a cell) for pathOffsets[1] but received 0'],
    ['a path cell on an obstacle', (ds) => { ds.pathCells[1] = 3; }, 'ERR_VALUE',
      'expected a free cell of domain 0 for pathCells[0] but received "(1, 3), an obstacle"'],
    ['a path domain out of range', (ds) => { ds.pathDomain[1] = -1; }, 'ERR_VALUE',
      'expected a domain index in [0, 1] for pathDomain[1] but received -1'],
    ['an odd number of path cells', (ds) => { ds.pathCells = ds.pathCells.subarray(1); }, 'ERR_SHAPE',
      'expected an even number for pathCells.length but received 7'],
    ['a fractional grid size', (ds) => { ds.gridSize = 4.5; }, 'ERR_VALUE',
      'expected an integer for gridSize but received 4.5'],
  ];
  test.each(cases)('rejects %s', (_, breakIt, code, message) => {
    const ds = tiny();
    breakIt(ds);
    expectKeratorchError(() => checkDataset(ds), code as never, 'checkDataset', message);
  });

  test('names the caller', () => {
    const ds = tiny();
    ds.sampleLabel[0] = 9;
    expectKeratorchError(() => checkDataset(ds, 'myLoader'), 'ERR_VALUE', 'myLoader', 'for sampleLabel[0]');
    expectKeratorchError(() => checkDataset(null as never), 'ERR_ARGUMENT', 'checkDataset',
      'expected a GridworldDataset object for dataset but received null');
  });
});

describe('subsetDomains / splitDataset', () => {
  test('a subset keeps its domains\' samples and paths, renumbered', () => {
    const second = subsetDomains(tiny(), 1, 2);
    checkDataset(second);
    expect(second.numDomains).toBe(1);
    expect(Array.from(second.goals)).toEqual([1, 1]);
    expect(Array.from(second.sampleDomain)).toEqual([0]);
    expect(Array.from(second.sampleState)).toEqual([2, 2]);
    expect(Array.from(second.sampleLabel)).toEqual([5]);
    expect(Array.from(second.pathDomain)).toEqual([0]);
    expect(Array.from(second.pathOffsets)).toEqual([0, 2]);
    expect(Array.from(second.pathCells)).toEqual([2, 2, 1, 1]);
    const none = subsetDomains(tiny(), 1, 1);
    checkDataset(none);
    expect([none.numDomains, none.sampleDomain.length, none.pathDomain.length]).toEqual([0, 0, 0]);
  });

  test('a split is a partition: together the halves hold every sample and path', () => {
    const ds = generateGridworld({ gridSize: 8, numDomains: 70, seed: 11 });
    const { train, test } = splitDataset(ds, 60);
    checkDataset(train);
    checkDataset(test);
    expect([train.numDomains, test.numDomains]).toEqual([60, 10]);
    expect(train.sampleDomain.length + test.sampleDomain.length).toBe(ds.sampleDomain.length);
    expect(train.pathDomain.length + test.pathDomain.length).toBe(ds.pathDomain.length);
    expect(Array.from(test.obstacles)).toEqual(Array.from(ds.obstacles.subarray(60 * 64)));
    const firstTestSample = ds.sampleDomain.indexOf(60);
    expect(Array.from(test.sampleState)).toEqual(Array.from(ds.sampleState.subarray(2 * firstTestSample)));
    expect(Array.from(test.sampleDomain)).toEqual(Array.from(ds.sampleDomain.subarray(firstTestSample), (d) => d - 60));
    const firstTestPath = ds.pathDomain.indexOf(60);
    expect(Array.from(test.pathCells)).toEqual(Array.from(ds.pathCells.subarray(2 * ds.pathOffsets[firstTestPath])));
    // Copies, not views.
    test.obstacles[0] = 0;
    expect(ds.obstacles[60 * 64]).toBe(1);
  });

  test('ranges are validated', () => {
    expectKeratorchError(() => splitDataset(tiny(), 3), 'ERR_VALUE', 'splitDataset',
      'expected an integer in [0, 2] for numTrain but received 3');
    expectKeratorchError(() => subsetDomains(tiny(), 2, 1), 'ERR_VALUE', 'subsetDomains',
      'expected an integer in [2, 2] for end but received 1');
    expectKeratorchError(() => domainObstacles(tiny(), 2), 'ERR_VALUE', 'domainObstacles',
      'expected an integer in [0, 1] for domain but received 2');
  });
});

test('domainObstacles, subsetDomains and splitDataset refuse what is not a dataset, naming themselves', () => {
  expectKeratorchError(() => domainObstacles(null as never, 0), 'ERR_ARGUMENT', 'domainObstacles',
    'expected a GridworldDataset object for dataset but received null');
  expectKeratorchError(() => subsetDomains(null as never, 0), 'ERR_ARGUMENT', 'subsetDomains', 'received null');
  expectKeratorchError(() => splitDataset(undefined as never, 0), 'ERR_ARGUMENT', 'splitDataset', 'received undefined');
  expectKeratorchError(() => domainObstacles({ ...tiny(), obstacles: new Uint8Array(3) }, 0), 'ERR_SHAPE', 'domainObstacles',
    'expected numDomains * gridSize^2 = 32 for obstacles.length but received 3');
  expectKeratorchError(() => splitDataset({ ...tiny(), sampleLabel: new Uint8Array(1) }, 1), 'ERR_SHAPE', 'splitDataset',
    'for sampleLabel.length');
});

test('step refuses a bad map, size, cell or action instead of computing with it', () => {
  const open = new Uint8Array(9);
  expectKeratorchError(() => step(new Uint8Array(64), 10n as never, [1, 1], 0), 'ERR_ARGUMENT', 'step', 'for n but received bigint 10n');
  expectKeratorchError(() => step(new Uint8Array(8), 3, [1, 1], 0), 'ERR_SHAPE', 'step', 'expected a Uint8Array of n * n = 9 cells');
  expectKeratorchError(() => step(open, 3, [1, 3], 0), 'ERR_VALUE', 'step', 'expected a cell [row, col] inside the 3x3 map');
  expectKeratorchError(() => step(open, 3, 'ab' as never, 0), 'ERR_ARGUMENT', 'step', 'for cell');
  expectKeratorchError(() => step(open, 3, [1, 1], 'length' as never), 'ERR_VALUE', 'step', 'an action in 0..7');
});
