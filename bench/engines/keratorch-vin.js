// keratorch's VIN (buildVin) timed as bench/vin_pytorch.py times PyTorch's: one training step
// (trainOnBatch: forward, loss, backward and the RMSprop update) and one inference (predictOnBatch,
// no gradient graph) on a batch of random inputs. One JSON line a grid.
// Options: --implementation fused|generic, --fold on|off (Model.foldLinearLayers: the h and r
// convolutions computed as one), --optimizer bench|sgd|adam|rmsprop (bench: PyTorch's settings
// above; the others at keratorch's defaults: a step's time must not depend on it), --flush on|off
// (setFlushDenormal), plus those of common/vin-setup.js.
const keratorch = require('../../lib');
const { ACTIONS, RMSPROP, kForGrid, engineOptions, randomInts, emit, progress, runEngine } = require('../common/vin-setup');
const { timeSteps } = require('../common/timing');

const { buildVin, RMSprop, K, tensor, setSeed, setNumThreads, getNumThreads, setFlushDenormal, buildInfo, cuda } = keratorch;

const OPTIMIZERS = ['bench', 'sgd', 'adam', 'rmsprop'];

function inputs(grid, batch, device) {
  const image = K.randomNormal([batch, 2, grid, grid]);
  const state = tensor(randomInts(batch * 2, grid, 2), [batch, 2], 'int32');
  const labels = tensor(randomInts(batch, ACTIONS, 3), [batch], 'int32');
  if (device !== 'cpu') for (const t of [image, state, labels]) t.moveTo(device);
  return { x: [image, state], y: labels };
}

function benchGrid(grid, options) {
  setSeed(0);
  const k = kForGrid(grid);
  const model = buildVin({ gridSize: grid, k, implementation: options.implementation });
  model.foldLinearLayers = options.fold === 'on';
  if (options.device !== 'cpu') model.to(options.device);
  // No metrics: the step is what PyTorch's is, the loss and its update.
  const optimizer = options.optimizer === 'bench' ? new RMSprop(RMSPROP) : options.optimizer;
  model.compile({ optimizer, loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true } });
  const { x, y } = inputs(grid, options.batch, options.device);
  const timing = { warmup: options.warmup, steps: options.steps, budgetMs: options.budgetMs };
  // trainOnBatch reads the loss back, which also waits for a CUDA device.
  const train = timeSteps(() => model.trainOnBatch(x, y), timing);
  const infer = timeSteps(() => {
    const logits = model.predictOnBatch(x);
    if (options.device !== 'cpu') logits.data(); // waits for the device, as torch.cuda.synchronize
    logits.dispose();
  }, timing);
  for (const t of [...x, y]) t.dispose();
  return { grid, k, train, infer };
}

function main() {
  const options = engineOptions(process.argv.slice(2), { implementation: 'fused', fold: 'on', optimizer: 'bench', flush: 'on' });
  for (const name of ['fold', 'flush']) {
    if (!['on', 'off'].includes(options[name])) throw new Error(`--${name}: expected on or off but received ${options[name]}`);
  }
  if (!OPTIMIZERS.includes(options.optimizer)) {
    throw new Error(`--optimizer: expected one of ${OPTIMIZERS.join(', ')} but received ${options.optimizer}`);
  }
  setFlushDenormal(options.flush === 'on');
  const optimizerSuffix = options.optimizer === 'bench' ? '' : `-${options.optimizer}`;
  const engine = `keratorch-${options.implementation}${options.implementation === 'fused' && options.fold === 'off' ? '-unfolded' : ''}${optimizerSuffix}`;
  if (options.device !== 'cpu' && !cuda.isAvailable()) {
    throw new Error(`--device ${options.device}: this keratorch addon sees no CUDA device (built against ` +
      `libtorch ${buildInfo().torchVersion}, CUDA compiled: ${buildInfo().cudaCompiled})`);
  }
  setNumThreads(options.threads);
  for (const grid of options.grids) {
    progress(`${engine}: grid ${grid}`);
    const { k, train, infer } = benchGrid(grid, options);
    emit({ engine, grid, k, batch: options.batch, device: options.device, threads: getNumThreads(),
      train_ms: train.ms, infer_ms: infer.ms, train_steps: train.timed, train_warmup: train.warmup,
      infer_steps: infer.timed, infer_warmup: infer.warmup, libtorch: buildInfo().torchVersion,
      implementation: options.implementation, fold: options.fold === 'on', optimizer: options.optimizer,
      flushDenormal: options.flush === 'on' });
  }
}

runEngine(main);
