/** Crash-safe file writes: bytes go to a temporary file next to the target, then one rename. */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as nodePath from 'path';
import { KeratorchError } from '../backend';

/**
 * Writes `chunks` to `path` through a temporary file in the same folder, flushed to disk and renamed
 * over `path`: readers see the old file or the whole new one, never a partial one. Failures become a
 * KeratorchError naming `fn` and the path, and leave no temporary file behind.
 */
export function writeFileAtomic(fn: string, path: string, chunks: readonly Uint8Array[]): void {
  const temp = nodePath.join(nodePath.dirname(path),
    `.${nodePath.basename(path).slice(0, 200)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx');
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.byteLength) written += fs.writeSync(fd, chunk, written, chunk.byteLength - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing; the first error is the one to report */ }
    }
    try { fs.unlinkSync(temp); } catch { /* never created, or already renamed */ }
    const wrapped = new KeratorchError(`${fn}: cannot write ${JSON.stringify(path)}: ${(error as Error).message}`,
      'ERR_ARGUMENT', fn);
    (wrapped as { cause?: unknown }).cause = error;
    throw wrapped;
  }
}
