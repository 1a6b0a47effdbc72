/**
 * fitAsync, evaluateAsync, predictAsync in batches and fitDataset: the same results as the sync
 * forms, the event loop kept running, callbacks awaited (a rejecting one rejects), stopTraining and
 * AbortSignal, custom optimizers, and no leaked tensors.
 */
import { BatchNormalization, Callback, Dense, Dropout, K, KeratorchError, Optimizer, Sequential, setSeed, SGD, Tensor, tensor } from '../../src';
import type { Logs } from '../../src';
import { xorData } from '../helpers/datasets';
import { expectNoLeakAsync, settle } from '../helpers/memory';

const data = xorData(40);

beforeEach(settle);

function model(optimizer: 'adam' | 'sgd' | Optimizer = 'adam'): Sequential {
  setSeed(3);
  const m = new Sequential([
    new Dense({ units: 6, activation: 'tanh', inputShape: [2] }),
    new Dense({ units: 1, activation: 'sigmoid' }),
  ]);
  m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

function weightsOf(m: Sequential): number[][] {
  return m.weights.map((w) => Array.from(w.dataSync() as Float32Array));
}

describe('fitAsync', () => {
  test('gives the same weights and History as fit from the same seed (shuffled, a partial last batch, validation)', async () => {
    const args = { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25 };
    const sync = model();
    setSeed(11);
    const syncHistory = sync.fit(data.x, data.y, args);
    const async = model();
    setSeed(11);
    const asyncHistory = await async.fitAsync(data.x, data.y, args);
    expect(asyncHistory.history).toEqual(syncHistory.history);
    expect(weightsOf(async)).toEqual(weightsOf(sync));
    expect(weightsOf(async)).not.toEqual(weightsOf(model()));
  });

  test('a custom optimizer (its update on the JS thread) gives the same weights as fit', async () => {
    class HalfSgd extends Optimizer {
      static override className = 'HalfSgd';
      constructor() { super({}, [], 0.1); }
      protected slotNames(): readonly string[] { return []; }
      protected step(params: Tensor[], grads: Tensor[]): void {
        params.forEach((p, i) => K.setValue(p, K.subtract(p, K.multiply(grads[i], 0.05))));
      }
    }
    const sync = model(new HalfSgd());
    sync.fit(data.x, data.y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
    const async = model(new HalfSgd());
    await async.fitAsync(data.x, data.y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
    expect(weightsOf(async)).toEqual(weightsOf(sync));
  });

  test('BatchNormalization: the same weights and moving statistics as fit', async () => {
    const withNorm = (): Sequential => {
      setSeed(3);
      const m = new Sequential([new Dense({ units: 6, activation: 'tanh', inputShape: [2] }), new BatchNormalization(),
        new Dense({ units: 1, activation: 'sigmoid' })]);
      m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
      return m;
    };
    const sync = withNorm();
    sync.fit(data.x, data.y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
    const async = withNorm();
    await async.fitAsync(data.x, data.y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
    expect(async.nonTrainableWeights.map((w) => w.name)).toEqual(expect.arrayContaining([expect.stringContaining('moving_mean')]));
    expect(weightsOf(async)).toEqual(weightsOf(sync));
    expect(weightsOf(async)).not.toEqual(weightsOf(withNorm()));
  });

  test('Dropout draws a new mask at every replayed step, keeping about 1 - rate of the values', async () => {
    // ones -> Dropout(0.5) -> a sum (kernel of ones, learning rate 0): each batch's output is 2 x the
    // values kept, and its squared error against 0 tells how many were kept.
    setSeed(3);
    const m = new Sequential([new Dropout({ rate: 0.5, inputShape: [64] }),
      new Dense({ units: 1, useBias: false, kernelInitializer: 'ones' })]);
    m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'meanSquaredError' });
    const kept: number[] = [];
    const x = K.ones([12, 64]);
    const y = K.zeros([12, 1]);
    await m.fitAsync(x, y, { epochs: 1, batchSize: 1, verbose: 0, shuffle: false,
      callbacks: [{ onBatchEnd: (_b: number, logs: Logs) => { kept.push(Math.sqrt(logs.loss) / 2); } }] });
    x.dispose();
    y.dispose();
    expect(kept).toHaveLength(12);
    for (const count of kept) expect(count).toBeCloseTo(Math.round(count), 3);
    expect(new Set(kept.map(Math.round)).size).toBeGreaterThan(1);
    const fraction = kept.reduce((a, b) => a + b, 0) / (12 * 64);
    expect(fraction).toBeGreaterThan(0.35);
    expect(fraction).toBeLessThan(0.65);
  });

  test('the event loop keeps running: a timer fires between and during steps', async () => {
    const m = model();
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 0);
    let ticksAtFirstBatch = -1;
    try {
      await m.fitAsync(data.x, data.y, {
        epochs: 3, batchSize: 4, verbose: 0,
        callbacks: [{ onBatchEnd: (batch: number) => { if (batch === 0 && ticksAtFirstBatch < 0) ticksAtFirstBatch = ticks; } }],
      });
    } finally {
      clearInterval(timer);
    }
    expect(ticksAtFirstBatch).toBeGreaterThanOrEqual(0);
    expect(ticks).toBeGreaterThan(ticksAtFirstBatch);
  });

  test('awaits async callback hooks before the next step', async () => {
    const m = model();
    const events: string[] = [];
    await m.fitAsync(data.x, data.y, {
      epochs: 1, batchSize: 20, verbose: 0, shuffle: false,
      callbacks: [{
        onBatchEnd: async (batch: number) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          events.push(`end ${batch}`);
        },
        onBatchBegin: (batch: number) => { events.push(`begin ${batch}`); },
      }],
    });
    expect(events).toEqual(['begin 0', 'end 0', 'begin 1', 'end 1']);
  });

  test('a rejecting callback rejects fitAsync, with no later step and nothing leaked', async () => {
    const m = model();
    await m.fitAsync(data.x, data.y, { epochs: 1, verbose: 0 });
    let batches = 0;
    await expectNoLeakAsync(async () => {
      await expect(m.fitAsync(data.x, data.y, {
        epochs: 2, batchSize: 8, verbose: 0,
        callbacks: [{ onBatchEnd: async () => { batches++; if (batches === 2) throw new Error('hook failed'); } }],
      })).rejects.toThrow('hook failed');
    });
    expect(batches).toBe(2);
  });

  test('stopTraining set from outside, and an aborted signal, end training after the current batch', async () => {
    const m = model();
    const seen: number[] = [];
    await m.fitAsync(data.x, data.y, {
      epochs: 5, batchSize: 4, verbose: 0,
      callbacks: [{ onBatchBegin: (b: number) => { seen.push(b); if (b === 2) setImmediate(() => { m.stopTraining = true; }); } }],
    });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThan(10);

    const controller = new AbortController();
    const epochs: number[] = [];
    const history = await m.fitAsync(data.x, data.y, {
      epochs: 5, batchSize: 4, verbose: 0, signal: controller.signal,
      callbacks: [{
        onBatchEnd: (b: number) => { if (b === 1) controller.abort(); },
        onEpochEnd: (e: number) => { epochs.push(e); },
      }],
    });
    expect(epochs).toEqual([0]);
    expect(history.history.loss).toHaveLength(1);
    expect(() => m.fit(data.x, data.y, { signal: 'stop' as unknown as AbortSignal })).toThrow(KeratorchError);
  });

  test('frees every tensor it made (after the first run made the optimizer state)', async () => {
    const m = model();
    await m.fitAsync(data.x, data.y, { epochs: 1, batchSize: 16, verbose: 0 });
    await expectNoLeakAsync(() => m.fitAsync(data.x, data.y, { epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.2 }));
  });
});

describe('evaluateAsync and predictAsync', () => {
  test('evaluateAsync gives what evaluate gives, as a list or a dict', async () => {
    const m = model();
    m.fit(data.x, data.y, { epochs: 2, verbose: 0 });
    expect(await m.evaluateAsync(data.x, data.y, { verbose: 0, batchSize: 7 }))
      .toEqual(m.evaluate(data.x, data.y, { verbose: 0, batchSize: 7 }));
    expect(await m.evaluateAsync(data.x, data.y, { verbose: 0, returnDict: true }))
      .toEqual(m.evaluate(data.x, data.y, { verbose: 0, returnDict: true }));
    await expectNoLeakAsync(() => m.evaluateAsync(data.x, data.y, { verbose: 0, batchSize: 7 }));
  });

  test('predictAsync with batchSize gives predict\'s outputs', async () => {
    const m = model();
    const want = m.predict(data.x, { batchSize: 6 });
    const got = await m.predictAsync(data.x, { batchSize: 6 });
    expect(Array.from(got.dataSync() as Float32Array)).toEqual(Array.from(want.dataSync() as Float32Array));
    want.dispose();
    got.dispose();
    await expect(m.predictAsync(data.x, { batchSize: 0 })).rejects.toThrow(KeratorchError);
  });
});

describe('fitDataset', () => {
  function batches(size: number): { xs: Tensor; ys: Tensor }[] {
    const out: { xs: Tensor; ys: Tensor }[] = [];
    for (let i = 0; i < data.x.length; i += size) {
      out.push({ xs: tensor(data.x.slice(i, i + size)), ys: tensor(data.y.slice(i, i + size)) });
    }
    return out;
  }

  test('trains as fit does from the same batches (a function of a list, then an async generator), and frees the batches', async () => {
    const sync = model('sgd');
    sync.fit(data.x, data.y, { epochs: 2, batchSize: 10, verbose: 0, shuffle: false });
    const fromData = model('sgd');
    const history = await fromData.fitDataset(() => batches(10), { epochs: 2, verbose: 0 });
    expect(weightsOf(fromData)).toEqual(weightsOf(sync));
    expect(history.history.loss).toHaveLength(2);
    // Again, now that the optimizer's state exists: nothing made is left.
    await expectNoLeakAsync(() => fromData.fitDataset(async function* stream() {
      for (const b of batches(10)) yield b;
    }, { epochs: 2, verbose: 0 }));
  });

  test('batchesPerEpoch reads on from one generator; validation data and awaited callbacks', async () => {
    const m = model();
    function* forever(): Generator<{ xs: number[][]; ys: number[][] }> {
      for (;;) yield { xs: data.x.slice(0, 8), ys: data.y.slice(0, 8) };
    }
    const seen: Logs[] = [];
    const history = await m.fitDataset(forever(), {
      epochs: 3, batchesPerEpoch: 2, verbose: 0, validationData: [data.x, data.y],
      callbacks: [{ onEpochEnd: async (_e: number, logs: Logs) => { await new Promise((r) => setImmediate(r)); seen.push(logs); } }],
    });
    expect(seen).toHaveLength(3);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss'].sort());
  });

  test('a one-shot generator without batchesPerEpoch fails in its second epoch, naming the fix', async () => {
    const m = model();
    function* once(): Generator<{ xs: number[][]; ys: number[][] }> { yield { xs: data.x, ys: data.y }; }
    await expect(m.fitDataset(once(), { epochs: 2, verbose: 0 })).rejects.toThrow(/no batch in epoch 1.*batchesPerEpoch/);
    await expect(m.fitDataset(42 as never, { verbose: 0 })).rejects.toThrow(/async iterable/);
  });

  test('a callback class with an async hook that rejects rejects fitDataset', async () => {
    class Failing extends Callback {
      override async onEpochEnd(): Promise<void> { throw new Error('epoch hook failed'); }
    }
    const m = model(new SGD());
    await expect(m.fitDataset(() => batches(20), { epochs: 2, verbose: 0, callbacks: [new Failing()] }))
      .rejects.toThrow('epoch hook failed');
  });
});
