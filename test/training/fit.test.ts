/**
 * fit / evaluate / predict and the single-batch methods on small MLPs: learning XOR-like data,
 * History keys, validation, batched equals unbatched, reproducibility under setSeed, and no tensor
 * growth across epochs.
 */
import { Adam, Dense, Dropout, History, Input, K, memory, Model, Sequential, setSeed, SGD, tensor, Tensor, tidy } from '../../src';
import { expectClose } from '../helpers/close';
import { xorData } from '../helpers/datasets';
import { settle, tensorsSince } from '../helpers/memory';

function xorModel(): Sequential {
  return new Sequential([
    new Dense({ units: 16, activation: 'relu', inputShape: [2] }),
    new Dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

const data = xorData(256);

// Models of earlier tests are freed by the garbage collector; let that happen before each test
// so tests that count tensors see only their own.
beforeEach(settle);

describe('fit', () => {
  test('an MLP learns XOR-like data to >= 95% training accuracy', () => {
    setSeed(3);
    const model = xorModel();
    model.compile({ optimizer: new Adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = model.fit(data.x, data.y, { epochs: 60, batchSize: 32, verbose: 0 });
    const acc = history.history.accuracy;
    expect(history.history.loss[59]).toBeLessThan(history.history.loss[0]);
    expect(acc[acc.length - 1]).toBeGreaterThanOrEqual(0.95);
    const [, evalAcc] = model.evaluate(data.x, data.y, { verbose: 0 }) as number[];
    expect(evalAcc).toBeGreaterThanOrEqual(0.95);
  });

  test('returns a History with loss and metric keys, one value per epoch, and sets model.history', () => {
    setSeed(1);
    const model = xorModel();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy', 'mae'] });
    const history = model.fit(data.x, data.y, { epochs: 3, verbose: 0 });
    expect(history).toBeInstanceOf(History);
    expect(model.history).toBe(history);
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'mae']);
    expect(history.epoch).toEqual([0, 1, 2]);
    for (const values of Object.values(history.history)) {
      expect(values).toHaveLength(3);
      values.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    }
    expect(model.metricsNames).toEqual(['loss', 'accuracy', 'mae']);
  });

  test('initialEpoch resumes numbering; epochs <= initialEpoch trains nothing', () => {
    const model = xorModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(model.fit(data.x, data.y, { epochs: 5, initialEpoch: 3, verbose: 0 }).epoch).toEqual([3, 4]);
    expect(model.fit(data.x, data.y, { epochs: 2, initialEpoch: 2, verbose: 0 }).history).toEqual({});
  });

  test('validationSplit holds out the last samples and logs val_ values', () => {
    const model = xorModel();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
    const history = model.fit(data.x, data.y, { epochs: 2, batchSize: 50, validationSplit: 0.25, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'acc', 'val_loss', 'val_acc']);
    expect(history.history.val_loss).toHaveLength(2);
    // The held-out part is the last quarter, evaluated after the epoch's updates.
    const val = tidy(() => model.evaluate(data.x.slice(192), data.y.slice(192), { verbose: 0 }) as number[]);
    expect(history.history.val_loss[1]).toBeCloseTo(val[0], 5);
    expect(history.history.val_acc[1]).toBeCloseTo(val[1], 5);
  });

  test('validationData is evaluated at each epoch end', () => {
    const model = xorModel();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const valX = tensor(data.x.slice(0, 40));
    const valY = tensor(data.y.slice(0, 40));
    const history = model.fit(data.x, data.y, { epochs: 2, validationData: [valX, valY], verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    const [loss, acc] = model.evaluate(valX, valY, { verbose: 0 }) as number[];
    expect(history.history.val_loss[1]).toBeCloseTo(loss, 5);
    expect(history.history.val_accuracy[1]).toBeCloseTo(acc, 5);
    expect(valX.isDisposed).toBe(false);
    valX.dispose();
    valY.dispose();
  });

  test('a Sequential model without an input shape is built from the first batch', () => {
    const model = new Sequential([new Dense({ units: 4, activation: 'tanh' }), new Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
    expect(model.inputs[0].shape).toEqual([null, 2]);
  });

  test('tensors and nested arrays give the same results; caller tensors are not freed', () => {
    const run = (asTensors: boolean) => {
      setSeed(11);
      const model = xorModel();
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      const x = asTensors ? tensor(data.x) : data.x;
      const y = asTensors ? tensor(data.y) : data.y;
      const losses = model.fit(x, y, { epochs: 2, verbose: 0 }).history.loss;
      if (x instanceof Tensor) {
        expect(x.isDisposed).toBe(false);
        x.dispose();
        (y as Tensor).dispose();
      }
      return losses;
    };
    expect(run(true)).toEqual(run(false));
  });

  test('memory().numTensors is identical after epoch 1 and epoch 20 (no leak per epoch)', async () => {
    const model = new Sequential([
      new Dense({ units: 8, activation: 'relu', inputShape: [2] }),
      new Dropout({ rate: 0.2 }),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const counts: number[] = [];
    const bytes: number[] = [];
    const mark = memory();
    model.fit(data.x, data.y, {
      epochs: 20, batchSize: 64, validationSplit: 0.2, verbose: 0,
      callbacks: [{ onEpochEnd: () => { const now = tensorsSince(mark); counts.push(now.numTensors); bytes.push(now.numBytes); } }],
    });
    expect(counts).toHaveLength(20);
    expect(counts[19]).toBe(counts[0]);
    expect(bytes[19]).toBe(bytes[0]);
    // What stays after fit: the weights (already there) and the optimizer's state.
    const grown = tensorsSince(mark).numTensors;
    const slots = model.optimizer!.getWeights();
    expect(grown).toBe(slots.length - 1);
    slots.forEach((w) => w.dispose());
  });

  test('setSeed(n) makes two runs (weight init, shuffling, dropout) identical; another seed differs', () => {
    const run = (seed: number) => {
      setSeed(seed);
      const model = new Sequential([
        new Dense({ units: 16, activation: 'relu', inputShape: [2] }),
        new Dropout({ rate: 0.3 }),
        new Dense({ units: 1, activation: 'sigmoid' }),
      ]);
      model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
      return model.fit(data.x, data.y, { epochs: 3, batchSize: 16, shuffle: true, verbose: 0 }).history.loss;
    };
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(run(43)).not.toEqual(first);
  });

  test('shuffling changes the batches: shuffle=false differs from shuffle=true under the same seed', () => {
    const run = (shuffle: boolean) => {
      setSeed(5);
      const model = xorModel();
      model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
      return model.fit(data.x, data.y, { epochs: 2, batchSize: 8, shuffle, verbose: 0 }).history.loss;
    };
    expect(run(true)).not.toEqual(run(false));
  });
});

describe('losses, metrics and penalties', () => {
  test('custom loss and metric functions train and are logged under their names', () => {
    const halfSquaredError = (yTrue: Tensor, yPred: Tensor) => tidy(() => K.mean(K.square(K.subtract(yPred, yTrue)), -1).mul(0.5));
    const maxAbsError = (yTrue: Tensor, yPred: Tensor) => tidy(() => K.max(K.abs(K.subtract(yPred, yTrue)), -1));
    setSeed(8);
    const model = xorModel();
    model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: halfSquaredError, metrics: [maxAbsError, 'mse'] });
    const history = model.fit(data.x, data.y, { epochs: 10, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'maxAbsError', 'mse']);
    expect(history.history.loss[9]).toBeLessThan(history.history.loss[0]);
    // The custom loss is half the mse, on the same predictions.
    const [loss, , mse] = model.evaluate(data.x, data.y, { verbose: 0 }) as number[];
    expect(loss).toBeCloseTo(mse / 2, 6);
  });

  test('weight penalties are part of the loss (training and evaluation)', () => {
    setSeed(6);
    const model = new Sequential([new Dense({ units: 1, inputShape: [2], kernelRegularizer: 'l2' })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse'] });
    const [loss, mse] = model.evaluate(data.x, data.y, { verbose: 0 }) as number[];
    const kernel = (K.getValue(model.trainableWeights[0]) as number[][]).flat();
    const penalty = 0.01 * kernel.reduce((s, w) => s + w * w, 0);
    expect(loss).toBeCloseTo(mse + penalty, 5);
    const [trainLoss, trainMse] = model.trainOnBatch(data.x, data.y) as number[];
    expect(trainLoss).toBeCloseTo(trainMse + penalty, 5);
  });
});

describe('evaluate, predict and single batches', () => {
  let model: Sequential;
  beforeAll(() => {
    setSeed(9);
    model = xorModel();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy', 'mse'] });
    model.fit(data.x, data.y, { epochs: 2, verbose: 0 });
  });

  test('evaluate in batches equals one batch (a partial last batch weighted by its size)', () => {
    const batched = model.evaluate(data.x, data.y, { batchSize: 7, verbose: 0 }) as number[];
    const whole = model.evaluate(data.x, data.y, { batchSize: 1000, verbose: 0 }) as number[];
    expect(batched).toHaveLength(3);
    batched.forEach((v, i) => expect(v).toBeCloseTo(whole[i], 5));
    const single = model.testOnBatch(data.x, data.y) as number[];
    single.forEach((v, i) => expect(v).toBeCloseTo(whole[i], 5));
  });

  test('evaluate returns a number when there are no metrics', () => {
    const plain = xorModel();
    plain.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(typeof plain.evaluate(data.x, data.y, { verbose: 0 })).toBe('number');
    expect(typeof plain.trainOnBatch(data.x, data.y)).toBe('number');
  });

  test('predict in batches equals predictOnBatch and the graph run directly', () => {
    tidy(() => {
      const batched = model.predict(data.x, { batchSize: 10 }) as Tensor;
      const whole = model.predictOnBatch(data.x) as Tensor;
      expect(batched.shape).toEqual([256, 1]);
      expectClose(batched, whole.array() as number[][]);
      const direct = model.execute([tensor(data.x)], { training: false })[0];
      expectClose(batched, direct.array() as number[][], 1e-5, 1e-6);
    });
  });

  test('predict and evaluate leave no tensors behind except the returned prediction', () => {
    const mark = memory();
    model.evaluate(data.x, data.y, { batchSize: 50, verbose: 0 });
    model.testOnBatch(data.x, data.y);
    expect(tensorsSince(mark).numTensors).toBe(0);
    const prediction = model.predict(data.x, { batchSize: 50 }) as Tensor;
    expect(tensorsSince(mark).numTensors).toBe(1);
    prediction.dispose();
    const single = model.predictOnBatch(data.x) as Tensor;
    expect(tensorsSince(mark).numTensors).toBe(1);
    single.dispose();
  });

  test('trainOnBatch updates the weights and returns [loss, ...metrics]; repeated calls lower the loss', () => {
    setSeed(4);
    const m = xorModel();
    m.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const first = m.trainOnBatch(data.x, data.y) as number[];
    expect(first).toHaveLength(2);
    let last = first;
    for (let i = 0; i < 30; i++) last = m.trainOnBatch(data.x, data.y) as number[];
    expect(last[0]).toBeLessThan(first[0]);
    const tested = m.testOnBatch(data.x, data.y) as number[];
    expect(tested[0]).toBeLessThan(first[0]);
  });

  test('a functional model trains the same way', () => {
    const input = Input({ shape: [2] });
    const hidden = new Dense({ units: 8, activation: 'tanh' }).apply(input);
    const output = new Dense({ units: 1, activation: 'sigmoid' }).apply(hidden);
    const functional = new Model({ inputs: input, outputs: output });
    functional.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = functional.fit(data.x, data.y, { epochs: 2, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy']);
    const prediction = functional.predict(data.x.slice(0, 3)) as Tensor;
    expect(prediction.shape).toEqual([3, 1]);
    prediction.dispose();
  });
});
