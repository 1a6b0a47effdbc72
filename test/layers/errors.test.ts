/**
 * Error cases: incompatible inputs (naming the layer and the shapes) and bad options (naming the
 * class, the option and the value), all KeratorchErrors; duplicate layer names in a model.
 */
import {
  Add, BatchNormalization, Concatenate, Conv2D, Dense, Dot, Dropout, Embedding, Flatten, Input, K, KeratorchError,
  Lambda, Layer, MaxPooling2D, merge, Merge, Model, Permute, RepeatVector, Reshape, Subtract, Tensor, tensor, tidy,
  ZeroPadding2D, Activation, getActivation, Sequential, ownOptionNames, FunctionLayer, convOutputLength,
} from '../../src';
import { describeValue } from '../../src/layers/options';
import type { LayerArgs, Shape } from '../../src';
import type { ErrorCode } from '../../src';

/** Expects `fn` to throw a KeratorchError with `code` whose message contains every fragment. */
function expectError(fn: () => unknown, code: ErrorCode, ...fragments: (string | RegExp)[]): KeratorchError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected an error, but the call returned normally');
  expect(caught).toBeInstanceOf(KeratorchError);
  const error = caught as KeratorchError;
  expect(error.code).toBe(code);
  for (const fragment of fragments) {
    if (typeof fragment === 'string') expect(error.message).toContain(fragment);
    else expect(error.message).toMatch(fragment);
  }
  return error;
}

/** The `layer "name" (Class)` prefix of layer errors. */
const named = (layer: Layer) => `layer "${layer.name}" (${layer.className})`;

describe('incompatible inputs name the layer and the shapes', () => {
  test('Dense on a rank-1 input', () => {
    const dense = new Dense({ units: 2 });
    expectError(() => dense.apply(Input({ shape: [] })), 'ERR_SHAPE', named(dense), 'expected an input of rank >= 2',
      'received (None,)');
  });

  test('Dense after build, on a different last axis (symbolic and concrete)', () => {
    const dense = new Dense({ units: 2 });
    dense.apply(Input({ shape: [3] }));
    expectError(() => dense.apply(Input({ shape: [5] })), 'ERR_SHAPE', named(dense), 'with 3 on axis 1',
      'the kernel is (3, 2)', 'received (None, 5)');
    tidy(() => {
      expectError(() => dense.apply(K.ones([4, 5])), 'ERR_SHAPE', named(dense), 'received (4, 5)');
      expectError(() => dense.apply(K.ones([5])), 'ERR_SHAPE', named(dense), 'rank >= 2', 'received (5,)');
    });
  });

  test('Dense on an unknown last axis', () => {
    const dense = new Dense({ units: 2 });
    expectError(() => dense.apply(Input({ batchShape: [null, null] })), 'ERR_SHAPE', named(dense), 'a known size on axis 1',
      'received (None, None)');
  });

  test('Concatenate with mismatched shapes', () => {
    const cat = new Concatenate();
    expectError(() => cat.apply([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })]), 'ERR_SHAPE', named(cat),
      'matching shapes except on the concatenation axis -1', '(None, 2, 3), (None, 4, 5)');
    expectError(() => new Concatenate().apply([Input({ shape: [2, 3] }), Input({ shape: [3] })]), 'ERR_SHAPE',
      '(None, 2, 3), (None, 3)');
    tidy(() => {
      expectError(() => new Concatenate({ axis: 1 }).apply([K.ones([2, 3]), K.ones([3, 3])]), 'ERR_SHAPE', '(2, 3), (3, 3)');
    });
  });

  test('Add with different shapes', () => {
    const add = new Add();
    expectError(() => add.apply([Input({ shape: [3] }), Input({ shape: [4] })]), 'ERR_SHAPE', named(add),
      'shapes broadcast together', '(None, 3), (None, 4)');
    tidy(() => {
      expectError(() => new Add().apply([K.ones([2, 3]), K.ones([2, 4])]), 'ERR_SHAPE', '(2, 3), (2, 4)');
      expectError(() => new Add().apply([K.ones([2, 3]), K.ones([3, 3])]), 'ERR_SHAPE', 'a batch axis of one size');
    });
  });

  test('merge layers need a list of inputs; Subtract exactly two', () => {
    const add = new Add();
    expectError(() => add.apply(Input({ shape: [3] })), 'ERR_ARGUMENT', named(add), 'a list of at least 2 inputs',
      'one input (None, 3)');
    const sub = new Subtract();
    const x = Input({ shape: [3] });
    expectError(() => sub.apply([x, x, x]), 'ERR_ARGUMENT', named(sub), 'exactly 2 inputs', 'received 3');
    expectError(() => new Merge({ mode: (xs: Tensor[]) => xs[0] }).apply(x), 'ERR_ARGUMENT', 'at least 2 inputs');
  });

  test('Conv2D on a rank-3 input, on other channels after build, and on images smaller than the kernel', () => {
    const conv = new Conv2D({ filters: 2, kernelSize: 3 });
    expectError(() => conv.apply(Input({ shape: [8, 8] })), 'ERR_SHAPE', named(conv), 'an input of rank 4',
      'received (None, 8, 8) (rank 3)');
    conv.apply(Input({ shape: [8, 8, 3] }));
    expectError(() => conv.apply(Input({ shape: [8, 8, 4] })), 'ERR_SHAPE', named(conv), 'with 3 on axis 3',
      'received (None, 8, 8, 4)');
    expectError(() => new Conv2D({ filters: 1, kernelSize: 3, dilationRate: 2 }).apply(Input({ shape: [4, 8, 1] })),
      'ERR_SHAPE', 'at least 5 on axis 1', 'received (None, 4, 8, 1)');
    const pool = new MaxPooling2D({ poolSize: 3, dataFormat: 'channelsFirst' });
    expectError(() => pool.apply(Input({ shape: [1, 2, 8] })), 'ERR_SHAPE', named(pool), 'at least 3 on axis 2');
    tidy(() => {
      expectError(() => conv.apply(K.ones([1, 8, 8])), 'ERR_SHAPE', named(conv), 'rank 4', 'received (1, 8, 8)');
    });
  });

  test('Dot with unequal sizes on its axes', () => {
    const dot = new Dot({ axes: 1 });
    expectError(() => dot.apply([Input({ shape: [3] }), Input({ shape: [4] })]), 'ERR_SHAPE', named(dot),
      'equal sizes on axes 1', '(None, 3), (None, 4)');
    expectError(() => new Dot({ axes: 0 }).apply([Input({ shape: [3] }), Input({ shape: [3] })]), 'ERR_SHAPE', 'not the batch axis');
  });

  test('Reshape, Flatten, Permute, RepeatVector, Embedding, BatchNormalization', () => {
    const reshape = new Reshape({ targetShape: [4, 2] });
    expectError(() => reshape.apply(Input({ shape: [3, 3] })), 'ERR_SHAPE', named(reshape), 'samples of 8 values',
      'received (None, 3, 3) (9 values per sample)');
    expectError(() => new Reshape({ targetShape: [-1, 2] }).apply(Input({ shape: [3] })), 'ERR_SHAPE', 'a multiple of 2');
    const flatten = new Flatten();
    expectError(() => flatten.apply(Input({ shape: [null, 3] })), 'ERR_SHAPE', named(flatten), 'received (None, None, 3)');
    expectError(() => new Permute({ dims: [2, 1] }).apply(Input({ shape: [3] })), 'ERR_SHAPE', 'rank 3', 'received (None, 3)');
    expectError(() => new RepeatVector({ n: 2 }).apply(Input({ shape: [3, 3] })), 'ERR_SHAPE', 'rank 2');
    expectError(() => new Embedding({ inputDim: 5, outputDim: 2, inputLength: 4 }).apply(Input({ shape: [3] })),
      'ERR_SHAPE', 'inputLength', 'received (None, 3)');
    tidy(() => {
      expectError(() => new Embedding({ inputDim: 5, outputDim: 2 }).apply(tensor([[1, 7]], undefined, 'int32')),
        'ERR_VALUE', 'indices in [0, 5)');
    });
    const bn = new BatchNormalization({ axis: 3 });
    expectError(() => bn.apply(Input({ shape: [3] })), 'ERR_SHAPE', named(bn), 'a features axis 3', 'received (None, 3)');
  });

  test('Lambda: a declared outputShape that the function does not return', () => {
    const lambda = new Lambda((x: Tensor) => K.sum(x, 2), { outputShape: [4] });
    const input = Input({ shape: [3, 4] });
    const out = lambda.apply(input);
    expect(out.shape).toEqual([null, 4]);
    const model = new Model({ inputs: input, outputs: out });
    tidy(() => {
      expectError(() => lambda.apply(K.ones([2, 3, 4])), 'ERR_SHAPE', named(lambda), 'the function returned (2, 3)',
        'outputShape declares (2, 4)', 'for input (2, 3, 4)');
      expectError(() => model.apply(K.ones([2, 3, 4])), 'ERR_SHAPE', named(lambda), 'the function returned (2, 3)');
      const byFunction = new Lambda((x: Tensor) => K.sum(x, 2), { outputShape: (s) => s });
      expectError(() => byFunction.apply(K.ones([2, 3, 4])), 'ERR_SHAPE', 'the function returned (2, 3)',
        'outputShape declares (2, 3, 4)');
    });
  });

  test('Lambda: a function that fails on zeros, or returns something else than tensors', () => {
    const failing = new Lambda(() => { throw new Error('boom'); });
    expectError(() => failing.apply(Input({ shape: [2] })), 'ERR_SHAPE', named(failing),
      'could not infer the output shape by running the function on zeros of shape (2, 2)', 'boom', 'pass outputShape');
    const notTensor = new Lambda(() => 42 as unknown as Tensor);
    expectError(() => notTensor.apply(Input({ shape: [2] })), 'ERR_SHAPE', 'expected a Tensor or a list of Tensors');
    tidy(() => {
      expectError(() => new Lambda(() => 42 as unknown as Tensor).apply(K.ones([1, 2])), 'ERR_ARGUMENT',
        'expected the function to return a Tensor or a list of Tensors but received 42');
    });
  });
});

describe('bad options name the class, the option and the value', () => {
  test.each([
    ['Dense units -1', () => new Dense({ units: -1 }), 'Dense: expected a positive integer for units but received -1'],
    ['Dense units 2.5', () => new Dense({ units: 2.5 }), 'Dense: expected a positive integer for units but received 2.5'],
    ['Dense units missing', () => new Dense({} as never), 'Dense: expected a positive integer for units but received undefined'],
    ['Dense options not an object', () => new Dense(5 as never), 'Dense: expected an options object for args but received 5'],
    ['Dense unknown activation', () => new Dense({ units: 1, activation: 'foo' }),
      /^Dense: expected one of 'relu', 'softmax'.* for activation but received "foo"$/],
    ['Dense unknown initializer', () => new Dense({ units: 1, kernelInitializer: 'nope' }),
      /^Dense: expected an initializer .* for kernelInitializer but received "nope"$/],
    ['Dense unknown regularizer', () => new Dense({ units: 1, kernelRegularizer: 'l3' }),
      /^Dense: expected 'l1', 'l2', 'l1l2'.* for kernelRegularizer but received "l3"$/],
    ['Dense useBias', () => new Dense({ units: 1, useBias: 'yes' as never }), 'Dense: expected a boolean for useBias but received "yes"'],
    ['Dense dtype', () => new Dense({ units: 1, dtype: 'float16' as never }), 'Dense: expected one of float32, float64'],
    ['Activation', () => new Activation({ activation: 'swishy' }), 'Activation: expected one of'],
    ['Conv2D padding foo', () => new Conv2D({ filters: 1, kernelSize: 3, padding: 'foo' as never }),
      "Conv2D: expected one of 'valid', 'same' for padding but received \"foo\""],
    ['Conv2D dataFormat', () => new Conv2D({ filters: 1, kernelSize: 3, dataFormat: 'nhwc' as never }),
      "Conv2D: expected one of 'channelsLast', 'channelsFirst' for dataFormat but received \"nhwc\""],
    ['Conv2D kernelSize', () => new Conv2D({ filters: 1, kernelSize: [0, 3] }),
      'Conv2D: expected an integer >= 1 or a pair of them for kernelSize but received [0,3]'],
    ['Conv2D filters', () => new Conv2D({ filters: 0, kernelSize: 1 }), 'Conv2D: expected a positive integer for filters but received 0'],
    ['Conv2D strides with dilation', () => new Conv2D({ filters: 1, kernelSize: 3, strides: 2, dilationRate: 2 }),
      'Conv2D: expected dilationRate 1 when strides > 1'],
    ['MaxPooling2D padding', () => new MaxPooling2D({ padding: 'full' as never }), 'MaxPooling2D: expected one of'],
    ['MaxPooling2D poolSize', () => new MaxPooling2D({ poolSize: -2 }), 'MaxPooling2D: expected an integer >= 1 or a pair'],
    ['ZeroPadding2D', () => new ZeroPadding2D({ padding: [1, 2, 3] as never }), 'ZeroPadding2D: expected an integer >= 0'],
    ['Dropout rate 1', () => new Dropout({ rate: 1 }), 'Dropout: expected a number in [0, 1) for rate but received 1'],
    ['Dropout noiseShape', () => new Dropout({ rate: 0.1, noiseShape: [0] }), 'Dropout: expected an array of positive integers'],
    ['Reshape two -1', () => new Reshape({ targetShape: [-1, -1] }), 'Reshape: expected an array of positive integers with at most one -1'],
    ['Permute not a permutation', () => new Permute({ dims: [1, 1] }), 'Permute: expected a permutation of 1..n'],
    ['Permute 0-based', () => new Permute({ dims: [0, 1] }), 'Permute: expected a permutation of 1..n'],
    ['RepeatVector', () => new RepeatVector({ n: 0 }), 'RepeatVector: expected a positive integer for n but received 0'],
    ['Embedding inputDim', () => new Embedding({ inputDim: 0, outputDim: 2 }), 'Embedding: expected a positive integer for inputDim'],
    ['BatchNormalization momentum', () => new BatchNormalization({ momentum: 2 }),
      'BatchNormalization: expected a number in [0, 1] for momentum but received 2'],
    ['BatchNormalization axis 0', () => new BatchNormalization({ axis: 0 }), 'BatchNormalization: expected an integer other than 0'],
    ['Concatenate axis', () => new Concatenate({ axis: 1.5 }), 'Concatenate: expected an integer for axis but received 1.5'],
    ['Dot axes', () => new Dot({ axes: 'x' as never }), 'Dot: expected an integer or a pair of integers for axes but received "x"'],
    ['Lambda function', () => new Lambda(42 as never), 'Lambda: expected an options object for args but received 42'],
    ['Lambda unregistered name', () => new Lambda({ function: 'noSuchFunction' }),
      'Lambda: the Lambda layer "', 'needs function "noSuchFunction": call registerFunction("noSuchFunction", fn)'],
    ['Lambda outputShape', () => new Lambda((x: Tensor) => x, { outputShape: 3 as never }),
      'Lambda: expected an array of non-negative integers or null'],
    ['Lambda arguments', () => new Lambda((x: Tensor) => x, { arguments: [1] as never }),
      'Lambda: expected an object of extra arguments for arguments but received [1]'],
    ['merge mode', () => merge([Input({ shape: [2] }), Input({ shape: [2] })], { mode: 'foo' as never }),
      "merge: expected one of 'sum', 'mul', 'concat', 'ave', 'max', 'dot', 'cos' or a function for mode but received \"foo\""],
    ['merge one input', () => merge([Input({ shape: [2] })], { mode: 'sum' }), 'merge: expected a list of at least 2 inputs'],
    ['getActivation', () => getActivation('nope'), /^getActivation: expected one of .* for identifier but received "nope"$/],
    ['Dense unknown option', () => new Dense({ units: 2, foo: 1 } as never),
      /^Dense: expected an option among name, .*, activation, .*, units, inputDim for args but received "foo"$/],
    ['Input unknown option', () => Input({ shape: [2], shap: [3] } as never),
      /^Input: expected an option among shape, batchShape, batchSize, dtype, name for args but received "shap"$/],
    ['Input shape NaN', () => Input({ shape: [NaN] }),
      'Input: expected an array of non-negative integers or null for shape but received [NaN]'],
    ['Input batchShape Infinity', () => Input({ batchShape: [null, Infinity] }),
      'Input: expected an array of non-negative integers or null for batchShape but received [null,Infinity]'],
    ['Model unknown option', () => new Model({ inputs: Input({ shape: [2] }), outputs: Input({ shape: [2] }), names: 'x' } as never),
      'Model: expected an option among inputs, outputs, name for args but received "names"'],
    ['Sequential unknown option', () => new Sequential([], { trainable: false } as never),
      'Sequential: expected an option among name for args but received "trainable"'],
    ['Sequential layers', () => new Sequential(new Dense({ units: 1 }) as never),
      'Sequential: expected an array of layers for layers but received'],
    ['an initializer\'s unknown config key', () => new Dense({ units: 1,
      kernelInitializer: { className: 'RandomNormal', config: { stdev: 0.1 } } }),
    /^Dense: expected an initializer .* \(RandomNormal: expected an option among mean, stddev, seed for config but received "stdev"\)$/],
    ['an initializer identifier\'s unknown key', () => new Dense({ units: 1,
      kernelInitializer: { className: 'RandomNormal', stddev: 0.1 } as never }),
    'initializer: expected an option among className, config for identifier but received "stddev"'],
    ['glorotUniform with another scale', () => new Dense({ units: 1,
      kernelInitializer: { className: 'GlorotUniform', config: { scale: 2 } } }),
    'GlorotUniform: expected 1 (GlorotUniform\'s own; varianceScaling takes others) for scale but received 2'],
    ['varianceScaling mode', () => new Dense({ units: 1,
      kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fanin' } } }),
    "VarianceScaling: expected one of 'fanIn', 'fanOut', 'fanAvg' for mode but received \"fanin\""],
    ['a regularizer\'s unknown config key', () => new Dense({ units: 1,
      kernelRegularizer: { className: 'L1L2', config: { l3: 0.1 } } }),
    'L1L2: expected an option among l1, l2 for config but received "l3"'],
  ] as [string, () => unknown, ...(string | RegExp)[]][])('%s', (_, make, ...fragments) => {
    const error = expectError(make, 'ERR_ARGUMENT', ...fragments);
    expect(error.message).toMatch(/^(\w+: expected|\w+: the )/);
  });
});

test('a custom layer lists the options it reads in static optionNames; one that does not is told so', () => {
  interface ScaleArgs extends LayerArgs { factor: number }
  class Scale extends Layer {
    static className = 'Scale';
    static optionNames = ownOptionNames<ScaleArgs, LayerArgs>()('factor');
    readonly factor: number;
    constructor(args: ScaleArgs) {
      super(args);
      this.factor = args.factor;
    }
    call(inputs: Tensor | Tensor[]): Tensor {
      return K.multiply(inputs as Tensor, this.factor);
    }
  }
  class SubScale extends Scale {
    static className = 'SubScale';
  }
  class Unlisted extends Layer {
    static className = 'Unlisted';
    call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
      return inputs;
    }
  }
  expect(new Scale({ factor: 2, name: 'scale_ok' }).factor).toBe(2);
  expect(new SubScale({ factor: 3 }).factor).toBe(3);
  expectError(() => new Scale({ factor: 2, facter: 3 } as never), 'ERR_ARGUMENT',
    /^Scale: expected an option among name, trainable, inputShape, batchInputShape, batchSize, dtype, factor for args but received "facter"$/);
  expectError(() => new Unlisted({ factor: 2 } as never), 'ERR_ARGUMENT', 'Unlisted: expected an option among',
    '(a layer class lists the options it reads besides Layer\'s in static optionNames; Unlisted lists none)');
});

describe('what a layer returns is checked against its inferred output when a model runs', () => {
  test('a layer that returns another batch size fails predict, naming the layer and both shapes', () => {
    class SumBatch extends Layer {
      static className = 'SumBatch';
      call(inputs: Tensor | Tensor[]): Tensor {
        return K.sum(inputs as Tensor, 0, true);
      }
    }
    const input = Input({ shape: [4] });
    const model = new Model({ inputs: input, outputs: new SumBatch({ name: 'rebatch' }).apply(input) });
    expect(model.outputs[0].shape).toEqual([null, 4]);
    expectError(() => model.predict(K.ones([3, 4])), 'ERR_SHAPE',
      'layer "rebatch" (SumBatch) call: expected an output of shape (3, 4) (its inferred output (None, 4) for a batch ' +
      'of 3) but received (1, 4)');
  });

  test('a Lambda that folds the batch into another axis fails too', () => {
    const input = Input({ shape: [4] });
    const folded = new Lambda((x: Tensor) => K.reshape(x, [-1, 2]), { name: 'fold_batch' }).apply(input);
    const model = new Model({ inputs: input, outputs: new Dense({ units: 1 }).apply(folded) });
    expectError(() => model.predict(K.ones([3, 4])), 'ERR_SHAPE', 'layer "fold_batch" (Lambda)',
      'expected an output of shape (3, 2)', 'but received (6, 2)');
  });

  test('a custom layer whose call disagrees with computeOutputShape on a known axis fails, inside another model too', () => {
    class Widen extends Layer {
      static className = 'Widen';
      computeOutputShape(shape: Shape | Shape[]): Shape {
        return [...(shape as Shape).slice(0, -1), 5];
      }
      call(inputs: Tensor | Tensor[]): Tensor {
        return K.concatenate([inputs as Tensor, inputs as Tensor], -1);
      }
    }
    const input = Input({ shape: [2] });
    const inner = new Model({ inputs: input, outputs: new Widen({ name: 'widen' }).apply(input), name: 'inner' });
    expectError(() => inner.predict(K.ones([2, 2])), 'ERR_SHAPE',
      'layer "widen" (Widen) call: expected an output of shape (2, 5) (its inferred output (None, 5) for a batch of 2) ' +
      'but received (2, 4)');
    const outer = Input({ shape: [2] });
    const model = new Model({ inputs: outer, outputs: inner.apply(outer) as never });
    expectError(() => model.predict(K.ones([2, 2])), 'ERR_SHAPE', 'layer "widen" (Widen)', 'but received (2, 4)');
  });

  test('layers whose output follows their inferred shape run as before, whatever the batch size', () => {
    const input = Input({ shape: [4] });
    const model = new Model({ inputs: input, outputs: new Lambda((x: Tensor) => K.reshape(x, [-1, 2, 2])).apply(input) });
    for (const batch of [1, 3, 40]) expect((model.predict(K.ones([batch, 4])) as Tensor).shape).toEqual([batch, 2, 2]);
  });
});

test('two different layers with one name in a model', () => {
  const input = Input({ shape: [3] });
  const a = new Dense({ units: 2, name: 'twin' }).apply(input);
  const b = new Dense({ units: 2, name: 'twin' }).apply(a);
  expectError(() => new Model({ inputs: input, outputs: b, name: 'twins' }), 'ERR_ARGUMENT', 'Model "twins"',
    'two different layers are named "twin"');
});

test('activations by name, camelCase or snake_case', () => {
  tidy(() => {
    const x = tensor([-2, -0.5, 0, 1.5]);
    const values = (name: string) => Array.from((getActivation(name)(x)).data() as Float32Array);
    const close = (got: number[], want: number[]) => got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    const raw = [-2, -0.5, 0, 1.5];
    close(values('relu'), raw.map((v) => Math.max(v, 0)));
    close(values('linear'), raw);
    close(values('sigmoid'), raw.map((v) => 1 / (1 + Math.exp(-v))));
    close(values('tanh'), raw.map(Math.tanh));
    close(values('elu'), raw.map((v) => (v > 0 ? v : Math.exp(v) - 1)));
    const [alpha, scale] = [1.6732632423543772, 1.0507009873554805];
    close(values('selu'), raw.map((v) => scale * (v > 0 ? v : alpha * (Math.exp(v) - 1))));
    close(values('softplus'), raw.map((v) => Math.log1p(Math.exp(v))));
    close(values('softsign'), raw.map((v) => v / (1 + Math.abs(v))));
    // Keras 3's hard sigmoid: relu6(x + 3) / 6.
    close(values('hard_sigmoid'), raw.map((v) => Math.min(6, Math.max(0, v + 3)) / 6));
    close(values('hardSigmoid'), raw.map((v) => Math.min(6, Math.max(0, v + 3)) / 6));
    close(values('exponential'), raw.map(Math.exp));
    close(values('leaky_relu'), raw.map((v) => (v > 0 ? v : 0.2 * v)));
    const total = raw.map(Math.exp).reduce((a, b) => a + b, 0);
    close(values('softmax'), raw.map((v) => Math.exp(v) / total));
  });
});

test('a Lambda that disposes its input is named, not the engine\'s later clone', () => {
  const input = Input({ shape: [4] });
  const output = new Lambda((x: Tensor) => { x.dispose(); return K.ones([1, 4]); }, { name: 'eater' }).apply(input);
  const model = new Model({ inputs: input, outputs: output as never });
  let thrown: KeratorchError | undefined;
  try { model.predict(tensor(new Array(12).fill(1), [3, 4])); } catch (error) { thrown = error as KeratorchError; }
  expect(thrown).toBeInstanceOf(KeratorchError);
  expect(thrown?.code).toBe('ERR_DISPOSED');
  expect(thrown?.message).toMatch(/^layer "eater" \(Lambda\) call: the function disposed its input \(disposed float32\[3,4\]\)/);
});

test('a deeply nested option value is described briefly, not by overflowing the stack', () => {
  let deep: unknown = [];
  for (let i = 0; i < 20000; i++) deep = [deep];
  expect(() => new Dense({ units: deep as number })).toThrow(/^Dense: expected a positive integer for units but received \[+an array of length 1\]+/);
});

test('activation names that are members of Object.prototype are unknown', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    expectError(() => getActivation(name), 'ERR_ARGUMENT', `getActivation: expected one of`, `received "${name}"`);
    expectError(() => new Dense({ units: 2, activation: name }), 'ERR_ARGUMENT', 'Dense:', `received "${name}"`);
  }
});

test('describeValue describes anything without throwing', () => {
  const throwing = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
  expect(describeValue(throwing)).toBe('an object that cannot be read');
  expect(describeValue([1, throwing])).toBe('[1,an object that cannot be read]');
  expect(describeValue(10n)).toBe('bigint 10n');
  expect(describeValue(Object.create(null))).toBe('{}');
  const cyclic: unknown[] = [1];
  cyclic.push(cyclic);
  expect(describeValue(cyclic)).toMatch(/^\[1,\[1,/);
  expect(describeValue([1, , 3])).toBe('[1,undefined,3]'); // eslint-disable-line no-sparse-arrays
});

test('convOutputLength checks its arguments', () => {
  expectError(() => convOutputLength(5, 3, 'same', 1, Object.create(null)), 'ERR_ARGUMENT',
    'convOutputLength: expected a positive integer for dilation but received {}');
  expectError(() => convOutputLength(-1, 3, 'valid', 1), 'ERR_ARGUMENT', 'convOutputLength: expected an integer >= 0 for length');
  expectError(() => convOutputLength(5, 0, 'valid', 1), 'ERR_ARGUMENT', 'for kernel but received 0');
  expectError(() => convOutputLength(5, 3, 'full' as never, 1), 'ERR_ARGUMENT', "one of 'valid', 'same' for padding");
  expectError(() => convOutputLength(5, 3, 'valid', 1.5), 'ERR_ARGUMENT', 'for stride but received 1.5');
  expect(convOutputLength(5, 3, 'valid', 1)).toBe(3);
  expect(convOutputLength(null, 3, 'same', 2)).toBeNull();
});

test('the abstract FunctionLayer cannot be constructed directly', () => {
  const Abstract = FunctionLayer as unknown as new (...args: unknown[]) => Layer;
  expectError(() => new Abstract('valid', K.ones([2, 2]), 'same'), 'ERR_ARGUMENT',
    'FunctionLayer: expected a subclass (Lambda, Merge or your own) for the class');
});

test('getActivation names itself when the caller\'s name for itself is not a string', () => {
  expect(() => getActivation('channelsFirst' as never, Object.create(null) as never))
    .toThrow(/^getActivation: expected one of 'relu'/);
});
