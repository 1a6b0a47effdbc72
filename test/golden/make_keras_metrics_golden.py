"""Golden values for inTopK and the top-k accuracies, from real Keras 3.15.1 / TensorFlow 2.21:
test/golden/keras_metrics_golden.json, read by test/training/keras3_top_k.test.ts.

- `inTopK`: tf.math.in_top_k(targets, predictions, k) with ties across the boundary, NaN and inf
  predictions, and targets outside [0, classes).
- `metrics`: keras.metrics.top_k_categorical_accuracy and sparse_top_k_categorical_accuracy, per sample.

Run with a venv that has keras==3.15.1 and tensorflow_cpu==2.21.0:
    /tmp/kvenv/bin/python test/golden/make_keras_metrics_golden.py
"""
import json
import os

import numpy as np
import tensorflow as tf
import keras

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261204)


def listed(a):
    return np.asarray(a).tolist()


def in_top_k_cases():
    nan, inf = float('nan'), float('inf')
    predictions = np.array([[0.1, 0.5, 0.4, 0.0], [0.3, 0.3, 0.4, 0.0], [0.2, 0.2, 0.2, 0.2], [nan, 1.0, 0.0, 0.5],
                            [1.0, inf, 0.0, 0.5], [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0], [0.0, -inf, 1.0, 2.0]],
                           dtype=np.float32)
    targets = np.array([1, 0, 3, 1, 0, 0, 2, 0], dtype=np.int32)
    cases = []
    for k in (0, 1, 2, 3, 4):
        got = tf.math.in_top_k(tf.constant(targets), tf.constant(predictions), k).numpy()
        cases.append({'name': f'ties and non-finite, k {k}', 'predictions': [[str(v) if not np.isfinite(v) else float(v)
                      for v in row] for row in predictions], 'targets': listed(targets), 'k': k, 'expected': listed(got)})
    return cases


def metric_cases():
    cases = []
    logits = rng.normal(size=(12, 6)).astype(np.float32)
    logits[0, :] = 1.0  # all tied
    labels = rng.integers(0, 6, size=12)
    one_hot = np.eye(6, dtype=np.float32)[labels]
    for k in (1, 2, 5):
        dense = keras.metrics.top_k_categorical_accuracy(tf.constant(one_hot), tf.constant(logits), k=k)
        sparse = keras.metrics.sparse_top_k_categorical_accuracy(tf.constant(labels), tf.constant(logits), k=k)
        cases.append({'name': f'k {k}', 'k': k, 'predictions': listed(logits), 'oneHot': listed(one_hot),
                      'labels': listed(labels), 'topK': listed(dense.numpy()), 'sparseTopK': listed(sparse.numpy())})
    return cases


if __name__ == '__main__':
    out = {'generator': 'test/golden/make_keras_metrics_golden.py', 'keras': keras.__version__, 'tensorflow': tf.__version__,
           'inTopK': in_top_k_cases(), 'metrics': metric_cases()}
    with open(os.path.join(HERE, 'keras_metrics_golden.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    for c in out['inTopK']:
        print(c['name'], c['expected'])
