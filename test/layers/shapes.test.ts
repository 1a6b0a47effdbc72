/**
 * Shape inference of every layer: the symbolic output shape (Input -> apply) is what Keras gives,
 * and the concrete output shape matches it (with unknown sizes filled in).
 */
import {
  Activation, Add, Average, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, DType, Dense, Dot, Dropout,
  Embedding, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, Input, K, Lambda, Layer, Maximum, MaxPooling2D,
  Merge, Minimum, Multiply, Permute, RepeatVector, Reshape, Shape, Subtract, SymbolicTensor, Tensor, tidy,
  ZeroPadding2D, convOutputLength, memory,
} from '../../src';
import { settle, tensorsSince } from '../helpers/memory';

interface Case {
  /** The layer (a fresh one per test). */
  make: () => Layer;
  /** Input shapes, batch axis included; several for merge layers. */
  inputs: Shape[];
  /** The expected symbolic output shape. */
  expected: Shape;
  /** Sizes for null axes in the concrete run, in order of appearance in each input (default: batch 2, others 7). */
  fill?: number[];
  dtype?: DType;
  /** Expected concrete shape, when unknown sizes change it beyond substitution. */
  concrete?: number[];
  training?: boolean;
}

/** channelsLast (batch, 7, 9, 2) and channelsFirst (batch, 2, 7, 9) versions of an image case. */
function image(name: string, make: (dataFormat: 'channelsLast' | 'channelsFirst') => Layer, rows: number | null,
  cols: number | null, channels: number): [string, Case][] {
  return (['channelsLast', 'channelsFirst'] as const).map((dataFormat) => {
    const spatial = (r: number | null, c: number | null, ch: number | null): Shape =>
      dataFormat === 'channelsLast' ? [null, r, c, ch] : [null, ch, r, c];
    return [`${name} ${dataFormat}`, { make: () => make(dataFormat), inputs: [spatial(7, 9, 2)], expected: spatial(rows, cols, channels) }];
  });
}

const cases: [string, Case][] = [
  ['Dense rank 2', { make: () => new Dense({ units: 3 }), inputs: [[null, 4]], expected: [null, 3] }],
  ['Dense rank 3 (last axis)', { make: () => new Dense({ units: 3 }), inputs: [[null, 5, 4]], expected: [null, 5, 3] }],
  ['Activation', { make: () => new Activation({ activation: 'softmax' }), inputs: [[null, 4]], expected: [null, 4] }],
  ['Dropout (training)', { make: () => new Dropout({ rate: 0.5 }), inputs: [[null, 4]], expected: [null, 4], training: true }],
  ['Dropout with noiseShape', {
    make: () => new Dropout({ rate: 0.5, noiseShape: [null, 1, null], seed: 3 }), inputs: [[null, 3, 4]],
    expected: [null, 3, 4], training: true,
  }],
  ['Flatten', { make: () => new Flatten(), inputs: [[null, 2, 3, 4]], expected: [null, 24] }],
  ['Flatten channelsFirst', { make: () => new Flatten({ dataFormat: 'channelsFirst' }), inputs: [[null, 2, 3, 4]], expected: [null, 24] }],
  ['Reshape with -1', { make: () => new Reshape({ targetShape: [3, -1] }), inputs: [[null, 2, 6]], expected: [null, 3, 4] }],
  ['Reshape of an unknown size', {
    make: () => new Reshape({ targetShape: [-1, 2] }), inputs: [[null, null, 2]], expected: [null, null, 2], fill: [2, 3],
  }],
  ['Permute [2, 1]', { make: () => new Permute({ dims: [2, 1] }), inputs: [[null, 2, 3]], expected: [null, 3, 2] }],
  ['Permute [3, 1, 2]', { make: () => new Permute({ dims: [3, 1, 2] }), inputs: [[null, 2, 3, 4]], expected: [null, 4, 2, 3] }],
  ['RepeatVector', { make: () => new RepeatVector({ n: 3 }), inputs: [[null, 4]], expected: [null, 3, 4] }],
  ['Embedding', {
    make: () => new Embedding({ inputDim: 10, outputDim: 4 }), inputs: [[null, 5]], expected: [null, 5, 4], dtype: 'int32',
  }],
  ['Embedding with inputLength', {
    make: () => new Embedding({ inputDim: 10, outputDim: 4, inputLength: 5 }), inputs: [[null, null]], expected: [null, 5, 4],
    dtype: 'int32', fill: [2, 5],
  }],
  ['Lambda (inferred): sum over axis 1', { make: () => new Lambda((x: Tensor) => K.sum(x, 1)), inputs: [[null, 3, 4]], expected: [null, 4] }],
  ['Lambda (inferred): flatten everything', {
    make: () => new Lambda((x: Tensor) => K.flatten(x)), inputs: [[null, 3, 4]], expected: [null], concrete: [24],
  }],
  ['Lambda (inferred): a reduction over the batch', {
    make: () => new Lambda((x: Tensor) => K.sum(x, 0)), inputs: [[null, 3, 4]], expected: [3, 4],
  }],
  ['Lambda (inferred) with arguments', {
    make: () => new Lambda((x: Tensor, args) => K.repeatElements(x, args.times as number, 1), { arguments: { times: 2 } }),
    inputs: [[null, 3]], expected: [null, 6],
  }],
  ['Lambda (inferred): integer input to one-hot', {
    make: () => new Lambda((x: Tensor) => K.oneHot(x, 5)), inputs: [[null, 3]], expected: [null, 3, 5], dtype: 'int64',
  }],
  ['Lambda (inferred) of two inputs', {
    make: () => new Lambda((xs: Tensor[]) => K.concatenate(xs, -1)), inputs: [[null, 3], [null, 2]], expected: [null, 5],
  }],
  ...image('Conv2D same, strides 2', (dataFormat) => new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', dataFormat }), 4, 5, 4),
  ...image('Conv2D valid, dilation 2', (dataFormat) => new Conv2D({ filters: 4, kernelSize: 3, dilationRate: 2, dataFormat }), 3, 5, 4),
  ...image('Conv2D valid, kernel [3, 2], strides 2', (dataFormat) => new Conv2D({ filters: 1, kernelSize: [3, 2], strides: 2, dataFormat }), 3, 4, 1),
  ...image('MaxPooling2D default', (dataFormat) => new MaxPooling2D({ dataFormat }), 3, 4, 2),
  ...image('MaxPooling2D same', (dataFormat) => new MaxPooling2D({ padding: 'same', dataFormat }), 4, 5, 2),
  ...image('AveragePooling2D 3, strides 2', (dataFormat) => new AveragePooling2D({ poolSize: 3, strides: 2, dataFormat }), 3, 4, 2),
  ...image('AveragePooling2D same, strides [1, 3]', (dataFormat) => new AveragePooling2D({ poolSize: [2, 2], strides: [1, 3], padding: 'same', dataFormat }), 7, 3, 2),
  ...image('ZeroPadding2D [[1, 2], [3, 0]]', (dataFormat) => new ZeroPadding2D({ padding: [[1, 2], [3, 0]], dataFormat }), 10, 12, 2),
  ...image('ZeroPadding2D 1', (dataFormat) => new ZeroPadding2D({ dataFormat }), 9, 11, 2),
  ...image('BatchNormalization on the channel axis', (dataFormat) => new BatchNormalization({ axis: dataFormat === 'channelsLast' ? -1 : 1 }), 7, 9, 2),
  ['GlobalAveragePooling2D channelsLast', { make: () => new GlobalAveragePooling2D(), inputs: [[null, 7, 9, 2]], expected: [null, 2] }],
  ['GlobalAveragePooling2D channelsFirst', {
    make: () => new GlobalAveragePooling2D({ dataFormat: 'channelsFirst' }), inputs: [[null, 2, 7, 9]], expected: [null, 2],
  }],
  ['GlobalMaxPooling2D channelsLast', { make: () => new GlobalMaxPooling2D(), inputs: [[null, 7, 9, 2]], expected: [null, 2] }],
  ['GlobalMaxPooling2D channelsFirst', {
    make: () => new GlobalMaxPooling2D({ dataFormat: 'channelsFirst' }), inputs: [[null, 2, 7, 9]], expected: [null, 2],
  }],
  ['Conv2D on unknown spatial sizes', {
    make: () => new Conv2D({ filters: 4, kernelSize: 3 }), inputs: [[null, null, null, 3]], expected: [null, null, null, 4],
    fill: [2, 7, 9], concrete: [2, 5, 7, 4],
  }],
  ['MaxPooling2D channelsFirst on unknown spatial sizes', {
    make: () => new MaxPooling2D({ dataFormat: 'channelsFirst' }), inputs: [[null, 3, null, null]], expected: [null, 3, null, null],
    fill: [2, 7, 9], concrete: [2, 3, 3, 4],
  }],
  ['BatchNormalization rank 2', { make: () => new BatchNormalization(), inputs: [[null, 4]], expected: [null, 4], training: true }],
  ['Add', { make: () => new Add(), inputs: [[null, 3], [null, 3], [null, 3]], expected: [null, 3] }],
  ['Add broadcasting a size-1 axis', { make: () => new Add(), inputs: [[null, 4, 3], [null, 1, 3]], expected: [null, 4, 3] }],
  ['Add of different ranks', { make: () => new Add(), inputs: [[null, 4, 3], [null, 3]], expected: [null, 4, 3] }],
  ['Subtract', { make: () => new Subtract(), inputs: [[null, 3], [null, 3]], expected: [null, 3] }],
  ['Multiply', { make: () => new Multiply(), inputs: [[null, 2, 3], [null, 2, 3]], expected: [null, 2, 3] }],
  ['Average', { make: () => new Average(), inputs: [[null, 3], [null, 3]], expected: [null, 3] }],
  ['Maximum', { make: () => new Maximum(), inputs: [[null, 3], [null, 3]], expected: [null, 3] }],
  ['Minimum', { make: () => new Minimum(), inputs: [[null, 3], [null, 3]], expected: [null, 3] }],
  ['Concatenate axis -1', { make: () => new Concatenate(), inputs: [[null, 3], [null, 4]], expected: [null, 7] }],
  ['Concatenate axis 1', { make: () => new Concatenate({ axis: 1 }), inputs: [[null, 2, 3], [null, 4, 3]], expected: [null, 6, 3] }],
  ['Dot axes 1', { make: () => new Dot({ axes: 1 }), inputs: [[null, 4], [null, 4]], expected: [null, 1] }],
  ['Dot axes [2, 2]', { make: () => new Dot({ axes: [2, 2] }), inputs: [[null, 3, 4], [null, 5, 4]], expected: [null, 3, 5] }],
  ['Dot axes [1, 2]', { make: () => new Dot({ axes: [1, 2], normalize: true }), inputs: [[null, 4, 3], [null, 5, 4]], expected: [null, 3, 5] }],
  ['Merge (function, inferred)', {
    make: () => new Merge({ mode: (xs: Tensor[]) => K.concatenate([xs[0], K.square(xs[1])], 1) }),
    inputs: [[null, 2], [null, 3]], expected: [null, 5],
  }],
];

function concreteInput(shape: Shape, fill: number[], dtype: DType): Tensor {
  const concrete = shape.map((d) => (d === null ? fill.shift() ?? 7 : d));
  if (dtype === 'int32' || dtype === 'int64') return K.cast(K.floor(K.randomUniform(concrete, 0, 5)), dtype);
  return K.randomUniform(concrete, -1, 1, dtype);
}

test.each(cases)('%s', async (_, c) => {
  const dtype = c.dtype ?? 'float32';
  const symbolic = c.inputs.map((shape) => Input({ batchShape: shape, dtype }));
  const layer = c.make();
  const out = layer.apply(symbolic.length === 1 ? symbolic[0] : symbolic) as SymbolicTensor;
  expect(out).toBeInstanceOf(SymbolicTensor);
  expect(out.shape).toEqual(c.expected);
  const fills = c.inputs.map(() => [...(c.fill ?? [2])]);
  const tensors = c.inputs.map((shape, i) => concreteInput(shape, fills[i], dtype));
  await settle();
  // A concrete call leaves exactly its output behind (nothing when it passes an input through).
  const mark = memory();
  const result = layer.apply(tensors.length === 1 ? tensors[0] : tensors, { training: c.training }) as Tensor;
  expect(tensorsSince(mark).numTensors).toBe(tensors.includes(result) ? 0 : 1);
  tidy(() => {
    const y = result;
    expect(y).toBeInstanceOf(Tensor);
    expect(y.dtype).toBe(out.dtype);
    const filled = [...(c.fill ?? [2])];
    const expected = c.concrete ?? c.expected.map((d) => (d === null ? filled.shift() ?? 7 : d));
    expect(y.shape).toEqual(expected);
    // The same arithmetic on the concrete shapes predicts the concrete output.
    const shapes = tensors.map((t) => t.shape);
    expect(layer.computeOutputShape(shapes.length === 1 ? shapes[0] : shapes)).toEqual(y.shape);
  });
  K.dispose([result, tensors]);
});

test('shape inference by a probe run leaves no tensor behind', async () => {
  const input = Input({ shape: [3, 4] });
  const lambda = new Lambda((x: Tensor) => K.sum(K.square(x), 1));
  const mark = memory();
  expect(lambda.apply(input).shape).toEqual([null, 4]);
  expect(() => new Lambda(() => { throw new Error('boom'); }).apply(input)).toThrow(/boom/);
  expect(tensorsSince(mark).numTensors).toBe(0);
});

test('output dtypes: Embedding gives float32 vectors; shape-only layers keep the input dtype', () => {
  const ids = Input({ shape: [4], dtype: 'int32' });
  expect(new Embedding({ inputDim: 3, outputDim: 2 }).apply(ids).dtype).toBe('float32');
  expect(new Reshape({ targetShape: [2, 2] }).apply(ids).dtype).toBe('int32');
  expect(new Lambda((x: Tensor) => K.cast(x, 'float64')).apply(ids).dtype).toBe('float64');
  const x64 = Input({ shape: [4], dtype: 'float64' });
  expect(new Lambda((x: Tensor) => K.abs(x), { outputShape: [4] }).apply(x64).dtype).toBe('float64');
  expect(new Dropout({ rate: 0.1 }).apply(x64).dtype).toBe('float64');
});

test('convOutputLength is Keras conv_output_length', () => {
  expect(convOutputLength(7, 3, 'valid', 1)).toBe(5);
  expect(convOutputLength(7, 3, 'valid', 2)).toBe(3);
  expect(convOutputLength(7, 3, 'same', 2)).toBe(4);
  expect(convOutputLength(10, 3, 'valid', 1, 3)).toBe(4);
  expect(convOutputLength(null, 3, 'same', 2)).toBeNull();
});

test('Dropout zeroes only in training, and a seed makes masks reproducible', () => {
  tidy(() => {
    const x = K.ones([4, 50]);
    const layer = new Dropout({ rate: 0.5, seed: 7 });
    expect(layer.apply(x).array()).toEqual(x.array());
    const dropped = layer.apply(x, { training: true });
    const values = Array.from(dropped.data() as Float32Array);
    expect(values.every((v) => v === 0 || v === 2)).toBe(true);
    expect(values.filter((v) => v === 0).length).toBeGreaterThan(50);
    const again = new Dropout({ rate: 0.5, seed: 7 }).apply(x, { training: true });
    expect(again.array()).toEqual(dropped.array());
    const shared = new Dropout({ rate: 0.5, noiseShape: [null, 1] }).apply(x, { training: true }).array() as number[][];
    for (const row of shared) expect(new Set(row).size).toBe(1);
  });
});
