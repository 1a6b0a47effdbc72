/**
 * Keras 3's regression, hinge, divergence and focal losses against real Keras 3.15.1
 * (test/golden/keras_losses_golden.json, made by test/golden/make_keras_losses_golden.py): per-sample
 * values and the gradient of sum(loss * w) with respect to yPred, at rtol 1e-4; then their names,
 * options and refusals through getLoss and compile, and a save/load that keeps the options.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dense, getLoss, K, KeratorchError, loadModel, losses, Sequential, setSeed, tensor, Tensor } from '../../src';
import type { LossIdentifier } from '../../src';
import { expectClose } from '../helpers/close';

type Nested = number | Nested[];
interface LossCase {
  name: string;
  loss: string;
  options: Record<string, number | boolean>;
  target: Nested;
  output: Nested;
  w: Nested;
  expected: Nested;
  gradOutput: Nested;
}

const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/keras_losses_golden.json'), 'utf8')) as
  { keras: string; cases: LossCase[] };
const asTensor = (values: Nested): Tensor => tensor(values as number[][]);

test('the golden file is from Keras 3.15.1 and covers every new loss', () => {
  expect(golden.keras).toBe('3.15.1');
  expect(new Set(golden.cases.map((c) => c.loss))).toEqual(new Set(['huber', 'logCosh', 'meanAbsolutePercentageError',
    'meanSquaredLogarithmicError', 'poisson', 'cosineSimilarity', 'kld', 'hinge', 'squaredHinge', 'categoricalHinge',
    'binaryFocalCrossentropy', 'categoricalFocalCrossentropy']));
});

test.each(golden.cases.map((c) => [c.name, c] as const))('%s matches Keras 3, with the gradient', (_name, c) => {
  K.tidy(() => {
    const target = asTensor(c.target);
    const output = K.variable(asTensor(c.output));
    const loss = getLoss({ name: c.loss, ...c.options } as LossIdentifier)(target, output);
    expectClose(loss, c.expected, 1e-4, 1e-6);
    const [grad] = K.gradients(K.sum(K.multiply(loss, asTensor(c.w))), [output]);
    expectClose(grad, c.gradOutput, 1e-4, 1e-6);
  });
});

test('the functions take their options directly, as getLoss passes them', () => {
  K.tidy(() => {
    const y = tensor([[0, 1, 3]]);
    const p = tensor([[0.5, 3, 3]]);
    // |e| = 0.5 (quadratic), 2 (linear with delta 1, quadratic with delta 3), 0.
    expectClose(losses.huber(y, p), [(0.125 + 1.5) / 3]);
    expectClose(losses.huber(y, p, 3), [(0.125 + 2) / 3]);
    expectClose(getLoss({ name: 'huber', delta: 3 })(y, p), [(0.125 + 2) / 3]);
    expectClose(losses.cosineSimilarity(tensor([[1, 0], [0, 2]]), tensor([[3, 0], [0, -1]])), [-1, 1]);
  });
});

test('names: snake_case, Keras\'s short names and legacy aliases', () => {
  for (const [name, canonical] of [['huber_loss', 'huber'], ['log_cosh', 'logCosh'], ['logcosh', 'logCosh'],
    ['mape', 'meanAbsolutePercentageError'], ['MSLE', 'meanSquaredLogarithmicError'], ['kl_divergence', 'kld'],
    ['kullback_leibler_divergence', 'kld'], ['squared_hinge', 'squaredHinge'], ['categorical_hinge', 'categoricalHinge'],
    ['binary_focal_crossentropy', 'binaryFocalCrossentropy'], ['cosine_similarity', 'cosineSimilarity']]) {
    expect(getLoss(name).lossName).toBe(canonical);
  }
  expect(getLoss(losses.huber).lossName).toBe('huber');
});

test('refusals name the loss and the options it takes', () => {
  const refused = (id: unknown, message: string): void => {
    expect(() => getLoss(id as LossIdentifier)).toThrow(KeratorchError);
    expect(() => getLoss(id as LossIdentifier)).toThrow(message);
  };
  refused({ name: 'huber', delta: 1, gamma: 2 }, 'an option of huber among delta');
  refused({ name: 'poisson', axis: 0 }, 'no options for poisson');
  refused({ name: 'huber', fromLogits: true }, 'fromLogits only with a crossentropy');
  refused({ name: 'categoricalFocalCrossentropy', applyClassBalancing: true },
    'an option of categoricalFocalCrossentropy among alpha, gamma, fromLogits, labelSmoothing');
  K.tidy(() => {
    const y = tensor([[0, 1]]);
    const p = tensor([[0.3, 0.6]]);
    expect(() => getLoss({ name: 'huber', delta: -1 })(y, p)).toThrow('huber: expected a finite number >= 0 for delta');
    expect(() => losses.binaryFocalCrossentropy(y, p, { alpha: 2 })).toThrow('expected a number in [0, 1] for alpha');
    expect(() => losses.binaryFocalCrossentropy(y, p, { gama: 2 } as never)).toThrow('an option among');
    expect(() => losses.cosineSimilarity(y, p, 2)).toThrow('cosineSimilarity: expected an axis in [-2, 2)');
    expect(() => losses.kld(y, tensor([[0.3, 0.6, 0.1]]))).toThrow(KeratorchError);
  });
});

test('compile takes a loss object with options, and save/load keeps them', () => {
  setSeed(2);
  const model = new Sequential([new Dense({ units: 3, inputShape: [4] })]);
  model.compile({ optimizer: 'sgd', loss: { name: 'huber', delta: 0.25 } });
  const x = K.randomNormal([8, 4]);
  const y = K.randomNormal([8, 3]);
  const want = K.tidy(() => K.mean(losses.huber(y, model.predict(x) as Tensor, 0.25)).item() as number);
  expect(model.evaluate(x, y, { verbose: 0 })).toBeCloseTo(want, 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-losses-'));
  try {
    model.save(path.join(dir, 'm'));
    const loaded = loadModel(path.join(dir, 'm'));
    expect(loaded.evaluate(x, y, { verbose: 0 })).toBeCloseTo(want, 5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    x.dispose();
    y.dispose();
  }
});
