/** Saving and loading models: architecture, weights, registry-resolved functions, and bad files. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  K, tensor, Tensor, Input, Model, Sequential, Dense, Conv2D, MaxPooling2D, Flatten, Lambda, BatchNormalization,
  Concatenate, loadModel, registerFunction, unregisterFunction, KeratorchError, memory, tidy,
} from '../../src';
import { settle } from '../helpers/memory';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-model-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function predict(model: Model, x: Tensor | Tensor[]): number[] {
  return tidy(() => Array.from((K.noGrad(() => model.apply(x)) as Tensor).data() as Float32Array));
}

function cnn(): Model {
  const input = Input({ shape: [6, 6, 2], name: 'image' });
  let x = new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }).apply(input);
  x = new BatchNormalization({ name: 'bn' }).apply(x);
  x = new MaxPooling2D({ poolSize: 2 }).apply(x);
  x = new Flatten().apply(x);
  const out = new Dense({ units: 4, activation: 'softmax', name: 'head' }).apply(x);
  return new Model({ inputs: input, outputs: out, name: 'cnn' });
}

test('save then loadModel gives a model with equal predictions and layer names', () => {
  const model = cnn();
  const x = K.randomUniform([2, 6, 6, 2]);
  model.save(dir);
  expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
  expect(fs.existsSync(path.join(dir, 'weights.safetensors'))).toBe(true);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  expect(saved.format).toBe('keratorch-model');
  expect(saved.modelConfig.className).toBe('Model');
  expect(saved.modelConfig.config.layers.map((l: { name: string }) => l.name))
    .toEqual(model.layers.map((l) => l.name));
  const loaded = loadModel(dir);
  expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  expect(loaded.countParams()).toBe(model.countParams());
  const a = predict(model, x);
  const b = predict(loaded, x);
  b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));
});

test('Sequential and multi-input models round-trip', () => {
  const seq = new Sequential([new Dense({ units: 5, inputShape: [3], activation: 'tanh' }), new Dense({ units: 2 })]);
  seq.save(dir);
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  expect(predict(loadModel(dir), x)).toEqual(predict(seq, x));

  const a = Input({ shape: [2], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const merged = new Concatenate({ name: 'cat' }).apply([a, b]);
  const out = new Dense({ units: 1, name: 'out' }).apply(merged);
  const two = new Model({ inputs: [a, b], outputs: out });
  const dir2 = path.join(dir, 'two');
  two.save(dir2);
  const xs = [tensor([[1, 2]]), tensor([[3, 4, 5]])];
  expect(predict(loadModel(dir2), xs)).toEqual(predict(two, xs));
});

test('Lambda functions are saved by registered name and resolved on load', () => {
  const absolute = (x: Tensor | Tensor[]) => K.abs(x as Tensor);
  registerFunction('absoluteForTest', absolute);
  const input = Input({ shape: [3, 3] });
  const out = new Lambda(absolute).apply(input);
  const model = new Model({ inputs: input, outputs: out });
  model.save(dir);
  const x = tensor([[[-1, 2, -3], [4, -5, 6], [-7, 8, -9]]]);
  expect(predict(loadModel(dir), x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  unregisterFunction('absoluteForTest');
  expect(() => loadModel(dir)).toThrow(/registerFunction\("absoluteForTest", fn\)/);
});

test('saveWeights / loadWeights move weights by layer name into a separately built model', () => {
  const first = cnn();
  const second = cnn(); // same weighted layer names (conv, bn, head), other initial values
  const x = K.randomUniform([1, 6, 6, 2]);
  expect(predict(second, x)).not.toEqual(predict(first, x));
  const file = path.join(dir, 'w.safetensors');
  first.saveWeights(file);
  second.loadWeights(file);
  expect(predict(second, x)).toEqual(predict(first, x));
});

describe('bad weight files leave the model as it was', () => {
  function snapshot(model: Model): number[][] {
    return model.weights.map((w) => Array.from(w.data() as Float32Array));
  }

  test('truncated file', async () => {
    const model = cnn();
    model.save(dir);
    const file = path.join(dir, 'weights.safetensors');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    const before = snapshot(model);
    // Earlier garbage is collected first: a collection during the failing call must not move the count.
    await settle();
    const count = memory().numTensors;
    expect(() => model.loadWeights(file)).toThrow(KeratorchError);
    expect(memory().numTensors).toBe(count);
    expect(snapshot(model)).toEqual(before);
    expect(() => loadModel(dir)).toThrow(KeratorchError);
  });

  test('corrupt header', () => {
    const model = cnn();
    const file = path.join(dir, 'w.safetensors');
    model.saveWeights(file);
    const bytes = fs.readFileSync(file);
    bytes.write('#', 12);
    fs.writeFileSync(file, bytes);
    const before = snapshot(model);
    expect(() => model.loadWeights(file)).toThrow(KeratorchError);
    expect(snapshot(model)).toEqual(before);
  });

  test('weights of another architecture: names the differences', () => {
    const model = cnn();
    const other = new Sequential([new Dense({ units: 3, inputShape: [2], name: 'head' })]);
    const file = path.join(dir, 'other.safetensors');
    other.saveWeights(file);
    const before = snapshot(model);
    let message = '';
    try { model.loadWeights(file); } catch (error) { message = (error as Error).message; }
    expect(message).toMatch(/loadWeights: the weights in .* do not match model "cnn"/);
    expect(message).toMatch(/missing "conv\/kernel"|"head\/kernel" is float32\[2,3\] in the file/);
    expect(snapshot(model)).toEqual(before);
  });

  test('not a model folder', () => {
    fs.writeFileSync(path.join(dir, 'model.json'), '{"hello": 1}');
    expect(() => loadModel(dir)).toThrow(/is not a keratorch model/);
    expect(() => loadModel(path.join(dir, 'missing'))).toThrow(/cannot read/);
  });
});
