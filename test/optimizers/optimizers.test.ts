/**
 * Optimizers: parameters after each of 5 steps against Keras 3's formulas (with Keras 2.3.1's decay)
 * (test/golden/optimizer_golden.json, made by test/golden/make_optimizer_golden.py), no tensor
 * leaks per step, convergence on a small quadratic, learning-rate changes, weights, configs,
 * getOptimizer, and errors naming the function and what it received.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  Adagrad, Adam, cuda, dispose, getOptimizer, K, memory, optim, Optimizer, RMSprop, serializeOptimizer, SGD,
  Tensor, tensor, tidy,
} from '../../src';
import type { DType } from '../../src';
import { expectClose } from '../helpers/close';
import { expectKeratorchError, expectNoLeak, tensorsSince } from '../helpers/memory';

type Values = number | Values[];

interface GoldenCase {
  name: string;
  className: string;
  config: Record<string, number | boolean>;
  dtype: DType;
  params: { shape: number[]; values: Values }[];
  /** grads[step][param] */
  grads: Values[][];
  /** expected[step][param]: the parameter after that step */
  expected: Values[][];
  rtol: number;
  atol: number;
}

const golden: { steps: number; cases: GoldenCase[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'golden', 'optimizer_golden.json'), 'utf8'));

function variables(c: GoldenCase): Tensor[] {
  return c.params.map((p) => K.variable(tensor(p.values as number[], p.shape, c.dtype)));
}

describe('golden values (Keras 3 formulas)', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const params = variables(c);
    const optimizer = getOptimizer({ className: c.className, config: c.config });
    expect(optimizer.getClassName()).toBe(c.className);
    for (let step = 0; step < golden.steps; step++) {
      const grads = c.grads[step].map((g, i) => tensor(g as number[], c.params[i].shape, c.dtype));
      optimizer.applyGradients(grads, params);
      dispose(grads);
      params.forEach((p, i) => {
        try {
          expectClose(p, c.expected[step][i], c.rtol, c.atol);
        } catch (error) {
          throw new Error(`step ${step}, params[${i}]: ${(error as Error).message}`);
        }
      });
    }
    expect(optimizer.iterations).toBe(golden.steps);
    // The update ran outside the graph: parameters are still trainable leaves of their own dtype.
    params.forEach((p) => {
      expect(p.requiresGrad).toBe(true);
      expect(p.dtype).toBe(c.dtype);
    });
    optimizer.dispose();
    dispose(params);
  });

  test('globalClipnorm uses the global norm of all gradients (Keras 2.3\'s clipnorm), clipnorm each gradient\'s own', () => {
    // Norms 3 and 4 (global 5): globalClipnorm 5 leaves both alone; per-gradient clipping at 3.5 would not.
    const params = [K.variable([0, 0]), K.variable([0, 0])];
    const grads = [tensor([3, 0]), tensor([0, 4])];
    const sgd = new SGD({ learningRate: 1, globalClipnorm: 5 });
    sgd.applyGradients(grads, params);
    expectClose(params[0], [-3, 0]);
    expectClose(params[1], [0, -4]);
    const clipped = new SGD({ learningRate: 1, globalClipnorm: 2.5 });
    clipped.applyGradients(grads, params);
    expectClose(params[0], [-4.5, 0]);
    expectClose(params[1], [0, -6]);
    const perGradient = new SGD({ learningRate: 1, clipnorm: 3.5 });
    perGradient.applyGradients(grads, params);
    expectClose(params[0], [-7.5, 0]);
    expectClose(params[1], [0, -9.5]);
    // The callers' gradients are not modified by clipping.
    expectClose(grads[0], [3, 0]);
    expectClose(grads[1], [0, 4]);
    dispose([params, grads]);
    for (const optimizer of [sgd, clipped, perGradient]) optimizer.dispose();
  });

  test('one kind of clipping at most, as Keras 3', () => {
    expectKeratorchError(() => new SGD({ clipnorm: 1, clipvalue: 0.5 }), 'ERR_ARGUMENT', 'SGD',
      'SGD: expected one of clipnorm, globalClipnorm and clipvalue at most (as Keras 3) for options but received ' +
      '"clipnorm: 1, clipvalue: 0.5"');
    expectKeratorchError(() => new Adam({ clipnorm: 0, globalClipnorm: 1 }), 'ERR_ARGUMENT', 'Adam', 'clipnorm: 0, globalClipnorm: 1');
    const p = K.variable([1, 2]);
    const g = tensor([1, 1]);
    const m = K.zerosLike(p);
    expectKeratorchError(() => optim.sgd([p], [g], [m], { globalClipnorm: 1, clipvalue: 1 }), 'ERR_ARGUMENT',
      'optim.sgd', 'globalClipnorm: 1, clipvalue: 1');
    // 0 turns a kind off, so a step may pass all three with one set (the optimizers do).
    optim.sgd([p], [g], [m], { learningRate: 1, clipnorm: 0, globalClipnorm: 0, clipvalue: 0.5 });
    expectClose(p, [0.5, 1.5]);
    dispose([p, g, m]);
  });
});

describe('memory', () => {
  const makers: [string, () => Optimizer][] = [
    ['SGD', () => new SGD({ momentum: 0.9, nesterov: true, clipvalue: 0.5, decay: 0.01 })],
    ['SGD globalClipnorm', () => new SGD({ momentum: 0.9, globalClipnorm: 1 })],
    ['RMSprop', () => new RMSprop({ clipnorm: 1 })],
    ['Adagrad', () => new Adagrad({ clipvalue: 0.1 })],
    ['Adam', () => new Adam({ clipnorm: 1 })],
    ['Adam amsgrad', () => new Adam({ amsgrad: true, clipvalue: 1, decay: 0.1 })],
  ];

  test.each(makers)('%s: no tensor is left behind per step; dispose() frees the state', async (_name, make) => {
    const params = [K.variable([[1, 2, 3], [4, 5, 6]]), K.variable([0.5, -0.5]), K.variable(3)];
    const grads = [tensor([[1, -1, 2], [0.5, 3, -2]]), tensor([0.25, 4]), tensor(-1)];
    const mark = memory();
    const optimizer = make();
    optimizer.applyGradients(grads, params);  // warm-up: makes the state
    expect(tensorsSince(mark).numTensors).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expectNoLeak(() => optimizer.applyGradients(grads, params));
    optimizer.dispose();
    expect(tensorsSince(mark).numTensors).toBe(0);
    dispose([params, grads]);
  });

  test('state made inside tidy() survives the scope', () => {
    const w = K.variable([1, 2]);
    const adam = new Adam();
    tidy(() => {
      const [g] = K.gradients(K.sum(K.square(w)), [w]);
      adam.applyGradients([g], [w]);
    });
    const weights = adam.getWeights();
    expect(weights.every((t) => !t.isDisposed)).toBe(true);
    expect(() => adam.applyGradients([tensor([1, 1])], [w])).not.toThrow();
    dispose(weights);
    adam.dispose();
    w.dispose();
  });
});

describe('convergence on a quadratic', () => {
  const cases: [string, () => Optimizer, number][] = [
    ['SGD', () => new SGD({ learningRate: 0.1 }), 100],
    ['SGD momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 }), 150],
    ['SGD nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), 150],
    ['RMSprop', () => new RMSprop({ learningRate: 0.02, decay: 0.01 }), 300],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }), 200],
    ['Adam', () => new Adam({ learningRate: 0.05 }), 300],
    ['Adam amsgrad', () => new Adam({ learningRate: 0.05, amsgrad: true }), 300],
    ['by name: sgd', () => getOptimizer('sgd'), 600],
  ];

  test.each(cases)('%s minimizes sum((w - target)^2)', (_name, make, steps) => {
    const target = tensor([[1.5, -0.5], [0.25, 2]]);
    const w = K.variable([[0, 0], [0, 0]]);
    const b = K.variable(-1);
    const optimizer = make();
    const loss = (): number => tidy(() =>
      K.add(K.sum(K.square(K.subtract(w, target))), K.square(K.subtract(b, 0.75))).item() as number);
    const initial = loss();
    for (let i = 0; i < steps; i++) {
      tidy(() => {
        const value = K.add(K.sum(K.square(K.subtract(w, target))), K.square(K.subtract(b, 0.75)));
        optimizer.applyGradients(K.gradients(value, [w, b]), [w, b]);
      });
    }
    expect(initial).toBeGreaterThan(5);
    expect(loss()).toBeLessThan(1e-3);
    optimizer.dispose();
    dispose([target, w, b]);
  });
});

describe('learning rate', () => {
  test('the setter takes effect from the next step and shows in getConfig', () => {
    const p = K.variable([1, 1]);
    const g = tensor([1, -2]);
    const sgd = new SGD({ learningRate: 0.1 });
    sgd.applyGradients([g], [p]);
    expectClose(p, [0.9, 1.2]);
    sgd.learningRate = 0.5;
    expect(sgd.learningRate).toBe(0.5);
    expect(sgd.getConfig().learningRate).toBe(0.5);
    sgd.applyGradients([g], [p]);
    expectClose(p, [0.4, 2.2]);
    dispose([p, g]);
    sgd.dispose();
  });

  test('decay divides the rate by 1 + decay * iterations', () => {
    const p = K.variable([0]);
    const g = tensor([1]);
    const sgd = new SGD({ learningRate: 1, decay: 0.5 });
    for (let i = 0; i < 3; i++) sgd.applyGradients([g], [p]);
    expectClose(p, [-(1 + 1 / 1.5 + 1 / 2)]);
    expect(sgd.iterations).toBe(3);
    dispose([p, g]);
    sgd.dispose();
  });

  test('an invalid rate is refused and the old one kept', () => {
    const sgd = new SGD();
    expectKeratorchError(() => { sgd.learningRate = -1; }, 'ERR_VALUE', 'SGD.learningRate',
      'expected a finite number >= 0 for learningRate but received -1');
    expectKeratorchError(() => { (sgd as { learningRate: unknown }).learningRate = '0.1'; }, 'ERR_ARGUMENT',
      'SGD.learningRate', 'received "0.1"');
    expect(sgd.learningRate).toBe(0.01);
  });
});

describe('configuration and getOptimizer', () => {
  test('Keras 3 defaults', () => {
    expect(new SGD().getConfig()).toEqual({ learningRate: 0.01, decay: 0, momentum: 0, nesterov: false });
    expect(new RMSprop().getConfig()).toEqual({ learningRate: 0.001, decay: 0, rho: 0.9, epsilon: 1e-7 });
    expect(new Adagrad().getConfig()).toEqual({ learningRate: 0.001, decay: 0, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
    expect(new Adam().getConfig()).toEqual({
      learningRate: 0.001, decay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false,
    });
    expect(new SGD({ clipnorm: 1 }).getConfig()).toMatchObject({ clipnorm: 1 });
    expect(new SGD({ globalClipnorm: 2 }).getConfig()).toMatchObject({ globalClipnorm: 2 });
    expect(new SGD({ clipvalue: 0.5 }).getConfig()).toMatchObject({ clipvalue: 0.5 });
  });

  test('class names', () => {
    expect([SGD.className, RMSprop.className, Adagrad.className, Adam.className])
      .toEqual(['SGD', 'RMSprop', 'Adagrad', 'Adam']);
    expect(new RMSprop().getClassName()).toBe('RMSprop');
  });

  test('names, any case', () => {
    expect(getOptimizer('sgd')).toBeInstanceOf(SGD);
    expect(getOptimizer('SGD')).toBeInstanceOf(SGD);
    expect(getOptimizer('Adam')).toBeInstanceOf(Adam);
    expect(getOptimizer('RMSPROP')).toBeInstanceOf(RMSprop);
    expect(getOptimizer('adagrad')).toBeInstanceOf(Adagrad);
  });

  test('an instance passes through; a serialized optimizer comes back equal', () => {
    const adam = new Adam({ learningRate: 0.02, amsgrad: true, clipnorm: 3 });
    expect(getOptimizer(adam)).toBe(adam);
    const copy = getOptimizer(serializeOptimizer(adam));
    expect(copy).toBeInstanceOf(Adam);
    expect(copy).not.toBe(adam);
    expect(copy.getConfig()).toEqual(adam.getConfig());
  });

  test('a Keras (snake_case) config', () => {
    const adam = getOptimizer({ class_name: 'Adam', config: { learning_rate: 0.01, beta_1: 0.8, beta_2: 0.9,
      epsilon: 1e-6, decay: 0, amsgrad: false, name: 'Adam' } } as never);
    expect(adam.getConfig()).toEqual({ learningRate: 0.01, decay: 0, beta1: 0.8, beta2: 0.9, epsilon: 1e-6,
      amsgrad: false });
    expect(getOptimizer({ className: 'sgd', config: { lr: 0.3 } }).learningRate).toBe(0.3);
    expect(getOptimizer({ className: 'Adagrad', config: { initial_accumulator_value: 0.2, global_clipnorm: 1 } })
      .getConfig()).toMatchObject({ initialAccumulatorValue: 0.2, globalClipnorm: 1 });
  });
});

describe('weights', () => {
  test('Keras layout: the step count, then each slot for every parameter', () => {
    const params = [K.variable([[1, 2], [3, 4]]), K.variable([5])];
    const grads = [tensor([[1, 1], [1, 1]]), tensor([2])];
    const adam = new Adam();
    expect(adam.getWeights()).toEqual([]);
    adam.applyGradients(grads, params);
    adam.applyGradients(grads, params);
    const weights = adam.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([[], [2, 2], [1], [2, 2], [1], [1], [1]]);
    expect(weights[0].dtype).toBe('int64');
    expect(weights[0].item()).toBe(2);
    dispose([weights, params, grads]);
    adam.dispose();
  });

  test('setWeights (before the first step) resumes training exactly', () => {
    const start = [[0.5, -1], [2, 0.25]];
    const a = K.variable(start);
    const b = K.variable(start);
    const g1 = tensor([[1, -2], [0.5, 3]]);
    const g2 = tensor([[-1, 0.5], [2, 1]]);
    const first = new Adam({ learningRate: 0.1, amsgrad: true });
    first.applyGradients([g1], [a]);
    const weights = first.getWeights();
    // b catches up with a's first step, then both take the same second step.
    K.setValue(b, a);
    const second = new Adam({ learningRate: 0.1, amsgrad: true });
    second.setWeights(weights);
    expect(second.iterations).toBe(1);
    first.applyGradients([g2], [a]);
    second.applyGradients([g2], [b]);
    expectClose(b, a.array() as number[][], 0, 0);
    // After the state exists, setWeights copies into it.
    second.setWeights(weights);
    expect(second.iterations).toBe(1);
    dispose([a, b, g1, g2, weights]);
    first.dispose();
    second.dispose();
  });
});

describe('errors', () => {
  test('unknown optimizer names list the known ones', () => {
    const error = expectKeratorchError(() => getOptimizer('adamw'), 'ERR_ARGUMENT', 'getOptimizer',
      'received "adamw"', "'sgd'", "'adam'", "'rmsprop'", "'adagrad'");
    expect(error.message).toMatch(/expected .* for identifier but received/);
    expectKeratorchError(() => getOptimizer({ className: 'Nadam', config: {} }), 'ERR_ARGUMENT', 'getOptimizer',
      'identifier.className', '"Nadam"', "'rmsprop'");
    expectKeratorchError(() => getOptimizer(42 as never), 'ERR_ARGUMENT', 'getOptimizer', 'received 42');
    expectKeratorchError(() => getOptimizer({ className: 'sgd', config: { momentum: -1 } }), 'ERR_VALUE', 'SGD',
      'momentum');
  });

  test('bad options', () => {
    expectKeratorchError(() => new SGD({ learningRate: -0.1 }), 'ERR_VALUE', 'SGD',
      'SGD: expected a finite number >= 0 for learningRate but received -0.1');
    expectKeratorchError(() => new SGD({ momentum: '0.9' as never }), 'ERR_ARGUMENT', 'SGD',
      'for momentum but received "0.9"');
    expectKeratorchError(() => new SGD({ nesterov: 1 as never }), 'ERR_ARGUMENT', 'SGD',
      'expected a boolean for nesterov but received 1');
    expectKeratorchError(() => new SGD({ lr: 0.1 } as never), 'ERR_ARGUMENT', 'SGD', 'learningRate, decay',
      'received "lr"');
    expectKeratorchError(() => new SGD(5 as never), 'ERR_ARGUMENT', 'SGD', 'expected an options object');
    expectKeratorchError(() => new Adam({ beta1: 1 }), 'ERR_VALUE', 'Adam', '>= 0 and < 1 for beta1');
    expectKeratorchError(() => new Adam({ beta2: -0.5 }), 'ERR_VALUE', 'Adam', 'for beta2 but received -0.5');
    expectKeratorchError(() => new Adam({ epsilon: NaN }), 'ERR_VALUE', 'Adam', 'for epsilon but received NaN');
    expectKeratorchError(() => new Adam({ amsgrad: 'yes' as never }), 'ERR_ARGUMENT', 'Adam', 'amsgrad');
    expectKeratorchError(() => new RMSprop({ rho: -1 }), 'ERR_VALUE', 'RMSprop', 'rho');
    expectKeratorchError(() => new Adagrad({ decay: Infinity }), 'ERR_VALUE', 'Adagrad', 'decay');
    expectKeratorchError(() => new Adagrad({ clipnorm: -1 }), 'ERR_VALUE', 'Adagrad', 'clipnorm');
    expectKeratorchError(() => new RMSprop({ clipvalue: 'big' as never }), 'ERR_ARGUMENT', 'RMSprop', 'clipvalue');
  });

  test('mismatched grads and params name the function and the shapes', () => {
    const params = [K.variable([[1, 2, 3], [4, 5, 6]]), K.variable([1, 2])];
    const good = [tensor([[1, 1, 1], [1, 1, 1]]), tensor([1, 1])];
    const wrong = tensor([1, 2, 3]);
    const sgd = new SGD({ momentum: 0.9 });
    expectKeratorchError(() => sgd.applyGradients([good[0]], params), 'ERR_SHAPE', 'SGD.applyGradients',
      'one gradient per parameter (2) for grads but received "1 gradients"');
    expectKeratorchError(() => sgd.applyGradients([good[0], wrong], params), 'ERR_SHAPE', 'SGD.applyGradients',
      'params[1] (float32[2])', 'for grads[1] but received float32[3]');
    expectKeratorchError(() => sgd.applyGradients(good, [params[0], 'x' as never]), 'ERR_ARGUMENT',
      'SGD.applyGradients', 'a Tensor for params[1]');
    const disposed = tensor([1, 1]);
    disposed.dispose();
    expectKeratorchError(() => sgd.applyGradients([good[0], disposed], params), 'ERR_DISPOSED',
      'SGD.applyGradients', 'grads[1]');
    // Failed calls change nothing: no state was made and no step counted.
    expect(sgd.iterations).toBe(0);
    expect(sgd.getWeights()).toEqual([]);
    expectClose(params[0], [[1, 2, 3], [4, 5, 6]]);
    dispose([params, good, wrong]);
  });

  test('the native step validates lengths and shapes itself', () => {
    const p = K.variable([[1, 2, 3], [4, 5, 6]]);
    const g = tensor([[1, 1, 1], [1, 1, 1]]);
    const m = tensor([[0, 0, 0], [0, 0, 0]]);
    const wrong = tensor([1, 2, 3]);
    const ints = tensor([1, 2], undefined, 'int32');
    const options = { learningRate: 0.1 };
    expectKeratorchError(() => optim.sgd([p], [wrong], [m], options), 'ERR_SHAPE', 'optim.sgd',
      'grads[0] is float32[3] but params[0] is float32[2,3]');
    expectKeratorchError(() => optim.sgd([p], [g, g], [m], options), 'ERR_SHAPE', 'optim.sgd',
      'one gradient per parameter (1) but received 2');
    expectKeratorchError(() => optim.rmsprop([p], [g], [wrong], options), 'ERR_SHAPE', 'optim.rmsprop',
      'accumulators[0] is float32[3] but params[0] is float32[2,3]');
    expectKeratorchError(() => optim.adam([p], [g], [m], [], null, options), 'ERR_SHAPE', 'optim.adam',
      'one vs tensor per parameter (1) but received 0');
    expectKeratorchError(() => optim.adam([p], [g], [m], [m], null, { amsgrad: true }), 'ERR_ARGUMENT',
      'optim.adam', 'vhats');
    expectKeratorchError(() => optim.adagrad([ints], [ints], [ints], options), 'ERR_DTYPE', 'optim.adagrad',
      'params[0] is int32[2], not a floating-point tensor');
    expectKeratorchError(() => optim.sgd([p], [g], [m], { learningRate: NaN }), 'ERR_VALUE', 'optim.sgd',
      'learningRate');
    // Nothing was updated by the failed calls.
    expectClose(p, [[1, 2, 3], [4, 5, 6]]);
    expectClose(m, [[0, 0, 0], [0, 0, 0]]);
    dispose([p, g, m, wrong, ints]);
  });

  test('the direct steps refuse every hyperparameter out of range, with a zero gradient, and leave the weights alone', () => {
    const p = K.variable([1, 2]);
    const zero = tensor([0, 0]);
    const slots = () => [tensor([0, 0]), tensor([0, 0]), tensor([0, 0])];
    const [m, v, vhat] = slots();
    const cases: [string, () => void, string, string][] = [
      ['adam', () => optim.adam([p], [zero], [m], [v], null, { beta1: 1 }), 'ERR_VALUE',
        'optim.adam: expected a finite number >= 0 and < 1 for beta1 but received 1'],
      ['adam', () => optim.adam([p], [zero], [m], [v], null, { beta2: 1.5 }), 'ERR_VALUE', 'for beta2 but received 1.5'],
      ['adam', () => optim.adam([p], [zero], [m], [v], [vhat], { amsgrad: true, epsilon: 0 }), 'ERR_VALUE',
        'optim.adam: expected a finite number > 0 for epsilon but received 0'],
      ['adam', () => optim.adam([p], [zero], [m], [v], null, { iterations: -1 }), 'ERR_VALUE',
        'optim.adam: expected an integer >= 0 for iterations but received -1'],
      ['adam', () => optim.adam([p], [zero], [m], [v], null, { iterations: 1.5 }), 'ERR_VALUE', 'for iterations but received 1.5'],
      ['adam', () => optim.adam([p], [zero], [m], [v], null, { amsgrad: 1 as never }), 'ERR_ARGUMENT',
        'expected a boolean for amsgrad but received 1'],
      ['rmsprop', () => optim.rmsprop([p], [zero], [m], { rho: 2 }), 'ERR_VALUE',
        'optim.rmsprop: expected a finite number >= 0 and < 1 for rho but received 2'],
      ['rmsprop', () => optim.rmsprop([p], [zero], [m], { epsilon: 0 }), 'ERR_VALUE', 'for epsilon but received 0'],
      ['adagrad', () => optim.adagrad([p], [zero], [m], { epsilon: -1e-7 }), 'ERR_VALUE', 'for epsilon but received -1e-7'],
      ['sgd', () => optim.sgd([p], [zero], [m], { momentum: 1.5 }), 'ERR_VALUE',
        'optim.sgd: expected a finite number >= 0 and <= 1 for momentum but received 1.5'],
      ['sgd', () => optim.sgd([p], [zero], [m], { learningRate: -1 }), 'ERR_VALUE', 'for learningRate but received -1'],
      ['sgd', () => optim.sgd([p], [zero], [m], { decay: Infinity }), 'ERR_VALUE', 'for decay but received Infinity'],
      ['sgd', () => optim.sgd([p], [zero], [m], { clipnorm: -1 }), 'ERR_VALUE', 'for clipnorm but received -1'],
      ['sgd', () => optim.sgd([p], [zero], [m], { learningRate: '0.1' as never }), 'ERR_ARGUMENT',
        'for learningRate but received "0.1"'],
      ['sgd', () => optim.sgd([p], [zero], [m], { beta1: 0.9 } as never), 'ERR_ARGUMENT',
        'optim.sgd: expected an option among learningRate, decay, iterations, clipnorm, globalClipnorm, clipvalue, ' +
        'momentum, nesterov ' +
        'for options but received "beta1"'],
      ['sgd', () => optim.sgd([p], [zero], [m], null as never), 'ERR_ARGUMENT', 'expected an options object'],
    ];
    for (const [kind, run, code, fragment] of cases) expectKeratorchError(run, code as never, `optim.${kind}`, fragment);
    expectClose(p, [1, 2]);
    for (const slot of [m, v, vhat]) expectClose(slot, [0, 0]);
    // In range, a zero gradient moves nothing and writes no NaN (epsilon > 0 keeps 0 / sqrt(0) away).
    optim.adam([p], [zero], [m], [v], null, { beta1: 0, beta2: 0, epsilon: 1e-12, iterations: 0 });
    optim.rmsprop([p], [zero], [m], { rho: 0, epsilon: 1e-12 });
    optim.sgd([p], [zero], [m], { momentum: 1 });
    expectClose(p, [1, 2]);
    dispose([p, zero, m, v, vhat]);
  });

  test('the optimizer classes check their hyperparameters as the steps do', () => {
    expectKeratorchError(() => new RMSprop({ rho: 1 }), 'ERR_VALUE', 'RMSprop',
      'RMSprop: expected a finite number >= 0 and < 1 for rho but received 1');
    expectKeratorchError(() => new Adam({ epsilon: 0 }), 'ERR_VALUE', 'Adam', 'expected a finite number > 0 for epsilon');
    expectKeratorchError(() => new Adagrad({ epsilon: 0 }), 'ERR_VALUE', 'Adagrad', 'for epsilon but received 0');
    expectKeratorchError(() => new SGD({ momentum: 2 }), 'ERR_VALUE', 'SGD', '>= 0 and <= 1 for momentum but received 2');
    const sgd = new SGD();
    expectKeratorchError(() => { sgd.learningRate = NaN; }, 'ERR_VALUE', 'SGD.learningRate', 'for learningRate but received NaN');
    expect(sgd.learningRate).toBe(0.01);
  });

  test('setWeights refuses a step count that is negative, fractional or not one value', () => {
    const p = K.variable([1, 2]);
    const adam = new Adam();
    adam.applyGradients([tensor([1, 1])], [p]);
    const weights = adam.getWeights();
    for (const [count, fragment] of [[tensor(-1, [], 'int64'), 'an integer >= 0 for iterations but received -1'],
      [tensor(0.5, []), 'for iterations but received 0.5'], [tensor([1, 2], [2], 'int64'), 'a step count of one value']] as const) {
      expectKeratorchError(() => adam.setWeights([count, ...weights.slice(1)]), count.size === 1 ? 'ERR_VALUE' : 'ERR_SHAPE',
        'Adam.setWeights', fragment);
      expectKeratorchError(() => new Adam().setWeights([count, ...weights.slice(1)]), count.size === 1 ? 'ERR_VALUE' : 'ERR_SHAPE',
        'Adam.setWeights', fragment);
      count.dispose();
    }
    expect(adam.iterations).toBe(1);
    dispose([p, weights]);
    adam.dispose();
  });

  test('setWeights checks the count and the shapes', () => {
    const p = K.variable([1, 2]);
    const g = tensor([1, 1]);
    const sgd = new SGD({ momentum: 0.5 });
    sgd.applyGradients([g], [p]);
    const weights = sgd.getWeights();
    expectKeratorchError(() => sgd.setWeights(weights.slice(0, 1)), 'ERR_SHAPE', 'SGD.setWeights',
      'expected 2 weights');
    const wrong = [weights[0], tensor([1, 2, 3])];
    expectKeratorchError(() => sgd.setWeights(wrong), 'ERR_SHAPE', 'SGD.setWeights',
      'a tensor of shape [2] for weights[1] but received float32[3]');
    expectKeratorchError(() => sgd.setWeights([1] as never), 'ERR_ARGUMENT', 'SGD.setWeights', 'an array of tensors');
    dispose([p, g, weights, wrong]);
    sgd.dispose();
  });
});

describe('bad arguments from JavaScript', () => {
  test('the abstract Optimizer cannot be constructed directly', () => {
    const Abstract = Optimizer as unknown as new (args: unknown) => Optimizer;
    expectKeratorchError(() => new Abstract({}), 'ERR_ARGUMENT', 'Optimizer',
      'Optimizer: expected a subclass (SGD, RMSprop, Adagrad, Adam or your own) for the class');
  });

  test('optim.checkHyperparameter checks its own arguments', () => {
    expectKeratorchError(() => optim.checkHyperparameter(undefined as never, 'beta1', 0.9), 'ERR_ARGUMENT',
      'checkHyperparameter', 'checkHyperparameter: expected a non-empty string for fn but received undefined');
    for (const name of ['float32', 'constructor', undefined]) {
      expectKeratorchError(() => optim.checkHyperparameter('f', name as never, 1), 'ERR_ARGUMENT', 'checkHyperparameter',
        'checkHyperparameter: expected one of learningRate, decay', 'for name');
    }
    expectKeratorchError(() => optim.checkHyperparameter('f', 'beta1', 1), 'ERR_VALUE', 'f', 'for beta1 but received 1');
    expect(optim.checkHyperparameter('f', 'amsgrad', true)).toBe(true);
  });

  test('setWeights refuses a sparse array (some() skips its holes)', () => {
    expectKeratorchError(() => new Adam().setWeights(new Array(5)), 'ERR_ARGUMENT', 'Adam.setWeights',
      'expected an array of tensors for weights');
  });

  test("names of Object.prototype's members are unknown optimizers, as names and classNames", () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      expectKeratorchError(() => getOptimizer(name), 'ERR_ARGUMENT', 'getOptimizer', `received "${name}"`);
      expectKeratorchError(() => getOptimizer({ className: name, config: {} }), 'ERR_ARGUMENT', 'getOptimizer',
        'identifier.className', `received "${name}"`);
    }
    // A Keras key that is a prototype member is passed on as itself, and refused as an unknown option.
    expectKeratorchError(() => getOptimizer({ className: 'sgd', config: { constructor: 1 } }), 'ERR_ARGUMENT', 'SGD',
      'received "constructor"');
  });
});

describe(`CUDA${cuda.isAvailable() ? '' : ' (skipped: CUDA not available)'}`, () => {
  const maybe = cuda.isAvailable() ? test : test.skip;
  maybe('state lives on the parameters\' device and steps match the CPU', () => {
    for (const make of [() => new Adam({ amsgrad: true, clipnorm: 1 }), () => new SGD({ momentum: 0.9, nesterov: true })]) {
      const cpuParams = [K.variable([[1, 2], [3, 4]]), K.variable([0.5])];
      const gpuParams = cpuParams.map((p) => tidy(() => K.variable(p.to('cuda'))));
      const grads = [tensor([[1, -2], [0.5, 3]]), tensor([4])];
      const onCpu = make();
      const onGpu = make();
      for (let i = 0; i < 3; i++) {
        onCpu.applyGradients(grads, cpuParams);
        tidy(() => onGpu.applyGradients(grads.map((g) => g.to('cuda')), gpuParams));
      }
      const weights = onGpu.getWeights();
      expect(weights.slice(1).every((w) => w.device.startsWith('cuda'))).toBe(true);
      gpuParams.forEach((p, i) => {
        expect(p.device).toMatch(/^cuda/);
        expectClose(tidy(() => p.to('cpu')), cpuParams[i].array() as number[], 1e-5, 1e-6);
      });
      dispose([cpuParams, gpuParams, grads, weights]);
      onCpu.dispose();
      onGpu.dispose();
    }
  });
});
