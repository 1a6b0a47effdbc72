#include "denormals.h"

#include <ATen/Parallel.h>

#include <set>
#include <mutex>
#include <thread>

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

#if defined(__x86_64__) || defined(_M_X64)
constexpr unsigned long kFlushBits = 0x8040;  // MXCSR FTZ (bit 15) and DAZ (bit 6)
unsigned long ReadMode() { return _mm_getcsr(); }
void WriteMode(unsigned long mode) { _mm_setcsr(static_cast<unsigned>(mode)); }
#elif defined(__aarch64__)
constexpr unsigned long kFlushBits = 1UL << 24;  // FPCR FZ: flushes inputs and results
unsigned long ReadMode() {
  unsigned long fpcr;
  asm volatile("mrs %0, fpcr" : "=r"(fpcr));
  return fpcr;
}
void WriteMode(unsigned long mode) { asm volatile("msr fpcr, %0" : : "r"(mode)); }
#else
constexpr unsigned long kFlushBits = 0;
unsigned long ReadMode() { return 0; }
void WriteMode(unsigned long) {}
#endif

unsigned long WithFlush(unsigned long mode, bool flush) { return flush ? (mode | kFlushBits) : (mode & ~kFlushBits); }

// What this thread last applied to its intra-op team (OpenMP keeps one team per calling thread).
struct TeamMode {
  int threads = 0;
  bool flush = false;
};
thread_local TeamMode team_mode;

void ApplyToTeam(bool flush) {
  const int threads = at::get_num_threads();
  if (team_mode.threads == threads && team_mode.flush == flush) return;
  // With OpenMP each team thread runs exactly one chunk of a range as long as the team (grain 1).
  at::parallel_for(0, threads, 1, [flush](int64_t, int64_t) { WriteMode(WithFlush(ReadMode(), flush)); });
  team_mode = {threads, flush};
}

// setFlushDenormal(on) -> whether the CPU has the switch; getFlushDenormal() -> the current mode.
Napi::Value SetFlushDenormal(const Napi::CallbackInfo& info) {
  return Guard(info, "setFlushDenormal", [&](OpContext& ctx) {
    if (!info[0].IsBoolean()) throw OpError("ERR_ARGUMENT", "expected true or false");
    State(ctx.env()).flush_denormal = info[0].As<Napi::Boolean>().Value();
    return Napi::Boolean::New(ctx.env(), DenormalModeSupported());
  });
}

Napi::Value GetFlushDenormal(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), State(info.Env()).flush_denormal && DenormalModeSupported());
}

// parallelTeam() -> how many threads ran the chunks of a parallel loop as long as the thread count:
// the addon's own parallel loops (the fused kernels) really use the intra-op threads.
Napi::Value ParallelTeam(const Napi::CallbackInfo& info) {
  const int threads = at::get_num_threads();
  std::mutex mutex;
  std::set<std::thread::id> seen;
  at::parallel_for(0, threads, 1, [&](int64_t, int64_t) {
    std::lock_guard<std::mutex> lock(mutex);
    seen.insert(std::this_thread::get_id());
  });
  return Napi::Number::New(info.Env(), static_cast<double>(seen.size()));
}

}  // namespace

bool DenormalModeSupported() { return kFlushBits != 0; }

ScopedDenormalMode::ScopedDenormalMode(bool flush) : saved_(ReadMode()), changed_(false) {
  if (!DenormalModeSupported()) return;
  const unsigned long wanted = WithFlush(saved_, flush);
  if (wanted != saved_) {
    WriteMode(wanted);
    changed_ = true;
  }
  if (flush || team_mode.flush) ApplyToTeam(flush);
}

ScopedDenormalMode::~ScopedDenormalMode() {
  if (changed_) WriteMode(saved_);
}

void InitDenormals(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "setFlushDenormal", SetFlushDenormal);
  Export(env, exports, "getFlushDenormal", GetFlushDenormal);
  Export(env, exports, "parallelTeam", ParallelTeam);
}

}  // namespace keratorch
