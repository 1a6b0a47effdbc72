// `npm run bench:batching`: request batching inside one process, without HTTP: C concurrent callers
// in a closed loop (each awaits its call, then makes the next) for --duration seconds, with batching
// (serving's defaults) and without (maxBatch 1), for planner.planAsync on generated maps and for
// model.predictAsync on one (image, state) row. Prints calls/s, p50/p99 latency and the ratio
// batched / unbatched; writes bench/results/batching-<machine>-<date>.json. bench:server measures
// the same through the planning server, where the load generator shares the machine's cores.
//
// Options: --duration S (default 5)  --callers 1,8,32  --grid 16,28  --out FILE
const fs = require('fs');
const path = require('path');
const keratorch = require('../lib');
const { parseArgs, parseIntList } = require('./common/args');
const { machineFacts, writeResults } = require('./common/report');
const { modelFor, planRequests } = require('./common/vin-requests');
const { encodeImages } = require('../lib/vin/planning');

const { serving, loadPlanner, loadModel, tensor } = keratorch;
const root = path.join(__dirname, '..');
const DEFAULT_MAX_BATCH = serving.options().maxBatch;

function progress(message) {
  process.stderr.write(`[bench:batching] ${message}\n`);
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** `callers` closed loops of `call(i)` for `seconds`; calls/s and latency percentiles in ms. */
async function closedLoop(callers, seconds, call) {
  const latencies = [];
  const end = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (performance.now() < end) {
      const started = performance.now();
      await call(next++);
      latencies.push(performance.now() - started);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { calls_per_s: Math.round(latencies.length / seconds), p50_ms: round(percentile(latencies, 0.5)),
    p99_ms: round(percentile(latencies, 0.99)), calls: latencies.length };
}

function round(x) {
  return x === null ? null : Number(x.toFixed(2));
}

async function measure(kind, grid, callers, batching, seconds, call) {
  serving.configure({ maxBatch: batching ? DEFAULT_MAX_BATCH : 1 });
  await closedLoop(callers, Math.min(1, seconds), call); // warm-up: records every batch size used
  const result = await closedLoop(callers, seconds, call);
  progress(`${kind} ${grid}x${grid}, ${callers} callers, batching ${batching ? 'on' : 'off'}: ${result.calls_per_s} calls/s`);
  return { kind, grid, callers, batching, ...result };
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { duration: 5, callers: '1,8,32', grid: '16,28', out: '' });
  const rows = [];
  const models = {};
  for (const grid of parseIntList('grid', options.grid)) {
    const { dir, trained } = modelFor(grid);
    models[grid] = { dir: trained ? path.relative(root, dir) : '(temporary folder)', trained };
    const requests = planRequests(grid, 256);
    const planner = loadPlanner(dir);
    planner.warmUp(); // records every batch size, as the planning server does at start
    const model = loadModel(dir);
    const images = requests.map((r) => encodeImages(Uint8Array.from(r.obstacles.flat()), Int32Array.from(r.goal), [0], grid));
    const states = requests.map((r) => tensor(Int32Array.from(r.start), [1, 2], 'int32'));
    const plan = (i) => planner.planAsync(requests[i % requests.length]);
    const predict = async (i) => (await model.predictAsync([images[i % images.length], states[i % states.length]])).dispose();
    for (const callers of parseIntList('callers', options.callers)) {
      for (const batching of [true, false]) {
        rows.push(await measure('planAsync', grid, callers, batching, options.duration, plan));
        rows.push(await measure('predictAsync', grid, callers, batching, options.duration, predict));
      }
    }
    for (const t of [...images, ...states]) t.dispose();
    if (!trained) fs.rmSync(dir, { recursive: true, force: true });
  }
  serving.configure({ maxBatch: DEFAULT_MAX_BATCH });
  const ratios = {};
  for (const row of rows.filter((r) => r.batching)) {
    const off = rows.find((r) => !r.batching && r.kind === row.kind && r.grid === row.grid && r.callers === row.callers);
    ratios[`${row.kind}_${row.grid}_c${row.callers}`] = round(row.calls_per_s / off.calls_per_s);
  }
  printTable(rows, ratios);
  const results = { date: new Date().toISOString(), machine: machineFacts(), serving: serving.options(),
    threads: keratorch.getNumThreads(), duration_s: options.duration, models, rows, batched_over_unbatched: ratios };
  const file = options.out || defaultOut(results);
  writeResults(results, file);
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}

function printTable(rows, ratios) {
  console.log('call           grid  callers  batching   calls/s   p50 ms   p99 ms');
  for (const r of rows) {
    console.log(`${r.kind.padEnd(14)} ${String(r.grid).padStart(4)}  ${String(r.callers).padStart(7)}  ` +
      `${(r.batching ? 'on' : 'off').padEnd(8)} ${String(r.calls_per_s).padStart(9)} ${String(r.p50_ms).padStart(8)} ` +
      `${String(r.p99_ms).padStart(8)}`);
  }
  console.log(`batched / unbatched: ${JSON.stringify(ratios)}`);
}

function defaultOut(results) {
  const cpu = results.machine.cpu.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return path.join(root, 'bench', 'results', `batching-${cpu}-${results.machine.cores}c-${results.date.slice(0, 10)}.json`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
