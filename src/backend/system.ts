/** CUDA presence, threads and build facts. */
import { native, addonPath, NativeBuildInfo } from '../native';
import { checkInt } from './validate';

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

/** libtorch's intra-op thread count. */
export function getNumThreads(): number {
  return native.getNumThreads();
}

/** Sets libtorch's intra-op thread count (process-wide). */
export function setNumThreads(count: number): void {
  native.setNumThreads(checkInt('setNumThreads', 'count', count, 1));
}

/** What the loaded addon was built against, and where it was loaded from. */
export function buildInfo(): NativeBuildInfo & { addonPath: string } {
  return { ...native.buildInfo(), addonPath };
}
