/**
 * numpy's `.npy` format (numpy.lib.format): the magic `\x93NUMPY`, a version (1.0 written; 1.0, 2.0 and
 * 3.0 read), the header length (u16 little-endian in 1.0, u32 in 2.0/3.0), an ASCII Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and a newline so the
 * data starts at a multiple of 64 bytes, then the elements' raw bytes.
 *
 * Written: little-endian, C order, dtypes '<f4' '<f8' '<i4' '<i8' '|u1' '|b1'. Read: the same, plus
 * big-endian ('>') versions of them and Fortran order, both converted on reading.
 */
import { KeratorchError } from '../backend';
import type { DType, TypedArray } from '../backend';
import { fail } from '../backend/validate';
import { writeFileAtomic } from './atomic';
import { withRegularFile } from './read_file';

/** An n-d array as plain data: C-order elements and a shape. */
export interface NpyArray {
  /** The elements in C (row-major) order: Float32Array, Float64Array, Int32Array, BigInt64Array or
   * Uint8Array. */
  data: TypedArray;
  /** The dimensions; [] for a scalar (one element). */
  shape: number[];
  /**
   * The element type. When writing it may be left out (it follows from `data`); set 'bool' to write a
   * Uint8Array as numpy bool. Always set on arrays read from a file.
   */
  dtype?: DType;
}

/** An array read from a file: its dtype is always known. */
export type LoadedNpyArray = NpyArray & { dtype: DType };

type ArrayMaker = (new (length: number) => TypedArray) & { readonly BYTES_PER_ELEMENT: number };

const FORMATS: Record<DType, { descr: string; array: ArrayMaker }> = {
  float32: { descr: '<f4', array: Float32Array },
  float64: { descr: '<f8', array: Float64Array },
  int32: { descr: '<i4', array: Int32Array },
  int64: { descr: '<i8', array: BigInt64Array },
  uint8: { descr: '|u1', array: Uint8Array },
  bool: { descr: '|b1', array: Uint8Array },
};

const TAG_DTYPES: Record<string, DType> = {
  '[object Float32Array]': 'float32',
  '[object Float64Array]': 'float64',
  '[object Int32Array]': 'int32',
  '[object BigInt64Array]': 'int64',
  '[object Uint8Array]': 'uint8',
};

/** numpy's type characters ('<f4' = kind f, 4 bytes) for each dtype; '<', '>', '|', '=' give the order. */
const DTYPE_OF_KIND: Record<string, DType> = {
  f4: 'float32', f8: 'float64', i4: 'int32', i8: 'int64', u1: 'uint8', b1: 'bool',
};

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const ALIGNMENT = 64;

/** Checks an array to write and returns its dtype (from `dtype`, else from `data`). */
export function checkNpyArray(fn: string, name: string, array: NpyArray): DType {
  if (array === null || typeof array !== 'object') fail(fn, 'an object { data, shape, dtype? }', name, array);
  const tagged = TAG_DTYPES[Object.prototype.toString.call(array.data)];
  if (tagged === undefined) {
    fail(fn, 'a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array', `${name}.data`, array.data);
  }
  let dtype: DType = tagged;
  if (array.dtype !== undefined && array.dtype !== tagged) {
    if (!(array.dtype === 'bool' && tagged === 'uint8')) {
      fail(fn, `'${tagged}'${tagged === 'uint8' ? " or 'bool'" : ''} (the dtype of ${name}.data)`, `${name}.dtype`,
        array.dtype, 'ERR_DTYPE');
    }
    dtype = 'bool';
  }
  const shape = array.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    fail(fn, 'an array of non-negative integers', `${name}.shape`, shape);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== array.data.length) {
    fail(fn, `a shape with ${array.data.length} elements (${name}.data.length)`, `${name}.shape`, shape, 'ERR_SHAPE');
  }
  return dtype;
}

function headerText(descr: string, shape: readonly number[]): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
}

/** The bytes of one .npy file, as chunks (header, data) so large arrays are not copied twice. */
export function encodeNpyChunks(fn: string, name: string, array: NpyArray): Uint8Array[] {
  const dtype = checkNpyArray(fn, name, array);
  let text = headerText(FORMATS[dtype].descr, array.shape);
  // magic (6) + version (2) + length (2) + text + '\n', padded to the alignment.
  const unpadded = MAGIC.length + 4 + text.length + 1;
  text += ' '.repeat((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT) + '\n';
  if (text.length > 0xffff) {
    fail(fn, 'fewer dimensions (the .npy 1.0 header is at most 65535 bytes)', `${name}.shape`, array.shape);
  }
  const header = Buffer.alloc(MAGIC.length + 4 + text.length);
  MAGIC.copy(header, 0);
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(text.length, 8);
  header.write(text, 10, 'latin1');
  const data = array.data;
  let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (dtype === 'bool' && bytes.some((b) => b > 1)) bytes = bytes.map((b) => (b ? 1 : 0));
  return [header, bytes];
}

/**
 * The bytes of a .npy file (format 1.0, little-endian, C order) holding `array`.
 *
 * @param array `{ data, shape, dtype? }`: `dtype: 'bool'` writes a Uint8Array as numpy bool ('|b1').
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  return Buffer.concat(encodeNpyChunks('encodeNpy', 'array', array));
}

function corrupt(fn: string, source: string, message: string): never {
  throw new KeratorchError(`${fn}: invalid .npy ${source}: ${message}`, 'ERR_VALUE', fn);
}

interface NpyHeader {
  dtype: DType;
  bigEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

/**
 * Where the header of a .npy file of `size` bytes ends, from its first bytes (`start`, at least the 12
 * a version 2.0 header prefix takes, or the whole file when shorter).
 */
function headerEnd(fn: string, source: string, start: Uint8Array, size: number): { end: number; textStart: number } {
  if (start.length < 10 || !MAGIC.equals(start.subarray(0, 6))) {
    corrupt(fn, source, 'it does not start with the .npy magic "\\x93NUMPY" (not a .npy file, or empty)');
  }
  const major = start[6];
  const view = new DataView(start.buffer, start.byteOffset, start.byteLength);
  let textStart = 10;
  let textLength: number;
  if (major === 1) {
    textLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (start.length < 12) corrupt(fn, source, 'the header is truncated');
    textLength = view.getUint32(8, true);
    textStart = 12;
  } else {
    corrupt(fn, source, `format version ${major}.${start[7]} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  if (textStart + textLength > size) {
    corrupt(fn, source, `the header says ${textLength} bytes but the file ends first (truncated)`);
  }
  return { end: textStart + textLength, textStart };
}

function parseHeader(fn: string, source: string, bytes: Uint8Array): NpyHeader {
  const { end, textStart } = headerEnd(fn, source, bytes, bytes.length);
  const major = bytes[6];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + textStart, end - textStart)
    .toString(major === 3 ? 'utf8' : 'latin1');

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const order = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const dims = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || order === undefined || dims === undefined) {
    corrupt(fn, source, `the header ${JSON.stringify(text.trim())} lacks 'descr', 'fortran_order' or 'shape' ` +
      '(or has a structured dtype, which is not supported)');
  }
  const byteOrder = descr.length === 3 ? descr[0] : '';
  const dtype = DTYPE_OF_KIND[descr.slice(1)];
  if (dtype === undefined || !['<', '>', '|', '='].includes(byteOrder)) {
    throw new KeratorchError(`${fn}: unsupported dtype '${descr}' in .npy ${source} (supported: ` +
      `${Object.values(FORMATS).map((f) => `'${f.descr}'`).join(', ')} and their big-endian forms)`, 'ERR_DTYPE', fn);
  }
  const shape = dims.split(',').map((d) => d.trim()).filter((d) => d !== '').map((d) => {
    const value = Number(d.replace(/L$/, '')); // Python 2 wrote longs as 3L
    if (!Number.isSafeInteger(value) || value < 0) corrupt(fn, source, `the shape (${dims}) is not a list of sizes`);
    return value;
  });
  return {
    dtype, bigEndian: byteOrder === '>', fortranOrder: order === 'True', shape, dataOffset: end,
  };
}

/** Reverses the bytes of each element in place (big-endian to the host's little-endian). */
function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Fortran-order (column-major) elements of `shape` as C order. */
function fortranToC(data: TypedArray, shape: readonly number[]): TypedArray {
  if (shape.length < 2 || data.length === 0) return data;
  const out = new (data.constructor as new (n: number) => TypedArray)(data.length);
  const rank = shape.length;
  const strides = new Array<number>(rank); // Fortran strides: the first index moves fastest
  let stride = 1;
  for (let k = 0; k < rank; k++) {
    strides[k] = stride;
    stride *= shape[k];
  }
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let i = 0; i < data.length; i++) {
    (out as unknown as ArrayLike<unknown> & Record<number, unknown>)[i] = data[from];
    // Advance the C-order index (last axis fastest) and its Fortran offset together.
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      from += strides[k];
      if (index[k] < shape[k]) break;
      from -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

/** The data's size in bytes that `header` declares, checked against the `available` bytes after it. */
function checkDataLength(fn: string, source: string, header: NpyHeader, available: number): number {
  const size = header.shape.reduce((a, b) => a * b, 1);
  const byteLength = size * FORMATS[header.dtype].array.BYTES_PER_ELEMENT;
  if (available !== byteLength) {
    corrupt(fn, source, `shape (${header.shape.join(', ')}) of '${FORMATS[header.dtype].descr}' needs ${byteLength} ` +
      `data bytes but there are ${available}${available < byteLength ? ' (truncated)' : ''}`);
  }
  return byteLength;
}

/** Decodes one .npy file; `source` names it in messages. The data is copied (never a view of `bytes`). */
export function decodeNpyAs(fn: string, source: string, bytes: Uint8Array): LoadedNpyArray {
  const header = parseHeader(fn, source, bytes);
  const { array: Maker } = FORMATS[header.dtype];
  const size = header.shape.reduce((a, b) => a * b, 1);
  const byteLength = checkDataLength(fn, source, header, bytes.length - header.dataOffset);
  let data = new Maker(size);
  const raw = new Uint8Array(data.buffer);
  raw.set(bytes.subarray(header.dataOffset, header.dataOffset + byteLength));
  if (header.bigEndian && Maker.BYTES_PER_ELEMENT > 1) swapBytes(raw, Maker.BYTES_PER_ELEMENT);
  if (header.fortranOrder) data = fortranToC(data, header.shape);
  return { data, shape: header.shape, dtype: header.dtype };
}

/** Decodes the bytes of a .npy file into `{ data, shape, dtype }` (C order, copied). */
export function decodeNpy(bytes: Uint8Array): LoadedNpyArray {
  if (!(bytes instanceof Uint8Array)) fail('decodeNpy', 'a Buffer or Uint8Array', 'bytes', bytes);
  return decodeNpyAs('decodeNpy', 'input', bytes);
}

/** Checks a file path argument. */
export function checkFilePath(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') fail(fn, 'a file path', 'path', path);
  return path;
}

/** Writes `array` to a .npy file `np.load` reads (atomically: a temporary file renamed over `path`). */
export function saveNpy(path: string, array: NpyArray): void {
  const fn = 'saveNpy';
  checkFilePath(fn, path);
  writeFileAtomic(fn, path, encodeNpyChunks(fn, 'array', array));
}

/** Reads a .npy file (as `np.save` writes it) into `{ data, shape, dtype }`. */
export function loadNpy(path: string): LoadedNpyArray {
  const fn = 'loadNpy';
  checkFilePath(fn, path);
  const source = JSON.stringify(path);
  return withRegularFile(fn, path, (file) => {
    // The header comes first and says how large the data is: a file that is larger is refused unread.
    const { end } = headerEnd(fn, source, file.read(0, Math.min(file.size, 12)), file.size);
    checkDataLength(fn, source, parseHeader(fn, source, file.read(0, end)), file.size - end);
    return decodeNpyAs(fn, source, file.read(0, file.size));
  });
}
