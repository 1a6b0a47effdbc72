// Seeded randomness. Values are drawn on the CPU from one per-env generator, then moved to the
// target device, so a seed gives the same numbers on CPU and CUDA.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/jit/frontend/tracer.h>

#include <mutex>

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

// The generator to draw from: a fresh one for an explicit seed, else the env's.
at::Generator PickGenerator(OpContext& ctx, size_t seed_index) {
  if (!ctx.IsNullish(seed_index)) {
    return at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(ctx.Int(seed_index)));
  }
  return State(ctx.env()).generator;
}

at::Tensor ToTarget(OpContext& ctx, at::Tensor values, size_t dtype_index, size_t device_index) {
  auto dtype = ParseDType(ctx.String(dtype_index));
  if (!ctx.IsNullish(device_index)) values = values.to(ParseDevice(ctx.String(device_index)));
  return values.to(dtype);
}

// setSeed(seed)
Napi::Value SetSeed(const Napi::CallbackInfo& info) {
  return Guard(info, "setSeed", [&](OpContext& ctx) {
    auto generator = State(ctx.env()).generator;
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_current_seed(static_cast<uint64_t>(ctx.Int(0)));
    return ctx.env().Undefined();
  });
}

// randomNormal(shape, mean, stddev, dtype, device, seed | null)
Napi::Value RandomNormal(const Napi::CallbackInfo& info) {
  return Guard(info, "randomNormal", [&](OpContext& ctx) {
    auto generator = PickGenerator(ctx, 5);
    // ATen's samplers lock the generator themselves.
    auto values = at::normal(ctx.Double(1), ctx.Double(2), ctx.IntList(0), generator,
                             at::TensorOptions().dtype(at::kDouble));
    return Wrap(ctx.env(), ToTarget(ctx, values, 3, 4));
  });
}

// randomUniform(shape, low, high, dtype, device, seed | null)
Napi::Value RandomUniform(const Napi::CallbackInfo& info) {
  return Guard(info, "randomUniform", [&](OpContext& ctx) {
    auto generator = PickGenerator(ctx, 5);
    auto values = at::empty(ctx.IntList(0), at::TensorOptions().dtype(at::kDouble));
    values.uniform_(ctx.Double(1), ctx.Double(2), generator);
    return Wrap(ctx.env(), ToTarget(ctx, values, 3, 4));
  });
}

// randomBinomial(shape, p, dtype, device, seed | null): 1 with probability p.
Napi::Value RandomBinomial(const Napi::CallbackInfo& info) {
  return Guard(info, "randomBinomial", [&](OpContext& ctx) {
    auto generator = PickGenerator(ctx, 4);
    auto values = at::empty(ctx.IntList(0), at::TensorOptions().dtype(at::kFloat));
    values.bernoulli_(ctx.Double(1), generator);
    return Wrap(ctx.env(), ToTarget(ctx, values, 2, 3));
  });
}

// dropout(x, rate, noiseShape | null, seed | null): keeps each value with probability 1 - rate,
// scaled by 1 / (1 - rate); noiseShape broadcasts one mask value over axes of size 1.
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  return Guard(info, "dropout", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    auto rate = ctx.Double(1);
    if (!(rate >= 0 && rate < 1)) throw OpError("ERR_VALUE", "rate must be in [0, 1)");
    std::vector<int64_t> mask_shape =
        ctx.IsNullish(2) ? std::vector<int64_t>(x.sizes().begin(), x.sizes().end()) : ctx.IntList(2);
    at::Tensor mask;
    if (torch::jit::tracer::isTracing()) {
      // The tracer cannot record an explicit generator (fitAsync records the step): a recorded
      // dropout draws a new mask at each replay from libtorch's default generator instead.
      mask = at::bernoulli(at::full(mask_shape, 1 - rate, at::TensorOptions().dtype(at::kFloat)));
    } else {
      mask = at::empty(mask_shape, at::TensorOptions().dtype(at::kFloat));
      mask.bernoulli_(1 - rate, PickGenerator(ctx, 3));
    }
    mask = mask.to(x.device()).to(x.scalar_type()).div_(1 - rate);
    return Wrap(ctx.env(), at::mul(x, mask));
  });
}

}  // namespace

void InitRandom(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "setSeed", SetSeed);
  Export(env, exports, "randomNormal", RandomNormal);
  Export(env, exports, "randomUniform", RandomUniform);
  Export(env, exports, "randomBinomial", RandomBinomial);
  Export(env, exports, "dropout", Dropout);
}

}  // namespace keratorch
