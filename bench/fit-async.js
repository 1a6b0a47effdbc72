// `npm run bench:fit-async`: training inside a live server. A VIN (default 28x28, k 36, batch 128)
// trains with `fit` and with `fitAsync` on the same random batches, in alternating rounds of two
// kinds:
//  - served: this process answers GET /health to a prober process (common/health-client.js) that
//    asks every --interval ms; measured: the event loop's delay (how late a 1 ms timer fires, its
//    last wait included, so that a loop blocked for the whole round shows) and the answers' latency;
//  - quiet: no prober, no timer; measured: samples/s, for the throughput of the two loops alone (on
//    a 2-core machine, answering probes takes CPU from the training threads, and fit never answers).
// The targets (issue 19): event-loop delay p99 under 20 ms during served fitAsync rounds, and quiet
// fitAsync throughput within 10% of quiet fit's. Writes bench/results/fit-async-<machine>-<date>.json.
//
// Options: --grid 28  --batch 128  --batches 20 (a round's epoch)  --rounds 3  --warmup 2 (batches)
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

/** Sends `message` to the prober and resolves to its answer. */
function askProber(prober, message) {
  return new Promise((resolve) => {
    prober.once('message', resolve);
    prober.send(message);
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

/** One round of one loop: an epoch of `batches` batches, served (prober and event loop watched) or quiet. */
async function timedRound(mode, served, model, data, batchSize, prober) {
  await pause(50);
  if (served) await askProber(prober, 'start');
  const stopWatching = served ? watchEventLoop() : null;
  const args = { epochs: 1, batchSize, verbose: 0, shuffle: false };
  const started = performance.now();
  if (mode === 'fit') model.fit(data.x, data.y, args);
  else await model.fitAsync(data.x, data.y, args);
  const seconds = (performance.now() - started) / 1000;
  const rows = data.y.shapeRef[0];
  const result = { mode, served, seconds: round2(seconds), samples_per_s: round2(rows / seconds) };
  if (!served) return result;
  const delays = stopWatching();
  await pause(100); // the answers to probes sent during a blocking fit arrive now
  const { latencies, failures } = await askProber(prober, 'report');
  latencies.sort((a, b) => a - b);
  return {
    ...result,
    loop_delay_p50_ms: round2(percentile(delays, 0.5)), loop_delay_p99_ms: round2(percentile(delays, 0.99)),
    loop_delay_max_ms: round2(delays[delays.length - 1]),
    health_answers: latencies.length, health_failures: failures,
    health_p50_ms: round2(percentile(latencies, 0.5)), health_p99_ms: round2(percentile(latencies, 0.99)),
    health_max_ms: round2(latencies[latencies.length - 1] ?? null),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { grid: 28, batch: 128, batches: 20, rounds: 3, warmup: 2,
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
      for (const served of [false, true]) {
        for (const mode of ['fit', 'fitAsync']) {
          const result = await timedRound(mode, served, models[mode], data, batch, prober);
          progress(`round ${r + 1} ${served ? 'served' : 'quiet'} ${mode}: ${result.samples_per_s} samples/s` +
            (served ? `, loop delay p99 ${result.loop_delay_p99_ms} ms, ${result.health_answers} health answers ` +
              `(p99 ${result.health_p99_ms} ms)` : ''));
          rounds.push({ round: r + 1, ...result });
        }
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
  const pick = (mode, served) => rounds.filter((r) => r.mode === mode && r.served === served);
  const of = (mode, served, field) => median(pick(mode, served).map((r) => r[field]));
  const fitRate = of('fit', false, 'samples_per_s');
  const asyncRate = of('fitAsync', false, 'samples_per_s');
  const worstAsyncP99 = Math.max(...pick('fitAsync', true).map((r) => r.loop_delay_p99_ms));
  return {
    quiet_fit_samples_per_s: fitRate, quiet_fitAsync_samples_per_s: asyncRate,
    quiet_fitAsync_over_fit: round2(asyncRate / fitRate),
    served_fit_samples_per_s: of('fit', true, 'samples_per_s'), served_fitAsync_samples_per_s: of('fitAsync', true, 'samples_per_s'),
    served_fit_loop_delay_p99_ms: of('fit', true, 'loop_delay_p99_ms'),
    served_fitAsync_loop_delay_p99_ms: of('fitAsync', true, 'loop_delay_p99_ms'),
    served_fitAsync_loop_delay_p99_worst_ms: worstAsyncP99,
    served_fit_health_p99_ms: of('fit', true, 'health_p99_ms'), served_fitAsync_health_p99_ms: of('fitAsync', true, 'health_p99_ms'),
    target_loop_delay_p99_under_20ms: worstAsyncP99 < 20,
    target_throughput_within_10pct: asyncRate >= 0.9 * fitRate,
  };
}

function printTable(rounds, summary) {
  const show = (x) => (x == null ? '-' : String(x));
  console.log('round  kind    loop       samples/s  loop delay p50/p99/max ms  health answers  p50/p99 ms');
  for (const r of rounds) {
    const delay = r.served ? `${r.loop_delay_p50_ms}/${r.loop_delay_p99_ms}/${r.loop_delay_max_ms}` : '-';
    const health = r.served ? `${r.health_p50_ms}/${r.health_p99_ms}` : '-';
    console.log(`${String(r.round).padStart(5)}  ${(r.served ? 'served' : 'quiet').padEnd(6)}  ${r.mode.padEnd(9)} ` +
      `${String(r.samples_per_s).padStart(10)}  ${delay.padStart(25)}  ${show(r.health_answers).padStart(14)}  ${health.padStart(10)}`);
  }
  console.log(`quiet fitAsync / fit throughput: ${summary.quiet_fitAsync_over_fit} (target >= 0.9: ${summary.target_throughput_within_10pct}); ` +
    `served fitAsync loop delay p99, worst round: ${summary.served_fitAsync_loop_delay_p99_worst_ms} ms (target < 20: ${summary.target_loop_delay_p99_under_20ms})`);
}

function defaultOut(results) {
  const cpu = results.machine.cpu.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return path.join(root, 'bench', 'results', `fit-async-${cpu}-${results.machine.cores}c-${results.date.slice(0, 10)}.json`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
