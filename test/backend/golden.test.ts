/**
 * Golden-value tests for the backend `K`: forward values (shape, dtype, values) and gradients of
 * sum(f(inputs) * w) for every case in test/golden/k_golden.json, which
 * test/golden/make_golden.py builds from float64 PyTorch references written to Keras 2.3's
 * TensorFlow-backend semantics. Regenerate with `/usr/bin/python3 test/golden/make_golden.py`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { K, tensor, Tensor } from '../../src';
import type { DType } from '../../src';
import { expectClose } from '../helpers/close';

type Values = number | boolean | string | Values[];

interface TensorSpec {
  kind: 'tensor';
  values: Values;
  shape: number[];
  dtype: DType;
  grad: boolean;
}
interface ListSpec {
  kind: 'list';
  items: TensorSpec[];
}
interface UndefinedSpec {
  kind: 'undefined';
}
type Spec = TensorSpec | ListSpec | UndefinedSpec;

interface TensorExpectation {
  values: Values;
  shape: number[];
  dtype: DType;
}
interface GoldenCase {
  name: string;
  fn: string;
  /** Specs ({kind: ...}) for tensors, lists of tensors and skipped arguments; anything else is passed as is. */
  args: unknown[];
  expected: TensorExpectation | { plain: unknown };
  w?: { values: Values; shape: number[] };
  grads?: { arg: number[]; values: Values; shape: number[] }[];
  rtol?: number;
  atol?: number;
  why?: string;
}
interface GoldenFile {
  generator: string;
  epsilon: number;
  cases: GoldenCase[];
}

const golden: GoldenFile = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'golden', 'k_golden.json'), 'utf8'));

// Default tolerances: float32 compute against a float64 reference.
const RTOL = 1e-5;
const ATOL = 1e-6;

type Nested = number | boolean | Nested[];

/** JSON cannot hold NaN / ±Infinity: the generator writes them as strings. */
function decode(values: Values): Nested {
  if (Array.isArray(values)) return values.map(decode);
  if (values === 'NaN') return NaN;
  if (values === 'Infinity') return Infinity;
  if (values === '-Infinity') return -Infinity;
  if (typeof values === 'string') throw new Error(`unexpected string in golden values: ${values}`);
  return values;
}

function flat(values: Nested): (number | boolean)[] {
  return Array.isArray(values) ? values.flatMap(flat) : [values];
}

function isSpec(value: unknown): value is Spec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}

function isFloat(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

function makeTensor(spec: TensorSpec): Tensor {
  const t = tensor(flat(decode(spec.values)) as number[], spec.shape, spec.dtype);
  // Float inputs that get gradients are trainable variables.
  return spec.grad && isFloat(spec.dtype) ? K.variable(t) : t;
}

/** Builds the call's arguments, and the variables by argument path ([i] or [i, j] in a list). */
function buildArgs(c: GoldenCase): { args: unknown[]; vars: Map<string, Tensor> } {
  const vars = new Map<string, Tensor>();
  const one = (spec: TensorSpec, at: number[]): Tensor => {
    const t = makeTensor(spec);
    if (spec.grad && isFloat(spec.dtype)) vars.set(at.join(','), t);
    return t;
  };
  const args = c.args.map((arg, i) => {
    if (!isSpec(arg)) return arg;
    if (arg.kind === 'tensor') return one(arg, [i]);
    if (arg.kind === 'list') return arg.items.map((item, j) => one(item, [i, j]));
    return undefined;
  });
  return { args, vars };
}

const functions = K as unknown as Record<string, (...args: unknown[]) => unknown>;

function runCase(c: GoldenCase): void {
  K.tidy(() => {
    const { args, vars } = buildArgs(c);
    const fn = functions[c.fn];
    expect(typeof fn).toBe('function');
    const out = fn(...args);
    if ('plain' in c.expected) {
      expect(out).toEqual(c.expected.plain);
      return;
    }
    const expected = c.expected;
    expect(out).toBeInstanceOf(Tensor);
    const result = out as Tensor;
    expect(result.shape).toEqual(expected.shape);
    expect(result.dtype).toBe(expected.dtype);
    const rtol = c.rtol ?? RTOL;
    const atol = c.atol ?? ATOL;
    expectClose(result, decode(expected.values), rtol, atol);
    if (!c.grads) return;
    // d(sum(out * w)) / d(input): w is a fixed random tensor, so gradients are not just ones.
    const w = tensor(flat(decode(c.w!.values)) as number[], c.w!.shape, result.dtype);
    const loss = K.sum(K.multiply(result, w));
    const order = c.grads.map((g) => {
      const v = vars.get(g.arg.join(','));
      if (!v) throw new Error(`${c.name}: no variable for argument ${g.arg}`);
      return v;
    });
    const grads = K.gradients(loss, order);
    expect(grads).toHaveLength(c.grads.length);
    c.grads.forEach((g, i) => {
      try {
        expect(grads[i].shape).toEqual(g.shape);
        expect(grads[i].dtype).toBe(order[i].dtype);
        expectClose(grads[i], decode(g.values), rtol, atol);
      } catch (error) {
        throw new Error(`gradient for argument ${g.arg.join('.')}: ${(error as Error).message}`);
      }
    });
  });
}

describe('K golden values (Keras-TF semantics, float64 references)', () => {
  test('the golden file has cases', () => {
    expect(golden.cases.length).toBeGreaterThan(200);
    expect(golden.epsilon).toBe(K.epsilon());
  });

  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => runCase(c));
});

describe('K article examples', () => {
  test('K.eval(K.dot(a, b))', () => {
    const a = K.variable([[1, 2], [3, 4]]);
    const b = K.variable([[5, 6], [7, 8]]);
    expect(K.eval(K.dot(a, b))).toEqual([[19, 22], [43, 50]]);
  });

  test('K.batchDot(a, b, 1)', () => {
    const a = K.variable([[1, 2], [3, 4]]);
    const b = K.variable([[5, 6], [7, 8]]);
    const c = K.batchDot(a, b, 1);
    expect(c.shape).toEqual([2, 1]);
    expect(K.eval(c)).toEqual([[17], [53]]);
  });

  test('K.oneHot of int32 [0, 2, 1, 0] with 3 classes', () => {
    const hot = K.oneHot(tensor([0, 2, 1, 0], undefined, 'int32'), 3);
    expect(hot.dtype).toBe('float32');
    expect(K.eval(hot)).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  });

  test('K.permuteDimensions, K.expandDims and K.squeeze of a (1, 2, 2) tensor', () => {
    const a = K.variable([[[1, 2], [3, 4]]]);
    const p = K.permuteDimensions(a, [1, 2, 0]);
    expect(p.shape).toEqual([2, 2, 1]);
    expect(K.eval(p)).toEqual([[[1], [2]], [[3], [4]]]);
    const e = K.expandDims(a, 2);
    expect(e.shape).toEqual([1, 2, 1, 2]);
    expect(K.eval(e)).toEqual([[[[1, 2]], [[3, 4]]]]);
    const s = K.squeeze(a, 0);
    expect(s.shape).toEqual([2, 2]);
    expect(K.eval(s)).toEqual([[1, 2], [3, 4]]);
  });

  test('K.gather(a, 0) and K.gather(K.transpose(a), 0) of [[1, 2], [3, 4], [5, 6]]', () => {
    const a = K.variable([[1, 2], [3, 4], [5, 6]]);
    expect(K.eval(K.gather(a, 0))).toEqual([1, 2]);
    expect(K.eval(K.gather(K.transpose(a), 0))).toEqual([1, 3, 5]);
  });
});

describe('K functions outside the golden file', () => {
  test('stopGradient: same values, zero gradient', () => {
    const x = K.variable([[1, -2], [3, 0.5]]);
    const y = K.add(K.stopGradient(x), K.multiply(x, 2));
    expect(K.eval(y)).toEqual([[3, -6], [9, 1.5]]);
    const [g] = K.gradients(K.sum(y), [x]);
    expect(K.eval(g)).toEqual([[2, 2], [2, 2]]);
    const [a, b] = K.stopGradient([x, x]);
    expect(a.requiresGrad).toBe(false);
    expect(K.eval(b)).toEqual(K.eval(x));
  });

  test('noGrad: values computed without a graph', () => {
    const x = K.variable([1, 2, 3]);
    const y = K.noGrad(() => K.square(x));
    expect(y.requiresGrad).toBe(false);
    expect(K.eval(y)).toEqual([1, 4, 9]);
  });

  test('getValue, batchGetValue, setValue, batchSetValue', () => {
    const x = K.variable([[1, 2], [3, 4]]);
    const y = K.variable([5, 6]);
    expect(K.getValue(x)).toEqual([[1, 2], [3, 4]]);
    K.setValue(x, [[0, -1], [-2, -3]]);
    K.batchSetValue([[y, [7, 8]]]);
    expect(K.batchGetValue([x, y])).toEqual([[[0, -1], [-2, -3]], [7, 8]]);
  });

  test('update, updateAdd, updateSub change a variable in place', () => {
    const x = K.variable([1, 2, 3]);
    expect(K.update(x, tensor([4, 5, 6]))).toBe(x);
    expect(K.eval(x)).toEqual([4, 5, 6]);
    K.updateAdd(x, tensor([0.5, 0.5, 0.5]));
    expect(K.eval(x)).toEqual([4.5, 5.5, 6.5]);
    K.updateSub(x, 1);
    expect(K.eval(x)).toEqual([3.5, 4.5, 5.5]);
    expect(x.requiresGrad).toBe(true);
  });

  test('randomNormal, randomUniform, randomBinomial: shape, dtype, range and seeding', () => {
    const n1 = K.randomNormal([200, 50], 1, 2, undefined, 7);
    const n2 = K.randomNormal([200, 50], 1, 2, undefined, 7);
    expect(n1.shape).toEqual([200, 50]);
    expect(n1.dtype).toBe('float32');
    expect(K.eval(n1)).toEqual(K.eval(n2));
    expect(Number(K.mean(n1).item())).toBeCloseTo(1, 1);
    expect(Number(K.std(n1).item())).toBeCloseTo(2, 1);
    const u = K.randomUniform([1000], -2, 3, 'float64', 3);
    expect(u.dtype).toBe('float64');
    expect(Number(K.min(u).item())).toBeGreaterThanOrEqual(-2);
    expect(Number(K.max(u).item())).toBeLessThan(3);
    const b = K.randomBinomial([1000], 0.25, undefined, 5);
    expect(new Set(Array.from(b.data() as Float32Array))).toEqual(new Set([0, 1]));
    expect(Number(K.mean(b).item())).toBeCloseTo(0.25, 1);
  });

  test('indexBounds: min and max of an integer tensor in one call, null when empty, integers only', () => {
    expect(K.indexBounds(tensor([[3, -2], [7, 0]], undefined, 'int32'))).toEqual([-2, 7]);
    expect(K.indexBounds(tensor([5, 9, 2], undefined, 'int64'))).toEqual([2, 9]);
    expect(K.indexBounds(tensor([200, 4], undefined, 'uint8'))).toEqual([4, 200]);
    expect(K.indexBounds(K.transpose(tensor([[1, 2], [8, 0]], undefined, 'int32')))).toEqual([0, 8]);
    expect(K.indexBounds(K.zeros([0], 'int32'))).toBeNull();
    expect(() => K.indexBounds(tensor([1.5]))).toThrow(/indexBounds: expected an integer tensor for indices but received float32\[1\]/);
  });

  test('epsilon and floatx defaults', () => {
    expect(K.epsilon()).toBe(1e-7);
    expect(K.floatx()).toBe('float32');
  });

  test('every K function is covered by a golden case or an explicit test here', () => {
    // Keras 3's activations and value rules have their golden cases from real Keras (make_keras_golden.py).
    const kerasGolden = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'golden', 'keras_golden.json'), 'utf8')) as
      { activations: { fn: string | null }[]; values: { fn: string }[] };
    const inGolden = new Set([...golden.cases, ...kerasGolden.activations, ...kerasGolden.values].map((c) => c.fn));
    const explicit = new Set([
      // tested explicitly above
      'eval', 'getValue', 'batchGetValue', 'setValue', 'batchSetValue', 'update', 'updateAdd', 'updateSub',
      'randomNormal', 'randomUniform', 'randomBinomial', 'stopGradient', 'noGrad', 'epsilon', 'floatx', 'indexBounds',
      // used by every golden case with gradients
      'gradients',
      // against TensorFlow's in_top_k in test/training/keras3_top_k.test.ts (keras_metrics_golden.json)
      'inTopK',
      // settings, lifetime and devices: no values to compare
      'setSeed', 'setEpsilon', 'setFloatx', 'toDevice', 'tidy', 'keep', 'dispose', 'memory',
    ]);
    const missing = Object.keys(K).filter((name) => !inGolden.has(name) && !explicit.has(name));
    expect(missing).toEqual([]);
  });
});
