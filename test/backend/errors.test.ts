/**
 * Bad input of every kind throws a KeratorchError with the right code, a message that names the
 * function and what it received, and no native tensor left behind by the failing call. Inputs are
 * made inside tidy; only the failing call is measured (see expectKeratorchError).
 */
import {
  K, Tensor, tensor, zeros, ones, full, arange, eye, randomNormal, randomUniform, setSeed, tidy, memory, cuda,
  KeratorchError, buildInfo,
} from '../../src';
import type { DType, Device } from '../../src';
import { expectKeratorchError as expectError, settle } from '../helpers/memory';

// Tensors dropped by earlier tests are collected before each test, never during a measurement.
beforeEach(settle);

const hasCuda = cuda.isAvailable();
const withCuda = hasCuda ? test : test.skip;
const withoutCuda = hasCuda ? test.skip : test;
const cudaSkipNote = hasCuda ? '' : ' (skipped: CUDA not available)';
const noCudaSkipNote = hasCuda ? ' (skipped: CUDA is available here)' : '';

/** Runs `fn` in a tidy scope so the inputs it makes are freed, and checks nothing leaked overall. */
function scoped(fn: () => void): void {
  const before = memory();
  tidy(fn);
  expect(memory()).toEqual(before);
}

describe('KeratorchError', () => {
  test('is exported, is an Error, carries code and op', () => {
    scoped(() => {
      const a = tensor([[1, 2], [3, 4]]);
      const b = tensor([1, 2, 3]);
      const error = expectError(() => K.add(a, b), 'ERR_SHAPE', 'add');
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('KeratorchError');
      expect(error.op).toBe('add');
      expect(typeof error.stack).toBe('string');
    });
  });

  test('errors thrown by libtorch are KeratorchErrors too (instanceof works)', () => {
    scoped(() => {
      const x = zeros([1, 4, 4, 3], 'int32');
      const error = expectError(() => K.pool2d(x, 2, undefined, undefined, undefined, 'avg'), 'ERR_TORCH', 'pool2d', 'int32[');
      expect(error).toBeInstanceOf(KeratorchError);
    });
  });
});

describe('ERR_SHAPE: shapes that do not fit', () => {
  test('add of [2,2] and [3] names both shapes', () => {
    scoped(() => {
      const a = tensor([[1, 2], [3, 4]]);
      const b = tensor([1, 2, 3]);
      expectError(() => K.add(a, b), 'ERR_SHAPE', 'add', 'float32[2,2]', 'float32[3]');
      expectError(() => a.add(b), 'ERR_SHAPE', 'add', 'float32[2,2]', 'float32[3]');
      expectError(() => K.multiply(b, a), 'ERR_SHAPE', 'multiply', 'float32[2,2]', 'float32[3]');
      expectError(() => K.greater(a, b), 'ERR_SHAPE', 'greater', 'float32[2,2]', 'float32[3]');
      const condition = K.greater(a, 0);
      expectError(() => K.where(condition, a, b), 'ERR_SHAPE', 'where', 'float32[3]');
    });
  });

  test('dot with mismatched inner sizes, and of a scalar', () => {
    scoped(() => {
      const a = zeros([2, 3]);
      const x3 = zeros([2, 3, 4]);
      const y2 = zeros([5, 6]);
      const v4 = zeros([4]);
      const scalar = tensor(2);
      expectError(() => K.dot(a, a), 'ERR_SHAPE', 'dot', 'float32[2,3]', 'axis 0');
      expectError(() => K.dot(x3, y2), 'ERR_SHAPE', 'dot', 'float32[2,3,4]', 'float32[5,6]');
      expectError(() => a.matmul(v4), 'ERR_SHAPE', 'dot', 'float32[4]');
      expectError(() => K.dot(scalar, a), 'ERR_SHAPE', 'dot', 'rank >= 1');
    });
  });

  test('batchDot with different batch sizes, mismatched axes, or rank 1', () => {
    scoped(() => {
      const x = zeros([2, 3, 4]);
      const otherBatch = zeros([3, 4, 5]);
      const otherDepth = zeros([2, 5, 6]);
      const y = zeros([2, 4, 5]);
      const v = zeros([4]);
      expectError(() => K.batchDot(x, otherBatch), 'ERR_SHAPE', 'batchDot', 'batch size', 'float32[3,4,5]');
      expectError(() => K.batchDot(x, otherDepth), 'ERR_SHAPE', 'batchDot', 'float32[2,3,4]', 'float32[2,5,6]');
      expectError(() => K.batchDot(x, y, [1, 1]), 'ERR_SHAPE', 'batchDot', 'float32[2,3,4]');
      expectError(() => K.batchDot(v, v), 'ERR_SHAPE', 'batchDot', 'rank >= 2');
    });
  });

  test('concatenate and stack of shapes that do not match', () => {
    scoped(() => {
      const a = zeros([2, 2]);
      const b = zeros([1, 3]);
      const c = zeros([2]);
      const d = zeros([2, 3]);
      expectError(() => K.concatenate([a, b], 0), 'ERR_SHAPE', 'concatenate', 'tensors[1]', 'float32[1,3]', '[2,2]');
      expectError(() => K.concatenate([a, c]), 'ERR_SHAPE', 'concatenate', 'float32[2]');
      expectError(() => K.stack([a, d]), 'ERR_SHAPE', 'stack', 'float32[2,3]');
    });
  });

  test('reshape to a different number of elements', () => {
    scoped(() => {
      const x = zeros([2, 3]);
      expectError(() => K.reshape(x, [4]), 'ERR_SHAPE', 'reshape', '6 elements', 'float32[2,3]', '[4]');
      expectError(() => x.reshape([4, -1]), 'ERR_SHAPE', 'reshape', '[4,-1]');
      expectError(() => K.reshape(x, [-1, -1]), 'ERR_SHAPE', 'reshape', '[-1,-1]');
      expectError(() => K.reshape(x, [0, -1]), 'ERR_SHAPE', 'reshape', '[0,-1]');
      expectError(() => tensor([1, 2, 3], [2, 2]), 'ERR_SHAPE', 'tensor', '4 values', '3 values');
    });
  });

  test('conv2d with a kernel for other channels, either data format', () => {
    scoped(() => {
      const x = zeros([1, 5, 5, 3]);
      const kernel = zeros([3, 3, 2, 4]);
      expectError(() => K.conv2d(x, kernel), 'ERR_SHAPE', 'conv2d', '3 input channels', 'float32[1,5,5,3]', 'float32[3,3,2,4]');
      const xFirst = zeros([1, 3, 5, 5]);
      expectError(() => K.conv2d(xFirst, kernel, 1, 'valid', 'channelsFirst'), 'ERR_SHAPE', 'conv2d',
        '3 input channels', 'float32[1,3,5,5]');
    });
  });

  test('conv2d with a bias that is not one value per output channel', () => {
    scoped(() => {
      const x = zeros([1, 5, 5, 3]);
      const kernel = zeros([3, 3, 3, 4]);
      const short = zeros([3]);
      const matrix = zeros([1, 4]);
      expectError(() => K.conv2d(x, kernel, 1, 'valid', 'channelsLast', 1, short), 'ERR_SHAPE', 'conv2d',
        'a bias of 4 values', 'float32[3]');
      expectError(() => K.conv2d(x, kernel, 1, 'valid', 'channelsLast', 1, matrix), 'ERR_SHAPE', 'conv2d',
        'a bias of 4 values', 'float32[1,4]');
    });
  });

  test('wrong ranks', () => {
    scoped(() => {
      const r1 = zeros([2]);
      const r2 = zeros([2, 3]);
      const r3 = zeros([5, 5, 3]);
      const r3b = zeros([2, 3, 4]);
      const r4 = zeros([1, 5, 5, 3]);
      const k3 = zeros([3, 3, 3]);
      const k4 = zeros([3, 3, 3, 1]);
      const scalar = tensor(1);
      expectError(() => K.conv2d(r3, k4), 'ERR_SHAPE', 'conv2d', 'rank-4', 'float32[5,5,3]');
      expectError(() => K.conv2d(r4, k3), 'ERR_SHAPE', 'conv2d', 'rank-4', 'float32[3,3,3]');
      expectError(() => K.pool2d(r3, 2), 'ERR_SHAPE', 'pool2d', 'rank-4', 'float32[5,5,3]');
      expectError(() => K.repeat(r3b, 2), 'ERR_SHAPE', 'repeat', 'rank-2', 'float32[2,3,4]');
      expectError(() => K.temporalPadding(r2), 'ERR_SHAPE', 'temporalPadding', 'rank-3');
      expectError(() => K.spatial2dPadding(r3b), 'ERR_SHAPE', 'spatial2dPadding', 'rank-4');
      expectError(() => K.batchFlatten(scalar), 'ERR_SHAPE', 'batchFlatten', 'rank >= 1');
      expectError(() => K.permuteDimensions(r2, [0]), 'ERR_SHAPE', 'permuteDimensions', 'float32[2,3]');
      expectError(() => K.slice(r2, [0], [1]), 'ERR_SHAPE', 'slice', 'float32[2,3]');
      expectError(() => K.tile(r1, [1, 2, 3]), 'ERR_SHAPE', 'tile', 'float32[2]');
    });
  });

  test('other shape misfits: squeeze of a long axis, pool larger than input, bias, targets, setValue, item', () => {
    scoped(() => {
      const m23 = zeros([2, 3]);
      const m24 = zeros([2, 4]);
      const v2 = zeros([2]);
      const v3 = zeros([3]);
      const tiny = zeros([1, 2, 2, 1]);
      const ids3 = tensor([0, 1, 2], undefined, 'int32');
      expectError(() => K.squeeze(m23, 0), 'ERR_SHAPE', 'squeeze', 'size 1', 'float32[2,3]');
      expectError(() => K.pool2d(tiny, 3), 'ERR_SHAPE', 'pool2d', '2x2');
      expectError(() => K.biasAdd(m24, v3), 'ERR_SHAPE', 'biasAdd', 'float32[3]');
      expectError(() => K.categoricalCrossentropy(m23, m24), 'ERR_SHAPE', 'categoricalCrossentropy', '[2,4]', 'float32[2,3]');
      expectError(() => K.sparseCategoricalCrossentropy(ids3, m24), 'ERR_SHAPE', 'sparseCategoricalCrossentropy', 'int32[3]');
      expectError(() => K.binaryCrossentropy(v3, v2), 'ERR_SHAPE', 'binaryCrossentropy', 'float32[3]');
      const v = K.variable([[1, 2]]);
      expectError(() => K.setValue(v, [1, 2, 3]), 'ERR_SHAPE', 'setValue', '[1,2]', 'float32[3]');
      expectError(() => v2.item(), 'ERR_SHAPE', 'item', 'float32[2]');
      expectError(() => tensor([[1, 2], [3]]), 'ERR_SHAPE', 'tensor', 'values[1]', '[3]');
      expectError(() => tensor([[1, 2], 3] as never), 'ERR_SHAPE', 'tensor', 'values[1]');
    });
  });
});

describe('ERR_DTYPE: dtypes that do not fit', () => {
  test('an unknown dtype string, wherever a dtype is taken', () => {
    scoped(() => {
      const x = tensor([1, 2]);
      const bad = 'float16' as DType;
      expectError(() => tensor([1], undefined, bad), 'ERR_DTYPE', 'tensor', '"float16"', 'float32, float64, int32, int64, uint8, bool');
      expectError(() => zeros([2], 'complex64' as DType), 'ERR_DTYPE', 'zeros', '"complex64"');
      expectError(() => ones([2], 'int8' as DType), 'ERR_DTYPE', 'ones', '"int8"');
      expectError(() => full([2], 1, bad), 'ERR_DTYPE', 'full', '"float16"');
      expectError(() => arange(3, undefined, 1, bad), 'ERR_DTYPE', 'arange', '"float16"');
      expectError(() => eye(2, 2, bad), 'ERR_DTYPE', 'eye', '"float16"');
      expectError(() => randomNormal([2], 0, 1, bad), 'ERR_DTYPE', 'randomNormal', '"float16"');
      expectError(() => K.cast(x, 'int8' as DType), 'ERR_DTYPE', 'cast', '"int8"');
      expectError(() => x.cast(bad), 'ERR_DTYPE', 'cast', 'float16', 'float32[2]');
      expectError(() => K.variable([1], 'half' as DType), 'ERR_DTYPE', 'variable', '"half"');
      expectError(() => zeros([2], 42 as unknown as DType), 'ERR_DTYPE', 'zeros', '42');
    });
  });

  test('an int tensor where crossentropy needs floats', () => {
    scoped(() => {
      const target = tensor([[0, 1]]);
      const intOutput = tensor([[0, 1]], undefined, 'int32');
      expectError(() => K.categoricalCrossentropy(target, intOutput), 'ERR_DTYPE', 'categoricalCrossentropy',
        'a float tensor', 'output', 'int32[1,2]');
      expectError(() => K.binaryCrossentropy(target, intOutput), 'ERR_DTYPE', 'binaryCrossentropy', 'int32[1,2]');
      const classes = tensor([1], undefined, 'int32');
      expectError(() => K.sparseCategoricalCrossentropy(classes, intOutput), 'ERR_DTYPE',
        'sparseCategoricalCrossentropy', 'int32[1,2]');
    });
  });

  test('float or bool tensors where integer indices are needed', () => {
    scoped(() => {
      const x = zeros([3, 2]);
      const floatIds = tensor([0, 1]);
      const boolIds = tensor([true]);
      const output = zeros([1, 2]);
      expectError(() => K.gather(x, floatIds), 'ERR_DTYPE', 'gather', 'an integer tensor', 'float32[2]');
      expectError(() => K.oneHot(floatIds, 3), 'ERR_DTYPE', 'oneHot', 'float32[2]');
      expectError(() => K.sparseCategoricalCrossentropy(boolIds, output), 'ERR_DTYPE', 'sparseCategoricalCrossentropy', 'bool[1]');
    });
  });

  test('dot of different dtypes names dot and both dtypes', () => {
    scoped(() => {
      const i = tensor([[1, 2]], undefined, 'int32');
      const f = tensor([[1], [2]]);
      expectError(() => K.dot(i, f), 'ERR_DTYPE', 'dot', 'int32[1,2]', 'float32[2,1]');
      const x64 = zeros([2, 3, 4], 'float64');
      const y32 = zeros([2, 4, 5]);
      expectError(() => K.batchDot(x64, y32), 'ERR_DTYPE', 'batchDot', 'float64[2,3,4]', 'float32[2,4,5]');
    });
  });
});

describe('ERR_VALUE: axes out of range', () => {
  test('sum axis 5 on rank 2, and a negative axis too far', () => {
    scoped(() => {
      const x = zeros([2, 3]);
      expectError(() => K.sum(x, 5), 'ERR_VALUE', 'sum', 'axis', '5', 'rank 2', '[-2, 1]');
      expectError(() => K.sum(x, -3), 'ERR_VALUE', 'sum', '-3', 'rank 2');
      expectError(() => x.sum(2, true), 'ERR_VALUE', 'sum', '2');
      expectError(() => K.sum(x, [0, 5]), 'ERR_VALUE', 'sum', '5');
      expectError(() => K.sum(x, [0, -2]), 'ERR_VALUE', 'sum', 'distinct axes');
      expectError(() => K.sum(x, 0.5), 'ERR_VALUE', 'sum', '0.5');
      expectError(() => K.mean(x, 2), 'ERR_VALUE', 'mean', '2');
      expectError(() => K.max(x, -5), 'ERR_VALUE', 'max', '-5');
      expectError(() => K.argmax(x, 2), 'ERR_VALUE', 'argmax', '2');
      expectError(() => K.cumsum(x, 3), 'ERR_VALUE', 'cumsum', '3');
      expectError(() => K.logsumexp(x, 7), 'ERR_VALUE', 'logsumexp', '7');
    });
  });

  test('softmax and other axis arguments', () => {
    scoped(() => {
      const x = zeros([2, 3]);
      expectError(() => K.softmax(x, 2), 'ERR_VALUE', 'softmax', 'axis', '2', 'rank 2');
      expectError(() => x.softmax(-3), 'ERR_VALUE', 'softmax', '-3');
      expectError(() => K.logSoftmax(x, 4), 'ERR_VALUE', 'logSoftmax', '4');
      expectError(() => K.concatenate([x, x], 2), 'ERR_VALUE', 'concatenate', '2');
      expectError(() => K.expandDims(x, 3), 'ERR_VALUE', 'expandDims', '3');
      expectError(() => K.squeeze(x, 2), 'ERR_VALUE', 'squeeze', '2');
      expectError(() => K.reverse(x, [0, 2]), 'ERR_VALUE', 'reverse', '2');
      expectError(() => K.permuteDimensions(x, [0, 2]), 'ERR_VALUE', 'permuteDimensions', '2');
      expectError(() => K.categoricalCrossentropy(x, x, false, 2), 'ERR_VALUE', 'categoricalCrossentropy', '2');
    });
  });

  test('an axis that is not a number is ERR_ARGUMENT', () => {
    scoped(() => {
      const x = zeros([2]);
      expectError(() => K.sum(x, 'rows' as never), 'ERR_ARGUMENT', 'sum', '"rows"');
    });
  });
});

describe('ERR_VALUE: indices out of range', () => {
  test('gather with indices past the end, negative, in a tensor or a list', () => {
    scoped(() => {
      const x = zeros([2, 3]);
      expectError(() => K.gather(x, [5]), 'ERR_VALUE', 'gather', '[0, 2)', '5');
      expectError(() => K.gather(x, 2), 'ERR_VALUE', 'gather', '[0, 2)', '2');
      expectError(() => K.gather(x, [-1]), 'ERR_VALUE', 'gather', '[0, 2)', '-1');
      const past = tensor([0, 2], undefined, 'int32');
      const negative = tensor([[0], [-3]], undefined, 'int64');
      expectError(() => K.gather(x, past), 'ERR_VALUE', 'gather', '[0, 2)', '2');
      expectError(() => K.gather(x, negative), 'ERR_VALUE', 'gather', '-3');
      // The bounds are read natively for every integer dtype, and from strided (transposed) indices.
      const bytes = tensor([1, 7], undefined, 'uint8');
      expectError(() => K.gather(x, bytes), 'ERR_VALUE', 'gather', 'values from 1 to 7');
      const transposed = K.transpose(tensor([[0, 1], [4, 0]], undefined, 'int32'));
      expectError(() => K.gather(x, transposed), 'ERR_VALUE', 'gather', 'values from 0 to 4');
    });
  });

  test('oneHot: indices past numClasses, or negative, give zero rows (as Keras); bad numClasses throw', () => {
    scoped(() => {
      const past = tensor([0, 3], undefined, 'int32');
      const negative = tensor([-1], undefined, 'int32');
      const zero = tensor([0], undefined, 'int32');
      expect(K.oneHot(past, 3).array()).toEqual([[1, 0, 0], [0, 0, 0]]);
      expect(K.oneHot(negative, 3).array()).toEqual([[0, 0, 0]]);
      expectError(() => K.oneHot(zero, 0), 'ERR_VALUE', 'oneHot', 'numClasses', '0');
      expectError(() => K.oneHot(zero, 2.5), 'ERR_VALUE', 'oneHot', '2.5');
    });
  });

  test('sparse targets out of range, slices outside the tensor', () => {
    scoped(() => {
      const targets = tensor([0, 4], undefined, 'int32');
      const output = zeros([2, 4]);
      const m = zeros([2, 3]);
      expectError(() => K.sparseCategoricalCrossentropy(targets, output), 'ERR_VALUE', 'sparseCategoricalCrossentropy',
        '[0, 4)', '4');
      expectError(() => K.slice(m, [1, 1], [2, 1]), 'ERR_VALUE', 'slice', 'float32[2,3]');
    });
  });
});

describe('ERR_VALUE: NaN or a fraction where an integer is needed', () => {
  test('tensor([NaN]) as int32, int64, uint8; fractions too', () => {
    scoped(() => {
      expectError(() => tensor([NaN], undefined, 'int32'), 'ERR_VALUE', 'tensor', 'int32', 'NaN');
      expectError(() => tensor([1, NaN], undefined, 'int64'), 'ERR_VALUE', 'tensor', 'values[1]', 'NaN');
      expectError(() => tensor([1.5], undefined, 'uint8'), 'ERR_VALUE', 'tensor', '1.5');
      expectError(() => tensor(new Float32Array([0.5]), undefined, 'int32'), 'ERR_VALUE', 'tensor', '0.5');
      expectError(() => tensor([Infinity], undefined, 'int32'), 'ERR_VALUE', 'tensor', 'Infinity');
      expectError(() => full([2], NaN, 'int32'), 'ERR_VALUE', 'full', 'NaN');
    });
  });

  test('values outside an integer dtype are refused, not wrapped around', () => {
    scoped(() => {
      expectError(() => tensor([300], undefined, 'uint8'), 'ERR_VALUE', 'tensor', 'uint8', '300');
      expectError(() => tensor([-1], undefined, 'uint8'), 'ERR_VALUE', 'tensor', 'uint8', '-1');
      expectError(() => tensor([2 ** 31], undefined, 'int32'), 'ERR_VALUE', 'tensor', 'int32', '2147483648');
      expectError(() => tensor(new Int32Array([256]), undefined, 'uint8'), 'ERR_VALUE', 'tensor', '256');
      expectError(() => tensor([2 ** 63], undefined, 'int64'), 'ERR_VALUE', 'tensor', 'int64');
      expectError(() => full([2], 256, 'uint8'), 'ERR_VALUE', 'full', '256');
      expectError(() => full([2], -(2 ** 31) - 1, 'int32'), 'ERR_VALUE', 'full', '-2147483649');
    });
  });

  test('K.tile, repeatElements, reshape and shapes with NaN or fractions', () => {
    scoped(() => {
      const x = zeros([2, 2]);
      expectError(() => K.tile(x, NaN), 'ERR_VALUE', 'tile', 'NaN');
      expectError(() => K.tile(x, [2, NaN]), 'ERR_VALUE', 'tile', '[2,NaN]');
      expectError(() => K.tile(x, 1.5), 'ERR_VALUE', 'tile', '1.5');
      expectError(() => K.repeatElements(x, NaN, 0), 'ERR_VALUE', 'repeatElements', 'NaN');
      expectError(() => K.reshape(x, [NaN, 4]), 'ERR_VALUE', 'reshape', 'NaN');
      expectError(() => zeros([2, NaN]), 'ERR_VALUE', 'zeros', '[2,NaN]');
      expectError(() => zeros([2, -1]), 'ERR_VALUE', 'zeros', '[2,-1]');
      expectError(() => eye(NaN), 'ERR_VALUE', 'eye', 'NaN');
      expectError(() => eye(-1), 'ERR_VALUE', 'eye', '-1');
    });
  });

  test('arange with step 0, NaN or infinite bounds', () => {
    scoped(() => {
      expectError(() => arange(0, 5, 0), 'ERR_VALUE', 'arange', 'step', '0');
      expectError(() => K.arange(0, 5, 0), 'ERR_VALUE', 'arange', 'step');
      expectError(() => arange(NaN), 'ERR_VALUE', 'arange', 'start', 'NaN');
      expectError(() => arange(0, Infinity), 'ERR_VALUE', 'arange', 'stop', 'Infinity');
      expectError(() => arange(0, 5, NaN), 'ERR_VALUE', 'arange', 'step', 'NaN');
    });
  });

  test('random arguments: negative stddev, reversed range, fractional or negative seeds', () => {
    scoped(() => {
      expectError(() => randomNormal([2], 0, -1), 'ERR_VALUE', 'randomNormal', 'stddev', '-1');
      expectError(() => randomNormal([2], NaN), 'ERR_VALUE', 'randomNormal', 'mean', 'NaN');
      expectError(() => randomUniform([2], 1, 0), 'ERR_VALUE', 'randomUniform', 'maxval', '0');
      expectError(() => randomUniform([2], 0, 1, 'float32', 1.5), 'ERR_VALUE', 'randomUniform', 'seed', '1.5');
      expectError(() => setSeed(-1), 'ERR_VALUE', 'setSeed', '-1');
      expectError(() => setSeed(NaN), 'ERR_VALUE', 'setSeed', 'NaN');
      const x = zeros([2]);
      expectError(() => K.dropout(x, 1), 'ERR_VALUE', 'dropout', 'level', '1');
      expectError(() => K.randomBinomial([2], 1.5), 'ERR_VALUE', 'randomBinomial', '1.5');
    });
  });
});

describe('ERR_DISPOSED: a disposed tensor used again', () => {
  test('in ops, as any argument, names the function, the argument and the tensor', () => {
    scoped(() => {
      const live = tensor([1, 2]);
      const dead = tensor([3, 4]);
      dead.dispose();
      expectError(() => K.add(dead, 1), 'ERR_DISPOSED', 'add', 'disposed', 'float32[2]', 'for x');
      expectError(() => K.add(live, dead), 'ERR_DISPOSED', 'add', 'for y');
      expectError(() => dead.add(live), 'ERR_DISPOSED', 'add', 'disposed');
      expectError(() => K.sum(dead), 'ERR_DISPOSED', 'sum', 'disposed');
      expectError(() => dead.sum(0), 'ERR_DISPOSED', 'sum');
      const row = K.reshape(live, [1, 2]);
      const image = zeros([1, 3, 3, 1]);
      expectError(() => K.dot(row, dead), 'ERR_DISPOSED', 'dot', 'for y');
      expectError(() => K.concatenate([live, dead]), 'ERR_DISPOSED', 'concatenate', 'tensors[1]');
      expectError(() => K.softmax(dead), 'ERR_DISPOSED', 'softmax');
      expectError(() => K.conv2d(image, dead), 'ERR_DISPOSED', 'conv2d', 'kernel');
      expectError(() => K.gather(live, dead), 'ERR_DISPOSED', 'gather', 'indices');
      expectError(() => K.where(dead, 1, 0), 'ERR_DISPOSED', 'where', 'condition');
      expectError(() => K.cast(dead, 'int32'), 'ERR_DISPOSED', 'cast');
      expectError(() => K.eval(dead), 'ERR_DISPOSED', 'eval');
      expectError(() => K.variable(dead), 'ERR_DISPOSED', 'variable', 'value');
    });
  });

  test('reading or copying a disposed tensor', () => {
    scoped(() => {
      const dead = tensor([3, 4]);
      dead.dispose();
      expectError(() => dead.data(), 'ERR_DISPOSED', 'data', 'float32[2]');
      expectError(() => dead.array(), 'ERR_DISPOSED', 'array');
      expectError(() => dead.item(), 'ERR_DISPOSED', 'item');
      expectError(() => dead.to('cpu'), 'ERR_DISPOSED', 'to');
      expectError(() => dead.cast('int32'), 'ERR_DISPOSED', 'cast');
      expectError(() => dead.clone(), 'ERR_DISPOSED', 'clone');
      expectError(() => dead.requiresGrad, 'ERR_DISPOSED', 'requiresGrad');
    });
  });

  test('a tensor freed by tidy, used after the scope', () => {
    let inner: Tensor | undefined;
    tidy(() => {
      inner = tensor([1, 2]);
    });
    scoped(() => {
      expectError(() => K.multiply(inner as Tensor, 2), 'ERR_DISPOSED', 'multiply', 'tidy()');
    });
  });

  test('variables: setValue and gradients with a disposed variable', () => {
    scoped(() => {
      const v = K.variable([1, 2]);
      const loss = K.sum(K.square(v));
      v.dispose();
      expectError(() => K.setValue(v, [0, 0]), 'ERR_DISPOSED', 'setValue');
      expectError(() => K.gradients(loss, [v]), 'ERR_DISPOSED', 'gradients', 'variables[0]');
    });
  });
});

describe('ERR_DEVICE', () => {
  withoutCuda(`asking for CUDA when none is available${noCudaSkipNote}`, () => {
    scoped(() => {
      const x = tensor([1, 2]);
      const cudaDevice = 'cuda' as Device;
      expectError(() => tensor([1], undefined, 'float32', cudaDevice), 'ERR_DEVICE', 'tensor', 'CUDA', 'not available');
      expectError(() => x.to(cudaDevice), 'ERR_DEVICE', 'to', 'CUDA', 'not available', 'float32[2]');
      expectError(() => x.to('cuda:0'), 'ERR_DEVICE', 'to', "'cuda:0'", 'not available');
      expectError(() => K.toDevice(x, 'cuda'), 'ERR_DEVICE', 'to', 'not available');
      expectError(() => full([2], 1, 'float32', 'cuda'), 'ERR_DEVICE', 'full', 'not available');
      expectError(() => arange(0, 3, 1, 'int32', 'cuda'), 'ERR_DEVICE', 'arange', 'not available');
      expectError(() => eye(2, 2, 'float32', 'cuda'), 'ERR_DEVICE', 'eye', 'not available');
      expectError(() => randomNormal([2], 0, 1, 'float32', null, 'cuda'), 'ERR_DEVICE', 'randomNormal', 'not available');
      expectError(() => randomUniform([2], 0, 1, 'float32', 1, 'cuda'), 'ERR_DEVICE', 'randomUniform', 'not available');
    });
  });

  test('an unknown device name, or not a string', () => {
    scoped(() => {
      const x = tensor([1]);
      expectError(() => x.to('tpu' as Device), 'ERR_DEVICE', 'to', "'tpu'", 'cpu, cuda or cuda:N');
      expectError(() => tensor([1], undefined, 'float32', 'gpu' as Device), 'ERR_DEVICE', 'tensor', "'gpu'");
      expectError(() => x.to(0 as unknown as Device), 'ERR_DEVICE', 'to', '0');
    });
  });

  withCuda(`a CUDA device index that does not exist${cudaSkipNote}`, () => {
    scoped(() => {
      const x = tensor([1]);
      expectError(() => x.to(`cuda:${cuda.deviceCount() + 7}` as Device), 'ERR_DEVICE', 'to', 'CUDA device');
    });
  });

  withCuda(`a CUDA tensor mixed with a CPU one${cudaSkipNote}`, () => {
    scoped(() => {
      const onGpu = tensor([[1, 2], [3, 4]], undefined, 'float32', 'cuda');
      const onCpu = tensor([[1, 2], [3, 4]]);
      expectError(() => K.add(onGpu, onCpu), 'ERR_DEVICE', 'add', 'cuda', 'float32[2,2]');
      expectError(() => K.dot(onCpu, onGpu), 'ERR_DEVICE', 'dot', 'float32[2,2]@cuda');
      const batchCpu = K.expandDims(onCpu, 0);
      const batchGpu = K.expandDims(onGpu, 0);
      const imageGpu = zeros([1, 3, 3, 1], 'float32', 'cuda');
      const kernelCpu = zeros([2, 2, 1, 1]);
      expectError(() => K.batchDot(batchCpu, batchGpu), 'ERR_DEVICE', 'batchDot', '@cuda');
      expectError(() => K.concatenate([onGpu, onCpu]), 'ERR_DEVICE', 'concatenate', 'cuda');
      expectError(() => K.conv2d(imageGpu, kernelCpu), 'ERR_DEVICE', 'conv2d',
        'float32[1,3,3,1]@cuda');
    });
  });
});

describe('ERR_ARGUMENT: values of the wrong kind', () => {
  test('non-tensors where tensors are needed, and other wrong kinds', () => {
    scoped(() => {
      const x = zeros([2, 2]);
      const image = zeros([1, 3, 3, 1]);
      const kernel = zeros([2, 2, 1, 1]);
      const loss = K.sum(x);
      const int16 = new Int16Array(2);
      expectError(() => tensor('abc' as never), 'ERR_ARGUMENT', 'tensor', '"abc"');
      expectError(() => tensor([1, 'a'] as never), 'ERR_ARGUMENT', 'tensor', 'values[1]', '"a"');
      expectError(() => tensor({} as never), 'ERR_ARGUMENT', 'tensor', 'an object');
      expectError(() => tensor(int16 as never), 'ERR_ARGUMENT', 'tensor', 'Int16Array');
      expectError(() => K.add('a' as never, x), 'ERR_ARGUMENT', 'add', '"a"');
      expectError(() => K.add(1, 2), 'ERR_ARGUMENT', 'add', 'at least one Tensor', '[1,2]');
      expectError(() => K.sum([1, 2] as never), 'ERR_ARGUMENT', 'sum', 'a Tensor', '[1,2]');
      expectError(() => K.concatenate([] as never), 'ERR_ARGUMENT', 'concatenate', '[]');
      expectError(() => K.conv2d(image, kernel, 1, 'full' as never), 'ERR_ARGUMENT', 'conv2d', 'padding', '"full"');
      expectError(() => K.pool2d(image, 2, 1, 'valid', 'channelsLast', 'min' as never), 'ERR_ARGUMENT', 'pool2d',
        'poolMode', '"min"');
      expectError(() => K.conv2d(image, kernel, [1] as never), 'ERR_ARGUMENT', 'conv2d', 'strides');
      expectError(() => K.conv2d(image, kernel, 0), 'ERR_VALUE', 'conv2d', 'strides', '0');
      expectError(() => K.setFloatx('float16' as never), 'ERR_ARGUMENT', 'setFloatx', '"float16"');
      expectError(() => tidy('no' as never), 'ERR_ARGUMENT', 'tidy');
      expectError(() => K.gradients(loss, [x]), 'ERR_ARGUMENT', 'gradients', 'variables[0]', 'float32[2,2]');
    });
  });
});

describe('ERR_TORCH: what libtorch itself refuses', () => {
  test('average pooling and softmax of int tensors name the function and the input', () => {
    scoped(() => {
      const x = zeros([1, 4, 4, 3], 'int32');
      expectError(() => K.pool2d(x, 2, undefined, undefined, undefined, 'avg'), 'ERR_TORCH', 'pool2d', 'int32[1,3,4,4]');
      const ints = tensor([1, 2], undefined, 'int32');
      expectError(() => K.softmax(ints), 'ERR_TORCH', 'softmax', 'int32[2]');
    });
  });

  // A behaviour that differs between libtorch versions: each version is held to what it does.
  const torchMajor = Number(buildInfo().torchVersion.split('.')[0]);
  test(`max pooling of an int tensor: libtorch ${buildInfo().torchVersion} ${torchMajor >= 2 ? 'pools it' : 'refuses it'}`, () => {
    scoped(() => {
      const x = tensor(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1], 'int32');
      if (torchMajor >= 2) {
        const pooled = K.pool2d(x, 2, 2);
        expect(pooled.dtype).toBe('int32');
        expect(pooled.array()).toEqual([[[[5], [7]], [[13], [15]]]]);
      } else {
        expectError(() => K.pool2d(x, 2), 'ERR_TORCH', 'pool2d', 'int32[1,1,4,4]');
      }
    });
  });
});

describe('the error path never leaks and never aborts', () => {
  test('hundreds of failing calls of every kind leave memory() where it was', () => {
    const inputs = tidy(() => ({
      a: tensor([[1, 2], [3, 4]]),
      b: tensor([1, 2, 3]),
      img: zeros([1, 5, 5, 3]),
      kernel: zeros([3, 3, 2, 4]),
      ids: tensor([0, 9], undefined, 'int32'),
      ints: zeros([1, 4, 4, 3], 'int32'),
      other: zeros([3, 2]),
      dead: tensor([1]),
    }));
    inputs.dead.dispose();
    const failing: (() => unknown)[] = [
      () => K.add(inputs.a, inputs.b),
      () => K.dot(inputs.a, inputs.b),
      () => K.conv2d(inputs.img, inputs.kernel),
      () => K.gather(inputs.a, inputs.ids),
      () => K.oneHot(inputs.ids, 0),
      () => K.sum(inputs.a, 5),
      () => K.softmax(inputs.a, 2),
      () => K.softmax(inputs.ints),
      () => K.add(inputs.dead, 1),
      () => tensor([NaN], undefined, 'int32'),
      () => K.reshape(inputs.a, [3]),
      () => K.sparseCategoricalCrossentropy(inputs.ids, inputs.a),
      () => K.batchDot(inputs.a, inputs.other),
      () => inputs.a.to('nowhere' as Device),
      () => tidy(() => { K.add(inputs.a, 1); return K.add(inputs.a, inputs.b); }),
    ];
    const before = memory();
    let thrown = 0;
    for (let round = 0; round < 30; round++) {
      for (const call of failing) {
        try {
          call();
        } catch (error) {
          if (error instanceof KeratorchError) thrown++;
        }
      }
    }
    expect(thrown).toBe(30 * failing.length);
    expect(memory()).toEqual(before);
    K.dispose(inputs);
  });
});
