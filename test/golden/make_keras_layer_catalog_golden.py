"""Golden values for Keras 3's activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax), Identity,
LayerNormalization and UnitNormalization, from real Keras 3.15.1 (TensorFlow 2.21 backend):
test/golden/keras_layer_catalog_golden.json, read by test/layers/keras3_layer_catalog.test.ts.

Each case: the layer by class name with keratorch's camelCase options (the Keras call uses the
snake_case names), its weights after setting them to fixed values, the input, the output, and the
gradients of sum(output * w) with respect to the input and every weight.

    /tmp/kvenv/bin/python test/golden/make_keras_layer_catalog_golden.py
"""
import json
import os
import re

import numpy as np
import tensorflow as tf
import keras

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261205)


def snake(name):
    return re.sub(r'([A-Z])', lambda m: '_' + m.group(1).lower(), name)


def listed(a):
    return np.asarray(a, dtype=np.float64).tolist()


def case(name, class_name, options, shape, weights=None):
    layer = getattr(keras.layers, class_name)(**{snake(k): v for k, v in options.items()})
    x = rng.normal(size=shape).astype(np.float32)
    x.flat[0] = 0.0
    layer.build(shape)
    values = []
    for w in layer.weights:
        value = rng.uniform(-1.5, 1.5, size=w.shape).astype(np.float32) if weights is None else weights
        w.assign(value)
        values.append({'name': w.name, 'shape': list(w.shape), 'values': listed(value)})
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = layer(xt)
        wy = rng.uniform(0.5, 1.5, size=y.shape).astype(np.float32)
        total = tf.reduce_sum(y * wy)
    grads = tape.gradient(total, [xt] + [w.value for w in layer.trainable_weights])
    return {'name': name, 'className': class_name, 'options': options, 'input': listed(x), 'inputShape': list(shape),
            'weights': values, 'output': listed(y.numpy()), 'w': listed(wy),
            'gradInput': listed(grads[0].numpy()), 'gradWeights': [listed(g.numpy()) for g in grads[1:]]}


def cases():
    return [
        case('ReLU', 'ReLU', {}, (3, 5)),
        case('ReLU maxValue negativeSlope threshold', 'ReLU', {'maxValue': 1.0, 'negativeSlope': 0.1, 'threshold': 0.2}, (3, 5)),
        case('LeakyReLU default', 'LeakyReLU', {}, (3, 5)),
        case('LeakyReLU 0.05', 'LeakyReLU', {'negativeSlope': 0.05}, (2, 3, 4)),
        case('ELU', 'ELU', {}, (3, 5)),
        case('ELU alpha 0.5', 'ELU', {'alpha': 0.5}, (3, 5)),
        case('Softmax', 'Softmax', {}, (3, 5)),
        case('Softmax axis 1', 'Softmax', {'axis': 1}, (2, 3, 4)),
        case('Identity', 'Identity', {}, (2, 3)),
        case('PReLU', 'PReLU', {}, (3, 4)),
        case('PReLU sharedAxes', 'PReLU', {'sharedAxes': [1, 2]}, (2, 3, 3, 2)),
        case('UnitNormalization', 'UnitNormalization', {}, (3, 5)),
        case('UnitNormalization axes', 'UnitNormalization', {'axis': [1, 2]}, (2, 3, 4)),
        case('LayerNormalization', 'LayerNormalization', {}, (4, 6)),
        case('LayerNormalization rank 3', 'LayerNormalization', {'epsilon': 1e-5}, (2, 3, 4)),
        case('LayerNormalization axes', 'LayerNormalization', {'axis': [1, 2]}, (2, 3, 4)),
        case('LayerNormalization middle axis', 'LayerNormalization', {'axis': 1}, (2, 3, 4)),
        case('LayerNormalization no center', 'LayerNormalization', {'center': False}, (4, 6)),
        case('LayerNormalization rmsScaling', 'LayerNormalization', {'rmsScaling': True}, (4, 6)),
    ]


if __name__ == '__main__':
    out = {'generator': 'test/golden/make_keras_layer_catalog_golden.py', 'keras': keras.__version__,
           'tensorflow': tf.__version__, 'cases': cases()}
    with open(os.path.join(HERE, 'keras_layer_catalog_golden.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f"wrote {len(out['cases'])} cases; weights: {[(c['name'], [w['name'] for w in c['weights']]) for c in out['cases'] if c['weights']]}")
