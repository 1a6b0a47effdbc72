// Per-op overhead of the bridge: a tiny K.add (1x10) and a 64x64 K.dot, against PyTorch on the same
// libtorch (Debian's /usr/bin/python3 with python3-torch). Medians of 7 runs. `npm run bench:ops`.
const { execFileSync } = require('child_process');
const { K, tensor, getNumThreads } = require('../lib');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, iterations) {
  for (let i = 0; i < iterations / 10; i++) fn();
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e3 / iterations);
  }
  return median(runs);
}

const a = tensor(new Float32Array(10).fill(1), [1, 10]);
const b = tensor(new Float32Array(10).fill(2), [1, 10]);
const m = K.randomNormal([64, 64]);
const n = K.randomNormal([64, 64]);
const ours = {
  'add 1x10 (GC frees)': time(() => K.add(a, b), 100000),
  'add 1x10 + dispose()': time(() => K.add(a, b).dispose(), 100000),
  'dot 64x64 + dispose()': time(() => K.dot(m, n).dispose(), 5000),
};

const python = `
import time, torch
torch.set_num_threads(${getNumThreads()})
a = torch.ones(1, 10); b = torch.ones(1, 10) * 2; m = torch.randn(64, 64); n = torch.randn(64, 64)
def t(f, it):
    for _ in range(it // 10): f()
    runs = []
    for _ in range(7):
        s = time.perf_counter()
        for _ in range(it): f()
        runs.append((time.perf_counter() - s) / it * 1e6)
    return sorted(runs)[3]
print(t(lambda: a + b, 100000)); print(t(lambda: m @ n, 5000))`;
let torchTimes = null;
try {
  torchTimes = execFileSync('/usr/bin/python3', ['-c', python], { encoding: 'utf8' }).trim().split('\n').map(Number);
} catch (error) {
  console.log(`PyTorch baseline unavailable (${error.message.split('\n')[0]}): install python3-torch`);
}
const reference = { 'add 1x10 (GC frees)': 0, 'add 1x10 + dispose()': 0, 'dot 64x64 + dispose()': 1 };
console.log(`threads: ${getNumThreads()}`);
console.log('op                      keratorch µs   PyTorch µs   ratio');
for (const [name, us] of Object.entries(ours)) {
  const torchUs = torchTimes ? torchTimes[reference[name]] : NaN;
  console.log(`${name.padEnd(24)}${us.toFixed(2).padStart(12)}${torchUs.toFixed(2).padStart(13)}` +
    `${(us / torchUs).toFixed(2).padStart(8)}x`);
}
