/** Shared lifetime and error assertions for backend tests. */
import * as v8 from 'v8';
import * as vm from 'vm';
import { KeratorchError, memory } from '../../src';
import type { ErrorCode, MemoryInfo } from '../../src';

let gcFunction: (() => void) | undefined;

/**
 * V8's gc(), whether or not node ran with --expose-gc (jest's workers do not): the flag is turned
 * on at run time and gc is taken from a fresh context, which then has it.
 */
export function exposedGc(): () => void {
  if (gcFunction) return gcFunction;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') {
    gcFunction = existing;
  } else {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  return gcFunction;
}

/**
 * Collects garbage until memory() stops changing, so tensors other tests dropped without
 * dispose() (in this file or an earlier one in the same worker) are freed *before* a measurement
 * instead of during it. Finalizers may run in the GC itself or on a later turn of the event loop;
 * awaiting setImmediate covers both.
 */
export async function settle(): Promise<void> {
  const gc = exposedGc();
  let last = -1;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const now = memory().numTensors;
    if (now === last) return;
    last = now;
  }
}

/**
 * Tensors (and bytes) made since `mark` and still live, or left to the GC, plus those disposed
 * before they were made (negative). Garbage from before the mark (an earlier test's, or one jest
 * still held when the mark was taken) that the GC frees meanwhile moves numTensors and
 * collectedTensors by the same amount, so it cancels out: a collection at any moment cannot move
 * the count, as it could move numTensors alone.
 */
export function tensorsSince(mark: MemoryInfo): { numTensors: number; numBytes: number } {
  const now = memory();
  return {
    numTensors: now.numTensors + now.collectedTensors - (mark.numTensors + mark.collectedTensors),
    numBytes: now.numBytes + now.collectedBytes - (mark.numBytes + mark.collectedBytes),
  };
}

/**
 * Runs `fn` and expects it to leave memory() as it found it: no tensor created and kept, and none
 * left to the GC. Returns what `fn` returned.
 */
export function expectNoLeak<T>(fn: () => T): T {
  const mark = memory();
  const result = fn();
  expect(tensorsSince(mark)).toEqual({ numTensors: 0, numBytes: 0 });
  return result;
}

/** `expectNoLeak` for async work: `fn`'s promise settled, and finalizers given their turn. */
export async function expectNoLeakAsync<T>(fn: () => Promise<T>): Promise<T> {
  const mark = memory();
  const result = await fn();
  await settle();
  expect(tensorsSince(mark)).toEqual({ numTensors: 0, numBytes: 0 });
  return result;
}

/**
 * Expects `fn` to throw a KeratorchError with `code` whose message starts with `op:` and contains
 * every fragment (strings, or regular expressions), and that the failing call itself left no
 * native tensor behind. Inputs must be made by the caller before calling this, so only the failing
 * call is measured. Returns the error.
 */
export function expectKeratorchError(fn: () => unknown, code: ErrorCode, op: string,
  ...fragments: (string | RegExp)[]): KeratorchError {
  const mark = memory();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  const left = tensorsSince(mark);
  if (caught === undefined) throw new Error(`expected ${op} to throw ${code}, but it returned normally`);
  expect(caught).toBeInstanceOf(KeratorchError);
  const error = caught as KeratorchError;
  expect(error).toBeInstanceOf(Error);
  const escaped = op.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.stringMatching(new RegExp(`^${escaped}: `)) });
  expect(error.op).toBe(op);
  for (const fragment of fragments) {
    if (typeof fragment === 'string') expect(error.message).toContain(fragment);
    else expect(error.message).toMatch(fragment);
  }
  // The error path frees whatever the failing call made.
  expect(left).toEqual({ numTensors: 0, numBytes: 0 });
  return error;
}
