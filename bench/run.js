// `npm run bench`: VIN training steps and inference (batch 128) for keratorch (fused value iteration
// with the h/r convolutions folded, the same unfolded, and everything generic as written), PyTorch
// (bench/vin_pytorch.py) and TensorFlow.js (wasm and cpu backends), plus the per-op overhead, in
// one run at one thread count. Each engine runs alone in its own child process, so none competes
// with another for the cores. Prints a table and writes bench/results/<machine>-<date>.json.
//
// keratorch-fused-sgd and -adam train with those optimizers at their defaults (a step must not be
// slower with them: subnormal gradients made it so once, issue 17).
//
// Options: --grid 8,16,28  --steps N (timed steps; default 15: medians of 5 moved by up to 2x on
//          a shared VM)  --warmup W (untimed steps first, default 10: V8 optimizes keratorch's
//          JavaScript over the first steps; PyTorch gets as many)  --rounds R (default 3: every
//          engine but tfjs runs R times a grid, interleaved; times are medians over rounds and
//          ratios medians of the ratios within rounds; see common/rounds.js)  --threads T (default: the cores)
//          --device cpu|cuda  --only engine,...  --tfjs-budget S (seconds a tfjs measurement may take,
//          default 20)  --out FILE (instead of bench/results/...)
const os = require('os');
const path = require('path');
const { parseArgs, parseIntList } = require('./common/args');
const { runChild } = require('./common/child');
const { ENGINES, selectEngines } = require('./common/engines');
const { roundOrder, combineVinRounds, combineOpsRounds } = require('./common/rounds');
const { withRatios, ratioSummary, formatReport, machineFacts, resultsPath, writeResults } = require('./common/report');

function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function describe(record) {
  if (record.engine === 'ops') return 'per-op overhead measured';
  const ms = (value) => (value == null ? 'n/a' : `${value} ms`);
  return `grid ${record.grid}: train ${ms(record.train_ms)}, infer ${ms(record.infer_ms)}`;
}

async function main() {
  const records = [];
  const failures = [];
  const skipped = [];
  const options = parseArgs(process.argv.slice(2), { grid: '8,16,28', steps: 15, warmup: 10, rounds: 3,
    threads: os.availableParallelism?.() ?? os.cpus().length, device: 'cpu', only: '', tfjsBudget: 20, out: '' });
  const grids = parseIntList('grid', options.grid);
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new Error(`expected a positive integer for --steps but received ${options.steps}`);
  if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new Error(`expected an integer >= 0 for --warmup but received ${options.warmup}`);
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`expected a positive integer for --threads but received ${options.threads}`);
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error(`expected a positive integer for --rounds but received ${options.rounds}`);
  const engines = selectEngines(options.only).filter((engine) => {
    if (!engine.cpuOnly || options.device === 'cpu') return true;
    skipped.push({ engine: engine.name, reason: `runs on the CPU only (asked for --device ${options.device})` });
    progress(`${engine.name}: skipped on ${options.device}`);
    return false;
  });
  // Every engine's libtorch, OpenMP or MKL gets the same thread count.
  const env = { ...process.env, OMP_NUM_THREADS: String(options.threads), MKL_NUM_THREADS: String(options.threads) };
  const run = async (engine, round, runOptions, where) => {
    const label = `${engine.name}${where}${options.rounds > 1 ? ` (round ${round + 1}/${options.rounds})` : ''}`;
    const [command, args] = engine.command(runOptions);
    progress(`${label}: started`);
    const started = Date.now();
    const result = await runChild(command, args, {
      env: { ...env, ...(engine.env ?? {}) },
      onRecord: (record) => progress(`${label} ${describe({ engine: engine.name, ...record })}`),
    });
    records.push(...result.records.map((record) => ({ engine: engine.name, round, ...(engine.normalize?.(record) ?? record) })));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.code !== 0) {
      failures.push({ engine: engine.name, round: round + 1, reason: `round ${round + 1}${where}: exit ${result.code}: ${result.stderrTail.at(-1) ?? 'no message'}` });
      progress(`${label}: FAILED after ${seconds} s`);
    } else {
      progress(`${label}: done in ${seconds} s`);
    }
  };
  const vinEngines = engines.filter((e) => e.name !== 'ops');
  const opsEngines = engines.filter((e) => e.name === 'ops');
  for (let round = 0; round < options.rounds; round++) {
    // One grid at a time, so that within a round every engine meets a grid seconds after the others.
    for (const grid of grids) {
      for (const engine of roundOrder(vinEngines, round)) await run(engine, round, { ...options, grid: String(grid) }, ` grid ${grid}`);
    }
    for (const engine of opsEngines) await run(engine, round, options, '');
  }

  const vin = withRatios(combineVinRounds(records.filter((r) => r.engine !== 'ops')));
  const ops = combineOpsRounds(records.filter((r) => r.engine === 'ops'));
  const find = (name) => vin.find((r) => r.engine === name) ?? null;
  const results = {
    date: new Date().toISOString(),
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: machineFacts(),
    device: options.device,
    device_name: find('pytorch')?.device_name ?? null,
    batch: vin[0]?.batch ?? 128,
    threads_requested: options.threads,
    steps_requested: options.steps,
    warmup_requested: options.warmup,
    rounds_requested: options.rounds,
    versions: { libtorch: find('keratorch-fused')?.libtorch ?? find('keratorch-generic')?.libtorch ?? null,
      pytorch: find('pytorch')?.torch ?? null, tfjs: find('tfjs-cpu')?.tfjs ?? find('tfjs-wasm')?.tfjs ?? null,
      node: process.version },
    ratios_to_pytorch: ratioSummary(vin, ops),
    vin,
    ops: ops ? (({ engine, ...rest }) => rest)(ops) : null,
    skipped,
    failures,
  };
  console.log(formatReport(results, ENGINES.map((e) => e.name)));
  const file = options.out ? path.resolve(options.out) : resultsPath(results, path.join(__dirname, 'results'));
  writeResults(results, file);
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(2);
});
