// TensorFlow.js's VIN (tfjs-vin-model.js) timed as bench/vin_pytorch.py times PyTorch's: one
// training step (loss, gradients, RMSprop update) and one inference on a batch of random inputs.
// Options: --backend cpu|wasm, plus those of common/vin-setup.js. tfjs's cpu backend is plain
// single-threaded JavaScript; the wasm backend's threads are off in Node (tfjs issue 3830), so it
// reports the thread count XNNPACK actually got. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter
// kernel, so it cannot train a conv net: its training figure comes out null with the reason.
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const { ACTIONS, RMSPROP, kForGrid, engineOptions, randomInts, emit, progress, runEngine } = require('../common/vin-setup');
const { timeSteps } = require('../common/timing');
const { createVinWeights, vinLogits } = require('./tfjs-vin-model');

function benchGrid(grid, options) {
  const k = kForGrid(grid);
  const weights = createVinWeights(tf, ACTIONS);
  const image = tf.randomNormal([options.batch, grid, grid, 2], 0, 1, 'float32', 2);
  const state = tf.tensor2d(randomInts(options.batch * 2, grid, 2), [options.batch, 2], 'int32');
  const labels = tf.oneHot(tf.tensor1d(randomInts(options.batch, ACTIONS, 3), 'int32'), ACTIONS);
  // tfjs's `decay` is torch's alpha; its epsilon goes inside the square root, a negligible difference.
  const optimizer = tf.train.rmsprop(RMSPROP.learningRate, RMSPROP.rho, 0, RMSPROP.epsilon);
  const loss = () => tf.losses.softmaxCrossEntropy(labels, vinLogits(tf, weights, image, state, k));
  const timing = { warmup: options.warmup, steps: options.steps, budgetMs: options.budgetMs };
  const train = attempt(() => timeSteps(() => {
    const cost = optimizer.minimize(loss, true, Object.values(weights));
    cost.dataSync(); // read the loss back, as keratorch's trainOnBatch does
    cost.dispose();
  }, timing));
  const infer = attempt(() => timeSteps(() => {
    const logits = tf.tidy(() => vinLogits(tf, weights, image, state, k));
    logits.dataSync();
    logits.dispose();
  }, timing));
  optimizer.dispose();
  tf.dispose([...Object.values(weights), image, state, labels]);
  return { k, train, infer };
}

/** A measurement, or { error } when the backend cannot run it (a kernel it lacks). */
function attempt(measure) {
  try {
    return measure();
  } catch (error) {
    return { ms: null, timed: 0, warmup: 0, error: error.message.split('\n')[0] };
  }
}

async function main() {
  const options = engineOptions(process.argv.slice(2), { backend: 'cpu' });
  if (options.device !== 'cpu') throw new Error(`tfjs runs on the CPU only here (asked for --device ${options.device})`);
  if (options.backend === 'wasm') wasm.setThreadsCount(options.threads);
  tf.enableProdMode(); // skips tfjs's debug checks, as a production user would
  if (!(await tf.setBackend(options.backend))) throw new Error(`tfjs backend ${options.backend} failed to start`);
  await tf.ready();
  const threads = options.backend === 'wasm' ? wasm.getThreadsCount() : 1;
  const engine = `tfjs-${options.backend}`;
  for (const grid of options.grids) {
    progress(`${engine}: grid ${grid}`);
    const { k, train, infer } = benchGrid(grid, options);
    emit({ engine, grid, k, batch: options.batch, device: 'cpu', threads, train_ms: train.ms, infer_ms: infer.ms,
      train_steps: train.timed, train_warmup: train.warmup, infer_steps: infer.timed, infer_warmup: infer.warmup,
      tfjs: tf.version.tfjs,
      ...(train.error && { train_error: train.error }), ...(infer.error && { infer_error: infer.error }) });
  }
}

runEngine(main);
