// glibc's heap policy for the process, tuned for tensors that the garbage collector frees in bulk.
//
// Tensors left to the GC die in batches: one scavenge finalizes tens of thousands of them, and with
// them their TensorImpl, storage, data and Node-API wrappers (megabytes of small blocks). With
// glibc's defaults that costs twice:
// - Its fast bins keep small freed blocks unmerged until a larger free triggers a consolidation,
//   which then walks and merges all of them; during a bulk free that happens over and over. With
//   fast bins off (the per-thread tcache still serves small blocks first), blocks merge as they
//   are freed. A 1x10 K.add left to GC: 1.60 -> 1.47 µs.
// - Past its trim threshold (128 KiB, adapting up to 64 MiB) it gives the merged memory back to
//   the OS, and the next ops fault every page in again (about 12 µs a page on this project's VMs).
//   A higher threshold keeps it; setting it by hand freezes glibc's adaptive mmap threshold at its
//   start value (128 KiB), so that one is set to the adaptive ceiling (32 MiB) at the same time.
// PyTorch, whose tensors are freed one at a time by refcount, reuses each block at once instead.
//
// All three settings are process-wide, like libtorch's allocator. KERATORCH_HEAP_TRIM_MB sets the
// trim threshold (default 64); 0 leaves all of glibc's defaults; a policy the environment already
// sets (MALLOC_*_ or GLIBC_TUNABLES) is left as it is.
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

constexpr int64_t kDefaultTrimMb = 64;
constexpr int64_t kMmapThresholdBytes = int64_t(32) << 20;  // glibc's adaptive ceiling on 64-bit

struct HeapPolicy {
  bool tuned = false;
  int64_t trim_threshold = 0;
  int64_t mmap_threshold = 0;
  std::string reason;
};

HeapPolicy* policy = nullptr;  // process-wide, set once; never destroyed (read at exit too)

bool EnvironmentSetsHeapPolicy() {
  for (const char* name : {"MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables == nullptr) return false;
  for (const char* key : {"malloc.trim_threshold", "malloc.mmap_threshold", "malloc.top_pad", "malloc.mxfast"}) {
    if (std::strstr(tunables, key) != nullptr) return true;
  }
  return false;
}

HeapPolicy Apply() {
  HeapPolicy result;
#if defined(__GLIBC__)
  int64_t trim_mb = kDefaultTrimMb;
  if (const char* text = std::getenv("KERATORCH_HEAP_TRIM_MB")) trim_mb = std::atoll(text);
  if (trim_mb <= 0) {
    result.reason = "KERATORCH_HEAP_TRIM_MB=0: glibc's defaults";
  } else if (EnvironmentSetsHeapPolicy()) {
    result.reason = "left as the environment sets it (MALLOC_*_ or GLIBC_TUNABLES)";
  } else if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThresholdBytes)) == 1 &&
             mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_mb << 20)) == 1 &&
             mallopt(M_MXFAST, 0) == 1) {
    result.tuned = true;
    result.trim_threshold = trim_mb << 20;
    result.mmap_threshold = kMmapThresholdBytes;
    result.reason = "fast bins off; freed heap memory kept up to the trim threshold (KERATORCH_HEAP_TRIM_MB)";
  } else {
    result.reason = "glibc refused the thresholds (mallopt failed)";
  }
#else
  result.reason = "not glibc: the C library's own policy";
#endif
  return result;
}

// heapPolicy() -> { tuned, trimThresholdBytes, mmapThresholdBytes, reason }
Napi::Value HeapPolicyInfo(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto result = Napi::Object::New(env);
  result.Set("tuned", policy->tuned);
  result.Set("trimThresholdBytes", static_cast<double>(policy->trim_threshold));
  result.Set("mmapThresholdBytes", static_cast<double>(policy->mmap_threshold));
  result.Set("reason", policy->reason);
  return result;
}

}  // namespace

void InitHeapPolicy(Napi::Env env, Napi::Object exports) {
  static std::once_flag once;
  std::call_once(once, [] { policy = new HeapPolicy(Apply()); });
  Export(env, exports, "heapPolicy", HeapPolicyInfo);
}

}  // namespace keratorch
