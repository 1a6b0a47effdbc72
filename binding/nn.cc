// Neural-network ops on NCHW tensors: activations with parameters, softmax, conv2d, pool2d.
// Layout (channelsLast vs channelsFirst) and Keras's 'same' padding are resolved in the TS backend,
// which passes explicit per-side padding here.
#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

// Padding per side, in the order {top, bottom, left, right}.
struct Padding2d {
  int64_t top, bottom, left, right;
  bool symmetric() const { return top == bottom && left == right; }
  std::vector<int64_t> ForConstantPad() const { return {left, right, top, bottom}; }
};

Padding2d ParsePadding(OpContext& ctx, size_t index) {
  auto pads = ctx.IntList(index);
  if (pads.size() != 4) throw OpError("ERR_ARGUMENT", "padding needs 4 values");
  return {pads[0], pads[1], pads[2], pads[3]};
}

// softmax(x, axis) / logSoftmax(x, axis)
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  return Guard(info, "softmax", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::softmax(x, ctx.Int(1)));
  });
}

Napi::Value LogSoftmax(const Napi::CallbackInfo& info) {
  return Guard(info, "logSoftmax", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::log_softmax(x, ctx.Int(1)));
  });
}

// elu(x, alpha)
Napi::Value Elu(const Napi::CallbackInfo& info) {
  return Guard(info, "elu", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::elu(x, ctx.Double(1)));
  });
}

// leakyRelu(x, alpha)
Napi::Value LeakyRelu(const Napi::CallbackInfo& info) {
  return Guard(info, "leakyRelu", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::leaky_relu(x, ctx.Double(1)));
  });
}

// conv2d(x[N,C,H,W], kernel[kh,kw,I,O] (Keras's layout), bias | null, strides, padding{t,b,l,r}, dilation)
// The kernel is viewed as libtorch's [O,I,kh,kw] here rather than by a separate permute call from
// JS: in a model step each call and each JS handle costs more than the view itself.
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  return Guard(info, "conv2d", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    auto kernel_hwio = ctx.Tensor(1);
    c10::optional<at::Tensor> bias;
    if (!ctx.IsNullish(2)) bias = ctx.Tensor(2);
    auto strides = ctx.IntList(3);
    auto padding = ParsePadding(ctx, 4);
    auto dilation = ctx.IntList(5);
    if (x.dim() != 4 || kernel_hwio.dim() != 4) {
      throw OpError("ERR_SHAPE", "conv2d needs a rank-4 input and a rank-4 kernel");
    }
    auto kernel = kernel_hwio.permute({3, 2, 0, 1});
    if (padding.symmetric()) {
      std::vector<int64_t> same_pad = {padding.top, padding.left};
      return Wrap(ctx.env(), at::conv2d(x, kernel, bias, strides, same_pad, dilation));
    }
    auto padded = at::constant_pad_nd(x, padding.ForConstantPad(), 0);
    return Wrap(ctx.env(), at::conv2d(padded, kernel, bias, strides, std::vector<int64_t>{0, 0}, dilation));
  });
}

// pool2d(x[N,C,H,W], mode 'max'|'avg', poolSize, strides, padding{t,b,l,r})
// Padded cells never win a max and never count in an average, as in Keras.
Napi::Value Pool2d(const Napi::CallbackInfo& info) {
  return Guard(info, "pool2d", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    auto mode = ctx.String(1);
    auto pool = ctx.IntList(2);
    auto strides = ctx.IntList(3);
    auto padding = ParsePadding(ctx, 4);
    if (x.dim() != 4) throw OpError("ERR_SHAPE", "pool2d needs a rank-4 input");
    bool padded = padding.top || padding.bottom || padding.left || padding.right;
    if (mode == "max") {
      auto input = padded ? at::constant_pad_nd(x, padding.ForConstantPad(),
                                                -std::numeric_limits<double>::infinity())
                          : x;
      return Wrap(ctx.env(), at::max_pool2d(input, pool, strides));
    }
    if (mode == "avg") {
      if (!padded) return Wrap(ctx.env(), at::avg_pool2d(x, pool, strides));
      auto sums = at::avg_pool2d(at::constant_pad_nd(x, padding.ForConstantPad(), 0), pool,
                                 strides);
      auto ones = at::ones({1, 1, x.size(2), x.size(3)}, x.options().requires_grad(false));
      auto counts = at::avg_pool2d(at::constant_pad_nd(ones, padding.ForConstantPad(), 0), pool,
                                   strides);
      return Wrap(ctx.env(), at::div(sums, counts));
    }
    throw OpError("ERR_ARGUMENT", "pool mode must be 'max' or 'avg', got '" + mode + "'");
  });
}

// nllLoss(logProbabilities[N,C], target[N] integer) -> [N]: -logProbabilities[i, target[i]], with
// its gradient a scatter into the picked entries. Targets are checked in TS (indexBounds) first.
Napi::Value NllLoss(const Napi::CallbackInfo& info) {
  return Guard(info, "nllLoss", [&](OpContext& ctx) {
    auto log_probabilities = ctx.Tensor(0);
    auto target = ctx.Tensor(1);
    if (log_probabilities.dim() != 2 || target.dim() != 1 || target.size(0) != log_probabilities.size(0)) {
      throw OpError("ERR_SHAPE", "nllLoss needs log-probabilities (N, C) and N targets");
    }
    return Wrap(ctx.env(), at::nll_loss(log_probabilities, target.to(at::kLong), {}, at::Reduction::None));
  });
}

}  // namespace

void InitNN(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "softmax", Softmax);
  Export(env, exports, "logSoftmax", LogSoftmax);
  Export(env, exports, "elu", Elu);
  Export(env, exports, "leakyRelu", LeakyRelu);
  Export(env, exports, "conv2d", Conv2d);
  Export(env, exports, "pool2d", Pool2d);
  Export(env, exports, "nllLoss", NllLoss);
}

}  // namespace keratorch
