/**
 * Datasets as .npz: round trips, the documented array names, shapes and dtypes, numpy reading them
 * (and finding what the JSDoc promises), datasets numpy wrote with its default int64, and bad files.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateGridworld, loadDataset, loadNpz, saveDataset, saveNpz } from '../../../src';
import type { GridworldDataset, NpyArray } from '../../../src';
import { expectKeratorchError } from '../../helpers/memory';
import { numpyNote, python, withNumpy } from '../../helpers/python';

let tmp: string;
let ds: GridworldDataset;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-gridworld-'));
  ds = generateGridworld({ gridSize: 8, numDomains: 30, seed: 9 });
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function asPlain(d: GridworldDataset): Record<string, unknown> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) =>
    [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]));
}

describe('saveDataset / loadDataset', () => {
  test('round trip, with the documented arrays', () => {
    const file = path.join(tmp, 'd.npz');
    saveDataset(file, ds);
    expect(asPlain(loadDataset(file))).toEqual(asPlain(ds));
    const S = ds.sampleDomain.length;
    const P = ds.pathDomain.length;
    const T = ds.pathCells.length / 2;
    const arrays = loadNpz(file);
    expect(Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, [a.dtype, a.shape]]))).toEqual({
      grid_size: ['int32', []],
      obstacles: ['uint8', [30, 8, 8]],
      goals: ['int32', [30, 2]],
      sample_domain: ['int32', [S]],
      sample_state: ['int32', [S, 2]],
      sample_label: ['uint8', [S]],
      path_domain: ['int32', [P]],
      path_offsets: ['int32', [P + 1]],
      path_cells: ['int32', [T, 2]],
    });
  });

  withNumpy(`numpy reads a saved dataset as documented${numpyNote}`, () => {
    const file = path.join(tmp, 'for-numpy.npz');
    saveDataset(file, ds);
    const program = [
      'import json, sys, numpy as np',
      'd = np.load(sys.argv[1])',
      'n = int(d["grid_size"])',
      'obs = d["obstacles"]',
      'off = d["path_offsets"]',
      'states = d["sample_state"]',
      'ends = d["path_cells"][off[1:] - 1]',
      'print(json.dumps({',
      '  "n": n, "shape": list(obs.shape), "dtypes": sorted({k: str(d[k].dtype) for k in d.files}.items()),',
      '  "free_states": bool((obs[d["sample_domain"], states[:, 0], states[:, 1]] == 0).all()),',
      '  "paths_end_at_goals": bool((ends == d["goals"][d["path_domain"]]).all()),',
      '  "border": bool(obs[:, 0, :].all() and obs[:, -1, :].all() and obs[:, :, 0].all() and obs[:, :, -1].all()),',
      '  "labels": sorted(set(int(x) for x in d["sample_label"])), "goal0": d["goals"][0].tolist(),',
      '  "obstacles0": obs[0].tolist()}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', program, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      n: 8, shape: [30, 8, 8], free_states: true, paths_end_at_goals: true, border: true,
      goal0: [ds.goals[0], ds.goals[1]],
      dtypes: [['goals', 'int32'], ['grid_size', 'int32'], ['obstacles', 'uint8'], ['path_cells', 'int32'],
        ['path_domain', 'int32'], ['path_offsets', 'int32'], ['sample_domain', 'int32'], ['sample_label', 'uint8'],
        ['sample_state', 'int32']],
    });
    expect(result.labels.every((l: number) => l >= 0 && l < 8)).toBe(true);
    // Row-major maps: numpy's obstacles[0][r][c] is our obstacles[r * n + c].
    expect(result.obstacles0.flat()).toEqual(Array.from(ds.obstacles.subarray(0, 64)));
  });

  test('numpy-style int64 and bool arrays are converted', () => {
    const n = ds.gridSize;
    const int64 = (a: Int32Array): BigInt64Array => BigInt64Array.from(a, (v) => BigInt(v));
    const arrays: Record<string, NpyArray> = {
      grid_size: { data: BigInt64Array.of(BigInt(n)), shape: [] },
      obstacles: { data: ds.obstacles, shape: [ds.numDomains, n, n], dtype: 'bool' },
      goals: { data: int64(ds.goals), shape: [ds.numDomains, 2] },
      sample_domain: { data: int64(ds.sampleDomain), shape: [ds.sampleDomain.length] },
      sample_state: { data: int64(ds.sampleState), shape: [ds.sampleDomain.length, 2] },
      sample_label: { data: int64(Int32Array.from(ds.sampleLabel)), shape: [ds.sampleDomain.length] },
      path_domain: { data: ds.pathDomain, shape: [ds.pathDomain.length] },
      path_offsets: { data: int64(ds.pathOffsets), shape: [ds.pathOffsets.length] },
      path_cells: { data: ds.pathCells, shape: [ds.pathCells.length / 2, 2] },
    };
    const file = path.join(tmp, 'int64.npz');
    saveNpz(file, arrays);
    expect(asPlain(loadDataset(file))).toEqual(asPlain(ds));
  });

  test('files that are not datasets', () => {
    const file = path.join(tmp, 'bad.npz');
    const quoted = JSON.stringify(file);
    saveNpz(file, { x: { data: new Float32Array(1), shape: [] } });
    expectKeratorchError(() => loadDataset(file), 'ERR_SHAPE', 'loadDataset',
      `${quoted} is not a gridworld dataset: it has no scalar grid_size`);
    saveNpz(file, { grid_size: { data: Int32Array.of(8), shape: [] } });
    expectKeratorchError(() => loadDataset(file), 'ERR_VALUE', 'loadDataset',
      'it has no array "obstacles" (it has grid_size)');
    saveNpz(file, {
      grid_size: { data: Int32Array.of(8), shape: [] }, obstacles: { data: new Uint8Array(64), shape: [1, 64] },
    });
    expectKeratorchError(() => loadDataset(file), 'ERR_SHAPE', 'loadDataset',
      'obstacles has shape (1, 64), expected (N, 8, 8)');
    saveNpz(file, { grid_size: { data: Float64Array.of(8), shape: [] } });
    expectKeratorchError(() => loadDataset(file), 'ERR_DTYPE', 'loadDataset',
      'grid_size has dtype float64, expected an integer dtype');
    // Consistent shapes but an inconsistent value: checkDataset's message, under loadDataset's name.
    const broken = { ...ds, sampleLabel: ds.sampleLabel.slice() };
    saveDataset(file, broken);
    const arrays = loadNpz(file);
    (arrays.sample_label.data as Uint8Array)[0] = 9;
    saveNpz(file, arrays);
    expectKeratorchError(() => loadDataset(file), 'ERR_VALUE', 'loadDataset',
      'expected an action in 0..7 for sampleLabel[0] but received 9');
    fs.writeFileSync(file, 'not a zip');
    expectKeratorchError(() => loadDataset(file), 'ERR_VALUE', 'loadDataset', 'not a zip/npz file');
    expectKeratorchError(() => saveDataset(file, { ...ds, numDomains: 3 }), 'ERR_SHAPE', 'saveDataset',
      'for obstacles.length');
  });
});
