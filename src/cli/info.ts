/** `keratorch info`: the package, the addon and the libtorch it was built against, CUDA, devices, threads. */
import * as fs from 'fs';
import * as path from 'path';
import { buildInfo, cpuCache, cuda, getNumThreads } from '../backend';
import { packageRoot } from '../addon_files';

/** Thread-count variables libtorch's CPU backends read at start-up, where set. */
const threadVariables = ['OMP_NUM_THREADS', 'MKL_NUM_THREADS'];

/** Runs `keratorch info`. */
export function info(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const build = buildInfo();
  const available = cuda.isAvailable();
  const devices = ['cpu', ...Array.from({ length: cuda.deviceCount() }, (_, i) => `cuda:${i}`)];
  const threadEnv = threadVariables.filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`);
  console.log(`keratorch ${pkg.version} (node ${process.version})`);
  console.log(`platform: ${process.platform}-${process.arch}`);
  console.log(`addon:    ${build.addonPath} (${build.addonSource})`);
  console.log(`libtorch: ${build.torchVersion} from ${build.torchSource} (${build.torchLibDir})`);
  const names = build.loaded.libraries.map((file) => path.basename(file)).join(', ');
  console.log(`loaded:   libtorch ${build.loaded.version ?? '(version unknown)'} from ${build.loaded.libDir} (${names})`);
  console.log(`CUDA:     ${build.cudaCompiled ? 'compiled in' : 'not compiled in'}, ${available ? 'available' : 'not available'}`);
  console.log(`devices:  ${devices.join(', ')}`);
  console.log(`threads:  ${getNumThreads()} intra-op (libtorch)${threadEnv.length ? `; ${threadEnv.join(', ')}` : ''}`);
  console.log(`kernels:  fused value iteration on the CPU: ${build.cpuKernels} (narrower vectors for rows that fill half of one)`);
  const cache = cpuCache.info();
  console.log(`cpu cache: ${cache.enabled ? `large blocks kept for reuse, up to ${cache.limitBytes / 2 ** 20} MiB ` +
    '(KERATORCH_CPU_CACHE_MB)' : 'off (KERATORCH_CPU_CACHE_MB=0)'}`);
  const heap = cpuCache.heapPolicy();
  console.log(`heap:     ${heap.tuned ? `freed memory kept up to ${heap.trimThresholdBytes / 2 ** 20} MiB (KERATORCH_HEAP_TRIM_MB)` : heap.reason}`);
}
