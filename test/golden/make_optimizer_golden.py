#!/usr/bin/env python3
"""Builds test/golden/optimizer_golden.json: reference parameter values for keratorch's optimizers.

Each case runs 5 update steps of one optimizer configuration on 3 parameters of different shapes,
with fixed gradients per step, and records every parameter after every step. The references
re-implement Keras 3's keras/src/optimizers (3.15.1) in float64 numpy, independently of keratorch,
with Keras 2.3.1's time-based decay, which keratorch keeps (test/golden/make_keras_golden.py checks
the same formulas against real Keras 3.15.1):

- _clip_gradients, one kind at most: with clipnorm > 0, each gradient g with norm n = sqrt(sum(g^2))
  becomes g * clipnorm / max(n, clipnorm); with globalClipnorm > 0, the *global* norm over all
  gradients is taken and every g becomes g * globalClipnorm / n when n >= globalClipnorm; with
  clipvalue > 0, every element is clipped to [-clipvalue, clipvalue].
- decay: lr = lr / (1 + decay * iterations), iterations counting the steps before this one.
- SGD: v = momentum * v - lr * g; p += v (nesterov: p += momentum * v - lr * g).
- RMSprop: a = rho * a + (1 - rho) * g^2; p -= lr * g / sqrt(a + epsilon).
- Adagrad: a starts at initialAccumulatorValue (0.1); a += g^2; p -= lr * g / sqrt(a + epsilon).
- Adam: t = iterations + 1; lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
  m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; p -= lr_t m / (sqrt(v) + epsilon);
  amsgrad: vhat = max(vhat, v) replaces v in the denominator.

Run with any python that has numpy (the Keras venv of make_keras_golden.py has it):

    /tmp/kvenv/bin/python test/golden/make_optimizer_golden.py

The output is deterministic (seeded generator; values are multiples of 1/64, exact in float32).
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'optimizer_golden.json')
STEPS = 5
SHAPES = [[2, 3], [4], [2, 1, 2]]
# Gradients shrink over the steps, so clipnorm clips only the first ones and amsgrad's running
# maximum differs from v. Every scale keeps multiples of 1/64 exact in float32.
GRAD_SCALES = [2.0, 1.5, 0.25, 0.125, 0.0625]
rng = np.random.default_rng(20240611)


def grid(shape, low=-1.0, high=1.0):
    """Random multiples of 1/64 in [low, high], never exactly zero (no ties at sign changes)."""
    values = rng.integers(int(low * 64), int(high * 64) + 1, size=shape).astype(np.float64)
    values[values == 0] = 1.0
    return values / 64.0


def clip_gradients(grads, config):
    clipnorm = config.get('clipnorm', 0)
    if clipnorm > 0:
        return [g * clipnorm / max(math.sqrt(float(np.sum(g * g))), clipnorm) for g in grads]
    global_clipnorm = config.get('globalClipnorm', 0)
    if global_clipnorm > 0:
        norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        return [g * global_clipnorm / max(norm, global_clipnorm) for g in grads]
    clipvalue = config.get('clipvalue', 0)
    if clipvalue > 0:
        return [np.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


def decayed_rate(config, default_lr, iterations):
    lr = config.get('learningRate', default_lr)
    decay = config.get('decay', 0.0)
    if decay > 0:
        lr = lr * (1.0 / (1.0 + decay * iterations))
    return lr


def sgd(params, grads, state, config, iterations):
    lr = decayed_rate(config, 0.01, iterations)
    momentum = config.get('momentum', 0.0)
    moments = state.setdefault('moments', [np.zeros_like(p) for p in params])
    out = []
    for i, (p, g) in enumerate(zip(params, grads)):
        v = momentum * moments[i] - lr * g
        moments[i] = v
        out.append(p + momentum * v - lr * g if config.get('nesterov', False) else p + v)
    return out


def rmsprop(params, grads, state, config, iterations):
    lr = decayed_rate(config, 0.001, iterations)
    rho = config.get('rho', 0.9)
    eps = config.get('epsilon', 1e-7)
    acc = state.setdefault('accumulators', [np.zeros_like(p) for p in params])
    out = []
    for i, (p, g) in enumerate(zip(params, grads)):
        a = rho * acc[i] + (1.0 - rho) * g * g
        acc[i] = a
        out.append(p - lr * g / np.sqrt(a + eps))
    return out


def adagrad(params, grads, state, config, iterations):
    lr = decayed_rate(config, 0.001, iterations)
    eps = config.get('epsilon', 1e-7)
    start = config.get('initialAccumulatorValue', 0.1)
    acc = state.setdefault('accumulators', [np.full_like(p, start) for p in params])
    out = []
    for i, (p, g) in enumerate(zip(params, grads)):
        a = acc[i] + g * g
        acc[i] = a
        out.append(p - lr * g / np.sqrt(a + eps))
    return out


def adam(params, grads, state, config, iterations):
    lr = decayed_rate(config, 0.001, iterations)
    b1 = config.get('beta1', 0.9)
    b2 = config.get('beta2', 0.999)
    eps = config.get('epsilon', 1e-7)
    amsgrad = config.get('amsgrad', False)
    t = iterations + 1.0
    lr_t = lr * (math.sqrt(1.0 - b2 ** t) / (1.0 - b1 ** t))
    ms = state.setdefault('ms', [np.zeros_like(p) for p in params])
    vs = state.setdefault('vs', [np.zeros_like(p) for p in params])
    vhats = state.setdefault('vhats', [np.zeros_like(p) for p in params])
    out = []
    for i, (p, g) in enumerate(zip(params, grads)):
        m = b1 * ms[i] + (1.0 - b1) * g
        v = b2 * vs[i] + (1.0 - b2) * g * g
        ms[i], vs[i] = m, v
        if amsgrad:
            vhats[i] = np.maximum(vhats[i], v)
            out.append(p - lr_t * m / (np.sqrt(vhats[i]) + eps))
        else:
            out.append(p - lr_t * m / (np.sqrt(v) + eps))
    return out


STEP_FNS = {'SGD': sgd, 'RMSprop': rmsprop, 'Adagrad': adagrad, 'Adam': adam}


def to_list(a):
    return np.asarray(a, dtype=np.float64).tolist()


def make_case(name, class_name, config, dtype='float32', rtol=1e-5, atol=1e-6, why=None):
    params = [grid(s) for s in SHAPES]
    grads = [[grid(s) * scale for s in SHAPES] for scale in GRAD_SCALES]
    state = {}
    expected = []
    current = [p.copy() for p in params]
    for step in range(STEPS):
        clipped = clip_gradients(grads[step], config)
        current = STEP_FNS[class_name](current, clipped, state, config, step)
        expected.append([to_list(p) for p in current])
    case = {
        'name': name,
        'className': class_name,
        'config': config,
        'dtype': dtype,
        'params': [{'shape': s, 'values': to_list(p)} for s, p in zip(SHAPES, params)],
        'grads': [[to_list(g) for g in step] for step in grads],
        'expected': expected,
        'rtol': rtol,
        'atol': atol,
    }
    if why:
        case['why'] = why
    return case


def main():
    cases = [
        make_case('sgd', 'SGD', {'learningRate': 0.1}),
        make_case('sgd_defaults', 'SGD', {}),
        make_case('sgd_momentum', 'SGD', {'learningRate': 0.05, 'momentum': 0.9}),
        make_case('sgd_nesterov', 'SGD', {'learningRate': 0.05, 'momentum': 0.9, 'nesterov': True}),
        make_case('sgd_momentum_decay', 'SGD', {'learningRate': 0.1, 'momentum': 0.5, 'decay': 0.1}),
        make_case('sgd_clipnorm', 'SGD', {'learningRate': 0.1, 'clipnorm': 1.0}),
        make_case('sgd_clipvalue', 'SGD', {'learningRate': 0.1, 'momentum': 0.9, 'clipvalue': 0.5}),
        make_case('rmsprop_defaults', 'RMSprop', {}),
        make_case('rmsprop_options', 'RMSprop', {'learningRate': 0.01, 'rho': 0.8, 'epsilon': 1e-4, 'decay': 0.05}),
        make_case('rmsprop_clipnorm', 'RMSprop', {'learningRate': 0.01, 'clipnorm': 0.5}),
        make_case('adagrad_defaults', 'Adagrad', {}),
        make_case('adagrad_decay_clipvalue', 'Adagrad', {'learningRate': 0.1, 'decay': 0.2, 'clipvalue': 0.25,
                                                          'epsilon': 1e-3}),
        make_case('adam_defaults', 'Adam', {}),
        make_case('adam_options', 'Adam', {'learningRate': 0.01, 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-3}),
        make_case('adam_decay', 'Adam', {'learningRate': 0.01, 'decay': 0.3}),
        # A small beta2 lets v fall quickly once the gradients shrink, so vhat = max(vhat, v) matters.
        make_case('adam_amsgrad', 'Adam', {'learningRate': 0.01, 'beta2': 0.9, 'amsgrad': True}),
        make_case('adam_amsgrad_clipvalue', 'Adam', {'learningRate': 0.01, 'beta2': 0.95, 'amsgrad': True,
                                                     'clipvalue': 0.75}),
        make_case('adam_float64', 'Adam', {'learningRate': 0.01, 'decay': 0.1, 'clipnorm': 1.0}, dtype='float64',
                  rtol=1e-10, atol=1e-12, why='float64 parameters compute in float64'),
        make_case('sgd_nesterov_float64', 'SGD', {'learningRate': 0.05, 'momentum': 0.9, 'nesterov': True,
                                                  'clipvalue': 0.5}, dtype='float64', rtol=1e-10, atol=1e-12,
                  why='float64 parameters compute in float64'),
        # Added with Keras 3's formulas, after the others so that their random draws stay the same.
        make_case('sgd_global_clipnorm', 'SGD', {'learningRate': 0.1, 'globalClipnorm': 1.0}),
        make_case('adagrad_initial_accumulator', 'Adagrad', {'learningRate': 0.1, 'initialAccumulatorValue': 0.5,
                                                              'globalClipnorm': 1.5}),
    ]
    golden = {
        'generator': 'test/golden/make_optimizer_golden.py (Keras 3 formulas with Keras 2.3.1 decay, float64 numpy)',
        'steps': STEPS,
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        f.write('{"generator": %s, "steps": %d, "cases": [\n' % (json.dumps(golden['generator']), STEPS))
        f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases))
        f.write('\n]}\n')
    print('wrote %d cases to %s' % (len(cases), OUT))


if __name__ == '__main__':
    main()
