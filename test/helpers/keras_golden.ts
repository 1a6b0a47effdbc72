/** Reading test/golden/keras_golden.json, the values that test/golden/make_keras_golden.py takes from Keras 3. */
import * as fs from 'fs';
import * as path from 'path';
import { tensor, Tensor } from '../../src';
import type { DType } from '../../src';

/** Values as JSON holds them: NaN and ±Infinity are the strings "NaN", "Infinity", "-Infinity". */
export type GoldenValues = number | boolean | string | GoldenValues[];

/** A tensor: its values, shape and dtype. */
export interface GoldenTensor {
  values: GoldenValues;
  shape: number[];
  dtype: DType;
}

/** One activation on fixed inputs: forward values and the gradient of sum(f(x) * w). */
export interface ActivationCase {
  name: string;
  /** The K function (null: the identity, `linear`), called as fn(x, ...args). */
  fn: string | null;
  args: unknown[];
  /** The keras.activations name when the case uses that name's defaults. */
  activation: string | null;
  input: GoldenTensor;
  w: GoldenValues;
  expected: GoldenTensor;
  grad: GoldenValues;
  why?: string;
  /** sparsemax only: Keras 3.15.1's own (uncorrected) output, and per slice whether it agrees. */
  keras3151?: GoldenValues;
  keras3151Agrees?: GoldenValues;
}

/** One K call whose value rule follows Keras; tensor arguments are {kind: 'tensor', ...} specs. */
export interface ValueCase {
  name: string;
  keras: string;
  fn: string;
  args: unknown[];
  expected: GoldenTensor;
  why?: string;
}

/** The whole file. */
export interface KerasGolden {
  generator: string;
  keras: string;
  tensorflow: string;
  activations: ActivationCase[];
  values: ValueCase[];
}

/** The checked-in golden file. */
export function readKerasGolden(): KerasGolden {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'golden', 'keras_golden.json'), 'utf8')) as KerasGolden;
}

/** Nested values with NaN and the infinities decoded. */
export function decodeValues(values: GoldenValues): unknown {
  if (Array.isArray(values)) return values.map(decodeValues);
  if (values === 'NaN') return NaN;
  if (values === 'Infinity') return Infinity;
  if (values === '-Infinity') return -Infinity;
  if (typeof values === 'string') throw new Error(`unexpected string in golden values: ${values}`);
  return values;
}

/** The values in row-major order, as numbers. */
export function flatValues(values: GoldenValues): number[] {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
  return flat(decodeValues(values));
}

/** A tensor from a golden tensor (or a {kind: 'tensor'} spec). */
export function goldenTensor(spec: GoldenTensor): Tensor {
  return tensor(flatValues(spec.values), spec.shape, spec.dtype);
}
