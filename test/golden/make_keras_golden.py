#!/usr/bin/env python3
"""Builds test/golden/keras_golden.json: Keras 3's activations and value rules, from real Keras.

Every expected value below is computed by Keras 3.15.1 on its TensorFlow 2.21 backend (CPU), not by
a re-implementation: forward values, and gradients of sum(f(x) * w) for a fixed weight tensor w,
taken with tf.GradientTape. test/layers/keras_activations.test.ts and
test/backend/keras_values.test.ts compare keratorch to it.

Six kinds of cases (the last four from keras_formula_cases.py: where Keras 3's formulas differ
from Keras 2.3's, optimizers, BatchNormalization, binary crossentropy and accuracy, compared by
test/optimizers/keras3_formulas.test.ts, test/layers/keras3_batchnorm.test.ts and
test/training/keras3_losses.test.ts; and Conv2D's groups, by test/layers/conv2d_groups.test.ts):
- `activations`: an activation on fixed inputs, among them NaN, +-inf, 0, the kinks of every
  piecewise activation (0.5, 1, 3, 6, ...), tiny (1e-30) and large (1e4, 1e30) values, and a smooth
  random grid. `activation` is the keras.activations name when the case uses the defaults that name
  has (keratorch then runs getActivation(name) too); `fn` and `args` are the K function and its
  arguments after x.
- `values`: K functions whose value rules follow Keras (sign of NaN, argmax/argmin with NaN, clip of
  integers, oneHot out of range, arange's dtype, l2Normalize over several axes, mean of integers).
  Arguments use k_golden.json's specs ({"kind": "tensor", ...}); the Keras call is in `keras`.

sparsemax is the one place where the expected values are not Keras 3.15.1's own: its threshold is
wrong once two or more values are in the support (keras-team/keras#23425, fixed after 3.15.1; its
rows then do not sum to 1). The expected values use the corrected formula, written with the same TF
ops as Keras's; Keras 3.15.1's output is stored next to them (`keras3151`) with the rows where the two
agree.

Set up the environment and run (CI does not need Python: the JSON is checked in):

    python3 -m venv /tmp/kvenv
    /tmp/kvenv/bin/pip install keras==3.15.1 tensorflow_cpu==2.21.0 numpy
    /tmp/kvenv/bin/python test/golden/make_keras_golden.py

The output is deterministic (fixed literals and a seeded numpy generator).
"""
import json
import os
import sys

os.environ['KERAS_BACKEND'] = 'tensorflow'
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.setdefault('CUDA_VISIBLE_DEVICES', '')

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import ops  # noqa: E402
from keras.src.legacy import backend as legacy  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_npz_fixture import plain  # noqa: E402
import keras_formula_cases  # noqa: E402
OUT = os.path.join(HERE, 'keras_golden.json')
rng = np.random.default_rng(20250320)

NAN = float('nan')
INF = float('inf')
# Special points: NaN, infinities, signed zero and tiny values, every activation's kinks (0, 0.5, 1,
# 3, 6 and their negatives), where exp over- or underflows in float32 (88, 100), and huge values.
SPECIAL = [NAN, INF, -INF, 0.0, -0.0, 1e-30, -1e-30, 1e-6, -1e-6, 0.25, -0.25, 0.5, -0.5, 1.0, -1.0, 2.0,
           -2.0, 3.0, -3.0, 6.0, -6.0, 10.0, -10.0, 20.0, -20.0, 50.0, -50.0, 88.0, -88.0, 100.0, -100.0,
           1e4, -1e4, 1e30, -1e30]


def encode(value):
    """JSON has no NaN or infinities: plain() writes them as strings, as in k_golden.json."""
    return [encode(v) for v in value] if isinstance(value, list) else plain(value)


def to_list(array):
    return encode(np.asarray(array).tolist())


def grid(shape):
    """Smooth inputs: multiples of 1/64 in [-6, 6], shifted by 1/128 so that none is a kink."""
    return (np.round(rng.uniform(-6, 6, size=shape) * 64) / 64 + 1 / 128).astype(np.float64)


def weights(shape):
    """The fixed w of sum(f(x) * w): multiples of 1/8 in [-2, 2], never 0."""
    w = np.round(rng.uniform(-2, 2, size=shape) * 8) / 8
    return np.where(w == 0, 0.625, w)


def forward_and_grad(f, values, dtype, w):
    x = tf.Variable(np.asarray(values, dtype=dtype))
    with tf.GradientTape() as tape:
        y = f(x)
        loss = tf.reduce_sum(y * tf.constant(w, dtype=dtype))
    grad = tape.gradient(loss, x)
    return np.asarray(y), np.asarray(grad)


activation_cases = []


def activation(name, f, values, dtype='float32', fn=None, args=(), by_name=None, why=None, extra=None):
    """One activation case: f is the Keras callable, fn/args the K function and its extra arguments."""
    values = np.asarray(values, dtype=np.float64)
    values = values.astype(dtype).astype(np.float64)  # what keratorch's input holds
    w = weights(np.asarray(f(tf.constant(values, dtype=dtype))).shape)  # the output's shape (glu halves an axis)
    y, grad = forward_and_grad(f, values, dtype, w)
    case = {'name': name, 'fn': fn, 'args': list(args), 'activation': by_name,
            'input': {'values': to_list(values), 'shape': list(values.shape), 'dtype': dtype},
            'w': to_list(w), 'expected': {'values': to_list(y), 'shape': list(y.shape), 'dtype': str(y.dtype)},
            'grad': to_list(grad)}
    if why:
        case['why'] = why
    if extra:
        case.update(extra)
    activation_cases.append(case)


A = keras.activations

# Elementwise activations, by name with Keras's defaults: (keras name, K function, K arguments).
ELEMENTWISE = [
    ('relu', 'relu', []), ('leaky_relu', 'leakyRelu', [0.2]), ('relu6', 'relu6', []), ('sigmoid', 'sigmoid', []),
    ('log_sigmoid', 'logSigmoid', []), ('sparse_sigmoid', 'sparseSigmoid', []), ('hard_sigmoid', 'hardSigmoid', []),
    ('tanh', 'tanh', []), ('tanh_shrink', 'tanhShrink', []), ('hard_tanh', 'hardTanh', []), ('elu', 'elu', [1]),
    ('selu', 'selu', []), ('celu', 'celu', [1]), ('gelu', 'gelu', [False]), ('silu', 'silu', []),
    ('hard_silu', 'hardSilu', []), ('mish', 'mish', []), ('softplus', 'softplus', []), ('softsign', 'softsign', []),
    ('squareplus', 'squareplus', [4]), ('sparse_plus', 'sparsePlus', []), ('soft_shrink', 'softShrink', [0.5]),
    ('hard_shrink', 'hardShrink', [0.5]), ('exponential', 'exp', []), ('linear', None, []),
]
ALIASES = [('swish', 'silu', 'swish'), ('hard_swish', 'hard_silu', 'hardSwish')]

special = np.asarray(SPECIAL)
smooth = grid((3, 16))
for keras_name, fn, args in ELEMENTWISE:
    f = A.get(keras_name)
    activation(f'{keras_name} special', f, special, fn=fn, args=args, by_name=keras_name)
    activation(f'{keras_name} grid', f, smooth, fn=fn, args=args, by_name=keras_name)
for alias, target, fn in ALIASES:
    assert A.get(alias) is A.get(target)
    activation(f'{alias} grid', A.get(alias), smooth, fn=fn, by_name=alias)

# Float64 keeps its dtype and precision.
for keras_name, fn, args in [('gelu', 'gelu', [False]), ('silu', 'silu', []), ('mish', 'mish', []),
                             ('selu', 'selu', []), ('log_sigmoid', 'logSigmoid', []), ('hard_silu', 'hardSilu', []),
                             ('celu', 'celu', [1]), ('squareplus', 'squareplus', [4])]:
    activation(f'{keras_name} float64', A.get(keras_name), np.concatenate([special, smooth[0]]), dtype='float64',
               fn=fn, args=args, by_name=keras_name)

# Options that the names do not carry: K functions with other arguments (keras.ops's defaults included).
both = np.concatenate([special, smooth[0]])
activation('gelu approximate (keras.ops.gelu default)', lambda x: ops.gelu(x), both, fn='gelu', args=[],
           why='keras.ops.gelu defaults to the tanh approximation; the gelu activation by name is exact')
activation('gelu approximate=true', lambda x: A.gelu(x, approximate=True), both, fn='gelu', args=[True])
activation('leaky_relu negative_slope=0.1', lambda x: A.leaky_relu(x, negative_slope=0.1), both, fn='leakyRelu',
           args=[0.1])
activation('elu alpha=0.5', lambda x: A.elu(x, alpha=0.5), both, fn='elu', args=[0.5])
activation('celu alpha=2', lambda x: A.celu(x, alpha=2.0), both, fn='celu', args=[2])
activation('soft_shrink threshold=1', lambda x: A.soft_shrink(x, threshold=1.0), both, fn='softShrink', args=[1])
activation('hard_shrink threshold=1', lambda x: A.hard_shrink(x, threshold=1.0), both, fn='hardShrink', args=[1])
activation('squareplus b=1', lambda x: A.squareplus(x, b=1), both, fn='squareplus', args=[1])
activation('threshold 0.5 -1', lambda x: A.threshold(x, 0.5, -1.0), both, fn='threshold', args=[0.5, -1])
activation('threshold -1 2.5', lambda x: A.threshold(x, -1.0, 2.5), both, fn='threshold', args=[-1, 2.5])

# Along an axis: a random block, a row of large values, rows with -inf, inf and NaN.
rows = np.concatenate([grid((2, 6)),
                       [[1e4, -1e4, 3.0, 0.0, -2.5, 1e4 - 1]],
                       [[-INF, 1.0, 2.0, -INF, 0.5, -1.0]],
                       [[INF, 1.0, 2.0, 0.0, 0.5, -1.0]],
                       [[NAN, 1.0, 2.0, 0.0, 0.5, -1.0]]])
block = grid((2, 4, 6))
for keras_name, fn in [('softmax', 'softmax'), ('log_softmax', 'logSoftmax')]:
    f = A.get(keras_name)
    activation(f'{keras_name} rows', f, rows, fn=fn, args=[-1], by_name=keras_name)
    activation(f'{keras_name} axis 1', lambda x, f=f: f(x, axis=1), block, fn=fn, args=[1])
activation('glu rows', A.glu, rows, fn='glu', args=[-1], by_name='glu')
activation('glu axis 1', lambda x: A.glu(x, axis=1), block, fn='glu', args=[1])
activation('glu axis 0', lambda x: A.glu(x, axis=0), block, fn='glu', args=[0])


def sparsemax_fixed(x, axis=-1):
    """Keras 3.15.1's TF sparsemax with keras-team/keras#23425 fixed: the threshold sums the sorted
    logits over the support (the k-th cumulative sum), not the support's cumulative sums."""
    logits = tf.convert_to_tensor(x)
    logits_sorted = tf.sort(logits, direction='DESCENDING', axis=axis)
    logits_cumsum = tf.cumsum(logits_sorted, axis=axis)
    r = tf.range(1, tf.shape(logits)[axis] + 1, dtype=logits.dtype)
    r_shape = [1] * len(logits.shape)
    r_shape[axis] = -1
    r = tf.reshape(r, r_shape)
    support = logits_sorted - (logits_cumsum - 1) / r > 0
    k = tf.reduce_sum(tf.cast(support, logits.dtype), axis=axis, keepdims=True)
    tau = (tf.reduce_sum(tf.where(support, logits_sorted, 0.0), axis=axis, keepdims=True) - 1) / k
    return tf.maximum(logits - tau, 0.0)


# Finite inputs only: sorting NaN and the threshold of an infinite row are not defined alike anywhere.
sparse_rows = np.concatenate([grid((2, 6)) / 4, [[0.0, 0.5, 1.0, -3.0, 0.25, 0.75]], [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]],
                              [[5.0, 0.0, -1.0, 2.0, 1.0, 0.5]], [[1e4, -1e4, 3.0, 0.0, -2.5, 9999.5]]])
sparse_block = grid((2, 4, 6)) / 4
for name, values, axis, by_name in [('sparsemax rows', sparse_rows, -1, 'sparsemax'),
                                    ('sparsemax axis 1', sparse_block, 1, None),
                                    ('sparsemax axis 0', sparse_block, 0, None)]:
    original = np.asarray(A.sparsemax(np.asarray(values, np.float32), axis=axis))
    fixed = np.asarray(sparsemax_fixed(np.asarray(values, np.float32), axis=axis))
    assert np.allclose(np.sum(fixed, axis=axis), 1, atol=1e-5), name
    same = np.all(np.isclose(original, fixed, atol=1e-6), axis=axis)
    activation(name, lambda x, axis=axis: sparsemax_fixed(x, axis=axis), values, fn='sparsemax', args=[axis],
               by_name=by_name,
               why='keras-team/keras#23425 fixed: Keras 3.15.1 itself (keras3151) differs where two or more '
                   'values are in the support',
               extra={'keras3151': to_list(original), 'keras3151Agrees': to_list(same)})


# ------------------------------------------------------------------------------------------------
# Value rules
# ------------------------------------------------------------------------------------------------

value_cases = []


def tensor_spec(values, dtype):
    arr = np.asarray(values, dtype=np.float64 if dtype.startswith('float') else np.int64)
    return {'kind': 'tensor', 'values': to_list(arr), 'shape': list(arr.shape), 'dtype': dtype, 'grad': False}


def value(name, keras_call, fn, args, result, why=None):
    result = tf.convert_to_tensor(result)
    case = {'name': name, 'keras': keras_call, 'fn': fn, 'args': args,
            'expected': {'values': to_list(result.numpy()), 'shape': list(result.shape), 'dtype': result.dtype.name}}
    if why:
        case['why'] = why
    value_cases.append(case)


signs = [NAN, -INF, INF, -0.0, 0.0, -2.5, 3.0, 1e-30, -1e-30]
for dtype in ('float32', 'float64'):
    value(f'sign {dtype} with NaN', 'legacy.sign', 'sign', [tensor_spec(signs, dtype)],
          legacy.sign(tf.constant(signs, dtype=dtype)))
value('sign int32', 'legacy.sign', 'sign', [tensor_spec([-3, 0, 4], 'int32')], legacy.sign(tf.constant([-3, 0, 4])))

with_nan = [[1, NAN, 3, 2], [NAN, 5, NAN, 1], [3, 1, NAN, 7], [NAN, NAN, NAN, NAN], [NAN, -INF, -INF, 1],
            [-INF, NAN, -INF, -INF], [NAN, INF, 1, INF], [2, 2, 1, 1], [-INF, -INF, NAN, -INF]]
for dtype in ('float32', 'float64'):
    for op in ('argmax', 'argmin'):
        for axis in (-1, 0):
            x = tf.constant(with_nan, dtype=dtype)
            value(f'{op} {dtype} axis {axis} with NaN', f'legacy.{op}', op, [tensor_spec(with_nan, dtype), axis],
                  getattr(legacy, op)(x, axis=axis))

for dtype in ('int32', 'int64', 'uint8'):
    ints = [1, 5, 9, 0, 7, 2]
    value(f'clip {dtype}', 'legacy.clip', 'clip', [tensor_spec(ints, dtype), 2, 7],
          legacy.clip(tf.constant(ints, dtype=dtype), 2, 7))
value('clip int32 max below min', 'legacy.clip', 'clip', [tensor_spec([1, 5, 9], 'int32'), 4, 3],
      legacy.clip(tf.constant([1, 5, 9], dtype='int32'), 4, 3))
value('clip float32', 'legacy.clip', 'clip', [tensor_spec([NAN, -INF, 0.5, 2.5, INF], 'float32'), 0, 1.5],
      legacy.clip(tf.constant([NAN, -INF, 0.5, 2.5, INF], dtype='float32'), 0.0, 1.5))

for dtype in ('int32', 'int64'):
    idx = [[0, 3], [-1, 4], [2, -7]]
    value(f'oneHot {dtype} out of range', 'legacy.one_hot', 'oneHot', [tensor_spec(idx, dtype), 4],
          legacy.one_hot(tf.constant(idx, dtype=dtype), 4))
value('oneHot uint8 out of range', 'legacy.one_hot', 'oneHot', [tensor_spec([0, 200, 3], 'uint8'), 4],
      legacy.one_hot(tf.constant([0, 200, 3], dtype='uint8'), 4))

for args in ([0.5, 3, 0.5], [1, 2.5], [0, 1, 0.25], [3], [-3], [2.5], [5, 1, -1.5], [0, 6, 2]):
    value(f'arange{tuple(args)}', 'legacy.arange', 'arange', args, legacy.arange(*args))

l2x = grid((2, 3, 4))
for axis in ([1, 2], [0, 2], [2], 1, [0, 1, 2]):
    value(f'l2Normalize axis {axis}', 'legacy.l2_normalize', 'l2Normalize', [tensor_spec(l2x, 'float32'), axis],
          legacy.l2_normalize(tf.constant(l2x, dtype='float32'), axis=axis))

ints = [[1, 2, 4], [3, 3, 6]]
for axis in (None, 0, 1, [0, 1]):
    value(f'mean int32 axis {axis}', 'ops.mean', 'mean', [tensor_spec(ints, 'int32'), axis],
          ops.mean(tf.constant(ints, dtype='int32'), axis=axis),
          why="keras.ops.mean's float result (Keras 2's backend mean kept int32 and truncated)")

golden = {
    'generator': 'test/golden/make_keras_golden.py',
    'keras': keras.__version__,
    'tensorflow': tf.__version__,
    'activations': activation_cases,
    'values': value_cases,
    'optimizers': keras_formula_cases.optimizer_cases(),
    'batchNormalization': keras_formula_cases.batchnorm_cases(),
    'losses': keras_formula_cases.loss_cases(),
    'conv2dGroups': keras_formula_cases.conv_groups_cases(),
}
KEYS = ('activations', 'values', 'optimizers', 'batchNormalization', 'losses', 'conv2dGroups')
with open(OUT, 'w') as out:
    out.write('{\n')
    out.write(f'"generator": {json.dumps(golden["generator"])},\n"keras": {json.dumps(golden["keras"])},\n')
    out.write(f'"tensorflow": {json.dumps(golden["tensorflow"])},\n')
    for key in KEYS:
        out.write(f'"{key}": [\n')
        out.write(',\n'.join(json.dumps(c, allow_nan=False) for c in golden[key]))
        out.write('\n]' + (',\n' if key != KEYS[-1] else '\n'))
    out.write('}\n')
print(f'wrote {", ".join(f"{len(golden[key])} {key}" for key in KEYS)} cases to {OUT}')
