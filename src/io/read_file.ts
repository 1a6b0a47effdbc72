/**
 * Reading the files a user names: regular files only, read to the size they had when opened. A FIFO,
 * a device (`/dev/zero`, a terminal) or a folder is refused before a byte is read, so no reader can
 * block forever or read without end.
 */
import { constants as bufferConstants } from 'buffer';
import * as fs from 'fs';
import { KeratorchError } from '../backend/errors';

// Opening a FIFO for reading waits for a writer, forever if none comes; O_NONBLOCK returns at once (the
// fstat below then refuses it). It changes nothing for a regular file. Windows has neither FIFOs nor it.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** A file opened by {@link withRegularFile}: its size when opened, and exact reads within it. */
export interface RegularFile {
  /** The size in bytes when it was opened; reads never go past it. */
  readonly size: number;
  /** Exactly `length` bytes from `position` (throws when the file has shrunk since it was opened). */
  read(position: number, length: number): Buffer;
}

/** The KeratorchError of a file that cannot be read: it names `fn`, the path and why. */
export function cannotRead(fn: string, path: string, why: string, cause?: unknown): KeratorchError {
  const error = new KeratorchError(`${fn}: cannot read ${JSON.stringify(path)}: ${why}`, 'ERR_ARGUMENT', fn);
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

function kindOf(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

/**
 * Opens `path`, checks that the opened descriptor is a regular file (so a file swapped for a FIFO
 * or a device after any earlier check is refused too) and passes it to `use`; closes it after.
 * Every failure is a KeratorchError (`ERR_ARGUMENT`) naming `fn` and the path.
 */
export function withRegularFile<T>(fn: string, path: string, use: (file: RegularFile) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw cannotRead(fn, path, (error as Error).message, error);
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw cannotRead(fn, path, `it is ${kindOf(stats)}, not a regular file`);
    const size = stats.size;
    const read = (position: number, length: number): Buffer => {
      if (position + length > size) {
        throw cannotRead(fn, path, `bytes [${position}, ${position + length}) lie past its end (${size} bytes)`);
      }
      if (length > bufferConstants.MAX_LENGTH) {
        throw cannotRead(fn, path, `${length} bytes are more than one Buffer holds (${bufferConstants.MAX_LENGTH})`);
      }
      let buffer: Buffer;
      try {
        buffer = Buffer.allocUnsafe(length);
      } catch (error) {
        throw cannotRead(fn, path, `cannot allocate ${length} bytes to read it into: ${(error as Error).message}`, error);
      }
      for (let done = 0; done < length;) {
        let count: number;
        try {
          count = fs.readSync(fd, buffer, done, length - done, position + done);
        } catch (error) {
          throw cannotRead(fn, path, (error as Error).message, error);
        }
        if (count === 0) {
          throw cannotRead(fn, path, `it ended after ${position + done} bytes, though it had ${size} when opened ` +
            '(it changed while being read)');
        }
        done += count;
      }
      return buffer;
    };
    return use({ size, read });
  } finally {
    fs.closeSync(fd);
  }
}

/** The whole of regular file `path`, refused when it is larger than `maxBytes`. */
export function readRegularFile(fn: string, path: string, maxBytes = Infinity): Buffer {
  return withRegularFile(fn, path, (file) => {
    if (file.size > maxBytes) {
      throw cannotRead(fn, path, `it is ${file.size} bytes, more than the ${maxBytes} bytes such a file can be`);
    }
    return file.read(0, file.size);
  });
}
