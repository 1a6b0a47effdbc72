/**
 * A save that could not load back fails when saving, naming the layer and the fix: unregistered
 * Lambda and merge functions (unless allowUnregistered, which warns and whose load error names the
 * layer), custom classes without a className; paths that are not folders; summary of an unbuilt model.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  K, tensor, Tensor, Input, Model, Sequential, Dense, Lambda, Layer, merge, loadModel, registerClass, registerFunction,
  unregisterClass, unregisterFunction, saveModel,
} from '../../src';
import { expectError } from '../helpers/errors';

let dir: string;
let warn: jest.SpyInstance;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-saves-'));
  warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
  fs.rmSync(dir, { recursive: true, force: true });
});

const target = () => path.join(dir, 'm');

function lambdaModel(fn: (x: Tensor) => Tensor, name = 'lam'): Sequential {
  return new Sequential([new Lambda(fn, { inputShape: [3], name })]);
}

describe('Lambda and merge functions', () => {
  test('an anonymous function is refused at save time, naming the layer and the registerFunction call', () => {
    const model = lambdaModel((x) => K.abs(x));
    expectError(() => model.save(target()), 'ERR_ARGUMENT', 'save: model', 'layer "lam" (Lambda)',
      'its function', 'has no registered name', 'registerFunction("lam_function", fn)', 'allowUnregistered: true');
    expect(fs.existsSync(target())).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  test('a named but unregistered function is refused, and the suggested name is its own', () => {
    function halve(x: Tensor): Tensor { return K.multiply(x, 0.5); }
    expectError(() => saveModel(lambdaModel(halve), target()), 'ERR_ARGUMENT', 'registerFunction("halve", fn)');
    registerFunction('halveForSaveTest', halve);
    try {
      saveModel(lambdaModel(halve), target());
      const loaded = loadModel(target());
      expect((loaded.predict(tensor([[2, 4, 6]])) as Tensor).array()).toEqual([[1, 2, 3]]);
    } finally {
      unregisterFunction('halveForSaveTest');
    }
  });

  test('an unregistered merge function and outputShape function are refused, in nested models too', () => {
    const a = Input({ shape: [2] });
    const b = Input({ shape: [2] });
    const merged = merge([a, b], { mode: (xs: Tensor[]) => K.add(xs[0], xs[1]), name: 'plus' });
    const inner = new Model({ inputs: [a, b], outputs: merged, name: 'inner' });
    const x = Input({ shape: [2] });
    const y = Input({ shape: [2] });
    const shaped = new Lambda((t: Tensor) => t, { outputShape: (s) => s, name: 'same' }).apply(
      inner.apply([x, y]) as never);
    const outer = new Model({ inputs: [x, y], outputs: shaped });
    expectError(() => outer.save(target()), 'ERR_ARGUMENT', 'layer "plus" (Merge): its mode (an anonymous function)', 'layer "same" (Lambda)',
      'its outputShape', 'registerFunction("same_output_shape", fn)');
  });

  test('allowUnregistered saves anyway with a warning; loading names the layer and the fix', () => {
    const model = lambdaModel((x) => K.abs(x));
    model.save(target(), { allowUnregistered: true });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/save: model ".*" is saved with null .*layer "lam" \(Lambda\)/);
    const saved = JSON.parse(fs.readFileSync(path.join(target(), 'model.json'), 'utf8'));
    expect(saved.modelConfig.config.layers[0].config.function).toBeNull();
    expectError(() => loadModel(target()), 'ERR_ARGUMENT', 'the Lambda layer "lam" has null for function',
      'allowUnregistered', 'registerFunction("name", fn)', '"function" in model.json');
  });

  test('the fix the load error names works: register, write the name into model.json, load', () => {
    const abs = (x: Tensor) => K.abs(x);
    lambdaModel(abs).save(target(), { allowUnregistered: true });
    const file = path.join(target(), 'model.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    saved.modelConfig.config.layers[0].config.function = 'absForSaveTest';
    fs.writeFileSync(file, JSON.stringify(saved));
    registerFunction('absForSaveTest', abs);
    try {
      expect((loadModel(target()).predict(tensor([[-1, 2, -3]])) as Tensor).array()).toEqual([[1, 2, 3]]);
    } finally {
      unregisterFunction('absForSaveTest');
    }
  });

  test('save options are checked', () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    expectError(() => model.save(target(), { allowUnregistred: true } as never), 'ERR_ARGUMENT', 'allowUnregistered');
    expectError(() => model.save(target(), { allowUnregistered: 1 } as never), 'ERR_ARGUMENT', 'allowUnregistered');
    expect(fs.existsSync(target())).toBe(false);
  });
});

describe('custom layer classes', () => {
  class NoName extends Layer {
    call(inputs: Tensor | Tensor[]): Tensor { return inputs as Tensor; }
  }
  class Named extends Layer {
    static className = 'NamedForSaveTest';
    call(inputs: Tensor | Tensor[]): Tensor { return inputs as Tensor; }
  }
  class NamedChild extends Named {}

  test('a class without its own static className is refused with the real fix', () => {
    const model = new Sequential([new NoName({ inputShape: [2], name: 'custom' })]);
    expectError(() => model.save(target()), 'ERR_ARGUMENT', 'layer "custom" (NoName): class NoName has no static className',
      'saved as "Layer"', "static className = 'NoName'", 'registerClass(NoName)');
    // allowUnregistered is about functions: such a class never loads back, so it is refused anyway.
    expectError(() => model.save(target(), { allowUnregistered: true }), 'ERR_ARGUMENT', 'class NoName');
    expectError(() => new Sequential([new NamedChild({ inputShape: [2] })]).save(target()), 'ERR_ARGUMENT',
      'class NamedChild has no static className of its own', 'saved as "NamedForSaveTest"');
    expect(fs.existsSync(target())).toBe(false);
  });

  test('a class with a static className saves and, once registered, loads back', () => {
    new Sequential([new Named({ inputShape: [2], name: 'kept' })]).save(target());
    registerClass(Named);
    try {
      expect(loadModel(target()).getLayer('kept')).toBeInstanceOf(Named);
    } finally {
      unregisterClass('NamedForSaveTest');
    }
  });
});

describe('save paths that are not folders', () => {
  const model = () => new Sequential([new Dense({ units: 1, inputShape: [2] })]);

  test('a file, a link to a file, a link to nothing: named, nothing written', () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    expectError(() => model().save(file), 'ERR_ARGUMENT', `save: cannot save into ${JSON.stringify(file)}: it is a file, not a folder`);
    fs.symlinkSync(file, path.join(dir, 'to-file'));
    expectError(() => model().save(path.join(dir, 'to-file')), 'ERR_ARGUMENT',
      `it is a symbolic link to ${JSON.stringify(fs.realpathSync(file))}, a file, not a folder`);
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    expectError(() => model().save(path.join(dir, 'dangling')), 'ERR_ARGUMENT',
      `it is a symbolic link to ${JSON.stringify(path.join(dir, 'nowhere'))}, which does not exist; nothing was written`);
    expect(fs.readdirSync(dir).sort()).toEqual(['dangling', 'file', 'to-file']);
  });

  test('saveWeights onto a folder says it is a folder', () => {
    fs.mkdirSync(target());
    expectError(() => model().saveWeights(target()), 'ERR_ARGUMENT',
      `cannot write ${JSON.stringify(target())}: it is a folder, not a file; nothing was written`);
    expect(fs.readdirSync(target())).toEqual([]);
  });
});

describe('summary', () => {
  test('a model that is not built says so instead of printing an empty table', () => {
    const lines: string[] = [];
    const model = new Sequential([new Dense({ units: 2 })], { name: 'later' });
    expectError(() => model.summary(undefined, undefined, (l) => lines.push(l)), 'ERR_ARGUMENT',
      'summary: model "later" has not yet been built', 'inputShape', 'model.build(batchInputShape)');
    expectError(() => new Sequential().summary(), 'ERR_ARGUMENT', 'has not yet been built');
    expect(lines).toEqual([]);
    model.build([null, 3]);
    model.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/Total params: 8/);
  });
});
