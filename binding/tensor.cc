// Tensor creation, reading, device/dtype moves and lifetime.
#include "init.h"

#include <c10/core/GradMode.h>
#include <algorithm>
#include <cstring>

#include "common.h"
#include "recorded_forward.h"

namespace keratorch {
namespace {

at::TensorOptions Options(OpContext& ctx, size_t dtype_index, size_t device_index) {
  auto options = at::TensorOptions().dtype(ParseDType(ctx.String(dtype_index)));
  if (!ctx.IsNullish(device_index)) options = options.device(ParseDevice(ctx.String(device_index)));
  return options;
}

at::ScalarType TypedArrayDType(napi_typedarray_type type) {
  switch (type) {
    case napi_float32_array: return at::kFloat;
    case napi_float64_array: return at::kDouble;
    case napi_int32_array: return at::kInt;
    case napi_bigint64_array: return at::kLong;
    case napi_uint8_array: return at::kByte;
    case napi_int8_array: return at::kChar;
    case napi_int16_array: return at::kShort;
    default: throw OpError("ERR_DTYPE", "unsupported TypedArray type");
  }
}

// fromBuffer(typedArray, shape, dtype, device): copies the values into a new tensor.
Napi::Value FromBuffer(const Napi::CallbackInfo& info) {
  return Guard(info, "tensor", [&](OpContext& ctx) {
    if (!info[0].IsTypedArray()) throw OpError("ERR_ARGUMENT", "values are not a TypedArray");
    auto array = info[0].As<Napi::TypedArray>();
    auto shape = ctx.IntList(1);
    auto options = Options(ctx, 2, 3);
    auto source_type = TypedArrayDType(array.TypedArrayType());
    auto* data = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    if (c10::multiply_integers(shape) != static_cast<int64_t>(array.ElementLength())) {
      throw OpError("ERR_SHAPE", "shape " + c10::str(at::IntArrayRef(shape)) + " does not hold " +
                                     std::to_string(array.ElementLength()) + " values");
    }
    // The source takes the final shape, so the copy is a tensor of its own rather than a view
    // (a view carries autograd metadata that every later op on it consults under a lock).
    auto source = at::from_blob(data, shape, at::TensorOptions().dtype(source_type));
    // Casting from the source type also copies, so the tensor never aliases JS memory.
    auto result = source.to(options.dtype(), false, /*copy=*/true);
    if (options.device() != result.device()) result = result.to(options.device());
    return Wrap(ctx.env(), result);
  });
}

// full(shape, value, dtype, device)
Napi::Value Full(const Napi::CallbackInfo& info) {
  return Guard(info, "full", [&](OpContext& ctx) {
    return Wrap(ctx.env(), at::full(ctx.IntList(0), ctx.Double(1), Options(ctx, 2, 3)));
  });
}

// arange(start, stop, step, dtype, device)
Napi::Value Arange(const Napi::CallbackInfo& info) {
  return Guard(info, "arange", [&](OpContext& ctx) {
    return Wrap(ctx.env(),
                at::arange(ctx.Double(0), ctx.Double(1), ctx.Double(2), Options(ctx, 3, 4)));
  });
}

// eye(rows, cols, dtype, device)
Napi::Value Eye(const Napi::CallbackInfo& info) {
  return Guard(info, "eye", [&](OpContext& ctx) {
    return Wrap(ctx.env(), at::eye(ctx.Int(0), ctx.Int(1), Options(ctx, 2, 3)));
  });
}

// meta(handle) -> [shape, dtype, device, requiresGrad]
Napi::Array MetaArray(Napi::Env env, c10::IntArrayRef sizes, at::ScalarType dtype, const at::Device& device,
                      bool requires_grad) {
  auto shape = Napi::Array::New(env, sizes.size());
  for (uint32_t i = 0; i < sizes.size(); ++i) shape.Set(i, static_cast<double>(sizes[i]));
  auto result = Napi::Array::New(env, 4);
  result.Set(0u, shape);
  result.Set(1u, DTypeName(dtype));
  result.Set(2u, DeviceName(device));
  result.Set(3u, requires_grad);
  return result;
}

// meta(handle) -> [shape, dtype, device, requiresGrad]; a disposed handle answers with what it was.
Napi::Value Meta(const Napi::CallbackInfo& info) {
  TensorBox* box = UnwrapBox(info[0]);
  if (box && !box->tensor.defined() && box->disposed_dtype != at::ScalarType::Undefined) {
    return MetaArray(info.Env(), box->disposed_sizes, box->disposed_dtype, box->disposed_device,
                     box->disposed_requires_grad);
  }
  return Guard(info, "meta", [&](OpContext& ctx) -> Napi::Value {
    auto tensor = ctx.Tensor(0);
    return MetaArray(ctx.env(), tensor.sizes(), tensor.scalar_type(), tensor.device(), tensor.requires_grad());
  });
}

// data(handle) -> a TypedArray copy (bool as Uint8Array, int64 as BigInt64Array).
Napi::Value Data(const Napi::CallbackInfo& info) {
  return Guard(info, "data", [&](OpContext& ctx) {
    RejectValueReadWhileRecording("data");
    auto tensor = ctx.Tensor(0).detach().to(at::kCPU).contiguous();
    napi_typedarray_type type;
    switch (tensor.scalar_type()) {
      case at::kFloat: type = napi_float32_array; break;
      case at::kDouble: type = napi_float64_array; break;
      case at::kInt: type = napi_int32_array; break;
      case at::kLong: type = napi_bigint64_array; break;
      case at::kByte: case at::kBool: type = napi_uint8_array; break;
      default: tensor = tensor.to(at::kFloat); type = napi_float32_array;
    }
    size_t bytes = tensor.numel() * tensor.element_size();
    auto buffer = Napi::ArrayBuffer::New(ctx.env(), bytes);
    if (bytes > 0) std::memcpy(buffer.Data(), tensor.data_ptr(), bytes);
    return Napi::TypedArray(ctx.env(), [&] {
      napi_value value;
      NAPI_THROW_IF_FAILED(ctx.env(), napi_create_typedarray(ctx.env(), type, tensor.numel(),
                                                            buffer, 0, &value),
                           Napi::Value());
      return value;
    }());
  });
}

// item(handle) -> number or boolean
Napi::Value Item(const Napi::CallbackInfo& info) {
  return Guard(info, "item", [&](OpContext& ctx) -> Napi::Value {
    RejectValueReadWhileRecording("item");
    auto tensor = ctx.Tensor(0);
    if (tensor.numel() != 1) {
      throw OpError("ERR_SHAPE", "item() needs a tensor with exactly one element");
    }
    auto scalar = tensor.item();
    if (scalar.isBoolean()) return Napi::Boolean::New(ctx.env(), scalar.toBool());
    return Napi::Number::New(ctx.env(), scalar.toDouble());
  });
}

// to(handle, device)
Napi::Value To(const Napi::CallbackInfo& info) {
  return Guard(info, "to", [&](OpContext& ctx) {
    auto tensor = ctx.Tensor(0);
    // Always a copy, as the JS API promises, even when already on that device.
    return Wrap(ctx.env(), tensor.to(ParseDevice(ctx.String(1)), /*non_blocking=*/false, /*copy=*/true));
  });
}

// moveTo(handle, device): moves the tensor's data to `device` in place (as PyTorch's Module.to
// does for parameters), so every holder of the handle, and autograd, sees the moved tensor.
Napi::Value MoveTo(const Napi::CallbackInfo& info) {
  return Guard(info, "moveTo", [&](OpContext& ctx) {
    auto tensor = ctx.Tensor(0);
    auto device = ParseDevice(ctx.String(1));
    if (tensor.device() != device) {
      c10::NoGradGuard no_grad;
      tensor.set_data(tensor.to(device));
    }
    return ctx.env().Undefined();
  });
}

// cast(handle, dtype)
Napi::Value Cast(const Napi::CallbackInfo& info) {
  return Guard(info, "cast", [&](OpContext& ctx) {
    auto tensor = ctx.Tensor(0);
    return Wrap(ctx.env(), tensor.to(ParseDType(ctx.String(1)), /*non_blocking=*/false, /*copy=*/true));
  });
}

// clone(handle)
Napi::Value Clone(const Napi::CallbackInfo& info) {
  return Guard(info, "clone", [&](OpContext& ctx) { return Wrap(ctx.env(), ctx.Tensor(0).clone()); });
}

// dispose(handle) -> true when this call freed it
Napi::Value Dispose(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  TensorBox* box = UnwrapBox(info[0]);
  if (box == nullptr || !box->tensor.defined()) return Napi::Boolean::New(env, false);
  const at::Tensor* tensor = &box->tensor;
  UncountTensor(env, *box);
  const auto sizes = tensor->sizes();
  box->disposed_sizes.assign(sizes.begin(), sizes.end());
  box->disposed_dtype = tensor->scalar_type();
  box->disposed_device = tensor->device();
  box->disposed_requires_grad = tensor->requires_grad();
  box->tensor = at::Tensor();
  return Napi::Boolean::New(env, true);
}

Napi::Value IsDisposed(const Napi::CallbackInfo& info) {
  at::Tensor* tensor = Unwrap(info[0]);
  return Napi::Boolean::New(info.Env(), tensor == nullptr || !tensor->defined());
}

// changeTidyDepth(+1 | -1): JS opened its outermost tidy scope or closed it. Tensors made while
// one is open are not counted as V8 external memory until they leave the scopes alive (reportToGc;
// see common.cc). Counted up and down rather than set, so two copies of the JS package in one
// process (CommonJS and ESM) add up instead of overwriting each other.
Napi::Value ChangeTidyDepth(const Napi::CallbackInfo& info) {
  auto& depth = State(info.Env()).tidy_depth;
  depth = std::max(0, depth + info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

// reportToGc(handle): the tensor left every tidy scope alive; V8 counts its bytes from now on.
Napi::Value ReportToGcOf(const Napi::CallbackInfo& info) {
  if (TensorBox* box = UnwrapBox(info[0])) ReportToGc(info.Env(), *box);
  return info.Env().Undefined();
}

// memory() -> { numTensors, numBytes } of live (not disposed, not yet collected) tensors, and
// { collectedTensors, collectedBytes }: how many the GC has freed so far (never disposed)
Napi::Value Memory(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto& stats = *State(env).stats;
  auto result = Napi::Object::New(env);
  result.Set("numTensors", static_cast<double>(stats.num_tensors.load()));
  result.Set("numBytes", static_cast<double>(stats.num_bytes.load()));
  result.Set("collectedTensors", static_cast<double>(stats.collected_tensors.load()));
  result.Set("collectedBytes", static_cast<double>(stats.collected_bytes.load()));
  return result;
}

}  // namespace

void InitTensor(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "fromBuffer", FromBuffer);
  Export(env, exports, "full", Full);
  Export(env, exports, "arange", Arange);
  Export(env, exports, "eye", Eye);
  Export(env, exports, "meta", Meta);
  Export(env, exports, "data", Data);
  Export(env, exports, "item", Item);
  Export(env, exports, "to", To);
  Export(env, exports, "moveTo", MoveTo);
  Export(env, exports, "cast", Cast);
  Export(env, exports, "clone", Clone);
  Export(env, exports, "dispose", Dispose);
  Export(env, exports, "isDisposed", IsDisposed);
  Export(env, exports, "memory", Memory);
  Export(env, exports, "changeTidyDepth", ChangeTidyDepth);
  Export(env, exports, "reportToGc", ReportToGcOf);
}

}  // namespace keratorch
