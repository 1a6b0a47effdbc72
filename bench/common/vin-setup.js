// What every VIN engine of the benchmark shares: the sizes, the optimizer's settings (those of
// bench/vin_pytorch.py: torch.optim.RMSprop(lr=0.002, eps=1e-6), whose alpha is 0.99), the options an
// engine script takes, and its output: one JSON line a grid on stdout, progress on stderr.
const { parseArgs, parseIntList } = require('./args');

const K_FOR_GRID = { 8: 10, 16: 20, 28: 36 };
const RMSPROP = { learningRate: 0.002, rho: 0.99, epsilon: 1e-6 };
const ACTIONS = 8;

function kForGrid(grid) {
  return K_FOR_GRID[grid] ?? Math.round(1.3 * grid);
}

/** Options of an engine script; `budget` (seconds a measurement may take) bounds slow engines. */
function engineOptions(argv, extra = {}) {
  const options = parseArgs(argv, { grid: '8,16,28', batch: 128, steps: 5, warmup: 2, threads: 2,
    device: 'cpu', budget: 0, ...extra });
  return { ...options, grids: parseIntList('grid', options.grid), budgetMs: options.budget > 0 ? options.budget * 1000 : Infinity };
}

/** Integers in [0, high) from a fixed-seed generator (inputs need not be random, only realistic). */
function randomInts(count, high, seed = 1) {
  const values = new Int32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = Math.floor((state / 2 ** 32) * high);
  }
  return values;
}

function emit(record) {
  console.log(JSON.stringify(record));
}

function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs an engine's main; a failure ends the process with its message as the last stderr line. */
function runEngine(main) {
  Promise.resolve().then(main).catch((error) => {
    process.stderr.write(`${error.stack}\nerror: ${error.message}\n`);
    process.exitCode = 1;
  });
}

module.exports = { ACTIONS, RMSPROP, kForGrid, engineOptions, randomInts, emit, progress, runEngine };
