"""Keras 3's formulas where Keras 2.3 had others, run by real Keras (make_keras_golden.py writes them).

- `optimizers`: SGD, RMSprop, Adagrad and Adam, five `apply_gradients` steps on three variables with
  fixed gradients; the variables after every step. Configs use keratorch's option names; the Keras
  call is `keras.optimizers.<className>(**snake_case config)`. They cover clipnorm (per variable),
  global_clipnorm and clipvalue, RMSprop's and Adagrad's epsilon under the root and Adagrad's
  initial accumulator value.
- `batchNormalization`: three training calls (the moving mean and variance after each, from the
  biased batch variance) and the inference output after them, plus the gradient of sum(y * w) with
  respect to the input, gamma and beta in training mode.
- `conv2dGroups`: Conv2D with `groups` (each group of input channels convolved with its own
  filters), the output and the gradients of sum(y * w) for the input, kernel and bias.
- `losses`: keras.ops.binary_crossentropy (elementwise) and keras.losses.binary_crossentropy on
  probabilities of exactly 0 and 1, with the gradient of sum(loss * w); keras.metrics.binary_accuracy
  per element.

Own random generator, so that the cases before these in keras_golden.json stay the same.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import ops

rng = np.random.default_rng(20251203)
SHAPES = [[2, 3], [4], [2, 1, 2]]
# The gradients shrink over the steps, so clipping acts on the first steps only.
GRAD_SCALES = [2.0, 1.5, 0.25, 0.125, 0.0625]
KERAS_NAMES = {'learningRate': 'learning_rate', 'globalClipnorm': 'global_clipnorm', 'beta1': 'beta_1',
               'beta2': 'beta_2', 'initialAccumulatorValue': 'initial_accumulator_value'}


def grid(shape, scale=1.0):
    """Random multiples of 1/64 in [-1, 1] (never 0), times scale: exact in float32."""
    values = rng.integers(-64, 65, size=shape).astype(np.float64)
    values[values == 0] = 1.0
    return values / 64.0 * scale


def listed(array):
    return np.asarray(array, dtype=np.float64).tolist()


def optimizer_case(name, class_name, config):
    params = [grid(s) for s in SHAPES]
    grads = [[grid(s, scale) for s in SHAPES] for scale in GRAD_SCALES]
    variables = [keras.Variable(p.astype(np.float32)) for p in params]
    optimizer = getattr(keras.optimizers, class_name)(**{KERAS_NAMES.get(k, k): v for k, v in config.items()})
    expected = []
    for step in grads:
        optimizer.apply_gradients(zip([tf.constant(g, dtype='float32') for g in step], variables))
        expected.append([listed(v.numpy()) for v in variables])
    return {'name': name, 'className': class_name, 'config': config,
            'params': [{'shape': s, 'values': listed(p)} for s, p in zip(SHAPES, params)],
            'grads': [[listed(g) for g in step] for step in grads], 'expected': expected}


def optimizer_cases():
    return [
        optimizer_case('SGD clipnorm per variable', 'SGD', {'learningRate': 0.1, 'clipnorm': 1.0}),
        optimizer_case('SGD globalClipnorm', 'SGD', {'learningRate': 0.1, 'momentum': 0.9, 'globalClipnorm': 1.5}),
        optimizer_case('SGD nesterov clipvalue', 'SGD', {'learningRate': 0.05, 'momentum': 0.9, 'nesterov': True,
                                                         'clipvalue': 0.5}),
        optimizer_case('RMSprop defaults', 'RMSprop', {}),
        optimizer_case('RMSprop rho epsilon', 'RMSprop', {'learningRate': 0.01, 'rho': 0.8, 'epsilon': 1e-3}),
        optimizer_case('RMSprop clipnorm', 'RMSprop', {'learningRate': 0.01, 'clipnorm': 0.5}),
        optimizer_case('Adagrad defaults', 'Adagrad', {}),
        optimizer_case('Adagrad options', 'Adagrad', {'learningRate': 0.1, 'initialAccumulatorValue': 0.01,
                                                      'epsilon': 1e-3, 'globalClipnorm': 2.0}),
        optimizer_case('Adam defaults', 'Adam', {}),
        optimizer_case('Adam amsgrad clipnorm', 'Adam', {'learningRate': 0.01, 'beta2': 0.9, 'amsgrad': True,
                                                         'clipnorm': 1.0}),
    ]


def batchnorm_case(name, config, shape):
    axis = config.get('axis', -1) % len(shape)
    features = shape[axis]
    gamma, beta = grid([features]) + 1.5, grid([features])
    mean0, var0 = grid([features]), grid([features]) * 0.5 + 1.0
    layer = keras.layers.BatchNormalization(**{'axis': config.get('axis', -1), 'momentum': config['momentum'],
                                               'epsilon': config['epsilon']})
    layer.build(tuple(shape))
    layer.set_weights([w.astype(np.float32) for w in (gamma, beta, mean0, var0)])
    inputs = [grid(shape, 2.0) + 0.5 * i for i in range(3)]
    w = grid(shape)
    steps = []
    for x in inputs:
        xt = tf.constant(x, dtype='float32')
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y = layer(xt, training=True)
            total = tf.reduce_sum(y * tf.constant(w, dtype='float32'))
        dx, dgamma, dbeta = tape.gradient(total, [xt, layer.gamma, layer.beta])
        steps.append({'input': listed(x), 'output': listed(y.numpy()), 'movingMean': listed(layer.moving_mean.numpy()),
                      'movingVariance': listed(layer.moving_variance.numpy()),
                      'grads': {'input': listed(dx.numpy()), 'gamma': listed(dgamma.numpy()),
                                'beta': listed(dbeta.numpy())}})
    probe = grid(shape)
    inference = layer(tf.constant(probe, dtype='float32'), training=False)
    return {'name': name, 'config': config, 'shape': shape,
            'weights': [listed(v) for v in (gamma, beta, mean0, var0)], 'w': listed(w), 'steps': steps,
            'probe': listed(probe), 'inference': listed(inference.numpy())}


def batchnorm_cases():
    return [
        batchnorm_case('features last, rank 2', {'momentum': 0.9, 'epsilon': 1e-3}, [6, 3]),
        batchnorm_case('channels last image', {'momentum': 0.8, 'epsilon': 1e-2}, [2, 3, 3, 4]),
        batchnorm_case('axis 1, small batch', {'axis': 1, 'momentum': 0.5, 'epsilon': 1e-3}, [2, 3, 2]),
    ]


def loss_cases():
    target = np.array([[0.0, 1.0, 1.0, 0.0], [0.0, 0.25, 1.0, 1.0], [1.0, 0.0, 0.5, 1.0]])
    # Probabilities of exactly 0 and 1, ones just inside the clip range, and ordinary ones.
    output = np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 0.5, 1e-9, 0.999], [0.3, 0.2, 0.9, 0.6]])
    w = grid(list(target.shape))
    cases = []
    for fn, keras_fn, call in (('K.binaryCrossentropy', 'ops.binary_crossentropy', ops.binary_crossentropy),
                               ('losses.binaryCrossentropy', 'keras.losses.binary_crossentropy',
                                keras.losses.binary_crossentropy)):
        t = tf.constant(target, dtype='float32')
        o = tf.constant(output, dtype='float32')
        with tf.GradientTape() as tape:
            tape.watch([t, o])
            loss = call(t, o)
            weight = tf.constant(w if len(loss.shape) == 2 else w[:, 0], dtype='float32')
            total = tf.reduce_sum(loss * weight)
        dt, do = tape.gradient(total, [t, o])
        cases.append({'name': fn, 'fn': fn, 'keras': keras_fn, 'target': listed(target), 'output': listed(output),
                      'w': listed(weight.numpy()), 'expected': listed(loss.numpy()),
                      'grads': {'target': listed(dt.numpy()), 'output': listed(do.numpy())}})
    for threshold in (0.5, 0.25):
        acc = keras.metrics.binary_accuracy(tf.constant(target), tf.constant(output), threshold=threshold)
        cases.append({'name': f'metrics.binaryAccuracy threshold {threshold}', 'fn': 'metrics.binaryAccuracy',
                      'keras': 'keras.metrics.binary_accuracy', 'threshold': threshold,
                      'target': listed(target), 'output': listed(output), 'expected': listed(acc.numpy())})
    return cases


def conv_groups_case(name, config, shape):
    keras_config = {'filters': config['filters'], 'kernel_size': config['kernelSize'], 'groups': config['groups'],
                    'strides': config.get('strides', 1), 'padding': config.get('padding', 'valid'),
                    'dilation_rate': config.get('dilationRate', 1),
                    'data_format': 'channels_first' if config.get('dataFormat') == 'channelsFirst' else 'channels_last'}
    layer = keras.layers.Conv2D(**keras_config)
    layer.build(tuple(shape))
    kernel, bias = grid(list(layer.kernel.shape)), grid([config['filters']])
    layer.set_weights([kernel.astype(np.float32), bias.astype(np.float32)])
    x = tf.constant(grid(shape), dtype='float32')
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        w = grid(list(y.shape))
        total = tf.reduce_sum(y * tf.constant(w, dtype='float32'))
    dx, dkernel, dbias = tape.gradient(total, [x, layer.kernel, layer.bias])
    return {'name': name, 'config': config, 'shape': shape, 'kernel': listed(kernel), 'bias': listed(bias),
            'input': listed(x.numpy()), 'w': listed(w), 'output': listed(y.numpy()), 'outputShape': list(y.shape),
            'grads': {'input': listed(dx.numpy()), 'kernel': listed(dkernel.numpy()), 'bias': listed(dbias.numpy())}}


def conv_groups_cases():
    return [
        conv_groups_case('2 groups', {'filters': 4, 'kernelSize': 3, 'groups': 2}, [2, 5, 5, 4]),
        conv_groups_case('3 groups, same padding, strides 2', {'filters': 6, 'kernelSize': 2, 'groups': 3,
                                                               'strides': 2, 'padding': 'same'}, [1, 5, 4, 6]),
        conv_groups_case('depthwise-like, channelsFirst, dilated', {'filters': 4, 'kernelSize': 2, 'groups': 2,
                                                                    'dilationRate': 2, 'dataFormat': 'channelsFirst'},
                         [1, 2, 5, 5]),
    ]
