// The fused value iteration as a registered libtorch operator, keratorch::fused_value_iteration, so
// that the JIT tracer records it as one op (it calls raw kernels the tracer cannot see into) and a
// recorded forward replays it.
#pragma once

#include <ATen/ATen.h>

#include <vector>

namespace keratorch {

// FusedValueIteration (vin_fused_op.h) called through the dispatcher: same results, errors and autograd.
std::vector<at::Tensor> FusedValueIterationOp(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v,
                                              int64_t k);

}  // namespace keratorch
