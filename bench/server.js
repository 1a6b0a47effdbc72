// `npm run bench:server`: the planning server (examples/plan-server.ts, compiled to build/examples)
// under load from autocannon on loopback: requests/s and p50/p99 latency at 1, 8 and 32 connections
// for 16x16 and 28x28 plans, with batching (serving's defaults) and without (MAX_BATCH=1), the
// server's event-loop delay p99 under each load (read from its /healthz), and the soak of
// bench/soak.js. Each server runs in its own process; every run lasts --duration seconds.
// Writes bench/results/server-<machine>-<date>.json.
//
// Options: --duration S (default 8)  --connections 1,8,32  --grid 16,28  --soak N (default 100000; 0 skips)
//          --workers W  --intra-op-threads T (the server's serving settings; default its defaults)  --out FILE
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const autocannon = require('autocannon');
const { parseArgs, parseIntList } = require('./common/args');
const { machineFacts, writeResults } = require('./common/report');
const { modelFor, planRequests } = require('./common/vin-requests');

const root = path.join(__dirname, '..');
const serverScript = path.join(root, 'build', 'examples', 'plan-server.js');

function progress(message) {
  process.stderr.write(`[bench:server] ${message}\n`);
}

function startServer(model, port, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript], { env: { ...process.env, MODEL: model, PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('plan-server:')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${output}`)));
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function healthz(port) {
  return (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
}

function load(port, connections, duration, bodies) {
  return autocannon({
    url: `http://127.0.0.1:${port}`, connections, duration,
    requests: bodies.map((body) => ({ method: 'POST', path: '/plan', headers: { 'content-type': 'application/json' }, body })),
  });
}

function table(runs) {
  const lines = ['grid  batching  conns    req/s   p50 ms   p99 ms  loop p99 ms  non-2xx'];
  for (const r of runs) {
    lines.push(`${String(r.grid).padStart(4)}  ${(r.batching ? 'on' : 'off').padEnd(8)}  ${String(r.connections).padStart(5)}  ` +
      `${String(r.requests_per_s).padStart(7)}  ${String(r.latency_p50_ms).padStart(7)}  ${String(r.latency_p99_ms).padStart(7)}  ` +
      `${String(r.event_loop_delay_p99_ms).padStart(11)}  ${String(r.non_2xx + r.errors).padStart(7)}`);
  }
  return lines.join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { duration: 8, connections: '1,8,32', grid: '16,28', soak: 100000,
    workers: 0, intraOpThreads: 0, out: '' });
  // Both modes run with the same threads; only MAX_BATCH differs.
  const threads = { ...(options.workers ? { WORKERS: String(options.workers) } : {}),
    ...(options.intraOpThreads ? { INTRA_OP_THREADS: String(options.intraOpThreads) } : {}) };
  const connectionLevels = parseIntList('connections', options.connections);
  const grids = parseIntList('grid', options.grid);
  if (!fs.existsSync(serverScript)) throw new Error(`${serverScript} is missing: run npm run bench:server (it compiles the example)`);
  const results = { date: new Date().toISOString(), machine: machineFacts(), command: ['npm run bench:server', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    duration_s: options.duration, models: {}, runs: [], ratios: {}, soak: null };
  if (options.soak > 0) {
    progress(`soak: ${options.soak} async predictions`);
    const out = execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, 'soak.js'), String(options.soak)], { encoding: 'utf8' });
    results.soak = JSON.parse(out.trim().split('\n').pop());
    progress(`soak: ${JSON.stringify(results.soak)}`);
  }
  let port = 3200;
  for (const grid of grids) {
    const model = modelFor(grid);
    results.models[grid] = { dir: model.trained ? path.relative(root, model.dir) : '(temporary folder)', trained: model.trained };
    if (!model.trained) progress(`grid ${grid}: no models/vin-${grid}x${grid}; using a freshly built untrained VIN`);
    const bodies = planRequests(grid, 64).map((request) => JSON.stringify(request));
    for (const batching of [true, false]) {
      const server = await startServer(model.dir, ++port, batching ? threads : { ...threads, MAX_BATCH: '1' });
      try {
        const config = (await healthz(port)).serving;
        await load(port, 32, 2, bodies); // warm-up, not recorded
        for (const connections of connectionLevels) {
          await healthz(port); // resets the server's event-loop histogram
          const run = await load(port, connections, options.duration, bodies);
          const health = await healthz(port);
          const record = { grid, batching, connections, serving: config, requests_per_s: Math.round(run.requests.average),
            latency_p50_ms: run.latency.p50, latency_p99_ms: run.latency.p99, event_loop_delay_p99_ms: health.eventLoopDelayMs.p99,
            event_loop_delay_max_ms: health.eventLoopDelayMs.max, requests: run.requests.total, non_2xx: run.non2xx, errors: run.errors };
          results.runs.push(record);
          progress(`grid ${grid} batching ${batching ? 'on' : 'off'} ${connections} connections: ${record.requests_per_s} req/s, ` +
            `p50 ${record.latency_p50_ms} ms, p99 ${record.latency_p99_ms} ms, loop p99 ${record.event_loop_delay_p99_ms} ms`);
        }
      } finally {
        await stopServer(server);
      }
    }
    if (!model.trained) fs.rmSync(model.dir, { recursive: true, force: true });
    for (const connections of connectionLevels) {
      const rate = (batching) => results.runs.find((r) => r.grid === grid && r.batching === batching && r.connections === connections)?.requests_per_s;
      results.ratios[`grid${grid}_c${connections}_batched_over_unbatched`] = Number((rate(true) / rate(false)).toFixed(2));
    }
  }
  const file = options.out || path.join(__dirname, 'results', `server-${results.machine.cores}c-${results.date.slice(0, 10)}.json`);
  writeResults(results, file);
  console.log(table(results.runs));
  console.log(`batched / unbatched: ${JSON.stringify(results.ratios)}`);
  if (results.soak) console.log(`soak: ${JSON.stringify(results.soak)}`);
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
