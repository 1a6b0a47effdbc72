/**
 * numpy's `.npz` archives (`np.savez`, `np.savez_compressed`): a zip file with one `.npy` file per
 * array, named `<key>.npy`. Written uncompressed (STORED, as `np.savez` does); read STORED or DEFLATE.
 */
import { KeratorchError } from '../backend';
import { fail } from '../backend/validate';
import { checkFilePath, decodeNpyAs, encodeNpyChunks } from './npy';
import type { LoadedNpyArray, NpyArray } from './npy';
import { decodeZip, encodeZip } from './zip';
import { writeFileAtomic } from './atomic';
import { readRegularFile } from './read_file';

function encodeNpzChunks(fn: string, arrays: Record<string, NpyArray>): Uint8Array[] {
  if (arrays === null || typeof arrays !== 'object' || Array.isArray(arrays)) {
    fail(fn, 'an object of arrays by name ({ name: { data, shape, dtype? } })', 'arrays', arrays);
  }
  const entries = Object.entries(arrays).map(([key, array]) => {
    if (key === '' || key.includes('/') || key.includes('\\')) {
      fail(fn, 'array names that are non-empty and have no slash', 'arrays', key, 'ERR_VALUE');
    }
    return { name: `${key}.npy`, chunks: encodeNpyChunks(fn, `arrays[${JSON.stringify(key)}]`, array) };
  });
  return encodeZip(fn, entries);
}

/** The bytes of an .npz archive of `arrays` (uncompressed, as `np.savez` writes). */
export function encodeNpz(arrays: Record<string, NpyArray>): Uint8Array {
  return Buffer.concat(encodeNpzChunks('encodeNpz', arrays));
}

function decodeNpzAs(fn: string, source: string, bytes: Uint8Array): Record<string, LoadedNpyArray> {
  const corrupt = (message: string): never => {
    throw new KeratorchError(`${fn}: invalid .npz ${source}: ${message}`, 'ERR_VALUE', fn);
  };
  // No prototype: an entry named "__proto__.npy" is an array like any other, not the object's prototype,
  // and a missing name reads as undefined, never as an Object method.
  const arrays: Record<string, LoadedNpyArray> = Object.create(null);
  for (const entry of decodeZip(bytes, corrupt)) {
    if (entry.name.endsWith('/')) continue; // a folder entry, which holds nothing
    const key = entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : entry.name;
    if (key in arrays) corrupt(`the array ${JSON.stringify(key)} appears twice`);
    arrays[key] = decodeNpyAs(fn, `${JSON.stringify(entry.name)} in ${source}`, entry.data);
  }
  return arrays;
}

/** The arrays of an .npz archive's bytes by name (the member names without `.npy`), in archive order. */
export function decodeNpz(bytes: Uint8Array): Record<string, LoadedNpyArray> {
  if (!(bytes instanceof Uint8Array)) fail('decodeNpz', 'a Buffer or Uint8Array', 'bytes', bytes);
  return decodeNpzAs('decodeNpz', 'input', bytes);
}

/**
 * Writes `arrays` to an .npz file that `np.load(path)` reads (uncompressed, little-endian, C order),
 * atomically: a temporary file in the same folder, renamed over `path`.
 *
 * @param arrays By name: `{ data, shape, dtype? }` (Float32Array '<f4', Float64Array '<f8', Int32Array
 *   '<i4', BigInt64Array '<i8', Uint8Array '|u1', or with `dtype: 'bool'` '|b1').
 * @example saveNpz('x.npz', { x: { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] } });
 */
export function saveNpz(path: string, arrays: Record<string, NpyArray>): void {
  const fn = 'saveNpz';
  checkFilePath(fn, path);
  writeFileAtomic(fn, path, encodeNpzChunks(fn, arrays));
}

/**
 * Reads an .npz file (`np.savez` or `np.savez_compressed`) into its arrays by name, each
 * `{ data, shape, dtype }` in C order (Fortran-order and big-endian members are converted). Damaged or
 * truncated files throw a KeratorchError that says what is wrong.
 */
export function loadNpz(path: string): Record<string, LoadedNpyArray> {
  return readNpzFile('loadNpz', path);
}

/** {@link loadNpz} for other readers: errors name `fn`. */
export function readNpzFile(fn: string, path: string): Record<string, LoadedNpyArray> {
  checkFilePath(fn, path);
  return decodeNpzAs(fn, JSON.stringify(path), readRegularFile(fn, path));
}
