// The fused value iteration as a libtorch op with autograd (vin_fused.cc), for vin.cc.
#pragma once

#include <ATen/ATen.h>

#include <vector>

namespace keratorch {

// Whether the fused kernels can run these inputs: r (batch, 1, rows, cols), kernels (3, 3, 1, Q)
// with Q <= 255, float32 or float64 alike, one device (CPU, or CUDA in a CUDA build with the map
// fitting a block's shared memory).
bool FusedValueIterationApplies(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v);

// [q (batch, Q, rows, cols), v (batch, 1, rows, cols)], differentiable in r, w_r and w_v.
std::vector<at::Tensor> FusedValueIteration(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v,
                                            int64_t k);

// Which build of the CPU kernels runs here: "avx512", "avx2" or "baseline".
const char* FusedCpuKernels();

}  // namespace keratorch
