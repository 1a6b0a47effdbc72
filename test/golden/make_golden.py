#!/usr/bin/env python3
"""Builds test/golden/k_golden.json: reference values for keratorch's backend `K`.

Every reference below re-implements the Keras 2.3 TensorFlow-backend semantics of one K function
in float64 PyTorch / numpy (independently of keratorch's own code), on small fixed inputs. For
differentiable functions the gradients of sum(f(inputs) * w) with respect to each float input are
stored too, for a fixed random weight tensor w of the output's shape.

Run with Debian's system python (it has torch and numpy):

    /usr/bin/python3 test/golden/make_golden.py

The output is deterministic (seeded numpy generator, fixed literals).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'k_golden.json')
EPS = 1e-7  # Keras's default fuzz factor, K.epsilon()
FLOATS = ('float32', 'float64')
rng = np.random.default_rng(20240607)


# ---------------------------------------------------------------------------------------------
# Argument descriptors
# ---------------------------------------------------------------------------------------------

class TensorArg:
    """A tensor input. Float values are rounded to the input dtype first, so the reference sees
    exactly what keratorch sees."""

    def __init__(self, values, dtype='float32', grad=None):
        if dtype == 'bool':
            arr = np.asarray(values, dtype=bool)
        elif dtype in ('int32', 'int64', 'uint8'):
            arr = np.asarray(values, dtype=np.int64)
        elif dtype == 'float32':
            arr = np.asarray(values, dtype=np.float64).astype(np.float32).astype(np.float64)
        else:
            arr = np.asarray(values, dtype=np.float64)
        self.arr = arr
        self.dtype = dtype
        self.grad = (dtype in FLOATS) if grad is None else grad

    def describe(self):
        return {'kind': 'tensor', 'values': to_list(self.arr), 'shape': list(self.arr.shape),
                'dtype': self.dtype, 'grad': self.grad}

    def torch(self):
        if self.dtype in FLOATS:
            return torch.tensor(self.arr, dtype=torch.float64, requires_grad=self.grad)
        if self.dtype == 'bool':
            return torch.tensor(self.arr, dtype=torch.bool)
        return torch.tensor(self.arr, dtype=torch.int64)


class ListArg:
    """A JS array of tensors (concatenate, stack)."""

    def __init__(self, *items):
        self.items = items

    def describe(self):
        return {'kind': 'list', 'items': [i.describe() for i in self.items]}


class Undefined:
    """A skipped positional argument (JS undefined: the parameter's default)."""

    def describe(self):
        return {'kind': 'undefined'}


U = Undefined()


def T(values, dtype='float32', grad=None):
    return TensorArg(values, dtype, grad)


def q(x, step=64):
    """Rounds to multiples of 1/step: exact in float32 and short in JSON."""
    return np.round(np.asarray(x) * step) / step


def randn(*shape, scale=1.0):
    return q(rng.standard_normal(shape) * scale)


def uniform(lo, hi, *shape):
    return q(rng.uniform(lo, hi, shape))


def distinct(*shape, scale=0.25):
    """Distinct non-zero values (no ties: max / argmax / pooling gradients are unambiguous)."""
    n = int(np.prod(shape)) if shape else 1
    perm = rng.permutation(n).astype(np.float64)
    return ((perm - n / 2 + 0.5) * scale).reshape(shape)


def to_list(a):
    a = np.asarray(a)
    if a.dtype == bool:
        return a.tolist()
    if np.issubdtype(a.dtype, np.integer):
        return a.astype(np.int64).tolist()

    def enc(v):
        if isinstance(v, list):
            return [enc(e) for e in v]
        if math.isnan(v):
            return 'NaN'
        if math.isinf(v):
            return 'Infinity' if v > 0 else '-Infinity'
        return float(v)

    return enc(a.astype(np.float64).tolist())


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

CASES = []
NAMES = set()


def torch_dtype_name(t, float_name):
    if t.dtype in (torch.float64, torch.float32):
        return float_name
    return {torch.bool: 'bool', torch.int64: 'int64', torch.int32: 'int32', torch.uint8: 'uint8'}[t.dtype]


def case(name, fn, args, ref, out_dtype=None, rtol=None, atol=None, why=None, grads=True):
    """Adds one golden case.

    fn: the K function name; args: TensorArg / ListArg / U / plain JSON values, in K's positional
    order; ref: the reference, called with torch tensors (float64 leaves for float inputs) in
    place of tensor args and the plain values as they are.
    """
    assert name not in NAMES, name
    NAMES.add(name)
    leaves = []  # (path, tensor)

    def build(a, path):
        if isinstance(a, TensorArg):
            t = a.torch()
            if a.dtype in FLOATS and a.grad:
                leaves.append((path, t))
            return t
        if isinstance(a, ListArg):
            return [build(item, path + [i]) for i, item in enumerate(a.items)]
        if isinstance(a, Undefined):
            return None
        return a

    built = [build(a, [i]) for i, a in enumerate(args)]
    float_name = 'float32'
    for a in args:
        items = a.items if isinstance(a, ListArg) else [a]
        for item in items:
            if isinstance(item, TensorArg) and item.dtype == 'float64':
                float_name = 'float64'
    out = ref(*built)
    entry = {'name': name, 'fn': fn, 'args': [a.describe() if hasattr(a, 'describe') else a for a in args]}
    if not isinstance(out, torch.Tensor):
        entry['expected'] = {'plain': out}
        CASES.append(entry)
        return
    dtype = out_dtype or torch_dtype_name(out, float_name)
    entry['expected'] = {'values': to_list(out.detach().numpy()), 'shape': list(out.shape), 'dtype': dtype}
    if rtol is not None:
        entry['rtol'] = rtol
    if atol is not None:
        entry['atol'] = atol
    if why is not None:
        entry['why'] = why
    differentiable = grads and out.dtype.is_floating_point and out.requires_grad and leaves
    if differentiable:
        w = randn(*out.shape) if out.dim() > 0 else q(rng.standard_normal())
        w = np.asarray(w, dtype=np.float64)
        loss = (out * torch.tensor(w)).sum()
        gs = torch.autograd.grad(loss, [t for _, t in leaves], allow_unused=True)
        entry['w'] = {'values': to_list(w), 'shape': list(w.shape)}
        entry['grads'] = [
            {'arg': path, 'values': to_list((g if g is not None else torch.zeros_like(t)).numpy()),
             'shape': list(t.shape)}
            for (path, t), g in zip(leaves, gs)
        ]
    CASES.append(entry)


# ---------------------------------------------------------------------------------------------
# Keras 2.3 TensorFlow-backend semantics, written in torch (float64)
# ---------------------------------------------------------------------------------------------

def f32_range(y):
    """What float32 can hold: overflow to +-Infinity."""
    big = float(np.finfo(np.float32).max)
    return torch.where(y.abs() > big, torch.sign(y) * math.inf, y)


def to_f32(t):
    """Rounds a float64 tensor to float32 values (no gradient), as a float32 op's result is."""
    return torch.tensor(t.detach().numpy().astype(np.float32).astype(np.float64))


def k_floor_div(x, y):
    # TF FloorDiv on floats: floor(x / y) of the float32 quotient; its gradient is None (zeros here).
    q = x / y
    zero = 0 * q  # keeps the graph: d/dx = d/dy = 0
    return torch.floor(to_f32(q)) + zero


def k_sqrt(x):
    # Keras: x = tf.clip_by_value(x, 0., inf); tf.sqrt(x)
    return torch.sqrt(torch.clamp(x, min=0.0))


def k_clip(x, lo, hi):
    if hi is not None and lo is not None and hi < lo:
        hi = lo
    return torch.clamp(x, min=lo, max=hi)


def k_switch(cond, a, b):
    # Keras's switch aligns a lower-rank condition with the leading axes of the expressions
    # (TF1's tf.where picks whole rows for a rank-1 condition).
    cond = cond.to(torch.bool)
    if cond.dim() > 0 and cond.dim() < a.dim():
        cond = cond.reshape(list(cond.shape) + [1] * (a.dim() - cond.dim())).expand(a.shape)
    return torch.where(cond, a, b)


def k_relu(x, alpha=0.0, max_value=None, threshold=0.0):
    # Port of keras/backend/tensorflow_backend.py relu (2.3).
    if alpha != 0.0:
        negative_part = F.relu(-x + threshold) if threshold != 0 else F.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * (x > threshold).to(x.dtype)
    elif max_value == 6:
        x = torch.clamp(x, 0.0, 6.0)  # tf.nn.relu6
        clip_max = False
    else:
        x = F.relu(x)
    if clip_max:
        x = torch.clamp(x, 0.0, max_value)
    if alpha != 0.0:
        x = x - alpha * negative_part
    return x


def k_elu(x, alpha=1.0):
    res = torch.where(x > 0, x, torch.expm1(x))  # tf.nn.elu
    return res if alpha == 1 else torch.where(x > 0, res, alpha * res)


def k_leaky_relu(x, alpha=0.2):
    return torch.where(x >= 0, x, alpha * x)


def k_hard_sigmoid(x):
    # Keras 3's formula (Keras 2.3's was clip(0.2 x + 0.5, 0, 1)); keras_golden.json has it from Keras itself.
    return torch.clamp(x + 3, 0.0, 6.0) / 6


def k_softplus(x):
    return torch.logaddexp(x, torch.zeros_like(x))


def k_softsign(x):
    return x / (1 + torch.abs(x))


def k_softmax(x, axis=-1):
    e = torch.exp(x - x.max(dim=axis, keepdim=True).values.detach())
    return e / e.sum(dim=axis, keepdim=True)


def k_log_softmax(x, axis=-1):
    return x - torch.logsumexp(x, dim=axis, keepdim=True)


def norm_axes(axis, rank):
    if axis is None:
        return list(range(rank))
    axes = axis if isinstance(axis, list) else [axis]
    return sorted(a % rank for a in axes)


def reduce_with(fn):
    def go(x, axis=None, keepdims=False):
        axes = norm_axes(axis, x.dim())
        out = x
        for a in sorted(axes, reverse=True):
            out = fn(out, a)
            out = out.unsqueeze(a)
        if not keepdims:
            for a in sorted(axes, reverse=True):
                out = out.squeeze(a)
        return out
    return go


def k_sum(x, axis=None, keepdims=False):
    axes = norm_axes(axis, x.dim())
    return x.sum(dim=axes, keepdim=keepdims) if axes else x.sum()


def k_mean(x, axis=None, keepdims=False):
    axes = norm_axes(axis, x.dim())
    return x.mean(dim=axes, keepdim=keepdims)


k_max = reduce_with(lambda t, a: t.amax(dim=a))
k_min = reduce_with(lambda t, a: t.amin(dim=a))
k_prod = reduce_with(lambda t, a: t.prod(dim=a))


def k_var(x, axis=None, keepdims=False):
    # Keras: m = mean(x, axis, keepdims=True); mean(square(x - m), axis, keepdims)
    m = k_mean(x, axis, True)
    return k_mean((x - m) ** 2, axis, keepdims)


def k_std(x, axis=None, keepdims=False):
    return torch.sqrt(k_var(x, axis, keepdims))


def k_any(x, axis=None, keepdims=False):
    return reduce_with(lambda t, a: t.amax(dim=a))((x != 0).to(torch.int64), axis, keepdims).to(torch.bool)


def k_all(x, axis=None, keepdims=False):
    return reduce_with(lambda t, a: t.amin(dim=a))((x != 0).to(torch.int64), axis, keepdims).to(torch.bool)


def k_logsumexp(x, axis=None, keepdims=False):
    # tf.reduce_logsumexp: max-shifted, so large inputs do not overflow.
    axes = norm_axes(axis, x.dim())
    m = k_max(x, axis, True).detach()
    out = torch.log(torch.exp(x - m).sum(dim=axes, keepdim=True)) + m
    if not keepdims:
        for a in sorted(axes, reverse=True):
            out = out.squeeze(a)
    return out


def k_dot(x, y):
    # Port of Keras 2.3 dot: for rank > 2, reshape x to (-1, x[-1]) and y (second-to-last axis
    # first) to (y[-2], -1), matmul, reshape to x[:-1] + y[:-2] + y[-1:].
    if x.dim() > 2 or y.dim() > 2:
        xs, ys = list(x.shape), list(y.shape)
        perm = list(range(y.dim()))
        perm = [perm.pop(-2)] + perm
        xt = x.reshape(-1, xs[-1])
        yt = y.permute(perm).reshape(ys[-2], -1)
        return (xt @ yt).reshape(xs[:-1] + ys[:-2] + ys[-1:])
    return x @ y


def k_batch_dot(x, y, axes=None):
    # Port of Keras 2.3.1 batch_dot.
    x_ndim, y_ndim = x.dim(), y.dim()
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    axes = list(axes)
    if axes[0] < 0:
        axes[0] += x_ndim
    if axes[1] < 0:
        axes[1] += y_ndim
    a0, a1 = axes
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x = x.unsqueeze(1)
        a0 += 1
        x_ndim += 1
    if y_ndim == 2:
        y = y.unsqueeze(2)
        y_ndim += 1
    if a0 != x_ndim - 1:
        pattern = list(range(x_ndim))
        for i in range(a0, x_ndim - 1):
            pattern[i] = pattern[i + 1]
        pattern[-1] = a0
        x = x.permute(pattern)
    if a1 != 1:
        pattern = list(range(y_ndim))
        for i in range(a1, 1, -1):
            pattern[i] = pattern[i - 1]
        pattern[1] = a1
        y = y.permute(pattern)
    x_mid = y_trail = None
    if x_ndim > 3:
        x_mid = list(x.shape[1:-1])
        x = x.reshape(x.shape[0], -1, x.shape[-1])
    if y_ndim > 3:
        y_trail = list(y.shape[2:])
        y = y.reshape(y.shape[0], y.shape[1], -1)
    result = torch.matmul(x, y)
    out_shape = list(result.shape)
    if x_mid is not None:
        out_shape = out_shape[:1] + x_mid + out_shape[-1:]
    if y_trail is not None:
        out_shape = out_shape[:-1] + y_trail
    result = result.reshape(out_shape)
    if orig_x_ndim == 2:
        result = result.squeeze(1)
    elif orig_y_ndim == 2:
        result = result.squeeze(-1)
    return result


def same_pads(size, kernel, stride, dilation):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return out, total // 2, total - total // 2  # TF: the extra pad goes at the end


def k_conv2d(x, kernel, strides=(1, 1), padding='valid', data_format='channelsLast', dilation=(1, 1)):
    """Direct convolution (a loop over output cells) in NHWC with a (rows, cols, in, out) kernel."""
    strides = (strides, strides) if isinstance(strides, int) else tuple(strides)
    dilation = (dilation, dilation) if isinstance(dilation, int) else tuple(dilation)
    if data_format == 'channelsFirst':
        x = x.permute(0, 2, 3, 1)
    n, h, w, c = x.shape
    kh, kw, _, o = kernel.shape
    dims = []
    for size, k, s, d in ((h, kh, strides[0], dilation[0]), (w, kw, strides[1], dilation[1])):
        if padding == 'same':
            dims.append(same_pads(size, k, s, d))
        else:
            dims.append((-(-(size - (k - 1) * d) // s), 0, 0))
    (oh, pt, pb), (ow, pl, pr) = dims
    xp = x.new_zeros((n, h + pt + pb, w + pl + pr, c))
    xp[:, pt:pt + h, pl:pl + w, :] = x
    rows = []
    for i in range(oh):
        cols = []
        for j in range(ow):
            acc = 0
            for a in range(kh):
                for b in range(kw):
                    cell = xp[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1], :]
                    acc = acc + cell @ kernel[a, b]
            cols.append(acc)
        rows.append(torch.stack(cols, dim=1))
    out = torch.stack(rows, dim=1)  # (n, oh, ow, o)
    return out.permute(0, 3, 1, 2) if data_format == 'channelsFirst' else out


def k_pool2d(x, pool_size, strides=(1, 1), padding='valid', data_format='channelsLast', pool_mode='max'):
    """Direct pooling: each window over the cells inside the input (TF ignores padded cells)."""
    pool_size = (pool_size, pool_size) if isinstance(pool_size, int) else tuple(pool_size)
    strides = (strides, strides) if isinstance(strides, int) else tuple(strides)
    if data_format == 'channelsFirst':
        x = x.permute(0, 2, 3, 1)
    n, h, w, c = x.shape
    dims = []
    for size, k, s in ((h, pool_size[0], strides[0]), (w, pool_size[1], strides[1])):
        if padding == 'same':
            dims.append(same_pads(size, k, s, 1)[:2])
        else:
            dims.append((-(-(size - k + 1) // s), 0))
    (oh, pt), (ow, pl) = dims
    rows = []
    for i in range(oh):
        cols = []
        for j in range(ow):
            cells = [x[:, r, cc, :]
                     for r in range(i * strides[0] - pt, i * strides[0] - pt + pool_size[0])
                     for cc in range(j * strides[1] - pl, j * strides[1] - pl + pool_size[1])
                     if 0 <= r < h and 0 <= cc < w]
            stacked = torch.stack(cells, dim=0)
            cols.append(stacked.max(dim=0).values if pool_mode == 'max' else stacked.mean(dim=0))
        rows.append(torch.stack(cols, dim=1))
    out = torch.stack(rows, dim=1)
    return out.permute(0, 3, 1, 2) if data_format == 'channelsFirst' else out


def k_bias_add(x, bias, data_format='channelsLast'):
    # Port of Keras 2.3 bias_add (note: a full-rank bias for channels_first is given in
    # channels-last order (spatial..., channels) and *reshaped*, as Keras does).
    bs = tuple(bias.shape)
    cf = data_format == 'channelsFirst'
    if x.dim() == 5:
        new_shape = (1, 1, 1, 1, bs[0]) if len(bs) == 1 else (1,) + bs
        if cf:
            new_shape = (new_shape[0], new_shape[4]) + new_shape[1:4]
        return x + bias.reshape(new_shape)
    if x.dim() == 4:
        if cf:
            return x + (bias.reshape(1, bs[0], 1, 1) if len(bs) == 1 else bias.reshape((1, bs[2]) + bs[:2]))
        return x + (bias if len(bs) == 1 else bias.reshape((1,) + bs))
    if x.dim() == 3:
        if cf:
            return x + (bias.reshape(1, bs[0], 1) if len(bs) == 1 else bias.reshape(1, bs[1], bs[0]))
        return x + (bias.reshape(1, 1, bs[0]) if len(bs) == 1 else bias.reshape((1,) + bs))
    return x + bias


def k_l2_normalize(x, axis=None):
    axes = norm_axes(axis, x.dim())
    square_sum = (x * x).sum(dim=axes, keepdim=True)
    return x * torch.rsqrt(torch.clamp(square_sum, min=1e-12))


# TF builds the clip bounds as float32 constants: 1 - 1e-7 rounds to 0.99999988 (all the
# crossentropy cases are float32), which matters for log(1 - p + eps) at p = 1.
EPS_LO = float(np.float32(EPS))
EPS_HI = float(np.float32(1 - EPS))


def k_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        return -(target * k_log_softmax(output, axis)).sum(dim=axis)
    output = output / output.sum(dim=axis, keepdim=True)
    output = torch.clamp(output, EPS_LO, EPS_HI)
    return -(target * torch.log(output)).sum(dim=axis)


def k_sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    # Keras 2.3: move the class axis last, log(clip(p)) unless from_logits, then
    # sparse_softmax_cross_entropy_with_logits on (-1, classes), reshaped to output[:-1].
    rank = output.dim()
    axis = axis % rank
    if axis != rank - 1:
        perm = [i for i in range(rank) if i != axis] + [axis]
        output = output.permute(perm)
    if not from_logits:
        output = torch.log(torch.clamp(output, EPS_LO, EPS_HI))
    classes = output.shape[-1]
    labels = target.reshape(-1).to(torch.int64)
    logits = output.reshape(-1, classes)
    res = -k_log_softmax(logits, -1).gather(1, labels.unsqueeze(1)).squeeze(1)
    return res.reshape(output.shape[:-1])


def k_binary_crossentropy(target, output, from_logits=False):
    if from_logits:
        # tf.nn.sigmoid_cross_entropy_with_logits
        cond = output >= 0
        relu_logits = torch.where(cond, output, torch.zeros_like(output))
        neg_abs = torch.where(cond, -output, output)
        return relu_logits - output * target + torch.log1p(torch.exp(neg_abs))
    output = torch.clamp(output, EPS_LO, EPS_HI)
    # Keras 3: no eps inside the logs (Keras 2.3 had log(p + eps) and log(1 - p + eps)).
    bce = target * torch.log(output)
    bce = bce + (1 - target) * torch.log(1 - output)
    return -bce


def k_spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format='channelsLast'):
    (t, b), (l, r) = padding
    if data_format == 'channelsFirst':
        n, c, h, w = x.shape
        out = x.new_zeros((n, c, h + t + b, w + l + r))
        out[:, :, t:t + h, l:l + w] = x
    else:
        n, h, w, c = x.shape
        out = x.new_zeros((n, h + t + b, w + l + r, c))
        out[:, t:t + h, l:l + w, :] = x
    return out


def k_temporal_padding(x, padding=(1, 1)):
    n, s, c = x.shape
    out = x.new_zeros((n, s + padding[0] + padding[1], c))
    out[:, padding[0]:padding[0] + s, :] = x
    return out


def k_tile(x, n):
    reps = [n] if isinstance(n, int) else list(n)
    reps = [1] * (x.dim() - len(reps)) + reps  # numpy's tile
    return x.repeat(*reps)


def k_slice(x, start, size):
    idx = tuple(slice(s, x.shape[i] if n == -1 else s + n) for i, (s, n) in enumerate(zip(start, size)))
    return x[idx]


def k_gather(reference, indices):
    idx = indices if isinstance(indices, torch.Tensor) else torch.tensor(indices)
    return reference[idx.to(torch.int64)]


def k_arange(start, stop=None, step=1, dtype='int32'):
    if stop is None:  # Keras: arange(n) is range(n), and an empty range for n < 0
        start, stop = 0, max(start, 0)
    vals = np.arange(start, stop, step)
    return torch.tensor(vals.astype(np.float64 if dtype in FLOATS else np.int64))


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

def cases_creation():
    case('variable/nested', 'variable', [[[1, 2], [3, 4]]], lambda v: torch.tensor(v, dtype=torch.float64))
    case('variable/float64', 'variable', [[0.1, -2.5, 3], 'float64'],
         lambda v, d: torch.tensor(v, dtype=torch.float64), out_dtype='float64')
    case('constant/fill', 'constant', [2.5, U, [2, 3]], lambda v, d, s: torch.full(s, v))
    case('constant/reshape', 'constant', [[1, 2, 3, 4, 5, 6], 'int32', [3, 2]],
         lambda v, d, s: torch.tensor(v).reshape(s).to(torch.int64), out_dtype='int32')
    case('zeros', 'zeros', [[2, 3]], lambda s: torch.zeros(s))
    case('ones/int32', 'ones', [[3], 'int32'], lambda s, d: torch.ones(s, dtype=torch.int64), out_dtype='int32')
    case('eye', 'eye', [3], lambda n: torch.eye(n))
    case('zerosLike', 'zerosLike', [T(randn(2, 2))], lambda x: torch.zeros_like(x).detach())
    case('onesLike', 'onesLike', [T([[1, 2, 3]], 'int32')], lambda x: torch.ones_like(x), out_dtype='int32')
    case('arange/stop', 'arange', [5], lambda a: k_arange(a), out_dtype='int32')
    case('arange/start-stop-step', 'arange', [1, 8, 3], lambda a, b, c: k_arange(a, b, c), out_dtype='int32')
    case('arange/negative-step', 'arange', [5, 0, -2], lambda a, b, c: k_arange(a, b, c), out_dtype='int32')
    case('arange/float32', 'arange', [0, 1, 0.25, 'float32'], lambda a, b, c, d: k_arange(a, b, c, d))
    case('arange/negative-start-is-empty', 'arange', [-3], lambda a: k_arange(a), out_dtype='int32')
    x = T(randn(2, 3, 4))
    case('shape', 'shape', [x], lambda t: torch.tensor(list(t.shape)), out_dtype='int32')
    case('intShape', 'intShape', [x], lambda t: list(t.shape))
    case('ndim', 'ndim', [x], lambda t: t.dim())
    case('dtype', 'dtype', [T([1, 2], 'int64')], lambda t: 'int64')
    case('countParams', 'countParams', [x], lambda t: t.numel())
    v = T([[-1.75, -0.5, 0.25], [1.5, 2.75, -3.0]])
    case('cast/float32-to-int32', 'cast', [v, 'int32'], lambda t, d: t.trunc().to(torch.int64), out_dtype='int32')
    case('cast/float32-to-float64', 'cast', [v, 'float64'], lambda t, d: t * 1, out_dtype='float64')
    case('cast/float32-to-bool', 'cast', [T([0.0, -0.5, 2.0]), 'bool'], lambda t, d: t != 0)
    case('cast/int32-to-float32', 'cast', [T([[1, -2], [3, 4]], 'int32'), 'float32'],
         lambda t, d: t.to(torch.float64), out_dtype='float32')


def cases_math():
    a = T(randn(2, 3))
    b = T(randn(2, 3))
    row = T(randn(3))
    pos = T(uniform(0.5, 2.0, 2, 3))
    pos2 = T(uniform(0.5, 2.0, 2, 3))
    case('add', 'add', [a, b], lambda x, y: x + y)
    case('add/broadcast-row', 'add', [a, row], lambda x, y: x + y)
    case('add/scalar', 'add', [a, 1.5], lambda x, y: x + y)
    case('add/scalar-first', 'add', [-0.75, a], lambda x, y: x + y)
    case('add/float64', 'add', [T(randn(2, 2), 'float64'), T(randn(2, 2), 'float64')], lambda x, y: x + y,
         rtol=1e-12, atol=1e-14, why='float64 computes exactly like the reference')
    case('add/int32', 'add', [T([[1, -2], [3, 4]], 'int32'), T([[10, 20], [30, -40]], 'int32')],
         lambda x, y: x + y, out_dtype='int32')
    case('subtract', 'subtract', [a, b], lambda x, y: x - y)
    case('subtract/broadcast', 'subtract', [T(randn(2, 1)), row], lambda x, y: x - y)
    case('multiply', 'multiply', [a, b], lambda x, y: x * y)
    case('multiply/broadcast-3d', 'multiply', [T(randn(2, 1, 3)), T(randn(4, 1))], lambda x, y: x * y)
    case('multiply/scalar', 'multiply', [a, -2.5], lambda x, y: x * y)
    case('divide', 'divide', [a, pos], lambda x, y: x / y)
    case('divide/scalar', 'divide', [a, 4], lambda x, y: x / y)
    fd_x = T([[-7.0, 7.0, -7.5], [7.5, 0.5, -0.5]])
    fd_y = T([[2.0, -2.0, 2.0], [2.0, 0.25, 0.75]])
    case('floorDiv/float', 'floorDiv', [fd_x, fd_y], k_floor_div,
         why='floor(x / y) has zero gradient (TF FloorDiv registers none)')
    case('floorDiv/float-rounded-quotient', 'floorDiv', [T([1.0, 1.0, -1.0, 0.7]), T([0.1, 0.2, 0.1, 0.1])],
         k_floor_div, why='TF floors the float32 quotient: 1 // 0.1 is 10 (numpy and torch say 9)')
    case('floorDiv/float-by-scalar', 'floorDiv', [fd_x, 0.5], k_floor_div)
    case('floorDiv/int32', 'floorDiv', [T([-7, 7, -8, 9], 'int32'), T([2, -2, 3, 3], 'int32')],
         lambda x, y: torch.div(x, y, rounding_mode='floor'), out_dtype='int32')
    case('mod/float', 'mod', [fd_x, fd_y], lambda x, y: x - y * torch.floor(x / y).detach())
    case('mod/int32', 'mod', [T([-7, 7, -8, 9], 'int32'), T([2, -2, 3, -4], 'int32')],
         lambda x, y: torch.remainder(x, y), out_dtype='int32')
    case('pow/scalar-exponent', 'pow', [pos, 2.5], lambda x, e: x ** e)
    case('pow/integer-exponent-negative-base', 'pow', [a, 3], lambda x, e: x ** e)
    case('pow/tensor-exponent', 'pow', [pos, T(randn(2, 3))], lambda x, e: x ** e)
    ma = T(distinct(2, 3))
    mb = T(distinct(2, 3, scale=0.3))
    case('minimum', 'minimum', [ma, mb], lambda x, y: torch.where(x <= y, x, y))
    case('maximum', 'maximum', [ma, mb], lambda x, y: torch.where(x >= y, x, y))
    case('maximum/scalar', 'maximum', [ma, 0.1], lambda x, y: torch.where(x >= y, x, torch.full_like(x, y)))
    ca = T([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    cb = T([[1.0, 0.0, 3.5], [4.0, 6.0, 5.0]])
    case('equal', 'equal', [ca, cb], lambda x, y: x == y)
    case('equal/scalar', 'equal', [ca, 3], lambda x, y: x == y)
    case('notEqual', 'notEqual', [ca, cb], lambda x, y: x != y)
    case('greater', 'greater', [ca, cb], lambda x, y: x > y)
    case('greaterEqual', 'greaterEqual', [ca, cb], lambda x, y: x >= y)
    case('less', 'less', [ca, cb], lambda x, y: x < y)
    case('lessEqual', 'lessEqual', [ca, cb], lambda x, y: x <= y)
    case('less/int32-broadcast', 'less', [T([[1, 5], [3, 2]], 'int32'), T([2, 4], 'int32')], lambda x, y: x < y)
    ba = T([[True, True], [False, False]], 'bool')
    bb = T([[True, False], [True, False]], 'bool')
    case('logicalAnd', 'logicalAnd', [ba, bb], lambda x, y: x & y)
    case('logicalOr', 'logicalOr', [ba, bb], lambda x, y: x | y)
    case('logicalNot', 'logicalNot', [bb], lambda x: ~x)

    u = T(randn(2, 3))
    case('neg', 'neg', [u], lambda x: -x)
    case('abs', 'abs', [u], lambda x: torch.abs(x))
    case('square', 'square', [u], lambda x: x * x)
    case('sqrt', 'sqrt', [pos], k_sqrt)
    case('sqrt/negatives-clip-to-zero', 'sqrt', [T([[-1.0, 4.0, -0.25], [0.25, 9.0, -4.0]])], k_sqrt,
         why='Keras clips negatives to 0 first: value 0 and gradient 0 there')
    case('exp', 'exp', [u], torch.exp)
    case('log', 'log', [pos], torch.log)
    case('log1p', 'log1p', [T(uniform(-0.5, 2.0, 2, 3))], torch.log1p)
    case('sign', 'sign', [T([[-2.0, 0.0, 3.5], [-0.25, 1.0, 0.0]])], torch.sign)
    case('round/half-to-even', 'round', [T([[0.5, 1.5, 2.5, -0.5], [-1.5, -2.5, 0.4, 2.6]])], torch.round,
         why='TF rounds half to even')
    case('floor', 'floor', [T([[-1.5, -0.25, 0.0], [0.75, 2.0, 2.5]])], torch.floor)
    case('ceil', 'ceil', [T([[-1.5, -0.25, 0.0], [0.75, 2.0, 2.5]])], torch.ceil)
    case('sin', 'sin', [u], torch.sin)
    case('cos', 'cos', [u], torch.cos)
    case('tan', 'tan', [T(uniform(-1.2, 1.2, 2, 3))], torch.tan)
    case('reciprocal', 'reciprocal', [T([[0.5, -2.0, 4.0], [-0.25, 3.0, 1.5]])], torch.reciprocal)
    case('isNaN', 'isNaN', [T([[1.0, float('nan'), -2.0], [float('inf'), float('nan'), 0.0]])], torch.isnan)
    case('exp/overflow-to-inf', 'exp', [T([0.0, 100.0, -200.0])], lambda t: f32_range(torch.exp(t)), grads=False,
         why='float32 overflow: e^100 is Infinity, e^-200 is 0')
    cx = T(distinct(2, 4, scale=0.5))
    case('clip', 'clip', [cx, -1.1, 1.3], k_clip)
    case('clip/min-only', 'clip', [cx, 0.1, None], k_clip)
    case('clip/max-only', 'clip', [cx, None, -0.1], k_clip)
    case('clip/max-below-min', 'clip', [cx, 0.6, -2.0], k_clip, why='Keras: max < min acts as max = min')
    cond = T([[True, False, True], [False, False, True]], 'bool')
    case('where', 'where', [cond, a, b], torch.where)
    case('where/broadcast-scalar', 'where', [cond, a, 0.5], lambda c, x, y: torch.where(c, x, torch.full_like(x, y)))
    case('switch/same-rank', 'switch', [cond, a, b], k_switch)
    case('switch/rank1-condition-picks-rows', 'switch', [T([True, False], 'bool'), a, b], k_switch,
         why='Keras switch aligns a lower-rank condition with the leading axes')
    case('switch/rank2-condition-rank3-expr', 'switch', [T([[True, False, True], [False, True, True]], 'bool'),
                                                         T(randn(2, 3, 2)), T(randn(2, 3, 2))], k_switch)
    case('switch/scalar-condition', 'switch', [T(False, 'bool'), a, b], k_switch)
    case('switch/float-condition', 'switch', [T([[1.0, 0.0, -2.0], [0.0, 0.5, 0.0]], grad=False), a, b], k_switch)


def cases_reductions():
    x = T(randn(2, 3, 4))
    d = T(distinct(2, 3, 4, scale=0.125))
    p = T(uniform(0.5, 1.5, 2, 3, 2))
    m = T(randn(3, 4))
    case('sum/all', 'sum', [x], k_sum)
    case('sum/axis1', 'sum', [x, 1], k_sum)
    case('sum/axis-neg1-keepdims', 'sum', [x, -1, True], k_sum)
    case('sum/axes-0-2', 'sum', [x, [0, 2]], k_sum)
    case('sum/scalar-input', 'sum', [T(2.5)], k_sum)
    case('sum/int32', 'sum', [T([[1, 2, 3], [4, 5, 6]], 'int32'), 0], k_sum, out_dtype='int32',
         why='TF keeps the integer dtype (libtorch would widen int32 to int64)')
    case('prod/int32', 'prod', [T([[1, -2, 3], [4, 5, 6]], 'int32'), 1], k_prod, out_dtype='int32',
         why='TF keeps the integer dtype')
    case('max/int32', 'max', [T([[1, -2, 3], [4, 5, 6]], 'int32'), 1], k_max, out_dtype='int32')
    case('mean/all', 'mean', [x], k_mean)
    case('mean/axis0-keepdims', 'mean', [x, 0, True], k_mean)
    case('mean/axes-1-2', 'mean', [x, [1, -1]], k_mean)
    case('mean/bool-is-floatx', 'mean', [T([[True, False, True], [True, True, True]], 'bool'), 1],
         lambda t, a: k_mean(t.to(torch.float64), a), out_dtype='float32', why='Keras casts bool to floatx()')
    case('max/all', 'max', [d], k_max)
    case('max/axis1', 'max', [d, 1], k_max)
    case('max/axes-0-2-keepdims', 'max', [d, [0, 2], True], k_max)
    case('min/axis-neg1', 'min', [d, -1], k_min)
    case('min/all', 'min', [d], k_min)
    case('prod/all', 'prod', [p], k_prod)
    case('prod/axis1', 'prod', [p, 1], k_prod)
    case('prod/axes-0-2-keepdims', 'prod', [p, [0, 2], True], k_prod)
    case('std/all', 'std', [x], k_std, why='population std (no Bessel correction)')
    case('std/axis1', 'std', [x, 1], k_std)
    case('std/axes-0-1-keepdims', 'std', [x, [0, 1], True], k_std)
    case('var/all', 'var', [x], k_var)
    case('var/axis-neg1', 'var', [x, -1], k_var)
    case('var/axis0-keepdims', 'var', [m, 0, True], k_var)
    ab = T([[0.0, 0.0, 1.5], [0.0, 0.0, 0.0], [2.0, -1.0, 3.0]])
    case('any/all', 'any', [ab], k_any)
    case('any/axis1', 'any', [ab, 1], k_any)
    case('any/axis0-keepdims', 'any', [ab, 0, True], k_any)
    case('all/all', 'all', [ab], k_all)
    case('all/axis1', 'all', [ab, 1], k_all)
    case('all/bool-axis0', 'all', [T([[True, False], [True, True]], 'bool'), 0], k_all)
    case('any/bool', 'any', [T([[False, False], [True, False]], 'bool'), -1], k_any)
    case('argmax/default-last-axis', 'argmax', [d], lambda t: t.argmax(dim=-1))
    case('argmax/axis0', 'argmax', [d, 0], lambda t, a: t.argmax(dim=a))
    case('argmax/axis1-keepdims', 'argmax', [d, 1, True], lambda t, a, k: t.argmax(dim=a, keepdim=k))
    case('argmin/default-last-axis', 'argmin', [d], lambda t: t.argmin(dim=-1))
    case('argmin/axis1', 'argmin', [d, 1], lambda t, a: t.argmin(dim=a))
    case('argmax/int32', 'argmax', [T([[3, 9, 1], [7, 2, 8]], 'int32'), 1], lambda t, a: t.argmax(dim=a))
    case('cumsum/default-axis0', 'cumsum', [m], lambda t: torch.cumsum(t, 0))
    case('cumsum/axis1', 'cumsum', [m, 1], lambda t, a: torch.cumsum(t, a))
    case('cumsum/axis-neg1-3d', 'cumsum', [x, -1], lambda t, a: torch.cumsum(t, a))
    case('cumprod/axis0', 'cumprod', [T(uniform(0.5, 1.5, 3, 4))], lambda t: torch.cumprod(t, 0))
    signs = np.where(rng.random((3, 4)) < 0.5, -1.0, 1.0)
    case('cumprod/axis1-mixed-signs', 'cumprod', [T(signs * uniform(0.5, 1.5, 3, 4)), 1],
         lambda t, a: torch.cumprod(t, a))
    case('cumsum/int32', 'cumsum', [T([[1, -2, 3], [4, 5, -6]], 'int32'), 1], lambda t, a: torch.cumsum(t, a),
         out_dtype='int32', why='TF keeps the integer dtype')
    case('logsumexp/all', 'logsumexp', [x], k_logsumexp)
    case('logsumexp/axis1', 'logsumexp', [x, 1], k_logsumexp)
    case('logsumexp/axis-neg1-keepdims', 'logsumexp', [x, -1, True], k_logsumexp)
    case('logsumexp/large-values-stable', 'logsumexp', [T([[1000.0, 1000.5], [-1000.0, -999.0]]), 1],
         k_logsumexp, rtol=1e-4,
         why='must not overflow; float32 holds lse ~ 1001 to 6e-5, so the gradient exp(x - lse) is good to ~6e-5')


def cases_linalg():
    case('dot/2x2', 'dot', [T([[1, 2], [3, 4]]), T([[5, 6], [7, 8]])], k_dot)
    case('dot/2x3-3x4', 'dot', [T(randn(2, 3)), T(randn(3, 4))], k_dot)
    case('dot/float64', 'dot', [T(randn(2, 3), 'float64'), T(randn(3, 2), 'float64')], k_dot,
         rtol=1e-12, atol=1e-14, why='float64 compute')
    case('dot/rank3-rank3', 'dot', [T(randn(2, 3, 4)), T(randn(3, 4, 2))], k_dot)
    case('dot/rank2-rank3', 'dot', [T(randn(3, 4)), T(randn(2, 4, 5))], k_dot)
    case('dot/rank3-rank2', 'dot', [T(randn(2, 3, 4)), T(randn(4, 2))], k_dot)
    case('dot/rank1-rank3', 'dot', [T(randn(3)), T(randn(2, 3, 2))], k_dot)
    case('batchDot/article-axes1', 'batchDot', [T([[1, 2], [3, 4]]), T([[5, 6], [7, 8]]), 1], k_batch_dot)
    case('batchDot/rank2-default-axes', 'batchDot', [T(randn(3, 4)), T(randn(3, 4))], k_batch_dot,
         why='Keras 2.3: default axes for a rank-2 y are [x.ndim-1, 1]; output (batch, 1)')
    case('batchDot/rank3-default', 'batchDot', [T(randn(2, 3, 4)), T(randn(2, 4, 5))], k_batch_dot)
    case('batchDot/rank3-axes-1-2', 'batchDot', [T(randn(2, 3, 4)), T(randn(2, 5, 3)), [1, 2]], k_batch_dot)
    case('batchDot/rank3-axes-2', 'batchDot', [T(randn(2, 3, 4)), T(randn(2, 5, 4)), 2], k_batch_dot)
    case('batchDot/rank2-rank3', 'batchDot', [T(randn(2, 3)), T(randn(2, 3, 5))], k_batch_dot)
    case('batchDot/rank3-rank2-default', 'batchDot', [T(randn(2, 3, 4)), T(randn(2, 4))], k_batch_dot,
         why='default axes [2, 1] for a rank-2 y')
    case('batchDot/rank4-rank3-axes-3-1', 'batchDot', [T(randn(2, 2, 3, 4)), T(randn(2, 4, 3)), [3, 1]],
         k_batch_dot)
    case('batchDot/rank3-rank4', 'batchDot', [T(randn(2, 3, 4)), T(randn(2, 2, 4, 3))], k_batch_dot,
         why='default axes [2, 2]; y\'s other axes (1, 3) follow x\'s')
    case('batchDot/negative-axes', 'batchDot', [T(randn(2, 3, 4)), T(randn(2, 4, 5)), [-1, -2]], k_batch_dot)
    case('transpose/2d', 'transpose', [T(randn(2, 3))], lambda t: t.t())
    case('transpose/3d', 'transpose', [T(randn(2, 3, 4))], lambda t: t.permute(2, 1, 0))


def cases_shapes():
    x = T(randn(2, 3, 4))
    m = T(randn(3, 4))
    case('reshape', 'reshape', [x, [4, 6]], lambda t, s: t.reshape(s))
    case('reshape/minus-one', 'reshape', [x, [2, -1, 2]], lambda t, s: t.reshape(s))
    case('permuteDimensions', 'permuteDimensions', [x, [2, 0, 1]], lambda t, p: t.permute(p))
    case('expandDims/default-last', 'expandDims', [m], lambda t: t.unsqueeze(-1))
    case('expandDims/axis0', 'expandDims', [m, 0], lambda t, a: t.unsqueeze(a))
    case('expandDims/axis1', 'expandDims', [m, 1], lambda t, a: t.unsqueeze(a))
    case('squeeze/axis1', 'squeeze', [T(randn(3, 1, 2)), 1], lambda t, a: t.squeeze(a))
    case('squeeze/axis-neg1', 'squeeze', [T(randn(2, 3, 1)), -1], lambda t, a: t.squeeze(a))
    case('flatten', 'flatten', [x], lambda t: t.reshape(-1))
    case('batchFlatten', 'batchFlatten', [x], lambda t: t.reshape(t.shape[0], -1))
    a, b, c = T(randn(2, 3)), T(randn(2, 2)), T(randn(2, 1))
    case('concatenate/default-last-axis', 'concatenate', [ListArg(a, b, c)], lambda ts: torch.cat(ts, -1))
    case('concatenate/axis0', 'concatenate', [ListArg(T(randn(1, 3)), a), 0], lambda ts, ax: torch.cat(ts, ax))
    case('concatenate/3d-axis1', 'concatenate', [ListArg(T(randn(2, 1, 2)), T(randn(2, 3, 2))), 1],
         lambda ts, ax: torch.cat(ts, ax))
    s1, s2 = T(randn(2, 3)), T(randn(2, 3))
    case('stack/default-axis0', 'stack', [ListArg(s1, s2, T(randn(2, 3)))], lambda ts: torch.stack(ts, 0))
    case('stack/axis1', 'stack', [ListArg(s1, s2), 1], lambda ts, ax: torch.stack(ts, ax))
    case('stack/axis-neg1', 'stack', [ListArg(s1, s2), -1], lambda ts, ax: torch.stack(ts, ax))
    case('tile/list', 'tile', [T(randn(2, 3)), [2, 3]], k_tile)
    case('tile/number', 'tile', [T(randn(2, 3)), 2], k_tile, why='numpy tile: a number repeats the last axis')
    case('tile/3d', 'tile', [T(randn(1, 2, 2)), [2, 1, 2]], k_tile)
    case('repeat', 'repeat', [T(randn(2, 3)), 3], lambda t, n: t.unsqueeze(1).repeat(1, n, 1))
    case('repeatElements/axis0', 'repeatElements', [T(randn(2, 3)), 2, 0],
         lambda t, r, a: torch.repeat_interleave(t, r, dim=a))
    case('repeatElements/axis1', 'repeatElements', [T(randn(2, 3)), 3, 1],
         lambda t, r, a: torch.repeat_interleave(t, r, dim=a))
    case('reverse/axis0', 'reverse', [x, 0], lambda t, a: torch.flip(t, [a]))
    case('reverse/axes-list', 'reverse', [x, [1, -1]], lambda t, a: torch.flip(t, [1, 2]))
    case('slice', 'slice', [x, [1, 0, 1], [1, 2, 3]], k_slice)
    case('slice/minus-one-size', 'slice', [x, [0, 1, 2], [-1, -1, 2]], k_slice)
    ref = T(randn(3, 2))
    case('gather/index-number-rank0', 'gather', [ref, 1], k_gather)
    case('gather/index-tensor-rank0', 'gather', [ref, T(2, 'int32')], k_gather)
    case('gather/index-tensor-rank1-repeats', 'gather', [ref, T([2, 0, 2, 1], 'int32')], k_gather,
         why='repeated indices accumulate gradient')
    case('gather/index-tensor-rank2', 'gather', [ref, T([[0, 1], [2, 2], [1, 0]], 'int64')], k_gather)
    case('gather/index-js-array', 'gather', [ref, [1, 1, 0]], k_gather)
    case('gather/3d-reference', 'gather', [T(randn(4, 2, 3)), T([3, 0], 'int32')], k_gather)
    case('oneHot/rank1', 'oneHot', [T([0, 2, 1, 0], 'int32'), 3], lambda t, n: F.one_hot(t, n),
         out_dtype='float32')
    case('oneHot/rank2-int64', 'oneHot', [T([[1, 3], [0, 2]], 'int64'), 4], lambda t, n: F.one_hot(t, n),
         out_dtype='float32')
    img = T(randn(2, 2, 3, 2))
    case('spatial2dPadding/default', 'spatial2dPadding', [img], k_spatial_2d_padding)
    case('spatial2dPadding/asymmetric-channelsLast', 'spatial2dPadding', [img, [[0, 2], [1, 3]]],
         k_spatial_2d_padding)
    case('spatial2dPadding/asymmetric-channelsFirst', 'spatial2dPadding',
         [img, [[1, 0], [2, 1]], 'channelsFirst'], k_spatial_2d_padding)
    case('temporalPadding/default', 'temporalPadding', [T(randn(2, 3, 2))], k_temporal_padding)
    case('temporalPadding/asymmetric', 'temporalPadding', [T(randn(2, 3, 2)), [2, 0]], k_temporal_padding)


def cases_nn():
    r = T(distinct(2, 5, scale=0.75))  # values from -3.375 to 3.375, none 0, none on a threshold
    case('relu', 'relu', [r], k_relu)
    case('relu/alpha', 'relu', [r, 0.1], k_relu)
    case('relu/maxValue', 'relu', [r, 0, 2.0], k_relu)
    case('relu/maxValue-6', 'relu', [T(distinct(2, 5, scale=1.6)), 0, 6], k_relu)
    case('relu/threshold', 'relu', [r, 0, None, 1.0], k_relu)
    case('relu/negative-threshold', 'relu', [r, 0, None, -1.0], k_relu,
         why='Keras keeps x > threshold, so negatives above a negative threshold pass')
    case('relu/alpha-maxValue-threshold', 'relu', [r, 0.2, 2.5, 0.5], k_relu)
    case('relu/alpha-threshold', 'relu', [r, 0.3, None, -0.5], k_relu)
    case('elu/default', 'elu', [r], k_elu)
    case('elu/alpha', 'elu', [r, 0.5], k_elu)
    case('leakyRelu/default', 'leakyRelu', [r], k_leaky_relu)
    case('leakyRelu/alpha', 'leakyRelu', [r, 0.05], k_leaky_relu)
    case('sigmoid', 'sigmoid', [r], torch.sigmoid)
    case('hardSigmoid', 'hardSigmoid', [r], k_hard_sigmoid, why="relu6(x + 3) / 6 (Keras 3)")
    case('tanh', 'tanh', [r], torch.tanh)
    case('softplus', 'softplus', [T([[-30.0, -2.0, -0.5, 0.25], [1.0, 3.0, 19.5, 25.0]])], k_softplus)
    case('softsign', 'softsign', [r], k_softsign)
    sx = T(randn(2, 3, 4))
    case('softmax/default-last-axis', 'softmax', [T(randn(3, 4))], k_softmax)
    case('softmax/axis0', 'softmax', [T(randn(3, 4)), 0], k_softmax)
    case('softmax/3d-axis1', 'softmax', [sx, 1], k_softmax)
    case('softmax/large-logits', 'softmax', [T([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0]])],
         k_softmax, why='must not overflow')
    case('softmax/float64', 'softmax', [T(randn(2, 3), 'float64')], k_softmax, rtol=1e-12, atol=1e-14,
         why='float64 compute')
    case('logSoftmax/default', 'logSoftmax', [T(randn(3, 4))], k_log_softmax)
    case('logSoftmax/axis1-3d', 'logSoftmax', [sx, 1], k_log_softmax)
    case('dropout/level0-is-identity', 'dropout', [T(randn(2, 3)), 0], lambda t, l: t * 1)

    # conv2d: x, kernel (rows, cols, in, out), strides, padding, dataFormat, dilationRate
    x44 = T(randn(1, 4, 4, 2))
    k33 = T(randn(3, 3, 2, 3, scale=0.5))
    case('conv2d/valid-channelsLast-defaults', 'conv2d', [x44, k33], k_conv2d)
    case('conv2d/same-channelsLast', 'conv2d', [x44, k33, [1, 1], 'same'], k_conv2d)
    case('conv2d/same-stride2-asymmetric-pad', 'conv2d', [x44, k33, [2, 2], 'same'], k_conv2d,
         why='4x4, k3, s2: total pad 1 goes to the bottom/right as in TF')
    case('conv2d/valid-stride2-number', 'conv2d', [T(randn(1, 5, 5, 2)), k33, 2, 'valid'], k_conv2d)
    case('conv2d/same-even-kernel', 'conv2d', [T(randn(2, 3, 4, 2)), T(randn(2, 2, 2, 2, scale=0.5)), 1, 'same'],
         k_conv2d, why='2x2 kernel, stride 1: pad 0 top/left and 1 bottom/right')
    xcf = T(randn(2, 2, 5, 4))
    case('conv2d/channelsFirst-valid', 'conv2d', [xcf, k33, [1, 1], 'valid', 'channelsFirst'], k_conv2d)
    case('conv2d/channelsFirst-same', 'conv2d', [xcf, k33, [1, 1], 'same', 'channelsFirst'], k_conv2d)
    case('conv2d/channelsFirst-same-strides-2-1', 'conv2d', [xcf, T(randn(2, 3, 2, 2, scale=0.5)), [2, 1], 'same',
                                                             'channelsFirst'], k_conv2d)
    case('conv2d/channelsFirst-valid-strides-1-2', 'conv2d', [xcf, k33, [1, 2], 'valid', 'channelsFirst'], k_conv2d)
    x66 = T(randn(1, 6, 5, 2))
    case('conv2d/dilation2-valid', 'conv2d', [x66, k33, 1, 'valid', 'channelsLast', 2], k_conv2d)
    case('conv2d/dilation2-same', 'conv2d', [x66, k33, 1, 'same', 'channelsLast', [2, 2]], k_conv2d,
         why='effective kernel 5: pad 2 each side')
    case('conv2d/dilation-2-1-same-channelsFirst', 'conv2d',
         [T(randn(1, 2, 5, 4)), T(randn(2, 3, 2, 1, scale=0.5)), 1, 'same', 'channelsFirst', [2, 1]], k_conv2d,
         why='effective kernel 3x3 from a dilated 2-row kernel: pad 1/1 rows, 1/1 cols')
    case('conv2d/float64', 'conv2d', [T(randn(1, 3, 3, 1), 'float64'), T(randn(2, 2, 1, 2), 'float64'), 1, 'same'],
         k_conv2d, rtol=1e-12, atol=1e-13, why='float64 compute')
    case('conv2d/1x1-kernel', 'conv2d', [T(randn(2, 2, 3, 3)), T(randn(1, 1, 3, 2))], k_conv2d)

    # pool2d: x, poolSize, strides, padding, dataFormat, poolMode
    px = T(distinct(1, 5, 5, 2, scale=0.125))
    case('pool2d/max-valid-defaults', 'pool2d', [px, [2, 2]], k_pool2d)
    case('pool2d/max-valid-stride2', 'pool2d', [px, [2, 2], [2, 2], 'valid'], k_pool2d)
    case('pool2d/max-same-stride2', 'pool2d', [px, 2, 2, 'same'], k_pool2d,
         why='5x5, pool 2, stride 2: pad 1 at bottom/right, padded cells never win')
    negatives = -(rng.permutation(16) + 1).reshape(1, 4, 4, 1) * 0.25
    case('pool2d/max-same-pool3-stride1', 'pool2d', [T(negatives), 3, 1, 'same'], k_pool2d,
         why='all-negative inputs: a zero pad would win if padding were counted')
    case('pool2d/avg-valid', 'pool2d', [px, [3, 3], [2, 2], 'valid', 'channelsLast', 'avg'], k_pool2d)
    case('pool2d/avg-same-stride2', 'pool2d', [px, [2, 2], [2, 2], 'same', 'channelsLast', 'avg'], k_pool2d,
         why='padded cells are excluded from the average')
    case('pool2d/avg-same-pool3-stride1', 'pool2d', [T(randn(2, 3, 4, 2)), [3, 3], [1, 1], 'same', 'channelsLast',
                                                     'avg'], k_pool2d, why='edge windows average 4 or 6 cells')
    pcf = T(distinct(2, 2, 4, 5, scale=0.125))
    case('pool2d/max-channelsFirst-same', 'pool2d', [pcf, [2, 3], [2, 2], 'same', 'channelsFirst', 'max'], k_pool2d)
    case('pool2d/avg-channelsFirst-same', 'pool2d', [pcf, [2, 3], [1, 2], 'same', 'channelsFirst', 'avg'], k_pool2d)
    case('pool2d/avg-channelsFirst-valid', 'pool2d', [pcf, [2, 2], [1, 1], 'valid', 'channelsFirst', 'avg'], k_pool2d)

    # biasAdd
    case('biasAdd/rank2', 'biasAdd', [T(randn(2, 3)), T(randn(3))], k_bias_add)
    case('biasAdd/rank4-channelsLast', 'biasAdd', [T(randn(2, 2, 3, 2)), T(randn(2))], k_bias_add)
    case('biasAdd/rank4-channelsFirst', 'biasAdd', [T(randn(2, 3, 2, 2)), T(randn(3)), 'channelsFirst'], k_bias_add)
    case('biasAdd/rank3-channelsFirst', 'biasAdd', [T(randn(2, 3, 4)), T(randn(3)), 'channelsFirst'], k_bias_add)
    case('biasAdd/rank3-full-bias-channelsLast', 'biasAdd', [T(randn(2, 3, 4)), T(randn(3, 4))], k_bias_add)
    case('biasAdd/rank4-full-bias-channelsLast', 'biasAdd', [T(randn(2, 2, 3, 2)), T(randn(2, 3, 2))], k_bias_add)
    case('biasAdd/rank4-full-bias-channelsFirst', 'biasAdd',
         [T(randn(2, 3, 2, 4)), T(randn(2, 4, 3)), 'channelsFirst'], k_bias_add,
         why='Keras: a full bias for channels_first is (rows, cols, channels), reshaped to (1, channels, rows, cols)')

    case('biasAdd/rank3-full-bias-channelsFirst', 'biasAdd', [T(randn(2, 3, 4)), T(randn(4, 3)), 'channelsFirst'],
         k_bias_add, why='Keras reshapes the (steps, channels) bias to (1, channels, steps)')
    case('biasAdd/rank5-channelsFirst', 'biasAdd', [T(randn(1, 2, 2, 3, 2)), T(randn(2)), 'channelsFirst'],
         k_bias_add)
    case('biasAdd/rank5-full-bias-channelsFirst', 'biasAdd',
         [T(randn(1, 2, 2, 3, 2)), T(randn(2, 3, 2, 2)), 'channelsFirst'], k_bias_add)

    # l2Normalize
    lx = T(randn(3, 4))
    case('l2Normalize/all', 'l2Normalize', [lx], k_l2_normalize)
    case('l2Normalize/axis1', 'l2Normalize', [lx, 1], k_l2_normalize)
    case('l2Normalize/axis0', 'l2Normalize', [lx, 0], k_l2_normalize)
    case('l2Normalize/zero-row', 'l2Normalize', [T([[0.0, 0.0, 0.0], [3.0, -4.0, 0.0], [1e-7, 0.0, 0.0]]), -1],
         k_l2_normalize, why='the sum of squares is floored at 1e-12')

    # crossentropies
    onehot = T([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    soft = T([[0.25, 0.5, 0.25], [0.75, 0.0, 0.25], [0.0, 0.125, 0.875]])
    probs = T([[0.2, 0.5, 0.3], [0.9, 1e-9, 0.1], [1.5, 0.25, 0.25]])
    logits = T([[1.5, -0.5, 0.25], [-2.0, 3.0, 0.75], [0.5, 0.5, -1.25]])
    case('categoricalCrossentropy/probs', 'categoricalCrossentropy', [onehot, probs], k_categorical_crossentropy,
         why='output normalized to sum 1, then clipped to [1e-7, 1 - 1e-7]')
    case('categoricalCrossentropy/probs-soft-target', 'categoricalCrossentropy', [soft, probs],
         k_categorical_crossentropy)
    case('categoricalCrossentropy/probs-clipped-at-one', 'categoricalCrossentropy',
         [onehot, T([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.25, 0.25, 0.5]])], k_categorical_crossentropy)
    case('categoricalCrossentropy/fromLogits', 'categoricalCrossentropy', [soft, logits, True],
         k_categorical_crossentropy)
    case('categoricalCrossentropy/fromLogits-axis0', 'categoricalCrossentropy',
         [T([[0.0, 0.25, 1.0], [1.0, 0.75, 0.0]]), T([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]), True, 0],
         k_categorical_crossentropy)
    case('categoricalCrossentropy/probs-3d-axis1', 'categoricalCrossentropy',
         [T([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [1.0, 1.0]]]), T(uniform(0.1, 1.0, 2, 2, 2)), False, 1],
         k_categorical_crossentropy)
    ix = T([1, 0, 2], 'int32')
    case('sparseCategoricalCrossentropy/probs', 'sparseCategoricalCrossentropy', [ix, probs],
         k_sparse_categorical_crossentropy, why='log(clip(p)) then softmax cross-entropy, as Keras 2.3')
    case('sparseCategoricalCrossentropy/normalized-probs', 'sparseCategoricalCrossentropy',
         [ix, T([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.25, 0.25, 0.5]])], k_sparse_categorical_crossentropy)
    case('sparseCategoricalCrossentropy/fromLogits', 'sparseCategoricalCrossentropy', [ix, logits, True],
         k_sparse_categorical_crossentropy)
    case('sparseCategoricalCrossentropy/float-target', 'sparseCategoricalCrossentropy',
         [T([[2.0], [1.0], [0.0]], grad=False), logits, True], k_sparse_categorical_crossentropy)
    case('sparseCategoricalCrossentropy/3d-output', 'sparseCategoricalCrossentropy',
         [T([[0, 3, 1], [2, 2, 0]], 'int64'), T(randn(2, 3, 4)), True], k_sparse_categorical_crossentropy)
    case('sparseCategoricalCrossentropy/axis1', 'sparseCategoricalCrossentropy',
         [T([[0, 2, 1], [1, 1, 0]], 'int32'), T(uniform(0.1, 1.0, 2, 3, 3)), False, 1],
         k_sparse_categorical_crossentropy, why='class axis 1 is moved last')
    bt = T([[0.0, 1.0, 1.0], [0.0, 0.25, 1.0]])
    case('binaryCrossentropy/probs', 'binaryCrossentropy', [bt, T([[0.1, 0.8, 0.4], [0.6, 0.3, 0.95]])],
         k_binary_crossentropy, why='clip to [1e-7, 1-1e-7], then log(p) and log(1 - p) (Keras 3)')
    case('binaryCrossentropy/probs-at-0-and-1', 'binaryCrossentropy',
         [bt, T([[0.0, 1.0, 0.0], [1.0, 0.5, 1e-9]])], k_binary_crossentropy,
         why='p = 1 clips to float32(1 - 1e-7) = 0.99999988, as TF does; no eps in the logs (Keras 3)')
    case('binaryCrossentropy/fromLogits', 'binaryCrossentropy',
         [bt, T([[-1.5, 2.0, 0.25], [30.0, -0.75, -40.0]]), True], k_binary_crossentropy)


def main():
    cases_creation()
    cases_math()
    cases_reductions()
    cases_linalg()
    cases_shapes()
    cases_nn()
    doc = {
        'generator': 'test/golden/make_golden.py',
        'torch': torch.__version__,
        'numpy': np.__version__,
        'epsilon': EPS,
        'cases': CASES,
    }
    # One case per line, so regenerating gives a readable diff.
    head = {k: v for k, v in doc.items() if k != 'cases'}
    lines = [json.dumps(c, separators=(',', ':'), allow_nan=False) for c in CASES]
    with open(OUT, 'w') as f:
        f.write(json.dumps(head, separators=(',', ':'))[:-1] + ',"cases":[\n')
        f.write(',\n'.join(lines))
        f.write('\n]}\n')
    print(f'wrote {len(CASES)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
