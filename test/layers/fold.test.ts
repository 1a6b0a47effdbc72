/**
 * Folding a linear Conv2D and the 1x1 Conv2D reading it into one convolution (Model.foldLinearLayers):
 * outputs and every weight's and input's gradient equal the layer-by-layer run; the producer's own
 * call is skipped only when the fold is exact (linear producer, pointwise consumer with no more
 * filters, output read by that consumer alone and not a model output).
 */
import { Conv2D, Dense, Input, K, Layer, Model, SymbolicTensor, Tensor } from '../../src';
import { weighting } from '../helpers/gradcheck';

type ConvOptions = ConstructorParameters<typeof Conv2D>[0];

function chain(first: Partial<ConvOptions>, second: Partial<ConvOptions>, dataFormat: 'channelsFirst' | 'channelsLast' = 'channelsFirst') {
  const shape = dataFormat === 'channelsFirst' ? [3, 7, 6] : [7, 6, 3];
  const image = Input({ shape, dtype: 'float64', name: 'image' });
  const producer = new Conv2D({ filters: 12, kernelSize: 3, padding: 'same', dataFormat, dtype: 'float64', name: 'producer',
    biasInitializer: 'randomNormal', ...first });
  const consumer = new Conv2D({ filters: 2, kernelSize: 1, dataFormat, dtype: 'float64', name: 'consumer',
    biasInitializer: 'randomNormal', ...second });
  const out = consumer.apply(producer.apply(image) as SymbolicTensor) as SymbolicTensor;
  return { model: new Model({ inputs: image, outputs: out }), producer, consumer, shape };
}

/** The output and the gradients of sum(out * w) for the input and every weight, with folding on or off. */
function run(model: Model, x: Tensor, fold: boolean): { out: number[]; grads: number[][] } {
  model.foldLinearLayers = fold;
  return K.tidy(() => {
    const out = model.apply(x) as Tensor;
    const loss = K.sum(K.multiply(out, weighting(out.shape)));
    const grads = K.gradients(loss, [x, ...model.trainableWeights]);
    return { out: Array.from(out.data() as Float64Array), grads: grads.map((g) => Array.from(g.data() as Float64Array)) };
  });
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1e-12, ...expected.map(Math.abs));
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]) / scale).toBeLessThan(1e-12));
}

function input(shape: number[], seed: number): Tensor {
  return K.tidy(() => K.variable(K.randomUniform([4, ...shape], -1, 1, 'float64', seed), 'float64'));
}

describe('folding a linear Conv2D into the 1x1 Conv2D after it', () => {
  test.each([
    ['channelsFirst, both biases', {}, {}, 'channelsFirst'],
    ['channelsLast, both biases', {}, {}, 'channelsLast'],
    ['no producer bias, consumer without bias (the VIN reward)', { useBias: false }, { useBias: false }, 'channelsFirst'],
    ['strided producer (valid padding), consumer tanh', { strides: 2, padding: 'valid' as const }, { activation: 'tanh' as const }, 'channelsLast'],
    ['dilated producer, consumer activation', { dilationRate: 2 }, { activation: 'relu' as const }, 'channelsFirst'],
  ] as const)('%s: outputs and gradients equal the unfolded run; the producer never runs', (_, first, second, dataFormat) => {
    const { model, producer, shape } = chain(first, second, dataFormat);
    const x = input(shape, 3);
    const unfolded = run(model, x, false);
    const calls = jest.spyOn(producer, 'call');
    const folded = run(model, x, true);
    expect(calls).not.toHaveBeenCalled();
    calls.mockRestore();
    expectClose(folded.out, unfolded.out);
    expect(folded.grads.length).toBe(1 + 4 - (first.useBias === false ? 1 : 0) - (second.useBias === false ? 1 : 0));
    folded.grads.forEach((g, i) => expectClose(g, unfolded.grads[i]));
  });

  function expectProducerRuns(model: Model, producer: Layer, x: Tensor): void {
    model.foldLinearLayers = true;
    const calls = jest.spyOn(producer, 'call');
    K.tidy(() => { model.apply(x); });
    expect(calls).toHaveBeenCalledTimes(1);
    calls.mockRestore();
  }

  test.each([
    ['the producer has an activation', { activation: 'relu' as const }, {}],
    ['the consumer is 3x3', {}, { kernelSize: 3, padding: 'same' as const }],
    ['the consumer has more filters', { filters: 2 }, { filters: 5 }],
    ['the consumer is strided', {}, { strides: 2 }],
  ] as const)('not folded when %s', (_, first, second) => {
    const { model, producer, shape } = chain(first, second);
    expectProducerRuns(model, producer, input(shape, 4));
  });

  test('not folded when the hidden output is read twice or is a model output', () => {
    const image = Input({ shape: [2, 5, 5], dtype: 'float64' });
    const producer = new Conv2D({ filters: 6, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', dtype: 'float64' });
    const hidden = producer.apply(image) as SymbolicTensor;
    const pointwise = new Conv2D({ filters: 1, kernelSize: 1, dataFormat: 'channelsFirst', dtype: 'float64' });
    const x = input([2, 5, 5], 5);
    const asOutput = new Model({ inputs: image, outputs: [hidden, pointwise.apply(hidden) as SymbolicTensor] });
    expectProducerRuns(asOutput, producer, x);
    const other = new Conv2D({ filters: 1, kernelSize: 1, dataFormat: 'channelsFirst', dtype: 'float64' });
    const readTwice = new Model({ inputs: image, outputs: [pointwise.apply(hidden) as SymbolicTensor, other.apply(hidden) as SymbolicTensor] });
    expectProducerRuns(readTwice, producer, x);
  });

  test('a Dense producer is not folded by Conv2D, and training sees the same weights either way', () => {
    const image = Input({ shape: [3, 3, 4], dtype: 'float64' });
    const dense = new Dense({ units: 4, dtype: 'float64' });
    const conv = new Conv2D({ filters: 1, kernelSize: 1, dtype: 'float64' });
    const model = new Model({ inputs: image, outputs: conv.apply(dense.apply(image) as SymbolicTensor) as SymbolicTensor });
    expectProducerRuns(model, dense, input([3, 3, 4], 6));
    const { model: folded } = chain({}, {});
    expect(folded.trainableWeights.map((w) => w.name)).toEqual(['producer/kernel', 'producer/bias', 'consumer/kernel', 'consumer/bias']);
  });

  test('an error inside the folded step names the consumer layer and the input shape', () => {
    const { model, producer } = chain({}, {});
    model.foldLinearLayers = true;
    const kernel = producer.kernel as Tensor;
    const x = input([3, 7, 6], 7);
    // A kernel replaced by one of another shape makes the folded product fail inside the step.
    producer.kernel = K.keep(K.zeros([3, 3, 5, 12], 'float64'));
    expect(() => model.apply(x)).toThrow(/layer "consumer" \(Conv2D\) call \(input \(4, 3, 7, 6\)\)/);
    producer.kernel.dispose();
    producer.kernel = kernel;
  });
});
