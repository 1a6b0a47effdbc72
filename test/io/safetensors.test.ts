/**
 * safetensors: round trips of every dtype (0-d, empty and large tensors too), byte equality with a
 * fixture written by hand in Python (test/golden/make_safetensors_fixture.py), Python reading our
 * files, every kind of corrupt input (right error, no tensor leaked), and atomic file writes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  Tensor, tensor, zeros, arange, randomNormal, tidy, memory, cuda, dispose,
  encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors, KeratorchError,
} from '../../src';
import type { DType, NestedArray } from '../../src';
import { native } from '../../src/native';
import { bytesReadDuring } from '../helpers/file_reads';
import { expectKeratorchError, expectNoLeak, settle } from '../helpers/memory';

beforeEach(settle);

const golden = path.resolve(__dirname, '..', 'golden');
const script = path.join(golden, 'make_safetensors_fixture.py');
const fixtureFile = path.join(golden, 'safetensors_fixture.safetensors');
const fixtureJson = path.join(golden, 'safetensors_fixture.json');

const python = '/usr/bin/python3';
const hasPython = fs.existsSync(python) &&
  spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const withPython = hasPython ? test : test.skip;
const pythonNote = hasPython ? '' : ' (skipped: /usr/bin/python3 with numpy not found)';
const withCuda = cuda.isAvailable() ? test : test.skip;
const cudaNote = cuda.isAvailable() ? '' : ' (skipped: CUDA not available)';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-safetensors-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs `fn` in tidy and checks it left memory() as it found it. */
function scoped(fn: () => void): void {
  const before = memory();
  tidy(fn);
  expect(memory()).toEqual(before);
}

/** The raw bytes of a tensor's values: exact comparison, NaN payloads and -0 included. */
function bytesOf(t: Tensor): Buffer {
  const values = t.data();
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function expectSameTensor(actual: Tensor, expected: Tensor): void {
  expect(actual).toBeInstanceOf(Tensor);
  expect(actual.dtype).toBe(expected.dtype);
  expect(actual.shape).toEqual(expected.shape);
  expect(bytesOf(actual).equals(bytesOf(expected))).toBe(true);
}

/** One tensor of every dtype with awkward values (extremes, NaN, -0, Infinity). */
function everyDType(): Record<string, Tensor> {
  return {
    f32: tensor(new Float32Array([1.5, -0, NaN, Infinity, -Infinity, 3.4e38, 1e-45, -2.25]), [2, 4]),
    f64: tensor(new Float64Array([Math.PI, -0, NaN, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300]), [3, 2]),
    i32: tensor(new Int32Array([-(2 ** 31), -1, 0, 1, 2 ** 31 - 1]), [5]),
    i64: tensor(new BigInt64Array([-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n]), [5, 1]),
    u8: tensor(new Uint8Array([0, 1, 127, 128, 255, 42]), [1, 2, 3]),
    b: tensor([[true, false, true], [false, false, true]]),
  };
}

/** everyDType() encoded, its tensors freed. */
function encodedEveryDType(): Buffer {
  const input = everyDType();
  try {
    return Buffer.from(encodeSafetensors(input));
  } finally {
    dispose(input);
  }
}

describe('round trips', () => {
  test('every dtype survives encode/decode bit for bit, with its metadata', () => {
    scoped(() => {
      const input = everyDType();
      const dtypes = Object.values(input).map((t) => t.dtype).sort();
      expect(dtypes).toEqual<DType[]>(['bool', 'float32', 'float64', 'int32', 'int64', 'uint8']);
      const metadata = { format: 'pt', epochs: '3', 'ünïcode ✓': 'välue' };
      const { tensors, metadata: read } = decodeSafetensors(encodeSafetensors(input, metadata));
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(input).sort());
      for (const name of Object.keys(input)) expectSameTensor(tensors[name], input[name]);
      expect(read).toEqual(metadata);
    });
  });

  test('0-d and empty tensors of several dtypes', () => {
    scoped(() => {
      const input = {
        scalar: tensor(2.5),
        scalarInt: tensor(new BigInt64Array([-9n]), [], 'int64'),
        scalarBool: tensor(true),
        empty: zeros([0]),
        empty2d: zeros([3, 0], 'int32'),
        empty3d: zeros([2, 0, 4], 'int64'),
        emptyBool: zeros([0, 1], 'bool'),
      };
      const encoded = encodeSafetensors(input);
      const { tensors, metadata } = decodeSafetensors(encoded);
      for (const name of Object.keys(input)) expectSameTensor(tensors[name], input[name as keyof typeof input]);
      expect(tensors.scalar.shape).toEqual([]);
      expect(tensors.scalar.item()).toBe(2.5);
      expect(tensors.scalarBool.item()).toBe(true);
      expect(metadata).toEqual({});
    });
  });

  test('no tensors at all: a valid file with a padded "{}" header', () => {
    const bytes = Buffer.from(encodeSafetensors({}));
    expect(bytes.length).toBe(16);
    expect(bytes.readBigUInt64LE(0)).toBe(8n);
    expect(bytes.subarray(8).toString('utf8')).toBe('{}      ');
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
  });

  test('large tensors (4M float32, 1M int32) through a file', () => {
    scoped(() => {
      const big = randomNormal([2048, 2048], 0, 1, 'float32', 7);
      const ints = arange(-500_000, 500_000, 1, 'int32');
      const file = path.join(tmp, 'large.safetensors');
      saveSafetensors(file, { big, ints });
      expect(fs.statSync(file).size).toBeGreaterThan(4 * 2048 * 2048 + 4 * 1_000_000);
      const { tensors } = loadSafetensors(file);
      expectSameTensor(tensors.big, big);
      expectSameTensor(tensors.ints, ints);
    });
  });

  test('the header is padded to 8 bytes, names are sorted and the data is contiguous', () => {
    scoped(() => {
      const bytes = Buffer.from(encodeSafetensors({ zeta: tensor([1, 2]), alpha: tensor(new Uint8Array([7])), mid: tensor([3]) }));
      const size = Number(bytes.readBigUInt64LE(0));
      expect(size % 8).toBe(0);
      const text = bytes.subarray(8, 8 + size).toString('utf8');
      expect(text.trimEnd()).toBe('{"alpha":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},' +
        '"mid":{"dtype":"F32","shape":[1],"data_offsets":[1,5]},' +
        '"zeta":{"dtype":"F32","shape":[2],"data_offsets":[5,13]}}');
      expect(bytes.length).toBe(8 + size + 13);
    });
  });

  test('names that are awkward in JS objects ("__proto__", "constructor", dots, unicode)', () => {
    scoped(() => {
      const input: Record<string, Tensor> = {};
      for (const [i, name] of ['__proto__', 'constructor', 'layer.0/kernel:0', 'ğ'].entries()) {
        Object.defineProperty(input, name, { value: tensor([i]), enumerable: true });
      }
      const { tensors } = decodeSafetensors(encodeSafetensors(input));
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(input).sort());
      expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
      for (const name of Object.keys(input)) expectSameTensor(tensors[name], input[name]);
    });
  });

  test('decoding reads from a Buffer at any byte offset (unaligned tensors are copied)', () => {
    scoped(() => {
      const input = everyDType();
      const encoded = Buffer.from(encodeSafetensors(input));
      for (const shift of [1, 3, 5]) {
        const host = Buffer.alloc(encoded.length + shift);
        encoded.copy(host, shift);
        const { tensors } = decodeSafetensors(host.subarray(shift));
        for (const name of Object.keys(input)) expectSameTensor(tensors[name], input[name]);
      }
    });
  });

  test('decoded tensors are owned by the caller: tidy frees them, dispose() too', () => {
    const bytes = encodedEveryDType();
    const before = memory();
    tidy(() => {
      decodeSafetensors(bytes).tensors.f32.add(1);
    });
    expect(memory()).toEqual(before);
    const { tensors } = decodeSafetensors(bytes);
    expect(memory().numTensors).toBe(before.numTensors + 6);
    dispose(tensors);
    expect(memory()).toEqual(before);
  });

  test('encoding makes no tensor and leaves the inputs alive', () => {
    scoped(() => {
      const input = everyDType();
      expectNoLeak(() => encodeSafetensors(input, { a: 'b' }));
      for (const t of Object.values(input)) expect(t.isDisposed).toBe(false);
    });
  });

  withCuda(`CUDA tensors are written from the device and can be loaded onto it${cudaNote}`, () => {
    scoped(() => {
      const cpu = randomNormal([3, 5], 0, 1, 'float32', 1);
      const gpu = cpu.to('cuda');
      const { tensors } = decodeSafetensors(encodeSafetensors({ w: gpu }), { device: 'cuda' });
      expect(tensors.w.device).toBe('cuda:0');
      expectSameTensor(tensors.w, cpu);
    });
  });
});

/** The checked-in fixture's tensors, made from its JSON twin. */
function fixtureTensors(): { tensors: Record<string, Tensor>; metadata: Record<string, string>;
  values: Record<string, NestedArray> } {
  const spec = JSON.parse(fs.readFileSync(fixtureJson, 'utf8')) as {
    metadata: Record<string, string>;
    tensors: Record<string, { dtype: DType; shape: number[]; values: NestedArray }>;
  };
  const tensors: Record<string, Tensor> = {};
  const values: Record<string, NestedArray> = {};
  for (const [name, { dtype, shape, values: v }] of Object.entries(spec.tensors)) {
    tensors[name] = tensor(v, shape, dtype);
    values[name] = v;
  }
  return { tensors, metadata: spec.metadata, values };
}

describe('the Python-written fixture', () => {
  test('has every dtype, a 0-d and an empty tensor, a padded header and an unaligned float64', () => {
    const bytes = fs.readFileSync(fixtureFile);
    const size = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + size).toString('utf8'));
    expect(bytes.subarray(8, 8 + size).toString('utf8')).toMatch(/} +$/);
    const codes = new Set(Object.values(header).map((e) => (e as { dtype?: string }).dtype));
    for (const code of ['F32', 'F64', 'I32', 'I64', 'U8', 'BOOL']) expect(codes).toContain(code);
    expect(header.scalar.shape).toEqual([]);
    expect(header.empty.shape).toEqual([0, 3]);
    expect(header.precise.data_offsets[0] % 8).not.toBe(0);
  });

  test('encodeSafetensors of the same tensors gives the same bytes', () => {
    scoped(() => {
      const { tensors, metadata } = fixtureTensors();
      const ours = Buffer.from(encodeSafetensors(tensors, metadata));
      const theirs = fs.readFileSync(fixtureFile);
      expect(ours.toString('hex')).toBe(theirs.toString('hex'));
    });
  });

  test('loadSafetensors reads its values, dtypes, shapes and metadata', () => {
    scoped(() => {
      const { tensors: expected, metadata, values } = fixtureTensors();
      const loaded = loadSafetensors(fixtureFile);
      expect(loaded.metadata).toEqual(metadata);
      expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, t] of Object.entries(loaded.tensors)) {
        expect([name, t.dtype, t.shape]).toEqual([name, expected[name].dtype, expected[name].shape]);
        expect([name, t.array()]).toEqual([name, values[name]]);
      }
    });
  });

  withPython(`the script regenerates the checked-in fixture byte for byte${pythonNote}`, () => {
    const out = fs.mkdtempSync(path.join(tmp, 'regen-'));
    const run = spawnSync(python, [script, '--out', out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'safetensors_fixture.safetensors')).equals(fs.readFileSync(fixtureFile)))
      .toBe(true);
    expect(fs.readFileSync(path.join(out, 'safetensors_fixture.json'), 'utf8'))
      .toBe(fs.readFileSync(fixtureJson, 'utf8'));
  });

  withPython(`Python (json + struct + numpy, per the spec) reads a file keratorch wrote${pythonNote}`, () => {
    scoped(() => {
      const input: Record<string, Tensor> = {
        ...everyDType(),
        scalar: tensor(-0.75),
        empty: zeros([0, 2], 'int64'),
        weights: randomNormal([3, 4], 0, 1, 'float32', 3),
      };
      // JSON has no NaN or Infinity: replace the non-finite float values for this check.
      input.f32 = tensor([[1.5, -0, 2, 3], [4, 3.4e38, 1e-45, -2.25]]);
      input.f64 = tensor([[Math.PI, -0], [1e300, 5e-324], [0.1, -1e-300]], undefined, 'float64');
      input.i64 = tensor(new BigInt64Array([-(2n ** 53n), -1n, 0n, 2n ** 40n + 1n, 2n ** 53n]), [5, 1]);
      const file = path.join(tmp, 'for-python.safetensors');
      saveSafetensors(file, input, { framework: 'keratorch', note: 'ünïcode' });
      const run = spawnSync(python, [script, '--read', file], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const read = JSON.parse(run.stdout);
      expect(read.metadata).toEqual({ framework: 'keratorch', note: 'ünïcode' });
      const expected: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(input)) {
        expected[name] = { dtype: t.dtype, shape: t.shape, values: t.array() };
      }
      expect(read.tensors).toEqual(expected);
    });
  });
});

/** Safetensors bytes with any header (object or raw text, padded or not) and data. */
function craft(header: object | string | Buffer, data: Buffer | number = 0, options: { size?: bigint } = {}): Buffer {
  let text = Buffer.isBuffer(header) ? header
    : Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  if (typeof header === 'object' && !Buffer.isBuffer(header)) text = Buffer.concat([text, Buffer.alloc(-text.length & 7, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(options.size ?? BigInt(text.length));
  return Buffer.concat([prefix, text, typeof data === 'number' ? Buffer.alloc(data) : data]);
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('corrupt input throws ERR_VALUE and leaks no tensor', () => {
  const decode = (bytes: Uint8Array) => () => decodeSafetensors(bytes);
  const expectInvalid = (bytes: Uint8Array, ...fragments: (string | RegExp)[]) =>
    expectKeratorchError(decode(bytes), 'ERR_VALUE', 'decodeSafetensors', 'invalid safetensors data: ', ...fragments);

  // A valid tensor next to the broken one: the check must fail before either is made.
  const good = { a: f32([2], 0, 8) };

  test('shorter than 8 bytes', () => {
    expectInvalid(Buffer.alloc(0), 'the data is 0 bytes long, shorter than the 8-byte header size');
    expectInvalid(Buffer.from([1, 0, 0, 0, 0]), 'the data is 5 bytes long');
  });

  test('a shape or data_offsets nested 5,000 deep is described, not walked', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const header = (entry: object) => JSON.stringify({ a: entry }).replace('"@"', deep);
    expectInvalid(craft(header({ dtype: 'F32', shape: '@', data_offsets: [0, 4] }), 4),
      'expected a shape of non-negative integers but found [[[[');
    expectInvalid(craft(header({ dtype: 'F32', shape: [1], data_offsets: '@' }), 4),
      'expected data_offsets [begin, end] with 0 <= begin <= end but found [[[[');
  });

  test('a header size beyond the end of the data', () => {
    expectInvalid(craft('{}', 0, { size: 1000n }), 'the header size field says 1000 bytes but only 2 bytes follow it');
    expectInvalid(craft('{}', 0, { size: 2n ** 64n - 1n }), `says ${2n ** 64n - 1n} bytes`);
  });

  test('a header that is not JSON, not an object, or not UTF-8', () => {
    expectInvalid(craft('{"a": {"dtype": '), 'the header is not valid JSON');
    expectInvalid(craft('{"a": 1} trailing'), 'the header is not valid JSON');
    expectInvalid(craft('[1, 2]   '), 'the header is not a JSON object (it starts with "[1, 2]   ")');
    expectInvalid(craft(''), 'the header is not a JSON object');
    expectInvalid(craft(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 'the header is not valid UTF-8');
    expectInvalid(craft({ ...good, b: 'F32' }, 8), 'tensor "b": expected {dtype, shape, data_offsets} but found "F32"');
    expectInvalid(craft({ ...good, __metadata__: { n: 1 } }, 8), '"__metadata__" must hold strings only but "n" is number 1');
    expectInvalid(craft({ ...good, __metadata__: ['x'] }, 8), '"__metadata__" must be an object of strings');
  });

  test('an unknown or unsupported dtype', () => {
    expectInvalid(craft({ ...good, b: { dtype: 'F16', shape: [1], data_offsets: [8, 10] } }, 10),
      'tensor "b" has dtype "F16", which keratorch does not support (supported: F32, F64, I32, I64, U8, BOOL)');
    expectInvalid(craft({ ...good, b: { dtype: 'float32', shape: [1], data_offsets: [8, 12] } }, 12),
      'tensor "b" has dtype "float32"');
    expectInvalid(craft({ ...good, b: { shape: [1], data_offsets: [8, 12] } }, 12),
      'tensor "b" has no "dtype" field (expected a dtype string (F32, F64, I32, I64, U8, BOOL))');
    expectInvalid(craft({ ...good, b: { dtype: null, shape: [1], data_offsets: [8, 12] } }, 12),
      'tensor "b": expected a dtype string but found null');
  });

  test('a bad shape or bad data_offsets', () => {
    expectInvalid(craft({ ...good, b: f32([-1], 8, 12) }, 12), 'tensor "b": expected a shape of non-negative integers but found [-1]');
    expectInvalid(craft({ ...good, b: f32([1.5], 8, 12) }, 12), 'found [1.5]');
    expectInvalid(craft({ ...good, b: { dtype: 'F32', shape: [1] } }, 12),
      'tensor "b" has no "data_offsets" field (expected [begin, end])');
    expectInvalid(craft({ ...good, b: { dtype: 'F32', data_offsets: [8, 12] } }, 12),
      'tensor "b" has no "shape" field (expected a list of sizes)');
    expectInvalid(craft({ ...good, b: f32([0], 12, 8) }, 12), 'but found [12,8]');
    expectInvalid(craft({ ...good, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12, 16] } }, 12), 'but found [8,12,16]');
  });

  test('shape and offsets that disagree (byte count != product(shape) * itemsize)', () => {
    expectInvalid(craft({ ...good, b: f32([2, 2], 8, 20) }, 20),
      'tensor "b": shape [2,2] of F32 needs 16 bytes but data_offsets [8, 20] hold 12');
    expectInvalid(craft({ a: { dtype: 'I64', shape: [3], data_offsets: [0, 12] } }, 12), 'shape [3] of I64 needs 24 bytes');
    expectInvalid(craft({ a: { dtype: 'BOOL', shape: [], data_offsets: [0, 0] } }, 0), 'shape [] of BOOL needs 1 bytes');
  });

  test('offsets outside the data, or a truncated file', () => {
    expectInvalid(craft({ ...good, b: f32([2], 8, 16) }, 12),
      'tensor "b": data_offsets [8, 16] go past the end of the data (12 bytes): the file is truncated');
    const whole = encodedEveryDType();
    expectInvalid(whole.subarray(0, whole.length - 1), 'go past the end of the data');
    const size = Number(whole.readBigUInt64LE(0));
    expectInvalid(whole.subarray(0, 8 + size), 'go past the end of the data (0 bytes)');
  });

  test('overlapping tensors, or a gap between them', () => {
    expectInvalid(craft({ ...good, b: f32([2], 4, 12) }, 12),
      'tensor "b" (data_offsets [4, 12]) overlaps tensor "a" (data_offsets [0, 8])');
    expectInvalid(craft({ x: f32([2], 0, 8), y: f32([2], 0, 8) }, 8), 'overlaps tensor "x"');
    expectInvalid(craft({ ...good, b: f32([1], 12, 16) }, 16),
      'tensor "b" (data_offsets [12, 16]) leaves a gap: bytes [8, 12) belong to no tensor');
    expectInvalid(craft({ b: f32([1], 4, 8) }, 8), 'bytes [0, 4) belong to no tensor');
  });

  test('trailing bytes after the last tensor', () => {
    const whole = encodedEveryDType();
    expectInvalid(Buffer.concat([whole, Buffer.from('junk')]), '4 bytes of trailing data after the last tensor');
    expectInvalid(craft({}, 3), '3 bytes of trailing data after the last tensor (the tensors cover 0 of 3 data bytes)');
  });

  test('loadSafetensors reads the header, then the data only when the file is exactly as long as it says', () => {
    const file = path.join(tmp, 'long.safetensors');
    const valid = craft(good, 8);
    const headerBytes = valid.length - 8 - 8;
    fs.writeFileSync(file, Buffer.concat([valid, Buffer.alloc(1 << 20)]));
    // The size field, then the header: the megabyte after it is refused unread.
    expect(bytesReadDuring(() => loadSafetensors(file))).toBe(8 + headerBytes);
    expectKeratorchError(() => loadSafetensors(file), 'ERR_VALUE', 'loadSafetensors', JSON.stringify(file),
      `${1 << 20} bytes of trailing data after the last tensor`);
    fs.writeFileSync(file, valid);
    scoped(() => {
      let shape: number[] = [];
      expect(bytesReadDuring(() => { shape = loadSafetensors(file).tensors.a.shape; })).toBe(valid.length);
      expect(shape).toEqual([2]);
    });
  });

  test('empty tensors may share an offset; zero-size entries do not count as overlap', () => {
    scoped(() => {
      const { tensors } = decodeSafetensors(craft({ ...good, e: f32([0], 8, 8), f: f32([2, 0], 8, 8), g: f32([1], 8, 12) }, 12));
      expect(Object.keys(tensors)).toEqual(['a', 'e', 'f', 'g']);
      expect(tensors.f.shape).toEqual([2, 0]);
    });
  });

  test('loadSafetensors names the file; a missing file is ERR_ARGUMENT', () => {
    const file = path.join(tmp, 'corrupt.safetensors');
    fs.writeFileSync(file, craft({ ...good, b: f32([2, 2], 8, 20) }, 20));
    expectKeratorchError(() => loadSafetensors(file), 'ERR_VALUE', 'loadSafetensors',
      `invalid safetensors file ${JSON.stringify(file)}: tensor "b": shape [2,2] of F32 needs 16 bytes`);
    fs.writeFileSync(file, Buffer.from('abc'));
    expectKeratorchError(() => loadSafetensors(file), 'ERR_VALUE', 'loadSafetensors', 'shorter than the 8-byte header size');
    const missing = path.join(tmp, 'missing.safetensors');
    const error = expectKeratorchError(() => loadSafetensors(missing), 'ERR_ARGUMENT', 'loadSafetensors',
      `cannot read ${JSON.stringify(missing)}: ENOENT`);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ENOENT');
  });

  test('a bad device fails before or at the first tensor and leaves none', () => {
    const bytes = encodedEveryDType();
    const before = memory();
    expect(() => decodeSafetensors(bytes, { device: 'cuda:97' })).toThrow(KeratorchError);
    expect(() => decodeSafetensors(bytes, { device: 'nowhere' as 'cpu' })).toThrow(/unknown device/);
    expect(memory()).toEqual(before);
  });

  test('a failure after some tensors were made disposes those tensors', () => {
    const bytes = encodedEveryDType();
    // Fault injection at the addon boundary (tests only): the third tensor fails to be made.
    const real = native.fromBuffer.bind(native);
    let calls = 0;
    const spy = jest.spyOn(native, 'fromBuffer').mockImplementation((...args) => {
      calls += 1;
      if (calls === 3) throw new KeratorchError('tensor: injected failure', 'ERR_TORCH', 'tensor');
      return real(...args);
    });
    try {
      expectKeratorchError(() => decodeSafetensors(bytes), 'ERR_TORCH', 'tensor', 'injected failure');
      expect(calls).toBe(3);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('bad arguments', () => {
  test('encode: not an object, not tensors, reserved names, non-string metadata, disposed tensors', () => {
    scoped(() => {
      const t = tensor([1]);
      const op = 'encodeSafetensors';
      expectKeratorchError(() => encodeSafetensors(null as never), 'ERR_ARGUMENT', op,
        'expected an object of tensors by name for tensors but received null');
      expectKeratorchError(() => encodeSafetensors([t] as never), 'ERR_ARGUMENT', op, 'received an array');
      expectKeratorchError(() => encodeSafetensors({ w: [1, 2] } as never), 'ERR_ARGUMENT', op,
        'expected a Tensor for tensors["w"] but received an array');
      expectKeratorchError(() => encodeSafetensors({ __metadata__: t }), 'ERR_ARGUMENT', op,
        'the tensor name "__metadata__" is reserved');
      expectKeratorchError(() => encodeSafetensors({ '': t }), 'ERR_ARGUMENT', op, 'tensor names must not be empty');
      expectKeratorchError(() => encodeSafetensors({ t }, { epochs: 3 } as never), 'ERR_ARGUMENT', op,
        'expected a string for metadata["epochs"] but received number 3');
      expectKeratorchError(() => encodeSafetensors({ t }, 'meta' as never), 'ERR_ARGUMENT', op,
        'expected an object of strings for metadata but received "meta"');
      const gone = tensor([2]);
      gone.dispose();
      expectKeratorchError(() => encodeSafetensors({ t, gone }), 'ERR_DISPOSED', op, 'tensors["gone"]');
    });
  });

  test('decode: not bytes, bad options', () => {
    expectKeratorchError(() => decodeSafetensors('abc' as never), 'ERR_ARGUMENT', 'decodeSafetensors',
      'expected a Buffer or Uint8Array for buffer but received "abc"');
    expectKeratorchError(() => decodeSafetensors(encodeSafetensors({}), 5 as never), 'ERR_ARGUMENT',
      'decodeSafetensors', 'expected an options object for options but received 5');
    expectKeratorchError(() => decodeSafetensors(encodeSafetensors({}), { devise: 'cpu' } as never), 'ERR_ARGUMENT',
      'decodeSafetensors', 'expected an option among device for options but received "devise"');
    expectKeratorchError(() => loadSafetensors('/nonexistent.safetensors', { devise: 'cpu' } as never), 'ERR_ARGUMENT',
      'loadSafetensors', 'expected an option among device');
    expect(decodeSafetensors(new Uint8Array(encodeSafetensors({})))).toEqual({ tensors: {}, metadata: {} });
  });

  test('save and load: the path must be a non-empty string', () => {
    expectKeratorchError(() => saveSafetensors('', {}), 'ERR_ARGUMENT', 'saveSafetensors', 'expected a file path for path');
    expectKeratorchError(() => loadSafetensors(42 as never), 'ERR_ARGUMENT', 'loadSafetensors', 'received number 42');
  });
});

describe('saveSafetensors writes atomically', () => {
  const entries = (dir: string) => fs.readdirSync(dir).sort();

  test('writes the encoded bytes, replaces an existing file, leaves no temp file', () => {
    scoped(() => {
      const dir = fs.mkdtempSync(path.join(tmp, 'atomic-'));
      const file = path.join(dir, 'w.safetensors');
      const input = everyDType();
      saveSafetensors(file, input, { v: '1' });
      expect(fs.readFileSync(file).equals(encodeSafetensors(input, { v: '1' }))).toBe(true);
      saveSafetensors(file, { only: tensor([9]) });
      expect(Object.keys(loadSafetensors(file).tensors)).toEqual(['only']);
      expect(entries(dir)).toEqual(['w.safetensors']);
    });
  });

  test('a failed write leaves the old file untouched and no temp file behind', () => {
    scoped(() => {
      const dir = fs.mkdtempSync(path.join(tmp, 'atomic-'));
      const file = path.join(dir, 'w.safetensors');
      saveSafetensors(file, { a: tensor([1]) });
      const before = fs.readFileSync(file);
      // Invalid input fails before any file is opened.
      const gone = tensor([1]);
      gone.dispose();
      expectKeratorchError(() => saveSafetensors(file, { gone }), 'ERR_DISPOSED', 'saveSafetensors');
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      // The target is a folder: refused before anything is written, and no temp file is left.
      const blocked = path.join(dir, 'blocked');
      fs.mkdirSync(blocked);
      fs.writeFileSync(path.join(blocked, 'x'), 'x');
      const a = tensor([1]);
      expectKeratorchError(() => saveSafetensors(blocked, { a }), 'ERR_ARGUMENT',
        'saveSafetensors', `cannot write ${JSON.stringify(blocked)}: it is a folder, not a file; nothing was written`);
      expect(entries(dir)).toEqual(['blocked', 'w.safetensors']);
      expect(fs.readdirSync(blocked)).toEqual(['x']);
      // The folder does not exist: nothing is created.
      expectKeratorchError(() => saveSafetensors(path.join(dir, 'no', 'such.safetensors'), {}), 'ERR_ARGUMENT',
        'saveSafetensors', `its folder ${JSON.stringify(path.join(dir, 'no'))} does not exist`);
      expect(entries(dir)).toEqual(['blocked', 'w.safetensors']);
    });
  });
});
