/**
 * Gradients through layers, checked numerically: K.gradients of sum(layer(x) * w) against central
 * finite differences, in float64, for the inputs and the weights.
 */
import {
  BatchNormalization, Concatenate, Conv2D, Dense, Dot, Embedding, K, Layer, Tensor, tensor,
} from '../../src';
import { expectGradientsMatch, weighting } from '../helpers/gradcheck';

function randomVariable(shape: number[], seed: number): Tensor {
  return K.tidy(() => K.variable(K.randomUniform(shape, -1, 1, 'float64', seed), 'float64'));
}

/** sum(layer(inputs) * w), with w fixed per output shape. */
function weightedLoss(layer: Layer, inputs: Tensor | Tensor[], training = false): () => Tensor {
  let w: Tensor | undefined;
  return () => {
    const out = layer.apply(inputs as Tensor, { training }) as Tensor;
    if (!w) w = K.keep(weighting(out.shape));
    return K.sum(K.multiply(out, w));
  };
}

describe('Dense', () => {
  test.each([[[3, 4]], [[2, 3, 4]]])('input %j: kernel, bias and input gradients', (shape) => {
    const layer = new Dense({ units: 3, activation: 'tanh', dtype: 'float64', biasInitializer: 'randomNormal' });
    const x = randomVariable(shape, 1);
    const loss = weightedLoss(layer, x);
    loss();
    expectGradientsMatch(loss, [x, layer.kernel as Tensor, layer.bias as Tensor]);
  });
});

describe('Conv2D', () => {
  test.each([
    ['channelsLast', 'same', 2, 1],
    ['channelsFirst', 'same', 1, 1],
    ['channelsLast', 'valid', 1, 2],
    ['channelsFirst', 'valid', 2, 1],
  ] as const)('%s, padding %s, strides %d, dilation %d', (dataFormat, padding, strides, dilationRate) => {
    const layer = new Conv2D({
      filters: 3, kernelSize: [3, 2], strides, padding, dataFormat, dilationRate, activation: 'tanh', dtype: 'float64',
      biasInitializer: 'randomNormal',
    });
    const x = randomVariable(dataFormat === 'channelsLast' ? [2, 6, 5, 2] : [2, 2, 6, 5], 2);
    const loss = weightedLoss(layer, x);
    loss();
    expectGradientsMatch(loss, [x, layer.kernel as Tensor, layer.bias as Tensor]);
  });
});

describe('BatchNormalization (training: batch statistics)', () => {
  test.each([
    [[5, 3], -1],
    [[2, 3, 3, 2], -1],
    [[2, 3, 3, 2], 1],
  ])('input %j, axis %d', (shape, axis) => {
    const layer = new BatchNormalization({ axis, dtype: 'float64', gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' });
    const x = randomVariable(shape, 3);
    const loss = weightedLoss(layer, x, true);
    loss();
    expectGradientsMatch(loss, [x, layer.gamma as Tensor, layer.beta as Tensor], 1e-5, 1e-7);
  });
});

test('Embedding: the matrix gets the summed gradients of the rows it gave, repeated indices included', () => {
  const layer = new Embedding({ inputDim: 5, outputDim: 3, dtype: 'float64' });
  const indices = tensor([[0, 2, 2], [4, 0, 1]], undefined, 'int32');
  const loss = weightedLoss(layer, indices);
  loss();
  expectGradientsMatch(loss, [layer.embeddings as Tensor]);
});

describe('Dot', () => {
  test.each([
    [[3, 4], [3, 4], 1, false],
    [[3, 4], [3, 4], -1, true],
    [[2, 3, 4], [2, 5, 4], [2, 2], false],
    [[2, 3, 4], [2, 4, 5], [2, 1], true],
  ] as const)('%j . %j on axes %j, normalize %s', (xs, ys, axes, normalize) => {
    const layer = new Dot({ axes: axes as number | [number, number], normalize, dtype: 'float64' });
    const x = randomVariable([...xs], 4);
    const y = randomVariable([...ys], 5);
    const loss = weightedLoss(layer, [x, y]);
    loss();
    expectGradientsMatch(loss, [x, y]);
  });
});

describe('Concatenate', () => {
  test.each([
    [[2, 3], [2, 4], -1],
    [[2, 2, 3], [2, 1, 3], 1],
  ])('%j with %j on axis %d', (as, bs, axis) => {
    const layer = new Concatenate({ axis, dtype: 'float64' });
    const a = randomVariable(as, 6);
    const b = randomVariable(bs, 7);
    const loss = weightedLoss(layer, [a, b]);
    loss();
    expectGradientsMatch(loss, [a, b]);
  });
});
