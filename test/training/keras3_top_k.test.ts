/**
 * K.inTopK against TensorFlow 2.21's in_top_k (ties across the boundary count as in; a row with a
 * non-finite prediction or an out-of-range target is false), and the top-k accuracies against
 * Keras 3.15.1 (test/golden/keras_metrics_golden.json, made by make_keras_metrics_golden.py).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Dense, getMetric, K, KeratorchError, metrics, Sequential, setSeed, tensor } from '../../src';

interface InTopKCase { name: string; predictions: (number | string)[][]; targets: number[]; k: number; expected: boolean[] }
interface MetricCase { name: string; k: number; predictions: number[][]; oneHot: number[][]; labels: number[]; topK: number[]; sparseTopK: number[] }
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/keras_metrics_golden.json'), 'utf8')) as
  { keras: string; inTopK: InTopKCase[]; metrics: MetricCase[] };

test.each(golden.inTopK.map((c) => [c.name, c] as const))('inTopK, %s, as TensorFlow', (_name, c) => {
  K.tidy(() => {
    const predictions = tensor(c.predictions.map((row) => row.map(Number)));
    const targets = tensor(c.targets, [c.targets.length], 'int32');
    expect(K.inTopK(predictions, targets, c.k).array()).toEqual(c.expected);
  });
});

test.each(golden.metrics.map((c) => [c.name, c] as const))('top-k accuracies, %s, as Keras 3', (_name, c) => {
  K.tidy(() => {
    const p = tensor(c.predictions);
    expect(metrics.topKCategoricalAccuracy(tensor(c.oneHot), p, c.k).array()).toEqual(c.topK);
    const labels = tensor(c.labels, [c.labels.length], 'int32');
    expect(metrics.sparseTopKCategoricalAccuracy(labels, p, c.k).array()).toEqual(c.sparseTopK);
    expect(metrics.sparseTopKCategoricalAccuracy(K.expandDims(labels, -1), p, c.k).array()).toEqual(c.sparseTopK);
  });
});

test('by name, with Keras\'s default k = 5, logged under the name given', () => {
  setSeed(4);
  const model = new Sequential([new Dense({ units: 8, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy',
    metrics: ['sparse_top_k_categorical_accuracy', 'sparseCategoricalAccuracy'] });
  const x = K.randomNormal([32, 3]);
  const y = tensor(Array.from({ length: 32 }, (_, i) => i % 8), [32], 'int32');
  const logs = model.evaluate(x, y, { verbose: 0, returnDict: true }) as Record<string, number>;
  const want = K.tidy(() => K.mean(metrics.sparseTopKCategoricalAccuracy(y, model.predict(x) as never, 5)).item() as number);
  expect(logs.sparse_top_k_categorical_accuracy).toBeCloseTo(want, 6);
  expect(getMetric('top_k_categorical_accuracy').metricName).toBe('top_k_categorical_accuracy');
  x.dispose();
  y.dispose();
});

test('refusals', () => {
  K.tidy(() => {
    const p = tensor([[0.2, 0.8]]);
    expect(() => K.inTopK(p, tensor([1], [1], 'float32'), 1)).toThrow(KeratorchError);
    expect(() => K.inTopK(p, tensor([1, 0], [2], 'int32'), 1)).toThrow("predictions' batch 1");
    expect(() => K.inTopK(tensor([0.2, 0.8]), tensor([1], [1], 'int32'), 1)).toThrow('a (batch, classes) tensor');
    expect(() => K.inTopK(p, tensor([1], [1], 'int32'), -1)).toThrow('inTopK');
    expect(() => metrics.topKCategoricalAccuracy(p, p, 0)).toThrow('expected an integer >= 1 for k');
  });
});
