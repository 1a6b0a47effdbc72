// Value iteration for VIN: the whole k-step loop in one native call, composed of libtorch ops so
// autograd runs through it. Weights arrive in Keras's (rows, cols, in, out) layout; maps are NCHW.
#include "common.h"
#include "init.h"
#include "vin_fused_op.h"
#include "vin_op.h"

namespace keratorch {
namespace {

// (rows, cols, in, out) -> (out, in, rows, cols)
at::Tensor ToOIHW(const at::Tensor& kernel) { return kernel.permute({3, 2, 0, 1}); }

at::Tensor MaxOverChannels(const at::Tensor& q) {
  // at::max picks one index per tie, as torch.max does; amax would split the gradient.
  return std::get<0>(at::max(q, /*dim=*/1, /*keepdim=*/true));
}

// valueIteration(r[B,1,H,W], wR[3,3,1,Q], wV[3,3,1,Q], k, fused) -> [q[B,Q,H,W], v[B,1,H,W]]
// q0 = conv(r, wR); v = max_c q; then k times q = conv([r, v], [wR, wV]); v = max_c q
// (k+1 q-layers in all, as the paper's code). The returned v is the max of the final q, the
// value map for pictures; the loss only depends on q. `fused` runs vin_fused.cc's kernels where
// they apply (FusedValueIterationApplies), else this composition of libtorch ops, the reference.
Napi::Value ValueIteration(const Napi::CallbackInfo& info) {
  return Guard(info, "valueIteration", [&](OpContext& ctx) {
    auto r = ctx.Tensor(0);
    auto w_r = ctx.Tensor(1);
    auto w_v = ctx.Tensor(2);
    auto k = ctx.Int(3);
    if (r.dim() != 4 || r.size(1) != 1) {
      throw OpError("ERR_SHAPE", "the reward map must be (batch, 1, rows, cols)");
    }
    if (w_r.dim() != 4 || w_r.sizes() != w_v.sizes() || w_r.size(2) != 1 || w_r.size(0) % 2 == 0 ||
        w_r.size(1) % 2 == 0) {
      throw OpError("ERR_SHAPE", "wR and wV must both be (rows, cols, 1, channels) with odd rows and cols");
    }
    if (k < 1) throw OpError("ERR_VALUE", "k must be at least 1");
    const bool fused = ctx.Bool(4);
    if (fused && FusedValueIterationApplies(r, w_r, w_v)) return WrapList(ctx.env(), FusedValueIterationOp(r, w_r, w_v, k));
    int64_t pad_rows = w_r.size(0) / 2;
    int64_t pad_cols = w_r.size(1) / 2;
    const std::vector<int64_t> padding = {pad_rows, pad_cols};
    const std::vector<int64_t> stride = {1, 1};
    const c10::optional<at::Tensor> no_bias;
    auto kernel_r = ToOIHW(w_r);
    auto kernel = at::cat({kernel_r, ToOIHW(w_v)}, 1);
    auto q = at::conv2d(r, kernel_r, no_bias, stride, padding);
    auto v = MaxOverChannels(q);
    for (int64_t i = 0; i < k; ++i) {
      q = at::conv2d(at::cat({r, v}, 1), kernel, no_bias, stride, padding);
      v = MaxOverChannels(q);
    }
    return WrapList(ctx.env(), {q, v});
  });
}

// fusedValueIterationApplies(r, wR, wV): whether valueIteration(..., fused = true) runs the fused kernels.
Napi::Value FusedApplies(const Napi::CallbackInfo& info) {
  return Guard(info, "fusedValueIterationApplies", [&](OpContext& ctx) -> Napi::Value {
    return Napi::Boolean::New(ctx.env(), FusedValueIterationApplies(ctx.Tensor(0), ctx.Tensor(1), ctx.Tensor(2)));
  });
}

}  // namespace

void InitVin(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "valueIteration", ValueIteration);
  Export(env, exports, "fusedValueIterationApplies", FusedApplies);
}

}  // namespace keratorch
