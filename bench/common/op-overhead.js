// Per-op overhead of the bridge: a tiny K.add (1x10) and a 64x64 K.dot, against PyTorch on the same
// libtorch (Debian's /usr/bin/python3 with python3-torch). Each figure is the median of 7 runs of
// many calls. Used by `npm run bench:ops` (bench/op-overhead.js) and `npm run bench` (bench/run.js).
const { execFileSync } = require('child_process');
const { median } = require('./timing');

const PYTHON = process.env.KERATORCH_BENCH_PYTHON || '/usr/bin/python3';

function microsPerCall(fn, iterations) {
  for (let i = 0; i < iterations; i++) fn(); // as many warm-up calls as timed ones: V8 grows its heap at first
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e3 / iterations);
  }
  return median(runs);
}

function keratorchMicros(keratorch) {
  const { K, tensor } = keratorch;
  const a = tensor(new Float32Array(10).fill(1), [1, 10]);
  const b = tensor(new Float32Array(10).fill(2), [1, 10]);
  const m = K.randomNormal([64, 64]);
  const n = K.randomNormal([64, 64]);
  return {
    'add 1x10 (GC frees)': microsPerCall(() => K.add(a, b), 100000),
    'add 1x10 + dispose()': microsPerCall(() => K.add(a, b).dispose(), 100000),
    'dot 64x64 + dispose()': microsPerCall(() => K.dot(m, n).dispose(), 5000),
  };
}

// The same loops in Python; prints the add and the dot figure, one a line.
function torchScript(threads) {
  return `
import time, torch
torch.set_num_threads(${threads})
a = torch.ones(1, 10); b = torch.ones(1, 10) * 2; m = torch.randn(64, 64); n = torch.randn(64, 64)
def t(f, it):
    for _ in range(it): f()
    runs = []
    for _ in range(7):
        s = time.perf_counter()
        for _ in range(it): f()
        runs.append((time.perf_counter() - s) / it * 1e6)
    return sorted(runs)[3]
print(t(lambda: a + b, 100000)); print(t(lambda: m @ n, 5000)); print(torch.get_num_threads())`;
}

// Which PyTorch figure each keratorch op is compared with (both adds against the one a + b).
const TORCH_COUNTERPART = { 'add 1x10 (GC frees)': 0, 'add 1x10 + dispose()': 0, 'dot 64x64 + dispose()': 1 };

/**
 * Measures keratorch (this process, at its current thread count) and then PyTorch (a child python at
 * the same count). Returns { threads, pytorchThreads, rows: [{ op, keratorch_us, pytorch_us, ratio }],
 * pytorchError } where pytorchError (and the PyTorch columns, null) mark a missing python3-torch.
 */
function measureOpOverhead(keratorch) {
  const threads = keratorch.getNumThreads();
  const ours = keratorchMicros(keratorch);
  let torchLines = null;
  let pytorchError = null;
  try {
    torchLines = execFileSync(PYTHON, ['-c', torchScript(threads)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch (error) {
    pytorchError = `PyTorch baseline unavailable (${error.message.split('\n')[0]}): install python3-torch`;
  }
  const rows = Object.entries(ours).map(([op, us]) => {
    const torchUs = torchLines ? torchLines[TORCH_COUNTERPART[op]] : null;
    return { op, keratorch_us: round(us), pytorch_us: torchUs === null ? null : round(torchUs),
      ratio: torchUs === null ? null : round(us / torchUs) };
  });
  return { threads, pytorchThreads: torchLines ? torchLines[2] : null, rows, pytorchError };
}

function round(x) {
  return Number(x.toFixed(3));
}

/** The figures as the table `npm run bench:ops` prints. */
function formatOpOverhead(result) {
  const lines = [`threads: ${result.threads}`];
  if (result.pytorchError) lines.push(result.pytorchError);
  lines.push('op                      keratorch µs   PyTorch µs   ratio');
  for (const row of result.rows) {
    const torchUs = row.pytorch_us ?? NaN;
    const ratio = row.ratio ?? NaN;
    lines.push(`${row.op.padEnd(24)}${row.keratorch_us.toFixed(2).padStart(12)}${torchUs.toFixed(2).padStart(13)}` +
      `${ratio.toFixed(2).padStart(8)}x`);
  }
  return lines.join('\n');
}

module.exports = { measureOpOverhead, formatOpOverhead };
