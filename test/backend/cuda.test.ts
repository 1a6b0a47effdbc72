/**
 * The same ops on CUDA tensors: creation, math, reductions, conv2d, pool2d, gradients, the
 * to('cpu') round trip, and results equal to the CPU's. Without CUDA every test is skipped with a
 * visible "(skipped: CUDA not available)" in its name.
 */
import { inspect } from 'util';
import {
  K, Tensor, tensor, zeros, ones, full, arange, eye, randomNormal, randomUniform, zerosLike, onesLike, tidy, memory,
  dispose, cuda, buildInfo, KeratorchError,
} from '../../src';
import type { Device } from '../../src';
import { expectClose } from '../helpers/close';

const available = cuda.isAvailable();
const maybe = available ? test : test.skip;
const note = available ? '' : ' (skipped: CUDA not available)';
const GPU: Device = 'cuda';

type Nested = number | boolean | Nested[];

/**
 * Runs `compute` on CPU inputs and on the same inputs copied to CUDA, checks the CUDA result lives
 * on CUDA, and compares the values (loose tolerances: cuDNN may use TF32 for convolutions).
 */
function sameOnBoth(inputs: Tensor[], compute: (...xs: Tensor[]) => Tensor, rtol = 2e-3, atol = 2e-3): void {
  tidy(() => {
    const onCpu = compute(...inputs);
    const onGpu = compute(...inputs.map((x) => x.to(GPU)));
    expect(onGpu.device).toMatch(/^cuda(:\d+)?$/);
    expect(onCpu.device).toBe('cpu');
    expect(onGpu.dtype).toBe(onCpu.dtype);
    expect(onGpu.shape).toEqual(onCpu.shape);
    expectClose(onGpu, onCpu.array() as Nested, rtol, atol);
  });
}

describe(`CUDA${note}`, () => {
  // Always runs, so jest lists the skipped tests below (a file whose tests are all skipped is
  // reported as one skipped suite, without their names).
  test(`cuda.isAvailable() is ${available}, and agrees with deviceCount() and the build`, () => {
    expect(typeof available).toBe('boolean');
    if (available) expect(cuda.deviceCount()).toBeGreaterThanOrEqual(1);
    if (!buildInfo().cudaCompiled) expect(available).toBe(false);
  });

  maybe(`cuda reports at least one device${note}`, () => {
    expect(cuda.deviceCount()).toBeGreaterThanOrEqual(1);
  });

  maybe(`creation on cuda: tensor, zeros, ones, full, arange, eye, *Like${note}`, () => {
    tidy(() => {
      const t = tensor([[1, 2], [3, 4]], undefined, 'float32', GPU);
      expect(t.device).toBe('cuda:0');
      expect(t.array()).toEqual([[1, 2], [3, 4]]);
      expect(tensor([1, 2], undefined, 'int64', 'cuda:0').device).toBe('cuda:0');
      expect(tensor(new Float32Array([1, 2]), undefined, undefined, GPU).data()).toEqual(new Float32Array([1, 2]));
      expect(zeros([2, 3], 'float32', GPU).device).toBe('cuda:0');
      expect(ones([2], 'int32', GPU).array()).toEqual([1, 1]);
      expect(full([2], 7, 'float64', GPU).array()).toEqual([7, 7]);
      expect(arange(0, 4, 1, 'int32', GPU).array()).toEqual([0, 1, 2, 3]);
      expect(eye(2, 2, 'float32', GPU).array()).toEqual([[1, 0], [0, 1]]);
      const z = zerosLike(t);
      expect(z.device).toBe('cuda:0');
      expect(onesLike(t, 'float64').device).toBe('cuda:0');
      expect(tensor([true, false], undefined, 'bool', GPU).array()).toEqual([true, false]);
    });
  });

  maybe(`seeded random values are the same on cuda as on the cpu${note}`, () => {
    tidy(() => {
      expect(randomNormal([50], 0, 1, 'float32', 3, GPU).array()).toEqual(randomNormal([50], 0, 1, 'float32', 3).array());
      expect(randomUniform([50], -1, 1, 'float32', 4, GPU).array()).toEqual(randomUniform([50], -1, 1, 'float32', 4).array());
      expect(randomNormal([5], 0, 1, 'float32', 3, GPU).device).toBe('cuda:0');
    });
  });

  maybe(`reading values: data, array, item, toString and inspect${note}`, () => {
    tidy(() => {
      const t = tensor([[1, 2], [3, 4]], undefined, 'float32', GPU);
      expect(t.data()).toEqual(new Float32Array([1, 2, 3, 4]));
      expect(K.sum(t).item()).toBe(10);
      expect(t.toString()).toBe('[[1., 2.],\n [3., 4.]]');
      expect(inspect(t)).toBe('tensor([[1., 2.],\n        [3., 4.]], dtype=float32, device=cuda:0)');
      expect(tensor([5], undefined, 'int64', GPU).data()).toEqual(new BigInt64Array([5n]));
    });
  });

  maybe(`to('cpu') and back round-trips values, dtype and shape${note}`, () => {
    tidy(() => {
      const cpu = randomNormal([3, 4], 0, 1, 'float64', 5);
      const gpu = cpu.to(GPU);
      expect(gpu.device).toBe('cuda:0');
      expect(gpu.dtype).toBe('float64');
      const back = gpu.to('cpu');
      expect(back.device).toBe('cpu');
      expect(back.shape).toEqual([3, 4]);
      expect(back.array()).toEqual(cpu.array());
      expect(K.toDevice(cpu, 'cuda:0').device).toBe('cuda:0');
      for (const dtype of ['float32', 'int32', 'int64', 'uint8', 'bool'] as const) {
        const x = tensor([0, 1, 2], undefined, dtype);
        expect(x.to(GPU).to('cpu').array()).toEqual(x.array());
      }
    });
  });

  maybe(`to(its own cuda device) and cast(its own dtype) are copies${note}`, () => {
    tidy(() => {
      const x = tensor([1, 2, 3], undefined, 'float32', GPU);
      const y = x.to(GPU);
      const c = x.cast('float32');
      K.setValue(y, [9, 9, 9]);
      K.setValue(c, [8, 8, 8]);
      expect(x.array()).toEqual([1, 2, 3]);
      expect(y.device).toBe('cuda:0');
    });
  });

  maybe(`elementwise math equals the cpu's${note}`, () => {
    tidy(() => {
      const a = randomNormal([4, 5], 0, 1, 'float32', 1);
      const b = randomUniform([4, 5], 0.5, 2, 'float32', 2);
      sameOnBoth([a, b], (x, y) => K.add(x, y));
      sameOnBoth([a, b], (x, y) => K.divide(K.multiply(x, y), K.add(y, 1)));
      sameOnBoth([a, b], (x, y) => K.pow(y, x));
      sameOnBoth([a], (x) => K.exp(x));
      sameOnBoth([b], (x) => K.log(x));
      sameOnBoth([a], (x) => K.sqrt(x));
      sameOnBoth([a], (x) => K.tanh(K.sigmoid(x)));
      sameOnBoth([a], (x) => K.relu(x, 0.1, 1.5));
      sameOnBoth([a], (x) => K.clip(x, -0.5, 0.5));
      sameOnBoth([a, b], (x, y) => K.where(K.greater(x, 0), x, y));
      sameOnBoth([a], (x) => K.where(K.greater(x, 0), 1, 0));
      sameOnBoth([a], (x) => x.mul(2).add(1).abs());
      sameOnBoth([a], (x) => K.cast(K.greater(x, 0), 'float32'));
    });
  });

  maybe(`reductions equal the cpu's${note}`, () => {
    tidy(() => {
      const a = randomNormal([3, 4, 5], 0, 1, 'float32', 3);
      sameOnBoth([a], (x) => K.sum(x));
      sameOnBoth([a], (x) => K.sum(x, 1, true));
      sameOnBoth([a], (x) => K.mean(x, [0, 2]));
      sameOnBoth([a], (x) => K.max(x, -1));
      sameOnBoth([a], (x) => K.min(x, 0));
      sameOnBoth([a], (x) => K.std(x, 1));
      sameOnBoth([a], (x) => K.logsumexp(x, 2));
      sameOnBoth([a], (x) => K.argmax(x, 1));
      sameOnBoth([a], (x) => K.cumsum(x, 2));
      sameOnBoth([a], (x) => K.softmax(x));
      sameOnBoth([a], (x) => K.logSoftmax(x, 1));
    });
  });

  maybe(`products and shapes equal the cpu's${note}`, () => {
    tidy(() => {
      const a = randomNormal([4, 6], 0, 1, 'float32', 4);
      const b = randomNormal([6, 3], 0, 1, 'float32', 5);
      const c = randomNormal([2, 4, 6], 0, 1, 'float32', 6);
      const d = randomNormal([2, 6, 3], 0, 1, 'float32', 7);
      sameOnBoth([a, b], (x, y) => K.dot(x, y));
      sameOnBoth([c, b], (x, y) => K.dot(x, y));
      sameOnBoth([c, d], (x, y) => K.batchDot(x, y));
      sameOnBoth([a], (x) => K.transpose(x));
      sameOnBoth([c], (x) => K.permuteDimensions(x, [2, 0, 1]));
      sameOnBoth([a, a], (x, y) => K.concatenate([x, y], 0));
      sameOnBoth([a], (x) => K.tile(x, [2, 1]));
      sameOnBoth([a], (x) => K.gather(x, [3, 0, 3]));
      sameOnBoth([a], (x) => K.slice(x, [1, 2], [2, -1]));
      sameOnBoth([a], (x) => K.reverse(x, [0, 1]));
      sameOnBoth([c], (x) => K.spatial2dPadding(K.expandDims(x, -1)));
    });
  });

  maybe(`conv2d and pool2d equal the cpu's, both data formats and paddings${note}`, () => {
    tidy(() => {
      const img = randomNormal([2, 7, 6, 3], 0, 1, 'float32', 8);
      const kernel = randomNormal([3, 2, 3, 4], 0, 0.5, 'float32', 9);
      sameOnBoth([img, kernel], (x, k) => K.conv2d(x, k));
      sameOnBoth([img, kernel], (x, k) => K.conv2d(x, k, 2, 'same'));
      sameOnBoth([img, kernel], (x, k) => K.conv2d(x, k, 1, 'same', 'channelsLast', 2));
      sameOnBoth([img, kernel], (x, k) => K.conv2d(K.permuteDimensions(x, [0, 3, 1, 2]), k, [2, 1], 'valid', 'channelsFirst'));
      sameOnBoth([img], (x) => K.pool2d(x, 2, 2));
      sameOnBoth([img], (x) => K.pool2d(x, 3, 2, 'same', 'channelsLast', 'max'));
      sameOnBoth([img], (x) => K.pool2d(x, 3, 2, 'same', 'channelsLast', 'avg'));
      sameOnBoth([img], (x) => K.pool2d(K.permuteDimensions(x, [0, 3, 1, 2]), [2, 3], 1, 'valid', 'channelsFirst', 'avg'));
      sameOnBoth([img, kernel], (x, k) => K.biasAdd(K.conv2d(x, k), K.sum(k, [0, 1, 2])));
    });
  });

  maybe(`losses and one-hot equal the cpu's${note}`, () => {
    tidy(() => {
      const logits = randomNormal([5, 4], 0, 1, 'float32', 10);
      const ids = tensor([0, 3, 1, 2, 3], undefined, 'int32');
      const probs = randomUniform([5, 4], 0.05, 0.95, 'float32', 11);
      sameOnBoth([ids], (i) => K.oneHot(i, 4));
      sameOnBoth([ids, logits], (i, l) => K.categoricalCrossentropy(K.oneHot(i, 4), K.softmax(l)));
      sameOnBoth([ids, logits], (i, l) => K.categoricalCrossentropy(K.oneHot(i, 4), l, true));
      sameOnBoth([ids, logits], (i, l) => K.sparseCategoricalCrossentropy(i, l, true));
      sameOnBoth([ids, probs], (i, p) => K.binaryCrossentropy(K.oneHot(i, 4), p));
      sameOnBoth([logits], (l) => K.dropout(l, 0.5, null, 12));
    });
  });

  maybe(`gradients of cuda variables equal the cpu's and stay on cuda${note}`, () => {
    tidy(() => {
      const wValues = randomNormal([4, 3], 0, 0.5, 'float32', 13);
      const xValues = randomNormal([5, 4], 0, 1, 'float32', 14);
      const target = K.oneHot(tensor([0, 2, 1, 1, 0], undefined, 'int32'), 3);
      const grads = (device: Device) => {
        const w = K.variable(wValues.to(device));
        const x = xValues.to(device);
        const t = target.to(device);
        const loss = K.mean(K.categoricalCrossentropy(t, K.dot(x, w), true));
        const [g] = K.gradients(loss, [w]);
        return { w, g };
      };
      const cpu = grads('cpu');
      const gpu = grads(GPU);
      expect(gpu.w.device).toBe('cuda:0');
      expect(gpu.w.requiresGrad).toBe(true);
      expect(gpu.g.device).toBe('cuda:0');
      expect(gpu.g.shape).toEqual([4, 3]);
      expectClose(gpu.g, cpu.g.array() as Nested, 1e-3, 1e-4);
      // an in-place update keeps the variable on its device
      K.updateSub(gpu.w, K.multiply(gpu.g, 0.1));
      K.updateSub(cpu.w, K.multiply(cpu.g, 0.1));
      expect(gpu.w.device).toBe('cuda:0');
      expectClose(gpu.w, cpu.w.array() as Nested, 1e-3, 1e-4);
      K.setValue(gpu.w, wValues.array() as number[][]);
      expectClose(gpu.w, wValues.array() as Nested);
    });
  });

  maybe(`conv2d gradients on cuda equal the cpu's${note}`, () => {
    tidy(() => {
      const img = randomNormal([1, 5, 5, 2], 0, 1, 'float32', 15);
      const kValues = randomNormal([3, 3, 2, 2], 0, 0.5, 'float32', 16);
      const grad = (device: Device) => {
        const k = K.variable(kValues.to(device));
        const out = K.pool2d(K.relu(K.conv2d(img.to(device), k, 1, 'same')), 2, 2, 'same', 'channelsLast', 'avg');
        return K.gradients(K.sum(K.square(out)), [k])[0];
      };
      const onGpu = grad(GPU);
      expect(onGpu.device).toBe('cuda:0');
      expectClose(onGpu, grad('cpu').array() as Nested, 5e-3, 5e-3);
    });
  });

  maybe(`cuda tensors are counted, and freed by dispose and tidy${note}`, () => {
    const before = memory();
    const x = zeros([256], 'float32', GPU);
    expect(memory().numTensors).toBe(before.numTensors + 1);
    expect(memory().numBytes).toBe(before.numBytes + 1024);
    tidy(() => {
      for (let i = 0; i < 100; i++) K.exp(K.add(x, i));
    });
    expect(memory().numTensors).toBe(before.numTensors + 1);
    dispose(x);
    expect(memory()).toEqual(before);
  });

  maybe(`mixing cuda and cpu tensors is an ERR_DEVICE error, not a crash${note}`, () => {
    tidy(() => {
      const gpu = ones([2, 2], 'float32', GPU);
      const cpu = ones([2, 2]);
      const codeOf = (fn: () => unknown): string | undefined => {
        try {
          fn();
        } catch (error) {
          expect(error).toBeInstanceOf(KeratorchError);
          return (error as KeratorchError).code;
        }
        return undefined;
      };
      expect(codeOf(() => K.add(gpu, cpu))).toBe('ERR_DEVICE');
      expect(codeOf(() => K.dot(gpu, cpu))).toBe('ERR_DEVICE');
      expect(codeOf(() => K.concatenate([gpu, cpu]))).toBe('ERR_DEVICE');
      // a one-element CPU scalar may still broadcast into a CUDA op, as in libtorch
      expect(K.add(gpu, tensor(1)).device).toBe('cuda:0');
    });
  });
});
