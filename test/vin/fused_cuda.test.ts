/**
 * The fused value-iteration CUDA kernels: that they compile with nvcc here (always, where nvcc is
 * installed), and, on a CUDA machine, that they equal the CPU kernels and the generic CUDA path in
 * forward and every gradient, ties included. Without nvcc or CUDA the tests are skipped, saying why.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cuda, K, Tensor, tidy, vin } from '../../src';
import type { Device } from '../../src';
import { expectScaledClose } from '../helpers/close';
import { weighting } from '../helpers/gradcheck';

const script = path.join(__dirname, '..', '..', 'scripts', 'check-cuda-kernels.sh');
const nvcc = [process.env.NVCC, ...((process.env.PATH ?? '').split(':').map((dir) => path.join(dir, 'nvcc'))),
  '/usr/local/cuda/bin/nvcc'].find((candidate) => candidate && fs.existsSync(candidate));
const withNvcc = nvcc ? test : test.skip;

withNvcc(`binding/vin_fused_cuda.cu compiles with nvcc (sm_80, sm_90), warnings as errors${nvcc ? '' :
  ' (skipped: nvcc not found)'}`, () => {
  const out = path.join(fs.mkdtempSync('/tmp/keratorch-nvcc-'), 'vin_fused_cuda.o');
  const result = spawnSync('bash', [script, out], { encoding: 'utf8', env: { ...process.env, NVCC: nvcc, KERATORCH_CUDA_ARCHS: '80 90' } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(fs.statSync(out).size).toBeGreaterThan(0);
  fs.rmSync(path.dirname(out), { recursive: true });
}, 300_000);

const available = cuda.isAvailable();
const onCuda = available ? test : test.skip;
const note = available ? '' : ' (skipped: CUDA not available)';
const GPU: Device = 'cuda';

/** q, v and the gradients of sum(q * a) + sum(v * b), as flat arrays, on `device`. */
function run(implementation: vin.ValueIterationImplementation, device: Device, r0: Tensor, wR0: Tensor,
  wV0: Tensor, k: number): number[][] {
  return tidy(() => {
    const [r, wR, wV] = [r0, wR0, wV0].map((t) => K.variable(t.to(device)));
    const { q, v } = vin.valueIteration(r, wR, wV, k, implementation);
    expect(q.device).toMatch(device === 'cpu' ? /^cpu$/ : /^cuda/);
    const a = K.cast(weighting(q.shape, 3), q.dtype).to(device);
    const b = K.cast(weighting(v.shape, 4), v.dtype).to(device);
    const loss = K.add(K.sum(K.multiply(q, a)), K.sum(K.multiply(v, b)));
    const result = [q, v, ...K.gradients(loss, [r, wR, wV])].map((t) => Array.from(t.to('cpu').data() as Float32Array));
    [r, wR, wV].forEach((t) => t.dispose());
    return result;
  });
}

describe.each([
  ['28x28, k = 36, batch 8', [8, 1, 28, 28], 10, 36],
  ['5x13, 3 channels, k = 4', [3, 1, 5, 13], 3, 4],
  ['40x40 (more cells than a block has threads), k = 5', [2, 1, 40, 40], 10, 5],
] as [string, number[], number, number][])('fused CUDA kernels, %s', (_name, shape, channels, k) => {
  onCuda(`equal the CPU kernels and the generic CUDA path${note}`, () => {
    const r = K.randomNormal(shape, 0, 1, 'float32', 17);
    const wR = K.randomNormal([3, 3, 1, channels], 0, 0.25, 'float32', 18);
    const wV = K.randomNormal([3, 3, 1, channels], 0, 0.25, 'float32', 19);
    expect(vin.fusedApplies(r.to(GPU), wR.to(GPU), wV.to(GPU))).toBe(true);
    const cpu = run('fused', 'cpu', r, wR, wV, k);
    const fused = run('fused', GPU, r, wR, wV, k);
    const generic = run('generic', GPU, r, wR, wV, k);
    // cuDNN may compute the generic path's convolutions in TF32: compare it more loosely.
    fused.forEach((values, i) => expectScaledClose(values, cpu[i], 1e-5, `fused CUDA vs CPU, output ${i}`));
    fused.forEach((values, i) => expectScaledClose(values, generic[i], 2e-3, `fused vs generic CUDA, output ${i}`));
    [r, wR, wV].forEach((t) => t.dispose());
  });
});

onCuda(`ties on CUDA keep the lowest channel, as on the CPU${note}`, () => {
  const r = K.zeros([2, 1, 6, 6]);
  const w = K.randomNormal([3, 3, 1, 4], 0, 0.3, 'float32', 23);
  const cpu = run('fused', 'cpu', r, w, w, 3);
  const gpu = run('fused', GPU, r, w, w, 3);
  gpu.forEach((values, i) => expectScaledClose(values, cpu[i], 1e-6, `output ${i}`));
  [r, w].forEach((t) => t.dispose());
});
