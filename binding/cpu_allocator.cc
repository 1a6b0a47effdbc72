// A caching allocator for CPU tensors. Memory fresh from the OS costs a page fault per 4 KiB page
// on first touch, and glibc hands blocks above its mmap threshold back to the OS on every free, so
// a training step that allocates the same big activations each time pays for them each time. On
// this project's VMs that cost dominated: 3 ms per MB fresh against 0.03 ms per MB reused, so a
// 28x28 VIN step spent most of its time in page faults. Blocks of at least 64 bytes are therefore
// kept when freed (up to a limit) and handed out again for the same size class; smaller ones
// (scalars) go to libtorch's own allocator.
// The bound was 1 MiB at first, then 16 KiB: blocks of 16 KiB to 1 MiB, an 8x8 VIN's activations,
// cost 4x in glibc (value iteration forward and backward 25 -> 4.6 ms). Below 16 KiB glibc reused
// memory badly too: each JS handle's bookkeeping (ours and Node-API's) lives until V8 collects the
// handle, and glibc placed it in the holes that freed tensor data left, so the next tensor of a few
// KiB came from fresh memory at the heap's top, page faults included. A 5 KiB gather in a loop took
// 30 µs instead of 5 µs, and RSS grew by 6 KiB a call until the next GC.
//
// libtorch has one CPU allocator per process, so this cache is process-wide (not per env). It is
// installed when the addon loads; KERATORCH_CPU_CACHE_MB sets its limit (default 2048; 0 turns it
// off and leaves libtorch's allocator in place).
#include <c10/core/CPUAllocator.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

constexpr size_t kMinCachedBytes = 64;
constexpr size_t kAlignment = 64;  // as c10's own CPU allocator (AVX-512 loads)
constexpr int64_t kDefaultLimitMb = 2048;

size_t PhysicalMemoryBytes() {
  static const size_t bytes = static_cast<size_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return bytes;
}

// A tensor larger than the machine's memory cannot be meant: refused before the OS is asked, which
// would swap for minutes or have the process killed (zeros([1e6, 1e6]) is 4 TB).
void CheckAllocationSize(size_t bytes) {
  if (bytes > PhysicalMemoryBytes()) {
    throw OpError("ERR_MEMORY", "a tensor of " + DescribeBytes(bytes) + " was asked for, more than this machine's " +
                                    DescribeBytes(PhysicalMemoryBytes()) + " of memory");
  }
}

// Size classes at most 1/8 apart, so a cached block fits sizes within ~12% of each other.
size_t SizeClass(size_t bytes) {
  size_t power = kMinCachedBytes;
  while (power * 2 <= bytes) power *= 2;
  const size_t step = power / 8;
  return (bytes + step - 1) / step * step;
}

class CachingCpuAllocator final : public c10::Allocator {
 public:
  CachingCpuAllocator(c10::Allocator* fallback, size_t limit) : fallback_(fallback), limit_(limit) {}

  // libtorch 1.x declares allocate const; 2.3+ non-const and adds copy_data. Both forms are defined
  // (without `override`) so whichever the base declares is overridden.
  c10::DataPtr allocate(size_t bytes) const { return Allocate(bytes); }
  c10::DataPtr allocate(size_t bytes) { return Allocate(bytes); }
  void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }

  struct Stats {
    size_t cached_bytes, limit_bytes, hits, misses;
  };

  Stats GetStats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {cached_bytes_, limit_, hits_, misses_};
  }

  void Release() const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& entry : free_) {
      for (void* block : entry.second) std::free(block);
    }
    free_.clear();
    cached_bytes_ = 0;
  }

 private:
  // A block's data pointer is its own context and Free its deleter: libtorch's mkldnn path
  // allocates and frees through the raw interface, which requires both. Free also takes the
  // fallback's small blocks, which reach it only through that raw interface.
  c10::DataPtr Allocate(size_t bytes) const {
    if (bytes < kMinCachedBytes) return fallback_->allocate(bytes);  // freed by its own deleter
    CheckAllocationSize(bytes);
    const size_t size = SizeClass(bytes);
    void* data = Take(size);
    if (data == nullptr) {
      if (posix_memalign(&data, kAlignment, size) != 0) {
        throw OpError("ERR_MEMORY", "out of memory: could not allocate " + DescribeBytes(bytes));
      }
      std::lock_guard<std::mutex> lock(mutex_);
      live_[data] = size;
    }
    return {data, data, &Free, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &Free; }

  void* Take(size_t size) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = free_.find(size);
    if (found == free_.end() || found->second.empty()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    void* data = found->second.back();
    found->second.pop_back();
    cached_bytes_ -= size;
    live_[data] = size;
    return data;
  }

  static void Free(void* data);

  // Keeps a block of ours for reuse (or frees it past the limit); false for the fallback's blocks.
  bool Keep(void* data) const {
    size_t size;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = live_.find(data);
      if (found == live_.end()) return false;
      size = found->second;
      live_.erase(found);
      if (cached_bytes_ + size <= limit_) {
        free_[size].push_back(data);
        cached_bytes_ += size;
        return true;
      }
    }
    std::free(data);
    return true;
  }

 public:
  void FreeFallback(void* data) const { fallback_->raw_deallocate(data); }

 private:
  c10::Allocator* fallback_;
  size_t limit_;
  mutable std::mutex mutex_;
  mutable std::map<size_t, std::vector<void*>> free_;  // cached blocks by size class
  mutable std::unordered_map<void*, size_t> live_;      // our blocks in use, with their size class
  mutable size_t cached_bytes_ = 0;
  mutable size_t hits_ = 0;
  mutable size_t misses_ = 0;
};

// Never destroyed: tensors may be freed during process exit, after static destructors ran.
CachingCpuAllocator* cache = nullptr;

void CachingCpuAllocator::Free(void* data) {
  if (data == nullptr) return;
  if (!cache->Keep(data)) cache->FreeFallback(data);
}

void InstallOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    int64_t limit_mb = kDefaultLimitMb;
    if (const char* text = std::getenv("KERATORCH_CPU_CACHE_MB")) limit_mb = std::atoll(text);
    if (limit_mb <= 0) return;
    cache = new CachingCpuAllocator(c10::GetCPUAllocator(), static_cast<size_t>(limit_mb) << 20);
    c10::SetCPUAllocator(cache, /*priority=*/10);
  });
}

// cpuCacheInfo() -> { enabled, cachedBytes, limitBytes, hits, misses }
Napi::Value CpuCacheInfo(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto result = Napi::Object::New(env);
  result.Set("enabled", cache != nullptr);
  const auto stats = cache ? cache->GetStats() : CachingCpuAllocator::Stats{0, 0, 0, 0};
  result.Set("cachedBytes", static_cast<double>(stats.cached_bytes));
  result.Set("limitBytes", static_cast<double>(stats.limit_bytes));
  result.Set("hits", static_cast<double>(stats.hits));
  result.Set("misses", static_cast<double>(stats.misses));
  return result;
}

// emptyCpuCache(): gives every cached block back to the OS (live tensors are untouched).
Napi::Value EmptyCpuCache(const Napi::CallbackInfo& info) {
  if (cache) cache->Release();
  return info.Env().Undefined();
}

}  // namespace

void InitCpuAllocator(Napi::Env env, Napi::Object exports) {
  InstallOnce();
  Export(env, exports, "cpuCacheInfo", CpuCacheInfo);
  Export(env, exports, "emptyCpuCache", EmptyCpuCache);
}

}  // namespace keratorch
