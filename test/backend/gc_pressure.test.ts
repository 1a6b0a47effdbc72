/**
 * What V8 is told about tensor memory (binding/common.cc): tensors a tidy scope holds are not
 * counted as external memory (they cannot be collected, and counting them made V8 run full
 * collections for nothing), while tensors that leave every scope alive (returned from the
 * outermost tidy, or kept) are, so that leaving them to the GC still frees them. Each case runs in
 * a child `node --expose-gc` that loads the compiled lib/, so V8's GC state is its own.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const lib = path.resolve(__dirname, '../../lib/index.js');
const withLib = fs.existsSync(lib) ? test : test.skip;
const note = fs.existsSync(lib) ? '' : ' (skipped: lib/ not built, run npm run build:ts)';

// Runs `body` (inside an async function with K, tensor, tidy, keep, memory in scope) and returns
// the JSON it printed last.
function runChild(body: string): Record<string, number> {
  const script = `
    const { K, tensor, tidy, keep, memory } = require(${JSON.stringify(lib)});
    const { PerformanceObserver, constants } = require('perf_hooks');
    let majorGcs = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
    }).observe({ entryTypes: ['gc'] });
    (async () => { ${body} })().catch((error) => { console.error(error); process.exit(2); });`;
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 120000 });
  expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const FOUR_MB = 1 << 20; // float32 values

withLib(`a tidy scope holding 160 MB of tensors until it ends makes V8 run no full collections${note}`, () => {
  const result = runChild(`
    const x = K.ones([${FOUR_MB}]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = majorGcs;
    for (let pass = 0; pass < 10; pass++) {
      tidy(() => { for (let i = 0; i < 40; i++) K.add(x, i); });
      await new Promise(setImmediate); // lets the GC observer report
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(JSON.stringify({ majorGcs: majorGcs - before, live: memory().numTensors }));`);
  // Counted as they were made, these 1.6 GB in 10 passes started about two full collections a pass.
  expect(result.majorGcs).toBeLessThanOrEqual(1);
  expect(result.live).toBe(1);
}, 120000);

withLib(`tensors returned from tidy, or kept, and then left to the GC are still collected${note}`, () => {
  const result = runChild(`
    const x = K.ones([${FOUR_MB}]);
    const base = memory().numTensors;
    let peak = 0;
    for (let i = 1; i <= 300; i++) {
      // 4 MB a tensor, never disposed: 1.2 GB in all if nothing freed them.
      if (i % 2) tidy(() => K.add(x, i));
      else tidy(() => { keep(K.add(x, i)); });
      if (i % 10 === 0) {
        peak = Math.max(peak, memory().numTensors - base);
        await new Promise(setImmediate);
      }
    }
    x.dispose();
    for (let i = 0; i < 3; i++) { global.gc(); await new Promise(setImmediate); }
    console.log(JSON.stringify({ peak, end: memory().numTensors - base + 1 }));`);
  // Only V8's count of their memory makes it collect here: their JS objects are a few KB in all.
  expect(result.peak).toBeLessThan(100);
  expect(result.end).toBe(0);
}, 120000);
