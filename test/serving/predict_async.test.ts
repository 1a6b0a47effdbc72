/**
 * model.predictAsync: results equal predict's for models with Dense, Lambda, merge functions and
 * Embedding; concurrent calls are batched and each caller gets its own rows; weight changes (fit,
 * setWeights, loadWeights) are seen; bad input rejects with predict's message; a forward that reads
 * values into JS rejects with ERR_TRACE; the event loop keeps running during a long forward; nothing leaks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  Add, Dense, Embedding, Input, K, KeratorchError, Lambda, merge, Model, randomUniform, serving, Sequential, Tensor,
  tensor, SymbolicTensor,
} from '../../src';
import { expectNoLeakAsync, settle } from '../helpers/memory';

const SAVED = serving.options();
beforeAll(settle);
afterEach(() => serving.configure(SAVED));

/** Inputs a (3) and b (3): Dense, a Lambda, a merge function and Add, two outputs. */
function branchyModel(): Model {
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const da = new Dense({ units: 4, activation: 'tanh', name: 'da' }).apply(a) as SymbolicTensor;
  const db = new Dense({ units: 4, name: 'db' }).apply(b) as SymbolicTensor;
  const squared = new Lambda((x: Tensor) => K.square(x), { name: 'square' }).apply(db) as SymbolicTensor;
  const mixed = merge([da, squared], { mode: (xs: Tensor[]) => K.subtract(K.multiply(xs[0], 2), xs[1]), outputShape: [4] });
  const sum = new Add({ name: 'sum' }).apply([mixed, da]) as SymbolicTensor;
  const out = new Dense({ units: 2, activation: 'softmax', name: 'out' }).apply(sum) as SymbolicTensor;
  return new Model({ inputs: [a, b], outputs: [out, sum], name: 'branchy' });
}

async function arrays(result: Promise<Tensor | Tensor[]> | Tensor | Tensor[]): Promise<unknown> {
  const value = await result;
  const list = Array.isArray(value) ? value : [value];
  const out = list.map((t) => t.array());
  for (const t of list) t.dispose();
  return out;
}

function expectNear(actual: unknown, expected: unknown): void {
  const a = (actual as number[][][]).flat(3) as number[];
  const e = (expected as number[][][]).flat(3) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(e[i], 5));
}

function rows(count: number, seed: number): Tensor {
  return randomUniform([count, 3], -1, 1, 'float32', seed);
}

test('predictAsync equals predict for a model with Lambda, merge function and two outputs', async () => {
  const model = branchyModel();
  const a = rows(5, 1);
  const b = rows(5, 2);
  expectNear(await arrays(model.predictAsync([a, b])), await arrays(model.predict([a, b])));
  for (const t of [a, b]) t.dispose();
  model.dispose();
});

test('with the default maxDelayMs (0), calls made in one turn go together', async () => {
  expect(serving.options().maxDelayMs).toBe(0);
  const model = branchyModel();
  const inputs = Array.from({ length: 11 }, (_, i) => [rows(1, 70 + i), rows(1, 90 + i)]);
  const expected = await Promise.all(inputs.map((x) => arrays(model.predict(x))));
  await model.predictAsync(inputs[0]).then((y) => (y as Tensor[]).forEach((t) => t.dispose()));  // recorded
  const runs = jest.spyOn(serving.RecordedForward.prototype, 'run');
  const results = await Promise.all(inputs.map((x) => arrays(model.predictAsync(x))));
  results.forEach((r, i) => expectNear(r, expected[i]));
  // All 11 are queued before a worker is granted: they split between the free workers.
  expect(runs.mock.calls.length).toBeLessThanOrEqual(serving.options().workers);
  runs.mockRestore();
  inputs.flat().forEach((t) => t.dispose());
  model.dispose();
});

test('concurrent calls are batched and each caller gets exactly its own rows', async () => {
  serving.configure({ maxBatch: 32, maxDelayMs: 20 });
  const model = branchyModel();
  const runs = jest.spyOn(serving.RecordedForward.prototype, 'run');
  const inputs = Array.from({ length: 12 }, (_, i) => [rows(1 + (i % 3), 10 + i), rows(1 + (i % 3), 50 + i)]);
  const expected = await Promise.all(inputs.map((x) => arrays(model.predict(x))));
  runs.mockClear();
  // Interleaved with awaits, so calls arrive while others are queued.
  const pending: Promise<unknown>[] = [];
  for (const x of inputs) {
    pending.push(arrays(model.predictAsync(x)));
    await Promise.resolve();
  }
  const results = await Promise.all(pending);
  results.forEach((r, i) => expectNear(r, expected[i]));
  expect(runs.mock.calls.length).toBeLessThan(4); // 24 rows in one or two batches, not 12 forwards
  runs.mockRestore();
  inputs.flat().forEach((t) => t.dispose());
  model.dispose();
});

test('without batching (maxBatch 1) every call runs alone and results still match', async () => {
  serving.configure({ maxBatch: 1 });
  const model = new Sequential([new Dense({ units: 3, inputShape: [3], activation: 'relu' }), new Dense({ units: 1 })]);
  const runs = jest.spyOn(serving.RecordedForward.prototype, 'run');
  const xs = Array.from({ length: 6 }, (_, i) => rows(1, 100 + i));
  const results = await Promise.all(xs.map((x) => arrays(model.predictAsync(x))));
  for (let i = 0; i < xs.length; i++) expectNear(results[i], await arrays(model.predict(xs[i])));
  expect(runs.mock.calls.length).toBe(6);
  runs.mockRestore();
  xs.forEach((t) => t.dispose());
  model.dispose();
});

test('weight changes by setWeights, fit and loadWeights are seen by later calls', async () => {
  const model = new Sequential([new Dense({ units: 2, inputShape: [3], name: 'd' })]);
  const x = rows(4, 7);
  const before = await arrays(model.predictAsync(x));
  model.setWeights([tensor([[1, 0], [0, 1], [1, 1]]), tensor([0.5, -0.5])]);
  const afterSet = await arrays(model.predictAsync(x));
  expect(afterSet).not.toEqual(before);
  expectNear(afterSet, await arrays(model.predict(x)));

  model.compile({ optimizer: 'sgd', loss: 'mse' });
  model.fit(x, tensor([[1, 1], [1, 1], [1, 1], [1, 1]]), { epochs: 3, verbose: 0 });
  const afterFit = await arrays(model.predictAsync(x));
  expect(afterFit).not.toEqual(afterSet);
  expectNear(afterFit, await arrays(model.predict(x)));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-serving-'));
  const file = path.join(dir, 'w.safetensors');
  model.saveWeights(file);
  model.setWeights([tensor([[0, 0], [0, 0], [0, 0]]), tensor([0, 0])]);
  expectNear(await arrays(model.predictAsync(x)), [[[0, 0], [0, 0], [0, 0], [0, 0]]]);
  model.loadWeights(file);
  expectNear(await arrays(model.predictAsync(x)), afterFit);
  fs.rmSync(dir, { recursive: true, force: true });
  x.dispose();
  model.dispose();
});

test('a model with an Embedding (index checks skipped while recording) predicts asynchronously', async () => {
  const model = new Sequential([new Embedding({ inputDim: 10, outputDim: 3, inputLength: 4 }), new Dense({ units: 2 })]);
  const ids = tensor([[1, 2, 3, 9], [0, 0, 5, 5]], [2, 4], 'int32');
  expectNear(await arrays(model.predictAsync(ids)), await arrays(model.predict(ids)));
  ids.dispose();
  model.dispose();
});

test('an error in a replay rejects only the caller whose input caused it', async () => {
  serving.configure({ maxBatch: 32, maxDelayMs: 20 });
  const model = new Sequential([new Embedding({ inputDim: 10, outputDim: 3, inputLength: 2 })]);
  const good = tensor([[1, 2]], [1, 2], 'int32');
  const bad = tensor([[1, 12]], [1, 2], 'int32');
  await Promise.all([arrays(model.predictAsync(good)), arrays(model.predictAsync(good))]); // records batches of 2 and 1
  const [ok, failed] = await Promise.allSettled([arrays(model.predictAsync(good)), model.predictAsync(bad)]);
  expect(ok.status).toBe('fulfilled');
  expectNear((ok as PromiseFulfilledResult<unknown>).value, await arrays(model.predict(good)));
  expect(failed.status).toBe('rejected');
  const error = (failed as PromiseRejectedResult).reason;
  expect(error).toBeInstanceOf(KeratorchError);
  expect(error.message).toMatch(/^predictAsync\(.*index out of range/);
  [good, bad].forEach((t) => t.dispose());
  model.dispose();
});

test('bad input rejects with the same message as predict', async () => {
  const model = branchyModel();
  const wrong = rows(2, 3);
  const odd = randomUniform([2, 5], 0, 1);
  let syncError: unknown;
  try {
    model.predict([wrong, odd]);
  } catch (error) {
    syncError = error;
  }
  expect(syncError).toBeInstanceOf(KeratorchError);
  // The same message, naming the function called.
  const message = (syncError as Error).message.replace(/^predict:/, 'predictAsync:');
  await expect(model.predictAsync([wrong, odd])).rejects.toThrow(message);
  await expect(model.predictAsync([wrong, odd])).rejects.toMatchObject({ code: (syncError as KeratorchError).code });
  [wrong, odd].forEach((t) => t.dispose());
  model.dispose();
});

test('a forward that reads tensor values into JS rejects with ERR_TRACE instead of baking them in', async () => {
  const x = Input({ shape: [2] });
  const y = new Lambda((t: Tensor) => K.multiply(t, (K.max(t).item() as number) > 0 ? 1 : -1)).apply(x) as SymbolicTensor;
  const model = new Model({ inputs: x, outputs: y });
  const input = tensor([[1, 2]]);
  await expect(model.predictAsync(input)).rejects.toMatchObject({
    code: 'ERR_TRACE', message: expect.stringMatching(/cannot run off the JavaScript thread.*item\(\) read tensor values/),
  });
  input.dispose();
});

test('the event loop keeps running during a long async forward', async () => {
  serving.configure({ maxBatch: 1 });
  const model = new Sequential([new Dense({ units: 512, inputShape: [512] }), ...Array.from({ length: 3 }, () => new Dense({ units: 512 }))]);
  // Long by construction on any machine: rows grow until one forward on the JS thread takes 150 ms.
  let rows = 256;
  for (;;) {
    const probe = randomUniform([rows, 512], -1, 1);
    const started = performance.now();
    (model.predict(probe) as Tensor).dispose();
    const took = performance.now() - started;
    probe.dispose();
    if (took >= 150 || rows >= 1 << 16) break;
    rows = Math.min(1 << 16, Math.ceil(rows * Math.max(1.5, 180 / Math.max(took, 1))));
  }
  const x = randomUniform([rows, 512], -1, 1);
  (await model.predictAsync(x) as Tensor).dispose(); // records the forward (on the JS thread, once)
  let ticks = 0;
  let longestGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    ticks++;
  }, 1);
  const started = performance.now();
  (await model.predictAsync(x) as Tensor).dispose();
  const took = performance.now() - started;
  clearInterval(timer);
  // Relative to the forward's own length: the timer ran throughout, never stalled for a third of it.
  expect(ticks).toBeGreaterThan(took / 20);
  expect(longestGap).toBeLessThan(Math.max(40, took / 3));
  x.dispose();
  model.dispose();
});

test('async predictions leave no tensors behind', async () => {
  const model = branchyModel();
  const a = rows(3, 4);
  const b = rows(3, 5);
  (await model.predictAsync([a, b]) as Tensor[]).forEach((t) => t.dispose()); // records
  await expectNoLeakAsync(async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([model.predictAsync([a, b]), model.predictAsync([a, b])]);
      results.flat().forEach((t) => (t as Tensor).dispose());
    }
  });
  [a, b].forEach((t) => t.dispose());
  model.dispose();
});

test('serving.configure checks its options', () => {
  expect(() => serving.configure({ workers: 0 })).toThrow(/workers/);
  expect(() => serving.configure({ workers: 1000 })).toThrow(/UV_THREADPOOL_SIZE/);
  expect(() => serving.configure({ maxDelayMs: -1 } as never)).toThrow(/maxDelayMs/);
  expect(() => serving.configure({ threads: 2 } as never)).toThrow(/unknown option "threads"/);
  expect(serving.configure({ maxBatch: 8, intraOpThreads: 1 })).toMatchObject({ maxBatch: 8, intraOpThreads: 1 });
});
