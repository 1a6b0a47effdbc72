// The VIN of bench/vin_pytorch.py written with TensorFlow.js ops, in tfjs's NHWC layout:
//   h = conv3x3(2 -> 150, bias); r = conv1x1(150 -> 1, no bias)
//   q = conv3x3(r -> 10); v = max_c q; k-1 times q = conv3x3([r, v] -> 10) with the tied kernel
//   [wR, wV], v = max_c q; a final q = conv3x3([r, v]); logits = dense(q at (row, col), 10 -> 8)
// The q values at the agent's cell are picked with a one-hot mask over the cells: tf.gather's
// gradient needs UnsortedSegmentSum, which the wasm backend lacks; the mask costs one multiply.
const L_H = 150;
const L_Q = 10;

/** Trainable weights, initialized as bench/vin_pytorch.py's normal_(0, 0.01) kernel is. */
function createVinWeights(tf, actions) {
  const normal = (shape) => tf.variable(tf.randomNormal(shape, 0, 0.01, 'float32', 1));
  return {
    hKernel: normal([3, 3, 2, L_H]),
    hBias: tf.variable(tf.zeros([L_H])),
    rKernel: normal([1, 1, L_H, 1]),
    qKernelR: normal([3, 3, 1, L_Q]),
    qKernelV: normal([3, 3, 1, L_Q]),
    dense: normal([L_Q, actions]),
  };
}

/** Action logits (batch, actions) for images (batch, n, n, 2) and states (batch, 2) int32 (row, col). */
function vinLogits(tf, weights, image, state, k) {
  const [batch, rows, cols] = image.shape;
  const h = tf.add(tf.conv2d(image, weights.hKernel, 1, 'same'), weights.hBias);
  const r = tf.conv2d(h, weights.rKernel, 1, 'valid');
  let q = tf.conv2d(r, weights.qKernelR, 1, 'same');
  let v = tf.max(q, 3, true);
  const tied = tf.concat([weights.qKernelR, weights.qKernelV], 2);
  for (let i = 0; i < k - 1; i++) {
    q = tf.conv2d(tf.concat([r, v], 3), tied, 1, 'same');
    v = tf.max(q, 3, true);
  }
  q = tf.conv2d(tf.concat([r, v], 3), tied, 1, 'same');
  const [row, col] = tf.split(state, 2, 1);
  const cell = tf.reshape(tf.add(tf.mul(row, tf.scalar(cols, 'int32')), col), [batch]);
  const mask = tf.reshape(tf.oneHot(cell, rows * cols), [batch, rows, cols, 1]);
  const qAtState = tf.sum(tf.mul(q, mask), [1, 2]);
  return tf.matMul(qAtState, weights.dense);
}

module.exports = { createVinWeights, vinLogits };
