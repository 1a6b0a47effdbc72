/** Counting what a reader reads: the bytes it asks `fs.readSync` for while `run` runs. */
import * as fs from 'fs';

/** The total length of every `fs.readSync` call made during `run` (which may throw; the count stands). */
export function bytesReadDuring(run: () => unknown): number {
  // The module object itself, not this file's import of it, so the readers' calls go through the spy.
  const spy = jest.spyOn(jest.requireActual<typeof fs>('fs'), 'readSync');
  try {
    run();
  } catch {
    // the caller checks the error separately; here only the reads count
  }
  // readSync(fd, buffer, offset, length, position): the fourth argument is the length asked for.
  const total = spy.mock.calls.reduce((sum, call) => sum + ((call as unknown[])[3] as number), 0);
  spy.mockRestore();
  return total;
}
