/**
 * A minimal PNG codec in plain TypeScript (Node's zlib for deflate): enough to write pictures of plans
 * without a native image library, and to read them back in tests. Writes 8-bit RGBA, non-interlaced;
 * reads 8-bit RGB and RGBA, non-interlaced, with any of the five row filters.
 */
import { deflateSync, inflateSync } from 'zlib';
import { KeratorchError } from '../backend/errors';
import { checkInt, describe, fail } from '../backend/validate';
import { crc32 } from './crc32';

// Math's functions as module constants: inside vm contexts (jest runs tests in one) every global lookup
// goes through an interceptor and makes pixel loops several times slower.
const { abs } = Math;

/** An image as 8-bit RGBA pixels, row-major from the top-left, 4 bytes per pixel. */
export interface RgbaImage {
  /** Width in pixels (>= 1). */
  width: number;
  /** Height in pixels (>= 1). */
  height: number;
  /** width*height*4 bytes: R, G, B, A of each pixel. */
  rgba: Uint8Array;
}

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE: Uint8Array = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A generous bound that keeps a corrupt header from asking for gigabytes.
const MAX_SIDE = 1 << 15;

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = abs(p - a);
  const pb = abs(p - b);
  const pc = abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** PNG's prediction of a byte from its left (a), upper (b) and upper-left (c) neighbours. */
function predict(type: number, a: number, b: number, c: number): number {
  switch (type) {
    case 1: return a;
    case 2: return b;
    case 3: return (a + b) >> 1;
    case 4: return paeth(a, b, c);
    default: return 0;
  }
}

/** |r| for a filter residual r read as a signed byte: the usual estimate of how well a row compresses. */
function signedSize(residual: number): number {
  const r = residual & 0xff;
  return r < 128 ? r : 256 - r;
}

/** Filters one row with filter `type` into `out` (without the leading type byte). */
function filterRow(type: number, row: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array): void {
  for (let i = 0; i < row.length; i++) {
    const left = i >= bpp ? row[i - bpp] : 0;
    const upperLeft = i >= bpp ? prev[i - bpp] : 0;
    out[i] = (row[i] - predict(type, left, prev[i], upperLeft)) & 0xff;
  }
}

/**
 * Encodes 8-bit RGBA pixels as a PNG file. Each row gets the filter (0-4) with the smallest sum of
 * absolute signed residuals, the usual heuristic (libpng's default): flat areas and gradients shrink well.
 */
export function encodePng(image: RgbaImage): Uint8Array {
  const fn = 'encodePng';
  if (typeof image !== 'object' || image === null) fail(fn, 'an object { width, height, rgba }', 'image', image);
  const width = checkInt(fn, 'width', image.width, 1, MAX_SIDE);
  const height = checkInt(fn, 'height', image.height, 1, MAX_SIDE);
  if (!(image.rgba instanceof Uint8Array)) fail(fn, 'a Uint8Array', 'rgba', image.rgba);
  if (image.rgba.length !== width * height * 4) {
    fail(fn, `${width * height * 4} bytes (width*height*4 = ${width}*${height}*4)`, 'rgba length',
      image.rgba.length, 'ERR_VALUE');
  }
  const stride = width * 4;
  const raw = new Uint8Array(height * (stride + 1));
  let prev: Uint8Array = new Uint8Array(stride);
  const costs = new Float64Array(5);
  for (let y = 0; y < height; y++) {
    const row = image.rgba.subarray(y * stride, (y + 1) * stride);
    costs.fill(0);
    for (let i = 0; i < stride; i++) {
      const x = row[i];
      const left = i >= 4 ? row[i - 4] : 0;
      const up = prev[i];
      const upperLeft = i >= 4 ? prev[i - 4] : 0;
      costs[0] += signedSize(x);
      costs[1] += signedSize(x - left);
      costs[2] += signedSize(x - up);
      costs[3] += signedSize(x - ((left + up) >> 1));
      costs[4] += signedSize(x - paeth(left, up, upperLeft));
    }
    let best = 0;
    for (let type = 1; type <= 4; type++) if (costs[type] < costs[best]) best = type;
    const offset = y * (stride + 1);
    raw[offset] = best;
    filterRow(best, row, prev, 4, raw.subarray(offset + 1, offset + 1 + stride));
    prev = row;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // Bytes 10-12 stay 0: deflate compression, adaptive filtering, no interlace.
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0))]);
}

function bad(message: string): never {
  throw new KeratorchError(`decodePng: ${message}`, 'ERR_VALUE', 'decodePng');
}

/**
 * Decodes a PNG file into 8-bit RGBA pixels (RGB images get alpha 255). Reads what {@link encodePng}
 * writes and any other non-interlaced 8-bit RGB/RGBA PNG; checks the signature, every chunk's CRC and
 * the data length, and rejects anything else with a KeratorchError (code ERR_VALUE) saying why.
 */
export function decodePng(buffer: Uint8Array): RgbaImage {
  if (!(buffer instanceof Uint8Array)) fail('decodePng', 'a Buffer or Uint8Array', 'buffer', buffer);
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) bad('not a PNG file (bad signature)');
  let pos = 8;
  let header: { width: number; height: number; channels: number } | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) bad(`truncated file: chunk header at byte ${pos} runs past the end`);
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > bytes.length) bad(`truncated file: chunk ${JSON.stringify(type)} runs past the end`);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    const stored = bytes.readUInt32BE(pos + 8 + length);
    const actual = crc32(bytes.subarray(pos + 4, pos + 8 + length));
    if (stored !== actual) {
      bad(`CRC mismatch in chunk ${JSON.stringify(type)} (stored ${stored.toString(16)}, computed ${actual.toString(16)})`);
    }
    if (header === undefined && type !== 'IHDR') bad(`expected IHDR as the first chunk but found ${describe(type)}`);
    if (type === 'IHDR') {
      if (header !== undefined) bad('more than one IHDR chunk');
      header = readHeader(data);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    } else if ((type.charCodeAt(0) & 0x20) === 0) {
      // An unknown critical chunk (upper-case first letter) changes how the image must be read.
      bad(`unsupported critical chunk ${JSON.stringify(type)}`);
    }
    pos += 12 + length;
  }
  if (header === undefined) bad('no IHDR chunk');
  if (idat.length === 0) bad('no IDAT chunk');
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (err) {
    bad(`image data does not inflate (${(err as Error).message})`);
  }
  return { width: header.width, height: header.height, rgba: unfilter(raw, header) };
}

function readHeader(data: Buffer): { width: number; height: number; channels: number } {
  if (data.length !== 13) bad(`IHDR has ${data.length} bytes, expected 13`);
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [depth, colourType, compression, filter, interlace] = data.subarray(8, 13);
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    bad(`image size ${width}x${height} is outside 1..${MAX_SIDE}`);
  }
  if (depth !== 8) bad(`only 8-bit images are supported, this one has bit depth ${depth}`);
  if (colourType !== 2 && colourType !== 6) {
    bad(`only RGB (colour type 2) and RGBA (6) are supported, this one has colour type ${colourType}`);
  }
  if (compression !== 0 || filter !== 0) bad(`unknown compression ${compression} or filter method ${filter}`);
  if (interlace !== 0) bad('interlaced images are not supported');
  return { width, height, channels: colourType === 6 ? 4 : 3 };
}

function unfilter(raw: Buffer, header: { width: number; height: number; channels: number }): Uint8Array {
  const { width, height, channels } = header;
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) {
    bad(`image data has ${raw.length} bytes, expected ${height * (stride + 1)} for ${width}x${height}`);
  }
  const pixels = new Uint8Array(height * stride);
  let prev: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    if (type > 4) bad(`row ${y} has unknown filter type ${type}`);
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? row[i - channels] : 0;
      const upperLeft = i >= channels ? prev[i - channels] : 0;
      row[i] = (src[i] + predict(type, left, prev[i], upperLeft)) & 0xff;
    }
    prev = row;
  }
  if (channels === 4) return pixels;
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0, q = 0; p < pixels.length; p += 3, q += 4) {
    rgba[q] = pixels[p];
    rgba[q + 1] = pixels[p + 1];
    rgba[q + 2] = pixels[p + 2];
    rgba[q + 3] = 255;
  }
  return rgba;
}
