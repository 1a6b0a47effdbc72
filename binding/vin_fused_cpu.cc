// Picks, once per process, the widest build of the CPU kernels (cpu/vin_fused_kernels.cc) that
// this CPU runs: AVX-512, AVX2 or the baseline. KERATORCH_CPU_KERNELS=baseline|avx2|avx512 asks
// for a narrower one (for tests and comparisons); a wider one than the CPU has is never used.
// Each call then takes the widest of the builds up to that one whose vector a map's row more than
// half fills: an 8-cell row fills one AVX2 vector but half an AVX-512 one, and the 8x8 VIN ran
// 2.2x slower in AVX-512 (rows of 16 and 28 cells: AVX-512 is 1.4x faster than AVX2).
#include <cstdlib>
#include <cstring>

#include "vin_fused.h"
#include "vin_fused_op.h"

namespace keratorch {

#define KERATORCH_DECLARE_CPU_KERNELS(ns)                                      \
  namespace ns {                                                               \
  template <typename T>                                                        \
  void ViForward(const ViDims& dims, const ViForwardArgs<T>& args);            \
  template <typename T>                                                        \
  void ViBackward(const ViDims& dims, const ViBackwardArgs<T>& args);          \
  }
KERATORCH_DECLARE_CPU_KERNELS(cpu_baseline)
#ifdef KERATORCH_CPU_X86_VARIANTS
KERATORCH_DECLARE_CPU_KERNELS(cpu_avx2)
KERATORCH_DECLARE_CPU_KERNELS(cpu_avx512)
#endif
#undef KERATORCH_DECLARE_CPU_KERNELS

namespace {

enum class CpuKernels { kBaseline, kAvx2, kAvx512 };

CpuKernels Supported() {
#ifdef KERATORCH_CPU_X86_VARIANTS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return CpuKernels::kAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CpuKernels::kAvx2;
#endif
  return CpuKernels::kBaseline;
}

CpuKernels Choose() {
  const CpuKernels supported = Supported();
  const char* asked = std::getenv("KERATORCH_CPU_KERNELS");
  if (asked == nullptr) return supported;
  CpuKernels wanted = supported;
  if (std::strcmp(asked, "baseline") == 0) wanted = CpuKernels::kBaseline;
  if (std::strcmp(asked, "avx2") == 0) wanted = CpuKernels::kAvx2;
  return wanted < supported ? wanted : supported;
}

CpuKernels Chosen() {
  static const CpuKernels chosen = Choose();
  return chosen;
}

}  // namespace

const char* FusedCpuKernels() {
  switch (Chosen()) {
    case CpuKernels::kAvx512: return "avx512";
    case CpuKernels::kAvx2: return "avx2";
    default: return "baseline";
  }
}

// The vector bytes of a build, widest first.
constexpr struct {
  CpuKernels build;
  int64_t bytes;
} kBuilds[] = {{CpuKernels::kAvx512, 64}, {CpuKernels::kAvx2, 32}, {CpuKernels::kBaseline, 16}};

// The widest build up to the chosen one whose vectors rows of `cols` cells of T more than half fill.
template <typename T>
CpuKernels ForRowsOf(int64_t cols) {
  for (const auto& candidate : kBuilds) {
    if (candidate.build > Chosen()) continue;
    const int64_t lanes = candidate.bytes / static_cast<int64_t>(sizeof(T));
    if (2 * cols > lanes) return candidate.build;
  }
  return CpuKernels::kBaseline;
}

template <typename T>
void ViForwardCpu(const ViDims& dims, const ViForwardArgs<T>& args) {
#ifdef KERATORCH_CPU_X86_VARIANTS
  const CpuKernels build = ForRowsOf<T>(dims.cols);
  if (build == CpuKernels::kAvx512) return cpu_avx512::ViForward<T>(dims, args);
  if (build == CpuKernels::kAvx2) return cpu_avx2::ViForward<T>(dims, args);
#endif
  cpu_baseline::ViForward<T>(dims, args);
}

template <typename T>
void ViBackwardCpu(const ViDims& dims, const ViBackwardArgs<T>& args) {
#ifdef KERATORCH_CPU_X86_VARIANTS
  const CpuKernels build = ForRowsOf<T>(dims.cols);
  if (build == CpuKernels::kAvx512) return cpu_avx512::ViBackward<T>(dims, args);
  if (build == CpuKernels::kAvx2) return cpu_avx2::ViBackward<T>(dims, args);
#endif
  cpu_baseline::ViBackward<T>(dims, args);
}

template void ViForwardCpu<float>(const ViDims&, const ViForwardArgs<float>&);
template void ViForwardCpu<double>(const ViDims&, const ViForwardArgs<double>&);
template void ViBackwardCpu<float>(const ViDims&, const ViBackwardArgs<float>&);
template void ViBackwardCpu<double>(const ViDims&, const ViBackwardArgs<double>&);

}  // namespace keratorch
