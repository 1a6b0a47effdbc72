// CUDA checks for a lent GPU machine, without jest (not carried there): the fused value-iteration
// kernels against the CPU kernels and the generic CUDA path (forward and every gradient, ties
// included), and a VIN training step and inference on CUDA. Prints one JSON object; exits 1 on a
// failed check. Run by scripts/device/run.sh; the same checks run in test/vin/fused_cuda.test.ts.
const { K, tidy, vin, cuda } = require('../../lib');
const { buildVin } = require('../../lib/vin/model/build');

const results = { cuda: cuda.isAvailable(), devices: cuda.deviceCount(), checks: [] };

function flat(t) {
  return Array.from(t.to('cpu').data());
}

function scaledError(got, want) {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    error = Math.max(error, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? error : error / scale;
}

// q, v and the gradients of sum(q * a) + sum(v * b) on `device`.
function run(implementation, device, r0, wR0, wV0, k) {
  return tidy(() => {
    const [r, wR, wV] = [r0, wR0, wV0].map((t) => K.variable(t.to(device)));
    const { q, v } = vin.valueIteration(r, wR, wV, k, implementation);
    const a = K.randomUniform(q.shape, -1, 1, 'float32', 5).to(device);
    const b = K.randomUniform(v.shape, -1, 1, 'float32', 6).to(device);
    const loss = K.add(K.sum(K.multiply(q, a)), K.sum(K.multiply(v, b)));
    const out = [q, v, ...K.gradients(loss, [r, wR, wV])].map(flat);
    [r, wR, wV].forEach((t) => t.dispose());
    return out;
  });
}

function check(name, fn) {
  try {
    const detail = fn();
    results.checks.push({ name, ok: detail.ok, ...detail });
  } catch (error) {
    results.checks.push({ name, ok: false, error: String(error && error.stack || error) });
  }
}

const cases = [['28x28 k36 b8', [8, 1, 28, 28], 10, 36], ['5x13 k4 b3', [3, 1, 5, 13], 3, 4],
  ['40x40 k5 b2', [2, 1, 40, 40], 10, 5], ['zeros (ties) 6x6 k3', null, 4, 3]];
for (const [name, shape, channels, k] of cases) {
  check(`fused CUDA = CPU kernels = generic CUDA: ${name}`, () => {
    const r = shape ? K.randomNormal(shape, 0, 1, 'float32', 17) : K.zeros([2, 1, 6, 6]);
    const wR = K.randomNormal([3, 3, 1, channels], 0, 0.25, 'float32', 18);
    const wV = K.randomNormal([3, 3, 1, channels], 0, 0.25, 'float32', 19);
    const applies = vin.fusedApplies(r.to('cuda'), wR.to('cuda'), wV.to('cuda'));
    const cpu = run('fused', 'cpu', r, wR, wV, k);
    const fused = run('fused', 'cuda', r, wR, wV, k);
    const generic = run('generic', 'cuda', r, wR, wV, k);
    const vsCpu = fused.map((values, i) => scaledError(values, cpu[i]));
    const vsGeneric = fused.map((values, i) => scaledError(values, generic[i]));
    // cuDNN may compute the generic path's convolutions in TF32: it is compared more loosely.
    return { ok: applies && vsCpu.every((e) => e <= 1e-5) && vsGeneric.every((e) => e <= 2e-3), applies, vsCpu, vsGeneric };
  });
}

check('VIN 28x28 train step and inference on CUDA', () => {
  const model = buildVin({ gridSize: 28 });
  model.to('cuda');
  model.compile({ optimizer: 'rmsprop', loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true } });
  const x = K.randomNormal([128, 2, 28, 28]).to('cuda');
  const s = K.cast(K.randomUniform([128, 2], 0, 27.99), 'int32').to('cuda');
  const y = K.cast(K.randomUniform([128], 0, 7.99), 'int32').to('cuda');
  const loss = model.trainOnBatch([x, s], y);
  const logits = tidy(() => model.predictOnBatch([x, s]).shape);
  return { ok: Number.isFinite(Array.isArray(loss) ? loss[0] : loss) && logits.join() === '128,8', loss, logits };
});

console.log(JSON.stringify(results, null, 2));
process.exit(results.cuda && results.checks.every((c) => c.ok) ? 0 : 1);
