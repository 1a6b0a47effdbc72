#!/usr/bin/env python3
"""Builds test/golden/layers_golden.json: reference outputs of keratorch's layers.

Each reference re-implements the Keras 2.3 layer in float64 PyTorch / numpy (TensorFlow's 'same'
padding, which may put the extra row / column at the bottom / right; average pooling that does not
count padded cells; BatchNormalization's moving averages with Keras 3's biased batch variance; Keras
2.3 made it unbiased first), independently of keratorch. Layers run in float64 in the test.

Run with Debian's system python (it has torch and numpy):

    /usr/bin/python3 test/golden/make_layers_golden.py

The output is deterministic (seeded numpy generator).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'layers_golden.json')
rng = np.random.default_rng(20240611)
CASES = []


def q(x, step=64):
    """Rounds to multiples of 1/step: short in JSON and exact in any float dtype."""
    return np.round(np.asarray(x, dtype=np.float64) * step) / step


def randn(*shape):
    return q(rng.standard_normal(shape))


def distinct(*shape, scale=0.25):
    """Distinct values (no ties for max pooling)."""
    n = int(np.prod(shape))
    return q((rng.permutation(n) - n / 2 + 0.5).reshape(shape) * scale)


def t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


def case(name, layer, config, inputs, expected, weights=(), training=False, weights_after=None, int_inputs=False):
    entry = {
        'name': name, 'layer': layer, 'config': dict(config, dtype='float64'),
        'weights': [np.asarray(w, dtype=np.float64).tolist() for w in weights],
        'inputs': [np.asarray(x).tolist() for x in inputs], 'intInputs': int_inputs,
        'training': training, 'expected': np.asarray(expected, dtype=np.float64).tolist(),
    }
    if weights_after is not None:
        entry['weightsAfter'] = [np.asarray(w, dtype=np.float64).tolist() for w in weights_after]
    CASES.append(entry)


def same_pads(size, kernel, stride, dilation=1):
    """TensorFlow's 'same': [before, after] so the output is ceil(size / stride); the extra goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def to_nchw(x, data_format):
    return x.permute(0, 3, 1, 2) if data_format == 'channelsLast' else x


def from_nchw(x, data_format):
    return x.permute(0, 2, 3, 1) if data_format == 'channelsLast' else x


# Dense on a rank-3 input (the last axis), tanh.
x = randn(2, 3, 4)
kernel = randn(4, 5)
bias = randn(5)
case('Dense/rank3-tanh', 'Dense', {'units': 5, 'activation': 'tanh'}, [x],
     torch.tanh(t(x) @ t(kernel) + t(bias)).numpy(), [kernel, bias])

# Conv2D: both layouts, 'same' with strides (asymmetric padding), 'valid' with dilation.
for data_format, padding, strides, dilation, size in [
        ('channelsLast', 'same', (2, 2), (1, 1), (7, 6)),
        ('channelsFirst', 'same', (2, 1), (1, 1), (6, 5)),
        ('channelsLast', 'valid', (1, 1), (2, 1), (7, 6)),
        ('channelsFirst', 'valid', (1, 2), (1, 1), (5, 6))]:
    kh, kw, cin, cout = 3, 2, 2, 3
    shape = (2, size[0], size[1], cin) if data_format == 'channelsLast' else (2, cin, size[0], size[1])
    x = randn(*shape)
    kernel = randn(kh, kw, cin, cout)
    bias = randn(cout)
    xn = to_nchw(t(x), data_format)
    if padding == 'same':
        top, bottom = same_pads(size[0], kh, strides[0], dilation[0])
        left, right = same_pads(size[1], kw, strides[1], dilation[1])
        xn = F.pad(xn, (left, right, top, bottom))
    y = F.conv2d(xn, t(kernel).permute(3, 2, 0, 1), t(bias), stride=strides, dilation=dilation)
    config = {'filters': cout, 'kernelSize': [kh, kw], 'strides': list(strides), 'padding': padding,
              'dataFormat': data_format, 'dilationRate': list(dilation)}
    case(f'Conv2D/{data_format}-{padding}-s{strides[0]}{strides[1]}-d{dilation[0]}{dilation[1]}', 'Conv2D', config, [x],
         from_nchw(y, data_format).numpy(), [kernel, bias])

# Pooling: 'same' pads with -inf (max) or excludes padded cells from the mean (average).
for layer, data_format, padding, pool, strides, size in [
        ('MaxPooling2D', 'channelsLast', 'valid', (2, 2), (2, 2), (5, 6)),
        ('MaxPooling2D', 'channelsFirst', 'same', (3, 3), (2, 2), (6, 5)),
        ('AveragePooling2D', 'channelsLast', 'same', (3, 2), (2, 2), (5, 5)),
        ('AveragePooling2D', 'channelsFirst', 'valid', (2, 3), (1, 2), (4, 7))]:
    shape = (2, size[0], size[1], 2) if data_format == 'channelsLast' else (2, 2, size[0], size[1])
    x = distinct(*shape)
    xn = to_nchw(t(x), data_format)
    if padding == 'same':
        top, bottom = same_pads(size[0], pool[0], strides[0])
        left, right = same_pads(size[1], pool[1], strides[1])
    else:
        top = bottom = left = right = 0
    pads = (left, right, top, bottom)
    if layer == 'MaxPooling2D':
        y = F.max_pool2d(F.pad(xn, pads, value=-math.inf), pool, strides)
    else:
        sums = F.avg_pool2d(F.pad(xn, pads), pool, strides) * (pool[0] * pool[1])
        counts = F.avg_pool2d(F.pad(torch.ones_like(xn), pads), pool, strides) * (pool[0] * pool[1])
        y = sums / counts
    config = {'poolSize': list(pool), 'strides': list(strides), 'padding': padding, 'dataFormat': data_format}
    case(f'{layer}/{data_format}-{padding}', layer, config, [x], from_nchw(y, data_format).numpy())

x = randn(2, 3, 4, 5)
case('GlobalAveragePooling2D/channelsFirst', 'GlobalAveragePooling2D', {'dataFormat': 'channelsFirst'}, [x],
     t(x).mean(dim=(2, 3)).numpy())
case('GlobalMaxPooling2D/channelsLast', 'GlobalMaxPooling2D', {}, [x], t(x).amax(dim=(1, 2)).numpy())
case('ZeroPadding2D/channelsFirst', 'ZeroPadding2D', {'padding': [[1, 2], [0, 3]], 'dataFormat': 'channelsFirst'}, [x],
     F.pad(t(x), (0, 3, 1, 2)).numpy())
case('ZeroPadding2D/channelsLast', 'ZeroPadding2D', {'padding': [2, 1]}, [x],
     F.pad(t(x), (0, 0, 1, 1, 2, 2)).numpy())
case('Flatten/channelsFirst', 'Flatten', {'dataFormat': 'channelsFirst'}, [x],
     t(x).permute(0, 2, 3, 1).reshape(2, -1).numpy())
case('Permute/3-1-2', 'Permute', {'dims': [3, 1, 2]}, [x], t(x).permute(0, 3, 1, 2).numpy())

# BatchNormalization, training: batch statistics; moving averages move towards them.
for axis, shape in [(-1, (6, 3)), (1, (4, 3, 2, 2))]:
    x = randn(*shape)
    gamma, beta = randn(3), randn(3)
    mean0, var0 = randn(3), q(rng.uniform(0.5, 2, 3))
    momentum, epsilon = 0.9, 0.01
    dims = tuple(i for i in range(len(shape)) if i != (axis % len(shape)))
    bshape = [1] * len(shape)
    bshape[axis % len(shape)] = 3
    xt = t(x)
    mean = xt.mean(dim=dims)
    var = xt.var(dim=dims, unbiased=False)
    y = (xt - mean.reshape(bshape)) / torch.sqrt(var.reshape(bshape) + epsilon) * t(gamma).reshape(bshape) + t(beta).reshape(bshape)
    moving_mean = t(mean0) * momentum + mean * (1 - momentum)
    moving_var = t(var0) * momentum + var * (1 - momentum)
    config = {'axis': axis, 'momentum': momentum, 'epsilon': epsilon}
    case(f'BatchNormalization/training-axis{axis}', 'BatchNormalization', config, [x], y.numpy(),
         [gamma, beta, mean0, var0], training=True, weights_after=[gamma, beta, moving_mean.numpy(), moving_var.numpy()])
    y_inf = (xt - t(mean0).reshape(bshape)) / torch.sqrt(t(var0).reshape(bshape) + epsilon) * t(gamma).reshape(bshape) \
        + t(beta).reshape(bshape)
    case(f'BatchNormalization/inference-axis{axis}', 'BatchNormalization', config, [x], y_inf.numpy(),
         [gamma, beta, mean0, var0], weights_after=[gamma, beta, mean0, var0])

# Embedding: rows of the matrix.
matrix = randn(6, 3)
ids = np.array([[0, 5, 2], [2, 2, 1]])
case('Embedding/lookup', 'Embedding', {'inputDim': 6, 'outputDim': 3}, [ids], matrix[ids], [matrix], int_inputs=True)

# Dot with normalize (cosine) on axes [2, 1].
a, b = randn(2, 3, 4), randn(2, 4, 5)
an = t(a) / torch.sqrt(torch.clamp((t(a) ** 2).sum(dim=2, keepdim=True), min=1e-12))
bn = t(b) / torch.sqrt(torch.clamp((t(b) ** 2).sum(dim=1, keepdim=True), min=1e-12))
case('Dot/normalize-axes-2-1', 'Dot', {'axes': [2, 1], 'normalize': True}, [a, b], torch.bmm(an, bn).numpy())

# Elementwise merges of a rank-3 and a rank-2 input: the smaller gains axes after the batch axis.
a, b = randn(2, 4, 3), randn(2, 3)
bt = t(b).unsqueeze(1)
for layer, fn in [('Add', lambda u, v: u + v), ('Subtract', lambda u, v: u - v), ('Multiply', lambda u, v: u * v),
                  ('Average', lambda u, v: (u + v) / 2), ('Maximum', torch.maximum), ('Minimum', torch.minimum)]:
    case(f'{layer}/rank3-with-rank2', layer, {}, [a, b], fn(t(a), bt).numpy())

with open(OUT, 'w') as f:
    f.write('{"generator":"test/golden/make_layers_golden.py","cases":[\n')
    f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in CASES))
    f.write('\n]}\n')
print(f'wrote {len(CASES)} cases to {OUT}')
