/**
 * `npm run demo` until the VIN lands: trains a small two-layer network on two interleaved
 * spirals with nothing but `K` (variables, ops, gradients, in-place updates), then reports
 * accuracy on held-out points and checks that no tensor leaked.
 */
import { K, memory, tensor, tidy, Tensor, buildInfo, getNumThreads } from '../backend';
import { ProgressBar } from '../util/progress';

function spirals(count: number, seed: number): { x: number[][]; y: number[] } {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const t = 0.25 + 2.5 * random();
    const angle = 2 * t + label * Math.PI;
    x.push([t * Math.cos(angle) + 0.08 * (random() - 0.5), t * Math.sin(angle) + 0.08 * (random() - 0.5)]);
    y.push(label);
  }
  return { x, y };
}

function main(): void {
  const info = buildInfo();
  console.log(`keratorch smoke demo: libtorch ${info.torchVersion} (${info.torchSource}), ${getNumThreads()} thread(s)`);
  K.setSeed(7);
  const hidden = 64;
  const w1 = K.variable(K.randomNormal([2, hidden], 0, 1), undefined, 'w1');
  const b1 = K.zeros([hidden], undefined, 'b1');
  const w2 = K.variable(K.randomNormal([hidden, 2], 0, 0.1), undefined, 'w2');
  const b2 = K.zeros([2], undefined, 'b2');
  const params = [w1, b1, w2, b2];

  const train = spirals(512, 1);
  const test = spirals(256, 2);
  const xTrain = tensor(train.x);
  const yTrain = tensor(train.y, undefined, 'int32');
  const xTest = tensor(test.x);

  const forward = (x: Tensor) => K.dot(K.tanh(K.biasAdd(K.dot(x, w1), b1)), w2).add(b2);
  const startTensors = memory().numTensors;
  const epochs = 300;
  const learningRate = 0.5;
  const bar = new ProgressBar(epochs, 'train ');
  let loss = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    loss = tidy(() => {
      const logits = forward(xTrain);
      const lossValue = K.mean(K.sparseCategoricalCrossentropy(yTrain, logits, true));
      const grads = K.gradients(lossValue, params, { retainGraph: false });
      params.forEach((p, i) => K.updateSub(p, K.multiply(grads[i], learningRate)));
      return lossValue.item() as number;
    });
    if (epoch % 10 === 0 || epoch === epochs) bar.update(epoch, { loss });
  }
  const accuracy = tidy(() => {
    const predicted = K.argmax(K.noGrad(() => forward(xTest)), -1).data() as BigInt64Array;
    return test.y.filter((label, i) => Number(predicted[i]) === label).length / test.y.length;
  });
  const leaked = memory().numTensors - startTensors;
  console.log(`test accuracy: ${(accuracy * 100).toFixed(1)}% on ${test.y.length} held-out points; ` +
    `final loss ${loss.toFixed(4)}; tensors leaked by the loop: ${leaked}`);
  if (accuracy < 0.9 || leaked !== 0) {
    console.error('smoke demo FAILED: expected accuracy >= 90% and no leaked tensors');
    process.exitCode = 1;
  }
}

main();
