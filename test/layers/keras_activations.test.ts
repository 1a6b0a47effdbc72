/**
 * Keras 3's activations against real Keras 3.15.1 (TensorFlow 2.21 backend): forward values and the
 * gradients of sum(f(x) * w) for every case of test/golden/keras_golden.json (made by
 * test/golden/make_keras_golden.py), through the K function and through the name; the names where
 * layers take them (Activation, Dense) and in saved configs. The few elements where keratorch and
 * TensorFlow differ on purpose (gradients at NaN, at ±inf and at exact kinks) are listed in KNOWN,
 * each with its reason, and every entry must still apply to some element.
 */
import { Activation, activationNames, Dense, getActivation, K, serializeActivation, tensor, Tensor } from '../../src';
import { expectError } from '../helpers/errors';
import { expectNoLeak } from '../helpers/memory';
import { ActivationCase, flatValues, goldenTensor, readKerasGolden } from '../helpers/keras_golden';

const golden = readKerasGolden();
const RTOL = 1e-5;
const ATOL = 1e-6;

type Part = 'forward' | 'grad';

/** Elements compared otherwise (skipped, or with a wider atol), with the reason. */
interface KnownDifference {
  cases: RegExp;
  part: Part;
  /** x: the input element; row: its slice along the last axis. */
  at: (x: number, row: readonly number[]) => boolean;
  /** Compare within this atol instead of skipping. */
  atol?: number;
  why: string;
}

const isNaN = (x: number) => Number.isNaN(x);
const isInfinite = (x: number) => x === Infinity || x === -Infinity;

const KNOWN: KnownDifference[] = [
  { cases: /^relu special$/, part: 'grad', at: isNaN,
    why: "TF's ReluGrad gives 0 at NaN (NaN > 0 is false); libtorch's passes the gradient on" },
  { cases: /^(elu|selu|celu) (special|float64|alpha=)/, part: 'grad', at: isNaN,
    why: "TF's EluGrad / SeluGrad and celu's maximum/minimum give a number at NaN; libtorch's ELU backward gives NaN" },
  { cases: /^selu (special|float64)$/, part: 'grad', at: (x) => x === 0 || Math.abs(x) < 1e-20,
    why: 'at 0 (and where exp(x) - 1 rounds to 0) TF takes the right derivative (scale), libtorch the left (scale * alpha)' },
  { cases: /^celu (special|float64|alpha=)/, part: 'grad', at: (x) => x === 0,
    why: "at 0 TF's maximum(x, 0) and minimum(x, 0) both pass the tie's gradient (2 in all); keratorch's is 1, the derivative" },
  { cases: /^hard_silu (special|float64)$/, part: 'grad', at: isInfinite,
    why: "TF multiplies inf by relu6's zero gradient (NaN); libtorch's hardtanh backward masks it (a number)" },
  { cases: /^softsign special$/, part: 'grad', at: isInfinite,
    why: "TF's SoftsignGrad is 1 / (1 + |x|)^2 = 0 at ±inf; keratorch differentiates x / (1 + |x|), inf / inf there" },
  { cases: /^gelu approximate/, part: 'grad', at: (x) => x < -4, atol: 1e-5,
    why: '1 + tanh(u) cancels in float32 below -4: TF and libtorch are both about 1% off the float64 gradient there' },
  { cases: /^softmax rows$/, part: 'forward', at: (_, row) => row.some((v) => isNaN(v) || v === Infinity),
    why: "a row with NaN or +inf: TF's CPU kernel gives NaN there and 0 elsewhere, keratorch NaN for the whole row" },
];

function knownFor(c: ActivationCase, part: Part, x: number, row: readonly number[]): KnownDifference | undefined {
  return KNOWN.find((k) => k.part === part && k.cases.test(c.name) && k.at(x, row));
}

function compare(c: ActivationCase, part: Part, got: number[], want: number[]): void {
  const xs = flatValues(c.input.values);
  const sameShape = got.length === xs.length;
  const width = c.input.shape[c.input.shape.length - 1];
  expect(got).toHaveLength(want.length);
  for (let i = 0; i < got.length; i++) {
    let atol = ATOL;
    if (sameShape) {
      const start = Math.floor(i / width) * width;
      const known = knownFor(c, part, xs[i], xs.slice(start, start + width));
      if (known) {
        if (known.atol === undefined) continue;
        atol = known.atol;
      }
    }
    const [a, b] = [got[i], want[i]];
    const ok = (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= atol + RTOL * Math.abs(b);
    if (!ok) throw new Error(`${c.name}, ${part} element ${i} (x = ${sameShape ? xs[i] : '?'}): got ${a}, Keras ${b}`);
  }
}

const functions = K as unknown as Record<string, (...args: unknown[]) => Tensor>;

/** The activation under test: the K function with the case's arguments, or the named one. */
function activationOf(c: ActivationCase, byName: boolean): (x: Tensor) => Tensor {
  if (byName) return getActivation(c.activation as string);
  if (c.fn === null) return (x) => x;
  const fn = functions[c.fn];
  return (x) => fn(x, ...c.args);
}

function runCase(c: ActivationCase, byName: boolean): void {
  K.tidy(() => {
    const x = K.variable(goldenTensor(c.input));
    const y = activationOf(c, byName)(x);
    expect(y.shape).toEqual(c.expected.shape);
    expect(y.dtype).toBe(c.expected.dtype);
    compare(c, 'forward', Array.from(y.data() as Float32Array), flatValues(c.expected.values));
    const w = tensor(flatValues(c.w), c.expected.shape, y.dtype);
    // linear returns x itself: the product with w still depends on x.
    const [grad] = K.gradients(K.sum(K.multiply(y, w)), [x]);
    expect(grad.dtype).toBe(c.input.dtype);
    compare(c, 'grad', Array.from(grad.data() as Float32Array), flatValues(c.grad));
  });
}

describe('Keras 3 activations against Keras 3.15.1', () => {
  test('the golden file comes from Keras 3.15.1 on TensorFlow 2.21 and has every activation', () => {
    expect(golden.keras).toBe('3.15.1');
    expect(golden.tensorflow).toMatch(/^2\.21\./);
    const names = new Set(golden.activations.map((c) => c.activation));
    for (const name of ['relu', 'leaky_relu', 'relu6', 'softmax', 'log_softmax', 'sparsemax', 'sigmoid', 'log_sigmoid',
      'sparse_sigmoid', 'hard_sigmoid', 'tanh', 'tanh_shrink', 'hard_tanh', 'linear', 'elu', 'selu', 'celu', 'gelu',
      'glu', 'silu', 'swish', 'hard_silu', 'hard_swish', 'mish', 'softplus', 'softsign', 'squareplus', 'sparse_plus',
      'soft_shrink', 'hard_shrink', 'exponential']) {
      expect(names).toContain(name);
    }
  });

  test.each(golden.activations.map((c) => [c.name, c] as const))('%s: K function', (_, c) => runCase(c, false));

  const named = golden.activations.filter((c) => c.activation !== null);
  test.each(named.map((c) => [c.name, c] as const))('%s: by name', (_, c) => runCase(c, true));

  test('every known difference still applies to some element', () => {
    const applies = (k: KnownDifference) => golden.activations.some((c) => {
      if (!k.cases.test(c.name)) return false;
      const xs = flatValues(c.input.values);
      const width = c.input.shape[c.input.shape.length - 1];
      return xs.some((x, i) => k.at(x, xs.slice(i - (i % width), i - (i % width) + width)));
    });
    expect(KNOWN.filter((k) => !applies(k)).map((k) => k.why)).toEqual([]);
  });

  test("sparsemax: Keras 3.15.1's own output differs exactly where its threshold is wrong (two or more in the support)", () => {
    const c = golden.activations.find((a) => a.name === 'sparsemax rows') as ActivationCase;
    const agrees = flatValues(c.keras3151Agrees as never).map(Boolean);
    expect(agrees).toContain(true);
    expect(agrees).toContain(false);
    K.tidy(() => {
      const y = K.sparsemax(goldenTensor(c.input));
      const sums = K.sum(y, -1).array() as number[];
      sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
      const ours = y.array() as number[][];
      const theirs = (c.keras3151 as number[][]);
      ours.forEach((row, i) => {
        const support = row.filter((v) => v > 0).length;
        expect(agrees[i]).toBe(support === 1);
        if (agrees[i]) row.forEach((v, j) => expect(v).toBeCloseTo(theirs[i][j], 5));
      });
    });
  });
});

describe('activation names', () => {
  test('every Keras 3 name resolves in snake_case and camelCase; swish and hard_swish are silu and hard_silu', () => {
    expect(getActivation('swish')).toBe(getActivation('silu'));
    expect(getActivation('hard_swish')).toBe(getActivation('hardSilu'));
    expect(getActivation('log_softmax')).toBe(getActivation('logSoftmax'));
    expect(getActivation('tanh_shrink')).toBe(getActivation('tanhShrink'));
    expect(activationNames).toEqual(expect.arrayContaining(['relu6', 'gelu', 'silu', 'swish', 'mish', 'logSoftmax',
      'hardSilu', 'hardSwish', 'tanhShrink', 'celu', 'glu', 'hardTanh', 'leakyRelu', 'logSigmoid', 'selu', 'sparsePlus',
      'softShrink', 'hardShrink', 'squareplus', 'sparsemax', 'sparseSigmoid']));
  });

  test('a saved config names an alias by its Keras name (silu, hardSilu)', () => {
    expect(serializeActivation(getActivation('swish'))).toBe('silu');
    expect(serializeActivation(getActivation('hard_swish'))).toBe('hardSilu');
    expect(serializeActivation(getActivation('gelu'))).toBe('gelu');
  });

  test('threshold has no name (Keras requires its two arguments): K.threshold takes them', () => {
    expectError(() => getActivation('threshold', 'Dense', 'activation'), 'ERR_ARGUMENT', 'Dense', "'gelu'", 'received "threshold"');
    K.tidy(() => expect(K.threshold(tensor([0.25, 1, 2]), 0.5, -1).array()).toEqual([-1, 1, 2]));
  });

  test("Activation({activation: 'gelu'}) is the exact gelu and keeps its name in the config", () => {
    const layer = new Activation({ activation: 'gelu' });
    expect(layer.getConfig().activation).toBe('gelu');
    K.tidy(() => {
      const x = tensor([[-4.25, -1, 0, 0.5, 3]]);
      const y = layer.apply(x) as Tensor;
      const exact = [-4.25, -1, 0, 0.5, 3].map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
      (y.array() as number[][])[0].forEach((v, i) => expect(v).toBeCloseTo(exact[i], 5));
      expect(K.eval(y)).not.toEqual(K.eval(K.gelu(x)));  // K.gelu defaults to the tanh form, as keras.ops.gelu
    });
  });

  test.each(['relu6', 'gelu', 'silu', 'swish', 'mish', 'log_softmax', 'hard_silu', 'hard_swish', 'tanh_shrink', 'celu',
    'hard_tanh', 'log_sigmoid', 'selu', 'sparse_plus', 'soft_shrink', 'hard_shrink', 'squareplus', 'sparsemax',
    'sparse_sigmoid'])("Dense({activation: '%s'}) applies it to x·W + b", (name) => {
    const dense = new Dense({ units: 4, activation: name });
    K.tidy(() => {
      const x = tensor([[0.5, -1.5, 2], [3, 0.25, -0.75]]);
      const y = dense.apply(x) as Tensor;
      const [kernel, bias] = dense.weights;
      const expected = getActivation(name)(K.biasAdd(K.dot(x, kernel), bias));
      expect(K.eval(y)).toEqual(K.eval(expected));
    });
    expect(dense.getConfig().activation).toBe(serializeActivation(getActivation(name)));
  });

  test('hard_sigmoid is Keras 3\'s relu6(x + 3) / 6, not Keras 2\'s clip(0.2 x + 0.5, 0, 1)', () => {
    K.tidy(() => {
      const y = getActivation('hard_sigmoid')(tensor([-3, -1.5, 0, 1, 2.5, 3]));
      const expected = [0, 0.25, 0.5, 4 / 6, 5.5 / 6, 1];
      (y.array() as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    });
  });
});

describe('intermediates', () => {
  test('every activation leaves only its result: composed ones free what they made on the way', () => {
    const x = tensor([[-4, -1, -0.25, 0, 0.5, 3]]);
    for (const name of activationNames) {
      expectNoLeak(() => {
        const y = getActivation(name)(x);
        if (y !== x) y.dispose();  // linear returns x itself
      });
    }
    expectNoLeak(() => K.threshold(x, 0.5, -1).dispose());
    x.dispose();
  });
});

describe('activation arguments', () => {
  test('float-only activations refuse integer tensors', () => {
    K.tidy(() => {
      const ints = tensor([1, 2], undefined, 'int32');
      for (const fn of ['gelu', 'silu', 'mish', 'selu', 'logSigmoid', 'celu', 'squareplus', 'sparsemax'] as const) {
        expectError(() => functions[fn](ints), 'ERR_DTYPE', fn, 'a float tensor', 'int32');
      }
    });
  });

  test('relu6 and hardTanh keep an integer dtype', () => {
    K.tidy(() => {
      const y = K.relu6(tensor([-2, 3, 9], undefined, 'int32'));
      expect(y.dtype).toBe('int32');
      expect(y.array()).toEqual([0, 3, 6]);
      expect(K.hardTanh(tensor([-2, 0, 9], undefined, 'int32')).array()).toEqual([-1, 0, 1]);
    });
  });

  test('bad arguments name the function and what they received', () => {
    K.tidy(() => {
      const x = tensor([[1, 2, 3]]);
      expectError(() => K.glu(x), 'ERR_SHAPE', 'glu', 'an even size along axis -1', 'float32[1,3]');
      expectError(() => K.glu(x, 2), 'ERR_VALUE', 'glu');
      expectError(() => K.gelu(x, 'yes' as unknown as boolean), 'ERR_ARGUMENT', 'gelu', 'approximate', 'yes');
      expectError(() => K.celu(x, 0), 'ERR_VALUE', 'celu', 'alpha', 'a non-zero number');
      expectError(() => K.softShrink(x, Number.NaN), 'ERR_VALUE', 'softShrink', 'threshold', 'NaN');
      expectError(() => K.threshold(x, 0.5, undefined as unknown as number), 'ERR_ARGUMENT', 'threshold', 'defaultValue');
      expectError(() => K.sparsemax(x, 2), 'ERR_VALUE', 'sparsemax', 'an axis in [-2, 1]');
      expectError(() => K.relu6('x' as unknown as Tensor), 'ERR_ARGUMENT', 'relu6', 'a Tensor');
    });
  });
});

// Abramowitz and Stegun 7.1.26 is too coarse for 1e-6: erf by its series, ample for |x| < 4.
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= -x * x / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
