/**
 * The CPU cache (binding/cpu_allocator.cc): freed blocks of 64 bytes or more are kept and reused,
 * smaller ones (scalars) are not, `empty()` releases them, the limit holds, KERATORCH_CPU_CACHE_MB=0
 * turns it off, and libtorch's mkldnn convolutions (which use the raw allocator interface) work
 * through it. The limit and the off switch are read once per process, so they run in children.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cpuCache, K, tidy } from '../../src';

const MB = 1 << 20;

test('a freed 4 MiB tensor is kept, then reused for the next tensor of that size', () => {
  cpuCache.empty();
  const before = cpuCache.info();
  expect(before.enabled).toBe(true);
  expect(before.cachedBytes).toBe(0);
  expect(before.limitBytes).toBe(2048 * MB);
  K.zeros([1024, 1024]).dispose(); // 4 MiB of float32
  const kept = cpuCache.info();
  expect(kept.cachedBytes).toBeGreaterThanOrEqual(4 * MB);
  expect(kept.cachedBytes).toBeLessThan(5 * MB);
  const again = K.ones([1024, 1024]);
  const reused = cpuCache.info();
  expect(reused.hits).toBe(kept.hits + 1);
  expect(reused.cachedBytes).toBe(kept.cachedBytes - kept.cachedBytes);
  expect(again.sum().item()).toBe(1024 * 1024); // a reused block holds the new values
  again.dispose();
});

test('tensors under 64 bytes bypass the cache; empty() gives the cached blocks back', () => {
  cpuCache.empty();
  const misses = cpuCache.info().misses;
  tidy(() => { for (let i = 0; i < 100; i++) K.add(K.ones([3, 5]), 1); }); // 60 bytes each
  expect(cpuCache.info().misses).toBe(misses);
  expect(cpuCache.info().cachedBytes).toBe(0);
  K.zeros([3, 1024, 1024]).dispose();
  expect(cpuCache.info().cachedBytes).toBeGreaterThan(0);
  cpuCache.empty();
  expect(cpuCache.info().cachedBytes).toBe(0);
});

test('blocks from 64 bytes up are kept (an 8x8 VIN batch\'s activations, and the few KiB of its q picks)', () => {
  cpuCache.empty();
  K.zeros([15]).dispose(); // 60 bytes of float32
  expect(cpuCache.info().cachedBytes).toBe(0);
  K.zeros([128, 10]).dispose(); // 5 KiB: the q vectors picked at 128 agents' cells
  expect(cpuCache.info().cachedBytes).toBe(5 * 1024);
  const smallHits = cpuCache.info().hits;
  K.ones([128, 10]).dispose();
  expect(cpuCache.info().hits).toBe(smallHits + 1);
  K.zeros([128, 10, 8, 8]).dispose(); // 320 KiB: one q of an 8x8 VIN, batch 128
  expect(cpuCache.info().cachedBytes).toBeGreaterThanOrEqual(320 * 1024);
  const hits = cpuCache.info().hits;
  K.ones([128, 10, 8, 8]).dispose();
  expect(cpuCache.info().hits).toBe(hits + 1);
  cpuCache.empty();
});

test('mkldnn convolutions, which allocate through the raw interface, run forward and backward', () => {
  tidy(() => {
    const x = K.variable(K.randomNormal([64, 2, 28, 28], 0, 1, 'float32', 3));
    const w = K.variable(K.randomNormal([3, 3, 2, 150], 0, 0.1, 'float32', 4));
    for (let i = 0; i < 3; i++) {
      const y = K.conv2d(x, w, 1, 'same', 'channelsFirst');
      const [gx, gw] = K.gradients(K.sum(K.square(y)), [x, w]);
      expect(gx.shape).toEqual([64, 2, 28, 28]);
      expect(gw.shape).toEqual([3, 3, 2, 150]);
    }
    expect(cpuCache.info().hits).toBeGreaterThan(0);
  });
});

const lib = path.join(__dirname, '..', '..', 'lib', 'index.js');
const withLib = fs.existsSync(lib) ? test : test.skip;
const libNote = fs.existsSync(lib) ? '' : ' (skipped: lib/ not built)';

function child(limitMb: string): Record<string, unknown> {
  const script = `const { K, cpuCache } = require(${JSON.stringify(lib)});
    K.zeros([1024, 1024]).dispose();
    const y = K.conv2d(K.ones([8, 2, 28, 28]), K.ones([3, 3, 2, 150]), 1, 'same', 'channelsFirst');
    process.stdout.write(JSON.stringify({ ...cpuCache.info(), center: K.slice(y, [0, 0, 5, 5], [1, 1, 1, 1]).item() }));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8', env: { ...process.env, KERATORCH_CPU_CACHE_MB: limitMb },
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

withLib(`KERATORCH_CPU_CACHE_MB=0 turns the cache off; ops still work${libNote}`, () => {
  expect(child('0')).toEqual({ enabled: false, cachedBytes: 0, limitBytes: 0, hits: 0, misses: 0, center: 18 });
});

withLib(`KERATORCH_CPU_CACHE_MB=1 keeps at most 1 MiB in all${libNote}`, () => {
  const info = child('1');
  expect(info).toMatchObject({ enabled: true, limitBytes: MB, center: 18 });
  expect(info.cachedBytes as number).toBeLessThanOrEqual(MB);
});
