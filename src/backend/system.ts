/** CUDA presence, threads and build facts. */
import { native, addonPath, addonSource, AddonSource, NativeBuildInfo } from '../native';
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

/** What the loaded addon was built against, its file, and which of the loader's places it came from. */
export function buildInfo(): NativeBuildInfo & { addonPath: string; addonSource: AddonSource } {
  return { ...native.buildInfo(), addonPath, addonSource };
}
