// Fused value iteration on CUDA: one thread block per map, a thread per cell (strided when the map
// has more cells than a block has threads). The map's r and v planes and the kernels stay in
// shared memory for all k steps, so each step costs one barrier instead of a convolution launch,
// a max launch and their global-memory round trips. See vin_fused.h for the layouts.
//
// Backward replays the steps in reverse: v's gradient through a max reaches only the winning
// channel, so every step but the last has a one-hot q gradient, kept as one value a cell (in
// shared memory) plus the saved argmax. The kernels' gradients are summed per block in shared
// memory, then added to the result with one atomic per tap.
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "vin_fused.h"

namespace keratorch {
namespace {

constexpr int kMaxThreads = 1024;

int ThreadsFor(int64_t cells) {
  const int64_t warps = (cells + 31) / 32;
  const int64_t threads = warps * 32;
  return static_cast<int>(threads > kMaxThreads ? kMaxThreads : threads);
}

int64_t ForwardSharedBytes(const ViDims& d, int64_t element_size) {
  return (2 * d.channels * kViTaps + 3 * d.rows * d.cols) * element_size;
}

int64_t BackwardSharedBytes(const ViDims& d, int64_t element_size) {
  return (4 * d.channels * kViTaps + 2 * d.rows * d.cols) * element_size;
}

// torch.max's choice: a larger value, or the first NaN; ties keep the lower channel.
template <typename T>
__device__ __forceinline__ bool Takes(T x, T best) {
  return x > best || (x != x && best == best);
}

// The 3x3 neighbourhood of (i, j) in a rows x cols plane, zero outside the map (conv2d's padding).
template <typename T>
__device__ __forceinline__ void LoadNeighbourhood(const T* plane, int i, int j, int rows, int cols, T out[9]) {
#pragma unroll
  for (int tap = 0; tap < 9; ++tap) {
    const int ni = i + tap / 3 - 1;
    const int nj = j + tap % 3 - 1;
    out[tap] = (ni >= 0 && ni < rows && nj >= 0 && nj < cols) ? plane[ni * cols + nj] : T(0);
  }
}

// The cell that reads (i, j) through `tap`, or -1 when it lies outside the map.
__device__ __forceinline__ int ReaderThrough(int tap, int i, int j, int rows, int cols) {
  const int mi = i - (tap / 3 - 1);
  const int mj = j - (tap % 3 - 1);
  return (mi >= 0 && mi < rows && mj >= 0 && mj < cols) ? mi * cols + mj : -1;
}

// Through a convolution whose q gradient is dense (`grad`, channels apart by `cells`), at cell n =
// (i, j): adds the kernel's gradient (grad times the input's neighbourhood `near`) into the block's
// `acc`, and returns the gradient it sends back to the input at n (gathered from the cells reading
// n through each tap).
template <typename T>
__device__ T DenseBackwardAt(const T* grad, const T* w, const T near[9], int channels, int cells, int n, int i, int j,
                             int rows, int cols, T* acc) {
  for (int c = 0; c < channels; ++c) {
    const T g = grad[c * cells + n];
    if (g == T(0)) continue;
#pragma unroll
    for (int tap = 0; tap < 9; ++tap) atomicAdd(&acc[c * kViTaps + tap], g * near[tap]);
  }
  T sum = T(0);
#pragma unroll
  for (int tap = 0; tap < 9; ++tap) {
    const int m = ReaderThrough(tap, i, j, rows, cols);
    if (m < 0) continue;
    for (int c = 0; c < channels; ++c) sum += w[c * kViTaps + tap] * grad[c * cells + m];
  }
  return sum;
}

template <typename T>
__global__ void ForwardKernel(ViDims d, ViForwardArgs<T> args) {
  extern __shared__ unsigned char shared_bytes[];
  const int channels = static_cast<int>(d.channels);
  const int rows = static_cast<int>(d.rows);
  const int cols = static_cast<int>(d.cols);
  const int cells = rows * cols;
  const int k = static_cast<int>(d.k);
  T* w_r = reinterpret_cast<T*>(shared_bytes);
  T* w_v = w_r + channels * kViTaps;
  T* r = w_v + channels * kViTaps;
  T* v[2] = {r + cells, r + 2 * cells};
  const int64_t b = blockIdx.x;

  for (int n = threadIdx.x; n < channels * kViTaps; n += blockDim.x) {
    w_r[n] = args.w_r[n];
    w_v[n] = args.w_v[n];
  }
  for (int n = threadIdx.x; n < cells; n += blockDim.x) r[n] = args.r[b * cells + n];
  __syncthreads();

  for (int t = 0; t <= k; ++t) {
    const T* v_in = v[(t + 1) % 2];
    T* v_out = v[t % 2];
    const bool last = t == k;
    for (int n = threadIdx.x; n < cells; n += blockDim.x) {
      const int i = n / cols;
      const int j = n % cols;
      T r_near[9];
      T v_near[9];
      LoadNeighbourhood(r, i, j, rows, cols, r_near);
      if (t > 0) {
        LoadNeighbourhood(v_in, i, j, rows, cols, v_near);
      } else {
#pragma unroll
        for (int tap = 0; tap < 9; ++tap) v_near[tap] = T(0);
      }
      T best = T(0);
      int winner = 0;
      for (int c = 0; c < channels; ++c) {
        T q = T(0);
#pragma unroll
        for (int tap = 0; tap < 9; ++tap) q += w_r[c * kViTaps + tap] * r_near[tap];
#pragma unroll
        for (int tap = 0; tap < 9; ++tap) q += w_v[c * kViTaps + tap] * v_near[tap];
        if (last) args.q[(b * channels + c) * cells + n] = q;
        if (c == 0 || Takes(q, best)) {
          best = q;
          winner = c;
        }
      }
      v_out[n] = best;
      if (args.arg_hist) args.arg_hist[(b * (k + 1) + t) * cells + n] = static_cast<uint8_t>(winner);
      if (args.v_hist && !last) args.v_hist[(b * k + t) * cells + n] = best;
      if (last) args.v[b * cells + n] = best;
    }
    __syncthreads();
  }
}

template <typename T>
__global__ void BackwardKernel(ViDims d, ViBackwardArgs<T> args, T* grad_sum_all) {
  extern __shared__ unsigned char shared_bytes[];
  const int channels = static_cast<int>(d.channels);
  const int rows = static_cast<int>(d.rows);
  const int cols = static_cast<int>(d.cols);
  const int cells = rows * cols;
  const int k = static_cast<int>(d.k);
  const int taps = channels * kViTaps;
  T* w_r = reinterpret_cast<T*>(shared_bytes);
  T* w_v = w_r + taps;
  T* acc_w_r = w_v + taps;
  T* acc_w_v = acc_w_r + taps;
  T* g[2] = {acc_w_v + taps, acc_w_v + taps + cells};  // v's gradient at a step, one value a cell
  const int64_t b = blockIdx.x;
  const uint8_t* arg = args.arg_hist + b * (k + 1) * cells;
  const T* v_hist = args.v_hist + b * k * cells;
  const T* r = args.r + b * cells;
  T* grad_sum = grad_sum_all + b * channels * cells;  // q's gradient summed over the steps

  for (int n = threadIdx.x; n < taps; n += blockDim.x) {
    w_r[n] = args.w_r[n];
    w_v[n] = args.w_v[n];
    acc_w_r[n] = T(0);
    acc_w_v[n] = T(0);
  }
  // The last step's q gradient is dense: q's own plus v's at the winning channel.
  for (int n = threadIdx.x; n < cells; n += blockDim.x) {
    const int winner = arg[k * cells + n];
    for (int c = 0; c < channels; ++c) {
      T value = args.grad_q ? args.grad_q[(b * channels + c) * cells + n] : T(0);
      if (args.grad_v && winner == c) value += args.grad_v[b * cells + n];
      grad_sum[c * cells + n] = value;
    }
  }
  __syncthreads();
  // Through q_k = conv(r, wR) + conv(v_{k-1}, wV): wV's gradient and v_{k-1}'s.
  for (int n = threadIdx.x; n < cells; n += blockDim.x) {
    const int i = n / cols;
    const int j = n % cols;
    T v_near[9];
    LoadNeighbourhood(v_hist + (k - 1) * cells, i, j, rows, cols, v_near);
    g[(k - 1) % 2][n] = DenseBackwardAt(grad_sum, w_v, v_near, channels, cells, n, i, j, rows, cols, acc_w_v);
  }
  __syncthreads();
  // Steps k-1 .. 0: v_t's gradient g_t goes to q_t's winning channel; through q_t (t >= 1) it
  // reaches wV and v_{t-1}.
  for (int t = k - 1; t >= 0; --t) {
    const T* g_t = g[t % 2];
    T* g_before = g[(t + 1) % 2];
    for (int n = threadIdx.x; n < cells; n += blockDim.x) {
      const int i = n / cols;
      const int j = n % cols;
      const T grad = g_t[n];
      const int winner = arg[t * cells + n];
      grad_sum[winner * cells + n] += grad;  // this thread's own cell: no other thread touches it
      if (t == 0) continue;
      if (grad != T(0)) {
        T v_near[9];
        LoadNeighbourhood(v_hist + (t - 1) * cells, i, j, rows, cols, v_near);
#pragma unroll
        for (int tap = 0; tap < 9; ++tap) atomicAdd(&acc_w_v[winner * kViTaps + tap], grad * v_near[tap]);
      }
      T sum = T(0);
#pragma unroll
      for (int tap = 0; tap < 9; ++tap) {
        const int m = ReaderThrough(tap, i, j, rows, cols);
        if (m >= 0) sum += w_v[arg[t * cells + m] * kViTaps + tap] * g_t[m];
      }
      g_before[n] = sum;
    }
    __syncthreads();
  }
  // Every step added conv(r, wR): r's and wR's gradients from the summed q gradient.
  for (int n = threadIdx.x; n < cells; n += blockDim.x) {
    const int i = n / cols;
    const int j = n % cols;
    T r_near[9];
    LoadNeighbourhood(r, i, j, rows, cols, r_near);
    args.grad_r[b * cells + n] = DenseBackwardAt(grad_sum, w_r, r_near, channels, cells, n, i, j, rows, cols, acc_w_r);
  }
  __syncthreads();
  for (int n = threadIdx.x; n < taps; n += blockDim.x) {
    atomicAdd(&args.grad_w_r[n], acc_w_r[n]);
    atomicAdd(&args.grad_w_v[n], acc_w_v[n]);
  }
}

std::string LaunchError() {
  const cudaError_t error = cudaGetLastError();
  return error == cudaSuccess ? std::string() : std::string(cudaGetErrorString(error));
}

}  // namespace

int64_t ViCudaSharedBytes(const ViDims& dims, int64_t element_size) {
  const int64_t forward = ForwardSharedBytes(dims, element_size);
  const int64_t backward = BackwardSharedBytes(dims, element_size);
  return forward > backward ? forward : backward;
}

template <typename T>
std::string ViForwardCuda(const ViDims& dims, const ViForwardArgs<T>& args, void* stream) {
  if (dims.batch == 0) return std::string();
  ForwardKernel<T><<<static_cast<unsigned>(dims.batch), ThreadsFor(dims.rows * dims.cols),
                     static_cast<size_t>(ForwardSharedBytes(dims, sizeof(T))), static_cast<cudaStream_t>(stream)>>>(
      dims, args);
  return LaunchError();
}

template <typename T>
std::string ViBackwardCuda(const ViDims& dims, const ViBackwardArgs<T>& args, T* scratch, void* stream) {
  if (dims.batch == 0) return std::string();
  BackwardKernel<T><<<static_cast<unsigned>(dims.batch), ThreadsFor(dims.rows * dims.cols),
                      static_cast<size_t>(BackwardSharedBytes(dims, sizeof(T))), static_cast<cudaStream_t>(stream)>>>(
      dims, args, scratch);
  return LaunchError();
}

template std::string ViForwardCuda<float>(const ViDims&, const ViForwardArgs<float>&, void*);
template std::string ViForwardCuda<double>(const ViDims&, const ViForwardArgs<double>&, void*);
template std::string ViBackwardCuda<float>(const ViDims&, const ViBackwardArgs<float>&, float*, void*);
template std::string ViBackwardCuda<double>(const ViDims&, const ViBackwardArgs<double>&, double*, void*);

}  // namespace keratorch
