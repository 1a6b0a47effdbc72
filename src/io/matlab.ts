/**
 * MATLAB Level 5 MAT-files (what `save -v6` and `save -v7` write; MathWorks' "MAT-File Format"):
 * a 128-byte header (116 bytes of text, an 8-byte subsystem offset, a 2-byte version 0x0100 and the
 * endian indicator 'IM' for little-endian or 'MI' for big-endian), then data elements. Each element
 * is an 8-byte tag (u32 type, u32 byte count) followed by its data padded to 8 bytes, or, for at
 * most 4 bytes of data, a 4-byte "small data element" tag (byte count in the upper 16 bits) with the
 * data in the next 4 bytes. Top-level elements are miMATRIX (one variable) or miCOMPRESSED (a zlib
 * stream, not padded, holding further elements). An miMATRIX holds array flags, dimensions, a name
 * and then, by class, the real (and imaginary) part, the character codes, the cells or the fields.
 * Numeric data may be stored in a smaller type than its class (a double array as miUINT8, say); it
 * is converted to the class's type. Level 4 and v7.3 (HDF5) files are refused with a clear error.
 */
import { constants as zlibConstants, inflateSync } from 'zlib';
import { KeratorchError } from '../backend/errors';
import { fail } from '../backend/validate';
import { readRegularFile } from './read_file';

/** The numeric classes a MAT-file variable can have (`logical` is stored as uint8 with a flag). */
export type MatNumericClass =
  | 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'logical';

/** The typed array that holds a numeric variable: one per class (64-bit integers as bigint arrays). */
export type MatNumericData =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array;

/** A numeric or logical array. `data` (and `imag`) are column-major, as MATLAB stores them. */
export interface MatNumeric {
  kind: 'numeric';
  class: MatNumericClass;
  /** MATLAB's dimensions: at least two, the first the number of rows. */
  dims: number[];
  /** The real part, in column-major order, in the class's type (`logical`: a Uint8Array of 0/1). */
  data: MatNumericData;
  /** The imaginary part of a complex array, in the same type and order. */
  imag?: MatNumericData;
}

/** A char array. */
export interface MatChar {
  kind: 'char';
  dims: number[];
  /** The characters, row by row: a single-row array is its string; several rows are joined by '\n'. */
  text: string;
}

/** A cell array: its cells in column-major order, each a value of any kind. */
export interface MatCell {
  kind: 'cell';
  dims: number[];
  cells: MatValue[];
}

/** A struct array: its elements in column-major order, each a record of the field values. */
export interface MatStruct {
  kind: 'struct';
  dims: number[];
  fieldNames: string[];
  elements: Record<string, MatValue>[];
}

/** One variable of a MAT-file. */
export type MatValue = MatNumeric | MatChar | MatCell | MatStruct;

const OP = 'readMat';
const HEADER_BYTES = 128;

/**
 * How deeply cells and structs may nest. Each level is a few frames of recursion, so without a bound
 * a crafted file of 20,000 nested cells exhausts the stack; real data nests a few levels, and 64 stays
 * far below the stack's limit even when readMat is called from deep in a program.
 */
const MAX_NESTING = 64;

/**
 * The most elements a struct array without fields may have. Such elements take no bytes in the
 * file, so its dimensions alone (up to 2^31 each) would otherwise make readMat list billions of
 * empty records.
 */
const MAX_FIELDLESS_ELEMENTS = 1 << 24;

/**
 * How many compressed bytes are inflated to read the tag that starts an miCOMPRESSED stream. A zlib
 * header and a dynamic Huffman table take at most a few hundred bytes before the first output, and
 * 1024 bytes inflate to at most about 1 MB, so this peek cannot be made to inflate without end.
 */
const TAG_PEEK_BYTES = 1024;

// Data types (the tag's type field).
const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;
const MI_UTF16 = 17;
const MI_UTF32 = 18;

const TYPE_NAMES: Record<number, string> = {
  [MI_INT8]: 'miINT8', [MI_UINT8]: 'miUINT8', [MI_INT16]: 'miINT16', [MI_UINT16]: 'miUINT16',
  [MI_INT32]: 'miINT32', [MI_UINT32]: 'miUINT32', [MI_SINGLE]: 'miSINGLE', [MI_DOUBLE]: 'miDOUBLE',
  [MI_INT64]: 'miINT64', [MI_UINT64]: 'miUINT64', [MI_MATRIX]: 'miMATRIX', [MI_COMPRESSED]: 'miCOMPRESSED',
  [MI_UTF8]: 'miUTF8', [MI_UTF16]: 'miUTF16', [MI_UTF32]: 'miUTF32',
};

type ArrayMaker = (new (length: number) => MatNumericData) & { readonly BYTES_PER_ELEMENT: number };

/** How each numeric data type is read: its typed array (for same-type copies) and a DataView getter. */
const NUMERIC_TYPES: Record<number, { array: ArrayMaker; read: (v: DataView, at: number, le: boolean) => number | bigint }> = {
  [MI_INT8]: { array: Int8Array, read: (v, at) => v.getInt8(at) },
  [MI_UINT8]: { array: Uint8Array, read: (v, at) => v.getUint8(at) },
  [MI_INT16]: { array: Int16Array, read: (v, at, le) => v.getInt16(at, le) },
  [MI_UINT16]: { array: Uint16Array, read: (v, at, le) => v.getUint16(at, le) },
  [MI_INT32]: { array: Int32Array, read: (v, at, le) => v.getInt32(at, le) },
  [MI_UINT32]: { array: Uint32Array, read: (v, at, le) => v.getUint32(at, le) },
  [MI_SINGLE]: { array: Float32Array, read: (v, at, le) => v.getFloat32(at, le) },
  [MI_DOUBLE]: { array: Float64Array, read: (v, at, le) => v.getFloat64(at, le) },
  [MI_INT64]: { array: BigInt64Array, read: (v, at, le) => v.getBigInt64(at, le) },
  [MI_UINT64]: { array: BigUint64Array, read: (v, at, le) => v.getBigUint64(at, le) },
};

// Array classes (the low byte of the first array-flags word).
const MX_CELL = 1;
const MX_STRUCT = 2;
const MX_CHAR = 4;

const NUMERIC_CLASSES: Record<number, { name: MatNumericClass; array: ArrayMaker }> = {
  6: { name: 'double', array: Float64Array },
  7: { name: 'single', array: Float32Array },
  8: { name: 'int8', array: Int8Array },
  9: { name: 'uint8', array: Uint8Array },
  10: { name: 'int16', array: Int16Array },
  11: { name: 'uint16', array: Uint16Array },
  12: { name: 'int32', array: Int32Array },
  13: { name: 'uint32', array: Uint32Array },
  14: { name: 'int64', array: BigInt64Array },
  15: { name: 'uint64', array: BigUint64Array },
};

const UNSUPPORTED_CLASSES: Record<number, string> = {
  3: 'object (mxOBJECT_CLASS)',
  5: 'sparse (mxSPARSE_CLASS)',
  16: 'function handle (mxFUNCTION_CLASS)',
  17: 'opaque object (mxOPAQUE_CLASS: string, table, datetime, ...)',
};

// Bits of the array-flags byte (bits 8..15 of the first flags word).
const FLAG_COMPLEX = 0x0800;
const FLAG_LOGICAL = 0x0200;

/** A data element: its type, its data (without padding) and where it starts, for messages. */
interface Element {
  type: number;
  data: Uint8Array;
  /** Byte offset of the tag in its region. */
  at: number;
  /** Byte offset of the data in its region. */
  dataAt: number;
  /** Byte offset of whatever follows it in its region (after padding). */
  next: number;
}

/** Where an element lies: the file itself or a decompressed stream, named for messages. */
interface Region {
  bytes: Uint8Array;
  view: DataView;
  /** 'byte N' prefix text: '' for the file, ' of the zlib stream at byte M' for a stream. */
  suffix: string;
}

function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `unknown type ${type}`;
}

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Parses one file's bytes; every failure names the file and the place. */
class MatParser {
  private littleEndian = true;

  constructor(private readonly bytes: Uint8Array, private readonly label: string) {}

  private fail(message: string): never {
    throw new KeratorchError(`${OP}: ${this.label}: ${message}`, 'ERR_VALUE', OP);
  }

  parse(): Record<string, MatValue> {
    this.checkHeader();
    const file: Region = {
      bytes: this.bytes,
      view: new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength),
      suffix: '',
    };
    // No prototype: a variable named "__proto__" is a variable like any other.
    const variables: Record<string, MatValue> = Object.create(null);
    let pos = HEADER_BYTES;
    while (pos < file.bytes.length) {
      // Tolerate a few zero bytes of padding after the last element.
      if (file.bytes.length - pos < 8 && file.bytes.subarray(pos).every((b) => b === 0)) break;
      const element = this.readTag(file, pos, file.bytes.length, 'in the file');
      if (element.type === MI_COMPRESSED) {
        const stream = this.inflate(element);
        let inner = 0;
        while (inner < stream.bytes.length) {
          const variable = this.readTag(stream, inner, stream.bytes.length, 'in the file');
          this.addVariable(variables, stream, variable);
          inner = variable.next;
        }
      } else {
        this.addVariable(variables, file, element);
      }
      pos = element.next;
    }
    return variables;
  }

  private checkHeader(): void {
    const b = this.bytes;
    const ascii = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));
    if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
      this.fail('not a MAT v5 file: it is a zip archive (an .npz file?)');
    }
    if (b.length >= 6 && b[0] === 0x93 && ascii(1, 6) === 'NUMPY') this.fail('not a MAT v5 file: it is a NumPy .npy file');
    const hdf5Signature = '\x89HDF\r\n\x1a\n';
    const isHdf5At = (at: number): boolean => b.length >= at + 8 && ascii(at, at + 8) === hdf5Signature;
    if (isHdf5At(0)) this.fail('not a MAT v5 file: it is an HDF5 file');
    if (ascii(0, Math.min(b.length, 19)) === 'MATLAB 7.3 MAT-file' || isHdf5At(512)) {
      this.fail('a MATLAB v7.3 MAT-file, which is an HDF5 file; only Level 5 MAT-files are supported ' +
        "(re-save it in MATLAB with save(..., '-v7'), or read it with an HDF5 library)");
    }
    if (b.length < HEADER_BYTES) {
      this.fail(`not a MAT v5 file: ${b.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
    }
    const indicator = ascii(126, 128);
    if (indicator !== 'IM' && indicator !== 'MI') {
      const level4 = b.subarray(0, 4).includes(0) ? ' (it may be a Level 4 MAT-file, which is not supported)' : '';
      this.fail(`not a MAT v5 file: no endian indicator 'IM' or 'MI' at bytes 126-127 of the header${level4}`);
    }
    this.littleEndian = indicator === 'IM';
    const version = this.littleEndian ? b[124] | (b[125] << 8) : (b[124] << 8) | b[125];
    if (version === 0x0200) this.fail('a MATLAB v7.3 MAT-file (HDF5), which is not supported');
    if (version !== 0x0100) {
      this.fail(`not a MAT v5 file: header version 0x${version.toString(16).padStart(4, '0')}, expected 0x0100`);
    }
  }

  /** Reads the tag at `pos` (normal or small format) and checks that its data fits before `end`. */
  private readTag(region: Region, pos: number, end: number, where: string): Element {
    const le = this.littleEndian;
    if (end - pos < 8) {
      this.fail(`truncated data element at byte ${pos}${region.suffix} ${where}: ` +
        `${end - pos} bytes left, a tag needs 8`);
    }
    const first = region.view.getUint32(pos, le);
    const smallBytes = first >>> 16;
    if (smallBytes !== 0) {
      if (smallBytes > 4) {
        this.fail(`malformed small data element at byte ${pos}${region.suffix} ${where}: ` +
          `it says ${smallBytes} bytes, at most 4 fit`);
      }
      const dataAt = pos + 4;
      return {
        type: first & 0xffff, data: region.bytes.subarray(dataAt, dataAt + smallBytes), at: pos, dataAt, next: pos + 8,
      };
    }
    const type = first;
    const nbytes = region.view.getUint32(pos + 4, le);
    const dataAt = pos + 8;
    if (nbytes > end - dataAt) {
      this.fail(`truncated data element (${typeName(type)}) at byte ${pos}${region.suffix} ${where}: ` +
        `its tag says ${nbytes} bytes but only ${end - dataAt} remain`);
    }
    // Compressed elements are not padded; every other element is padded to a multiple of 8 bytes
    // (a file may end without the last element's padding).
    const padded = type === MI_COMPRESSED ? nbytes : Math.ceil(nbytes / 8) * 8;
    return {
      type, data: region.bytes.subarray(dataAt, dataAt + nbytes), at: pos, dataAt, next: Math.min(end, dataAt + padded),
    };
  }

  /**
   * Inflates an miCOMPRESSED element, to no more than the element at its start says it holds: a few
   * bytes that inflate to gigabytes are refused, not inflated.
   */
  private inflate(element: Element): Region {
    const where = `the miCOMPRESSED element at byte ${element.at}`;
    let bytes: Uint8Array;
    try {
      // A truncated input inflates, with a sync flush, to what it holds: here, the inner element's tag.
      const start = inflateSync(element.data.subarray(0, TAG_PEEK_BYTES), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      let declared = start.length; // fewer than 8 bytes: readTag reports the truncated tag
      if (start.length >= 8) {
        const view = new DataView(start.buffer, start.byteOffset, start.byteLength);
        const small = view.getUint32(0, this.littleEndian) >>> 16 !== 0;
        declared = small ? 8 : 8 + Math.ceil(view.getUint32(4, this.littleEndian) / 8) * 8;
      }
      bytes = inflateSync(element.data, { maxOutputLength: Math.max(declared, 1) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        this.fail(`${where} inflates to more than the bytes its inner element declares`);
      }
      this.fail(`bad zlib stream in ${where}: ${(error as Error).message}`);
    }
    return {
      bytes,
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      suffix: ` of the zlib stream at byte ${element.at}`,
    };
  }

  private addVariable(variables: Record<string, MatValue>, region: Region, element: Element): void {
    if (element.type !== MI_MATRIX) {
      this.fail(`unexpected ${typeName(element.type)} data element at byte ${element.at}${region.suffix}: ` +
        'the top level holds only miMATRIX and miCOMPRESSED elements');
    }
    const { name, value } = this.readMatrix(region, element, 'in the file', 0);
    // An unnamed top-level array is MATLAB's subsystem data (for objects), not a variable.
    if (name === '') return;
    if (name in variables) this.fail(`variable '${name}' appears twice`);
    variables[name] = value;
  }

  /**
   * Reads an miMATRIX element: array flags, dimensions, name, then the class's parts. `where` names
   * the variable (or cell) for messages once the name is known; `depth` counts the cells and structs
   * around it (0 for a variable).
   */
  private readMatrix(region: Region, element: Element, where: string, depth: number): { name: string; value: MatValue } {
    if (depth > MAX_NESTING) {
      this.fail(`cells and structs nest more than ${MAX_NESTING} levels deep (at byte ${element.at}${region.suffix}, ` +
        `${where.slice(0, 200)}${where.length > 200 ? '...' : ''})`);
    }
    const start = element.dataAt;
    const end = start + element.data.length;
    // MATLAB writes an empty array inside a cell or struct as an miMATRIX with no data.
    if (element.data.length === 0) {
      return { name: '', value: { kind: 'numeric', class: 'double', dims: [0, 0], data: new Float64Array(0) } };
    }
    let pos = start;
    const next = (what: string, types: number[]): Element => {
      const sub = this.readTag(region, pos, end, where);
      if (!types.includes(sub.type)) {
        this.fail(`expected the ${what} as ${types.map(typeName).join(' or ')} at byte ${sub.at}${region.suffix} ` +
          `${where}, found ${typeName(sub.type)}`);
      }
      pos = sub.next;
      return sub;
    };
    const le = this.littleEndian;
    const flagsElement = next('array flags', [MI_UINT32]);
    if (flagsElement.data.length !== 8) {
      this.fail(`array flags at byte ${flagsElement.at}${region.suffix} ${where} have ${flagsElement.data.length} bytes, expected 8`);
    }
    const flags = new DataView(flagsElement.data.buffer, flagsElement.data.byteOffset, 8).getUint32(0, le);
    const mxClass = flags & 0xff;
    const dimsElement = next('dimensions', [MI_INT32]);
    const dims = this.readInts(dimsElement, le);
    if (dims.length < 2 || dims.some((d) => d < 0)) {
      this.fail(`bad dimensions [${dims.join(', ')}] at byte ${dimsElement.at}${region.suffix} ${where}: ` +
        'expected at least two, none negative');
    }
    const nameElement = next('array name', [MI_INT8, MI_UINT8]);
    const name = Buffer.from(nameElement.data).toString('latin1');
    if (depth === 0 && name !== '') where = `in variable '${name}'`;
    const count = product(dims);

    if (UNSUPPORTED_CLASSES[mxClass] !== undefined) {
      this.fail(`unsupported class ${UNSUPPORTED_CLASSES[mxClass]} ${where}`);
    }
    if (mxClass === MX_CHAR) {
      const chars = next('character data', [MI_UINT16, MI_UTF16, MI_UTF8, MI_UTF32, MI_UINT8, MI_INT8, MI_UINT32]);
      return { name, value: { kind: 'char', dims, text: this.readChars(chars, dims, count, region, where) } };
    }
    if (mxClass === MX_CELL) {
      const cells: MatValue[] = [];
      for (let i = 0; i < count; i++) {
        const cellWhere = `${where}, cell ${i + 1} of ${count}`;
        const cell = next(`cell ${i + 1} of ${count}`, [MI_MATRIX]);
        cells.push(this.readMatrix(region, cell, cellWhere, depth + 1).value);
      }
      return { name, value: { kind: 'cell', dims, cells } };
    }
    if (mxClass === MX_STRUCT) {
      const lengthElement = next('field name length', [MI_INT32]);
      const [fieldNameLength] = this.readInts(lengthElement, le);
      const namesElement = next('field names', [MI_INT8, MI_UINT8]);
      if (!(fieldNameLength > 0) || namesElement.data.length % fieldNameLength !== 0) {
        this.fail(`bad field names ${where}: ${namesElement.data.length} bytes for names of ${fieldNameLength} bytes each`);
      }
      const fieldNames: string[] = [];
      for (let at = 0; at < namesElement.data.length; at += fieldNameLength) {
        const raw = namesElement.data.subarray(at, at + fieldNameLength);
        const stop = raw.indexOf(0);
        const field = Buffer.from(stop < 0 ? raw : raw.subarray(0, stop)).toString('latin1');
        if (fieldNames.includes(field)) this.fail(`field '${field}' appears twice ${where}`);
        fieldNames.push(field);
      }
      if (fieldNames.length === 0 && count > MAX_FIELDLESS_ELEMENTS) {
        this.fail(`a struct array of ${count} elements without fields ${where}: at most ${MAX_FIELDLESS_ELEMENTS} are read`);
      }
      const elements: Record<string, MatValue>[] = [];
      for (let i = 0; i < count; i++) {
        // No prototype: a field named "__proto__" is a field like any other.
        const record: Record<string, MatValue> = Object.create(null);
        for (const field of fieldNames) {
          const fieldWhere = `${where}, element ${i + 1} field '${field}'`;
          const sub = next(`field '${field}' of element ${i + 1}`, [MI_MATRIX]);
          record[field] = this.readMatrix(region, sub, fieldWhere, depth + 1).value;
        }
        elements.push(record);
      }
      return { name, value: { kind: 'struct', dims, fieldNames, elements } };
    }
    const numericClass = NUMERIC_CLASSES[mxClass];
    if (numericClass === undefined) this.fail(`unsupported class ${mxClass} ${where}`);
    const logical = (flags & FLAG_LOGICAL) !== 0;
    const numericTypes = Object.keys(NUMERIC_TYPES).map(Number);
    const real = this.readNumeric(next('real part', numericTypes), numericClass.array, count, region, where);
    const value: MatNumeric = { kind: 'numeric', class: logical ? 'logical' : numericClass.name, dims, data: real };
    if ((flags & FLAG_COMPLEX) !== 0) {
      value.imag = this.readNumeric(next('imaginary part', numericTypes), numericClass.array, count, region, where);
    }
    return { name, value };
  }

  private readInts(element: Element, le: boolean): number[] {
    const view = new DataView(element.data.buffer, element.data.byteOffset, element.data.byteLength);
    const out: number[] = [];
    for (let at = 0; at + 4 <= element.data.length; at += 4) out.push(view.getInt32(at, le));
    return out;
  }

  /** Reads `count` values stored as the element's type into the class's typed array. */
  private readNumeric(element: Element, array: ArrayMaker, count: number, region: Region, where: string): MatNumericData {
    const stored = NUMERIC_TYPES[element.type];
    const size = stored.array.BYTES_PER_ELEMENT;
    if (element.data.length !== count * size) {
      this.fail(`the ${typeName(element.type)} data at byte ${element.at}${region.suffix} ${where} has ` +
        `${element.data.length} bytes, expected ${count} values of ${size} bytes`);
    }
    const out = new array(count);
    if (stored.array === array) {
      // Same type: copy the bytes, then swap them if the file's byte order is not the host's.
      const outBytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
      outBytes.set(element.data);
      const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
      if (size > 1 && hostLittle !== this.littleEndian) {
        if (size === 2) outBytes.swap16();
        else if (size === 4) outBytes.swap32();
        else outBytes.swap64();
      }
      return out;
    }
    const view = new DataView(element.data.buffer, element.data.byteOffset, element.data.byteLength);
    const le = this.littleEndian;
    const toBig = out instanceof BigInt64Array || out instanceof BigUint64Array;
    for (let i = 0; i < count; i++) {
      const v = stored.read(view, i * size, le);
      if (toBig) {
        if (typeof v === 'number' && !Number.isInteger(v)) {
          this.fail(`non-integer value ${v} stored for a 64-bit integer array ${where}`);
        }
        (out as BigInt64Array)[i] = BigInt(v);
      } else {
        (out as Float64Array)[i] = Number(v);
      }
    }
    return out;
  }

  /** Decodes character data to one code per element, then lays the column-major grid out in rows. */
  private readChars(element: Element, dims: number[], count: number, region: Region, where: string): string {
    const data = element.data;
    const le = this.littleEndian;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let codes: string[];
    if (element.type === MI_UTF8) {
      codes = Array.from(Buffer.from(data).toString('utf8'));
    } else if (element.type === MI_UINT8 || element.type === MI_INT8) {
      codes = Array.from(data, (c) => String.fromCharCode(c));
    } else if (element.type === MI_UINT16 || element.type === MI_UTF16) {
      codes = [];
      for (let at = 0; at + 2 <= data.length; at += 2) codes.push(String.fromCharCode(view.getUint16(at, le)));
    } else {
      codes = [];
      for (let at = 0; at + 4 <= data.length; at += 4) {
        const code = view.getUint32(at, le);
        if (code > 0x10ffff) this.fail(`invalid character code ${code} ${where}`);
        codes.push(String.fromCodePoint(code));
      }
    }
    if (codes.length !== count) {
      this.fail(`the ${typeName(element.type)} character data at byte ${element.at}${region.suffix} ${where} ` +
        `holds ${codes.length} characters, expected ${count} for dimensions [${dims.join(', ')}]`);
    }
    if (count === 0) return '';
    const rows = dims[0];
    const cols = dims[1];
    const pages = count / (rows * cols);
    const lines: string[] = [];
    for (let page = 0; page < pages; page++) {
      for (let r = 0; r < rows; r++) {
        let line = '';
        for (let c = 0; c < cols; c++) line += codes[r + rows * (c + cols * page)];
        lines.push(line);
      }
    }
    return lines.join('\n');
  }
}

/**
 * Reads every variable of a MATLAB Level 5 MAT-file (`save -v6` or `-v7`, compressed or not, either
 * byte order): numeric and logical arrays (column-major, in their class's typed array), char arrays,
 * cell arrays and struct arrays, nested up to 64 levels deep.
 *
 * @param source A file path, or the file's bytes.
 * @returns The variables by name, in file order.
 * @throws KeratorchError `ERR_VALUE` (op `readMat`) naming the file and the problem when the input is
 *   not a Level 5 MAT-file (a v7.3/HDF5 file, a Level 4 file, a zip archive...), is truncated, holds
 *   a bad zlib stream or a malformed element, or has a variable of an unsupported class (sparse,
 *   object, function handle, string/table objects); `ERR_ARGUMENT` when `source` is neither a path
 *   nor bytes, or the file cannot be read.
 */
export function readMat(source: string | Uint8Array): Record<string, MatValue> {
  let bytes: Uint8Array;
  let label: string;
  if (typeof source === 'string') {
    label = JSON.stringify(source);
    bytes = readRegularFile(OP, source);
  } else if (source instanceof Uint8Array) {
    label = `${source.length}-byte buffer`;
    bytes = source;
  } else {
    fail(OP, 'a file path or a Uint8Array', 'source', source);
  }
  return new MatParser(bytes, label).parse();
}
