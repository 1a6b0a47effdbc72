// Fused value iteration as one autograd function: the forward keeps only what the backward needs
// (the argmax channel of every step, uint8, and the value maps fed to each step), and the backward
// replays the steps in reverse on the CPU or CUDA kernels.
#include "vin_fused_op.h"

#include <torch/csrc/autograd/custom_function.h>

#include "common.h"
#include "vin_fused.h"

#ifdef KERATORCH_WITH_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace keratorch {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// r is (batch, rows, cols); kernels are (Q, 9).
ViDims DimsOf(const at::Tensor& r, const at::Tensor& w, int64_t k) {
  return ViDims{r.size(0), r.size(1), r.size(2), w.size(0), k};
}

#ifdef KERATORCH_WITH_CUDA
void* CurrentStream(const at::Tensor& on) {
  return c10::cuda::getCurrentCUDAStream(on.device().index()).stream();
}
#endif

void CheckCuda(const std::string& error) {
  if (!error.empty()) throw OpError("ERR_TORCH", "the fused CUDA kernel failed: " + error);
}

// The device's kernels (kept out of the AT_DISPATCH macro: no #ifdef inside macro arguments).
template <typename T>
void Forward(const at::Tensor& on, const ViDims& dims, const ViForwardArgs<T>& args) {
  if (!on.is_cuda()) return ViForwardCpu<T>(dims, args);
#ifdef KERATORCH_WITH_CUDA
  c10::cuda::CUDAGuard device_guard(on.device());
  CheckCuda(ViForwardCuda<T>(dims, args, CurrentStream(on)));
#else
  throw OpError("ERR_DEVICE", "this addon was built without CUDA");
#endif
}

template <typename T>
void Backward(const at::Tensor& on, const ViDims& dims, const ViBackwardArgs<T>& args) {
  if (!on.is_cuda()) return ViBackwardCpu<T>(dims, args);
#ifdef KERATORCH_WITH_CUDA
  c10::cuda::CUDAGuard device_guard(on.device());
  at::Tensor scratch = at::zeros({dims.batch, dims.channels, dims.rows, dims.cols}, on.options());
  CheckCuda(ViBackwardCuda<T>(dims, args, scratch.data_ptr<T>(), CurrentStream(on)));
#else
  throw OpError("ERR_DEVICE", "this addon was built without CUDA");
#endif
}

struct ForwardResult {
  at::Tensor q, v, v_hist, arg_hist;
};

ForwardResult RunForward(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v, int64_t k,
                         bool keep_history) {
  const ViDims dims = DimsOf(r, w_r, k);
  const auto options = r.options();
  ForwardResult out;
  out.q = at::empty({dims.batch, dims.channels, dims.rows, dims.cols}, options);
  out.v = at::empty({dims.batch, 1, dims.rows, dims.cols}, options);
  if (keep_history) {
    out.v_hist = at::empty({dims.batch, k, dims.rows, dims.cols}, options);
    out.arg_hist = at::empty({dims.batch, k + 1, dims.rows, dims.cols}, options.dtype(at::kByte));
  }
  AT_DISPATCH_FLOATING_TYPES(r.scalar_type(), "valueIteration", [&] {
    const ViForwardArgs<scalar_t> args{r.data_ptr<scalar_t>(), w_r.data_ptr<scalar_t>(), w_v.data_ptr<scalar_t>(),
                                       out.q.data_ptr<scalar_t>(), out.v.data_ptr<scalar_t>(),
                                       keep_history ? out.v_hist.data_ptr<scalar_t>() : nullptr,
                                       keep_history ? out.arg_hist.data_ptr<uint8_t>() : nullptr};
    Forward(r, dims, args);
  });
  return out;
}

struct FusedValueIterationFunction : public torch::autograd::Function<FusedValueIterationFunction> {
  static variable_list forward(AutogradContext* ctx, const at::Tensor& r, const at::Tensor& w_r,
                               const at::Tensor& w_v, int64_t k) {
    ctx->set_materialize_grads(false);  // an unused output's gradient stays undefined: skipped, not zero-filled
    ForwardResult result = RunForward(r, w_r, w_v, k, /*keep_history=*/true);
    ctx->save_for_backward({r, w_r, w_v});
    ctx->saved_data["v_hist"] = result.v_hist;
    ctx->saved_data["arg_hist"] = result.arg_hist;
    ctx->saved_data["k"] = k;
    return {result.q, result.v};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& r = saved[0];
    const at::Tensor& w_r = saved[1];
    const at::Tensor& w_v = saved[2];
    const at::Tensor v_hist = ctx->saved_data["v_hist"].toTensor();
    const at::Tensor arg_hist = ctx->saved_data["arg_hist"].toTensor();
    const int64_t k = ctx->saved_data["k"].toInt();
    const at::Tensor grad_q = grads[0].defined() ? grads[0].contiguous() : at::Tensor();
    const at::Tensor grad_v = grads[1].defined() ? grads[1].contiguous() : at::Tensor();
    const ViDims dims = DimsOf(r, w_r, k);
    at::Tensor grad_r = at::empty_like(r);
    at::Tensor grad_w_r = at::zeros_like(w_r);
    at::Tensor grad_w_v = at::zeros_like(w_v);
    AT_DISPATCH_FLOATING_TYPES(r.scalar_type(), "valueIteration backward", [&] {
      const ViBackwardArgs<scalar_t> args{
          grad_q.defined() ? grad_q.data_ptr<scalar_t>() : nullptr,
          grad_v.defined() ? grad_v.data_ptr<scalar_t>() : nullptr,
          r.data_ptr<scalar_t>(), w_r.data_ptr<scalar_t>(), w_v.data_ptr<scalar_t>(),
          v_hist.data_ptr<scalar_t>(), arg_hist.data_ptr<uint8_t>(),
          grad_r.data_ptr<scalar_t>(), grad_w_r.data_ptr<scalar_t>(), grad_w_v.data_ptr<scalar_t>()};
      Backward(r, dims, args);
    });
    return {grad_r, grad_w_r, grad_w_v, at::Tensor()};
  }
};

}  // namespace

bool FusedValueIterationApplies(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v) {
  const auto type = r.scalar_type();
  if (type != at::kFloat && type != at::kDouble) return false;
  if (w_r.scalar_type() != type || w_v.scalar_type() != type) return false;
  if (w_r.device() != r.device() || w_v.device() != r.device()) return false;
  if (r.dim() != 4 || r.size(1) != 1 || r.size(2) < 1 || r.size(3) < 1) return false;
  if (w_r.dim() != 4 || w_r.sizes() != w_v.sizes() || w_r.size(0) != 3 || w_r.size(1) != 3 || w_r.size(2) != 1) {
    return false;
  }
  if (w_r.size(3) < 1 || w_r.size(3) > 255) return false;  // argmax channels are stored as uint8
  if (r.is_cpu()) return true;
#ifdef KERATORCH_WITH_CUDA
  if (r.is_cuda()) {
    const ViDims dims{r.size(0), r.size(2), r.size(3), w_r.size(3), 1};
    return ViCudaSharedBytes(dims, r.element_size()) <= kViCudaMaxSharedBytes;
  }
#endif
  return false;
}

std::vector<at::Tensor> FusedValueIteration(const at::Tensor& r, const at::Tensor& w_r, const at::Tensor& w_v,
                                            int64_t k) {
  // To the kernels' layouts with differentiable ops, so autograd maps the gradients back.
  const at::Tensor maps = r.reshape({r.size(0), r.size(2), r.size(3)}).contiguous();
  const at::Tensor taps_r = w_r.permute({3, 2, 0, 1}).reshape({w_r.size(3), kViTaps}).contiguous();
  const at::Tensor taps_v = w_v.permute({3, 2, 0, 1}).reshape({w_v.size(3), kViTaps}).contiguous();
  const bool needs_grad = at::GradMode::is_enabled() &&
                          (r.requires_grad() || w_r.requires_grad() || w_v.requires_grad());
  if (needs_grad) {
    variable_list out = FusedValueIterationFunction::apply(maps, taps_r, taps_v, k);
    return {out[0], out[1]};
  }
  ForwardResult result = RunForward(maps, taps_r, taps_v, k, /*keep_history=*/false);
  return {result.q, result.v};
}

}  // namespace keratorch
