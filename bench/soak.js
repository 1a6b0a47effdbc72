// The serving soak (run by bench/server.js in its own process, with --expose-gc): N async
// predictions of a small MLP, 32 in flight, after a warm-up; resident memory and live tensors are
// measured after the warm-up and at the end (after GC), and must stay within 5%.
// Prints one JSON line.
const { Dense, memory, randomUniform, Sequential } = require('../lib');

const count = Number(process.argv[2] ?? 100000);
const warmUp = 5000;
const inFlight = 32;

async function settle() {
  for (let i = 0; i < 5; i++) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function predictions(model, inputs, total) {
  let next = 0;
  async function lane() {
    while (next < total) {
      const x = inputs[next++ % inputs.length];
      (await model.predictAsync(x)).dispose();
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
}

async function main() {
  const model = new Sequential([new Dense({ units: 128, inputShape: [64], activation: 'relu' }),
    new Dense({ units: 128, activation: 'relu' }), new Dense({ units: 8 })]);
  const inputs = Array.from({ length: 64 }, (_, i) => randomUniform([1, 64], -1, 1, 'float32', i));
  await predictions(model, inputs, warmUp);
  await settle();
  const after = { rssMiB: process.memoryUsage().rss / 2 ** 20, numTensors: memory().numTensors };
  const started = performance.now();
  await predictions(model, inputs, count);
  const seconds = (performance.now() - started) / 1000;
  await settle();
  const end = { rssMiB: process.memoryUsage().rss / 2 ** 20, numTensors: memory().numTensors };
  const change = (a, b) => Number((100 * (b - a) / a).toFixed(2));
  console.log(JSON.stringify({
    predictions: count, warm_up: warmUp, in_flight: inFlight, model: 'Dense 64-128-128-8 (relu), 1 row per call',
    seconds: Number(seconds.toFixed(1)), per_second: Math.round(count / seconds),
    after_warm_up: { rss_mib: Number(after.rssMiB.toFixed(1)), num_tensors: after.numTensors },
    end: { rss_mib: Number(end.rssMiB.toFixed(1)), num_tensors: end.numTensors },
    rss_change_pct: change(after.rssMiB, end.rssMiB), num_tensors_change_pct: change(after.numTensors, end.numTensors),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
