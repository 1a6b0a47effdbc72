/** CUDA presence, threads and build facts. */
import * as os from 'os';
import { native, addonPath, addonSource, AddonSource, NativeBuildInfo, loadedTorch, LoadedTorch } from '../native';
import { checkInt, fail } from './validate';

/** CUDA queries. */
export const cuda = {
  /** True when libtorch sees at least one usable CUDA device. */
  isAvailable(): boolean {
    return native.cudaIsAvailable();
  },
  /** How many CUDA devices libtorch sees. */
  deviceCount(): number {
    return native.cudaDeviceCount();
  },
};

/** The large-block CPU cache (binding/cpu_allocator.cc): what it holds and its counters. */
export interface CpuCacheInfo {
  /** False when KERATORCH_CPU_CACHE_MB=0 turned it off (libtorch's own allocator serves everything). */
  enabled: boolean;
  /** Bytes in freed blocks kept for reuse. */
  cachedBytes: number;
  /** The most it keeps (KERATORCH_CPU_CACHE_MB, default 2048 MiB); blocks past it go back to the OS. */
  limitBytes: number;
  /** Allocations of 64 bytes or more served from the cache, and those that were not. */
  hits: number;
  misses: number;
}

/**
 * keratorch keeps freed CPU blocks of 64 bytes or more and reuses them for later tensors of about the
 * same size: memory fresh from the OS costs a page fault per 4 KiB on first touch, which on some
 * machines costs more than the ops themselves. It is process-wide, like libtorch's allocator.
 */
export const cpuCache = {
  /** What the cache holds now. */
  info(): CpuCacheInfo {
    return native.cpuCacheInfo();
  },
  /** Gives every cached block back to the OS (live tensors are untouched). */
  empty(): void {
    native.emptyCpuCache();
  },
  /**
   * glibc's heap policy as keratorch set it at load, for tensors the garbage collector frees in
   * bulk: fast bins off (freed small blocks merge at once instead of in repeated consolidations),
   * and freed memory kept in the heap up to `trimThresholdBytes` instead of going back to the OS
   * (KERATORCH_HEAP_TRIM_MB, default 64; 0, or MALLOC_* / GLIBC_TUNABLES in the environment,
   * leave glibc's own policy). Process-wide, like the cache.
   */
  heapPolicy(): HeapPolicy {
    return native.heapPolicy();
  },
};

/** What `cpuCache.heapPolicy()` reports. */
export interface HeapPolicy {
  /** True when keratorch set the thresholds (glibc only). */
  tuned: boolean;
  /** Free memory at the heap's top kept rather than returned to the OS (0 when not tuned). */
  trimThresholdBytes: number;
  /** Blocks from this size up come from mmap (0 when not tuned). */
  mmapThresholdBytes: number;
  /** Why it is as it is. */
  reason: string;
}

/** CPU cores this process may use. */
export function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * The most threads a thread-count setting accepts: 4 per core. More only oversubscribes the CPU,
 * and libtorch makes every thread at once (a million took minutes), so a typo must not hang.
 */
export function maxThreadCount(): number {
  return 4 * Math.max(1, coreCount());
}

/** libtorch's intra-op thread count. */
export function getNumThreads(): number {
  return native.getNumThreads();
}

/** Sets libtorch's intra-op thread count (process-wide). */
export function setNumThreads(count: number): void {
  native.setNumThreads(checkInt('setNumThreads', 'count', count, 1, maxThreadCount()));
}

/**
 * Whether native work treats subnormal floats (below 1.18e-38 in float32) as zero, in its inputs and
 * results: flush-to-zero and denormals-are-zero, on by default, as TensorFlow does. x86 cores take tens
 * of times longer on subnormals, and a VIN's gradient from small initial weights falls into that range.
 * `setFlushDenormal(false)` keeps IEEE subnormals (PyTorch's default); it returns whether the CPU
 * has the switch (x86-64 and 64-bit Arm). JavaScript's own arithmetic is never affected: the mode is
 * set only while a native call or task runs.
 */
export function setFlushDenormal(on: boolean): boolean {
  if (typeof on !== 'boolean') fail('setFlushDenormal', 'true or false', 'on', on);
  return native.setFlushDenormal(on);
}

/** Whether subnormal floats are flushed to zero now (false where the CPU has no switch). */
export function getFlushDenormal(): boolean {
  return native.getFlushDenormal();
}

/**
 * How many threads run the addon's own parallel loops (the fused value-iteration kernels) now: the
 * intra-op thread count where they really run in parallel.
 */
export function parallelTeamSize(): number {
  return native.parallelTeam();
}

/** The libtorch this process runs on, as loaded (not as the build claims). */
export type LoadedTorchInfo = LoadedTorch;

/**
 * What the loaded addon was built against, its file, which of the loader's places it came from,
 * and the libtorch really loaded (`loaded`).
 */
export function buildInfo(): NativeBuildInfo & { addonPath: string; addonSource: AddonSource; loaded: LoadedTorchInfo } {
  return { ...native.buildInfo(), addonPath, addonSource, loaded: loadedTorch() };
}
