// The serving soak (run by bench/server.js in its own process, with --expose-gc): N async
// predictions of the shipped 16x16 VIN (one map and state per call, 32 in flight, so batched) after
// a warm-up; resident memory and live tensors are measured after the warm-up and at the end (after
// GC), and must stay within 5%. Prints one JSON line.
const path = require('path');
const { cpuCache, loadModel, memory, tensor } = require('../lib');

const count = Number(process.argv[2] ?? 100000);
// Long enough for malloc's per-thread arenas (one per libuv worker) and the CPU cache to settle.
const warmUp = 20000;
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
      const [images, states] = inputs[next++ % inputs.length];
      (await model.predictAsync([images, states])).dispose();
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
}

async function main() {
  const model = loadModel(path.join(__dirname, '..', 'models', 'vin-16x16'), { compile: false });
  const n = 16;
  // 64 maps: a border of obstacles, a goal and the agent's cell varying with i.
  const inputs = Array.from({ length: 64 }, (_, i) => {
    const image = new Float32Array(2 * n * n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) image[r * n + c] = r === 0 || c === 0 || r === n - 1 || c === n - 1 ? 1 : 0;
    image[n * n + (1 + (i % 14)) * n + 1 + ((i * 5) % 14)] = 1;
    return [tensor(image, [1, 2, n, n]), tensor([[1 + ((i * 3) % 14), 1 + ((i * 7) % 14)]], [1, 2], 'int32')];
  });
  await predictions(model, inputs, warmUp);
  await settle();
  const after = { rssMiB: process.memoryUsage().rss / 2 ** 20, numTensors: memory().numTensors,
    cacheMiB: cpuCache.info().cachedBytes / 2 ** 20 };
  const started = performance.now();
  const checkpoints = [];
  for (let done = 0; done < count;) {
    const part = Math.min(count / 5, count - done);
    await predictions(model, inputs, part);
    done += part;
    checkpoints.push({ done, rss_mib: Number((process.memoryUsage().rss / 2 ** 20).toFixed(1)), num_tensors: memory().numTensors,
      cpu_cache_mib: Number((cpuCache.info().cachedBytes / 2 ** 20).toFixed(1)) });
  }
  const seconds = (performance.now() - started) / 1000;
  await settle();
  const end = { rssMiB: process.memoryUsage().rss / 2 ** 20, numTensors: memory().numTensors };
  const change = (a, b) => Number((100 * (b - a) / a).toFixed(2));
  console.log(JSON.stringify({
    predictions: count, warm_up: warmUp, in_flight: inFlight, model: 'models/vin-16x16 (predictAsync of image and state), 1 sample per call',
    seconds: Number(seconds.toFixed(1)), per_second: Math.round(count / seconds),
    after_warm_up: { rss_mib: Number(after.rssMiB.toFixed(1)), num_tensors: after.numTensors,
      cpu_cache_mib: Number(after.cacheMiB.toFixed(1)) },
    end: { rss_mib: Number(end.rssMiB.toFixed(1)), num_tensors: end.numTensors }, checkpoints,
    rss_change_pct: change(after.rssMiB, end.rssMiB), num_tensors_change_pct: change(after.numTensors, end.numTensors),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
