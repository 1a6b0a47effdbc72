/**
 * Layers inside models: shared layers share weights, a model on an intermediate output shares the
 * original's weights, Sequential with add, and the summary table.
 */
import {
  Add, Concatenate, Conv2D, Dense, Flatten, Input, K, Lambda, MaxPooling2D, Model, Sequential, Tensor, tensor, tidy,
} from '../../src';

test('one layer applied twice shares its weights', () => {
  const shared = new Dense({ units: 2, name: 'shared_dense' });
  const a = Input({ shape: [3] });
  const b = Input({ shape: [3] });
  const sum = new Add().apply([shared.apply(a), shared.apply(b)]);
  const model = new Model({ inputs: [a, b], outputs: sum });
  expect(shared.inboundNodes).toHaveLength(2);
  expect(model.weights).toHaveLength(2);
  expect(model.countParams()).toBe(8);
  tidy(() => {
    const x = tensor([[1, 2, 3]]);
    const y = tensor([[-1, 0, 2]]);
    const expected = K.add(shared.apply(x), shared.apply(y));
    expect((model.apply([x, y]) as Tensor).array()).toEqual(expected.array());
    // Changing the weights through the layer changes both branches.
    shared.setWeights([K.ones([3, 2]), K.zeros([2])]);
    expect((model.apply([x, y]) as Tensor).array()).toEqual([[7, 7]]);
  });
});

test('a model on an intermediate output of another shares its weights', () => {
  const input = Input({ shape: [4] });
  const hidden = new Dense({ units: 3, activation: 'tanh', name: 'x' }).apply(input);
  const output = new Dense({ units: 1, name: 'head' }).apply(hidden);
  const model = new Model({ inputs: input, outputs: output });
  const features = new Model({ inputs: model.inputs, outputs: model.getLayer('x').output });
  expect(features.layers.map((l) => l.name)).toEqual([model.layers[0].name, 'x']);
  expect(features.weights).toHaveLength(2);
  features.weights.forEach((w, i) => expect(w).toBe(model.getLayer('x').weights[i]));
  tidy(() => {
    const x = K.randomUniform([2, 4]);
    const head = model.getLayer('head') as Dense;
    const viaFeatures = head.apply(features.apply(x) as Tensor);
    expect((model.apply(x) as Tensor).array()).toEqual(viaFeatures.array());
    model.getLayer('x').setWeights([K.zeros([4, 3]), K.ones([3])]);
    const tanh1 = Math.fround(Math.tanh(1));
    expect((features.apply(x) as Tensor).array()).toEqual([[tanh1, tanh1, tanh1], [tanh1, tanh1, tanh1]]);
  });
});

test('Sequential built with add', () => {
  const model = new Sequential();
  model.add(new Conv2D({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1], activation: 'relu' }));
  model.add(new MaxPooling2D());
  model.add(new Flatten());
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  expect(model.outputs[0].shape).toEqual([null, 3]);
  expect(model.countParams()).toBe(2 * 9 + 2 + 8 * 3 + 3);
  tidy(() => {
    const y = model.apply(K.randomUniform([5, 6, 6, 1])) as Tensor;
    expect(y.shape).toEqual([5, 3]);
    const rows = y.array() as number[][];
    for (const row of rows) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });
});

test('Sequential without an input shape builds on first use', () => {
  const model = new Sequential([new Dense({ units: 4 }), new Lambda((x: Tensor) => K.square(x)), new Dense({ units: 1 })]);
  tidy(() => {
    expect((model.apply(K.ones([2, 3])) as Tensor).shape).toEqual([2, 1]);
  });
  expect(model.inputs[0].shape).toEqual([null, 3]);
  expect(model.countParams()).toBe(3 * 4 + 4 + 4 + 1);
  tidy(() => {
    expect((model.apply(K.ones([5, 3])) as Tensor).shape).toEqual([5, 1]);
  });
});

test('summary of a small functional model: shapes, params and connections', () => {
  const a = Input({ shape: [4], name: 'left' });
  const b = Input({ shape: [2], name: 'right' });
  const dense = new Dense({ units: 3, name: 'encode' }).apply(a);
  const joined = new Concatenate({ name: 'join' }).apply([dense, b]);
  const out = new Dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(joined);
  const model = new Model({ inputs: [a, b], outputs: out, name: 'scorer' });
  const lines: string[] = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  expect(lines.join('\n')).toBe([
    'Model: "scorer"',
    '_'.repeat(98),
    'Layer (type)                    Output Shape         Param #     Connected to',
    '='.repeat(98),
    'left (InputLayer)               (None, 4)            0',
    '_'.repeat(98),
    'encode (Dense)                  (None, 3)            15          left[0][0]',
    '_'.repeat(98),
    'right (InputLayer)              (None, 2)            0',
    '_'.repeat(98),
    'join (Concatenate)              (None, 5)            0           encode[0][0]',
    '                                                                 right[0][0]',
    '_'.repeat(98),
    'score (Dense)                   (None, 1)            6           join[0][0]',
    '='.repeat(98),
    'Total params: 21',
    'Trainable params: 21',
    'Non-trainable params: 0',
    '_'.repeat(98),
  ].join('\n'));
});

test('layer names follow Keras snake case', () => {
  expect(new MaxPooling2D().name).toMatch(/^max_pooling2d_\d+$/);
  expect(new Conv2D({ filters: 1, kernelSize: 1 }).name).toMatch(/^conv2d_\d+$/);
  expect(new Concatenate().name).toMatch(/^concatenate_\d+$/);
});
