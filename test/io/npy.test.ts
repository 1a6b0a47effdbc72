/**
 * .npy: round trips of every dtype and shape (0-d, empty), the exact header numpy writes, bool
 * normalisation, Fortran order and big-endian input, and every kind of damaged input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeNpy, decodeNpy, saveNpy, loadNpy, KeratorchError } from '../../src';
import { bytesReadDuring } from '../helpers/file_reads';
import { expectKeratorchError } from '../helpers/memory';
import { EVERY_DTYPE } from '../helpers/npy';
import type { NpyArray } from '../../src';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-npy-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function npyBytes(header: string, data: Uint8Array, version = 1): Buffer {
  const lengthBytes = version === 1 ? 2 : 4;
  let text = header;
  const unpadded = 8 + lengthBytes + text.length + 1;
  text += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(8 + lengthBytes);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(prefix);
  if (version === 1) prefix.writeUInt16LE(text.length, 8);
  else prefix.writeUInt32LE(text.length, 8);
  return Buffer.concat([prefix, Buffer.from(text, 'latin1'), data]);
}

describe('encodeNpy / decodeNpy', () => {
  test.each(Object.keys(EVERY_DTYPE))('round trip: %s', (name) => {
    const array = EVERY_DTYPE[name];
    const back = decodeNpy(encodeNpy(array));
    expect(back.shape).toEqual(array.shape);
    expect(back.dtype).toBe(array.dtype);
    expect(Object.prototype.toString.call(back.data)).toBe(Object.prototype.toString.call(array.data));
    expect(Array.from(back.data as ArrayLike<number>)).toEqual(Array.from(array.data as ArrayLike<number>));
    if (name === 'float32') expect(Object.is(back.data[4], -0)).toBe(true);
  });

  test('writes numpy\'s header, data aligned to 64 bytes', () => {
    const bytes = Buffer.from(encodeNpy({ data: new Float32Array(6), shape: [2, 3] }));
    const length = bytes.readUInt16LE(8);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]));
    expect((10 + length) % 64).toBe(0);
    expect(bytes.subarray(10, 10 + length).toString('latin1'))
      .toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(bytes.length).toBe(10 + length + 24);
    const one = Buffer.from(encodeNpy({ data: new Int32Array(5), shape: [5] })).toString('latin1');
    expect(one).toContain("'shape': (5,)");
    expect(Buffer.from(encodeNpy({ data: Uint8Array.of(1), shape: [], dtype: 'bool' })).toString('latin1'))
      .toContain("{'descr': '|b1', 'fortran_order': False, 'shape': (), }");
  });

  test('bool bytes other than 0 and 1 are written as 1', () => {
    const back = decodeNpy(encodeNpy({ data: Uint8Array.of(0, 2, 255), shape: [3], dtype: 'bool' }));
    expect(Array.from(back.data as Uint8Array)).toEqual([0, 1, 1]);
  });

  test('a view into a larger buffer writes only its elements', () => {
    const whole = Float64Array.of(1, 2, 3, 4, 5);
    const back = decodeNpy(encodeNpy({ data: whole.subarray(1, 3), shape: [2] }));
    expect(Array.from(back.data as Float64Array)).toEqual([2, 3]);
  });

  test('reads Fortran order, big-endian and format 2.0', () => {
    // A 2x3 matrix [[0,1,2],[3,4,5]] stored column by column, as big-endian int32.
    const columns = Buffer.alloc(24);
    [0, 3, 1, 4, 2, 5].forEach((v, i) => columns.writeInt32BE(v, 4 * i));
    const back = decodeNpy(npyBytes("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }", columns));
    expect(back.dtype).toBe('int32');
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data as Int32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    const v2 = decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(Float64Array.of(6.5).buffer), 2));
    expect(Array.from(v2.data as Float64Array)).toEqual([6.5]);
  });

  test('saveNpy / loadNpy', () => {
    const file = path.join(tmp, 'a.npy');
    saveNpy(file, EVERY_DTYPE.int64);
    const back = loadNpy(file);
    expect(back.dtype).toBe('int64');
    expect(Array.from(back.data as BigInt64Array)).toEqual(Array.from(EVERY_DTYPE.int64.data as BigInt64Array));
    expect(fs.readdirSync(tmp)).toEqual(['a.npy']);
  });
});

describe('npy errors', () => {
  const good = encodeNpy({ data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] });

  test('invalid arrays to write', () => {
    const encode = (array: unknown) => () => encodeNpy(array as NpyArray);
    expectKeratorchError(encode({ data: Float32Array.of(1, 2, 3), shape: [2, 2] }), 'ERR_SHAPE', 'encodeNpy',
      /^encodeNpy: expected a shape with 3 elements \(array.data.length\) for array.shape but received \[2,2\]$/);
    expectKeratorchError(encode({ data: [1, 2], shape: [2] }), 'ERR_ARGUMENT', 'encodeNpy',
      /^encodeNpy: expected a Float32Array, .* for array.data but received \[1,2\]$/);
    expectKeratorchError(encode({ data: new Int16Array(2), shape: [2] }), 'ERR_ARGUMENT', 'encodeNpy',
      /for array.data but received an object \(Int16Array\)$/);
    expectKeratorchError(encode({ data: Float32Array.of(1), shape: [], dtype: 'bool' }), 'ERR_DTYPE', 'encodeNpy',
      /^encodeNpy: expected 'float32' \(the dtype of array.data\) for array.dtype but received "bool"$/);
    expectKeratorchError(encode({ data: Float32Array.of(1), shape: [-1] }), 'ERR_ARGUMENT', 'encodeNpy',
      /expected an array of non-negative integers for array.shape but received \[-1\]/);
    expectKeratorchError(encode(null), 'ERR_ARGUMENT', 'encodeNpy',
      'expected an object { data, shape, dtype? } for array but received null');
    expectKeratorchError(() => saveNpy(42 as unknown as string, EVERY_DTYPE.uint8), 'ERR_ARGUMENT', 'saveNpy',
      /^saveNpy: expected a file path for path but received 42$/);
  });

  test('not a .npy file, truncated header, truncated or extra data', () => {
    expectKeratorchError(() => decodeNpy(Buffer.from('PK\x03\x04 not numpy')), 'ERR_VALUE', 'decodeNpy',
      /does not start with the \.npy magic/);
    expectKeratorchError(() => decodeNpy(new Uint8Array(0)), 'ERR_VALUE', 'decodeNpy',
      /does not start with the \.npy magic/);
    expectKeratorchError(() => decodeNpy(good.subarray(0, 40)), 'ERR_VALUE', 'decodeNpy',
      /the header says \d+ bytes but the file ends first/);
    expectKeratorchError(() => decodeNpy(good.subarray(0, good.length - 1)), 'ERR_VALUE', 'decodeNpy',
      /needs 16 data bytes but there are 15 \(truncated\)/);
    expectKeratorchError(() => decodeNpy(Buffer.concat([good, Buffer.alloc(4)])), 'ERR_VALUE', 'decodeNpy',
      /needs 16 data bytes but there are 20$/);
    for (let cut = 0; cut < good.length; cut += 7) {
      expect(() => decodeNpy(good.subarray(0, cut))).toThrow(KeratorchError);
    }
  });

  test('loadNpy reads the header, then the data only when the file is as long as the header says', () => {
    const file = path.join(tmp, 'long.npy');
    fs.writeFileSync(file, Buffer.concat([good, Buffer.alloc(1 << 20)]));
    const headerBytes = good.length - 16;
    // The 12-byte prefix gives the header's length; the header gives the data's: the rest is never read.
    expect(bytesReadDuring(() => loadNpy(file))).toBe(12 + headerBytes);
    expectKeratorchError(() => loadNpy(file), 'ERR_VALUE', 'loadNpy', JSON.stringify(file),
      `needs 16 data bytes but there are ${16 + (1 << 20)}`);
    fs.writeFileSync(file, good);
    expect(bytesReadDuring(() => loadNpy(file))).toBe(12 + headerBytes + good.length);
  });

  test('unsupported dtypes, versions and headers', () => {
    const header = (descr: string): string => `{'descr': ${descr}, 'fortran_order': False, 'shape': (1,), }`;
    expectKeratorchError(() => decodeNpy(npyBytes(header("'<f2'"), new Uint8Array(2))), 'ERR_DTYPE', 'decodeNpy',
      /unsupported dtype '<f2' in \.npy input \(supported: '<f4', '<f8', '<i4', '<i8', '\|u1', '\|b1'/);
    expectKeratorchError(() => decodeNpy(npyBytes(header("'<U3'"), new Uint8Array(12))), 'ERR_DTYPE', 'decodeNpy',
      /unsupported dtype '<U3'/);
    expectKeratorchError(() => decodeNpy(npyBytes(header("[('a', '<i4')]"), new Uint8Array(4))), 'ERR_VALUE',
      'decodeNpy', /structured dtype/);
    const v9 = Buffer.from(good);
    v9[6] = 9;
    expectKeratorchError(() => decodeNpy(v9), 'ERR_VALUE', 'decodeNpy', /format version 9\.0 is not supported/);
    expectKeratorchError(() => decodeNpy('npy' as unknown as Uint8Array), 'ERR_ARGUMENT', 'decodeNpy',
      /^decodeNpy: expected a Buffer or Uint8Array for bytes but received "npy"$/);
    expectKeratorchError(() => loadNpy(path.join(tmp, 'missing.npy')), 'ERR_ARGUMENT', 'loadNpy',
      /^loadNpy: cannot read .*missing\.npy.*ENOENT/);
  });
});
