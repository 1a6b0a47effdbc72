/**
 * The TensorBoard callback: its event files read back (every record's checksums checked, each Event
 * decoded with the same schema) hold Keras 3's tags at Keras 3's steps with the History's values,
 * batch scalars, weight histograms; under fit, fitAsync and fitDataset; refusals; and files that stay readable
 * when training fails. (test/golden/check_tensorboard.py reads them with TensorBoard itself.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dense, K, KeratorchError, readEventFile, Sequential, setSeed, TensorBoard, Tensor } from '../../src';
import type { Histogram, TensorBoardEvent } from '../../src';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-tb-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function setup(): { model: Sequential; x: Tensor; y: Tensor } {
  setSeed(1);
  const model = new Sequential([new Dense({ units: 4, activation: 'relu', inputShape: [3] }), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return { model, x: K.randomNormal([64, 3]), y: K.randomNormal([64, 1]) };
}

/** tag -> [step, value] pairs of the scalars in `events`. */
function scalars(events: TensorBoardEvent[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const e of events) {
    for (const v of e.summary?.value ?? []) if ('simpleValue' in v) (out[v.tag] ??= []).push([e.step, v.simpleValue]);
  }
  return out;
}

function histograms(events: TensorBoardEvent[]): Record<string, [number, Histogram][]> {
  const out: Record<string, [number, Histogram][]> = {};
  for (const e of events) for (const v of e.summary?.value ?? []) if ('histo' in v) (out[v.tag] ??= []).push([e.step, v.histo]);
  return out;
}

function expectValues(got: [number, number][], steps: number[], values: number[]): void {
  expect(got.map(([s]) => s)).toEqual(steps);
  got.forEach(([, v], i) => expect(v).toBeCloseTo(values[i], 5));
}

describe('TensorBoard', () => {
  test('epoch scalars (train and validation), the learning rate, batch scalars and histograms, as Keras 3 names them', () => {
    const { model, x, y } = setup();
    const tb = new TensorBoard({ logDir: dir, updateFreq: 'batch', histogramFreq: 1 });
    const { history } = model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [tb] });
    expect(path.dirname(tb.files.train as string)).toBe(path.join(dir, 'train'));
    expect(path.basename(tb.files.train as string)).toMatch(/^events\.out\.tfevents\.\d+\..+\.\d+\.\d+\.v2$/);
    const train = readEventFile(tb.files.train as string);
    expect(train[0]).toMatchObject({ fileVersion: 'brain.Event:2' });
    const s = scalars(train);
    expect(Object.keys(s).sort()).toEqual(['batch_loss', 'batch_mae', 'epoch_learning_rate', 'epoch_loss', 'epoch_mae']);
    expectValues(s.epoch_loss, [0, 1, 2], history.loss);
    expectValues(s.epoch_mae, [0, 1, 2], history.mae);
    expectValues(s.epoch_learning_rate, [0, 1, 2], [0.001, 0.001, 0.001]);
    // 48 training rows in batches of 16: 3 batches an epoch, counted across epochs from 1.
    expect(s.batch_loss.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const v = scalars(readEventFile(tb.files.validation as string));
    expect(Object.keys(v).sort()).toEqual(['epoch_loss', 'epoch_mae', 'evaluation_loss_vs_iterations', 'evaluation_mae_vs_iterations']);
    expectValues(v.epoch_loss, [0, 1, 2], history.val_loss);
    expectValues(v.evaluation_mae_vs_iterations, [3, 6, 9], history.val_mae);
    const h = histograms(train);
    expect(Object.keys(h).sort()).toEqual(model.weights.map((w) => `${w.name}/histogram`).sort());
    const kernel = model.weights[0];
    const [step, last] = h[`${kernel.name}/histogram`][2];
    const values = Array.from(kernel.dataSync() as Float32Array);
    expect(step).toBe(2);
    expect(last.num).toBe(values.length);
    expect(last.bucket.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(last.min).toBeCloseTo(Math.min(...values), 6);
    expect(last.max).toBeCloseTo(Math.max(...values), 6);
    expect(last.bucketLimit[last.bucketLimit.length - 1]).toBeCloseTo(last.max, 6);
    expect(last.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0), 5);
    x.dispose();
    y.dispose();
  });

  test('updateFreq N writes batch scalars every N batches; the default writes epochs only', async () => {
    const { model, x, y } = setup();
    const every2 = new TensorBoard({ logDir: path.join(dir, 'a'), updateFreq: 2, writeStepsPerSecond: true });
    const byEpoch = new TensorBoard({ logDir: path.join(dir, 'b') });
    await model.fitAsync(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [every2, byEpoch] });
    const a = scalars(readEventFile(every2.files.train as string));
    expect(a.batch_loss.map(([step]) => step)).toEqual([2, 4, 6, 8]);
    expect(a.epoch_steps_per_second.map(([step]) => step)).toEqual([0, 1]);
    expect(a.epoch_steps_per_second.every(([, rate]) => rate > 0)).toBe(true);
    const b = scalars(readEventFile(byEpoch.files.train as string));
    expect(Object.keys(b).sort()).toEqual(['epoch_learning_rate', 'epoch_loss', 'epoch_mae']);
    expect(byEpoch.files.validation).toBeNull();
    x.dispose();
    y.dispose();
  });

  test('under fitDataset: batch scalars at the global batch count, epoch scalars at the epoch', async () => {
    const { model } = setup();
    function* batches(): Generator<{ xs: Tensor; ys: Tensor }> {
      for (let i = 0; i < 4; i++) yield { xs: K.randomNormal([8, 3]), ys: K.randomNormal([8, 1]) };
    }
    const tb = new TensorBoard({ logDir: dir, updateFreq: 'batch' });
    const history = await model.fitDataset(() => batches(), { epochs: 2, verbose: 0, callbacks: [tb] });
    const s = scalars(readEventFile(tb.files.train as string));
    expect(s.batch_loss.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expectValues(s.epoch_loss, [0, 1], history.history.loss);
  });

  test('a run that fails in a later callback leaves complete, readable files', () => {
    const { model, x, y } = setup();
    const tb = new TensorBoard({ logDir: dir, updateFreq: 'batch' });
    const failing = { onBatchEnd: (b: number) => { if (b === 1) throw new Error('boom'); } };
    expect(() => model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [tb, failing] })).toThrow('boom');
    const s = scalars(readEventFile(tb.files.train as string));
    expect(s.batch_loss.map(([step]) => step)).toEqual([1, 2]);
    x.dispose();
    y.dispose();
  });

  test('refuses unknown options, Keras options it cannot honour (by name), and bad values', () => {
    const refused = (args: unknown, message: string): void => {
      expect(() => new TensorBoard(args as never)).toThrow(KeratorchError);
      expect(() => new TensorBoard(args as never)).toThrow(message);
    };
    refused({ logDir: dir, upateFreq: 'batch' }, 'an option among logDir, updateFreq, histogramFreq, writeStepsPerSecond');
    refused({ logDir: dir, writeGraph: true }, 'no writeGraph');
    refused({ logDir: dir, profileBatch: 2 }, 'no profileBatch');
    refused({ logDir: dir, updateFreq: 'often' }, "'epoch', 'batch' or an integer >= 1");
    refused({ logDir: dir, updateFreq: 0 }, 'updateFreq');
    refused({ logDir: dir, histogramFreq: -1 }, 'histogramFreq');
    refused({}, 'logDir');
    refused(undefined, 'logDir');
  });

  test('readEventFile finds a changed byte and a truncated record', () => {
    const { model, x, y } = setup();
    const tb = new TensorBoard({ logDir: dir });
    model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [tb] });
    const file = tb.files.train as string;
    const bytes = fs.readFileSync(file);
    const changed = Buffer.from(bytes);
    changed[changed.length - 10] ^= 0xff;
    fs.writeFileSync(path.join(dir, 'changed'), changed);
    expect(() => readEventFile(path.join(dir, 'changed'))).toThrow('a data checksum that does not match');
    fs.writeFileSync(path.join(dir, 'short'), bytes.subarray(0, bytes.length - 3));
    expect(() => readEventFile(path.join(dir, 'short'))).toThrow('a truncated record');
    x.dispose();
    y.dispose();
  });
});
