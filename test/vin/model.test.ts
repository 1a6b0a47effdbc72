/**
 * buildVin: its layers, shapes and defaults, option checks, the QAtState pick, a save/load round
 * trip, and a short training run on generated 8x8 maps that must plan well on unseen ones.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Input, K, KeratorchError, loadModel, Model, Tensor, tensor, tidy } from '../../src';
import {
  buildVin, defaultK, evaluateVin, generateGridworld, QAtState, trainVin, ValueIteration,
} from '../../src/vin';
import type { EvaluationResult, VinOptions } from '../../src/vin';
import { expectKeratorchError, expectNoLeak, settle } from '../helpers/memory';

function summaryOf(model: Model): string {
  const lines: string[] = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  return lines.join('\n');
}

/** A batch of VIN inputs: random 0/1 obstacle maps with one goal each, and agent cells. */
function vinInputs(n: number, cells: [number, number][]): [Tensor, Tensor] {
  return tidy(() => {
    const batch = cells.length;
    const obstacles = K.cast(K.greater(K.randomUniform([batch, 1, n, n], 0, 1, 'float32', 5), 0.8), 'float32');
    const goal = new Float32Array(batch * n * n);
    cells.forEach((_, b) => { goal[b * n * n + ((b * 7 + 3) % (n * n))] = 1; });
    const images = K.concatenate([obstacles, tensor(goal, [batch, 1, n, n])], 1);
    return [images, tensor(Int32Array.from(cells.flat()), [batch, 2], 'int32')];
  });
}

describe('buildVin', () => {
  let model: Model;
  beforeAll(() => { model = buildVin({ gridSize: 8 }); });
  afterAll(() => model.dispose());

  test('layers image, h, r, vi, state, q_at_state, logits; inputs (None, 2, 8, 8) and (None, 2); output (None, 8)', () => {
    expect(model.name).toBe('vin_8x8');
    expect(model.layers.map((l) => l.name)).toEqual(['image', 'h', 'r', 'vi', 'state', 'q_at_state', 'logits']);
    expect(model.inputs.map((i) => [i.shape, i.dtype])).toEqual([[[null, 2, 8, 8], 'float32'], [[null, 2], 'int32']]);
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 8]]);
    const summary = summaryOf(model);
    for (const row of [
      /h \(Conv2D\)\s+\(None, 150, 8, 8\)\s+2850/, /r \(Conv2D\)\s+\(None, 1, 8, 8\)\s+150/,
      /vi \(ValueIteration\)\s+\(None, 10, 8, 8\)\s+180/, /q_at_state \(QAtState\)\s+\(None, 10\)\s+0/,
      /logits \(Dense\)\s+\(None, 8\)\s+80/, /Total params: 3,260/,
    ]) expect(summary).toMatch(row);
    // The weights and their Keras layouts.
    expect(model.weights.map((w) => [w.name, w.shape])).toEqual([
      ['h/kernel', [3, 3, 2, 150]], ['h/bias', [150]], ['r/kernel', [1, 1, 150, 1]],
      ['vi/wR', [3, 3, 1, 10]], ['vi/wV', [3, 3, 1, 10]], ['logits/kernel', [10, 8]],
    ]);
  });

  test('applied to a batch of 3 it gives (3, 8) float32 logits, and leaks nothing', () => {
    const [images, states] = vinInputs(8, [[1, 1], [3, 5], [6, 6]]);
    expectNoLeak(() => tidy(() => {
      const logits = K.noGrad(() => model.apply([images, states])) as Tensor;
      expect(logits.shape).toEqual([3, 8]);
      expect(logits.dtype).toBe('float32');
    }));
    images.dispose();
    states.dispose();
  });

  test('the paper\'s k by grid size (8: 10, 16: 20, 28: 36, else round(1.3 n)); k, lH, lQ, nActions and name options', () => {
    expect([8, 16, 28, 10, 5].map(defaultK)).toEqual([10, 20, 36, 13, 7]);
    for (const n of [8, 16, 28]) {
      const m = buildVin({ gridSize: n });
      expect((m.getLayer('vi') as ValueIteration).k).toBe(defaultK(n));
      expect(m.outputs[0].shape).toEqual([null, 8]);
      expect(m.getLayer('vi').outputShape).toEqual([null, 10, n, n]);
      m.dispose();
    }
    const custom = buildVin({ gridSize: 6, k: 3, lH: 4, lQ: 5, nActions: 4, name: 'small_vin' });
    expect(custom.name).toBe('small_vin');
    expect((custom.getLayer('vi') as ValueIteration).k).toBe(3);
    expect(custom.weights.map((w) => w.shape)).toEqual([[3, 3, 2, 4], [4], [1, 1, 4, 1], [3, 3, 1, 5], [3, 3, 1, 5], [5, 4]]);
    expect(custom.outputs[0].shape).toEqual([null, 4]);
    custom.dispose();
  });

  test.each<[string, unknown, string, RegExp]>([
    ['no options', undefined, 'buildVin', /buildVin: expected an integer >= 3 for gridSize but received undefined/],
    ['gridSize 2', { gridSize: 2 }, 'buildVin', /expected an integer >= 3 for gridSize but received 2/],
    ['gridSize 8.5', { gridSize: 8.5 }, 'buildVin', /received 8\.5/],
    ['gridSize "8"', { gridSize: '8' }, 'buildVin', /received "8"/],
    ['gridSize NaN', { gridSize: NaN }, 'buildVin', /for gridSize but received NaN$/],
    ['k 0', { gridSize: 8, k: 0 }, 'vi', /layer "vi" \(ValueIteration\) options: expected a positive integer for k but received 0/],
    ['k 2.5', { gridSize: 8, k: 2.5 }, 'vi', /for k but received 2\.5/],
    ['lQ 0', { gridSize: 8, lQ: 0 }, 'vi', /for lQ but received 0/],
    ['lH 0', { gridSize: 8, lH: 0 }, 'Conv2D', /expected a positive integer for filters but received 0/],
    ['nActions -1', { gridSize: 8, nActions: -1 }, 'Dense', /expected a positive integer for units but received -1/],
    ['a misspelt option', { gridSize: 8, K: 20 }, 'buildVin',
      /buildVin: unknown option "K" \(expected one of gridSize, k, lH, lQ, nActions, name, implementation\)/],
  ])('refuses %s with a KeratorchError', (_, options, op, message) => {
    let caught: unknown;
    try {
      buildVin(options as VinOptions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeratorchError);
    expect((caught as KeratorchError).code).toBe('ERR_ARGUMENT');
    expect((caught as KeratorchError).op).toBe(op);
    expect((caught as KeratorchError).message).toMatch(message);
  });
});

describe('ValueIteration and QAtState options and inputs', () => {
  test('unknown options are refused, naming the known ones', () => {
    expect(() => new ValueIteration({ k: 2, lq: 4 } as never)).toThrow(
      /^ValueIteration: expected an option among name, .*, k, lQ, initStddev, implementation for args but received "lq"$/);
    expect(() => new QAtState({ lQ: 4 } as never)).toThrow(
      /^QAtState: expected an option among name, trainable, inputShape, batchInputShape, batchSize, dtype for args but received "lQ"$/);
  });

  test('initStddev must be a finite number >= 0; messages show NaN as NaN', () => {
    expect(() => new ValueIteration({ k: 2, initStddev: NaN, name: 'vi_nan' })).toThrow(
      'layer "vi_nan" (ValueIteration) options: expected a finite number >= 0 for initStddev but received NaN');
    expect(() => new ValueIteration({ k: NaN, name: 'vi_k' })).toThrow('expected a positive integer for k but received NaN');
  });

  test('an empty map is refused when the layer is built, naming the shape', () => {
    const layer = new ValueIteration({ k: 2, name: 'vi_empty' });
    expect(() => layer.apply(Input({ shape: [1, 0, 0] }))).toThrow(
      'layer "vi_empty" (ValueIteration) build: expected a reward map of shape (None, 1, rows, cols) with rows and cols ' +
      '>= 1 but received (None, 1, 0, 0)');
  });
});

describe('the h and r convolutions folded into one (Model.foldLinearLayers)', () => {
  test('logits and every weight\'s gradient equal the layer-by-layer run within 1e-5 of their scale; h never runs', () => {
    const model = buildVin({ gridSize: 8 });
    const [images, states] = vinInputs(8, [[0, 0], [3, 4], [7, 7], [2, 5]]);
    const run = (fold: boolean) => tidy(() => {
      model.foldLinearLayers = fold;
      const logits = model.apply([images, states]) as Tensor;
      const loss = K.sum(K.multiply(logits, K.arange(0, 32).reshape([4, 8]).cast('float32')));
      return [logits, ...K.gradients(loss, model.trainableWeights)].map((t) => Array.from(t.data() as Float32Array));
    });
    const unfolded = run(false);
    const hCalls = jest.spyOn(model.getLayer('h'), 'call');
    const folded = run(true);
    expect(hCalls).not.toHaveBeenCalled();
    hCalls.mockRestore();
    expect(folded.length).toBe(1 + model.trainableWeights.length);
    expect(model.trainableWeights.length).toBeGreaterThanOrEqual(5); // h kernel and bias, r kernel, vi's kernels, logits
    folded.forEach((values, i) => {
      const scale = Math.max(...unfolded[i].map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      values.forEach((v, j) => expect(Math.abs(v - unfolded[i][j]) / scale).toBeLessThan(1e-5));
    });
    for (const t of [images, states]) t.dispose();
    model.dispose();
  });
});

describe('QAtState', () => {
  beforeEach(settle);

  test('picks q[b, :, row, col] exactly (compared with K.slice by hand), and the gradient reaches only those cells', () => {
    const layer = new QAtState({ name: 'pick' });
    const q = K.variable(K.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 3));
    const cells: [number, number][] = [[0, 0], [4, 5], [2, 3]];
    const states = tensor(Int32Array.from(cells.flat()), [3, 2], 'int32');
    expectNoLeak(() => tidy(() => {
      const picked = layer.apply([q, states]) as Tensor;
      expect(picked.shape).toEqual([3, 4]);
      const byHand = cells.map(([row, col], b) => Array.from(K.reshape(K.slice(q, [b, 0, row, col], [1, 4, 1, 1]), [4]).data() as Float32Array));
      expect(picked.array()).toEqual(byHand);
      const w = K.randomNormal([3, 4], 0, 1, 'float32', 4);
      const [grad] = K.gradients(K.sum(K.multiply(picked, w)), [q]);
      const expected = new Float32Array(3 * 4 * 5 * 6);
      const wData = w.data() as Float32Array;
      cells.forEach(([row, col], b) => {
        for (let c = 0; c < 4; c++) expected[((b * 4 + c) * 5 + row) * 6 + col] = wData[b * 4 + c];
      });
      expect(Array.from(grad.data() as Float32Array)).toEqual(Array.from(expected));
    }));
    q.dispose();
    states.dispose();
  });

  test('with several cells a map, (batch, S, 2) gives (batch, S, lQ), each row the same pick', () => {
    const layer = new QAtState({ name: 'pick_many' });
    const q = K.randomNormal([2, 3, 4, 4], 0, 1, 'float32', 6);
    const cells = [[[0, 1], [3, 3], [2, 0]], [[1, 1], [1, 2], [0, 3]]];
    const states = tensor(Int32Array.from(cells.flat(2)), [2, 3, 2], 'int32');
    tidy(() => {
      const picked = layer.apply([q, states]) as Tensor;
      expect(picked.shape).toEqual([2, 3, 3]);
      const byHand = cells.map((mapCells, b) => mapCells.map(([row, col]) =>
        Array.from(K.reshape(K.slice(q, [b, 0, row, col], [1, 3, 1, 1]), [3]).data() as Float32Array)));
      expect(picked.array()).toEqual(byHand);
    });
    expect(layer.computeOutputShape([[null, 10, 8, 8], [null, 10, 2]])).toEqual([null, 10, 10]);
    expect(layer.computeOutputShape([[null, 10, 8, 8], [null, 2]])).toEqual([null, 10]);
    q.dispose();
    states.dispose();
  });

  test('an off-map agent cell is refused with the layer\'s name, the map size and the bounds received', () => {
    const layer = new QAtState({ name: 'pick_off' });
    const q = K.zeros([2, 3, 8, 8]);
    const states = tensor(Int32Array.from([1, 1, 8, 2]), [2, 2], 'int32');
    expect(() => layer.apply([q, states])).toThrow(expect.objectContaining({ code: 'ERR_VALUE',
      message: expect.stringMatching(/^layer "pick_off" \(QAtState\) call: expected agent cells \(row, col\) inside the 8x8 map but received rows 1\.\.8 and cols 1\.\.2/) }));
    q.dispose();
    states.dispose();
  });

  test('refuses shapes other than [q (None, lQ, rows, cols), state (None, 2)]', () => {
    const layer = new QAtState({ name: 'pick_bad' });
    expect(() => layer.computeOutputShape([[null, 10, 8, 8], [null, 3]]))
      .toThrow(/layer "pick_bad" \(QAtState\) computeOutputShape: expected \[q \(None, lQ, rows, cols\), state \(None, 2\).* but received \[\(None, 10, 8, 8\), \(None, 3\)\]$/);
    expect(() => layer.computeOutputShape([[null, 10, 8], [null, 2]])).toThrow(KeratorchError);
    expect(() => layer.computeOutputShape([null, 10, 8, 8])).toThrow(KeratorchError);
  });
});

describe('save and load', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-vin-model-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('model.save then loadModel gives the same layers, k and exactly equal logits', () => {
    const model = buildVin({ gridSize: 8, k: 4, name: 'vin_saved' });
    const [images, states] = vinInputs(8, [[1, 2], [5, 5], [6, 1], [3, 4]]);
    model.save(dir);
    const loaded = loadModel(dir, { compile: false });
    expect(loaded.name).toBe('vin_saved');
    expect(loaded.layers.map((l) => [l.name, l.className])).toEqual(model.layers.map((l) => [l.name, l.className]));
    expect((loaded.getLayer('vi') as ValueIteration).k).toBe(4);
    expect(loaded.getLayer('vi')).toBeInstanceOf(ValueIteration);
    tidy(() => K.noGrad(() => {
      const a = (model.apply([images, states]) as Tensor).array();
      const b = (loaded.apply([images, states]) as Tensor).array();
      expect(b).toEqual(a);
    }));
    [images, states].forEach((t) => t.dispose());
    model.dispose();
    loaded.dispose();
  });
});

describe('training', () => {
  // Measured (CPU, 1 thread): 400 maps, 3 epochs -> accuracy 0.851, success 0.857, trajectory diff 0.20
  // on the 200 unseen maps; the thresholds leave a margin of about 0.1 for other machines and thread counts.
  const ACCURACY = 0.75;
  const SUCCESS = 0.75;
  let result: EvaluationResult;
  let model: Model;

  beforeAll(() => {
    const train = generateGridworld({ gridSize: 8, numDomains: 400, seed: 11 });
    const unseen = generateGridworld({ gridSize: 8, numDomains: 200, seed: 12 });
    model = trainVin(train, { epochs: 3, verbose: 0, seed: 0 }).model;
    result = evaluateVin(model, unseen);
  });
  afterAll(() => model?.dispose());

  test(`trainVin on 400 generated 8x8 maps for 3 epochs: action accuracy >= ${ACCURACY} and success rate >= ${SUCCESS} ` +
    'on 200 unseen maps', () => {
    expect(result.n).toBe(1400);
    expect(result.accuracy).toBeGreaterThanOrEqual(ACCURACY);
    expect(result.successRate).toBeGreaterThanOrEqual(SUCCESS);
    // Successful rollouts are at most twice the expert's length, and rarely longer at all.
    expect(result.trajectoryDiff).toBeGreaterThanOrEqual(-1e-9);
    expect(result.trajectoryDiff).toBeLessThan(1);
  });

  test('trainVin refuses an unknown option before any work, naming the known ones', () => {
    expect(() => trainVin(generateGridworld({ gridSize: 8, numDomains: 2 }), { epoch: 3 } as never)).toThrow(
      'trainVin: expected an option among k, epochs, batchSize, learningRate, seed, validation, verbose, callbacks, ' +
      'initialWeights, device for options but received "epoch"');
  });

  test('the trained model is the plain VIN (one state a row), saved with its training config', () => {
    expect(model.inputs.map((i) => i.shape)).toEqual([[null, 2, 8, 8], [null, 2]]);
    expect(model.outputs[0].shape).toEqual([null, 8]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-vin-trained-'));
    try {
      model.save(dir);
      const saved = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      expect(saved.trainingConfig).not.toBeNull();
      expect(JSON.stringify(saved.trainingConfig)).toMatch(/RMSprop/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bad arguments are KeratorchErrors naming the function', () => {
  test('defaultK takes a grid size', () => {
    for (const bad of [10n, Symbol('s'), 0, 2.5, '8']) {
      expectKeratorchError(() => defaultK(bad as never), bad === 0 || bad === 2.5 ? 'ERR_VALUE' : 'ERR_ARGUMENT', 'defaultK',
        'for gridSize');
    }
    expect(defaultK(8)).toBe(10);
  });

  test('ValueIteration takes an options object', () => {
    expectKeratorchError(() => new ValueIteration(undefined as never), 'ERR_ARGUMENT', 'ValueIteration',
      'expected an options object for args but received undefined');
  });

  test('trainVin and evaluateVin take a dataset', () => {
    expectKeratorchError(() => trainVin(undefined as never), 'ERR_ARGUMENT', 'trainVin',
      'expected a GridworldDataset object for dataset but received undefined');
    const data = generateGridworld({ gridSize: 8, numDomains: 1, seed: 1 });
    expectKeratorchError(() => trainVin(data, { validation: { ...data, goals: 3 } as never, epochs: 1 }), 'ERR_ARGUMENT',
      'trainVin (validation)', 'expected an Int32Array for goals but received 3');
    const model = buildVin({ gridSize: 8, k: 2 });
    expectKeratorchError(() => evaluateVin(model, null as never), 'ERR_ARGUMENT', 'evaluateVin',
      'expected a GridworldDataset object for dataset but received null');
    expectKeratorchError(() => evaluateVin(undefined as never, data), 'ERR_ARGUMENT', 'evaluateVin',
      'expected a VIN Model (from buildVin or loadPlanner) for model but received undefined');
    model.dispose();
  });
});
