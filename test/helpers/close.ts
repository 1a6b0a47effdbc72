/** Shared assertions for backend tests. */
import { Tensor } from '../../src';

type Nested = number | boolean | Nested[];

function flat(value: Nested): number[] {
  if (Array.isArray(value)) return value.flatMap(flat);
  return [Number(value)];
}

function shapeOf(value: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

/** Expects `actual` to equal `expected` in shape and, elementwise, within rtol/atol (numpy's allclose). */
export function expectClose(actual: Tensor | Nested, expected: Nested, rtol = 1e-5, atol = 1e-6): void {
  const got = actual instanceof Tensor ? (actual.array() as Nested) : actual;
  const gotShape = actual instanceof Tensor ? actual.shape : shapeOf(got);
  expect(gotShape).toEqual(shapeOf(expected));
  const a = flat(got);
  const b = flat(expected);
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = (Number.isNaN(a[i]) && Number.isNaN(b[i])) || a[i] === b[i] ||
      Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]);
    if (!ok) {
      throw new Error(`element ${i}: got ${a[i]}, expected ${b[i]} (rtol ${rtol}, atol ${atol})\n` +
        `got:      ${JSON.stringify(got).slice(0, 400)}\nexpected: ${JSON.stringify(expected).slice(0, 400)}`);
    }
  }
}

/**
 * Expects the same shape and max |actual - expected| <= rel * max |expected|: error relative to the
 * tensor's scale, for float32 results whose summation order differs (a large map value's rounding
 * shows up as a large relative error in an element that cancels to near zero).
 */
export function expectScaledClose(actual: Tensor | Nested, expected: Tensor | Nested, rel: number, what = ''): void {
  const got = actual instanceof Tensor ? (actual.array() as Nested) : actual;
  const want = expected instanceof Tensor ? (expected.array() as Nested) : expected;
  expect(shapeOf(got)).toEqual(shapeOf(want));
  const a = flat(got);
  const b = flat(want);
  const scale = b.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const error = Math.abs(a[i] - b[i]);
    if (!(error <= worst)) {
      worst = error;
      at = i;
    }
  }
  if (!(worst <= rel * scale)) {
    throw new Error(`${what ? `${what}: ` : ''}element ${at}: got ${a[at]}, expected ${b[at]}; max error ${worst} > ` +
      `${rel} x scale ${scale}`);
  }
}
