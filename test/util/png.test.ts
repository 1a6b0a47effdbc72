/**
 * The PNG codec: round trips, the file structure (signature, chunk order, CRCs checked against a
 * bit-by-bit reference CRC-32), decoding of every row filter and of RGB files made independently of the encoder, clear
 * errors for bad input, and, where the tools exist, that other software reads our files.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as zlib from 'zlib';
import { expectError } from '../helpers/errors';
import { PNG_SIGNATURE, decodePng, encodePng } from '../../src/util/png';


/** Byte-for-byte equality; much faster than toEqual on large typed arrays. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true);
}

/** Deterministic pseudo-random bytes (a tiny LCG), so failures reproduce. */
function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

interface Chunk { type: string; data: Buffer; crc: number; offset: number }

function chunks(bytes: Uint8Array): Chunk[] {
  const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Chunk[] = [];
  for (let pos = 8; pos < png.length;) {
    const length = png.readUInt32BE(pos);
    out.push({ type: png.toString('latin1', pos + 4, pos + 8), data: png.subarray(pos + 8, pos + 8 + length),
      crc: png.readUInt32BE(pos + 8 + length), offset: pos });
    pos += 12 + length;
  }
  return out;
}

/** CRC-32 bit by bit, as the PNG specification defines it: a reference independent of the module's table. */
function referenceCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A chunk built here with the reference CRC-32, independent of the module under test. */
function makeChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(referenceCrc32(body), body.length + 4);
  return out;
}

function makeHeader(width: number, height: number, depth = 8, colourType = 6, interlace = 0): Buffer {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0);
  h.writeUInt32BE(height, 4);
  h[8] = depth;
  h[9] = colourType;
  h[12] = interlace;
  return h;
}

function makePng(header: Buffer, raw: Uint8Array, extra: Buffer[] = []): Buffer {
  return Buffer.concat([PNG_SIGNATURE, makeChunk('IHDR', header), ...extra, makeChunk('IDAT', zlib.deflateSync(raw)),
    makeChunk('IEND', new Uint8Array(0))]);
}

/** The PNG specification's filters, written out plainly here to make test files the encoder did not. */
function filterRows(pixels: Uint8Array, width: number, height: number, channels: number, types: number[]): Uint8Array {
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const type = types[y % types.length];
    raw[y * (stride + 1)] = type;
    for (let i = 0; i < stride; i++) {
      const at = (yy: number, ii: number): number => (yy < 0 || ii < 0 ? 0 : pixels[yy * stride + ii]);
      const a = at(y, i - channels);
      const b = at(y - 1, i);
      const c = at(y - 1, i - channels);
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a
        : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, Math.floor((a + b) / 2), paeth][type];
      raw[y * (stride + 1) + 1 + i] = (pixels[y * stride + i] - predictor) & 0xff;
    }
  }
  return raw;
}

describe('encodePng / decodePng', () => {
  test('round trip keeps every pixel (noise, flat areas, gradients, translucency)', () => {
    const width = 37;
    const height = 23;
    const rgba = noise(width * height * 4);
    for (let y = 10; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        rgba.set(y < 16 ? [200, 40, 40, 255] : [x * 6, y * 9, (x * y) & 255, 128], i);
      }
    }
    const decoded = decodePng(encodePng({ width, height, rgba }));
    expect(decoded.width).toBe(width);
    expect(decoded.height).toBe(height);
    expectSameBytes(decoded.rgba, rgba);
  });

  test('a 1x1 image and a single-row image round trip', () => {
    for (const [width, height] of [[1, 1], [50, 1], [1, 50]]) {
      const rgba = noise(width * height * 4, width + height);
      expectSameBytes(decodePng(encodePng({ width, height, rgba })).rgba, rgba);
    }
  });

  test('file structure: signature, IHDR (8-bit RGBA, no interlace), IDAT, IEND, CRCs that a reference agrees with', () => {
    expect(referenceCrc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    const png = encodePng({ width: 5, height: 3, rgba: noise(60) });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...list[0].data]).toEqual([0, 0, 0, 5, 0, 0, 0, 3, 8, 6, 0, 0, 0]);
    expect(list[2].data.length).toBe(0);
    for (const c of list) {
      expect(c.crc).toBe(referenceCrc32(png.subarray(c.offset + 4, c.offset + 8 + c.data.length)));
    }
    const last = list[list.length - 1];
    expect(last.offset + 12).toBe(png.length);
  });

  test('flat images compress well (the per-row filter choice is at work)', () => {
    const width = 200;
    const height = 100;
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) rgba.set([x, y, 255 - x, 255], (y * width + x) * 4);
    }
    const png = encodePng({ width, height, rgba });
    expect(png.length).toBeLessThan(width * height * 4 / 20);
    const types = new Set<number>();
    const raw = zlib.inflateSync(chunks(png)[1].data);
    for (let y = 0; y < height; y++) types.add(raw[y * (width * 4 + 1)]);
    expect([...types].every((t) => t >= 0 && t <= 4)).toBe(true);
    expectSameBytes(decodePng(png).rgba, rgba);
  });

  test.each([0, 1, 2, 3, 4])('decodes rows written with filter type %i (RGBA)', (type) => {
    const width = 9;
    const height = 6;
    const pixels = noise(width * height * 4, 40 + type);
    const png = makePng(makeHeader(width, height), filterRows(pixels, width, height, 4, [type]));
    expectSameBytes(decodePng(png).rgba, pixels);
  });

  test('decodes 8-bit RGB with mixed filters (alpha becomes 255), split IDAT chunks and ancillary chunks', () => {
    const width = 11;
    const height = 10;
    const rgb = noise(width * height * 3, 99);
    const raw = zlib.deflateSync(filterRows(rgb, width, height, 3, [0, 1, 2, 3, 4]));
    const png = Buffer.concat([PNG_SIGNATURE, makeChunk('IHDR', makeHeader(width, height, 8, 2)),
      makeChunk('tEXt', Buffer.from('Comment\0made by the test', 'latin1')),
      makeChunk('IDAT', raw.subarray(0, 10)), makeChunk('IDAT', raw.subarray(10)), makeChunk('IEND', new Uint8Array(0))]);
    const decoded = decodePng(png);
    const expected = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) expected.set([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], 255], 4 * p);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expectSameBytes(decoded.rgba, expected);
  });
});

describe('errors', () => {
  const good = encodePng({ width: 4, height: 4, rgba: noise(64) });

  test('encodePng rejects bad sizes and buffers', () => {
    expectError(() => encodePng({ width: 4, height: 4, rgba: new Uint8Array(63) }), 'ERR_VALUE',
      /encodePng: expected 64 bytes .* for rgba length but received 63/);
    expectError(() => encodePng({ width: 0, height: 4, rgba: new Uint8Array(0) }), 'ERR_VALUE', /width/);
    expectError(() => encodePng({ width: 2.5, height: 4, rgba: new Uint8Array(40) }), 'ERR_VALUE', /width/);
    expectError(() => encodePng({ width: 1, height: 1, rgba: [0, 0, 0, 0] as unknown as Uint8Array }),
      'ERR_ARGUMENT', /a Uint8Array for rgba/);
    expectError(() => encodePng(null as unknown as never), 'ERR_ARGUMENT', /image/);
  });

  test('decodePng: not a PNG, truncated, corrupt CRC', () => {
    expectError(() => decodePng(Buffer.from('GIF89a, certainly not a PNG')), 'ERR_VALUE', /not a PNG file/);
    expectError(() => decodePng(good.subarray(0, good.length - 20)), 'ERR_VALUE', /truncated/);
    const corrupt = Buffer.from(good);
    corrupt[good.length - 20] ^= 0xff; // inside the IDAT data
    expectError(() => decodePng(corrupt), 'ERR_VALUE', /CRC mismatch in chunk "IDAT"/);
    expectError(() => decodePng('not bytes' as unknown as Buffer), 'ERR_ARGUMENT', /Buffer or Uint8Array/);
  });

  test('decodePng: unsupported formats say what they are', () => {
    const raw = new Uint8Array(4 * (1 + 4 * 8));
    expectError(() => decodePng(makePng(makeHeader(4, 4, 16), raw)), 'ERR_VALUE', /only 8-bit .* bit depth 16/);
    expectError(() => decodePng(makePng(makeHeader(4, 4, 8, 3), raw)), 'ERR_VALUE', /colour type 3/);
    expectError(() => decodePng(makePng(makeHeader(4, 4, 8, 6, 1), raw)), 'ERR_VALUE', /interlaced/);
    expectError(() => decodePng(makePng(makeHeader(4, 4), raw, [makeChunk('PLTX', new Uint8Array(3))])), 'ERR_VALUE',
      /unsupported critical chunk "PLTX"/);
  });

  test('decodePng: bad image data (wrong length, unknown filter, missing chunks)', () => {
    expectError(() => decodePng(makePng(makeHeader(4, 4), new Uint8Array(10))), 'ERR_VALUE',
      /image data has 10 bytes, expected 68/);
    const raw = new Uint8Array(4 * 17);
    raw[17] = 9;
    expectError(() => decodePng(makePng(makeHeader(4, 4), raw)), 'ERR_VALUE', /row 1 has unknown filter type 9/);
    const noData = Buffer.concat([PNG_SIGNATURE, makeChunk('IHDR', makeHeader(4, 4)), makeChunk('IEND', new Uint8Array(0))]);
    expectError(() => decodePng(noData), 'ERR_VALUE', /no IDAT chunk/);
    const headerless = Buffer.concat([PNG_SIGNATURE, makeChunk('IEND', new Uint8Array(0))]);
    expectError(() => decodePng(headerless), 'ERR_VALUE', /expected IHDR as the first chunk/);
    const garbage = Buffer.concat([PNG_SIGNATURE, makeChunk('IHDR', makeHeader(4, 4)),
      makeChunk('IDAT', Buffer.from('not deflate data')), makeChunk('IEND', new Uint8Array(0))]);
    expectError(() => decodePng(garbage), 'ERR_VALUE', /does not inflate/);
  });
});

describe('other software reads our files', () => {
  const image = { width: 17, height: 9, rgba: noise(17 * 9 * 4, 3) };
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keratorch-png-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Debian's python3 has no PIL by default; this runs where it does (apt-get install python3-pil).
  const hasPil = spawnSync('/usr/bin/python3', ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0;
  (hasPil ? test : test.skip)('PIL opens our PNG with the same pixels (needs /usr/bin/python3 with PIL)', () => {
    const file = join(dir, 'pil.png');
    writeFileSync(file, encodePng(image));
    const script = 'import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); ' +
      'print(im.size[0], im.size[1], im.mode, im.tobytes().hex())';
    const [w, h, mode, hex] = execFileSync('/usr/bin/python3', ['-c', script, file]).toString().trim().split(' ');
    expect([Number(w), Number(h), mode]).toEqual([17, 9, 'RGBA']);
    expect(hex).toBe(Buffer.from(image.rgba).toString('hex'));
  });

  const hasFile = spawnSync('file', ['--version'], { stdio: 'ignore' }).status === 0;
  (hasFile ? test : test.skip)('file(1) recognises it as an RGBA PNG of the right size (needs the file command)', () => {
    const path = join(dir, 'file.png');
    writeFileSync(path, encodePng(image));
    expect(execFileSync('file', ['-b', path]).toString()).toMatch(/^PNG image data, 17 x 9, 8-bit\/color RGBA, non-interlaced/);
  });
});
