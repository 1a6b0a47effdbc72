/**
 * Expecting a KeratorchError without loading the native addon (for tests of pure-TypeScript
 * modules); test/helpers/memory.ts has the variant that also checks for leaked tensors.
 */
import { KeratorchError } from '../../src/backend/errors';
import type { ErrorCode } from '../../src/backend/errors';

/** Runs `fn`, expects a KeratorchError with `code` whose message matches every fragment; returns it. */
export function expectError(fn: () => unknown, code: ErrorCode, ...fragments: (string | RegExp)[]): KeratorchError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeratorchError);
  const error = caught as KeratorchError;
  expect(error.code).toBe(code);
  for (const f of fragments) expect(error.message).toMatch(f);
  return error;
}
