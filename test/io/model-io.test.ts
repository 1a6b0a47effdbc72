/** Saving and loading models: architecture, weights, registry-resolved functions, and bad files. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  K, tensor, Tensor, Input, Model, Sequential, Dense, Conv2D, MaxPooling2D, Flatten, Lambda, BatchNormalization,
  Concatenate, loadModel, registerFunction, unregisterFunction, KeratorchError, memory, tidy,
} from '../../src';
import { expectError } from '../helpers/errors';
import { expectKeratorchError, tensorsSince } from '../helpers/memory';

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
    const mark = memory();
    expect(() => model.loadWeights(file)).toThrow(KeratorchError);
    expect(tensorsSince(mark).numTensors).toBe(0);
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

describe('loadModel checks model.json field by field', () => {
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Saves a small functional model, lets `change` edit its model.json, and returns loadModel's error. */
  function loadEdited(change: (saved: Json) => void): () => unknown {
    const input = Input({ shape: [3], name: 'x' });
    const out = new Dense({ units: 2, name: 'head' }).apply(new Dense({ units: 4, name: 'hidden' }).apply(input));
    new Model({ inputs: input, outputs: out, name: 'edited' }).save(dir);
    const file = path.join(dir, 'model.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(saved);
    fs.writeFileSync(file, JSON.stringify(saved));
    return () => loadModel(dir);
  }
  const layer = (saved: Json, name: string): Json =>
    saved.modelConfig.config.layers.find((l: Json) => l.name === name);

  test('inboundNodes "x", dtype "float99" and weightsFile "../../x" are refused, naming the field', async () => {
    expectError(loadEdited((s) => { layer(s, 'head').inboundNodes = 'x'; }), 'ERR_VALUE',
      'loadModel: expected a list of nodes for modelConfig.config.layers[2].inboundNodes but received "x"');
    expectError(loadEdited((s) => { layer(s, 'hidden').config.dtype = 'float99'; }), 'ERR_DTYPE',
      'loadModel: expected one of float32, float64, int32, int64, uint8, bool for ' +
      'modelConfig.config.layers[1].config.dtype but received "float99"');
    // A real weights file where the path would lead: it must not be read.
    saveWeightsElsewhere();
    expectError(loadEdited((s) => { s.weightsFile = '../outside.safetensors'; }), 'ERR_VALUE',
      'expected a file name inside the model folder (no slashes, not "." or "..") for weightsFile in ' +
      `${JSON.stringify(path.join(dir, 'model.json'))} but received "../outside.safetensors"`);
    for (const weightsFile of ['/etc/passwd', '..', 'a\\b', 7]) {
      expectError(loadEdited((s) => { s.weightsFile = weightsFile; }), 'ERR_VALUE', 'for weightsFile in');
    }
    // A failed load leaves nothing behind: the layers built before the bad reference are freed.
    const load = loadEdited((s) => { layer(s, 'head').inboundNodes = [[['hidden', 0, 1, {}]]]; });
    expectKeratorchError(load, 'ERR_VALUE', 'loadModel', 'loadModel: modelConfig.config.layers[2].inboundNodes[0][0] ' +
      'refers to output 1 of node 0 of layer "hidden", which has 1 output(s)');
  });

  function saveWeightsElsewhere(): void {
    const outside = path.join(path.dirname(dir), 'outside.safetensors');
    new Sequential([new Dense({ units: 1, inputShape: [1] })]).saveWeights(outside);
    afterThis.push(() => fs.rmSync(outside, { force: true }));
  }
  const afterThis: (() => void)[] = [];
  afterEach(() => { afterThis.splice(0).forEach((undo) => undo()); });

  test('every other field: its type, unknown keys, and the references between layers', () => {
    const file = JSON.stringify(path.join(dir, 'model.json'));
    const cases: [(s: Json) => void, string, string][] = [
      [(s) => { s.formatVersion = '1'; }, 'ERR_VALUE', `expected an integer >= 1 for formatVersion in ${file} but received "1"`],
      [(s) => { s.formatVersion = 2; }, 'ERR_VALUE', 'has format version 2; this keratorch reads up to 1'],
      [(s) => { s.weightFile = 'w'; }, 'ERR_ARGUMENT', `expected an option among format, formatVersion, modelConfig, trainingConfig, weightsFile for ${file} but received "weightFile"`],
      [(s) => { s.trainingConfig = 5; }, 'ERR_VALUE', 'expected an object or null for trainingConfig'],
      [(s) => { s.modelConfig = []; }, 'ERR_VALUE', 'expected a layer config { className, config } for modelConfig in'],
      [(s) => { s.modelConfig.className = 7; }, 'ERR_VALUE', 'expected a non-empty string for modelConfig.className but received 7'],
      [(s) => { s.modelConfig.config.layers = {}; }, 'ERR_VALUE', 'expected a list of layer entries for modelConfig.config.layers'],
      [(s) => { s.modelConfig.config.outputLayers = [['head', 0]]; }, 'ERR_VALUE',
        'expected [layer name, node index, tensor index] for modelConfig.config.outputLayers[0] but received ["head",0]'],
      [(s) => { s.modelConfig.config.outputLayers = [['nope', 0, 0]]; }, 'ERR_VALUE',
        'modelConfig.config.outputLayers[0] refers to unknown layer "nope"'],
      [(s) => { s.modelConfig.config.inputsAsList = 'yes'; }, 'ERR_VALUE', 'expected a boolean for modelConfig.config.inputsAsList'],
      [(s) => { layer(s, 'head').name = 'hidden'; }, 'ERR_VALUE', 'modelConfig.config.layers[2].name: the layer name "hidden" appears twice'],
      [(s) => { layer(s, 'head').inboundNodes = [[['hidden', -1, 0, {}]]]; }, 'ERR_VALUE',
        'for modelConfig.config.layers[2].inboundNodes[0][0] but received ["hidden",-1,0,'],
      [(s) => { layer(s, 'head').inboundNodes = [[['hidden', 0, 0, 'kw']]]; }, 'ERR_VALUE',
        'expected an object of call arguments for modelConfig.config.layers[2].inboundNodes[0][0][3]'],
      [(s) => { layer(s, 'head').inboundNodes = [[['ghost', 0, 0, {}]]]; }, 'ERR_VALUE',
        'modelConfig.config.layers[2].inboundNodes[0] refers to unknown layer "ghost"'],
      [(s) => { layer(s, 'head').inboundNodes = [[['hidden', 3, 0, {}]]]; }, 'ERR_VALUE',
        'could not connect layers head: their inputs never appear'],
      [(s) => { layer(s, 'head').config.trainable = 'no'; }, 'ERR_VALUE', 'expected a boolean for modelConfig.config.layers[2].config.trainable'],
      [(s) => { layer(s, 'x').config.batchInputShape = [null, -3]; }, 'ERR_VALUE',
        'expected an array of non-negative integers or null for modelConfig.config.layers[0].config.batchInputShape'],
      [(s) => { layer(s, 'x').inboundNodes = [[['head', 0, 0, {}]]]; }, 'ERR_VALUE',
        'expected no inbound nodes (an InputLayer has none) for modelConfig.config.layers[0].inboundNodes'],
    ];
    for (const [change, code, message] of cases) {
      fs.rmSync(dir, { recursive: true, force: true });
      expectError(loadEdited(change), code as 'ERR_VALUE', `loadModel: `, message);
    }
  });

  test('layers listed in reverse order still connect (each node waits for the output it lacks)', () => {
    const input = Input({ shape: [3], name: 'x' });
    let h = input;
    for (let i = 0; i < 6; i++) h = new Dense({ units: 3, name: `d${i}` }).apply(h);
    const model = new Model({ inputs: input, outputs: h });
    model.save(dir);
    const file = path.join(dir, 'model.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    saved.modelConfig.config.layers.reverse();
    fs.writeFileSync(file, JSON.stringify(saved));
    const x = tensor([[1, 2, 3]]);
    expect(predict(loadModel(dir), x)).toEqual(predict(model, x));
  });

  test('a frozen functional model, nested or not, is still frozen when loaded', () => {
    const input = Input({ shape: [2], name: 'x' });
    const inner = new Model({ inputs: input, outputs: new Dense({ units: 2, name: 'd' }).apply(input), name: 'inner' });
    inner.trainable = false;
    const outer = Input({ shape: [2], name: 'y' });
    const model = new Model({ inputs: outer, outputs: new Dense({ units: 1, name: 'head' }).apply(inner.apply(outer)) });
    model.save(dir);
    const loaded = loadModel(dir);
    expect((loaded.getLayer('inner') as Model).trainable).toBe(false);
    expect(loaded.trainableWeights.length).toBe(2); // head's kernel and bias only
    expect(loaded.countParams()).toBe(model.countParams());
  });

  test('models nested 20,000 deep are refused with a clear error, not a stack overflow', () => {
    new Sequential([new Dense({ units: 1, inputShape: [1] })]).save(dir);
    const file = path.join(dir, 'model.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const depth = 20000;
    const nested = '{"className":"Sequential","config":{"layers":['.repeat(depth) + ']}}'.repeat(depth);
    fs.writeFileSync(file, JSON.stringify({ ...saved, modelConfig: 'NESTED' }).replace('"NESTED"', nested));
    expectError(() => loadModel(dir), 'ERR_VALUE', 'loadModel: models nest more than 64 levels deep (at modelConfig' +
      '.config.layers[0]');
    // A deep array where a reference belongs: described by its length, not walked to the bottom.
    const input = Input({ shape: [1], name: 'x' });
    new Model({ inputs: input, outputs: new Dense({ units: 1, name: 'd' }).apply(input) }).save(dir);
    const functional = JSON.parse(fs.readFileSync(file, 'utf8'));
    functional.modelConfig.config.layers[1].inboundNodes = [['DEEP']];
    fs.writeFileSync(file, JSON.stringify(functional).replace('"DEEP"', '['.repeat(depth) + ']'.repeat(depth)));
    expectError(() => loadModel(dir), 'ERR_VALUE', 'loadModel: expected [layer name, node index, tensor index, kwargs] ' +
      'for modelConfig.config.layers[1].inboundNodes[0][0] but received [[[[[[[[an array of length 1]]]]]]]]');
  });

  test('the options are checked', () => {
    new Sequential([new Dense({ units: 1, inputShape: [1] })]).save(dir);
    expectError(() => loadModel(dir, { compiled: false } as never), 'ERR_ARGUMENT',
      'loadModel: expected an option among compile for options but received "compiled"');
    expectError(() => loadModel(dir, { compile: 'no' } as never), 'ERR_ARGUMENT', 'expected a boolean for compile');
  });
});

describe('model.save is all or nothing', () => {
  const dense = (units: number) => new Sequential([new Dense({ units, inputShape: [3], name: 'd' })]);
  const x = () => tensor([[1, 2, 3]]);

  test('model.json being a folder: a KeratorchError naming it, and the old weights stay as they were', () => {
    const target = path.join(dir, 'm');
    dense(2).save(target);
    const weights = fs.readFileSync(path.join(target, 'weights.safetensors'));
    fs.rmSync(path.join(target, 'model.json'));
    fs.mkdirSync(path.join(target, 'model.json'));
    expectError(() => dense(2).save(target), 'ERR_ARGUMENT', `save: cannot save into ${JSON.stringify(target)}: ` +
      `${JSON.stringify(path.join(target, 'model.json'))} is a folder, not a file it can replace; nothing was written`);
    expect(fs.readFileSync(path.join(target, 'weights.safetensors')).equals(weights)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['m']);
  });

  test('saving over a model replaces both files and keeps the folder\'s other files; nothing temporary is left', () => {
    const target = path.join(dir, 'm');
    dense(2).save(target);
    fs.writeFileSync(path.join(target, 'notes.txt'), 'mine');
    const second = dense(5);
    second.save(target);
    expect(predict(loadModel(target), x())).toEqual(predict(second, x()));
    expect(fs.readdirSync(target).sort()).toEqual(['model.json', 'notes.txt', 'weights.safetensors']);
    expect(fs.readFileSync(path.join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.readdirSync(dir)).toEqual(['m']);
    // A link to a model folder stays a link; the folder it points to gets the new model.
    fs.symlinkSync(target, path.join(dir, 'link'));
    const third = dense(1);
    third.save(path.join(dir, 'link'));
    expect(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(predict(loadModel(target), x())).toEqual(predict(third, x()));
    expect(fs.readdirSync(dir).sort()).toEqual(['link', 'm']);
  });

  test('a missing folder above it, a file in its place, or the current folder: refused, nothing written', () => {
    const missing = path.join(dir, 'no', 'such', 'm');
    expectError(() => dense(2).save(missing), 'ERR_ARGUMENT',
      `save: cannot write ${JSON.stringify(missing)}: its folder ${JSON.stringify(path.dirname(missing))} does not exist`);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expectError(() => dense(2).save(path.join(dir, 'file')), 'ERR_ARGUMENT', 'it is a file, not a folder; nothing was written');
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expectError(() => dense(2).save('.'), 'ERR_ARGUMENT', 'it is or holds the current folder');
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(dir)).toEqual(['file']);
  });

  // A tiny tmpfs is a disk that fills up; mounting one needs root.
  const canMount = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-mount-probe-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (mounted) spawnSync('umount', [probe]);
    fs.rmdirSync(probe);
    return mounted;
  })();
  (canMount ? test : test.skip)(`a full disk: the error names the path and ENOSPC, the old model loads as it was, nothing ` +
    `is left behind${canMount ? '' : ' (skipped: mounting a small tmpfs needs root)'}`, () => {
    const disk = path.join(dir, 'disk');
    fs.mkdirSync(disk);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', disk]).status).toBe(0);
    try {
      const target = path.join(disk, 'm');
      const small = dense(2);
      small.save(target);
      // 3 x 20000 float32 weights and their bias: 320 kB, more than the 200 kB disk holds.
      const error = expectError(() => dense(20000).save(target), 'ERR_ARGUMENT',
        `save: cannot save into ${JSON.stringify(target)}: writing weights.safetensors failed: ENOSPC`);
      expect((error as { cause?: { code?: string } }).cause?.code).toBe('ENOSPC');
      expect(predict(loadModel(target), x())).toEqual(predict(small, x()));
      expect(fs.readdirSync(disk)).toEqual(['m']);
      expect(fs.readdirSync(target).sort()).toEqual(['model.json', 'weights.safetensors']);

      // Room for exactly the new weights: they are written, then model.json fails (the case that used to
      // leave new weights beside the old architecture).
      const bigger = dense(3000);
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-weights-size-'));
      bigger.saveWeights(path.join(elsewhere, 'w.safetensors'));
      const weightsBytes = fs.statSync(path.join(elsewhere, 'w.safetensors')).size;
      fs.rmSync(elsewhere, { recursive: true });
      const { bavail, bsize } = fs.statfsSync(disk);
      fs.writeFileSync(path.join(disk, 'filler'), Buffer.alloc(bavail * bsize - Math.ceil(weightsBytes / bsize) * bsize));
      expectError(() => bigger.save(target), 'ERR_ARGUMENT',
        `save: cannot save into ${JSON.stringify(target)}: writing model.json failed: ENOSPC`);
      expect(predict(loadModel(target), x())).toEqual(predict(small, x()));
      expect(fs.readdirSync(disk).sort()).toEqual(['filler', 'm']);
    } finally {
      spawnSync('umount', [disk]);
    }
  });
});

test('a path that is not a string is described, whatever it is (a BigInt or a cycle made JSON.stringify throw)', () => {
  const cyclic: unknown[] = [1, 2];
  cyclic.push(cyclic);
  const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  expectError(() => loadModel(10n as never), 'ERR_ARGUMENT', 'loadModel: expected a folder path for dir but received bigint 10n');
  expectError(() => model.save(cyclic as never), 'ERR_ARGUMENT', 'save: expected a folder path for dir but received [1,2,');
  expectError(() => model.saveWeights(10n as never), 'ERR_ARGUMENT', 'saveWeights: expected a file path for path but received bigint 10n');
  expectError(() => model.loadWeights(cyclic as never), 'ERR_ARGUMENT', 'loadWeights: expected a file path for path');
});
