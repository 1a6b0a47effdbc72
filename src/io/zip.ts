/**
 * The little of the zip format (PKWARE APPNOTE) that .npz needs: writing STORED entries, reading STORED
 * and DEFLATE ones (zip64 sizes and offsets included, as Python's zipfile writes them for numpy), each
 * checked against its CRC-32.
 */
import * as zlib from 'zlib';
import { KeratorchError } from '../backend';
import { crc32 } from '../util/crc32';

/** One file of a zip archive: its name and its content as pieces. */
export interface ZipEntryInput {
  name: string;
  chunks: readonly Uint8Array[];
}

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const END_SIZE = 22;
const FLAG_UTF8 = 0x800;
/** 1980-01-01 00:00 in MS-DOS format: a fixed time keeps archives byte-identical across runs. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const VERSION = 20; // 2.0: DEFLATE and folders; what numpy's zipfile writes for small files
const UNIX_FILE_ATTRIBUTES = (0o100644 << 16) >>> 0; // a regular file, rw-r--r--

/**
 * A zip archive of `entries`, uncompressed (STORED), as chunks to write in order. Throws (naming `fn`)
 * past the classic format's limits (65535 entries, 4 GiB), which .npz files of gridworld data never reach.
 */
export function encodeZip(fn: string, entries: readonly ZipEntryInput[]): Uint8Array[] {
  const tooLarge = (what: string): never => {
    throw new KeratorchError(`${fn}: ${what} is too large for a zip without zip64 (at most 65535 entries ` +
      'and 4 GiB)', 'ERR_VALUE', fn);
  };
  if (entries.length > 0xffff) tooLarge(`${entries.length} arrays`);
  const out: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : FLAG_UTF8;
    let size = 0;
    let crc = 0;
    for (const chunk of entry.chunks) {
      size += chunk.byteLength;
      crc = crc32(chunk, crc);
    }
    if (size > 0xfffffffe || offset > 0xfffffffe) tooLarge(`entry ${JSON.stringify(entry.name)}`);
    const local = Buffer.alloc(LOCAL_HEADER_SIZE);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(0, 8); // STORED
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(CENTRAL_HEADER_SIZE);
    header.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    header.writeUInt16LE((3 << 8) | VERSION, 4); // made on unix, so the attributes below are read
    local.copy(header, 6, 4, 30); // version needed .. extra length: as in the local header
    header.writeUInt16LE(0, 32); // comment length
    header.writeUInt16LE(0, 34); // disk
    header.writeUInt16LE(0, 36); // internal attributes
    header.writeUInt32LE(UNIX_FILE_ATTRIBUTES, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    out.push(local, name, ...entry.chunks);
    offset += LOCAL_HEADER_SIZE + name.length + size;
  }
  const centralSize = central.reduce((total, b) => total + b.length, 0);
  if (offset + centralSize > 0xfffffffe) tooLarge('the archive');
  const end = Buffer.alloc(END_SIZE);
  end.writeUInt32LE(END_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  out.push(...central, end);
  return out;
}

/** One file read from a zip archive. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/**
 * The files of a zip archive, in central-directory order, decompressed and CRC-checked. `fail` is
 * called (and must throw) with a description of the first problem found.
 */
export function decodeZip(bytes: Uint8Array, fail: (message: string) => never): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => {
    const value = view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail('a zip64 size or offset is out of range');
    return Number(value);
  };

  // The end record is the last 22 bytes plus a comment of up to 65535 bytes; its comment length must
  // reach exactly to the end of the file (so a signature inside a comment is not taken for it).
  let end = -1;
  for (let at = bytes.length - END_SIZE; at >= Math.max(0, bytes.length - END_SIZE - 0xffff); at--) {
    if (u32(at) === END_SIGNATURE && at + END_SIZE + u16(at + 20) === bytes.length) {
      end = at;
      break;
    }
  }
  if (end < 0) fail('no zip end-of-central-directory record (the file is truncated or not a zip/npz file)');
  let count = u16(end + 10);
  let centralSize = u32(end + 12);
  let centralOffset = u32(end + 16);
  if (count === 0xffff || centralSize === 0xffffffff || centralOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR_SIGNATURE) {
      fail('the zip64 end-of-central-directory locator is missing');
    }
    const zip64End = u64(locator + 8);
    if (zip64End + 56 > bytes.length || u32(zip64End) !== ZIP64_END_SIGNATURE) {
      fail('the zip64 end-of-central-directory record is missing');
    }
    count = u64(zip64End + 32);
    centralSize = u64(zip64End + 40);
    centralOffset = u64(zip64End + 48);
  }
  if (centralOffset + centralSize > bytes.length) {
    fail('the central directory lies past the end of the file (truncated)');
  }

  const entries: ZipEntry[] = [];
  let at = centralOffset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_HEADER_SIZE > centralOffset + centralSize || u32(at) !== CENTRAL_SIGNATURE) {
      fail(`central directory entry ${i} is damaged`);
    }
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let localOffset = u32(at + 42);
    const next = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (next > centralOffset + centralSize) fail(`central directory entry ${i} is damaged`);
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + CENTRAL_HEADER_SIZE, nameLength)
      .toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
    // zip64 extra field (id 1): the 8-byte values of the fields set to 0xffffffff, in this order.
    const extraEnd = at + CENTRAL_HEADER_SIZE + nameLength + extraLength;
    for (let x = at + CENTRAL_HEADER_SIZE + nameLength; x + 4 <= extraEnd;) {
      const id = u16(x);
      const length = u16(x + 2);
      if (id === 1) {
        let field = x + 4;
        const take = (): number => {
          if (field + 8 > Math.min(x + 4 + length, extraEnd)) {
            fail(`the zip64 field of ${JSON.stringify(name)} is too short`);
          }
          const value = u64(field);
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      x += 4 + length;
    }
    at = next;

    if (flags & 1) fail(`${JSON.stringify(name)} is encrypted`);
    if (localOffset + LOCAL_HEADER_SIZE > bytes.length || u32(localOffset) !== LOCAL_SIGNATURE) {
      fail(`the local header of ${JSON.stringify(name)} is missing (the file is truncated or damaged)`);
    }
    const dataStart = localOffset + LOCAL_HEADER_SIZE + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) fail(`${JSON.stringify(name)} is truncated`);
    const stored = bytes.subarray(dataStart, dataStart + compressedSize);
    let data: Uint8Array;
    if (method === 0) {
      if (compressedSize !== size) fail(`${JSON.stringify(name)} is stored but its sizes differ`);
      data = stored;
    } else if (method === 8) {
      try {
        // The declared size bounds the output, so a damaged or hostile entry cannot inflate without limit.
        data = zlib.inflateRawSync(stored, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        fail(`${JSON.stringify(name)} does not inflate: ${(error as Error).message}`);
      }
      if (data.length !== size) fail(`${JSON.stringify(name)} inflates to ${data.length} bytes, not ${size}`);
    } else {
      fail(`${JSON.stringify(name)} uses compression method ${method} (only 0 STORED and 8 DEFLATE are supported)`);
    }
    if (crc32(data) !== crc) fail(`${JSON.stringify(name)} fails its CRC-32 check (the file is damaged)`);
    entries.push({ name, data });
  }
  return entries;
}
