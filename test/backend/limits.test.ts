/**
 * Settings that would hang the process refuse absurd values with a clear error (issue 16): thread
 * counts are bounded by 4 per core in the backend and in the addon itself; sizes that cannot be meant
 * (a tensor larger than the machine's memory, 1e9 one-hot classes, 1e9 value-iteration steps) are
 * refused before any work starts, naming the bytes asked for; and libtorch's own
 * errors stay cheap, since libtorch no longer builds a C++ backtrace for each (see bench/error-path.js).
 */
import * as os from 'os';
import { getNumThreads, K, KeratorchError, ones, serving, setNumThreads, tensor, vin } from '../../src';
import { native } from '../../src/native';

const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

test('setNumThreads and serving.configure refuse more than 4 threads per core, naming the bound', () => {
  const before = getNumThreads();
  for (const call of [() => setNumThreads(1e6), () => serving.configure({ intraOpThreads: 1e6 })]) {
    expect(call).toThrow(KeratorchError);
    expect(call).toThrow(`expected an integer in [1, ${4 * cores}]`);
  }
  expect(() => setNumThreads(0)).toThrow(/\[1, \d+\]/);
  expect(getNumThreads()).toBe(before);
  setNumThreads(4 * cores);
  expect(getNumThreads()).toBe(4 * cores);
  setNumThreads(before);
});

test('the addon refuses them too, for callers that skip the backend', () => {
  expect(() => native.setNumThreads(1e6)).toThrow(`thread count must be an integer in [1, ${4 * cores}]`);
  expect(() => native.setNumThreads(1e6)).toThrow('but received 1000000');
});

test('an error raised inside libtorch keeps its first line and names the op and its input', () => {
  const ints = tensor([1, 2], undefined, 'int32');
  expect(() => K.softmax(ints)).toThrow(/^softmax: .*not implemented for 'Int' \(received int32\[2\]\)$/);
  ints.dispose();
});

describe('sizes that cannot be meant', () => {
  const memory = `${(os.totalmem() / 1e9).toFixed(1)} GB`;

  test('any op asked for a tensor larger than the machine\'s memory says how many bytes, before allocating', () => {
    const x = K.ones([1000, 1000]);
    let thrown: KeratorchError | undefined;
    try { K.tile(x, [1000, 1000]); } catch (error) { thrown = error as KeratorchError; }
    expect(thrown).toBeInstanceOf(KeratorchError);
    expect(thrown?.code).toBe('ERR_MEMORY');
    expect(thrown?.message).toContain('tile: a tensor of 4.0 TB (4000000000000 bytes) was asked for');
    expect(thrown?.message).toContain(`more than this machine's ${memory}`);
    expect(() => K.dot(K.ones([200000, 1]), K.ones([1, 200000]))).toThrow('160.0 GB (160000000000 bytes)');
  });

  test('oneHot refuses more than 2^24 classes, and still encodes (into float32, scattered)', () => {
    const indices = tensor([0, 4, 2], [3], 'int32');
    expect(() => K.oneHot(indices, 1e9)).toThrow('numClasses must be an integer in [1, 16777216], but received 1000000000');
    const encoded = K.oneHot(indices, 5);
    expect(encoded.dtype).toBe('float32');
    expect(encoded.array()).toEqual([[1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 1, 0, 0]]);
  });

  test('value iteration refuses k above 10,000 (1e9, 2^31, 2^53 ran on for hours)', () => {
    const [r, w] = [ones([1, 1, 8, 8]), ones([3, 3, 1, 10])];
    for (const k of [1e9, 2 ** 31, 2 ** 53]) {
      expect(() => vin.valueIteration(r, w, w, k)).toThrow(`k must be an integer in [1, 10000], but received ${k}`);
    }
    expect(vin.valueIteration(r, w, w, 10000).q.shape).toEqual([1, 10, 8, 8]);
  });
});
