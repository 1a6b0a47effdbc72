// Shape and indexing ops: reshape, permute, concatenate, slice, gather, one-hot, pad, index bounds.
#include <torch/csrc/jit/frontend/tracer.h>

#include <algorithm>
#include <limits>

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

// reshape(x, shape) (-1 allowed once)
Napi::Value Reshape(const Napi::CallbackInfo& info) {
  return Guard(info, "reshape", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), x.reshape(ctx.IntList(1)));
  });
}

// permute(x, dims)
Napi::Value Permute(const Napi::CallbackInfo& info) {
  return Guard(info, "permuteDimensions", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), x.permute(ctx.IntList(1)));
  });
}

// expandDims(x, axis)
Napi::Value ExpandDims(const Napi::CallbackInfo& info) {
  return Guard(info, "expandDims", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), x.unsqueeze(ctx.Int(1)));
  });
}

// squeeze(x, axis | null)
Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  return Guard(info, "squeeze", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), ctx.IsNullish(1) ? x.squeeze() : x.squeeze(ctx.Int(1)));
  });
}

// concatenate(tensors, axis)
Napi::Value Concatenate(const Napi::CallbackInfo& info) {
  return Guard(info, "concatenate", [&](OpContext& ctx) {
    auto tensors = ctx.TensorList(0);
    return Wrap(ctx.env(), at::cat(tensors, ctx.Int(1)));
  });
}

// stack(tensors, axis)
Napi::Value Stack(const Napi::CallbackInfo& info) {
  return Guard(info, "stack", [&](OpContext& ctx) {
    auto tensors = ctx.TensorList(0);
    return Wrap(ctx.env(), at::stack(tensors, ctx.Int(1)));
  });
}

// tile(x, reps): reps has one entry per axis of x.
Napi::Value Tile(const Napi::CallbackInfo& info) {
  return Guard(info, "tile", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), x.repeat(ctx.IntList(1)));
  });
}

// repeatElements(x, rep, axis)
Napi::Value RepeatElements(const Napi::CallbackInfo& info) {
  return Guard(info, "repeatElements", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::repeat_interleave(x, ctx.Int(1), ctx.Int(2)));
  });
}

// reverse(x, axes)
Napi::Value Reverse(const Napi::CallbackInfo& info) {
  return Guard(info, "reverse", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::flip(x, ctx.IntList(1)));
  });
}

// slice(x, start, size): size -1 takes the rest of an axis.
Napi::Value Slice(const Napi::CallbackInfo& info) {
  return Guard(info, "slice", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    auto start = ctx.IntList(1);
    auto size = ctx.IntList(2);
    at::Tensor result = x;
    for (int64_t axis = 0; axis < static_cast<int64_t>(start.size()); ++axis) {
      int64_t length = size[axis] < 0 ? x.size(axis) - start[axis] : size[axis];
      result = result.narrow(axis, start[axis], length);
    }
    return Wrap(ctx.env(), result);
  });
}

// stridedSlice(x, axis, start, end, step)
Napi::Value StridedSlice(const Napi::CallbackInfo& info) {
  return Guard(info, "stridedSlice", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), x.slice(ctx.Int(1), ctx.Int(2), ctx.Int(3), ctx.Int(4)));
  });
}

// gather(x, indices, axis): indices of any rank; result shape is
// x.shape[:axis] + indices.shape + x.shape[axis+1:].
Napi::Value Gather(const Napi::CallbackInfo& info) {
  return Guard(info, "gather", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    auto indices = ctx.Tensor(1);
    auto axis = ctx.Int(2);
    auto flat = at::index_select(x, axis, indices.reshape({-1}).to(at::kLong));
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
    shape.insert(shape.end(), indices.sizes().begin(), indices.sizes().end());
    shape.insert(shape.end(), x.sizes().begin() + axis + 1, x.sizes().end());
    return Wrap(ctx.env(), flat.reshape(shape));
  });
}

// More classes than any vocabulary: a one-hot row of them is 64 MiB of float32 already.
constexpr int64_t kMaxOneHotClasses = int64_t{1} << 24;

// oneHot(indices, numClasses) -> float32. Scattered into float32 zeros: at::one_hot makes int64
// first, twice the memory and time (oneHot of 3 indices into 1e9 classes: 24 GB, 35 s).
Napi::Value OneHot(const Napi::CallbackInfo& info) {
  return Guard(info, "oneHot", [&](OpContext& ctx) {
    auto indices = ctx.Tensor(0);
    const int64_t classes = ctx.Int(1);
    if (classes < 1 || classes > kMaxOneHotClasses) {
      throw OpError("ERR_VALUE", "numClasses must be an integer in [1, " + std::to_string(kMaxOneHotClasses) +
                                     "], but received " + std::to_string(classes));
    }
    auto sizes = indices.sizes().vec();
    sizes.push_back(classes);
    auto index = indices.to(at::kLong).unsqueeze(-1);
    return Wrap(ctx.env(), at::zeros(sizes, indices.options().dtype(at::kFloat)).scatter_(-1, index, 1.0));
  });
}

template <typename T>
std::pair<int64_t, int64_t> BoundsOnCpu(const at::Tensor& values) {
  const T* data = values.data_ptr<T>();
  int64_t low = std::numeric_limits<int64_t>::max(), high = std::numeric_limits<int64_t>::min();
  for (int64_t i = 0; i < values.numel(); ++i) {
    low = std::min(low, static_cast<int64_t>(data[i]));
    high = std::max(high, static_cast<int64_t>(data[i]));
  }
  return {low, high};
}

// indexBounds(indices) -> [min, max], or null when empty or while a forward is recorded (its
// replays cannot be guarded by values read now; libtorch's own index checks guard them). One call
// for what took two reductions and two reads: ops that take indices check them on every call.
Napi::Value IndexBounds(const Napi::CallbackInfo& info) {
  return Guard(info, "indexBounds", [&](OpContext& ctx) -> Napi::Value {
    auto indices = ctx.Tensor(0);
    if (indices.numel() == 0 || torch::jit::tracer::isTracing()) return ctx.env().Null();
    std::pair<int64_t, int64_t> bounds;
    const auto type = indices.scalar_type();
    if (indices.is_cpu() && (type == at::kInt || type == at::kLong || type == at::kByte)) {
      auto values = indices.contiguous();
      bounds = type == at::kInt ? BoundsOnCpu<int32_t>(values)
               : type == at::kLong ? BoundsOnCpu<int64_t>(values)
                                   : BoundsOnCpu<uint8_t>(values);
    } else {
      auto both = at::stack({indices.min(), indices.max()}).to(at::kCPU, at::kLong);
      bounds = {both[0].item<int64_t>(), both[1].item<int64_t>()};
    }
    auto result = Napi::Array::New(ctx.env(), 2);
    result.Set(0u, Napi::Number::New(ctx.env(), static_cast<double>(bounds.first)));
    result.Set(1u, Napi::Number::New(ctx.env(), static_cast<double>(bounds.second)));
    return result;
  });
}

// pad(x, pads, value): pads as libtorch orders them (last axis first: left, right, ...).
Napi::Value Pad(const Napi::CallbackInfo& info) {
  return Guard(info, "pad", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), at::constant_pad_nd(x, ctx.IntList(1), ctx.Double(2)));
  });
}

// broadcastTo(x, shape)
Napi::Value BroadcastTo(const Napi::CallbackInfo& info) {
  return Guard(info, "broadcastTo", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    return Wrap(ctx.env(), x.expand(ctx.IntList(1)).contiguous());
  });
}

}  // namespace

void InitShape(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "reshape", Reshape);
  Export(env, exports, "permute", Permute);
  Export(env, exports, "expandDims", ExpandDims);
  Export(env, exports, "squeeze", Squeeze);
  Export(env, exports, "concatenate", Concatenate);
  Export(env, exports, "stack", Stack);
  Export(env, exports, "tile", Tile);
  Export(env, exports, "repeatElements", RepeatElements);
  Export(env, exports, "reverse", Reverse);
  Export(env, exports, "slice", Slice);
  Export(env, exports, "stridedSlice", StridedSlice);
  Export(env, exports, "gather", Gather);
  Export(env, exports, "oneHot", OneHot);
  Export(env, exports, "indexBounds", IndexBounds);
  Export(env, exports, "pad", Pad);
  Export(env, exports, "broadcastTo", BroadcastTo);
}

}  // namespace keratorch
