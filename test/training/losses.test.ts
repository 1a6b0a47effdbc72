/**
 * Loss functions: per-sample values against hand-computed ones (probabilities and logits), and
 * getLoss's names, aliases, functions, { name, fromLogits } objects and errors.
 */
import { getLoss, K, losses, registerFunction, tensor, tidy, unregisterFunction } from '../../src';
import type { Tensor } from '../../src';
import { expectClose } from '../helpers/close';
import { expectKeratorchError } from '../helpers/memory';

const logit = (p: number) => Math.log(p / (1 - p));

describe('loss functions (per-sample, mean over the last axis)', () => {
  test('meanSquaredError and meanAbsoluteError', () => {
    tidy(() => {
      const yTrue = tensor([[0, 1], [2, 3]]);
      const yPred = tensor([[1, 1], [0, 3]]);
      expectClose(losses.meanSquaredError(yTrue, yPred), [0.5, 2]);
      expectClose(losses.meanAbsoluteError(yTrue, yPred), [0.5, 1]);
    });
  });

  test('categoricalCrossentropy on probabilities and on logits', () => {
    tidy(() => {
      const yTrue = tensor([[0, 1], [1, 0]]);
      expectClose(losses.categoricalCrossentropy(yTrue, tensor([[0.2, 0.8], [0.5, 0.5]])), [-Math.log(0.8), -Math.log(0.5)]);
      expectClose(losses.categoricalCrossentropy(yTrue, tensor([[0, Math.log(4)], [1, 1]]), true),
        [-Math.log(0.8), -Math.log(0.5)]);
    });
  });

  test('sparseCategoricalCrossentropy on probabilities and on logits, int or float labels', () => {
    tidy(() => {
      const probs = tensor([[0.2, 0.8], [0.9, 0.1]]);
      expectClose(losses.sparseCategoricalCrossentropy(tensor([1, 0]), probs), [-Math.log(0.8), -Math.log(0.9)], 1e-5, 1e-5);
      expectClose(losses.sparseCategoricalCrossentropy(tensor([1, 0], undefined, 'int32'), probs),
        [-Math.log(0.8), -Math.log(0.9)], 1e-5, 1e-5);
      expectClose(losses.sparseCategoricalCrossentropy(tensor([1, 0]), tensor([[0, Math.log(4)], [Math.log(9), 0]]), true),
        [-Math.log(0.8), -Math.log(0.9)], 1e-5, 1e-5);
    });
  });

  test('sparseCategoricalCrossentropy from logits: classes on another axis, gradient softmax - one-hot, -Infinity logits', () => {
    tidy(() => {
      // (batch 2, classes 3, positions 2), classes on axis 1: targets (2, 2).
      const logits = K.variable(tensor([[[1, 0], [2, 0], [3, 0]], [[0, 5], [0, -1], [0, 2]]]));
      const targets = tensor([[2, 0], [1, 1]], undefined, 'int32');
      const loss = K.sparseCategoricalCrossentropy(targets, logits, true, 1);
      expect(loss.shape).toEqual([2, 2]);
      const logSumExp = (xs: number[]) => Math.log(xs.reduce((acc, x) => acc + Math.exp(x), 0));
      const columns = [[[1, 2, 3], [0, 0, 0]], [[0, 0, 0], [5, -1, 2]]];
      const expected = columns.map((row, b) => row.map((xs, p) => logSumExp(xs) - xs[[[2, 0], [1, 1]][b][p]]));
      expectClose(loss, expected, 1e-5, 1e-5);
      const [grad] = K.gradients(K.sum(loss), [logits]);
      const softmaxMinusHot = columns.map((row, b) => row.map((xs, p) => xs.map((x, c) =>
        Math.exp(x - logSumExp(xs)) - (c === [[2, 0], [1, 1]][b][p] ? 1 : 0))));
      // grad is (batch, classes, positions): reorder the expectation the same way.
      const want = softmaxMinusHot.map((row) => [0, 1, 2].map((c) => row.map((classes) => classes[c])));
      expectClose(grad, want, 1e-5, 1e-5);
      logits.dispose();
      // A class ruled out (-Infinity logit) other than the target leaves the loss finite.
      const ruledOut = losses.sparseCategoricalCrossentropy(tensor([0], undefined, 'int32'), tensor([[0, -Infinity]]), true);
      expectClose(ruledOut, [0], 1e-6, 1e-6);
    });
  });

  test('binaryCrossentropy averages over the last axis, on probabilities and on logits', () => {
    tidy(() => {
      const yTrue = tensor([[1, 0]]);
      const expected = [(-Math.log(0.8) - Math.log(0.6)) / 2];
      expectClose(losses.binaryCrossentropy(yTrue, tensor([[0.8, 0.4]])), expected, 1e-5, 1e-5);
      expectClose(losses.binaryCrossentropy(yTrue, tensor([[logit(0.8), logit(0.4)]]), true), expected, 1e-5, 1e-5);
    });
  });

  test('shape mismatches are errors naming the function', () => {
    const a = tensor([[1], [2]]);
    const b = tensor([1, 2]);
    expectKeratorchError(() => losses.meanSquaredError(b, a), 'ERR_SHAPE', 'meanSquaredError', 'yTrue', '[2,1]');
    expectKeratorchError(() => losses.meanAbsoluteError(b, a), 'ERR_SHAPE', 'meanAbsoluteError', 'yTrue');
    expectKeratorchError(() => losses.meanSquaredError(3 as unknown as Tensor, a), 'ERR_ARGUMENT', 'meanSquaredError', 'yTrue');
    a.dispose();
    b.dispose();
  });
});

describe('getLoss', () => {
  test.each([
    ['meanSquaredError', 'meanSquaredError'],
    ['mean_squared_error', 'meanSquaredError'],
    ['MeanSquaredError', 'meanSquaredError'],
    ['mse', 'meanSquaredError'],
    ['MSE', 'meanSquaredError'],
    ['mae', 'meanAbsoluteError'],
    ['mean_absolute_error', 'meanAbsoluteError'],
    ['categorical_crossentropy', 'categoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
    ['binaryCrossentropy', 'binaryCrossentropy'],
  ])('resolves %s to %s', (name, canonical) => {
    const loss = getLoss(name);
    expect(loss.lossName).toBe(canonical);
    expect(loss.fromLogits).toBe(false);
  });

  test('{ name, fromLogits } gives a loss on logits', () => {
    const loss = getLoss({ name: 'categorical_crossentropy', fromLogits: true });
    expect({ lossName: loss.lossName, fromLogits: loss.fromLogits }).toEqual({ lossName: 'categoricalCrossentropy', fromLogits: true });
    tidy(() => expectClose(loss(tensor([[0, 1]]), tensor([[0, Math.log(4)]])), [-Math.log(0.8)], 1e-5, 1e-5));
  });

  test('functions pass through: built-ins keep their name, custom ones use theirs', () => {
    expect(getLoss(losses.binaryCrossentropy).lossName).toBe('binaryCrossentropy');
    const myLoss = (yTrue: Tensor, yPred: Tensor) => losses.meanAbsoluteError(yTrue, yPred);
    const resolved = getLoss(myLoss);
    expect(resolved.lossName).toBe('myLoss');
    expect(getLoss(resolved)).toBe(resolved);
    tidy(() => expectClose(resolved(tensor([[1, 2]]), tensor([[2, 2]])), [0.5]));
  });

  test('a name registered with registerFunction resolves to that function', () => {
    const halfMse = (yTrue: Tensor, yPred: Tensor) => tidy(() => losses.meanSquaredError(yTrue, yPred).mul(0.5));
    registerFunction('halfMse', halfMse);
    try {
      const loss = getLoss('halfMse');
      expect(loss.lossName).toBe('halfMse');
      tidy(() => expectClose(loss(tensor([[0, 0]]), tensor([[2, 0]])), [1]));
    } finally {
      unregisterFunction('halfMse');
    }
  });

  test('unknown names list the known losses; bad identifiers name what was received', () => {
    // The name tables have no prototype: these found Object.prototype's members and returned them as losses.
    for (const name of ['constructor', 'toString', '__proto__']) {
      expectKeratorchError(() => getLoss(name), 'ERR_ARGUMENT', 'getLoss', `"${name}"`);
    }
    expectKeratorchError(() => getLoss('tripletMargin'), 'ERR_ARGUMENT', 'getLoss', '"tripletMargin"', 'meanSquaredError',
      'sparseCategoricalCrossentropy', 'mse', 'mae');
    expectKeratorchError(() => getLoss({ name: 'nope' }), 'ERR_ARGUMENT', 'getLoss', 'binaryCrossentropy');
    expectKeratorchError(() => getLoss({ name: 'mse', fromLogits: true }), 'ERR_ARGUMENT', 'getLoss', 'fromLogits');
    expectKeratorchError(() => getLoss(42 as unknown as string), 'ERR_ARGUMENT', 'getLoss', '42');
    expectKeratorchError(() => getLoss({ name: 'mse', fromLogits: 'yes' as unknown as boolean }), 'ERR_ARGUMENT',
      'getLoss', 'fromLogits');
  });
});
