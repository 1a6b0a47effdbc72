/**
 * readMat: hand-written fixtures (test/golden/make_matlab_fixtures.py: every class, both byte orders,
 * plain and compressed, small elements, cells, structs), checked against the script's JSON and,
 * where a python with scipy exists, against scipy's reader; the VIN paper's two 8x8 files; and every
 * kind of bad input.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deflateSync } from 'zlib';
import { readMat } from '../../src/io';
import type { MatValue } from '../../src/io';
import { expectKeratorchError } from '../helpers/memory';

const golden = path.resolve(__dirname, '..', 'golden');
const script = path.join(golden, 'make_matlab_fixtures.py');
const expected = JSON.parse(fs.readFileSync(path.join(golden, 'matlab_fixtures.json'), 'utf8')) as {
  files: string[];
  variables: Record<string, unknown>;
};

const python = '/usr/bin/python3';
const hasPython = fs.existsSync(python) &&
  spawnSync(python, ['-c', 'import struct, zlib'], { stdio: 'ignore' }).status === 0;
const withPython = hasPython ? test : test.skip;
const pythonNote = hasPython ? '' : ' (skipped: /usr/bin/python3 not found)';
// Debian's python has no scipy; a pyenv python3 on PATH may.
const scipyPython = [python, 'python3'].find((exe) =>
  spawnSync(exe, ['-c', 'import scipy.io'], { stdio: 'ignore' }).status === 0);
const withScipy = scipyPython ? test : test.skip;
const scipyNote = scipyPython ? '' : ' (skipped: no python3 with scipy)';

// The repository's sibling shared/ folder (this file is test/io/matlab.test.ts).
const vinData = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'vin-original');
const hasVinData = fs.existsSync(path.join(vinData, 'gridworld_8.mat'));
const withVinData = hasVinData ? test : test.skip;
const vinNote = hasVinData ? '' : ` (skipped: ${vinData} not found)`;

const ARRAY_OF_CLASS: Record<string, string> = {
  double: 'Float64Array', single: 'Float32Array', int8: 'Int8Array', uint8: 'Uint8Array', int16: 'Int16Array',
  uint16: 'Uint16Array', int32: 'Int32Array', uint32: 'Uint32Array', int64: 'BigInt64Array',
  uint64: 'BigUint64Array', logical: 'Uint8Array',
};

/** A MatValue in the fixture JSON's form (64-bit integers as strings), checking each array's type. */
function plain(value: MatValue): unknown {
  switch (value.kind) {
    case 'numeric': {
      expect(value.data.constructor.name).toBe(ARRAY_OF_CLASS[value.class]);
      const list = (data: ArrayLike<number | bigint>): unknown[] =>
        Array.from(data, (v) => (typeof v === 'bigint' ? v.toString() : v));
      const out: Record<string, unknown> = { kind: 'numeric', class: value.class, dims: value.dims, data: list(value.data) };
      if (value.imag) out.imag = list(value.imag);
      return out;
    }
    case 'char':
      return { kind: 'char', dims: value.dims, text: value.text };
    case 'cell':
      return { kind: 'cell', dims: value.dims, cells: value.cells.map(plain) };
    case 'struct':
      return {
        kind: 'struct', dims: value.dims, fieldNames: value.fieldNames,
        elements: value.elements.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, plain(v)]))),
      };
  }
}

function plainAll(variables: Record<string, MatValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, plain(value)]));
}

const fixture = (name: string): Buffer => fs.readFileSync(path.join(golden, name));

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-matlab-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('readMat on the hand-written fixtures', () => {
  test('the script writes the four byte-order / compression variants', () => {
    expect(expected.files).toEqual(
      ['matlab_fixture_be.mat', 'matlab_fixture_be_z.mat', 'matlab_fixture_le.mat', 'matlab_fixture_le_z.mat']);
    expect(fixture('matlab_fixture_le.mat').subarray(126, 128).toString('latin1')).toBe('IM');
    expect(fixture('matlab_fixture_be.mat').subarray(126, 128).toString('latin1')).toBe('MI');
  });

  test.each(expected.files)('%s reads as the JSON says, from a path and from bytes', (name) => {
    const file = path.join(golden, name);
    const fromPath = readMat(file);
    expect(Object.keys(fromPath)).toEqual(Object.keys(expected.variables));
    expect(plainAll(fromPath)).toEqual(expected.variables);
    expect(plainAll(readMat(new Uint8Array(fs.readFileSync(file))))).toEqual(expected.variables);
  });

  test('values: 64-bit extremes, storage in a smaller type, complex, logical, N-d, chars, cells, structs', () => {
    const v = readMat(path.join(golden, 'matlab_fixture_be_z.mat'));
    const num = (name: string) => v[name] as Extract<MatValue, { kind: 'numeric' }>;
    expect(Array.from(num('i64').data as BigInt64Array)).toEqual([-(2n ** 63n), 2n ** 53n + 1n, 2n ** 63n - 1n]);
    expect(Array.from(num('u64').data as BigUint64Array)).toEqual([0n, 2n ** 64n - 1n]);
    // A double array stored as miINT16 comes back as doubles.
    expect(num('packed')).toEqual({ kind: 'numeric', class: 'double', dims: [2, 2], data: new Float64Array([-1, 10, 300, -32768]) });
    expect(num('wide').data).toEqual(new Int32Array([5, -3]));
    expect(num('tiny').data).toEqual(new Float64Array([7]));
    expect(num('z').imag).toEqual(new Float64Array([2, -0.5]));
    expect(num('cube').dims).toEqual([2, 3, 2]);
    expect(v.rows).toEqual({ kind: 'char', dims: [2, 3], text: 'abc\ndef' });
    expect(v.utf).toEqual({ kind: 'char', dims: [1, 6], text: 'h\u00e9llo\u2192' });
    const c = v.c as Extract<MatValue, { kind: 'cell' }>;
    expect(c.cells[1]).toEqual({ kind: 'cell', dims: [1, 1], cells: [{ kind: 'numeric', class: 'int32', dims: [1, 2], data: new Int32Array([1, 2]) }] });
    const s = v.s as Extract<MatValue, { kind: 'struct' }>;
    expect(s.elements[0].bb).toEqual({ kind: 'char', dims: [1, 1], text: 'x' });
  });

  withPython(`/usr/bin/python3 regenerates the same fixtures${pythonNote}`, () => {
    const out = fs.mkdtempSync(path.join(tmp, 'regen-'));
    const run = spawnSync(python, [script, '--out', out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'matlab_fixtures.json'), 'utf8'))
      .toBe(fs.readFileSync(path.join(golden, 'matlab_fixtures.json'), 'utf8'));
    for (const name of expected.files) {
      if (name.endsWith('_z.mat')) {
        // Compressed bytes depend on the zlib build; the contents must not.
        expect(plainAll(readMat(path.join(out, name)))).toEqual(expected.variables);
      } else {
        expect(fs.readFileSync(path.join(out, name)).equals(fixture(name))).toBe(true);
      }
    }
  });

  withScipy(`scipy.io.loadmat reads the fixtures as the JSON says (an independent reader)${scipyNote}`, () => {
    const run = spawnSync(scipyPython as string, [script, '--check-scipy', golden], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(4);
  });
});

describe('readMat on the VIN paper\'s files', () => {
  withVinData(`gridworld_8.mat: ten uint8 matrices, compressed${vinNote}`, () => {
    const v = readMat(path.join(vinData, 'gridworld_8.mat'));
    const summary = Object.fromEntries(Object.entries(v).map(([name, value]) =>
      [name, value.kind === 'numeric' ? `${value.class} ${value.dims.join('x')}` : value.kind]));
    expect(summary).toEqual({
      batch_im_data: 'uint8 9072x64', batch_label_data: 'uint8 9072x10', batch_value_data: 'uint8 9072x64',
      im_data: 'uint8 70924x64', label_data: 'uint8 70924x1', state_data: 'uint8 70924x16',
      state_x_data: 'uint8 9072x10', state_xy_data: 'uint8 70924x2', state_y_data: 'uint8 9072x10',
      value_data: 'uint8 70924x64',
    });
    const label = v.label_data as Extract<MatValue, { kind: 'numeric' }>;
    expect(Array.from(label.data.subarray(0, 6) as Uint8Array)).toEqual([6, 2, 2, 2, 2, 2]);
    const counts = new Array(8).fill(0);
    for (const l of label.data as Uint8Array) counts[l]++;
    expect(counts).toEqual([9703, 10203, 10206, 9477, 7723, 7571, 8187, 7854]);
    // Column-major: the first 70924 values are the rows' first coordinates.
    const xy = v.state_xy_data as Extract<MatValue, { kind: 'numeric' }>;
    expect([xy.data[0], xy.data[70924]]).toEqual([5, 1]);
  });

  withVinData(`gridworld_8_test.mat: doubles (stored as uint8 / int16) and a cell array of paths${vinNote}`, () => {
    const v = readMat(path.join(vinData, 'gridworld_8_test.mat'));
    expect(Object.keys(v)).toEqual(['all_im_data', 'all_states_xy', 'all_value_data']);
    const im = v.all_im_data as Extract<MatValue, { kind: 'numeric' }>;
    const value = v.all_value_data as Extract<MatValue, { kind: 'numeric' }>;
    expect([im.class, im.dims, value.class, value.dims]).toEqual(['double', [1000, 64], 'double', [1000, 64]]);
    expect(new Set(im.data as Float64Array)).toEqual(new Set([0, 1]));
    expect(new Set(value.data as Float64Array)).toEqual(new Set([-1, 10]));
    const paths = v.all_states_xy as Extract<MatValue, { kind: 'cell' }>;
    expect([paths.kind, paths.dims, paths.cells.length]).toEqual(['cell', [1000, 1], 1000]);
    expect(paths.cells[0]).toEqual({
      kind: 'numeric', class: 'double', dims: [6, 2], data: new Float64Array([3, 4, 5, 6, 7, 7, 6, 5, 4, 4, 3, 2]),
    });
  });
});

describe('readMat refuses bad input with a clear error', () => {
  const le = fixture('matlab_fixture_le.mat');
  const leZ = fixture('matlab_fixture_le_z.mat');
  // The first variable, 'dbl', starts right after the header: its class byte is at 128 + 8 + 8.
  const CLASS_BYTE = 144;

  const patched = (bytes: Buffer, edits: (b: Buffer) => void): Buffer => {
    const copy = Buffer.from(bytes);
    edits(copy);
    return copy;
  };
  const u32 = (value: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    return b;
  };
  const header = le.subarray(0, 128);

  test('not a path or bytes, or a missing file: ERR_ARGUMENT', () => {
    expectKeratorchError(() => readMat(42 as unknown as string), 'ERR_ARGUMENT', 'readMat', 'a file path or a Uint8Array');
    expectKeratorchError(() => readMat(path.join(tmp, 'missing.mat')), 'ERR_ARGUMENT', 'readMat', 'cannot read', 'missing.mat');
  });

  test('a text file, a short file, a Level 4 file, a wrong version', () => {
    const text = path.join(tmp, 'notes.mat');
    fs.writeFileSync(text, 'just some text\n'.repeat(20));
    expectKeratorchError(() => readMat(text), 'ERR_VALUE', 'readMat', JSON.stringify(text), 'not a MAT v5 file',
      "no endian indicator 'IM' or 'MI'");
    expectKeratorchError(() => readMat(Buffer.from('MATLAB 5.0')), 'ERR_VALUE', 'readMat', 'not a MAT v5 file',
      'shorter than the 128-byte header');
    const level4 = Buffer.alloc(200);
    level4.writeInt32LE(0, 0);
    expectKeratorchError(() => readMat(level4), 'ERR_VALUE', 'readMat', 'Level 4');
    const version = patched(le, (b) => b.writeUInt16LE(0x0300, 124));
    expectKeratorchError(() => readMat(version), 'ERR_VALUE', 'readMat', 'header version 0x0300');
  });

  test('a zip archive named .mat', () => {
    // A stored (uncompressed) zip of one file: local header, data, central directory, end record.
    const name = Buffer.from('x.npy');
    const data = Buffer.from('not really numpy');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const zip = Buffer.concat([local, name, data, Buffer.alloc(128)]);
    const file = path.join(tmp, 'archive.mat');
    fs.writeFileSync(file, zip);
    expectKeratorchError(() => readMat(file), 'ERR_VALUE', 'readMat', 'archive.mat', 'not a MAT v5 file', 'zip archive');
  });

  test('a v7.3 (HDF5) MAT-file says so', () => {
    const v73 = Buffer.alloc(1024);
    v73.write('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .', 0, 'latin1');
    v73.writeUInt16LE(0x0200, 124);
    v73.write('IM', 126, 'latin1');
    v73.write('\x89HDF\r\n\x1a\n', 512, 'latin1');
    expectKeratorchError(() => readMat(v73), 'ERR_VALUE', 'readMat', 'v7.3', 'HDF5', "save(..., '-v7')");
    // The version field alone tells it too.
    const versionOnly = patched(le, (b) => b.writeUInt16LE(0x0200, 124));
    expectKeratorchError(() => readMat(versionOnly), 'ERR_VALUE', 'readMat', 'v7.3', 'HDF5');
  });

  test('truncated files, plain and compressed', () => {
    for (const cut of [130, 200, le.length - 5]) {
      expectKeratorchError(() => readMat(le.subarray(0, cut)), 'ERR_VALUE', 'readMat', `${cut}-byte buffer`,
        'truncated data element', /remain|a tag needs 8/);
    }
    const file = path.join(tmp, 'cut.mat');
    fs.writeFileSync(file, leZ.subarray(0, 300));
    expectKeratorchError(() => readMat(file), 'ERR_VALUE', 'readMat', 'cut.mat', 'truncated data element (miCOMPRESSED) at byte',
      'its tag says');
  });

  test('a bad zlib stream, and a stream cut short inside a well-formed element', () => {
    const length = leZ.readUInt32LE(132);
    const garbage = patched(leZ, (b) => b.fill(0x5a, 136, 146));
    expectKeratorchError(() => readMat(garbage), 'ERR_VALUE', 'readMat', 'bad zlib stream in the miCOMPRESSED element at byte 128');
    // Half the stream, with the tag's length fixed to match: zlib runs out of input.
    const half = Math.floor(length / 2);
    const cut = Buffer.concat([header, u32(15), u32(half), leZ.subarray(136, 136 + half)]);
    expectKeratorchError(() => readMat(cut), 'ERR_VALUE', 'readMat', 'bad zlib stream', 'unexpected end of file');
  });

  test('a compressed variable whose inflated element is truncated names the stream', () => {
    const inner = le.subarray(128, 128 + 8 + le.readUInt32LE(132));
    const stream = deflateSync(inner.subarray(0, inner.length - 16));
    const bytes = Buffer.concat([header, u32(15), u32(stream.length), stream]);
    expectKeratorchError(() => readMat(bytes), 'ERR_VALUE', 'readMat', 'truncated data element (miMATRIX) at byte 0 of the zlib stream at byte 128');
  });

  test('unsupported classes name the variable', () => {
    expectKeratorchError(() => readMat(patched(le, (b) => { b[CLASS_BYTE] = 5; })), 'ERR_VALUE', 'readMat',
      "unsupported class sparse (mxSPARSE_CLASS) in variable 'dbl'");
    expectKeratorchError(() => readMat(patched(le, (b) => { b[CLASS_BYTE] = 3; })), 'ERR_VALUE', 'readMat', 'object (mxOBJECT_CLASS)');
    expectKeratorchError(() => readMat(patched(le, (b) => { b[CLASS_BYTE] = 17; })), 'ERR_VALUE', 'readMat', 'opaque object');
    expectKeratorchError(() => readMat(patched(le, (b) => { b[CLASS_BYTE] = 99; })), 'ERR_VALUE', 'readMat', 'unsupported class 99');
  });

  test('malformed elements: wrong sub-element type, data that does not fit the dimensions, a bad small element', () => {
    // The dimensions tag (miINT32) follows the 16-byte flags element.
    expectKeratorchError(() => readMat(patched(le, (b) => b.writeUInt32LE(6, 152))), 'ERR_VALUE', 'readMat',
      'expected the dimensions as miINT32', 'found miUINT32');
    // dbl is 2x3; say 2x4.
    expectKeratorchError(() => readMat(patched(le, (b) => b.writeInt32LE(4, 164))), 'ERR_VALUE', 'readMat',
      "the miDOUBLE data at byte", "in variable 'dbl' has 48 bytes, expected 8 values of 8 bytes");
    // The name 'dbl' is a small element (3 << 16 | miINT8); claim 9 bytes.
    expectKeratorchError(() => readMat(patched(le, (b) => b.writeUInt32LE((9 << 16) | 1, 168))), 'ERR_VALUE', 'readMat',
      'malformed small data element at byte 168', 'at most 4 fit');
  });

  test('a top-level element that is not a variable, and a duplicate variable', () => {
    const stray = Buffer.concat([header, u32(9), u32(8), Buffer.alloc(8)]);
    expectKeratorchError(() => readMat(stray), 'ERR_VALUE', 'readMat', 'unexpected miDOUBLE data element at byte 128');
    const first = le.subarray(128, 128 + 8 + le.readUInt32LE(132));
    expectKeratorchError(() => readMat(Buffer.concat([header, first, first])), 'ERR_VALUE', 'readMat', "variable 'dbl' appears twice");
  });

  // Data elements, little-endian: an 8-byte tag, then the data padded to 8 bytes.
  const element = (type: number, data: Buffer): Buffer =>
    Buffer.concat([u32(type), u32(data.length), data, Buffer.alloc(-data.length & 7)]);
  const int32s = (...values: number[]): Buffer => Buffer.concat(values.map((v) => u32(v >>> 0)));
  const flags = (mxClass: number): Buffer => element(6, Buffer.concat([u32(mxClass), u32(0)]));
  const matrix = (mxClass: number, dims: number[], name: string, ...parts: Buffer[]): Buffer =>
    element(14, Buffer.concat([flags(mxClass), element(5, int32s(...dims)), element(1, Buffer.from(name, 'latin1')), ...parts]));
  const double = (name: string, value: number): Buffer => {
    const data = Buffer.alloc(8);
    data.writeDoubleLE(value);
    return matrix(6, [1, 1], name, element(9, data));
  };
  /** A struct of `fields` (each a double), as MATLAB writes one: field name length, names, values. */
  const struct = (name: string, dims: number[], fields: Record<string, number>): Buffer => {
    const names = Buffer.concat(Object.keys(fields).map((f) => Buffer.concat([Buffer.from(f), Buffer.alloc(32 - f.length)])));
    return matrix(2, dims, name, element(5, int32s(32)), element(1, names),
      ...Object.values(fields).map((v) => double('', v)));
  };
  /**
   * A variable that is `depth` cells each holding the next, the innermost holding an empty array.
   * Built flat (each level is a fixed prefix whose size counts everything inside it), not by nesting
   * buffers, which would copy quadratically.
   */
  const nestedCells = (depth: number): Buffer => {
    const prefix = (level: number): Buffer => {
      const inside = 40 + 48 * (depth - level - 1) + 8; // this level's own parts, the levels inside, the empty array
      const name = level === 0 ? 'deep' : '';
      return Buffer.concat([u32(14), u32(inside + (name ? 8 : 0)), flags(1), element(5, int32s(1, 1)), element(1, Buffer.from(name))]);
    };
    const levels = Array.from({ length: depth }, (_, level) => prefix(level));
    return Buffer.concat([header, ...levels, u32(14), u32(0)]);
  };

  test('cells nested 20,000 deep are refused with a clear error (not a stack overflow); 64 levels read', () => {
    expectKeratorchError(() => readMat(nestedCells(20000)), 'ERR_VALUE', 'readMat',
      'cells and structs nest more than 64 levels deep', "in variable 'deep', cell 1 of 1, cell 1 of 1");
    let value = readMat(nestedCells(64)).deep;
    for (let level = 0; level < 64; level++) value = (value as Extract<MatValue, { kind: 'cell' }>).cells[0];
    expect(value).toEqual({ kind: 'numeric', class: 'double', dims: [0, 0], data: new Float64Array(0) });
    expectKeratorchError(() => readMat(nestedCells(65)), 'ERR_VALUE', 'readMat', 'more than 64 levels');
  });

  test('a variable or a struct field named __proto__ is an entry like any other', () => {
    const variables = readMat(Buffer.concat([header, double('__proto__', 1), struct('s', [1, 1], { ['__proto__']: 2, b: 3 })]));
    expect(Object.getPrototypeOf(variables)).toBeNull();
    expect(Object.keys(variables)).toEqual(['__proto__', 's']);
    expect((variables.__proto__ as Extract<MatValue, { kind: 'numeric' }>).data).toEqual(new Float64Array([1]));
    const record = (variables.s as Extract<MatValue, { kind: 'struct' }>).elements[0];
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.keys(record)).toEqual(['__proto__', 'b']);
    expect((record.__proto__ as Extract<MatValue, { kind: 'numeric' }>).data).toEqual(new Float64Array([2]));
    // The second of the 32-byte field names starts at byte 112 of the element: rename it 'a'.
    expectKeratorchError(() => readMat(Buffer.concat([header, struct('s', [1, 1], { a: 1, b: 2 }).fill(0x61, 112, 113)])),
      'ERR_VALUE', 'readMat', "field 'a' appears twice in variable 's'");
  });

  test('a fieldless struct array too large to list is refused, not listed', () => {
    expect((readMat(Buffer.concat([header, struct('few', [2, 3], {})])).few as Extract<MatValue, { kind: 'struct' }>)
      .elements).toHaveLength(6);
    expectKeratorchError(() => readMat(Buffer.concat([header, struct('many', [4097, 4097], {})])), 'ERR_VALUE', 'readMat',
      "a struct array of 16785409 elements without fields in variable 'many': at most 16777216 are read");
  });

  test('a compressed stream that inflates past what its element declares is refused', () => {
    const variable = double('x', 5);
    const compressed = (inner: Buffer): Buffer => {
      const stream = deflateSync(inner);
      return Buffer.concat([header, u32(15), u32(stream.length), stream]);
    };
    expect((readMat(compressed(variable)).x as Extract<MatValue, { kind: 'numeric' }>).data).toEqual(new Float64Array([5]));
    // 16 MB of zeros after the element deflate to 16 kB: they are not inflated.
    expectKeratorchError(() => readMat(compressed(Buffer.concat([variable, Buffer.alloc(16 << 20)]))), 'ERR_VALUE',
      'readMat', 'the miCOMPRESSED element at byte 128 inflates to more than the bytes its inner element declares');
  });

  test('a header alone is an empty file; zero padding at the end is allowed', () => {
    expect(readMat(header)).toEqual({});
    expect(Object.keys(readMat(Buffer.concat([le, Buffer.alloc(4)])))).toEqual(Object.keys(expected.variables));
  });
});

test('a source that is neither a path nor bytes is described safely, whatever it is', () => {
  const throwing = new Proxy({}, { get: () => { throw new Error('get'); }, has: () => { throw new Error('has'); } });
  expectKeratorchError(() => readMat(throwing as never), 'ERR_ARGUMENT', 'readMat',
    'expected a file path or a Uint8Array for source but received an object that cannot be read');
  expectKeratorchError(() => readMat(10n as never), 'ERR_ARGUMENT', 'readMat', 'received bigint 10n');
});
