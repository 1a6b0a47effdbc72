/**
 * sampleWeight and classWeight against real Keras 3 (test/golden/make_sample_weight_golden.py):
 * the weights after SGD training, the History, evaluate and trainOnBatch, sync and async.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Dense, K, KeratorchError, Sequential, SGD, tensor } from '../../src';
import { settle } from '../helpers/memory';

interface Case { history: Record<string, number[]>; kernel: number[][]; bias: number[]; evaluate?: number[] }
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/sample_weight_golden.json'), 'utf8')) as {
  x: number[][]; labels: number[]; sampleWeight: number[]; classWeight: Record<string, number>; kernel: number[][];
  bias: number[]; learningRate: number; batchSize: number; epochs: number;
  cases: { sampleWeight: Case; classWeight: Case; trainOnBatch: { values: number[]; kernel: number[][] } };
};
const y = golden.labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
const fitArgs = { batchSize: golden.batchSize, epochs: golden.epochs, shuffle: false, verbose: 0 };

beforeEach(settle);

function model(): Sequential {
  const m = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [4] })]);
  m.compile({ optimizer: new SGD({ learningRate: golden.learningRate }), loss: 'categoricalCrossentropy',
    metrics: ['categoricalAccuracy'] });
  m.setWeights([tensor(golden.kernel), tensor(golden.bias)]);
  return m;
}

function expectClose(got: number[], want: number[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
}

function expectKerasWeights(m: Sequential, want: Case | { kernel: number[][] }): void {
  expectClose(Array.from(m.weights[0].dataSync() as Float32Array), want.kernel.flat());
  if ('bias' in want) expectClose(Array.from(m.weights[1].dataSync() as Float32Array), want.bias);
}

function expectKerasHistory(history: Record<string, number[]>, want: Record<string, number[]>): void {
  expectClose(history.loss, want.loss);
  expectClose(history.categorical_accuracy ?? history.categoricalAccuracy, want.categorical_accuracy);
}

describe.each(['fit', 'fitAsync'] as const)('%s', (method) => {
  test('sampleWeight: each loss is sum(loss * weight) / batch size, as Keras 3 (weights, History, evaluate)', async () => {
    const m = model();
    const history = await m[method](golden.x, y, { ...fitArgs, sampleWeight: golden.sampleWeight });
    const want = golden.cases.sampleWeight;
    expectKerasWeights(m, want);
    expectKerasHistory(history.history, want.history);
    const evaluate = method === 'fit'
      ? m.evaluate(golden.x, y, { batchSize: 4, verbose: 0, sampleWeight: golden.sampleWeight })
      : await m.evaluateAsync(golden.x, y, { batchSize: 4, verbose: 0, sampleWeight: golden.sampleWeight });
    expectClose(evaluate as number[], want.evaluate as number[]);
  });

  test('classWeight: each sample weighs its class\'s weight, as Keras 3', async () => {
    const m = model();
    const history = await m[method](golden.x, y, { ...fitArgs, classWeight: golden.classWeight });
    expectKerasWeights(m, golden.cases.classWeight);
    expectKerasHistory(history.history, golden.cases.classWeight.history);
  });
});

test('trainOnBatch with sample weights, as Keras 3', () => {
  const m = model();
  expectClose(m.trainOnBatch(golden.x, y, golden.sampleWeight) as number[], golden.cases.trainOnBatch.values);
  expectKerasWeights(m, golden.cases.trainOnBatch);
});

test('refusals: both options, a wrong length, class weights of a bad key', () => {
  const m = model();
  expect(() => m.fit(golden.x, y, { ...fitArgs, sampleWeight: golden.sampleWeight, classWeight: { 0: 1 } }))
    .toThrow(/sampleWeight or classWeight, not both/);
  expect(() => m.fit(golden.x, y, { ...fitArgs, sampleWeight: [1, 2] })).toThrow(KeratorchError);
  expect(() => m.fit(golden.x, y, { ...fitArgs, classWeight: { a: 1 } as never })).toThrow(/class indices/);
  const w = K.ones([10]);
  expect(() => m.fit(golden.x, y, { ...fitArgs, sampleWeight: w })).not.toThrow();
  w.dispose();
});
