/**
 * Gridworld datasets as numpy .npz files, so Python can read what keratorch generates (and the reverse).
 */
import { KeratorchError } from '../../backend';
import { readNpzFile, saveNpz } from '../../io/npz';
import type { LoadedNpyArray, NpyArray } from '../../io/npy';
import { checkDataset, GridworldDataset } from './dataset';

type IntArray = Int32Array | Uint8Array;

/**
 * Saves `ds` (checked first) as an .npz archive with these arrays (N domains of n x n, S labelled states,
 * P paths of T cells in all; cells are (row, col), row 0 at the top; all C order):
 *
 * | name          | shape     | dtype | meaning                                               |
 * |---------------|-----------|-------|-------------------------------------------------------|
 * | grid_size     | ()        | int32 | n                                                     |
 * | obstacles     | (N, n, n) | uint8 | 1 = obstacle, 0 = free                                |
 * | goals         | (N, 2)    | int32 | each domain's goal (row, col)                         |
 * | sample_domain | (S,)      | int32 | the domain of each labelled state                     |
 * | sample_state  | (S, 2)    | int32 | the state (row, col)                                  |
 * | sample_label  | (S,)      | uint8 | the expert action 0..7: N S E W NE NW SE SW           |
 * | path_domain   | (P,)      | int32 | the domain of each expert path                        |
 * | path_offsets  | (P+1,)    | int32 | path p is path_cells[path_offsets[p]:path_offsets[p+1]] |
 * | path_cells    | (T, 2)    | int32 | path cells (row, col), start first, goal last         |
 *
 * In Python: `d = np.load(path); d['obstacles'][d['sample_domain']]` gives each sample's map.
 */
export function saveDataset(path: string, ds: GridworldDataset): void {
  checkDataset(ds, 'saveDataset');
  const n = ds.gridSize;
  const numSamples = ds.sampleDomain.length;
  const arrays: Record<string, NpyArray> = {
    grid_size: { data: Int32Array.of(n), shape: [] },
    obstacles: { data: ds.obstacles, shape: [ds.numDomains, n, n] },
    goals: { data: ds.goals, shape: [ds.numDomains, 2] },
    sample_domain: { data: ds.sampleDomain, shape: [numSamples] },
    sample_state: { data: ds.sampleState, shape: [numSamples, 2] },
    sample_label: { data: ds.sampleLabel, shape: [numSamples] },
    path_domain: { data: ds.pathDomain, shape: [ds.pathDomain.length] },
    path_offsets: { data: ds.pathOffsets, shape: [ds.pathOffsets.length] },
    path_cells: { data: ds.pathCells, shape: [ds.pathCells.length / 2, 2] },
  };
  saveNpz(path, arrays);
}

/**
 * Reads a dataset written by {@link saveDataset}, or by numpy with the same names and shapes (any
 * integer or bool dtype is accepted and converted), and checks it.
 */
export function loadDataset(path: string): GridworldDataset {
  const fn = 'loadDataset';
  const arrays = readNpzFile(fn, path);
  const source = JSON.stringify(path);
  const problem = (message: string, code: 'ERR_VALUE' | 'ERR_SHAPE' | 'ERR_DTYPE' = 'ERR_VALUE'): never => {
    throw new KeratorchError(`${fn}: ${source} is not a gridworld dataset: ${message}`, code, fn);
  };
  const get = (name: string, shape: (number | string)[]): LoadedNpyArray => {
    const array = arrays[name];
    if (array === undefined) {
      problem(`it has no array ${JSON.stringify(name)} (it has ${Object.keys(arrays).join(', ')})`);
    }
    const shown = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
    const fits = array.shape.length === shape.length &&
      shape.every((d, k) => typeof d === 'string' || d === array.shape[k]);
    if (!fits) problem(`${name} has shape (${array.shape.join(', ')}), expected ${shown}`, 'ERR_SHAPE');
    return array;
  };
  const ints = <T extends IntArray>(name: string, array: LoadedNpyArray, Maker: { new(n: number): T },
    min: number, max: number): T => {
    if (array.dtype === 'float32' || array.dtype === 'float64') {
      problem(`${name} has dtype ${array.dtype}, expected an integer dtype`, 'ERR_DTYPE');
    }
    if (array.data instanceof Maker) return array.data as T;
    const out = new Maker(array.data.length);
    for (let i = 0; i < array.data.length; i++) {
      const value = Number(array.data[i]);
      if (value < min || value > max) {
        problem(`${name}[${i}] = ${value} does not fit its type`);
      }
      out[i] = value;
    }
    return out;
  };
  const int32 = (name: string, array: LoadedNpyArray): Int32Array =>
    ints(name, array, Int32Array, -0x80000000, 0x7fffffff);
  const uint8 = (name: string, array: LoadedNpyArray): Uint8Array => ints(name, array, Uint8Array, 0, 255);

  const gridSizeArray = arrays.grid_size;
  if (gridSizeArray === undefined || gridSizeArray.data.length !== 1) {
    problem('it has no scalar grid_size', 'ERR_SHAPE');
  }
  const n = int32('grid_size', gridSizeArray)[0];
  const obstaclesArray = get('obstacles', ['N', n, n]);
  const numDomains = obstaclesArray.shape[0];
  const sampleDomain = int32('sample_domain', get('sample_domain', ['S']));
  const numSamples = sampleDomain.length;
  const pathDomain = int32('path_domain', get('path_domain', ['P']));
  const ds: GridworldDataset = {
    gridSize: n,
    numDomains,
    obstacles: uint8('obstacles', obstaclesArray),
    goals: int32('goals', get('goals', [numDomains, 2])),
    sampleDomain,
    sampleState: int32('sample_state', get('sample_state', [numSamples, 2])),
    sampleLabel: uint8('sample_label', get('sample_label', [numSamples])),
    pathDomain,
    pathOffsets: int32('path_offsets', get('path_offsets', [pathDomain.length + 1])),
    pathCells: int32('path_cells', get('path_cells', ['T', 2])),
  };
  checkDataset(ds, fn);
  return ds;
}
