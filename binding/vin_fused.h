// Fused value iteration: all k steps of VIN's q = conv([r, v]), v = max_c q in one pass per map,
// forward and backward, on raw buffers. This header is free of libtorch and CUDA headers so the
// CUDA kernels (vin_fused_cuda.cu) compile with nvcc alone; vin_fused.cc wraps both backends as
// one autograd function.
//
// Layouts (all contiguous): r, dr: [batch][rows][cols]; wR, wV, dwR, dwV: [channels][3][3] (the
// correlation taps, as conv2d's weight); q: [batch][channels][rows][cols]; v: [batch][rows][cols];
// history (kept for backward only): v_hist [batch][k][rows][cols] holds v_0..v_{k-1};
// arg_hist [batch][k+1][rows][cols] holds the channel max picked at every step (ties: lowest channel,
// as torch.max; NaN wins, as torch.max).
#pragma once

#include <cstdint>
#include <string>

namespace keratorch {

struct ViDims {
  int64_t batch;
  int64_t rows;
  int64_t cols;
  int64_t channels;
  int64_t k;
};

constexpr int64_t kViTaps = 9;  // 3x3 kernels

template <typename T>
struct ViForwardArgs {
  const T* r;
  const T* w_r;
  const T* w_v;
  T* q;                // the final q
  T* v;                // the final value map
  T* v_hist;           // nullptr when no backward will run
  uint8_t* arg_hist;   // nullptr when no backward will run
};

template <typename T>
struct ViBackwardArgs {
  const T* grad_q;     // nullptr when q's gradient is zero
  const T* grad_v;     // nullptr when v's gradient is zero
  const T* r;
  const T* w_r;
  const T* w_v;
  const T* v_hist;
  const uint8_t* arg_hist;
  T* grad_r;           // written
  T* grad_w_r;         // written (CPU) / accumulated into zeros (CUDA)
  T* grad_w_v;
};

// CPU (vin_fused_cpu.cc): parallel over the batch with at::parallel_for.
template <typename T>
void ViForwardCpu(const ViDims& dims, const ViForwardArgs<T>& args);
template <typename T>
void ViBackwardCpu(const ViDims& dims, const ViBackwardArgs<T>& args);

// CUDA (vin_fused_cuda.cu): one block per map. `stream` is a cudaStream_t; `scratch` holds
// batch * channels * rows * cols zeros; grad_w_r / grad_w_v must be zeros. Returns "" or the
// CUDA error's text.
template <typename T>
std::string ViForwardCuda(const ViDims& dims, const ViForwardArgs<T>& args, void* stream);
template <typename T>
std::string ViBackwardCuda(const ViDims& dims, const ViBackwardArgs<T>& args, T* scratch, void* stream);
// Shared memory a block needs, to decide whether the fused CUDA path applies.
int64_t ViCudaSharedBytes(const ViDims& dims, int64_t element_size);
constexpr int64_t kViCudaMaxSharedBytes = 48 * 1024;

}  // namespace keratorch
