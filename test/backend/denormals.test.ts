/**
 * Flush-to-zero / denormals-are-zero: on by default for native work (sync calls, async tasks and
 * libtorch's intra-op threads), off on request, and never leaking into JavaScript's own arithmetic.
 * Also checks that the addon's own parallel loops really run on the intra-op threads.
 */
import {
  Dense, getFlushDenormal, getNumThreads, K, parallelTeamSize, Sequential, setFlushDenormal, setNumThreads, Tensor, tensor,
} from '../../src';
import { expectError } from '../helpers/errors';

// 1e-30 * 1e-10 = 1e-40: a float32 subnormal (the smallest normal float32 is 1.18e-38).
const SUBNORMAL = 1e-40;
const threads = getNumThreads();
afterEach(() => {
  setFlushDenormal(true);
  setNumThreads(threads);
});

function product(a: number, b: number, size = 1): Float32Array {
  const x = tensor(new Float32Array(size).fill(a), [size]);
  const y = K.multiply(x, b);
  const values = y.data() as Float32Array;
  [x, y].forEach((t) => t.dispose());
  return values;
}

test('on by default: a subnormal result, or a subnormal input, is zero', () => {
  expect(getFlushDenormal()).toBe(true);
  expect(product(1e-30, 1e-10)[0]).toBe(0);
  // Stored subnormals are kept (no arithmetic on the way in or out); arithmetic reads them as zero.
  const x = tensor([SUBNORMAL]);
  expect((x.data() as Float32Array)[0]).toBeCloseTo(SUBNORMAL, 43);
  const doubled = K.multiply(x, 1e30);
  expect((doubled.data() as Float32Array)[0]).toBe(0);
  [x, doubled].forEach((t) => t.dispose());
});

test('setFlushDenormal(false) keeps IEEE subnormals, and says the CPU has the switch', () => {
  expect(setFlushDenormal(false)).toBe(true);
  expect(getFlushDenormal()).toBe(false);
  expect(product(1e-30, 1e-10)[0]).toBeCloseTo(SUBNORMAL, 43);
  const x = tensor([SUBNORMAL]);
  const doubled = K.multiply(x, 1e30);
  expect((doubled.data() as Float32Array)[0]).toBeCloseTo(1e-10, 14);
  [x, doubled].forEach((t) => t.dispose());
});

test('the intra-op threads follow the mode, both ways', () => {
  setNumThreads(2);
  // Large enough that libtorch splits the multiply across its threads.
  const size = 1 << 20;
  expect(product(1e-30, 1e-10, size).every((v) => v === 0)).toBe(true);
  setFlushDenormal(false);
  expect(product(1e-30, 1e-10, size).every((v) => v > 0)).toBe(true);
  setFlushDenormal(true);
  expect(product(1e-30, 1e-10, size).every((v) => v === 0)).toBe(true);
});

test('async tasks run in the mode set when they were made', async () => {
  const model = new Sequential([new Dense({ units: 1, useBias: false, inputShape: [1] })]);
  model.setWeights([tensor([[1e-10]])]);
  const input = tensor([[1e-30]]);
  const flushed = (await model.predictAsync(input)) as Tensor;
  expect((flushed.data() as Float32Array)[0]).toBe(0);
  setFlushDenormal(false);
  const kept = (await model.predictAsync(input)) as Tensor;
  expect((kept.data() as Float32Array)[0]).toBeCloseTo(SUBNORMAL, 43);
  [flushed, kept, input].forEach((t) => t.dispose());
  model.dispose();
});

test("JavaScript's own arithmetic keeps subnormal doubles after native calls", () => {
  const values = [Number.MIN_VALUE, 1e-310];
  product(1e-30, 1e-10);
  // Read from an array so that V8 computes these at run time, on this thread.
  expect(values[0] * 1).toBe(Number.MIN_VALUE);
  expect(values[1] + 0).toBeGreaterThan(0);
  expect(values[1] * 2).toBe(2e-310);
});

test('refuses a non-boolean mode', () => {
  expectError(() => setFlushDenormal(1 as never), 'ERR_ARGUMENT', 'setFlushDenormal: expected true or false for on but received 1');
  expect(getFlushDenormal()).toBe(true);
});

test("the addon's parallel loops run on every intra-op thread", () => {
  for (const count of [1, 2]) {
    setNumThreads(count);
    expect(parallelTeamSize()).toBe(count);
  }
});
