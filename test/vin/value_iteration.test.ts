/**
 * The native value-iteration loop (`vin.valueIteration`, the ValueIteration layer's engine), fused
 * and generic, against the same loop written with K ops: forward (q and v) and gradients with
 * respect to the reward map and both kernels, in float32 and float64, for k = 1, 3, 10; finite
 * differences on a tiny float64 case; its argument errors; and no tensor left behind. The fused
 * kernels' own cases (ties, CPU variants, odd sizes) are in fused_value_iteration.test.ts.
 *
 * Ties in the channel max would let the two paths route the gradient differently (the native loop
 * uses at::max, one index per tie), so inputs are continuous random values, where ties do not occur.
 */
import { DType, K, memory, Tensor, tidy, vin } from '../../src';
import { ValueIteration } from '../../src/vin/model/value_iteration';
import { expectClose, expectScaledClose } from '../helpers/close';
import { expectGradientsMatch, weighting } from '../helpers/gradcheck';
import { expectKeratorchError, expectNoLeak, settle } from '../helpers/memory';

beforeEach(settle);

/** The loop as the paper's code writes it, with K ops: q0 = conv(r, wR); k times q = conv([r, v], [wR, wV]). */
function viWithK(r: Tensor, wR: Tensor, wV: Tensor, k: number): { q: Tensor; v: Tensor } {
  const kernel = K.concatenate([wR, wV], 2); // (3, 3, 2, lQ): input channels r then v, as the native loop
  let q = K.conv2d(r, wR, 1, 'same', 'channelsFirst');
  let v = K.max(q, 1, true);
  for (let i = 0; i < k; i++) {
    q = K.conv2d(K.concatenate([r, v], 1), kernel, 1, 'same', 'channelsFirst');
    v = K.max(q, 1, true);
  }
  return { q, v };
}

type Nested = Parameters<typeof expectClose>[1];
type Loop = (r: Tensor, wR: Tensor, wV: Tensor, k: number) => { q: Tensor; v: Tensor };

const LQ = 5;
// Non-square maps, so a row/column mix-up cannot pass.
const R_SHAPE = [2, 1, 6, 7];
const W_SHAPE = [3, 3, 1, LQ];

/** Trainable r, wR, wV of `dtype` (kernel scale keeps k = 10 steps from blowing up or vanishing). */
function inputs(dtype: DType, seed: number): { r: Tensor; wR: Tensor; wV: Tensor } {
  return {
    r: K.variable(K.randomNormal(R_SHAPE, 0, 1, dtype, seed)),
    wR: K.variable(K.randomNormal(W_SHAPE, 0, 0.5, dtype, seed + 1)),
    wV: K.variable(K.randomNormal(W_SHAPE, 0, 0.4, dtype, seed + 2)),
  };
}

/** q, v and the gradients of sum(q * w) for a fixed random w, as nested arrays. */
function run(loop: Loop, r: Tensor, wR: Tensor, wV: Tensor, k: number) {
  return tidy(() => {
    const { q, v } = loop(r, wR, wV, k);
    const w = K.cast(weighting(q.shape, 7), q.dtype);
    const [gR, gWR, gWV] = K.gradients(K.sum(K.multiply(q, w)), [r, wR, wV]);
    return {
      qShape: q.shape, vShape: v.shape, qDType: q.dtype,
      q: q.array(), v: v.array(), gR: gR.array(), gWR: gWR.array(), gWV: gWV.array(),
    };
  });
}

// float32 paths sum in different orders: errors are measured against each tensor's scale.
const CASES: [vin.ValueIterationImplementation, DType, number][] = [
  ['fused', 'float32', 1e-5], ['fused', 'float64', 1e-10], ['generic', 'float32', 1e-5], ['generic', 'float64', 1e-10],
];

describe.each(CASES)('native loop (%s) = K-ops loop (%s, tolerance %s)', (implementation, dtype, rtol) => {
  test.each([1, 3, 10])('k = %i: q, v and gradients w.r.t. r, wR, wV', (k) => {
    const { r, wR, wV } = inputs(dtype, 100 + k);
    const loop: Loop = (...args) => vin.valueIteration(...args, implementation);
    expect(vin.fusedApplies(r, wR, wV)).toBe(true);
    const native = run(loop, r, wR, wV, k);
    const reference = run(viWithK, r, wR, wV, k);
    expect(native.qShape).toEqual([2, LQ, 6, 7]);
    expect(native.vShape).toEqual([2, 1, 6, 7]);
    expect(native.qDType).toBe(dtype);
    if (dtype === 'float64') {
      expectClose(native.q as Nested, reference.q as Nested, rtol, 1e-12);
      expectClose(native.v as Nested, reference.v as Nested, rtol, 1e-12);
      expectClose(native.gR as Nested, reference.gR as Nested, rtol, 1e-12);
      expectClose(native.gWR as Nested, reference.gWR as Nested, rtol, 1e-11);
      expectClose(native.gWV as Nested, reference.gWV as Nested, rtol, 1e-11);
    } else {
      for (const key of ['q', 'v', 'gR', 'gWR', 'gWV'] as const) {
        expectScaledClose(native[key] as Nested, reference[key] as Nested, rtol, key);
      }
    }
    for (const t of [r, wR, wV]) t.dispose();
  });
});

test.each<vin.ValueIterationImplementation>(['fused', 'generic'])('valueIterationQ (%s) gives valueIteration\'s q and gradients exactly, and no value map', (implementation) => {
  const { r, wR, wV } = inputs('float32', 40);
  expectNoLeak(() => tidy(() => {
    for (const k of [1, 4]) {
      const both = vin.valueIteration(r, wR, wV, k, implementation);
      const qOnly = vin.valueIterationQ(r, wR, wV, k, implementation);
      expect(qOnly.array()).toEqual(both.q.array());
      const w = weighting(qOnly.shape, 3);
      const fromBoth = K.gradients(K.sum(K.multiply(both.q, w)), [r, wR, wV]);
      const fromQ = K.gradients(K.sum(K.multiply(qOnly, w)), [r, wR, wV]);
      fromQ.forEach((g, i) => expect(g.array()).toEqual(fromBoth[i].array()));
    }
    // One tensor made, not two.
    const before = memory().numTensors;
    const q = vin.valueIterationQ(r, wR, wV, 2, implementation);
    expect(memory().numTensors).toBe(before + 1);
    q.dispose();
  }));
  for (const t of [r, wR, wV]) t.dispose();
});

test('v is the channel max of q, and k adds q-layers (k = 1 differs from k = 2)', () => {
  const { r, wR, wV } = inputs('float64', 5);
  tidy(() => {
    const one = vin.valueIteration(r, wR, wV, 1);
    const two = vin.valueIteration(r, wR, wV, 2);
    expect(one.v.array()).toEqual(K.max(one.q, 1, true).array());
    expect(K.max(K.abs(K.subtract(one.q, two.q))).item()).toBeGreaterThan(1e-3);
  });
  for (const t of [r, wR, wV]) t.dispose();
});

test('gradients match central finite differences (float64, k = 2, a 4x5 map)', () => {
  const r = K.variable(K.randomNormal([1, 1, 4, 5], 0, 1, 'float64', 21));
  const wR = K.variable(K.randomNormal([3, 3, 1, 3], 0, 0.5, 'float64', 22));
  const wV = K.variable(K.randomNormal([3, 3, 1, 3], 0, 0.5, 'float64', 23));
  const w = weighting([1, 3, 4, 5], 3);
  const loss = () => tidy(() => K.sum(K.multiply(vin.valueIteration(r, wR, wV, 2).q, w)));
  expectGradientsMatch(loss, [r, wR, wV], 1e-6, 1e-8);
  for (const t of [r, wR, wV, w]) t.dispose();
});

test('the ValueIteration layer returns the native q; valueMaps returns its v', () => {
  const layer = new ValueIteration({ k: 3, lQ: LQ, name: 'vi' });
  const r = K.randomNormal(R_SHAPE, 0, 1, 'float32', 31);
  tidy(() => {
    const q = layer.apply(r) as Tensor;
    const expected = vin.valueIteration(r, layer.wR as Tensor, layer.wV as Tensor, 3);
    expect(layer.wR?.shape).toEqual([3, 3, 1, LQ]);
    expect(layer.wV?.shape).toEqual([3, 3, 1, LQ]);
    expect(q.array()).toEqual(expected.q.array());
    expect(layer.valueMaps(r).array()).toEqual(expected.v.array());
    expect(layer.computeOutputShape([null, 1, 6, 7])).toEqual([null, LQ, 6, 7]);
  });
  r.dispose();
  layer.dispose();
});

describe('errors name valueIteration and what it received', () => {
  let wR: Tensor;
  let wV: Tensor;
  let r: Tensor;
  beforeAll(() => {
    wR = K.randomNormal([3, 3, 1, 4]);
    wV = K.randomNormal([3, 3, 1, 4]);
    r = K.randomNormal([2, 1, 5, 5]);
  });
  afterAll(() => [wR, wV, r].forEach((t) => t.dispose()));

  test('r of the wrong rank', () => {
    const r3 = K.randomNormal([1, 5, 5]);
    expectKeratorchError(() => vin.valueIteration(r3, wR, wV, 2), 'ERR_SHAPE', 'valueIteration',
      'a reward map of shape (batch, 1, rows, cols)', 'float32[1,5,5]');
    r3.dispose();
  });

  test('an empty map is refused before libtorch (whose message would speak of its padded input)', () => {
    for (const shape of [[1, 1, 0, 0], [1, 1, 5, 0], [2, 1, 0, 3]]) {
      const empty = K.zeros(shape);
      const error = expectKeratorchError(() => vin.valueIteration(empty, wR, wV, 2), 'ERR_SHAPE', 'valueIteration',
        'a reward map of shape (batch, 1, rows, cols) with rows and cols >= 1', `float32[${shape}]`);
      expect(error.message).not.toMatch(/padded/);
      expectKeratorchError(() => vin.valueIterationQ(empty, wR, wV, 2, 'generic'), 'ERR_SHAPE', 'valueIterationQ',
        'with rows and cols >= 1');
      empty.dispose();
    }
  });

  test('r with 2 channels', () => {
    const r2 = K.randomNormal([1, 2, 5, 5]);
    expectKeratorchError(() => vin.valueIteration(r2, wR, wV, 2), 'ERR_SHAPE', 'valueIteration',
      'a reward map of shape (batch, 1, rows, cols)', 'float32[1,2,5,5]');
    r2.dispose();
  });

  test('kernels that disagree, have 2 input channels, or the wrong rank', () => {
    const w5 = K.randomNormal([3, 3, 1, 5]);
    const w2in = K.randomNormal([3, 3, 2, 4]);
    const w3d = K.randomNormal([3, 1, 4]);
    expectKeratorchError(() => vin.valueIteration(r, wR, w5, 2), 'ERR_SHAPE', 'valueIteration',
      'wR and wV must both be (rows, cols, 1, channels) with odd rows and cols', 'float32[3,3,1,4], float32[3,3,1,5]');
    expectKeratorchError(() => vin.valueIteration(r, w2in, w2in, 2), 'ERR_SHAPE', 'valueIteration',
      'float32[3,3,2,4]');
    expectKeratorchError(() => vin.valueIteration(r, w3d, wV, 2), 'ERR_SHAPE', 'valueIteration', 'float32[3,1,4]');
    const even = K.randomNormal([2, 2, 1, 4]);
    expectKeratorchError(() => vin.valueIteration(r, even, even, 2), 'ERR_SHAPE', 'valueIteration',
      'with odd rows and cols', 'float32[2,2,1,4]');
    [w5, w2in, w3d, even].forEach((t) => t.dispose());
  });

  test('k < 1 or not an integer', () => {
    expectKeratorchError(() => vin.valueIteration(r, wR, wV, 0), 'ERR_VALUE', 'valueIteration',
      'expected an integer >= 1 for k but received 0');
    expectKeratorchError(() => vin.valueIteration(r, wR, wV, -3), 'ERR_VALUE', 'valueIteration', 'received -3');
    expectKeratorchError(() => vin.valueIteration(r, wR, wV, 1.5), 'ERR_VALUE', 'valueIteration', 'received 1.5');
    expectKeratorchError(() => vin.valueIteration(r, wR, wV, '2' as never), 'ERR_ARGUMENT', 'valueIteration',
      'received "2"');
  });

  test('mixed dtypes', () => {
    const r64 = K.cast(r, 'float64');
    expectKeratorchError(() => vin.valueIteration(r64, wR, wV, 1), 'ERR_DTYPE', 'valueIteration', 'float64[2,1,5,5]');
    r64.dispose();
  });

  test('a non-tensor r', () => {
    expectKeratorchError(() => vin.valueIteration([[1]] as never, wR, wV, 1), 'ERR_ARGUMENT', 'valueIteration', 'r');
  });

  test('the ValueIteration layer refuses k < 1 and a multi-channel reward map', () => {
    expect(() => new ValueIteration({ k: 0 })).toThrow(/expected a positive integer for k but received 0/);
    expect(() => new ValueIteration({ k: 2, lQ: 2.5 })).toThrow(/expected a positive integer for lQ but received 2.5/);
    const layer = new ValueIteration({ k: 2, name: 'vi_bad' });
    const two = K.randomNormal([1, 2, 5, 5]);
    expect(() => layer.apply(two)).toThrow(new RegExp('layer "vi_bad" \\(ValueIteration\\) build: expected a reward map of ' +
      'shape \\(None, 1, rows, cols\\) with rows and cols >= 1 but received \\(1, 2, 5, 5\\)'));
    two.dispose();
  });
});

describe('no leaked tensors', () => {
  test('a forward call whose q and v are disposed leaves memory as it was', () => {
    const { r, wR, wV } = inputs('float32', 41);
    expectNoLeak(() => {
      const { q, v } = vin.valueIteration(r, wR, wV, 10);
      q.dispose();
      v.dispose();
    });
    [r, wR, wV].forEach((t) => t.dispose());
  });

  test('forward and backward inside tidy, 20 times, leave memory as it was', () => {
    const { r, wR, wV } = inputs('float32', 42);
    const before = memory();
    for (let i = 0; i < 20; i++) {
      tidy(() => {
        const { q } = vin.valueIteration(r, wR, wV, 3);
        K.gradients(K.sum(q), [r, wR, wV]);
      });
    }
    expect(memory()).toEqual(before);
    [r, wR, wV].forEach((t) => t.dispose());
  });

  test('the ValueIteration layer frees the v it does not return', () => {
    const layer = new ValueIteration({ k: 2, lQ: 3 });
    const r = K.randomNormal([1, 1, 4, 4]);
    (layer.apply(r) as Tensor).dispose(); // the first call builds the weights
    expectNoLeak(() => (layer.apply(r) as Tensor).dispose());
    r.dispose();
    layer.dispose();
  });
});
