// Registers keratorch::fused_value_iteration with libtorch's dispatcher. One CompositeImplicitAutograd
// kernel serves every device: FusedValueIteration is itself an autograd function. The tracer's
// generic fallback records each call as one node, which the JIT interpreter replays by name.
#include "vin_op.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/library.h>

#include "vin_fused_op.h"

namespace keratorch {
namespace {

std::vector<at::Tensor> FusedValueIterationKernel(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v,
                                                  int64_t k) {
  return FusedValueIteration(r, w_r, w_v, k);
}

}  // namespace

std::vector<at::Tensor> FusedValueIterationOp(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v,
                                              int64_t k) {
  static const auto op =
      c10::Dispatcher::singleton()
          .findSchemaOrThrow("keratorch::fused_value_iteration", "")
          .typed<std::vector<at::Tensor>(const at::Tensor&, const at::Tensor&, const at::Tensor&, int64_t)>();
  return op.call(r, w_r, w_v, k);
}

}  // namespace keratorch

TORCH_LIBRARY(keratorch, m) {
  m.def("fused_value_iteration(Tensor r, Tensor w_r, Tensor w_v, int k) -> Tensor[]");
  m.impl("fused_value_iteration",
         torch::dispatch(c10::DispatchKey::CompositeImplicitAutograd, TORCH_FN(keratorch::FusedValueIterationKernel)));
}
