/**
 * The fused value-iteration kernels against the generic path (libtorch convolutions and maxes):
 * VIN-sized maps with gradients through q and v, odd sizes that leave partial vectors, ties in the
 * channel max, every CPU build (baseline, AVX2, AVX-512) in child processes, inputs the fused
 * kernels do not take (they fall back), an empty batch, and the layer's `implementation` option.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildInfo, DType, K, memory, Tensor, tensor, tidy, vin } from '../../src';
import { buildVin } from '../../src/vin/model/build';
import { ValueIteration } from '../../src/vin/model/value_iteration';
import { deserializeLayer } from '../../src/engine';
import { expectScaledClose } from '../helpers/close';
import { expectGradientsMatch, weighting } from '../helpers/gradcheck';
import { settle } from '../helpers/memory';

beforeEach(settle);

type Results = Record<'q' | 'v' | 'gR' | 'gWR' | 'gWV', unknown>;

/** q, v and the gradients of sum(q * a) + sum(v * b) (either term optional) for fixed weightings. */
function run(implementation: vin.ValueIterationImplementation, r: Tensor, wR: Tensor, wV: Tensor, k: number,
  through: 'q' | 'v' | 'both' = 'both'): Results {
  return tidy(() => {
    const { q, v } = vin.valueIteration(r, wR, wV, k, implementation);
    const terms: Tensor[] = [];
    if (through !== 'v') terms.push(K.sum(K.multiply(q, K.cast(weighting(q.shape, 11), q.dtype))));
    if (through !== 'q') terms.push(K.sum(K.multiply(v, K.cast(weighting(v.shape, 12), v.dtype))));
    const loss = terms.length === 2 ? K.add(terms[0], terms[1]) : terms[0];
    const [gR, gWR, gWV] = K.gradients(loss, [r, wR, wV]);
    return { q: q.array(), v: v.array(), gR: gR.array(), gWR: gWR.array(), gWV: gWV.array() };
  });
}

function variables(shape: number[], channels: number, dtype: DType, seed: number, scale = 0.3) {
  return {
    r: K.variable(K.randomNormal(shape, 0, 1, dtype, seed)),
    wR: K.variable(K.randomNormal([3, 3, 1, channels], 0, scale, dtype, seed + 1)),
    wV: K.variable(K.randomNormal([3, 3, 1, channels], 0, scale, dtype, seed + 2)),
  };
}

function expectSame(fused: Results, generic: Results, rel: number): void {
  for (const key of Object.keys(generic) as (keyof Results)[]) {
    expectScaledClose(fused[key] as never, generic[key] as never, rel, key);
  }
}

const dispose = (...ts: Tensor[]) => ts.forEach((t) => t.dispose());

describe('fused = generic', () => {
  test.each([
    ['28x28, k = 36 (the paper\'s largest VIN), batch 4', [4, 1, 28, 28], 10, 36],
    ['16x16, k = 20, batch 3', [3, 1, 16, 16], 10, 20],
    ['5x13 (partial vectors on every row), 3 channels, k = 4', [2, 1, 5, 13], 3, 4],
    ['a 1x1 map, 1 channel, k = 2', [2, 1, 1, 1], 1, 2],
    ['a 2x40 map, 7 channels, k = 6', [1, 1, 2, 40], 7, 6],
    ['20 channels (the one-hot backward looks them up in two vectors of weights)', [2, 1, 7, 10], 20, 5],
    ['40 channels (more than two vectors of lanes: the dense backward)', [2, 1, 6, 9], 40, 5],
  ] as [string, number[], number, number][])('%s: q, v and every gradient within 1e-5 (float32)',
    (_name, shape, channels, k) => {
      const { r, wR, wV } = variables(shape, channels, 'float32', 300 + k, 0.25);
      expect(vin.fusedApplies(r, wR, wV)).toBe(true);
      expectSame(run('fused', r, wR, wV, k), run('generic', r, wR, wV, k), 1e-5);
      dispose(r, wR, wV);
    });

  test('float64 agrees to 1e-12', () => {
    const { r, wR, wV } = variables([3, 1, 9, 11], 6, 'float64', 51);
    expectSame(run('fused', r, wR, wV, 8), run('generic', r, wR, wV, 8), 1e-12);
    dispose(r, wR, wV);
  });

  test.each(['q', 'v'] as const)('a loss through %s only (the other output gets no gradient)', (through) => {
    const { r, wR, wV } = variables([2, 1, 6, 9], 4, 'float64', 61);
    expectSame(run('fused', r, wR, wV, 5, through), run('generic', r, wR, wV, 5, through), 1e-12);
    dispose(r, wR, wV);
  });

  test('gradients through q and v match central finite differences (float64)', () => {
    const { r, wR, wV } = variables([1, 1, 3, 4], 2, 'float64', 71, 0.5);
    const a = weighting([1, 2, 3, 4], 5);
    const b = weighting([1, 1, 3, 4], 6);
    const loss = () => tidy(() => {
      const { q, v } = vin.valueIteration(r, wR, wV, 3, 'fused');
      return K.add(K.sum(K.multiply(q, a)), K.sum(K.multiply(v, b)));
    });
    expectGradientsMatch(loss, [r, wR, wV], 1e-6, 1e-8);
    dispose(r, wR, wV, a, b);
  });

  test('without gradients (inference) the forward is the same and nothing is kept', () => {
    const { r, wR, wV } = variables([2, 1, 7, 7], 10, 'float32', 81);
    const withGrad = run('fused', r, wR, wV, 6);
    const before = memory().numTensors;
    const q = tidy(() => K.noGrad(() => vin.valueIteration(r, wR, wV, 6, 'fused').q.array()));
    expect(q).toEqual(withGrad.q);
    expect(memory().numTensors).toBe(before);
    dispose(r, wR, wV);
  });
});

test.each([
  ['r, in the last (partial) vector of a row: every channel is NaN there', 'r'],
  ['wR, channel 3 only: the max sees a NaN after numbers', 'wR'],
])('a NaN in %s: NaN wins the max as in the generic path, with and without gradients', (_name, where) => {
  const rValues = K.randomNormal([2, 1, 9, 19], 0, 1, 'float32', 91).data() as Float32Array;
  const wRValues = K.randomNormal([3, 3, 1, 6], 0, 0.3, 'float32', 92).data() as Float32Array;
  if (where === 'r') rValues[4 * 19 + 17] = NaN;
  else wRValues[4 * 6 + 3] = NaN;  // the centre tap of channel 3 ([3, 3, 1, channels] layout)
  const r = K.variable(tensor(rValues, [2, 1, 9, 19]));
  const wR = K.variable(tensor(wRValues, [3, 3, 1, 6]));
  const wV = K.variable(K.randomNormal([3, 3, 1, 6], 0, 0.3, 'float32', 93));
  const nanPattern = (values: Float32Array) => Array.from(values, (x) => Number.isNaN(x));
  const want = tidy(() => vin.valueIteration(r, wR, wV, 3, 'generic').v.data() as Float32Array);
  expect(nanPattern(want).filter((x) => x).length).toBeGreaterThan(1);  // it spread
  const recorded = tidy(() => vin.valueIteration(r, wR, wV, 3, 'fused').v.data() as Float32Array);
  const inference = tidy(() => K.noGrad(() => vin.valueIteration(r, wR, wV, 3, 'fused').v.data() as Float32Array));
  for (const got of [recorded, inference]) {
    expect(nanPattern(got)).toEqual(nanPattern(want));
    expectScaledClose(Array.from(got, (x) => (Number.isNaN(x) ? 0 : x)),
      Array.from(want, (x) => (Number.isNaN(x) ? 0 : x)), 1e-5, 'v');
  }
  dispose(r, wR, wV);
});

describe('ties in the channel max take the reference\'s branch (the lowest channel)', () => {
  // The reference is the generic path without the copy: libtorch 2.x's convolutions round a repeated
  // kernel channel differently from the original (by an ulp), so its own ties are not exact ties.
  test('a kernel channel repeated: the copy never wins, so everything is as without it', () => {
    const base = variables([2, 1, 6, 6], 4, 'float64', 91);
    // Channel 4 copies channel 1: every cell where channel 1 wins is an exact tie for the fused kernels.
    const repeat = (w: Tensor) => K.variable(K.concatenate([w, K.slice(w, [0, 0, 0, 1], [3, 3, 1, 1])], 3));
    const wR = repeat(base.wR);
    const wV = repeat(base.wV);
    const fused = run('fused', base.r, wR, wV, 4, 'v');
    const without = run('generic', base.r, base.wR, base.wV, 4, 'v');
    expectScaledClose(fused.v as never, without.v as never, 1e-12, 'v');
    expectScaledClose(fused.gR as never, without.gR as never, 1e-12, 'gR');
    const q = fused.q as number[][][][];
    expect(q.map((batch) => batch[4])).toEqual(q.map((batch) => batch[1]));
    for (const key of ['gWR', 'gWV'] as const) {
      const taps = (fused[key] as number[][][][]).flat(2);
      expect(taps.map((channels) => channels[4])).toEqual(Array(9).fill(0));
      const expected = (without[key] as number[][][][]).flat(2);
      expectScaledClose(taps.map((channels) => channels.slice(0, 4)) as never, expected as never, 1e-12, key);
      expect(taps.some((channels) => Math.abs(channels[1]) > 0)).toBe(true);
    }
    dispose(base.r, base.wR, base.wV, wR, wV);
  });

  test('an all-zero reward map (every channel ties everywhere)', () => {
    const r = K.variable(K.zeros([1, 1, 5, 5]));
    const { wR, wV } = variables([1, 1, 5, 5], 3, 'float32', 95);
    expectSame(run('fused', r, wR, wV, 3), run('generic', r, wR, wV, 3), 1e-6);
    dispose(r, wR, wV);
  });
});

describe('where the fused kernels do not apply, `fused` runs the generic path', () => {
  test('5x5 kernels', () => {
    const r = K.variable(K.randomNormal([1, 1, 6, 6], 0, 1, 'float32', 5));
    const wR = K.variable(K.randomNormal([5, 5, 1, 3], 0, 0.2, 'float32', 6));
    const wV = K.variable(K.randomNormal([5, 5, 1, 3], 0, 0.2, 'float32', 7));
    expect(vin.fusedApplies(r, wR, wV)).toBe(false);
    expect(run('fused', r, wR, wV, 3)).toEqual(run('generic', r, wR, wV, 3));
    dispose(r, wR, wV);
  });

  test('mixed dtypes are refused by fusedApplies (and valueIteration reports them)', () => {
    const r = K.randomNormal([1, 1, 4, 4], 0, 1, 'float64');
    const w = K.randomNormal([3, 3, 1, 2]);
    expect(vin.fusedApplies(r, w, w)).toBe(false);
    expect(() => vin.valueIteration(r, w, w, 2)).toThrow(/valueIteration/);
    dispose(r, w);
  });

  test('more than 255 channels', () => {
    const r = K.randomNormal([1, 1, 3, 3]);
    const w = K.randomNormal([3, 3, 1, 256], 0, 0.1);
    expect(vin.fusedApplies(r, w, w)).toBe(false);
    dispose(r, w);
  });
});

test('an empty batch gives empty q and v', () => {
  const r = K.zeros([0, 1, 5, 5]);
  const w = K.randomNormal([3, 3, 1, 4]);
  tidy(() => {
    const { q, v } = vin.valueIteration(r, w, w, 3, 'fused');
    expect(q.shape).toEqual([0, 4, 5, 5]);
    expect(v.shape).toEqual([0, 1, 5, 5]);
  });
  dispose(r, w);
});

describe('the implementation option', () => {
  test('ValueIteration and buildVin take it, save it in the config, and refuse unknown values', () => {
    const layer = new ValueIteration({ k: 2, implementation: 'generic', name: 'vi_generic' });
    expect(layer.getConfig().implementation).toBe('generic');
    const copy = deserializeLayer({ className: 'ValueIteration', config: layer.getConfig() }) as ValueIteration;
    expect(copy.implementation).toBe('generic');
    expect(new ValueIteration({ k: 2 }).implementation).toBe('fused');
    expect(() => new ValueIteration({ k: 2, implementation: 'fast' as never }))
      .toThrow(/expected one of fused, generic for implementation but received "fast"/);
    const model = buildVin({ gridSize: 8, implementation: 'generic' });
    expect((model.getLayer('vi') as ValueIteration).implementation).toBe('generic');
    expect(() => vin.valueIteration(K.zeros([1, 1, 3, 3]), K.zeros([3, 3, 1, 2]), K.zeros([3, 3, 1, 2]), 1,
      'fast' as never)).toThrow(/implementation/);
    model.dispose();
    layer.dispose();
  });
});

// Every CPU build of the kernels, each in its own process (the build is chosen once per process).
const lib = path.join(__dirname, '..', '..', 'lib', 'index.js');
const childScript = `
const { K, vin, buildInfo } = require(${JSON.stringify(lib)});
const out = { kernels: buildInfo().cpuKernels };
for (const dtype of ['float32', 'float64']) {
  const r = K.variable(K.randomNormal([3, 1, 7, 19], 0, 1, dtype, 7));
  const wR = K.variable(K.randomNormal([3, 3, 1, 5], 0, 0.3, dtype, 8));
  const wV = K.variable(K.randomNormal([3, 3, 1, 5], 0, 0.3, dtype, 9));
  const { q, v } = vin.valueIteration(r, wR, wV, 9, 'fused');
  const loss = K.add(K.sum(K.square(q)), K.sum(v));
  out[dtype] = [q, v, ...K.gradients(loss, [r, wR, wV])].map((t) => Array.from(t.data()));
  // Inference (nothing recorded for backward) runs the forward without tracking the max's channel.
  out[dtype + '/inference'] = K.noGrad(() => {
    const plain = vin.valueIteration(r, wR, wV, 9, 'fused');
    return [plain.q, plain.v].map((t) => Array.from(t.data()));
  });
}
process.stdout.write(JSON.stringify(out));`;

function generic(dtype: DType): number[][] {
  return tidy(() => {
    const r = K.randomNormal([3, 1, 7, 19], 0, 1, dtype, 7);
    const wR = K.randomNormal([3, 3, 1, 5], 0, 0.3, dtype, 8);
    const wV = K.randomNormal([3, 3, 1, 5], 0, 0.3, dtype, 9);
    const vars = [r, wR, wV].map((t) => K.variable(t));
    const { q, v } = vin.valueIteration(vars[0], vars[1], vars[2], 9, 'generic');
    const loss = K.add(K.sum(K.square(q)), K.sum(v));
    const result = [q, v, ...K.gradients(loss, vars)].map((t) => Array.from(t.data() as Float32Array));
    vars.forEach((t) => t.dispose());
    return result;
  });
}

const supported = buildInfo().cpuKernels;
const variants = ['baseline', 'avx2', 'avx512'].filter((_, i, all) => i <= all.indexOf(supported));
const withLib = fs.existsSync(lib) ? test : test.skip;

describe.each(variants.flatMap((variant) => [[variant, 'one-hot'], [variant, 'dense']]))('the %s CPU kernels, %s backward', (variant, backward) => {
  withLib(`equal the generic path${fs.existsSync(lib) ? '' : ' (skipped: lib/ not built)'}`, () => {
    const dense = backward === 'dense' ? { KERATORCH_VI_DENSE_BACKWARD: '1' } : {};
    const child = spawnSync(process.execPath, ['-e', childScript], {
      env: { ...process.env, KERATORCH_CPU_KERNELS: variant, ...dense }, encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(out.kernels).toBe(variant);
    for (const [dtype, rel] of [['float32', 1e-5], ['float64', 1e-12]] as [DType, number][]) {
      const want = generic(dtype);
      (out[dtype] as number[][]).forEach((got, i) => expectScaledClose(got, want[i], rel, `${dtype} output ${i}`));
      (out[`${dtype}/inference`] as number[][]).forEach((got, i) =>
        expectScaledClose(got, want[i], rel, `${dtype} inference output ${i}`));
    }
  });
});
