/**
 * Every refused call of the training API is a KeratorchError naming the function, the argument and
 * what it received; none leaves tensors behind, and the model trains normally afterwards.
 */
import { Concatenate, Dense, Input, K, KeratorchError, memory, Model, Sequential, tensor } from '../../src';
import { xorData } from '../helpers/datasets';
import { expectKeratorchError, settle } from '../helpers/memory';

const data = xorData(64);

beforeEach(settle);

function mlp(): Sequential {
  return new Sequential([
    new Dense({ units: 4, activation: 'relu', inputShape: [2], name: `hidden_${Math.random().toString(36).slice(2, 8)}` }),
    new Dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

function classifier(): Sequential {
  return new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
}

/** A correct fit still works: finite losses, weights changed, and only the optimizer's state added. */
function expectTrainable(model: Model, x: unknown = data.x, y: unknown = data.y): void {
  const before = K.batchGetValue(model.trainableWeights);
  const history = model.fit(x as number[][], y as number[][], { epochs: 2, verbose: 0 });
  expect(history.history.loss).toHaveLength(2);
  history.history.loss.forEach((l) => expect(Number.isFinite(l)).toBe(true));
  expect(K.batchGetValue(model.trainableWeights)).not.toEqual(before);
}

describe('compile', () => {
  test('fit, evaluate, trainOnBatch and testOnBatch before compile say so; predict works uncompiled', () => {
    const model = mlp();
    for (const fn of ['fit', 'evaluate', 'trainOnBatch', 'testOnBatch'] as const) {
      expectKeratorchError(() => (model[fn] as (x: unknown, y: unknown) => unknown)(data.x, data.y), 'ERR_ARGUMENT', fn,
        'compiled model', `"${model.name}"`, 'model.compile(');
    }
    const prediction = model.predict(data.x);
    expect((prediction as { shape: number[] }).shape).toEqual([64, 1]);
    K.dispose(prediction);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    expectTrainable(model);
  });

  test('unknown optimizer, loss and metric names list the known ones; a failed compile changes nothing', () => {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const optimizer = model.optimizer;
    expectKeratorchError(() => model.compile({ optimizer: 'adamw', loss: 'mse' }), 'ERR_ARGUMENT', 'getOptimizer',
      '"adamw"', "'adam'");
    expectKeratorchError(() => model.compile({ optimizer: 'adam', loss: 'tripletMargin' }), 'ERR_ARGUMENT', 'getLoss',
      '"tripletMargin"', 'binaryCrossentropy');
    expectKeratorchError(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1'] }), 'ERR_ARGUMENT',
      'getMetric', '"f1"', 'accuracy');
    expectKeratorchError(() => model.compile({ optimizer: 'adam' } as never), 'ERR_ARGUMENT', 'compile', 'args.loss');
    expectKeratorchError(() => model.compile({ loss: 'mse', metric: ['mae'] } as never), 'ERR_ARGUMENT', 'compile',
      '"metric"');
    expectKeratorchError(() => model.compile({ loss: 'mse', metrics: ['mse', 'mse'] }), 'ERR_ARGUMENT', 'compile',
      'distinct', '"mse"');
    expectKeratorchError(() => model.compile({ loss: 'mse', lossWeights: [Number.NaN] }), 'ERR_ARGUMENT', 'compile',
      'lossWeights');
    expect(model.optimizer).toBe(optimizer);
    expect(model.metricsNames).toEqual(['loss']);
    expectTrainable(model);
  });

  test('per-output losses must match the outputs', () => {
    const input = Input({ shape: [2] });
    const a = new Dense({ units: 1, name: 'out_a' }).apply(input);
    const b = new Dense({ units: 1, name: 'out_b' }).apply(input);
    const model = new Model({ inputs: input, outputs: [a, b] });
    expectKeratorchError(() => model.compile({ loss: ['mse'] }), 'ERR_ARGUMENT', 'compile', '2 loss value(s)', 'out_a, out_b');
    expectKeratorchError(() => model.compile({ loss: { out_a: 'mse', out_c: 'mse' } }), 'ERR_ARGUMENT', 'compile',
      'out_c');
    expectKeratorchError(() => model.compile({ loss: { out_a: 'mse' } }), 'ERR_ARGUMENT', 'compile', 'none for "out_b"');
    expectKeratorchError(() => model.compile({ loss: 'mse', metrics: [['mae']] }), 'ERR_ARGUMENT', 'compile', '2 metric lists');
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expectTrainable(model, data.x, [data.y, data.y]);
  });
});

describe('data', () => {
  let model: Sequential;
  beforeEach(() => {
    model = mlp();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  });

  test('an input of the wrong shape names the input layer and both shapes', () => {
    const x = tensor(data.x.map(([a, b]) => [a, b, 0]));
    const error = expectKeratorchError(() => model.fit(x, data.y, { verbose: 0 }), 'ERR_SHAPE', 'fit',
      '(None, 2)', `input layer "${model.inputs[0].sourceLayer.name}"`, 'float32[64,3]');
    expect(error.message).toMatch(/^fit: expected an array of shape \(None, 2\) .* for x but received float32\[64,3\]$/);
    expectKeratorchError(() => model.evaluate(x, data.y, { verbose: 0 }), 'ERR_SHAPE', 'evaluate', '(None, 2)');
    expectKeratorchError(() => model.predict(x), 'ERR_SHAPE', 'predict', '(None, 2)');
    expectKeratorchError(() => model.predictOnBatch(x), 'ERR_SHAPE', 'predictOnBatch', '(None, 2)');
    expectKeratorchError(() => model.fit([1, 2, 3], data.y, { verbose: 0 }), 'ERR_SHAPE', 'fit', '(None, 2)');
    x.dispose();
    expectTrainable(model);
  });

  test('the number of inputs must match the model\'s', () => {
    const a = Input({ shape: [2], name: 'first' });
    const b = Input({ shape: [1], name: 'second' });
    const out = new Dense({ units: 1 }).apply(new Concatenate().apply([a, b]));
    const twoInputs = new Model({ inputs: [a, b], outputs: out });
    twoInputs.compile({ optimizer: 'sgd', loss: 'mse' });
    const second = data.x.map(([v]) => [v]);
    expectKeratorchError(() => twoInputs.fit(data.x, data.y, { verbose: 0 }), 'ERR_ARGUMENT', 'fit', '2 arrays',
      '"first", "second"');
    expectKeratorchError(() => twoInputs.fit([data.x, second, second], data.y, { verbose: 0 }), 'ERR_ARGUMENT', 'fit',
      '3 arrays');
    expectKeratorchError(() => twoInputs.fit({ first: data.x, third: second }, data.y, { verbose: 0 }), 'ERR_ARGUMENT',
      'fit', 'third');
    const x = tensor(data.x);
    const y = tensor(data.y);
    expectKeratorchError(() => model.fit([x, x], y, { verbose: 0 }), 'ERR_ARGUMENT', 'fit', '2 tensors');
    x.dispose();
    y.dispose();
    expectTrainable(twoInputs, [data.x, second]);
  });

  test('x and y must hold the same number of samples', () => {
    expectKeratorchError(() => model.fit(data.x, data.y.slice(0, 60), { verbose: 0 }), 'ERR_SHAPE', 'fit',
      '64 samples (as in x)', 'for y', '60 samples');
    expectKeratorchError(() => model.trainOnBatch(data.x.slice(0, 10), data.y), 'ERR_SHAPE', 'trainOnBatch', '10 samples');
    expectKeratorchError(() => model.fit(data.x, data.y, { verbose: 0, validationData: [data.x, data.y.slice(1)] }),
      'ERR_SHAPE', 'fit', 'validationData[1]', '64 samples (as in validationData[0])');
    expectTrainable(model);
  });

  test('targets of the wrong shape for the loss are refused', () => {
    const categorical = classifier();
    categorical.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const oneHot = data.y.map(([v]) => (v ? [0, 1, 0] : [1, 0, 0]));
    expectKeratorchError(() => categorical.fit(data.x, oneHot.map((r) => r.slice(0, 2)), { verbose: 0 }), 'ERR_SHAPE',
      'fit', '(None, 3)', 'categoricalCrossentropy', 'float32[64,2]');
    expectTrainable(categorical, data.x, oneHot);
    // A target of shape (n) for an output of shape (n, 1) is accepted, as Keras does.
    expectTrainable(model, data.x, data.y.map(([v]) => v));
  });

  test('labels of sparse losses must be class indices in range', () => {
    const sparse = classifier();
    sparse.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const labels = data.y.map(([v]) => v);
    const error = expectKeratorchError(() => sparse.fit(data.x, labels.map((v, i) => (i === 5 ? 5 : v)), { verbose: 0 }),
      'ERR_VALUE', 'fit', 'class indices in [0, 3)', 'values from 0 to 5');
    expect(error).toBeInstanceOf(KeratorchError);
    expectKeratorchError(() => sparse.fit(data.x, labels.map((v) => v - 1), { verbose: 0 }), 'ERR_VALUE', 'fit',
      'values from -1 to 0');
    expectKeratorchError(() => sparse.fit(data.x, labels.map((v) => v + 0.5), { verbose: 0 }), 'ERR_VALUE', 'fit',
      'integer class indices');
    expectKeratorchError(() => sparse.fit(data.x, data.x, { verbose: 0 }), 'ERR_SHAPE', 'fit', 'class indices of shape (None,)');
    const intLabels = tensor(labels, undefined, 'int32');
    const badLabels = tensor([...labels.slice(1), 3], undefined, 'int32');
    expectKeratorchError(() => sparse.evaluate(data.x, badLabels, { verbose: 0 }), 'ERR_VALUE', 'evaluate', '[0, 3)');
    badLabels.dispose();
    expectTrainable(sparse, data.x, intLabels);
    expectTrainable(sparse, data.x, labels.map((v) => [v]));
    intLabels.dispose();
  });

  test('ragged or non-numeric arrays name the argument', () => {
    expectKeratorchError(() => model.fit([[1, 2], [3]], [[1], [0]], { verbose: 0 }), 'ERR_SHAPE', 'fit', 'for x[1]');
    expectKeratorchError(() => model.fit(data.x, 'labels' as never, { verbose: 0 }), 'ERR_ARGUMENT', 'fit', 'for y', '"labels"');
    expectKeratorchError(() => model.fit(data.x, undefined as never, { verbose: 0 }), 'ERR_ARGUMENT', 'fit', 'for y');
    expectTrainable(model);
  });

  test('fit options are checked', () => {
    expectKeratorchError(() => model.fit(data.x, data.y, { batchSize: 0 }), 'ERR_VALUE', 'fit', 'batchSize');
    expectKeratorchError(() => model.fit(data.x, data.y, { epochs: 1.5 }), 'ERR_VALUE', 'fit', 'epochs');
    expectKeratorchError(() => model.fit(data.x, data.y, { batch_size: 8 } as never), 'ERR_ARGUMENT', 'fit', '"batch_size"');
    expectKeratorchError(() => model.fit(data.x, data.y, { validationSplit: 1 }), 'ERR_VALUE', 'fit', 'validationSplit');
    expectKeratorchError(() => model.fit(data.x.slice(0, 1), data.y.slice(0, 1), { validationSplit: 0.5, verbose: 0 }),
      'ERR_VALUE', 'fit', 'validationSplit', 'both sides');
    expectKeratorchError(() => model.fit(data.x, data.y, { validationData: [data.x] as never, verbose: 0 }), 'ERR_ARGUMENT',
      'fit', 'validationData');
    expectKeratorchError(() => model.fit(data.x, data.y, { verbose: 3 }), 'ERR_VALUE', 'fit', 'verbose');
    expectKeratorchError(() => model.fit(data.x, data.y, { shuffle: 'yes' as never }), 'ERR_ARGUMENT', 'fit', 'shuffle');
    expectKeratorchError(() => model.evaluate(data.x, data.y, { batchSize: -1 }), 'ERR_VALUE', 'evaluate', 'batchSize');
    expectKeratorchError(() => model.predict(data.x, { batchSize: 'all' as never }), 'ERR_ARGUMENT', 'predict', 'batchSize');
    expectKeratorchError(() => model.predict([] as never), 'ERR_SHAPE', 'predict');
    expectTrainable(model);
  });

  test('a lazily built Sequential that fails to build can still be fitted with correct data', () => {
    const lazy = new Sequential([new Dense({ units: 3, activation: 'relu' }), new Dense({ units: 1 })]);
    lazy.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = memory().numTensors;
    expect(() => lazy.fit([1, 2, 3], [1, 2, 3], { verbose: 0 })).toThrow(KeratorchError);
    expect(memory().numTensors).toBe(before);
    expectTrainable(lazy);
  });
});
