/**
 * Crash-safe writes: a file, or a whole folder, is written beside its target under a temporary name,
 * flushed to disk, then put in place by rename. Readers see the old version or the whole new one.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as nodePath from 'path';
import { KeratorchError } from '../backend';

/** One file of a folder written by {@link writeFolderAtomic}. */
export interface FolderFile {
  /** The file's name inside the folder (no slashes). */
  name: string;
  chunks: readonly Uint8Array[];
}

function wrap(message: string, fn: string, cause: unknown): KeratorchError {
  const error = new KeratorchError(message, 'ERR_ARGUMENT', fn);
  (error as { cause?: unknown }).cause = cause;
  return error;
}

/** A name beside `path` that no other writer uses: `.name.pid.random.suffix`. */
function tempNameBeside(path: string, suffix: string): string {
  return nodePath.join(nodePath.dirname(path),
    `.${nodePath.basename(path).slice(0, 200)}.${process.pid}.${randomBytes(6).toString('hex')}.${suffix}`);
}

function writeChunks(fd: number, chunks: readonly Uint8Array[]): void {
  for (const chunk of chunks) {
    let written = 0;
    while (written < chunk.byteLength) written += fs.writeSync(fd, chunk, written, chunk.byteLength - written);
  }
}

/** Flushes a folder's entries (new names, renames) to disk. */
function fsyncFolder(path: string): void {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync there
  const fd = fs.openSync(path, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems cannot flush a folder; the files in it were flushed already.
    const code = (error as { code?: string }).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The folder `path` is to be written in, checked to exist: a writer creates the file or folder it is
 * given, never the folders above it. Throws a KeratorchError naming `fn` and the path otherwise.
 */
export function checkParentFolder(fn: string, path: string): string {
  const parent = nodePath.dirname(nodePath.resolve(path));
  let stats: fs.Stats;
  try {
    stats = fs.statSync(parent);
  } catch (error) {
    const why = (error as { code?: string }).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw wrap(`${fn}: cannot write ${JSON.stringify(path)}: its folder ${JSON.stringify(parent)} ${why}`, fn, error);
  }
  if (!stats.isDirectory()) {
    throw new KeratorchError(`${fn}: cannot write ${JSON.stringify(path)}: ${JSON.stringify(parent)} is not a folder`,
      'ERR_ARGUMENT', fn);
  }
  return parent;
}

/**
 * Writes `chunks` to `path` through a temporary file in the same folder, flushed to disk and renamed
 * over `path`: readers see the old file or the whole new one, never a partial one. Failures become a
 * KeratorchError naming `fn` and the path, and leave no temporary file behind.
 */
export function writeFileAtomic(fn: string, path: string, chunks: readonly Uint8Array[]): void {
  const parent = checkParentFolder(fn, path);
  let existing: fs.Stats | undefined;
  try { existing = fs.statSync(path); } catch { /* absent (or unreadable: the write below says why) */ }
  if (existing?.isDirectory()) {
    throw new KeratorchError(`${fn}: cannot write ${JSON.stringify(path)}: it is a folder, not a file; nothing was written`,
      'ERR_ARGUMENT', fn);
  }
  const temp = tempNameBeside(path, 'tmp');
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx');
    writeChunks(fd, chunks);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
    fsyncFolder(parent);
  } catch (error) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing; the first error is the one to report */ }
    }
    try { fs.unlinkSync(temp); } catch { /* never created, or already renamed */ }
    throw wrap(`${fn}: cannot write ${JSON.stringify(path)}: ${(error as Error).message}`, fn, error);
  }
}

/** What a non-folder entry is, for messages: `a file`, `a FIFO`, ... */
function entryKind(stats: fs.Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a folder';
}

/** Where the folder to write stands now: absent, or a folder whose `files` are regular files. */
function existingFolder(fn: string, dir: string, files: readonly FolderFile[]): { target: string; mode?: number } {
  const refuse = (why: string): never => {
    throw new KeratorchError(`${fn}: cannot save into ${JSON.stringify(dir)}: ${why}; nothing was written`, 'ERR_ARGUMENT', fn);
  };
  let target = nodePath.resolve(dir);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(target);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') return refuse((error as Error).message);
    // A link to nothing: the rename would fail on it, with a raw ENOTDIR, after all the writing.
    let link: string | undefined;
    try { link = fs.readlinkSync(target); } catch { /* nothing there at all */ }
    if (link !== undefined) refuse(`it is a symbolic link to ${JSON.stringify(link)}, which does not exist`);
    return { target };
  }
  if (!stats.isDirectory()) {
    const link = fs.lstatSync(target).isSymbolicLink() ? `a symbolic link to ${JSON.stringify(fs.realpathSync(target))}, ` : '';
    refuse(`it is ${link}${entryKind(stats)}, not a folder`);
  }
  // A link to a folder stays a link: the folder it points to is the one replaced.
  target = fs.realpathSync(target);
  const cwd = process.cwd();
  if (cwd === target || cwd.startsWith(target + nodePath.sep)) {
    refuse('it is or holds the current folder, which cannot be replaced; save into a folder of its own');
  }
  for (const file of files) {
    const path = nodePath.join(target, file.name);
    let entry: fs.Stats | undefined;
    try {
      entry = fs.lstatSync(path);
    } catch {
      continue; // absent: it will be created
    }
    if (!entry.isFile()) refuse(`${JSON.stringify(path)} is ${entry.isDirectory() ? 'a folder' : 'not a regular file'}, not a file it can replace`);
  }
  return { target, mode: stats.mode & 0o7777 };
}

/**
 * Writes `files` as the folder `dir`, all or nothing: they go into a temporary folder beside it,
 * flushed to disk, which then takes the place of `dir` by rename (an existing `dir` is renamed aside
 * first, and removed once the new one is in place; entries of it other than `files` move into the new
 * folder, so they are kept). The folder above `dir` must exist. Any failure puts the old folder back,
 * removes the temporary one and throws a KeratorchError naming `fn`, `dir`, the step and the cause.
 */
export function writeFolderAtomic(fn: string, dir: string, files: readonly FolderFile[]): void {
  checkParentFolder(fn, dir);
  const { target, mode } = existingFolder(fn, dir, files);
  const parent = nodePath.dirname(target);
  const temp = tempNameBeside(target, 'tmp');
  const aside = tempNameBeside(target, 'old');
  let step = `creating the temporary folder ${JSON.stringify(temp)}`;
  let fd: number | undefined;
  let movedAside = false;
  const movedEntries: string[] = [];
  try {
    fs.mkdirSync(temp, mode);
    for (const file of files) {
      step = `writing ${file.name}`;
      fd = fs.openSync(nodePath.join(temp, file.name), 'wx');
      writeChunks(fd, file.chunks);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
    }
    step = 'flushing the new folder';
    fsyncFolder(temp);
    if (mode !== undefined) {
      step = `moving the old folder aside to ${JSON.stringify(aside)}`;
      fs.renameSync(target, aside);
      movedAside = true;
      const written = new Set(files.map((f) => f.name));
      for (const entry of fs.readdirSync(aside)) {
        if (written.has(entry)) continue;
        step = `keeping ${JSON.stringify(entry)} of the old folder`;
        fs.renameSync(nodePath.join(aside, entry), nodePath.join(temp, entry));
        movedEntries.push(entry);
      }
    }
    step = 'renaming the new folder into place';
    fs.renameSync(temp, target);
    step = `flushing ${JSON.stringify(parent)}`;
    fsyncFolder(parent);
  } catch (error) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing; the first error is the one to report */ }
    }
    let restored = '';
    try {
      for (const entry of movedEntries) fs.renameSync(nodePath.join(temp, entry), nodePath.join(aside, entry));
      if (movedAside) fs.renameSync(aside, target);
    } catch (restoreError) {
      restored = `; the old folder could not be put back (${(restoreError as Error).message}) and is at ${JSON.stringify(aside)}`;
    }
    try { fs.rmSync(temp, { recursive: true, force: true }); } catch { /* nothing more can be done */ }
    throw wrap(`${fn}: cannot save into ${JSON.stringify(dir)}: ${step} failed: ${(error as Error).message}` +
      (restored || (movedAside ? '; the old folder was put back' : '')), fn, error);
  }
  if (movedAside) {
    try {
      fs.rmSync(aside, { recursive: true, force: true });
    } catch (error) {
      throw wrap(`${fn}: saved into ${JSON.stringify(dir)}, but the old folder moved aside to ${JSON.stringify(aside)} ` +
        `could not be removed: ${(error as Error).message}`, fn, error);
    }
  }
}
