/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian u64 header size N,
 * N bytes of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`
 * padded with spaces to a multiple of 8, then the tensors' raw little-endian bytes, back to back.
 * Model weights are saved in it; nothing in it can run code when loaded.
 */
import { endianness } from 'os';
import { KeratorchError, Tensor, tensor } from '../backend';
import type { Device, DType, TypedArray } from '../backend';
import { describe, optionsObject } from '../backend/validate';
import { writeFileAtomic } from './atomic';
import { withRegularFile } from './read_file';

/** What a safetensors file holds: tensors by name and free-form string metadata. */
export interface SafetensorsContents {
  /** The tensors by name, in the file's order (by data offset). The caller owns them. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings (empty when the file has none). */
  metadata: Record<string, string>;
}

/** Options of {@link decodeSafetensors} and {@link loadSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** Where to make the tensors: `cpu` (the default), `cuda` or `cuda:N`. */
  device?: Device;
}

type ArrayMaker = (new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray) &
  { readonly BYTES_PER_ELEMENT: number };

/** The safetensors dtype code of each keratorch dtype, and the typed array its bytes are read as. */
const FORMAT_OF_DTYPE: Record<DType, { code: string; array: ArrayMaker }> = {
  float32: { code: 'F32', array: Float32Array },
  float64: { code: 'F64', array: Float64Array },
  int32: { code: 'I32', array: Int32Array },
  int64: { code: 'I64', array: BigInt64Array },
  uint8: { code: 'U8', array: Uint8Array },
  bool: { code: 'BOOL', array: Uint8Array },
};

const DTYPE_OF_CODE: Record<string, DType> = Object.fromEntries(
  Object.entries(FORMAT_OF_DTYPE).map(([dtype, { code }]) => [code, dtype as DType]));

const SUPPORTED_CODES = Object.keys(DTYPE_OF_CODE).join(', ');

/** The reference implementation refuses larger headers; so do we (a corrupt size field would otherwise
 * make us parse a gigabyte of "JSON"). */
const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';

const DECODE_OPTIONS = ['device'];

/** The header and the tensors' bytes, in file order: what encode concatenates and save streams. */
interface EncodedParts {
  header: Buffer;
  chunks: Uint8Array[];
  byteLength: number;
}

function invalidInput(fn: string, message: string): never {
  throw new KeratorchError(`${fn}: ${message}`, 'ERR_ARGUMENT', fn);
}

function describeValue(value: unknown): string {
  // Arrays by kind only: each caller wanted an object there, and their contents would say nothing more.
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    // Array.isArray throws on a revoked Proxy: describe says what it is.
  }
  return typeof value === 'number' ? `number ${value}` : describe(value);
}

function checkLittleEndian(fn: string): void {
  // Typed arrays use the host's byte order and the format is little-endian; every platform libtorch
  // ships for is little-endian, so this only guards against silently wrong files elsewhere.
  if (endianness() !== 'LE') {
    throw new KeratorchError(`${fn}: safetensors needs a little-endian host`, 'ERR_NATIVE', fn);
  }
}

function checkMetadata(fn: string, metadata: unknown): Record<string, string> {
  if (metadata === undefined) return {};
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    invalidInput(fn, `expected an object of strings for metadata but received ${describeValue(metadata)}`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      invalidInput(fn, `expected a string for metadata[${JSON.stringify(key)}] but received ${describeValue(value)} ` +
        '(safetensors metadata holds strings only: JSON.stringify other values)');
    }
  }
  return metadata as Record<string, string>;
}

/** Validates the input, reads every tensor's bytes and builds the padded header. */
function encodeParts(fn: string, tensors: Record<string, Tensor>, metadata: unknown): EncodedParts {
  checkLittleEndian(fn);
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    invalidInput(fn, `expected an object of tensors by name for tensors but received ${describeValue(tensors)}`);
  }
  const meta = checkMetadata(fn, metadata);
  const names = Object.keys(tensors).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const t = tensors[name];
    if (name === METADATA_KEY) invalidInput(fn, `the tensor name "${METADATA_KEY}" is reserved for the metadata`);
    if (name === '') invalidInput(fn, 'tensor names must not be empty');
    if (!(t instanceof Tensor)) {
      invalidInput(fn, `expected a Tensor for tensors[${JSON.stringify(name)}] but received ${describeValue(t)}`);
    }
    t.assertLive(fn, `tensors[${JSON.stringify(name)}]`);
  }
  const header: Record<string, unknown> = {};
  if (Object.keys(meta).length > 0) header[METADATA_KEY] = { ...meta };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const values = t.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    defineEntry(header, name, { dtype: FORMAT_OF_DTYPE[t.dtype].code, shape: t.shape,
      data_offsets: [offset, offset + bytes.length] });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  // Spaces up to a multiple of 8, so the data (after the 8-byte size) starts 8-byte aligned.
  const padded = Math.ceil(json.length / 8) * 8;
  const headerBytes = Buffer.alloc(8 + padded, 0x20);
  headerBytes.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(headerBytes, 8);
  return { header: headerBytes, chunks, byteLength: headerBytes.length + offset };
}

/**
 * Serializes tensors (and optional string metadata) to safetensors bytes. Tensors are written
 * sorted by name, each as contiguous little-endian data on the CPU (CUDA tensors are copied over).
 * Readable by huggingface's `safetensors` in Python and Rust.
 *
 * @param tensors The tensors by name; `__metadata__` is reserved.
 * @param metadata Free-form strings stored under `__metadata__`.
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const parts = encodeParts('encodeSafetensors', tensors, metadata);
  return Buffer.concat([parts.header, ...parts.chunks], parts.byteLength);
}

/** One validated header entry, ready to become a tensor. */
interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/** A header that passed every check. */
interface ParsedHeader {
  entries: TensorEntry[];
  metadata: Record<string, string>;
  dataStart: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function defineEntry<T>(target: Record<string, T>, key: string, value: T): void {
  // Not `target[key] = value`: a tensor named "__proto__" would replace the prototype instead.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The header's size in bytes, from the first 8 bytes of data that is `length` bytes long in all. */
function headerSize(prefix: Uint8Array, length: number, invalid: (message: string) => never): number {
  if (length < 8) {
    invalid(`the data is ${length} bytes long, shorter than the 8-byte header size that starts every safetensors file`);
  }
  const declared = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(length - 8)) {
    invalid(`the header size field says ${declared} bytes but only ${length - 8} bytes follow it ` +
      '(the file is truncated or not a safetensors file)');
  }
  const size = Number(declared);
  if (size > MAX_HEADER_BYTES) invalid(`the header is ${size} bytes, more than the ${MAX_HEADER_BYTES}-byte limit`);
  return size;
}

/** Checks the whole header against the buffer before any tensor is made. */
function parseHeader(buffer: Uint8Array, invalid: (message: string) => never): ParsedHeader {
  const size = headerSize(buffer, buffer.byteLength, invalid);
  return parseHeaderJson(buffer.subarray(8, 8 + size), buffer.byteLength - 8 - size, invalid);
}

/**
 * Checks the header's JSON (`headerBytes`) against the `dataLength` bytes of tensor data that follow
 * it: the entries must tile the data exactly.
 */
function parseHeaderJson(headerBytes: Uint8Array, dataLength: number, invalid: (message: string) => never): ParsedHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    return invalid('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    invalid(`the header is not a JSON object (it starts with ${JSON.stringify(text.slice(0, 16))})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(`the header is not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) invalid('the header is not a JSON object');

  const dataStart = 8 + headerBytes.byteLength;
  const metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, info] of Object.entries(json as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (info === null) continue;
      if (typeof info !== 'object' || Array.isArray(info)) {
        invalid(`"${METADATA_KEY}" must be an object of strings but is ${describeValue(info)}`);
      }
      for (const [key, value] of Object.entries(info as Record<string, unknown>)) {
        if (typeof value !== 'string') {
          invalid(`"${METADATA_KEY}" must hold strings only but ${JSON.stringify(key)} is ${describeValue(value)}`);
        }
        defineEntry(metadata, key, value);
      }
      continue;
    }
    const label = `tensor ${JSON.stringify(name)}`;
    if (info === null || typeof info !== 'object' || Array.isArray(info)) {
      invalid(`${label}: expected {dtype, shape, data_offsets} but found ${describeValue(info)}`);
    }
    const { dtype: code, shape, data_offsets: offsets } = info as Record<string, unknown>;
    for (const [field, value, expected] of [['dtype', code, `a dtype string (${SUPPORTED_CODES})`],
      ['shape', shape, 'a list of sizes'], ['data_offsets', offsets, '[begin, end]']] as const) {
      if (value === undefined) invalid(`${label} has no "${field}" field (expected ${expected})`);
    }
    if (typeof code !== 'string') invalid(`${label}: expected a dtype string but found ${describeValue(code)}`);
    const dtype = Object.prototype.hasOwnProperty.call(DTYPE_OF_CODE, code) ? DTYPE_OF_CODE[code] : undefined;
    if (dtype === undefined) {
      invalid(`${label} has dtype ${JSON.stringify(code)}, which keratorch does not support (supported: ${SUPPORTED_CODES})`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      invalid(`${label}: expected a shape of non-negative integers but found ${describe(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      invalid(`${label}: expected data_offsets [begin, end] with 0 <= begin <= end but found ${describe(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const expectedBytes = count * FORMAT_OF_DTYPE[dtype].array.BYTES_PER_ELEMENT;
    if (end - begin !== expectedBytes) {
      invalid(`${label}: shape [${shape}] of ${code} needs ${expectedBytes} bytes but data_offsets ` +
        `[${begin}, ${end}] hold ${end - begin}`);
    }
    if (end > dataLength) {
      invalid(`${label}: data_offsets [${begin}, ${end}] go past the end of the data (${dataLength} bytes): ` +
        'the file is truncated');
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }

  // The tensors must tile the data exactly: no overlap, no gap, nothing after the last one.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: TensorEntry | undefined;
  for (const entry of entries) {
    const where = `tensor ${JSON.stringify(entry.name)} (data_offsets [${entry.begin}, ${entry.end}])`;
    if (entry.begin < covered) {
      const other = previous as TensorEntry;
      invalid(`${where} overlaps tensor ${JSON.stringify(other.name)} (data_offsets [${other.begin}, ${other.end}])`);
    }
    if (entry.begin > covered) invalid(`${where} leaves a gap: bytes [${covered}, ${entry.begin}) belong to no tensor`);
    covered = entry.end;
    previous = entry;
  }
  if (covered !== dataLength) {
    invalid(`${dataLength - covered} bytes of trailing data after the last tensor (the tensors cover ` +
      `${covered} of ${dataLength} data bytes)`);
  }
  return { entries, metadata, dataStart };
}

function makeTensor(buffer: Uint8Array, start: number, entry: TensorEntry, device: Device | undefined): Tensor {
  const ctor = FORMAT_OF_DTYPE[entry.dtype].array;
  const itemSize = ctor.BYTES_PER_ELEMENT;
  const count = (entry.end - entry.begin) / itemSize;
  let offset = buffer.byteOffset + start + entry.begin;
  let source = buffer.buffer;
  if (offset % itemSize !== 0) {
    // A typed array needs an aligned offset: copy the bytes (the backend copies them again anyway).
    const copy = new Uint8Array(entry.end - entry.begin);
    copy.set(buffer.subarray(start + entry.begin, start + entry.end));
    source = copy.buffer;
    offset = 0;
  }
  return tensor(new ctor(source, offset, count), entry.shape, entry.dtype, device);
}

function invalidData(fn: string, source: string): (message: string) => never {
  return (message: string): never => {
    throw new KeratorchError(`${fn}: invalid safetensors ${source}: ${message}`, 'ERR_VALUE', fn);
  };
}

/** decodeSafetensors, naming the public function to blame and the source (data or a file) in errors. */
function decodeAs(fn: string, buffer: Uint8Array, options: DecodeSafetensorsOptions | undefined,
  source = 'data'): SafetensorsContents {
  checkLittleEndian(fn);
  if (!(buffer instanceof Uint8Array)) {
    invalidInput(fn, `expected a Buffer or Uint8Array for buffer but received ${describeValue(buffer)}`);
  }
  const checked = checkDecodeOptions(fn, options);
  const invalid = invalidData(fn, source);
  return makeContents(buffer, parseHeader(buffer, invalid), checked);
}

function checkDecodeOptions(fn: string, options: unknown): DecodeSafetensorsOptions {
  return optionsObject<DecodeSafetensorsOptions>(fn, options, DECODE_OPTIONS);
}

/** The tensors of a checked header, made from `buffer` (whose data starts at the header's `dataStart`). */
function makeContents(buffer: Uint8Array, { entries, metadata, dataStart }: ParsedHeader,
  options: DecodeSafetensorsOptions): SafetensorsContents {
  // A plain object, so dispose() and tidy() find the tensors in it; defineEntry keeps a tensor named
  // "__proto__" an entry like any other.
  const tensors: Record<string, Tensor> = {};
  const made: Tensor[] = [];
  try {
    for (const entry of entries) {
      const t = makeTensor(buffer, dataStart, entry, options.device);
      made.push(t);
      defineEntry(tensors, entry.name, t);
    }
  } catch (error) {
    for (const t of made) t.dispose();
    throw error;
  }
  return { tensors, metadata };
}

/**
 * Parses safetensors bytes into new tensors (owned by the caller: dispose them, or make them in a
 * `tidy` scope) and the `__metadata__` strings. The whole header is checked against the data
 * before any tensor is made; a malformed buffer throws a KeratorchError (`ERR_VALUE`) that says
 * what is wrong, and leaves no tensor behind.
 *
 * @param buffer The file's bytes.
 * @param options `device`: where to make the tensors (default `cpu`).
 */
export function decodeSafetensors(buffer: Uint8Array, options?: DecodeSafetensorsOptions): SafetensorsContents {
  return decodeAs('decodeSafetensors', buffer, options);
}

function checkPath(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    invalidInput(fn, `expected a file path for path but received ${describeValue(path)}`);
  }
  return path;
}

/**
 * Writes tensors (and optional string metadata) to a safetensors file. The bytes go to a temporary
 * file in the same folder, flushed to disk, which then replaces `path` in one rename: a crash never
 * leaves a half-written file under `path`.
 *
 * @param path The file to write (replaced if it exists).
 * @param tensors The tensors by name.
 * @param metadata Free-form strings stored under `__metadata__`.
 */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  const fn = 'saveSafetensors';
  checkPath(fn, path);
  writeFileAtomic(fn, path, encodeSafetensorsChunks(fn, tensors, metadata));
}

/** The bytes of a safetensors file as pieces to write in order (errors name `fn`). */
export function encodeSafetensorsChunks(fn: string, tensors: Record<string, Tensor>,
  metadata?: Record<string, string>): Uint8Array[] {
  const parts = encodeParts(fn, tensors, metadata);
  return [parts.header, ...parts.chunks];
}

/**
 * Reads a safetensors file into new tensors (owned by the caller) and its `__metadata__` strings.
 * A malformed file throws a KeratorchError (`ERR_VALUE`) naming the file and the problem, and leaves
 * no tensor behind; a missing or unreadable file throws `ERR_ARGUMENT`.
 *
 * @param path The file to read.
 * @param options `device`: where to make the tensors (default `cpu`).
 */
export function loadSafetensors(path: string, options?: DecodeSafetensorsOptions): SafetensorsContents {
  const fn = 'loadSafetensors';
  checkPath(fn, path);
  checkLittleEndian(fn);
  const checked = checkDecodeOptions(fn, options);
  const invalid = invalidData(fn, `file ${JSON.stringify(path)}`);
  return withRegularFile(fn, path, (file) => {
    // The header says how much data follows it; the whole file must be exactly that long, and is
    // read only once that is known (a huge file is refused unread).
    const size = headerSize(file.read(0, Math.min(file.size, 8)), file.size, invalid);
    const headerBytes = file.read(8, size);
    const parsed = parseHeaderJson(headerBytes, file.size - 8 - size, invalid);
    const data = file.read(parsed.dataStart, file.size - parsed.dataStart);
    return makeContents(data, { ...parsed, dataStart: 0 }, checked);
  });
}
