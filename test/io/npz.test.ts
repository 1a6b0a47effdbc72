/**
 * .npz: round trips of every dtype, fixtures written by numpy (np.savez: STORED with zip64 local
 * headers; np.savez_compressed: DEFLATE) read exactly, numpy reading our files, the CRC-32, damaged and
 * truncated archives, and atomic writes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeNpy, encodeNpz, decodeNpz, saveNpz, loadNpz, KeratorchError } from '../../src';
import { encodeZip } from '../../src/io/zip';
import { crc32 } from '../../src/util/crc32';
import { expectKeratorchError } from '../helpers/memory';
import { numpyNote, python, withNumpy } from '../helpers/python';
import { ArrayDescription, EVERY_DTYPE, describeArray, expectArray } from '../helpers/npy';

const golden = path.resolve(__dirname, '..', 'golden');
const script = path.join(golden, 'make_npz_fixture.py');
const fixture = JSON.parse(fs.readFileSync(path.join(golden, 'npz_fixture.json'), 'utf8')) as
  Record<string, ArrayDescription>;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-npz-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function expectFixture(arrays: ReturnType<typeof loadNpz>): void {
  expect(Object.keys(arrays)).toEqual(Object.keys(fixture));
  for (const [name, expected] of Object.entries(fixture)) expectArray(arrays[name], expected);
}

/** A one-member archive with the member's header fields patched by `patch` (offsets into the file). */
function patched(patch: (bytes: Buffer) => void): Buffer {
  const bytes = Buffer.from(encodeNpz({ x: EVERY_DTYPE.float64 }));
  patch(bytes);
  return bytes;
}

describe('npz', () => {
  test('crc32 matches the standard check value and zlib', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(data.subarray(500), crc32(data.subarray(0, 500)))).toBe(crc32(data));
    // A gzip member ends with the CRC-32 of its content: an independent reference.
    expect(crc32(data)).toBe(zlib.gzipSync(data).readUInt32LE(zlib.gzipSync(data).length - 8));
  });

  test('saveNpz / loadNpz round trip of every dtype, in order, atomically', () => {
    const file = path.join(tmp, 'all.npz');
    saveNpz(file, EVERY_DTYPE);
    const back = loadNpz(file);
    expect(Object.keys(back)).toEqual(Object.keys(EVERY_DTYPE));
    for (const [name, array] of Object.entries(EVERY_DTYPE)) expectArray(back[name], describeArray(array));
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Deterministic bytes (fixed zip timestamps): equal inputs, equal files.
    expect(fs.readFileSync(file).equals(encodeNpz(EVERY_DTYPE))).toBe(true);
    expect(decodeNpz(encodeNpz({}))).toEqual({});
  });

  test.each(['npz_fixture.npz', 'npz_fixture_compressed.npz'])('reads numpy\'s %s', (name) => {
    expectFixture(loadNpz(path.join(golden, name)));
  });

  withNumpy(`numpy rewrites the fixtures the same${numpyNote}`, () => {
    const out = fs.mkdtempSync(path.join(tmp, 'regen-'));
    const run = spawnSync(python, [script, '--out', out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(fs.readFileSync(path.join(out, 'npz_fixture.json'), 'utf8'))
      .toBe(fs.readFileSync(path.join(golden, 'npz_fixture.json'), 'utf8'));
    expectFixture(loadNpz(path.join(out, 'npz_fixture.npz')));
    expectFixture(loadNpz(path.join(out, 'npz_fixture_compressed.npz')));
  });

  withNumpy(`np.load reads what saveNpz wrote${numpyNote}`, () => {
    const file = path.join(tmp, 'for-numpy.npz');
    saveNpz(file, EVERY_DTYPE);
    const run = spawnSync(python, [script, '--read', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const read = JSON.parse(run.stdout) as Record<string, ArrayDescription>;
    expect(read).toEqual(Object.fromEntries(Object.entries(EVERY_DTYPE).map(([k, a]) => [k, describeArray(a)])));
  });

  test('invalid input to write', () => {
    expectKeratorchError(() => saveNpz(path.join(tmp, 'bad.npz'), { x: { data: Int32Array.of(1, 2), shape: [3] } }),
      'ERR_SHAPE', 'saveNpz', 'for arrays["x"].shape but received [3]');
    expectKeratorchError(() => encodeNpz([] as unknown as Record<string, never>), 'ERR_ARGUMENT', 'encodeNpz',
      'expected an object of arrays by name');
    expectKeratorchError(() => encodeNpz({ 'a/b': EVERY_DTYPE.uint8 }), 'ERR_VALUE', 'encodeNpz',
      'array names that are non-empty and have no slash');
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('bad') || f.endsWith('.tmp'))).toEqual([]);
  });

  test('a failed write leaves the existing file and no temporary file', () => {
    const file = path.join(tmp, 'kept.npz');
    saveNpz(file, { a: EVERY_DTYPE.uint8 });
    const before = fs.readFileSync(file);
    expectKeratorchError(() => saveNpz(path.join(tmp, 'no-such-dir', 'x.npz'), { a: EVERY_DTYPE.uint8 }),
      'ERR_ARGUMENT', 'saveNpz', 'cannot write', `its folder ${JSON.stringify(path.join(tmp, 'no-such-dir'))} does not exist`);
    expect(() => saveNpz(file, { a: { data: Int32Array.of(1), shape: [2] } })).toThrow(KeratorchError);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

/**
 * A one-member archive that uses zip64 everywhere: sizes and offset in the central directory's zip64
 * field, counts and offsets in the zip64 end record (what large numpy archives hold).
 */
function zip64Archive(name: string, data: Uint8Array): Buffer {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30 + nameBytes.length + 20);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(20, 28);
  nameBytes.copy(local, 30);
  local.writeUInt16LE(1, 30 + nameBytes.length);
  local.writeUInt16LE(16, 32 + nameBytes.length);
  local.writeBigUInt64LE(BigInt(data.length), 34 + nameBytes.length);
  local.writeBigUInt64LE(BigInt(data.length), 42 + nameBytes.length);
  const central = Buffer.alloc(46 + nameBytes.length + 28);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt16LE(28, 30);
  central.writeUInt32LE(0xffffffff, 42);
  nameBytes.copy(central, 46);
  const extra = 46 + nameBytes.length;
  central.writeUInt16LE(1, extra);
  central.writeUInt16LE(24, extra + 2);
  central.writeBigUInt64LE(BigInt(data.length), extra + 4); // size
  central.writeBigUInt64LE(BigInt(data.length), extra + 12); // compressed size
  central.writeBigUInt64LE(0n, extra + 20); // local header offset
  const centralOffset = local.length + data.length;
  const end64 = Buffer.alloc(56);
  end64.writeUInt32LE(0x06064b50, 0);
  end64.writeBigUInt64LE(44n, 4);
  end64.writeUInt16LE(45, 12);
  end64.writeUInt16LE(45, 14);
  end64.writeBigUInt64LE(1n, 24);
  end64.writeBigUInt64LE(1n, 32);
  end64.writeBigUInt64LE(BigInt(central.length), 40);
  end64.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(centralOffset + central.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([local, data, central, end64, locator, end]);
}

test('reads zip64 central directories and end records', () => {
  const member = encodeNpy(EVERY_DTYPE.int64);
  const back = decodeNpz(zip64Archive('big.npy', member));
  expect(Object.keys(back)).toEqual(['big']);
  expectArray(back.big, describeArray(EVERY_DTYPE.int64));
  const broken = zip64Archive('big.npy', member);
  broken.writeUInt32LE(0, broken.length - 22 - 20); // the locator's signature
  expectKeratorchError(() => decodeNpz(broken), 'ERR_VALUE', 'decodeNpz',
    'the zip64 end-of-central-directory locator is missing');
});

describe('npz errors', () => {
  const good = Buffer.from(encodeNpz({ x: EVERY_DTYPE.float64, y: EVERY_DTYPE.int32 }));

  test('every truncation is a KeratorchError', () => {
    for (let cut = 0; cut < good.length; cut++) {
      let error: unknown;
      try {
        decodeNpz(good.subarray(0, cut));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeratorchError);
      expect((error as KeratorchError).message).toMatch(/^decodeNpz: invalid \.npz input: /);
    }
    expectKeratorchError(() => decodeNpz(good.subarray(0, good.length - 10)), 'ERR_VALUE', 'decodeNpz',
      'no zip end-of-central-directory record (the file is truncated or not a zip/npz file)');
    const compressed = fs.readFileSync(path.join(golden, 'npz_fixture_compressed.npz'));
    for (let cut = 0; cut < compressed.length; cut += 13) {
      expect(() => decodeNpz(compressed.subarray(0, cut))).toThrow(KeratorchError);
    }
  });

  test('random damage is always a KeratorchError (or, in padding, harmless)', () => {
    // A fixed pseudo-random sequence of single-byte changes over both kinds of archive.
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state;
    };
    const sources = [good, fs.readFileSync(path.join(golden, 'npz_fixture_compressed.npz')),
      fs.readFileSync(path.join(golden, 'npz_fixture.npz'))];
    let failures = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = Buffer.from(sources[trial % sources.length]);
      bytes[next() % bytes.length] ^= 1 + (next() % 255);
      try {
        decodeNpz(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(KeratorchError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(1500);
  });

  test('damaged data, headers and compression', () => {
    // A flipped bit in the member's last data byte (just before the central directory): the CRC-32 fails.
    const flipped = patched((b) => { b[b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) - 1] ^= 0x40; });
    expectKeratorchError(() => decodeNpz(flipped), 'ERR_VALUE', 'decodeNpz', '"x.npy" fails its CRC-32 check');
    const noLocal = patched((b) => { b.writeUInt32LE(0, 0); });
    expectKeratorchError(() => decodeNpz(noLocal), 'ERR_VALUE', 'decodeNpz', 'the local header of "x.npy" is missing');
    const central = good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const method = Buffer.from(good);
    method.writeUInt16LE(12, central + 10); // bzip2
    expectKeratorchError(() => decodeNpz(method), 'ERR_VALUE', 'decodeNpz', 'compression method 12');
    const encrypted = Buffer.from(good);
    encrypted.writeUInt16LE(1, central + 8);
    expectKeratorchError(() => decodeNpz(encrypted), 'ERR_VALUE', 'decodeNpz', 'is encrypted');
    const compressed = fs.readFileSync(path.join(golden, 'npz_fixture_compressed.npz'));
    const badDeflate = Buffer.from(compressed);
    badDeflate.fill(0xff, 60, 80);
    expect(() => decodeNpz(badDeflate))
      .toThrow(/^decodeNpz: invalid \.npz input: "f4\.npy" (does not inflate|inflates to|fails its CRC)/);
    expectKeratorchError(() => decodeNpz(Buffer.from('definitely not a zip file, just text')), 'ERR_VALUE',
      'decodeNpz', 'not a zip/npz file');
  });

  test('members named __proto__ or constructor are arrays like any other; a missing name reads undefined', () => {
    const file = path.join(tmp, 'proto.npz');
    const one = { data: Int32Array.of(7), shape: [1] };
    fs.writeFileSync(file, Buffer.concat(encodeZip('test', [
      { name: '__proto__.npy', chunks: [encodeNpy(one)] }, { name: 'constructor.npy', chunks: [encodeNpy(one)] }])));
    const arrays = loadNpz(file);
    expect(Object.getPrototypeOf(arrays)).toBeNull();
    expect(Object.keys(arrays)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(arrays, '__proto__')?.value).toEqual({ ...one, dtype: 'int32' });
    expect(arrays.constructor).toEqual({ ...one, dtype: 'int32' });
    expect([arrays.toString, arrays.hasOwnProperty]).toEqual([undefined, undefined]);
  });

  test('a member that is not a valid .npy names the member and the file', () => {
    const file = path.join(tmp, 'weird.npz');
    fs.writeFileSync(file, Buffer.concat(encodeZip('test', [{ name: 'a.npy', chunks: [Buffer.from('hello')] }])));
    expectKeratorchError(() => loadNpz(file), 'ERR_VALUE', 'loadNpz',
      `invalid .npy "a.npy" in ${JSON.stringify(file)}: it does not start with the .npy magic`);
    expectKeratorchError(() => loadNpz(path.join(tmp, 'missing.npz')), 'ERR_ARGUMENT', 'loadNpz',
      'cannot read', 'ENOENT');
    expectKeratorchError(() => decodeNpz(null as unknown as Uint8Array), 'ERR_ARGUMENT', 'decodeNpz',
      'expected a Buffer or Uint8Array for bytes but received null');
  });
});
