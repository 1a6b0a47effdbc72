// `npm run bench:ops`: per-op overhead of the bridge against PyTorch (see common/op-overhead.js).
// Options: --threads T (default: libtorch's current count), --json (one JSON line, for bench/run.js).
const keratorch = require('../lib');
const { parseArgs } = require('./common/args');
const { measureOpOverhead, formatOpOverhead } = require('./common/op-overhead');

const options = parseArgs(process.argv.slice(2), { threads: 0, json: false });
if (options.threads > 0) keratorch.setNumThreads(options.threads);
const result = measureOpOverhead(keratorch);
if (options.json) {
  console.log(JSON.stringify({ engine: 'ops', ...result }));
} else {
  console.log(formatOpOverhead(result));
}
