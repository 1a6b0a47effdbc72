/**
 * getConfig round trips: `new Cls(layer.getConfig())` recreates every layer with an equal,
 * JSON-serializable config, and (with the weights copied) the same outputs. Every class is
 * registered for loading.
 */
import {
  Activation, Add, Average, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, Dot, Dropout, Embedding,
  Flatten, getRegisteredClass, GlobalAveragePooling2D, GlobalMaxPooling2D, Input, K, Lambda, Layer, layerClasses,
  Maximum, MaxPooling2D, Merge, Minimum, Multiply, Permute, registerFunction, RepeatVector, Reshape, Shape, Subtract,
  Tensor, tidy, unregisterFunction, ZeroPadding2D, L1L2, KeratorchError, merge, Identity, ReLU, LeakyReLU, PReLU, ELU,
  Softmax, LayerNormalization, UnitNormalization,
} from '../../src';

const doubleAbs = (x: Tensor, args: Record<string, unknown>) => K.multiply(K.abs(x), args.factor as number);
const productOfTwo = (xs: Tensor[]) => K.multiply(xs[0], xs[1]);
const sameShape = (shape: Shape | Shape[]) => shape;
beforeAll(() => {
  registerFunction('configTest.doubleAbs', doubleAbs);
  registerFunction('configTest.productOfTwo', productOfTwo);
  registerFunction('configTest.sameShape', sameShape);
});
afterAll(() => {
  ['configTest.doubleAbs', 'configTest.productOfTwo', 'configTest.sameShape'].forEach(unregisterFunction);
});

type LayerClass = new (config: Record<string, unknown>) => Layer;

/** [layer, input shapes (batch axis included)]. */
const layers: [Layer, Shape[]][] = [
  [new Dense({
    units: 3, activation: 'hard_sigmoid', useBias: false, kernelInitializer: 'heNormal', kernelRegularizer: new L1L2(0.1, 0.2),
    inputShape: [4], name: 'config_dense',
  }), [[null, 4]]],
  [new Dense({ units: 2, biasInitializer: { className: 'Constant', config: { value: 0.5 } }, biasRegularizer: 'l2', trainable: false }), [[null, 5]]],
  [new Activation({ activation: 'leaky_relu' }), [[null, 3]]],
  [new Dropout({ rate: 0.3, noiseShape: [null, 1], seed: 5 }), [[null, 3]]],
  [new Flatten({ dataFormat: 'channelsFirst' }), [[null, 2, 3, 4]]],
  [new Reshape({ targetShape: [-1, 2] }), [[null, 6]]],
  [new Permute({ dims: [2, 1] }), [[null, 2, 3]]],
  [new RepeatVector({ n: 4 }), [[null, 3]]],
  [new Embedding({ inputDim: 7, outputDim: 2, inputLength: 3, embeddingsRegularizer: 'l1' }), [[null, 3]]],
  [new Lambda(doubleAbs, { arguments: { factor: 2 }, outputShape: [3] }), [[null, 3]]],
  [new Lambda(doubleAbs, { arguments: { factor: 3 }, outputShape: sameShape, dtype: 'float32' }), [[null, 3]]],
  [new Conv2D({
    filters: 2, kernelSize: [3, 2], strides: [2, 1], padding: 'same', dataFormat: 'channelsFirst', activation: 'relu',
    kernelInitializer: 'lecunUniform', biasInitializer: 'ones',
  }), [[null, 3, 5, 5]]],
  [new Conv2D({ filters: 1, kernelSize: 3, dilationRate: 2 }), [[null, 6, 6, 1]]],
  [new ZeroPadding2D({ padding: [1, 2], dataFormat: 'channelsFirst' }), [[null, 1, 3, 3]]],
  [new MaxPooling2D({ poolSize: [3, 2], strides: 1, padding: 'same' }), [[null, 4, 4, 2]]],
  [new AveragePooling2D({ poolSize: 2, dataFormat: 'channelsFirst' }), [[null, 2, 4, 4]]],
  [new GlobalAveragePooling2D({ dataFormat: 'channelsFirst' }), [[null, 2, 4, 4]]],
  [new GlobalMaxPooling2D(), [[null, 4, 4, 2]]],
  [new Add(), [[null, 3], [null, 3]]],
  [new Subtract({ name: 'config_subtract' }), [[null, 3], [null, 3]]],
  [new Multiply(), [[null, 3], [null, 3]]],
  [new Average(), [[null, 3], [null, 3]]],
  [new Maximum(), [[null, 3], [null, 3]]],
  [new Minimum(), [[null, 3], [null, 3]]],
  [new Concatenate({ axis: 1 }), [[null, 2, 3], [null, 1, 3]]],
  [new Dot({ axes: [1, 1], normalize: true }), [[null, 3], [null, 3]]],
  [new Merge({ mode: productOfTwo }), [[null, 3], [null, 3]]],
  [new BatchNormalization({
    axis: 1, momentum: 0.9, epsilon: 0.01, center: false, gammaInitializer: 'randomNormal',
    movingVarianceInitializer: { className: 'Constant', config: { value: 2 } }, gammaRegularizer: 'l2',
  }), [[null, 3, 2]]],
  [new Identity(), [[null, 3]]],
  [new ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }), [[null, 3]]],
  [new LeakyReLU({ negativeSlope: 0.05 }), [[null, 3]]],
  [new PReLU({ alphaInitializer: 'ones', alphaRegularizer: 'l2', sharedAxes: [1] }), [[null, 3, 2]]],
  [new ELU({ alpha: 0.5 }), [[null, 3]]],
  [new Softmax({ axis: 1 }), [[null, 3, 2]]],
  [new LayerNormalization({ axis: [1, 2], epsilon: 1e-5, center: false, gammaInitializer: 'randomNormal' }), [[null, 3, 2]]],
  [new UnitNormalization({ axis: [1, 2] }), [[null, 3, 2]]],
];

test('every built-in layer class is covered here and registered for loading', () => {
  const covered = new Set(layers.map(([layer]) => layer.constructor));
  for (const cls of layerClasses) {
    expect(covered.has(cls)).toBe(true);
    expect(getRegisteredClass(cls.className)).toBe(cls);
  }
});

test.each(layers.map(([layer, shapes]) => [layer.name, layer, shapes] as const))('%s', (_, layer, shapes) => {
  const inputs = shapes.map((shape) => Input({ batchShape: shape, dtype: layer.className === 'Embedding' ? 'int32' : 'float32' }));
  layer.apply(inputs.length === 1 ? inputs[0] : inputs);
  const config = layer.getConfig();
  expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  const Cls = layer.constructor as LayerClass;
  const copy = new Cls(JSON.parse(JSON.stringify(config)));
  expect(copy.getConfig()).toEqual(config);
  expect(copy.className).toBe(layer.className);
  // With the weights copied, the recreated layer computes the same thing.
  tidy(() => {
    const tensors = shapes.map((shape) => {
      const concrete = shape.map((d) => d ?? 2) as number[];
      return layer.className === 'Embedding' ? K.cast(K.floor(K.randomUniform(concrete, 0, 7)), 'int32')
        : K.randomUniform(concrete, -1, 1);
    });
    const x = tensors.length === 1 ? tensors[0] : tensors;
    const expected = layer.apply(x) as Tensor;
    copy.apply(x);
    copy.setWeights(layer.weights);
    expect((copy.apply(x) as Tensor).array()).toEqual(expected.array());
  });
});

test.each(layers.map(([layer]) => [layer.name, layer] as const))('%s refuses an unknown option, listing every known one', (_, layer) => {
  const Cls = layer.constructor as LayerClass;
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  let message = '';
  try {
    new Cls({ ...config, name: `${layer.name}_copy`, fooBar: 1 });
  } catch (error) {
    expect(error).toBeInstanceOf(KeratorchError);
    message = (error as KeratorchError).message;
  }
  expect(message).toMatch(new RegExp(`^${layer.className}: expected an option among .* for args but received "fooBar"$`));
  // The list names every option the layer's config holds (those are constructor options), and the shared ones.
  const known = message.slice(message.indexOf('among ') + 6, message.indexOf(' for args')).split(', ');
  expect(known).toEqual(expect.arrayContaining([...Object.keys(config), 'inputShape', 'batchSize']));
});

test('the positional forms refuse unknown options too: Lambda(fn, options), and Keras 1\'s merge', () => {
  expect(() => new Lambda(doubleAbs, { outputshape: [3] } as never)).toThrow(
    /^Lambda: expected an option among .*outputShape.* for args but received "outputshape"$/);
  const inputs = [Input({ shape: [3] }), Input({ shape: [3] })];
  expect(() => merge(inputs, { mode: 'concat', axis: 1 } as never)).toThrow(
    /^merge: expected an option among mode, outputShape, name, concatAxis, dotAxes, arguments for options but received "axis"$/);
});

test('an unregistered Lambda function is stored as null, and cannot be recreated from that', () => {
  const layer = new Lambda((x: Tensor) => K.exp(x), { outputShape: (s) => s });
  expect(layer.getConfig()).toMatchObject({ function: null, outputShape: null, arguments: {} });
  expect(layer.unsavedParts()).toEqual([
    expect.stringMatching(/^its function \(an anonymous function\) has no registered name: call registerFunction\("lambda_\d+_function", fn\)/),
    expect.stringMatching(/^its outputShape \(an anonymous function\) has no registered name/),
  ]);
  expect(() => new Lambda(layer.getConfig() as never)).toThrow(
    /^Lambda: the Lambda layer "lambda_\d+" has null for function: it was saved without its function/);
});

test('an unregistered custom activation cannot be serialized; a registered one can', () => {
  const swish = (x: Tensor) => K.multiply(x, K.sigmoid(x));
  const layer = new Dense({ units: 2, activation: swish });
  expect(() => layer.getConfig()).toThrow(/^Dense: expected a built-in activation or a function registered/);
  registerFunction('configTest.swish', swish);
  try {
    expect(layer.getConfig().activation).toBe('configTest.swish');
    expect(new Dense(layer.getConfig() as never).activation).toBe(swish);
  } finally {
    unregisterFunction('configTest.swish');
  }
});
