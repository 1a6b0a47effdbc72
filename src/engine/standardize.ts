/**
 * Turning the `x` and `y` given to fit / evaluate / predict into one tensor per model input and
 * output, and checking them before any step runs: counts, sample counts, shapes against the
 * model's inputs and outputs, and class indices for sparse losses. Every failure is a
 * KeratorchError naming the function, the argument and what was received.
 */
import { DType, K, KeratorchError, Tensor, tensor, tidy } from '../backend';
import type { TensorInput } from '../backend';
import { fail } from '../backend/validate';
import { CompiledState } from './compile';
import { Model, Sequential } from './model';
import { refuse } from './options';
import { describeShape, Shape } from './shapes';

/** One array of samples: a Tensor, nested arrays, or a TypedArray (first axis: samples). */
export type DataInput = Tensor | TensorInput;

/** Data for a model: one array, a list with one array per input (output), or an object keyed by name. */
export type ModelData = DataInput | DataInput[] | Record<string, DataInput>;

interface Slot {
  /** The layer that takes (or produces) it. */
  name: string;
  /** Its dtype, used to convert nested arrays. */
  dtype: DType;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

const isArrayLike = (v: unknown): boolean => v instanceof Tensor || Array.isArray(v) || ArrayBuffer.isView(v);

/**
 * Converts one array to `dtype` (the input layer's; float32 for targets); tensors made here are
 * added to `owned` (the caller disposes them). Tensors pass through as they are.
 */
export function toTensor(fn: string, label: string, value: unknown, dtype: DType, owned: Tensor[]): Tensor {
  if (value instanceof Tensor) {
    value.assertLive(fn, label);
    return value;
  }
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    return fail(fn, 'a Tensor, nested arrays or a TypedArray', label, value);
  }
  let made: Tensor;
  try {
    made = tensor(value as TensorInput, undefined, dtype);
  } catch (error) {
    // tensor()'s message names its own argument (values); name the caller's instead.
    if (!(error instanceof KeratorchError) || error.op !== 'tensor') throw error;
    throw new KeratorchError(error.message.replace(/^tensor: /, `${fn}: `).replace(/ for values/, ` for ${label}`),
      error.code, fn);
  }
  owned.push(made);
  return made;
}

/**
 * One tensor per slot from `value`. With one slot, `value` is the array itself (or a list holding
 * one Tensor); with several, a list in slot order or an object keyed by slot name.
 */
function toTensors(fn: string, label: string, value: unknown, slots: Slot[], owned: Tensor[]): Tensor[] {
  const names = slots.map((s) => `"${s.name}"`).join(', ');
  if (isPlainObject(value)) {
    const unknown = Object.keys(value).filter((k) => !slots.some((s) => s.name === k));
    if (unknown.length > 0) refuse(fn, `keys among ${names}`, label, unknown.map((k) => `"${k}"`).join(', '));
    return slots.map((s) => {
      if (!(s.name in value)) return refuse(fn, `an array for every one of ${names}`, label, `none for "${s.name}"`);
      return toTensor(fn, `${label}.${s.name}`, value[s.name], s.dtype, owned);
    });
  }
  if (slots.length === 1) {
    const single = Array.isArray(value) && value.length === 1 && value[0] instanceof Tensor ? value[0] : value;
    if (Array.isArray(value) && value.length > 1 && value.every((v) => v instanceof Tensor)) {
      refuse(fn, `1 array (the model has one, ${names})`, label, `${value.length} tensors`);
    }
    return [toTensor(fn, label, single, slots[0].dtype, owned)];
  }
  if (!Array.isArray(value) || value.length !== slots.length || !value.every(isArrayLike)) {
    const expected = `${slots.length} arrays, one per ${names} (a list or an object keyed by name)`;
    if (Array.isArray(value) && value.every(isArrayLike)) refuse(fn, expected, label, `${value.length} arrays`);
    return fail(fn, expected, label, value);
  }
  return value.map((v, i) => toTensor(fn, `${label}[${i}]`, v, slots[i].dtype, owned));
}

/** The common sample count of `tensors` (their first axis). */
export function sampleCount(fn: string, label: string, tensors: Tensor[], expected?: number, expectedFrom = 'x'): number {
  let count = expected;
  tensors.forEach((t, i) => {
    const name = tensors.length > 1 ? `${label}[${i}]` : label;
    if (t.rank === 0) fail(fn, 'an array with a samples axis (rank >= 1)', name, t, 'ERR_SHAPE');
    const n = t.shapeRef[0];
    if (count === undefined) {
      count = n;
      expectedFrom = name;
    } else if (n !== count) {
      refuse(fn, `${count} samples (as in ${expectedFrom})`, name, `${n} samples (${t.describe()})`, 'ERR_SHAPE');
    }
  });
  return count as number;
}

function fits(shape: readonly number[], want: Shape): boolean {
  return shape.length === want.length && want.every((d, i) => i === 0 || d === null || d === shape[i]);
}

/**
 * Model inputs from `x`: converted, counted, and checked against the input layers' shapes. A
 * Sequential model without an input shape is built here from the first array.
 */
export function standardizeInputs(fn: string, model: Model, x: unknown, owned: Tensor[], label = 'x'): Tensor[] {
  const lazy = model instanceof Sequential && model.inputs.length === 0;
  const slots: Slot[] = lazy ? [{ name: 'input', dtype: model.stack[0]?.dtype ?? 'float32' }]
    : model.inputs.map((i) => ({ name: i.sourceLayer.name, dtype: i.dtype }));
  if (slots.length === 0) refuse(fn, 'a model with inputs', 'model', `"${model.name}" with none`);
  const xs = toTensors(fn, label, x, slots, owned);
  sampleCount(fn, label, xs);
  if (lazy) (model as Sequential).ensureGraph(xs[0]);
  model.inputs.forEach((input, i) => {
    if (!fits(xs[i].shapeRef, input.shape)) {
      fail(fn, `an array of shape ${describeShape(input.shape)} (input layer "${input.sourceLayer.name}")`,
        xs.length > 1 ? `${label}[${i}]` : label, xs[i], 'ERR_SHAPE');
    }
  });
  return xs;
}

/** Built-in losses whose targets have the output's shape (a (n) target for a (n, 1) output gains its last axis). */
const SAME_SHAPE_LOSSES = new Set(['meanSquaredError', 'meanAbsoluteError', 'categoricalCrossentropy', 'binaryCrossentropy',
  'huber', 'logCosh', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', 'poisson', 'cosineSimilarity', 'kld',
  'hinge', 'squaredHinge', 'categoricalHinge', 'binaryFocalCrossentropy', 'categoricalFocalCrossentropy']);

/**
 * Targets from `y`, one per output, checked against the output shapes for the built-in losses
 * (a target of shape (n) for an output of shape (n, 1) gets its last axis) and, for sparse
 * losses, checked to hold class indices in range.
 */
export function standardizeTargets(fn: string, model: Model, compiled: CompiledState, y: unknown, samples: number,
  owned: Tensor[], label = 'y', xLabel = 'x'): Tensor[] {
  const slots = compiled.outputs.map((o) => ({ name: o.name, dtype: 'float32' as DType }));
  const ys = toTensors(fn, label, y, slots, owned);
  sampleCount(fn, label, ys, samples, xLabel);
  return ys.map((t, i) => {
    const name = ys.length > 1 ? `${label}[${i}]` : label;
    const output = model.outputs[i];
    const lossName = compiled.outputs[i].loss.lossName;
    if (!output) return t;
    const want = output.shape;
    if (lossName === 'sparseCategoricalCrossentropy') {
      checkSparseTargets(fn, name, t, want, compiled.outputs[i].name);
      return t;
    }
    if (!SAME_SHAPE_LOSSES.has(lossName)) {
      return t;
    }
    let target = t;
    if (t.rank === want.length - 1 && want[want.length - 1] === 1) {
      target = K.expandDims(t, -1);
      owned.push(target);
    }
    if (!fits(target.shapeRef, want)) {
      fail(fn, `an array of shape ${describeShape(want)} (output "${compiled.outputs[i].name}", loss ${lossName})`,
        name, t, 'ERR_SHAPE');
    }
    return target;
  });
}

function checkSparseTargets(fn: string, name: string, t: Tensor, want: Shape, outputName: string): void {
  const classes = want[want.length - 1];
  const outer = want.slice(0, -1);
  const shape = t.shapeRef;
  const plain = shape.length === outer.length && fits(shape, outer);
  const withUnit = shape.length === want.length && shape[shape.length - 1] === 1 && fits(shape.slice(0, -1), outer);
  if (!plain && !withUnit) {
    fail(fn, `class indices of shape ${describeShape(outer)} or ${describeShape([...outer, 1])} ` +
      `(output "${outputName}", loss sparseCategoricalCrossentropy)`, name, t, 'ERR_SHAPE');
  }
  if (t.size === 0 || t.dtype === 'bool') return;
  const float = t.dtype === 'float32' || t.dtype === 'float64';
  // Integer targets: both bounds in one native call (this runs on every training step).
  const [lo, hi, integral] = float
    ? tidy(() => [K.min(t), K.max(t), K.all(K.equal(t, K.round(t)))].map((v) => Number(v.item())))
    : [...(K.indexBounds(t) ?? [0, 0]), 1];
  if (!integral) refuse(fn, 'integer class indices', name, `${t.describe()} with fractional values`, 'ERR_VALUE');
  if (classes !== null && (lo < 0 || hi >= classes)) {
    refuse(fn, `class indices in [0, ${classes}) (output "${outputName}" has ${classes} classes)`, name,
      `values from ${lo} to ${hi}`, 'ERR_VALUE');
  }
}
