/**
 * Metrics: the accuracies against hand-computed values, 'accuracy' resolved from the loss as Keras
 * does, mse / mae, custom functions, and errors.
 */
import { getLoss, getMetric, metrics, registerFunction, tensor, tidy, unregisterFunction } from '../../src';
import type { Tensor } from '../../src';
import { expectClose } from '../helpers/close';
import { expectKeratorchError } from '../helpers/memory';

describe('accuracy functions', () => {
  test('binaryAccuracy thresholds at 0.5 (or the given threshold)', () => {
    tidy(() => {
      const yTrue = tensor([[1], [0], [1], [0]]);
      const yPred = tensor([[0.7], [0.6], [0.4], [0.1]]);
      expectClose(metrics.binaryAccuracy(yTrue, yPred), [[1], [0], [0], [1]]);
      expectClose(metrics.binaryAccuracy(yTrue, yPred, 0.65), [[1], [1], [0], [1]]);
      // Per element, as Keras 3 (Keras 2.3 averaged the last axis).
      expectClose(metrics.binaryAccuracy(tensor([[1, 0], [0, 1]]), tensor([[0.7, 0.6], [0.2, 0.9]])), [[1, 0], [1, 1]]);
    });
  });

  test('categoricalAccuracy compares argmaxes', () => {
    tidy(() => {
      expectClose(metrics.categoricalAccuracy(tensor([[0, 1, 0], [1, 0, 0]]), tensor([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]])), [1, 0]);
    });
  });

  test('sparseCategoricalAccuracy takes labels shaped (n) or (n, 1)', () => {
    tidy(() => {
      const yPred = tensor([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]]);
      expectClose(metrics.sparseCategoricalAccuracy(tensor([1, 0, 2]), yPred), [1, 0, 1]);
      expectClose(metrics.sparseCategoricalAccuracy(tensor([[1], [0], [2]]), yPred), [1, 0, 1]);
      expectClose(metrics.sparseCategoricalAccuracy(tensor([1, 0, 2], undefined, 'int32'), yPred), [1, 0, 1]);
    });
  });
});

describe('getMetric', () => {
  const mean = (t: Tensor) => tidy(() => t.mean().item() as number);

  test("'accuracy' follows the loss: sparse, categorical, binary", () => {
    tidy(() => {
      const probs = tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
      const sparse = getMetric('accuracy', getLoss('sparseCategoricalCrossentropy'));
      expect(mean(sparse(tensor([1, 1, 1]), probs))).toBeCloseTo(2 / 3, 6);
      const categorical = getMetric('accuracy', getLoss('categorical_crossentropy'));
      expect(mean(categorical(tensor([[0, 1], [0, 1], [0, 1]]), probs))).toBeCloseTo(2 / 3, 6);
      const binary = getMetric('acc', getLoss('binaryCrossentropy'));
      expect(binary.metricName).toBe('acc');
      expect(mean(binary(tensor([[1, 0], [1, 0], [0, 0]]), probs))).toBeCloseTo(3 / 6, 6);
    });
  });

  test("'accuracy' with a one-unit output is binary whatever the loss; on logits the threshold is 0", () => {
    tidy(() => {
      const mseAccuracy = getMetric('accuracy', getLoss('mse'));
      expect(mean(mseAccuracy(tensor([[1], [0]]), tensor([[0.6], [0.4]])))).toBe(1);
      const logits = getMetric('accuracy', getLoss({ name: 'binaryCrossentropy', fromLogits: true }));
      expect(mean(logits(tensor([[1], [0], [1]]), tensor([[0.2], [-0.3], [-2]])))).toBeCloseTo(2 / 3, 6);
    });
  });

  test('mse, mae and snake_case names; the given name is the log key', () => {
    tidy(() => {
      const yTrue = tensor([[0, 1]]);
      const yPred = tensor([[1, 1]]);
      expect(getMetric('mse').metricName).toBe('mse');
      expect(mean(getMetric('mse')(yTrue, yPred))).toBeCloseTo(0.5, 6);
      expect(mean(getMetric('mean_absolute_error')(yTrue, yPred))).toBeCloseTo(0.5, 6);
      expect(getMetric('categorical_accuracy').metricName).toBe('categorical_accuracy');
    });
  });

  test('custom functions are logged under their name; registered names resolve', () => {
    const maxError = (yTrue: Tensor, yPred: Tensor) => tidy(() => yPred.sub(yTrue).abs().max(-1));
    expect(getMetric(maxError).metricName).toBe('maxError');
    registerFunction('maxError', maxError);
    try {
      expect(getMetric('maxError').metricName).toBe('maxError');
    } finally {
      unregisterFunction('maxError');
    }
  });

  test('unknown names list the known metrics', () => {
    expectKeratorchError(() => getMetric('f1'), 'ERR_ARGUMENT', 'getMetric', '"f1"', 'accuracy', 'mse', 'mae');
    expectKeratorchError(() => getMetric(3 as unknown as string), 'ERR_ARGUMENT', 'getMetric', '3');
    // The name tables have no prototype: these found Object.prototype's members and returned them as metrics.
    for (const name of ['constructor', 'toString', '__proto__']) {
      expectKeratorchError(() => getMetric(name), 'ERR_ARGUMENT', 'getMetric', `"${name}"`);
    }
  });
});
