// `npm run bench:fit-async`: training inside a live server. A VIN (default 28x28, k 36, batch 128)
// trains with `fit` and with `fitAsync` on the same random batches, in alternating rounds, while
// this process answers GET /health and a prober process (common/health-client.js) asks every
// --interval ms. Per round: samples/s, the event loop's delay (how late a 1 ms timer fires, its
// last wait included, so that a loop blocked for the whole round shows: p50, p99, max) and the
// health answers' latency. The targets (issue 19): event-loop delay p99
// under 20 ms during fitAsync, and fitAsync's throughput within 10% of fit's.
// Writes bench/results/fit-async-<machine>-<date>.json.
//
// Options: --grid 28  --batch 128  --batches 12 (a round's epoch)  --rounds 3  --warmup 2 (batches)
//          --interval 10 (ms between probes)  --threads 2  --out FILE
const http = require('http');
const path = require('path');
const { fork } = require('child_process');
const keratorch = require('../lib');
const { parseArgs } = require('./common/args');
const { machineFacts, writeResults } = require('./common/report');
const { ACTIONS, RMSPROP, kForGrid, randomInts } = require('./common/vin-setup');

const { buildVin, RMSprop, K, tensor, setSeed, setNumThreads, getNumThreads, buildInfo } = keratorch;
const root = path.join(__dirname, '..');

function progress(message) {
  process.stderr.write(`[bench:fit-async] ${message}\n`);
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function round2(x) {
  return x == null ? null : Number(x.toFixed(2));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)];
}

function vinData(grid, rows) {
  const image = K.randomNormal([rows, 2, grid, grid]);
  const state = tensor(randomInts(rows * 2, grid, 2), [rows, 2], 'int32');
  const labels = tensor(randomInts(rows, ACTIONS, 3), [rows], 'int32');
  return { x: [image, state], y: labels };
}

function compiledVin(grid) {
  setSeed(0);
  const model = buildVin({ gridSize: grid, k: kForGrid(grid) });
  model.compile({ optimizer: new RMSprop(RMSPROP), loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true } });
  return model;
}

/** A server answering /health, as a training job's own health endpoint would. */
function healthServer() {
  const server = http.createServer((request, response) => {
    response.writeHead(request.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The prober's latencies since its last report. */
function proberReport(prober) {
  return new Promise((resolve) => {
    prober.once('message', resolve);
    prober.send('report');
  });
}

/** Lets the event loop run (the prober's answers, timers) for `ms`. */
function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Watches the event loop: how late each tick of a 1 ms timer comes. monitorEventLoopDelay would miss
 * a loop blocked for the whole round (its timer never fires until it is disabled); `stop` counts the
 * last wait too.
 */
function watchEventLoop() {
  const delays = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  return () => {
    clearInterval(timer);
    delays.push(Math.max(0, performance.now() - last - 1));
    return delays.sort((a, b) => a - b);
  };
}

/** One round of one loop: an epoch of `batches` batches, with the event loop and the prober watched. */
async function timedRound(mode, model, data, batchSize, prober) {
  await pause(50);
  await proberReport(prober); // drops what came before the round
  const stopWatching = watchEventLoop();
  const args = { epochs: 1, batchSize, verbose: 0, shuffle: false };
  const started = performance.now();
  if (mode === 'fit') model.fit(data.x, data.y, args);
  else await model.fitAsync(data.x, data.y, args);
  const seconds = (performance.now() - started) / 1000;
  const delays = stopWatching();
  await pause(100); // the answers to probes sent during a blocking fit arrive now
  const { latencies, failures } = await proberReport(prober);
  latencies.sort((a, b) => a - b);
  const rows = data.y.shapeRef[0];
  return {
    mode, seconds: round2(seconds), samples_per_s: round2(rows / seconds),
    loop_delay_p50_ms: round2(percentile(delays, 0.5)), loop_delay_p99_ms: round2(percentile(delays, 0.99)),
    loop_delay_max_ms: round2(delays[delays.length - 1]),
    health_answers: latencies.length, health_failures: failures,
    health_p50_ms: round2(percentile(latencies, 0.5)), health_p99_ms: round2(percentile(latencies, 0.99)),
    health_max_ms: round2(latencies[latencies.length - 1] ?? null),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { grid: 28, batch: 128, batches: 12, rounds: 3, warmup: 2,
    interval: 10, threads: 2, out: '' });
  setNumThreads(options.threads);
  const { grid, batch } = options;
  const server = await healthServer();
  const prober = fork(path.join(__dirname, 'common/health-client.js'), [String(server.address().port), String(options.interval)]);
  const models = { fit: compiledVin(grid), fitAsync: compiledVin(grid) };
  const data = vinData(grid, batch * options.batches);
  const warmup = vinData(grid, batch * options.warmup);
  try {
    // The first fitAsync batch of a shape records the step; the first fit batch makes the optimizer's slots.
    models.fit.fit(warmup.x, warmup.y, { epochs: 1, batchSize: batch, verbose: 0 });
    await models.fitAsync.fitAsync(warmup.x, warmup.y, { epochs: 1, batchSize: batch, verbose: 0 });
    const rounds = [];
    for (let r = 0; r < options.rounds; r++) {
      for (const mode of ['fit', 'fitAsync']) {
        const result = await timedRound(mode, models[mode], data, batch, prober);
        progress(`round ${r + 1} ${mode}: ${result.samples_per_s} samples/s, loop delay p99 ${result.loop_delay_p99_ms} ms, ` +
          `${result.health_answers} health answers (p99 ${result.health_p99_ms} ms)`);
        rounds.push({ round: r + 1, ...result });
      }
    }
    const summary = summarize(rounds);
    printTable(rounds, summary);
    const results = { date: new Date().toISOString(), machine: machineFacts(), libtorch: buildInfo().torchVersion,
      threads: getNumThreads(), grid, k: kForGrid(grid), batch, batches_per_round: options.batches,
      probe_interval_ms: options.interval, rounds, summary };
    const file = options.out || defaultOut(results);
    writeResults(results, file);
    console.log(`results: ${path.relative(process.cwd(), file)}`);
  } finally {
    prober.send('exit');
    server.close();
    for (const t of [...data.x, data.y, ...warmup.x, warmup.y]) t.dispose();
  }
}

/** Medians over the rounds, and the two targets. */
function summarize(rounds) {
  const of = (mode, field) => median(rounds.filter((r) => r.mode === mode).map((r) => r[field]));
  const fitRate = of('fit', 'samples_per_s');
  const asyncRate = of('fitAsync', 'samples_per_s');
  const worstAsyncP99 = Math.max(...rounds.filter((r) => r.mode === 'fitAsync').map((r) => r.loop_delay_p99_ms));
  return {
    fit_samples_per_s: fitRate, fitAsync_samples_per_s: asyncRate,
    fitAsync_over_fit: round2(asyncRate / fitRate),
    fit_loop_delay_p99_ms: of('fit', 'loop_delay_p99_ms'), fitAsync_loop_delay_p99_ms: of('fitAsync', 'loop_delay_p99_ms'),
    fitAsync_loop_delay_p99_worst_ms: worstAsyncP99,
    fitAsync_health_p99_ms: of('fitAsync', 'health_p99_ms'),
    target_loop_delay_p99_under_20ms: worstAsyncP99 < 20,
    target_throughput_within_10pct: asyncRate >= 0.9 * fitRate,
  };
}

function printTable(rounds, summary) {
  console.log('round  loop       samples/s  loop delay p50/p99/max ms   health answers  p50/p99 ms');
  for (const r of rounds) {
    console.log(`${String(r.round).padStart(5)}  ${r.mode.padEnd(9)} ${String(r.samples_per_s).padStart(10)}  ` +
      `${`${r.loop_delay_p50_ms}/${r.loop_delay_p99_ms}/${r.loop_delay_max_ms}`.padStart(25)}  ` +
      `${String(r.health_answers).padStart(14)}  ${`${r.health_p50_ms}/${r.health_p99_ms}`.padStart(10)}`);
  }
  console.log(`fitAsync / fit throughput: ${summary.fitAsync_over_fit} (target >= 0.9: ${summary.target_throughput_within_10pct}); ` +
    `fitAsync loop delay p99, worst round: ${summary.fitAsync_loop_delay_p99_worst_ms} ms (target < 20: ${summary.target_loop_delay_p99_under_20ms})`);
}

function defaultOut(results) {
  const cpu = results.machine.cpu.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return path.join(root, 'bench', 'results', `fit-async-${cpu}-${results.machine.cores}c-${results.date.slice(0, 10)}.json`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
