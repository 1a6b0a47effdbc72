/**
 * Models with several inputs and outputs: data as lists or keyed by layer name, losses and metrics
 * per output, loss weights, per-output log keys, predict / evaluate results, and the training
 * config that saving stores.
 */
import { Adam, Concatenate, Dense, Input, Model, setSeed, SymbolicTensor, Tensor } from '../../src';
import { lcg } from '../helpers/datasets';
import { expectClose } from '../helpers/close';

function twoByTwo(): Model {
  const a = Input({ shape: [2], name: 'point' });
  const b = Input({ shape: [1], name: 'offset' });
  const joined = new Concatenate().apply([a, b]) as SymbolicTensor;
  const hidden = new Dense({ units: 16, activation: 'tanh', name: 'hidden' }).apply(joined);
  const sign = new Dense({ units: 1, activation: 'sigmoid', name: 'sign' }).apply(hidden);
  const sum = new Dense({ units: 1, name: 'sum' }).apply(hidden);
  return new Model({ inputs: [a, b], outputs: [sign, sum] });
}

function data(n: number, seed: number) {
  const rand = lcg(seed);
  const point: number[][] = [];
  const offset: number[][] = [];
  const sign: number[][] = [];
  const sum: number[][] = [];
  for (let i = 0; i < n; i++) {
    const p = [rand() * 2 - 1, rand() * 2 - 1];
    const o = rand() - 0.5;
    point.push(p);
    offset.push([o]);
    sign.push([p[0] > 0 ? 1 : 0]);
    sum.push([p[0] + p[1] + o]);
  }
  return { point, offset, sign, sum };
}

const train = data(256, 1);

describe('several inputs and outputs', () => {
  test('trains with per-output losses, metrics and weights; logs per-output keys; loss is the weighted sum', () => {
    setSeed(2);
    const model = twoByTwo();
    model.compile({
      optimizer: new Adam({ learningRate: 0.02 }),
      loss: { sign: 'binaryCrossentropy', sum: 'mse' },
      metrics: { sign: ['accuracy'] },
      lossWeights: { sign: 1, sum: 0.5 },
    });
    expect(model.metricsNames).toEqual(['loss', 'sign_loss', 'sum_loss', 'sign_accuracy']);
    const history = model.fit([train.point, train.offset], [train.sign, train.sum],
      { epochs: 30, batchSize: 32, validationSplit: 0.25, verbose: 0 });
    const h = history.history;
    expect(Object.keys(h)).toEqual(['loss', 'sign_loss', 'sum_loss', 'sign_accuracy',
      'val_loss', 'val_sign_loss', 'val_sum_loss', 'val_sign_accuracy']);
    h.loss.forEach((loss, i) => expect(loss).toBeCloseTo(h.sign_loss[i] + 0.5 * h.sum_loss[i], 5));
    h.val_loss.forEach((loss, i) => expect(loss).toBeCloseTo(h.val_sign_loss[i] + 0.5 * h.val_sum_loss[i], 5));
    expect(h.sum_loss[29]).toBeLessThan(0.1 * h.sum_loss[0]);
    expect(h.val_sign_accuracy[29]).toBeGreaterThanOrEqual(0.9);
  });

  test('data may be keyed by input and output layer names; lists of losses and weights work too', () => {
    const run = (keyed: boolean) => {
      setSeed(3);
      const model = twoByTwo();
      model.compile({ optimizer: 'sgd', loss: ['binaryCrossentropy', 'mse'], lossWeights: [2, 1], metrics: [['acc'], ['mae']] });
      const x = keyed ? { offset: train.offset, point: train.point } : [train.point, train.offset];
      const y = keyed ? { sum: train.sum, sign: train.sign } : [train.sign, train.sum];
      return model.fit(x, y, { epochs: 2, verbose: 0 }).history;
    };
    const listed = run(false);
    expect(Object.keys(listed)).toEqual(['loss', 'sign_loss', 'sum_loss', 'sign_acc', 'sum_mae']);
    expect(run(true)).toEqual(listed);
  });

  test('one loss for every output; metrics in a flat list apply to every output', () => {
    const model = twoByTwo();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    expect(model.metricsNames).toEqual(['loss', 'sign_loss', 'sum_loss', 'sign_mae', 'sum_mae']);
  });

  test('predict returns one tensor per output; evaluate and testOnBatch return every value', () => {
    const model = twoByTwo();
    model.compile({ optimizer: 'sgd', loss: ['binaryCrossentropy', 'mse'], metrics: { sign: ['accuracy'] } });
    const predictions = model.predict([train.point, train.offset], { batchSize: 100 }) as Tensor[];
    expect(predictions.map((p) => p.shape)).toEqual([[256, 1], [256, 1]]);
    const single = model.predictOnBatch([train.point, train.offset]) as Tensor[];
    single.forEach((s, i) => expectClose(s, predictions[i].array() as number[][]));
    [...predictions, ...single].forEach((t) => t.dispose());
    const values = model.evaluate([train.point, train.offset], [train.sign, train.sum], { batchSize: 60, verbose: 0 }) as number[];
    expect(values).toHaveLength(4);
    const batch = model.testOnBatch([train.point, train.offset], [train.sign, train.sum]) as number[];
    batch.forEach((v, i) => expect(v).toBeCloseTo(values[i], 5));
    expect(model.trainOnBatch([train.point, train.offset], [train.sign, train.sum])).toHaveLength(4);
  });

  test('getTrainingConfig gives compile options that compile accepts again', () => {
    const model = twoByTwo();
    model.compile({ optimizer: new Adam({ learningRate: 0.005 }), loss: { sign: { name: 'binaryCrossentropy', fromLogits: false }, sum: 'mse' },
      metrics: { sign: ['accuracy'] }, lossWeights: { sign: 1, sum: 0.25 } });
    const config = model.getTrainingConfig() as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      optimizer: { className: 'Adam', config: expect.objectContaining({ learningRate: 0.005 }) },
      loss: { sign: { name: 'binaryCrossentropy', fromLogits: false }, sum: 'mse' },
      metrics: { sign: ['accuracy'], sum: [] },
      lossWeights: { sign: 1, sum: 0.25 },
    });
    const copy = twoByTwo();
    copy.compile(JSON.parse(JSON.stringify(config)));
    expect(copy.metricsNames).toEqual(model.metricsNames);
    expect(copy.optimizer!.learningRate).toBe(0.005);
    expect(twoByTwo().getTrainingConfig()).toBeNull();
  });
});
