/**
 * Settings that would hang the process refuse absurd values with a clear error (issue 16): thread
 * counts are bounded by 4 per core in the backend and in the addon itself; and libtorch's own
 * errors stay cheap, since libtorch no longer builds a C++ backtrace for each (see bench/error-path.js).
 */
import * as os from 'os';
import { getNumThreads, K, KeratorchError, serving, setNumThreads, tensor } from '../../src';
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
