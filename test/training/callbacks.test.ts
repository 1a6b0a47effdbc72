/**
 * Callbacks: hook order, custom objects and subclasses, stopping, EarlyStopping (stops and restores),
 * ReduceLROnPlateau, LearningRateScheduler, CSVLogger, ModelCheckpoint, LambdaCallback, TerminateOnNaN and
 * the ProgbarLogger's output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  Callback, CSVLogger, Dense, EarlyStopping, K, KeratorchError, LambdaCallback, LearningRateScheduler, memory,
  ModelCheckpoint, ProgbarLogger, ReduceLROnPlateau, Sequential, SGD, TerminateOnNaN,
} from '../../src';
import type { Logs, NestedArray } from '../../src';
import { xorData } from '../helpers/datasets';
import { expectKeratorchError, settle } from '../helpers/memory';
import { formatPath } from '../../src/engine/callbacks/format_path';

const data = xorData(64);

// Models of earlier tests are freed by the garbage collector; let that happen before each test
// so tests that count tensors see only their own.
beforeEach(settle);

function compiledModel(learningRate = 0.1): Sequential {
  const model = new Sequential([
    new Dense({ units: 4, activation: 'tanh', inputShape: [2] }),
    new Dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A callback that puts scripted values under `key` in each epoch's logs (listed before the callback under test). */
const scripted = (key: string, values: number[], onEpoch?: (epoch: number) => void) => ({
  onEpochEnd(epoch: number, logs: Logs) {
    logs[key] = values[epoch];
    onEpoch?.(epoch);
  },
});

const weightsOf = (model: Sequential): NestedArray[] => model.weights.map((w) => K.getValue(w));

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-callbacks-'));
}

describe('the callback protocol', () => {
  test('hooks run in order, custom callbacks in the order given, with batch logs and epoch logs', () => {
    const calls: string[] = [];
    const hooks = (tag: string) => ({
      onTrainBegin: () => calls.push(`${tag}:trainBegin`),
      onEpochBegin: (e: number) => calls.push(`${tag}:epochBegin${e}`),
      onBatchBegin: (b: number, logs: Logs) => calls.push(`${tag}:batchBegin${b}(${logs.size})`),
      onBatchEnd: (b: number, logs: Logs) => calls.push(`${tag}:batchEnd${b}${'loss' in logs && 'accuracy' in logs ? '+' : '-'}`),
      onEpochEnd: (e: number, logs: Logs) => calls.push(`${tag}:epochEnd${e}${Object.keys(logs).join(',')}`),
      onTrainEnd: () => calls.push(`${tag}:trainEnd`),
    });
    const model = compiledModel();
    model.fit(data.x, data.y, { epochs: 2, batchSize: 40, verbose: 0, callbacks: [hooks('a'), new LambdaCallback(hooks('b'))] });
    const epoch = (e: number) => [
      `a:epochBegin${e}`, `b:epochBegin${e}`,
      'a:batchBegin0(40)', 'b:batchBegin0(40)', 'a:batchEnd0+', 'b:batchEnd0+',
      'a:batchBegin1(24)', 'b:batchBegin1(24)', 'a:batchEnd1+', 'b:batchEnd1+',
      `a:epochEnd${e}loss,accuracy`, `b:epochEnd${e}loss,accuracy`,
    ];
    expect(calls).toEqual(['a:trainBegin', 'b:trainBegin', ...epoch(0), ...epoch(1), 'a:trainEnd', 'b:trainEnd']);
  });

  test('a Callback subclass sees this.model and this.params, and can stop training after a batch', () => {
    class StopAfterThree extends Callback {
      batches = 0;
      seen: unknown[] = [];
      onTrainBegin(): void {
        this.seen.push(this.model, { ...this.params });
      }
      onBatchEnd(): void {
        this.batches += 1;
        if (this.batches === 3) this.model.stopTraining = true;
      }
    }
    const model = compiledModel();
    const stopper = new StopAfterThree();
    const history = model.fit(data.x, data.y, { epochs: 10, batchSize: 16, verbose: 0, callbacks: [stopper] });
    expect(stopper.batches).toBe(3);
    expect(history.epoch).toEqual([0]);
    expect(stopper.seen[0]).toBe(model);
    expect(stopper.seen[1]).toEqual({
      epochs: 10, steps: 4, samples: 64, batchSize: 16, verbose: 0, doValidation: false, metrics: ['loss', 'accuracy'],
    });
    // stopTraining is reset by the next fit.
    expect(model.fit(data.x, data.y, { epochs: 2, verbose: 0 }).epoch).toEqual([0, 1]);
  });

  test('callbacks that are neither Callbacks nor hook objects are refused', () => {
    const model = compiledModel();
    expectKeratorchError(() => model.fit(data.x, data.y, { verbose: 0, callbacks: [42 as never] }), 'ERR_ARGUMENT',
      'fit', 'callbacks[0]', 'onEpochEnd');
    expectKeratorchError(() => model.fit(data.x, data.y, { verbose: 0, callbacks: [{ onEpochEnd: 'no' } as never] }),
      'ERR_ARGUMENT', 'fit', 'callbacks[0].onEpochEnd');
    expectKeratorchError(() => model.fit(data.x, data.y, { verbose: 0, callbacks: {} as never }), 'ERR_ARGUMENT',
      'fit', 'callbacks');
  });

  test('an error thrown by a callback ends fit, frees its tensors and leaves the model usable', () => {
    const model = compiledModel();
    const before = memory().numTensors;
    model.fit(data.x, data.y, { epochs: 1, verbose: 0 });  // makes the optimizer state
    const settled = memory().numTensors;
    expect(() => model.fit(data.x, data.y, {
      epochs: 3, verbose: 0, callbacks: [{ onBatchEnd: (b: number) => { if (b === 1) throw new Error('boom'); } }],
    })).toThrow('boom');
    expect(memory().numTensors).toBe(settled);
    expect(model.fit(data.x, data.y, { epochs: 2, verbose: 0 }).history.loss).toHaveLength(2);
    expect(settled).toBeGreaterThan(before);
  });
});

describe('EarlyStopping', () => {
  test('stops once the monitored value has not improved for `patience` epochs, and restores the best weights', () => {
    const model = compiledModel(0.5);
    const snapshots: NestedArray[][] = [];
    const stopper = new EarlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true });
    const history = model.fit(data.x, data.y, {
      epochs: 20, verbose: 0,
      callbacks: [scripted('score', [5, 4, 3, 3.5, 3.2, 1, 1], () => snapshots.push(weightsOf(model))), stopper],
    });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(stopper.stoppedEpoch).toBe(4);
    expect(stopper.best).toBe(3);
    expect(weightsOf(model)).toEqual(snapshots[2]);
    expect(weightsOf(model)).not.toEqual(snapshots[4]);
  });

  test('without restoreBestWeights the last weights stay; minDelta and mode max are honoured', () => {
    const model = compiledModel(0.5);
    const snapshots: NestedArray[][] = [];
    // In mode max with minDelta 0.1, 0.55 and 0.58 are no improvement over 0.5.
    const stopper = new EarlyStopping({ monitor: 'val_accuracy', minDelta: 0.1, patience: 2 });
    expect(stopper.mode).toBe('max');
    const history = model.fit(data.x, data.y, {
      epochs: 10, verbose: 0,
      callbacks: [scripted('val_accuracy', [0.5, 0.55, 0.58, 0.9], () => snapshots.push(weightsOf(model))), stopper],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(weightsOf(model)).toEqual(snapshots[2]);
  });

  test('a baseline must be beaten; a missing monitor warns and does nothing', () => {
    const model = compiledModel();
    const withBaseline = new EarlyStopping({ monitor: 'score', baseline: 1, patience: 1 });
    expect(model.fit(data.x, data.y, { epochs: 5, verbose: 0, callbacks: [scripted('score', [2, 0.5, 0.4]), withBaseline] }).epoch)
      .toEqual([0]);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const history = model.fit(data.x, data.y, { epochs: 3, verbose: 0, callbacks: [new EarlyStopping({ patience: 0 })] });
      expect(history.epoch).toEqual([0, 1, 2]);
      expect(warn).toHaveBeenCalledTimes(3);
      expect(String(warn.mock.calls[0][0])).toContain('val_loss');
    } finally {
      warn.mockRestore();
    }
  });

  test('every callback that monitors a metric warns at every epoch it is missing, naming the metrics there', () => {
    const model = compiledModel();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-monitor-'));
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const callbacks = [new EarlyStopping({ monitor: 'nope' }), new ReduceLROnPlateau({ monitor: 'nope' }),
        new ModelCheckpoint({ filepath: path.join(dir, 'best'), monitor: 'nope', saveBestOnly: true })];
      expect(model.fit(data.x, data.y, { epochs: 2, verbose: 0, callbacks }).epoch).toEqual([0, 1]);
      const messages = warn.mock.calls.map((call) => String(call[0]));
      for (const fn of ['EarlyStopping', 'ReduceLROnPlateau', 'ModelCheckpoint']) {
        const mine = messages.filter((m) => m.startsWith(`${fn} is conditioned on metric "nope", which is not available`));
        expect(mine).toHaveLength(2);
        expect(mine[0]).toMatch(/Available metrics are: loss, accuracy/);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      warn.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('restoring weights leaks no tensors', () => {
    const model = compiledModel();
    model.fit(data.x, data.y, { epochs: 1, verbose: 0 });
    const before = memory().numTensors;
    model.fit(data.x, data.y, {
      epochs: 8, verbose: 0,
      callbacks: [scripted('score', [3, 2, 1, 2, 3, 4]), new EarlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true })],
    });
    expect(memory().numTensors).toBe(before);
  });

  test('options are checked', () => {
    expectKeratorchError(() => new EarlyStopping({ patience: -1 }), 'ERR_VALUE', 'EarlyStopping', 'patience');
    expectKeratorchError(() => new EarlyStopping({ mode: 'up' as never }), 'ERR_ARGUMENT', 'EarlyStopping', "'min'");
    expectKeratorchError(() => new EarlyStopping({ patiance: 2 } as never), 'ERR_ARGUMENT', 'EarlyStopping', 'patiance');
  });
});

describe('learning-rate callbacks', () => {
  test('ReduceLROnPlateau lowers the optimizer\'s learningRate after `patience` flat epochs, respecting cooldown and minLr', () => {
    const model = compiledModel(0.1);
    const rates: number[] = [];
    const reducer = new ReduceLROnPlateau({ monitor: 'score', factor: 0.5, patience: 1, cooldown: 1, minLr: 0.02 });
    const history = model.fit(data.x, data.y, {
      epochs: 8, verbose: 0,
      callbacks: [scripted('score', [1, 1, 1, 1, 1, 0.5, 0.5, 0.5]), reducer,
        { onEpochEnd: () => rates.push(model.optimizer!.learningRate) }],
    });
    // Epoch 1: flat -> 0.05 (cooldown 1); epoch 2: cooldown; epoch 3: flat -> 0.025; epoch 4: cooldown;
    // epoch 5 improves; epoch 6 flat -> 0.02 (minLr); epoch 7: cooldown.
    const expected = [0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02];
    rates.forEach((r, i) => expect(r).toBeCloseTo(expected[i], 10));
    // `lr` is logged at each epoch end (the rate the epoch trained with), as Keras.
    history.history.lr.forEach((r, i) => expect(r).toBeCloseTo([0.1, ...expected][i], 10));
  });

  test('ReduceLROnPlateau refuses a factor >= 1', () => {
    expectKeratorchError(() => new ReduceLROnPlateau({ factor: 1 }), 'ERR_VALUE', 'ReduceLROnPlateau', 'factor');
  });

  test('LearningRateScheduler sets the rate before each epoch and logs it', () => {
    const model = compiledModel(0.1);
    const seen: number[] = [];
    const history = model.fit(data.x, data.y, {
      epochs: 4, verbose: 0,
      callbacks: [new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2)),
        { onBatchBegin: () => seen.push(model.optimizer!.learningRate) }],
    });
    expect([...new Set(seen)]).toEqual([0.1, 0.05, 0.025, 0.0125]);
    expect(history.history.lr).toEqual([0.1, 0.05, 0.025, 0.0125]);
  });

  test('LearningRateScheduler refuses a schedule that returns a non-number, leaving the model usable', () => {
    const model = compiledModel(0.1);
    expectKeratorchError(() => model.fit(data.x, data.y, {
      verbose: 0, callbacks: [new LearningRateScheduler(() => Number.NaN)],
    }), 'ERR_VALUE', 'LearningRateScheduler', 'schedule(0, lr)', 'NaN');
    expect(model.optimizer!.learningRate).toBe(0.1);
    expectKeratorchError(() => new LearningRateScheduler(0.1 as never), 'ERR_ARGUMENT', 'LearningRateScheduler', 'schedule');
    expect(model.fit(data.x, data.y, { verbose: 0 }).history.loss).toHaveLength(1);
  });
});

describe('CSVLogger', () => {
  test('writes a header and one row per epoch; append adds rows without a second header', () => {
    const dir = tempDir();
    const file = path.join(dir, 'log.csv');
    try {
      const model = compiledModel();
      model.fit(data.x, data.y, { epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [new CSVLogger({ filename: file })] });
      let lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
      expect(lines).toHaveLength(3);
      expect(lines[1].split(',')[0]).toBe('0');
      lines.slice(1).forEach((line) => line.split(',').forEach((v) => expect(Number.isFinite(Number(v))).toBe(true)));
      model.fit(data.x, data.y, { epochs: 1, verbose: 0, validationSplit: 0.25,
        callbacks: [new CSVLogger({ filename: file, append: true, separator: ';' })] });
      lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[3].split(';')).toHaveLength(5);
      model.fit(data.x, data.y, { epochs: 1, verbose: 0, callbacks: [new CSVLogger({ filename: file })] });
      expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a filename is required', () => {
    expectKeratorchError(() => new CSVLogger({} as never), 'ERR_ARGUMENT', 'CSVLogger', 'filename');
  });
});

describe('ModelCheckpoint', () => {
  test('formats {epoch:02d} and {name:.4f} fields as Python does', () => {
    expect(formatPath('t', 'w-{epoch:02d}-{val_loss:.4f}.st', 3, { val_loss: 0.123456 })).toBe('w-03-0.1235.st');
    expect(formatPath('t', '{epoch}_{loss}_{loss:.2e}_{acc:6.1f}', 12, { loss: 0.5, acc: 0.26 })).toBe('12_0.5_5.00e-01_   0.3');
    expectKeratorchError(() => formatPath('t', '{val_acc}', 1, { loss: 1 }), 'ERR_ARGUMENT', 't', '{val_acc}', 'loss');
  });

  test('saves weights after every epoch, or only improvements with saveBestOnly', () => {
    const dir = tempDir();
    try {
      const model = compiledModel();
      model.fit(data.x, data.y, { epochs: 3, verbose: 0, callbacks: [new ModelCheckpoint({
        filepath: path.join(dir, 'all-{epoch:02d}.safetensors'), saveWeightsOnly: true })] });
      model.fit(data.x, data.y, { epochs: 4, verbose: 0, callbacks: [scripted('score', [3, 1, 2, 0.5]), new ModelCheckpoint({
        filepath: path.join(dir, 'best-{epoch}-{score:.1f}.safetensors'), monitor: 'score', saveBestOnly: true,
        saveWeightsOnly: true })] });
      expect(fs.readdirSync(dir).sort()).toEqual([
        'all-01.safetensors', 'all-02.safetensors', 'all-03.safetensors',
        'best-1-3.0.safetensors', 'best-2-1.0.safetensors', 'best-4-0.5.safetensors',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('model.save(dir) is used without saveWeightsOnly', () => {
    const dir = tempDir();
    try {
      const model = compiledModel();
      model.fit(data.x, data.y, { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint({ filepath: path.join(dir, 'model-{epoch}') })] });
      expect(fs.readdirSync(path.join(dir, 'model-1')).sort()).toEqual(['model.json', 'weights.safetensors']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a model without the save method gets a clear error, and stays usable', () => {
    const model = compiledModel();
    model.fit(data.x, data.y, { verbose: 0 });  // makes the optimizer's state, so only the failing fit is measured
    Object.defineProperty(model, 'saveWeights', { value: undefined });
    const error = expectKeratorchError(() => model.fit(data.x, data.y, { verbose: 0, callbacks: [
      new ModelCheckpoint({ filepath: '/nonexistent/w.safetensors', saveWeightsOnly: true })] }), 'ERR_ARGUMENT',
    'ModelCheckpoint', 'saveWeights()');
    expect(error).toBeInstanceOf(KeratorchError);
    expect(model.fit(data.x, data.y, { verbose: 0 }).history.loss).toHaveLength(1);
  });
});

describe('ProgbarLogger', () => {
  const fakeStream = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY, write: (s: string) => { chunks.push(s); return true; } } as never };
  };

  test('verbose 1 off a terminal, and verbose 2: one line per epoch with validation values', () => {
    for (const verbose of [1, 2]) {
      const { chunks, stream } = fakeStream(false);
      const model = compiledModel();
      model.fit(data.x, data.y, { epochs: 2, batchSize: 16, validationSplit: 0.25, verbose: 0,
        callbacks: [new ProgbarLogger({ verbose, stream })] });
      const lines = chunks.join('').trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^Epoch 1\/2 .*loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/);
      expect(lines[1]).toMatch(/^Epoch 2\/2 /);
      if (verbose === 1) expect(lines[0]).toContain('3/3 [==============================]');
    }
  });

  test('verbose 1 on a terminal redraws a bar after each batch', () => {
    const { chunks, stream } = fakeStream(true);
    const model = compiledModel();
    model.fit(data.x, data.y, { epochs: 1, batchSize: 16, verbose: 0, callbacks: [new ProgbarLogger({ stream })] });
    const text = chunks.join('');
    expect(text.startsWith('Epoch 1/1\n')).toBe(true);
    expect(text.match(/\r/g)).toHaveLength(4);
    expect(text).toContain('1/4 [');
    expect(text).toContain('4/4 [==============================]');
    expect(text.endsWith('\n')).toBe(true);
  });

  test('fit adds one with its verbose setting, writing to stdout', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      compiledModel().fit(data.x, data.y, { epochs: 2, verbose: 2 });
      const text = write.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(/Epoch 1\/2 - [\d.]+s - loss: /);
      expect(text).toMatch(/Epoch 2\/2 - /);
    } finally {
      write.mockRestore();
    }
  });
});

describe('TerminateOnNaN', () => {
  /** A linear regression whose learning rate sends the weights, and so the next batch's loss, to Infinity or NaN. */
  function divergingModel(): Sequential {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: new SGD({ learningRate: 1e30 }), loss: 'meanSquaredError' });
    return model;
  }

  test('stops after the first batch whose loss is not finite, says where, and prints Keras\'s line', () => {
    const model = divergingModel();
    const terminate = new TerminateOnNaN();
    let batches = 0;
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let history;
    let printed: string;
    try {
      history = model.fit(data.x, data.y, { epochs: 3, batchSize: 8, verbose: 0,
        callbacks: [{ onBatchEnd: () => { batches += 1; } }, terminate] });
    } finally {
      printed = write.mock.calls.map((c) => String(c[0])).join('');
      write.mockRestore();
    }
    expect(history.epoch).toEqual([0]);
    expect(terminate.stoppedAt).not.toBeNull();
    const { epoch, batch, loss } = terminate.stoppedAt!;
    expect(Number.isFinite(loss)).toBe(false);
    expect([epoch, batch + 1]).toEqual([0, batches]);
    expect(batches).toBeLessThan(8);
    expect(printed).toContain(`Epoch 1, batch ${batch + 1}: invalid loss ${loss}, terminating training`);
  });

  test('finite losses train on; a later run forgets an earlier stop; verbose 0 is silent; options are checked', () => {
    const terminate = new TerminateOnNaN({ verbose: 0 });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      divergingModel().fit(data.x, data.y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [terminate] });
      expect(terminate.stoppedAt).not.toBeNull();
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
    expect(compiledModel().fit(data.x, data.y, { epochs: 2, verbose: 0, callbacks: [terminate] }).epoch).toEqual([0, 1]);
    expect(terminate.stoppedAt).toBeNull();
    expectKeratorchError(() => new TerminateOnNaN({ verbos: 0 } as never), 'ERR_ARGUMENT', 'TerminateOnNaN',
      'expected an option among verbose for args but received "verbos"');
  });
});

test('LambdaCallback refuses a misspelt hook, naming the six', () => {
  expectKeratorchError(() => new LambdaCallback({ onEpochEnds: () => undefined } as never), 'ERR_ARGUMENT', 'LambdaCallback',
    'LambdaCallback: expected an option among onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd, ' +
    'onTrainEnd for hooks but received "onEpochEnds"');
  expect(() => new LambdaCallback({ onEpochEnd: () => undefined })).not.toThrow();
});
