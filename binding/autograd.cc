// Autograd: trainable tensors, gradients, detaching, and in-place assignment of variables.
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

// setRequiresGrad(x, flag): marks a leaf tensor as trainable (in place).
Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "setRequiresGrad", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    x.set_requires_grad(ctx.Bool(1));
    return ctx.env().Undefined();
  });
}

// grad(outputs, inputs, retainGraph, createGraph): d(sum of outputs)/d(input) for each input;
// inputs the outputs do not depend on get zeros.
Napi::Value Grad(const Napi::CallbackInfo& info) {
  return Guard(info, "gradients", [&](OpContext& ctx) {
    auto outputs = ctx.TensorList(0);
    auto inputs = ctx.TensorList(1);
    bool retain_graph = ctx.Bool(2);
    bool create_graph = ctx.Bool(3);
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i].requires_grad()) {
        throw OpError("ERR_ARGUMENT", "variable " + std::to_string(i) +
                                          " is not trainable (make it with K.variable)");
      }
    }
    std::vector<at::Tensor> differentiable, seeds;
    for (auto& output : outputs) {
      if (!output.requires_grad()) continue;
      differentiable.push_back(output);
      seeds.push_back(at::ones_like(output));
    }
    std::vector<at::Tensor> grads(inputs.size());
    if (!differentiable.empty()) {
      grads = torch::autograd::grad(differentiable, inputs, seeds, retain_graph, create_graph,
                                    /*allow_unused=*/true);
    }
    for (size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined()) grads[i] = at::zeros_like(inputs[i]);
    }
    return WrapList(ctx.env(), grads);
  });
}

// detach(x): same values, cut from the graph (stopGradient).
Napi::Value Detach(const Napi::CallbackInfo& info) {
  return Guard(info, "stopGradient", [&](OpContext& ctx) { return Wrap(ctx.env(), ctx.Tensor(0).detach()); });
}

// assign(target, value): copies value into target in place, outside the graph.
Napi::Value Assign(const Napi::CallbackInfo& info) {
  return Guard(info, "setValue", [&](OpContext& ctx) {
    auto target = ctx.Tensor(0);
    auto value = ctx.Tensor(1);
    if (target.sizes() != value.sizes()) {
      throw OpError("ERR_SHAPE", "the new value's shape differs from the variable's");
    }
    c10::NoGradGuard no_grad;
    target.copy_(value);
    return ctx.env().Undefined();
  });
}

// setGradEnabled(flag) -> previous flag (grad recording on the JS thread).
Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(info[0].ToBoolean().Value());
  return Napi::Boolean::New(info.Env(), previous);
}

}  // namespace

void InitAutograd(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "setRequiresGrad", SetRequiresGrad);
  Export(env, exports, "grad", Grad);
  Export(env, exports, "detach", Detach);
  Export(env, exports, "assign", Assign);
  Export(env, exports, "setGradEnabled", SetGradEnabled);
}

}  // namespace keratorch
