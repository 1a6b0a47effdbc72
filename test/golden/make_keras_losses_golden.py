"""Golden values for Keras 3's regression, hinge, probabilistic and focal losses, from real Keras 3.15.1
(TensorFlow 2.21 backend): test/golden/keras_losses_golden.json, read by test/training/keras3_loss_catalog.test.ts.

Each case: a loss by keratorch's name with its options (keratorch's camelCase names; the Keras call
is keras.losses.<snake_case name>(y_true, y_pred, **snake_case options)), the inputs, the per-sample
loss, and the gradient of sum(loss * w) with respect to y_pred.

Run with a venv that has keras==3.15.1 and tensorflow_cpu==2.21.0:
    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras==3.15.1 tensorflow_cpu==2.21.0
    /tmp/kvenv/bin/python test/golden/make_keras_losses_golden.py
"""
import json
import os

import numpy as np
import tensorflow as tf
import keras

rng = np.random.default_rng(20261203)
HERE = os.path.dirname(os.path.abspath(__file__))

KERAS_FUNCTIONS = {
    'huber': keras.losses.huber,
    'kld': keras.losses.kl_divergence,
    'hinge': keras.losses.hinge,
    'squaredHinge': keras.losses.squared_hinge,
    'categoricalHinge': keras.losses.categorical_hinge,
    'cosineSimilarity': keras.losses.cosine_similarity,
    'poisson': keras.losses.poisson,
    'logCosh': keras.losses.log_cosh,
    'meanAbsolutePercentageError': keras.losses.mean_absolute_percentage_error,
    'meanSquaredLogarithmicError': keras.losses.mean_squared_logarithmic_error,
    'binaryFocalCrossentropy': keras.losses.binary_focal_crossentropy,
    'categoricalFocalCrossentropy': keras.losses.categorical_focal_crossentropy,
}
SNAKE = {'applyClassBalancing': 'apply_class_balancing', 'fromLogits': 'from_logits', 'labelSmoothing': 'label_smoothing'}


def listed(array):
    return np.asarray(array, dtype=np.float64).tolist()


def regression_pair(shape):
    """Targets and predictions of both signs, with exact zeros and a few large errors."""
    y = rng.normal(size=shape)
    p = y + rng.normal(scale=1.5, size=shape)
    y.flat[0] = 0.0
    p.flat[1] = y.flat[1]  # a zero error
    return y, p


def positive_pair(shape):
    """Counts or rates: targets >= 0 (some 0), predictions > 0 (one tiny)."""
    y = np.floor(rng.uniform(0, 4, size=shape))
    p = rng.uniform(0.05, 3.0, size=shape)
    p.flat[0] = 1e-9
    return y, p


def probability_pair(shape):
    """Rows of probabilities (targets one-hot in half of the rows, soft in the rest)."""
    logits = rng.normal(size=shape)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    y = np.zeros(shape)
    y[..., 0] = 1.0
    soft = rng.uniform(size=shape)
    y[1::2] = (soft / soft.sum(-1, keepdims=True))[1::2]
    return y, p, logits


def binary_pair(shape):
    """0/1 targets, probabilities (one exactly 0 and one exactly 1) and the logits behind them."""
    y = (rng.uniform(size=shape) > 0.5).astype(np.float64)
    logits = rng.normal(scale=2.0, size=shape)
    p = 1 / (1 + np.exp(-logits))
    return y, p, logits


def case(name, loss, y, p, options=None):
    options = options or {}
    t = tf.constant(y, dtype='float32')
    o = tf.constant(p, dtype='float32')
    w = rng.uniform(0.5, 1.5, size=y.shape[:-1] if loss != 'cosineSimilarity' or options.get('axis', -1) == -1
                    else tuple(d for i, d in enumerate(y.shape) if i != options['axis'] % y.ndim))
    with tf.GradientTape() as tape:
        tape.watch(o)
        keras_options = {SNAKE.get(k, k): v for k, v in options.items()}
        value = KERAS_FUNCTIONS[loss](t, o, **keras_options)
        total = tf.reduce_sum(value * tf.constant(w, dtype='float32'))
    grad = tape.gradient(total, o)
    return {'name': name, 'loss': loss, 'options': options, 'target': listed(y), 'output': listed(o.numpy()),
            'targetShape': list(y.shape), 'w': listed(w), 'expected': listed(value.numpy()),
            'gradOutput': listed(grad.numpy())}


def cases():
    out = []
    y, p = regression_pair((4, 5))
    for loss in ('huber', 'logCosh', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError'):
        out.append(case(f'{loss} regression', loss, y, p))
    out.append(case('huber delta 0.5', 'huber', y, p, {'delta': 0.5}))
    out.append(case('huber delta 3', 'huber', y, p, {'delta': 3.0}))
    y3, p3 = regression_pair((2, 3, 4))
    out.append(case('huber rank 3', 'huber', y3, p3))
    out.append(case('cosineSimilarity', 'cosineSimilarity', y, p))
    out.append(case('cosineSimilarity axis 0', 'cosineSimilarity', y, p, {'axis': 0}))
    out.append(case('cosineSimilarity rank 3 axis 1', 'cosineSimilarity', y3, p3, {'axis': 1}))
    yc, pc = positive_pair((4, 5))
    out.append(case('poisson', 'poisson', yc, pc))
    out.append(case('meanSquaredLogarithmicError counts', 'meanSquaredLogarithmicError', yc, pc))
    yb, pb, lb = binary_pair((4, 6))
    signed = 2 * yb - 1
    for loss in ('hinge', 'squaredHinge'):
        out.append(case(f'{loss} 0/1 targets', loss, yb, lb))
        out.append(case(f'{loss} -1/1 targets', loss, signed, lb))
    out.append(case('binaryFocalCrossentropy', 'binaryFocalCrossentropy', yb, pb))
    out.append(case('binaryFocalCrossentropy gamma 0.5', 'binaryFocalCrossentropy', yb, pb, {'gamma': 0.5}))
    out.append(case('binaryFocalCrossentropy balanced', 'binaryFocalCrossentropy', yb, pb,
                    {'applyClassBalancing': True, 'alpha': 0.4}))
    out.append(case('binaryFocalCrossentropy fromLogits', 'binaryFocalCrossentropy', yb, lb, {'fromLogits': True}))
    out.append(case('binaryFocalCrossentropy labelSmoothing', 'binaryFocalCrossentropy', yb, pb, {'labelSmoothing': 0.1}))
    yp, pp, lp = probability_pair((4, 5))
    out.append(case('kld', 'kld', yp, pp))
    out.append(case('categoricalHinge', 'categoricalHinge', yp, lp))
    out.append(case('categoricalFocalCrossentropy', 'categoricalFocalCrossentropy', yp, pp))
    out.append(case('categoricalFocalCrossentropy alpha 0.5 gamma 1', 'categoricalFocalCrossentropy', yp, pp,
                    {'alpha': 0.5, 'gamma': 1.0}))
    out.append(case('categoricalFocalCrossentropy fromLogits', 'categoricalFocalCrossentropy', yp, lp,
                    {'fromLogits': True}))
    out.append(case('categoricalFocalCrossentropy labelSmoothing', 'categoricalFocalCrossentropy', yp, pp,
                    {'labelSmoothing': 0.2}))
    out.append(case('kld soft rows', 'kld', pp, yp))
    return out


if __name__ == '__main__':
    result = {'generator': 'test/golden/make_keras_losses_golden.py', 'keras': keras.__version__,
              'tensorflow': tf.__version__, 'cases': cases()}
    with open(os.path.join(HERE, 'keras_losses_golden.json'), 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')
    print(f"wrote {len(result['cases'])} cases")
