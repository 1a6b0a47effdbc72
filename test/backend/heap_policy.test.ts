/**
 * glibc's heap policy (binding/heap_policy.cc): keratorch turns fast bins off and keeps freed heap
 * memory up to KERATORCH_HEAP_TRIM_MB (default 64), unless that is 0 or the environment already
 * sets a policy. Read once per process, so the variants run in children. Also: a tensor made from
 * values checks its shape natively (the source takes the final shape rather than being reshaped).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cpuCache } from '../../src';
import { native } from '../../src/native';

const MB = 1 << 20;
const isGlibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
  ?.header?.glibcVersionRuntime);
const envSetsPolicy = ['MALLOC_TRIM_THRESHOLD_', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TOP_PAD_'].some((n) => n in process.env) ||
  /malloc\.(trim_threshold|mmap_threshold|top_pad|mxfast)/.test(process.env.GLIBC_TUNABLES ?? '');

const lib = path.join(__dirname, '..', '..', 'lib', 'index.js');
const withLib = fs.existsSync(lib) && isGlibc ? test : test.skip;
const note = !isGlibc ? ' (skipped: not glibc)' : fs.existsSync(lib) ? '' : ' (skipped: lib/ not built)';

// A child that reports the policy after 20k small tensors were left to the GC (so frees happened).
function child(env: Record<string, string>): { tuned: boolean; trimThresholdBytes: number; mmapThresholdBytes: number;
  reason: string; sum: number } {
  const script = `const { K, tensor, cpuCache } = require(${JSON.stringify(lib)});
    const a = tensor([1, 2, 3]);
    let last;
    for (let i = 0; i < 20000; i++) last = K.add(a, i);
    process.stdout.write(JSON.stringify({ ...cpuCache.heapPolicy(), sum: K.sum(last).item() }));`;
  const clean = { ...process.env };
  for (const name of ['MALLOC_TRIM_THRESHOLD_', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TOP_PAD_', 'GLIBC_TUNABLES', 'KERATORCH_HEAP_TRIM_MB']) {
    delete clean[name];
  }
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...clean, ...env } });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

const SUM = 6 + 3 * 19999;

(isGlibc && !envSetsPolicy ? test : test.skip)('this process: fast bins off, 64 MiB trim threshold, 32 MiB mmap threshold', () => {
  expect(cpuCache.heapPolicy()).toEqual({
    tuned: true, trimThresholdBytes: 64 * MB, mmapThresholdBytes: 32 * MB,
    reason: expect.stringContaining('fast bins off'),
  });
});

withLib(`KERATORCH_HEAP_TRIM_MB sets the trim threshold${note}`, () => {
  expect(child({ KERATORCH_HEAP_TRIM_MB: '16' })).toMatchObject({ tuned: true, trimThresholdBytes: 16 * MB, sum: SUM });
});

withLib(`KERATORCH_HEAP_TRIM_MB=0 leaves glibc's defaults; ops still work${note}`, () => {
  expect(child({ KERATORCH_HEAP_TRIM_MB: '0' })).toEqual({
    tuned: false, trimThresholdBytes: 0, mmapThresholdBytes: 0, reason: expect.stringContaining('KERATORCH_HEAP_TRIM_MB=0'), sum: SUM,
  });
});

withLib(`a policy set by the environment is left as it is${note}`, () => {
  for (const env of [{ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1048576' }, { MALLOC_TOP_PAD_: '1048576' }]) {
    expect(child(env)).toMatchObject({ tuned: false, reason: expect.stringContaining('environment'), sum: SUM });
  }
});

test('fromBuffer checks that the shape holds the values', () => {
  expect(() => native.fromBuffer(new Float32Array(6), [4, 2], 'float32', null)).toThrow(
    expect.objectContaining({ code: 'ERR_SHAPE', message: expect.stringContaining('shape [4, 2] does not hold 6 values') }));
  const handle = native.fromBuffer(new Int32Array([1, 2, 3, 4, 5, 6]), [3, 2], 'float32', null);
  expect(native.meta(handle).slice(0, 2)).toEqual([[3, 2], 'float32']);
  expect(Array.from(native.data(handle) as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
});
