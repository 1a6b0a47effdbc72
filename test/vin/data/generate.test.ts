/**
 * generateGridworld: the paper's invariants on every domain (border, free goal, labels that follow a
 * shortest path checked against an independent Bellman-Ford, paths from distinct starts to the goal,
 * samples matching paths), reproducibility by seed, options validation and progress.
 */
import {
  ACTIONS, checkDataset, costToGoal, domainObstacles, expertAction, generateGridworld, GRIDWORLD_DEFAULTS, step,
} from '../../../src';
import type { GridworldDataset } from '../../../src';
import { expectKeratorchError } from '../../helpers/memory';
import { GRID_SIZE_LIMITS } from '../../../src/vin/data/generate';

/** Cost to the goal by plain relaxation until nothing changes: slow, simple, independent of the heap. */
function referenceCost(obstacles: Uint8Array, n: number, goal: [number, number]): Float64Array {
  const cost = new Float64Array(n * n).fill(Infinity);
  cost[goal[0] * n + goal[1]] = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (obstacles[r * n + c]) continue;
        for (let a = 0; a < 8; a++) {
          const [nr, nc] = step(obstacles, n, [r, c], a);
          if (nr === r && nc === c) continue;
          const through = ACTIONS[a].cost + cost[nr * n + nc];
          if (through < cost[r * n + c] - 1e-12) {
            cost[r * n + c] = through;
            changed = true;
          }
        }
      }
    }
  }
  return cost;
}

function arrays(ds: GridworldDataset): unknown[] {
  return [ds.gridSize, ds.numDomains, ds.obstacles, ds.goals, ds.sampleDomain, ds.sampleState, ds.sampleLabel,
    ds.pathDomain, ds.pathOffsets, ds.pathCells];
}

/**
 * Every invariant of generated data, as a list of violations (empty when all hold): one expect per
 * dataset keeps the check fast and its failure readable.
 */
function violations(ds: GridworldDataset, pathsPerDomain: number): string[] {
  checkDataset(ds);
  const problems: string[] = [];
  const check = (ok: boolean, what: () => string): void => {
    if (!ok && problems.length < 20) problems.push(what());
  };
  const n = ds.gridSize;
  let sample = 0;
  let path = 0;
  for (let d = 0; d < ds.numDomains; d++) {
    const map = domainObstacles(ds, d);
    for (let k = 0; k < n; k++) {
      check(map[k] + map[(n - 1) * n + k] + map[k * n] + map[k * n + n - 1] === 4, () => `domain ${d}: border gap`);
    }
    const goal: [number, number] = [ds.goals[2 * d], ds.goals[2 * d + 1]];
    const goalIndex = goal[0] * n + goal[1];
    check(map[goalIndex] === 0, () => `domain ${d}: goal on an obstacle`);
    const cost = costToGoal(map, n, goal);
    const reference = referenceCost(map, n, goal);
    for (let i = 0; i < n * n; i++) {
      check(reference[i] === Infinity ? cost[i] === Infinity : Math.abs(cost[i] - reference[i]) < 1e-9,
        () => `domain ${d} cell ${i}: cost ${cost[i]}, reference ${reference[i]}`);
    }
    let reachable = 0;
    for (let i = 0; i < n * n; i++) if (cost[i] > 0 && cost[i] < Infinity) reachable++;
    check(reachable > 0, () => `domain ${d}: no cell reaches the goal`);

    const starts = new Set<number>();
    for (; path < ds.pathDomain.length && ds.pathDomain[path] === d; path++) {
      const begin = ds.pathOffsets[path];
      const end = ds.pathOffsets[path + 1];
      const cell = (i: number): [number, number] => [ds.pathCells[2 * i], ds.pathCells[2 * i + 1]];
      const at = (c: readonly number[]): number => c[0] * n + c[1];
      starts.add(at(cell(begin)));
      check(at(cell(end - 1)) === goalIndex, () => `path ${path} ends at ${cell(end - 1)}, not the goal ${goal}`);
      let travelled = 0;
      for (let i = begin; i < end - 1; i++, sample++) {
        // Each path state but the goal is the next sample, labelled with a shortest-path action.
        const state = cell(i);
        const label = ds.sampleLabel[sample];
        const next = step(map, n, state, label);
        const where = `path ${path} step ${i - begin} (sample ${sample})`;
        check(ds.sampleDomain[sample] === d, () => `${where}: sample domain ${ds.sampleDomain[sample]}`);
        check(at([ds.sampleState[2 * sample], ds.sampleState[2 * sample + 1]]) === at(state),
          () => `${where}: sample state differs from the path cell`);
        check(at(next) === at(cell(i + 1)) && at(next) !== at(state), () => `${where}: the label does not lead on`);
        check(Math.abs(cost[at(state)] - (ACTIONS[label].cost + cost[at(next)])) < 1e-9,
          () => `${where}: action ${label} is not a shortest-path move`);
        check(expertAction(map, n, cost, state) === label, () => `${where}: not the lowest-index shortest action`);
        travelled += ACTIONS[label].cost;
      }
      check(Math.abs(travelled - cost[at(cell(begin))]) < 1e-9, () => `path ${path}: cost ${travelled} is not optimal`);
    }
    check(starts.size === Math.min(pathsPerDomain, reachable) && !starts.has(goalIndex),
      () => `domain ${d}: ${starts.size} distinct starts for ${reachable} reachable cells`);
    const paths = ds.pathDomain.filter((p) => p === d).length;
    check(paths === starts.size, () => `domain ${d}: ${paths} paths from ${starts.size} distinct starts`);
  }
  check(path === ds.pathDomain.length, () => 'paths out of domain order');
  check(sample === ds.sampleDomain.length, () => `${ds.sampleDomain.length - sample} samples not on a path`);
  return problems;
}

describe('generateGridworld', () => {
  test.each([
    [8, 200, 7], [16, 40, 7], [28, 12, 7], [5, 100, 30],
  ])('%ix%i domains satisfy every invariant (%i paths each)', (gridSize, numDomains, pathsPerDomain) => {
    const options = gridSize === 5 ? { maxObs: 6, maxObsSize: 1 } : {};
    const ds = generateGridworld({ gridSize, numDomains, pathsPerDomain, seed: 7, ...options });
    expect(ds.gridSize).toBe(gridSize);
    expect(ds.numDomains).toBe(numDomains);
    expect(violations(ds, pathsPerDomain)).toEqual([]);
  });

  test('the invariant check catches broken data', () => {
    const ds = generateGridworld({ gridSize: 8, numDomains: 20, seed: 5 });
    const copy = (): GridworldDataset => ({ ...ds, sampleLabel: ds.sampleLabel.slice(), pathCells: ds.pathCells.slice(),
      goals: ds.goals.slice() });
    const relabelled = copy();
    relabelled.sampleLabel[3] = (relabelled.sampleLabel[3] + 1) % 8;
    expect(violations(relabelled, 7).length).toBeGreaterThan(0);
    const moved = copy();
    // The last cell of path 0 (the goal) replaced by the cell before it.
    const last = ds.pathOffsets[1] - 1;
    moved.pathCells[2 * last] = moved.pathCells[2 * last - 2];
    moved.pathCells[2 * last + 1] = moved.pathCells[2 * last - 1];
    expect(violations(moved, 7).join('\n')).toMatch(/path 0 ends at/);
    expect(violations(ds, 6).join('\n')).toMatch(/distinct starts/);
  });

  test('same seed, same data; another seed, other data', () => {
    const a = generateGridworld({ gridSize: 8, numDomains: 50, seed: 3 });
    const b = generateGridworld({ gridSize: 8, numDomains: 50, seed: 3 });
    const c = generateGridworld({ gridSize: 8, numDomains: 50, seed: 4 });
    expect(arrays(b)).toEqual(arrays(a));
    expect(Buffer.from(c.obstacles).equals(Buffer.from(a.obstacles))).toBe(false);
    expect(Buffer.from(c.goals.buffer).equals(Buffer.from(a.goals.buffer))).toBe(false);
    // The default seed is fixed too.
    expect(arrays(generateGridworld({ gridSize: 8, numDomains: 5 })))
      .toEqual(arrays(generateGridworld({ gridSize: 8, numDomains: 5, seed: 0 })));
    // A prefix of the domains does not depend on how many follow.
    const longer = generateGridworld({ gridSize: 8, numDomains: 60, seed: 3 });
    expect(longer.obstacles.subarray(0, a.obstacles.length)).toEqual(a.obstacles);
  });

  test('the paper\'s defaults by size, and an empty dataset', () => {
    expect(GRIDWORLD_DEFAULTS[8]).toEqual({ maxObs: 30, maxObsSize: 0 });
    expect(GRIDWORLD_DEFAULTS[16]).toEqual({ maxObs: 40, maxObsSize: 1 });
    expect(GRIDWORLD_DEFAULTS[28]).toEqual({ maxObs: 50, maxObsSize: 2 });
    const empty = generateGridworld({ gridSize: 8, numDomains: 0 });
    expect(empty.obstacles.length).toBe(0);
    expect(Array.from(empty.pathOffsets)).toEqual([0]);
    checkDataset(empty);
  });

  test('progress: increasing counts, about 100 calls, the last one at the total', () => {
    const calls: [number, number][] = [];
    generateGridworld({ gridSize: 8, numDomains: 250, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThanOrEqual(100);
    expect(calls.length).toBeLessThanOrEqual(126);
    expect(calls[calls.length - 1]).toEqual([250, 250]);
    expect(calls.every(([done, total], i) => total === 250 && (i === 0 || done > calls[i - 1][0]))).toBe(true);
  });

  test('options are validated', () => {
    const fn = 'generateGridworld';
    expectKeratorchError(() => generateGridworld({ gridSize: 3 }), 'ERR_VALUE', fn,
      'expected an integer in [4, 46340] for gridSize but received 3');
    expectKeratorchError(() => generateGridworld({ gridSize: '8' as unknown as number }), 'ERR_ARGUMENT', fn,
      'expected an integer for gridSize but received "8"');
    expectKeratorchError(() => generateGridworld({ gridSize: 10 }), 'ERR_ARGUMENT', fn,
      'expected an integer >= 1 (there is no default for gridSize 10; the paper\'s sizes are 8, 16, 28) for maxObs ' +
      'but received undefined');
    expectKeratorchError(() => generateGridworld({ gridSize: 10, maxObs: 5 }), 'ERR_ARGUMENT', fn, 'for maxObsSize');
    expectKeratorchError(() => generateGridworld({ gridSize: 8, maxObsSize: -1 }), 'ERR_VALUE', fn,
      'expected an integer >= 0 for maxObsSize but received -1');
    expectKeratorchError(() => generateGridworld({ gridSize: 8, numDomains: 1.5 }), 'ERR_VALUE', fn,
      'expected an integer for numDomains but received 1.5');
    expectKeratorchError(() => generateGridworld({ gridSize: 8, pathsPerDomain: 0 }), 'ERR_VALUE', fn,
      'expected an integer >= 1 for pathsPerDomain but received 0');
    expectKeratorchError(() => generateGridworld({ gridSize: 8, seed: -1 }), 'ERR_VALUE', fn,
      'for seed but received -1');
    expectKeratorchError(() => generateGridworld({ gridSize: 8, onProgress: 1 as never }), 'ERR_ARGUMENT', fn,
      'expected a function (done, total) => void for onProgress but received 1');
    expectKeratorchError(() => generateGridworld({ gridSize: 8, maxobs: 3 } as never), 'ERR_ARGUMENT', fn,
      'unknown option "maxobs" (expected one of gridSize, numDomains, maxObs, maxObsSize, pathsPerDomain, seed, ' +
      'onProgress)');
    expectKeratorchError(() => generateGridworld(undefined as never), 'ERR_ARGUMENT', fn,
      'expected an options object for options but received undefined');
  });

  test('sizes that cannot be meant are refused before anything is allocated, saying how many bytes they need', () => {
    const fn = 'generateGridworld';
    expectKeratorchError(() => generateGridworld({ gridSize: 8, numDomains: 1e12 }), 'ERR_VALUE', fn,
      /expected at most 1495459 maps of 8x8 with 7 paths each \(1000000000000 need about \d+ bytes, over the 4294967296-byte limit\) for numDomains but received 1000000000000$/);
    expectKeratorchError(() => generateGridworld({ gridSize: 8, numDomains: 1495460 }), 'ERR_VALUE', fn, 'for numDomains');
    expectKeratorchError(() => generateGridworld({ gridSize: 46340, maxObs: 1, maxObsSize: 0, numDomains: 1 }), 'ERR_VALUE',
      fn, /expected a gridSize whose working arrays fit in 4294967296 bytes \(46340x46340 maps need about \d+\) for gridSize/);
    expect(GRID_SIZE_LIMITS).toEqual({ min: 4, max: 46340 });
  });
});
