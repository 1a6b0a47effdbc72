/**
 * Value rules that follow Keras 3.15.1 (TensorFlow 2.21 backend), against the `values` cases of
 * test/golden/keras_golden.json (made by test/golden/make_keras_golden.py): sign of NaN, argmax and
 * argmin of rows with NaN, clip of integers, oneHot out of range, arange's inferred dtype,
 * l2Normalize over several axes, and the mean of integers (keras.ops.mean's float result). Then
 * what those rules refuse, and their gradients.
 */
import { arange, K, tensor, Tensor } from '../../src';
import { expectError } from '../helpers/errors';
import { expectNoLeak } from '../helpers/memory';
import { flatValues, GoldenTensor, goldenTensor, readKerasGolden, ValueCase } from '../helpers/keras_golden';

const golden = readKerasGolden();
const functions = K as unknown as Record<string, (...args: unknown[]) => Tensor>;

function isTensorSpec(arg: unknown): arg is GoldenTensor & { kind: 'tensor' } {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'tensor';
}

function runCase(c: ValueCase): void {
  K.tidy(() => {
    const out = functions[c.fn](...c.args.map((a) => (isTensorSpec(a) ? goldenTensor(a) : a)));
    expect(out.shape).toEqual(c.expected.shape);
    expect(out.dtype).toBe(c.expected.dtype);
    const got = Array.from(out.data() as ArrayLike<number | bigint>, Number);
    const want = flatValues(c.expected.values);
    expect(got).toHaveLength(want.length);
    got.forEach((v, i) => {
      const ok = (Number.isNaN(v) && Number.isNaN(want[i])) || v === want[i] || Math.abs(v - want[i]) <= 1e-6 + 1e-5 * Math.abs(want[i]);
      if (!ok) throw new Error(`${c.name} (${c.keras}) element ${i}: got ${v}, Keras ${want[i]}`);
    });
  });
}

describe('value rules against Keras 3.15.1', () => {
  test('the golden file has each rule', () => {
    const fns = new Set(golden.values.map((c) => c.fn));
    for (const fn of ['sign', 'argmax', 'argmin', 'clip', 'oneHot', 'arange', 'l2Normalize', 'mean']) expect(fns).toContain(fn);
  });

  test.each(golden.values.map((c) => [c.name, c] as const))('%s', (_, c) => runCase(c));
});

describe('sign', () => {
  test('NaN stays NaN and the gradient is 0 everywhere, NaN included', () => {
    K.tidy(() => {
      const x = K.variable([Number.NaN, -2, 0, 3]);
      expect(K.sign(x).array()).toEqual([Number.NaN, -1, 0, 1]);
      const [g] = K.gradients(K.sum(K.sign(x)), [x]);
      expect(g.array()).toEqual([0, 0, 0, 0]);
    });
  });
});

describe('argmax and argmin', () => {
  test('skip NaN with keepdims too', () => {
    K.tidy(() => {
      const x = tensor([[Number.NaN, 2, 5], [4, Number.NaN, 1]]);
      expect(K.argmax(x, -1, true).array()).toEqual([[2], [0]]);
      expect(K.argmin(x, -1, true).array()).toEqual([[1], [2]]);
      expect(x.argmax(1).array()).toEqual([2, 0]);
    });
  });
});

describe('clip', () => {
  test('an integer tensor keeps its dtype; its bounds must be integers it holds (Keras refuses others too)', () => {
    K.tidy(() => {
      const x = tensor([1, 5, 9], undefined, 'int32');
      expect(K.clip(x, null, 4).dtype).toBe('int32');
      expect(K.clip(x, null, 4).array()).toEqual([1, 4, 4]);
      expect(K.clip(tensor([1, 250], undefined, 'uint8'), 3, null).array()).toEqual([3, 250]);
      expectError(() => K.clip(x, 2.5, 7), 'ERR_VALUE', 'clip', 'minValue', 'an integer in [-2147483648, 2147483648)', '2.5');
      expectError(() => K.clip(x, 0, 2 ** 31), 'ERR_VALUE', 'clip', 'maxValue', '2147483648');
      expectError(() => K.clip(tensor([1], undefined, 'uint8'), -1, 3), 'ERR_VALUE', 'clip', 'minValue', 'uint8', '-1');
    });
  });

  test('a float tensor takes fractional bounds, with gradient 1 inside and at the bounds', () => {
    K.tidy(() => {
      const x = K.variable([-1, 0.25, 0.5, 2]);
      expect(K.clip(x, 0.25, 1.5).array()).toEqual([0.25, 0.25, 0.5, 1.5]);
      const [g] = K.gradients(K.sum(K.clip(x, 0.25, 1.5)), [x]);
      expect(g.array()).toEqual([0, 1, 1, 0]);
    });
  });
});

describe('oneHot', () => {
  test('out-of-range and negative indices give zero rows; in-range ones and empty indices as before', () => {
    K.tidy(() => {
      expect(K.oneHot(tensor([[3, -1], [0, 9]], undefined, 'int32'), 3).array())
        .toEqual([[[0, 0, 0], [0, 0, 0]], [[1, 0, 0], [0, 0, 0]]]);
      expect(K.oneHot(tensor([1, 2], undefined, 'int64'), 3).array()).toEqual([[0, 1, 0], [0, 0, 1]]);
      expect(K.oneHot(K.zeros([0], 'int32'), 3).shape).toEqual([0, 3]);
    });
  });

  test('the masked path (indices out of range) frees its intermediates', () => {
    const ids = tensor([2, -1, 7], undefined, 'int32');
    expectNoLeak(() => K.oneHot(ids, 3).dispose());
    ids.dispose();
  });

  test('still refuses float indices and bad class counts', () => {
    K.tidy(() => {
      expectError(() => K.oneHot(tensor([0.5, 1]), 3), 'ERR_DTYPE', 'oneHot', 'an integer tensor', 'float32');
      expectError(() => K.oneHot(tensor([1], undefined, 'int32'), 0), 'ERR_VALUE', 'oneHot', 'numClasses');
      expectError(() => K.oneHot(tensor([-1], undefined, 'int32'), 1e9), 'ERR_VALUE', 'numClasses must be an integer in [1, 16777216]');
    });
  });
});

describe('arange', () => {
  test('infers float32 from fractional arguments and int32 from integers; an explicit dtype wins', () => {
    expect(arange(0.5, 3, 0.5).dtype).toBe('float32');
    expect(arange(0.5, 3, 0.5).array()).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(arange(4).dtype).toBe('int32');
    expect(K.arange(1, 2.5).dtype).toBe('float32');
    expect(arange(0, 2, 1, 'float64').dtype).toBe('float64');
    // An explicit integer dtype still refuses what it would truncate.
    expectError(() => arange(0.5, 3, 0.5, 'int32'), 'ERR_VALUE', 'arange', 'start', '0.5', 'int32');
  });
});

describe('l2Normalize', () => {
  test('over a list of axes; refuses repeated or out-of-range axes', () => {
    K.tidy(() => {
      const x = K.ones([2, 2, 2]);
      expect(K.l2Normalize(x, [1, 2]).array()).toEqual([[[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5], [0.5, 0.5]]]);
      expectError(() => K.l2Normalize(x, [1, 1]), 'ERR_VALUE', 'l2Normalize', 'distinct axes');
      expectError(() => K.l2Normalize(x, [0, 3]), 'ERR_VALUE', 'l2Normalize', 'axis');
    });
  });
});

describe('mean', () => {
  test("of an integer tensor is float32, as keras.ops.mean (Keras 2's backend truncated to int32)", () => {
    K.tidy(() => {
      const m = K.mean(tensor([1, 2], undefined, 'int32'));
      expect(m.dtype).toBe('float32');
      expect(m.item()).toBe(1.5);
      expect(K.mean(tensor([[1, 2], [4, 4]], undefined, 'int64'), 1).array()).toEqual([1.5, 4]);
    });
  });
});
