// Elementwise math, comparisons, reductions and matrix products, dispatched through tables so the
// native surface stays a handful of functions.
#include <utility>
#include <vector>

#include "common.h"
#include "init.h"

namespace keratorch {
namespace {

using UnaryFn = at::Tensor (*)(const at::Tensor&);
using BinaryFn = at::Tensor (*)(const at::Tensor&, const at::Tensor&);
using ReduceFn = at::Tensor (*)(const at::Tensor&, at::IntArrayRef, bool);

// TensorFlow keeps an integer input's dtype in sums and products (libtorch widens to int64).
c10::optional<at::ScalarType> KeptDType(const at::Tensor& x) {
  auto type = x.scalar_type();
  if (at::isIntegralType(type, /*includeBool=*/false)) return type;
  return c10::nullopt;
}

at::Tensor FloatIfIntegral(const at::Tensor& x) {
  return at::isFloatingType(x.scalar_type()) ? x : x.to(at::kFloat);
}

const std::vector<std::pair<const char*, UnaryFn>>& UnaryOps() {
  static const std::vector<std::pair<const char*, UnaryFn>> ops = {
      {"neg", [](const at::Tensor& x) { return at::neg(x); }},
      {"abs", [](const at::Tensor& x) { return at::abs(x); }},
      {"square", [](const at::Tensor& x) { return at::mul(x, x); }},
      {"sqrt", [](const at::Tensor& x) { return at::sqrt(x); }},
      {"exp", [](const at::Tensor& x) { return at::exp(x); }},
      {"log", [](const at::Tensor& x) { return at::log(x); }},
      {"log1p", [](const at::Tensor& x) { return at::log1p(x); }},
      {"sign", [](const at::Tensor& x) { return at::sign(x); }},
      // Keras rounds half to even, as at::round does.
      {"round", [](const at::Tensor& x) { return at::round(x); }},
      {"floor", [](const at::Tensor& x) { return at::floor(x); }},
      {"ceil", [](const at::Tensor& x) { return at::ceil(x); }},
      {"sin", [](const at::Tensor& x) { return at::sin(x); }},
      {"cos", [](const at::Tensor& x) { return at::cos(x); }},
      {"tan", [](const at::Tensor& x) { return at::tan(x); }},
      {"tanh", [](const at::Tensor& x) { return at::tanh(x); }},
      {"sigmoid", [](const at::Tensor& x) { return at::sigmoid(x); }},
      {"reciprocal", [](const at::Tensor& x) { return at::reciprocal(x); }},
      {"logicalNot", [](const at::Tensor& x) { return at::logical_not(x); }},
      {"isNaN", [](const at::Tensor& x) { return at::isnan(x); }},
      {"relu", [](const at::Tensor& x) { return at::relu(x); }},
      {"softplus", [](const at::Tensor& x) { return at::softplus(x, 1, 20); }},
      {"softsign", [](const at::Tensor& x) { return at::div(x, at::add(at::abs(x), 1)); }},
  };
  return ops;
}

const std::vector<std::pair<const char*, BinaryFn>>& BinaryOps() {
  static const std::vector<std::pair<const char*, BinaryFn>> ops = {
      {"add", [](const at::Tensor& a, const at::Tensor& b) { return at::add(a, b); }},
      {"subtract", [](const at::Tensor& a, const at::Tensor& b) { return at::sub(a, b); }},
      {"multiply", [](const at::Tensor& a, const at::Tensor& b) { return at::mul(a, b); }},
      {"divide", [](const at::Tensor& a, const at::Tensor& b) { return at::div(a, b); }},
      {"floorDiv", [](const at::Tensor& a, const at::Tensor& b) { return at::floor_divide(a, b); }},
      {"mod", [](const at::Tensor& a, const at::Tensor& b) { return at::remainder(a, b); }},
      {"pow", [](const at::Tensor& a, const at::Tensor& b) { return at::pow(a, b); }},
      {"minimum", [](const at::Tensor& a, const at::Tensor& b) { return at::minimum(a, b); }},
      {"maximum", [](const at::Tensor& a, const at::Tensor& b) { return at::maximum(a, b); }},
      {"equal", [](const at::Tensor& a, const at::Tensor& b) { return at::eq(a, b); }},
      {"notEqual", [](const at::Tensor& a, const at::Tensor& b) { return at::ne(a, b); }},
      {"greater", [](const at::Tensor& a, const at::Tensor& b) { return at::gt(a, b); }},
      {"greaterEqual", [](const at::Tensor& a, const at::Tensor& b) { return at::ge(a, b); }},
      {"less", [](const at::Tensor& a, const at::Tensor& b) { return at::lt(a, b); }},
      {"lessEqual", [](const at::Tensor& a, const at::Tensor& b) { return at::le(a, b); }},
      {"logicalAnd", [](const at::Tensor& a, const at::Tensor& b) { return at::logical_and(a, b); }},
      {"logicalOr", [](const at::Tensor& a, const at::Tensor& b) { return at::logical_or(a, b); }},
      {"matmul", [](const at::Tensor& a, const at::Tensor& b) { return at::matmul(a, b); }},
  };
  return ops;
}

at::Tensor StdOrVar(const at::Tensor& x, at::IntArrayRef dims, bool keepdim, bool is_std) {
  // Keras's std/var are population statistics (no Bessel correction).
  auto input = FloatIfIntegral(x);
  return is_std ? at::std(input, dims, /*unbiased=*/false, keepdim)
                : at::var(input, dims, /*unbiased=*/false, keepdim);
}

const std::vector<std::pair<const char*, ReduceFn>>& ReduceOps() {
  static const std::vector<std::pair<const char*, ReduceFn>> ops = {
      {"sum", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return at::sum(x, d, k, KeptDType(x)); }},
      {"mean", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
         return at::mean(FloatIfIntegral(x), d, k);
       }},
      {"max", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return at::amax(x, d, k); }},
      {"min", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return at::amin(x, d, k); }},
      {"prod", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
         // at::prod reduces one dim at a time.
         auto result = x;
         std::vector<int64_t> dims(d.begin(), d.end());
         std::sort(dims.rbegin(), dims.rend());
         for (auto dim : dims) result = at::prod(result, dim, k, KeptDType(x));
         return result;
       }},
      {"std", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return StdOrVar(x, d, k, true); }},
      {"var", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return StdOrVar(x, d, k, false); }},
      {"any", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
         return at::amax(at::ne(x, 0), d, k);
       }},
      {"all", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
         return at::amin(at::ne(x, 0), d, k);
       }},
      {"logsumexp", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
         return at::logsumexp(FloatIfIntegral(x), d, k);
       }},
  };
  return ops;
}

// One JS function per table entry; the entry rides along as the function's data, so a call
// costs no name lookup.
template <typename Fn>
const std::pair<const char*, Fn>& Entry(const Napi::CallbackInfo& info) {
  return *static_cast<const std::pair<const char*, Fn>*>(info.Data());
}

template <typename Fn>
Napi::Object ExportTable(Napi::Env env, const std::vector<std::pair<const char*, Fn>>& table,
                         Napi::Function::Callback callback) {
  auto object = Napi::Object::New(env);
  for (auto& entry : table) {
    object.Set(entry.first, NewFunction(env, entry.first, callback,
                                        const_cast<std::pair<const char*, Fn>*>(&entry)));
  }
  return object;
}

// unary.<op>(x)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  auto& entry = Entry<UnaryFn>(info);
  return Guard(info, entry.first, [&](OpContext& ctx) { return Wrap(ctx.env(), entry.second(ctx.Tensor(0))); });
}

// binary.<op>(a, b): a and b are tensors, numbers or booleans (not both scalars).
Napi::Value Binary(const Napi::CallbackInfo& info) {
  auto& entry = Entry<BinaryFn>(info);
  return Guard(info, entry.first, [&](OpContext& ctx) {
    auto a = ctx.TensorOrScalar(0);
    auto b = ctx.TensorOrScalar(1);
    return Wrap(ctx.env(), entry.second(a, b));
  });
}

// reduce.<op>(x, axes | null, keepdims): null reduces over every axis.
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  auto& entry = Entry<ReduceFn>(info);
  return Guard(info, entry.first, [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    std::vector<int64_t> dims;
    if (ctx.IsNullish(1)) {
      for (int64_t i = 0; i < x.dim(); ++i) dims.push_back(i);
    } else {
      dims = ctx.IntList(1);
    }
    bool keepdim = ctx.Bool(2);
    if (x.dim() == 0) return Wrap(ctx.env(), entry.second(x.reshape({1}), {0}, false));
    return Wrap(ctx.env(), entry.second(x, dims, keepdim));
  });
}

// argReduce(op, x, axis, keepdims): argmax / argmin, int64 indices.
Napi::Value ArgReduce(const Napi::CallbackInfo& info) {
  return Guard(info, "argReduce", [&](OpContext& ctx) {
    ctx.set_op(ctx.String(0));
    auto x = ctx.Tensor(1);
    auto dim = ctx.Int(2);
    bool keepdim = ctx.Bool(3);
    if (ctx.op() == "argmax") return Wrap(ctx.env(), at::argmax(x, dim, keepdim));
    if (ctx.op() == "argmin") return Wrap(ctx.env(), at::argmin(x, dim, keepdim));
    throw OpError("ERR_ARGUMENT", "unknown arg-reduction");
  });
}

// cumulative(op, x, axis): cumsum / cumprod
Napi::Value Cumulative(const Napi::CallbackInfo& info) {
  return Guard(info, "cumulative", [&](OpContext& ctx) {
    ctx.set_op(ctx.String(0));
    auto x = ctx.Tensor(1);
    auto dim = ctx.Int(2);
    if (ctx.op() == "cumsum") return Wrap(ctx.env(), at::cumsum(x, dim, KeptDType(x)));
    if (ctx.op() == "cumprod") return Wrap(ctx.env(), at::cumprod(x, dim, KeptDType(x)));
    throw OpError("ERR_ARGUMENT", "unknown cumulative op");
  });
}

// clip(x, min | null, max | null)
Napi::Value Clip(const Napi::CallbackInfo& info) {
  return Guard(info, "clip", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    c10::optional<at::Scalar> low, high;
    if (!ctx.IsNullish(1)) low = ctx.Double(1);
    if (!ctx.IsNullish(2)) high = ctx.Double(2);
    return Wrap(ctx.env(), at::clamp(x, low, high));
  });
}

// where(condition, a, b)
Napi::Value Where(const Napi::CallbackInfo& info) {
  return Guard(info, "where", [&](OpContext& ctx) {
    auto condition = ctx.Tensor(0);
    auto a = ctx.TensorOrScalar(1);
    auto b = ctx.TensorOrScalar(2);
    return Wrap(ctx.env(), at::where(condition.to(at::kBool), a, b));
  });
}

// tensordot(a, b, axesA, axesB)
Napi::Value Tensordot(const Napi::CallbackInfo& info) {
  return Guard(info, "tensordot", [&](OpContext& ctx) {
    auto a = ctx.Tensor(0);
    auto b = ctx.Tensor(1);
    return Wrap(ctx.env(), at::tensordot(a, b, ctx.IntList(2), ctx.IntList(3)));
  });
}

}  // namespace

void InitMath(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", ExportTable(env, UnaryOps(), Unary));
  exports.Set("binary", ExportTable(env, BinaryOps(), Binary));
  exports.Set("reduce", ExportTable(env, ReduceOps(), Reduce));
  Export(env, exports, "argReduce", ArgReduce);
  Export(env, exports, "cumulative", Cumulative);
  Export(env, exports, "clip", Clip);
  Export(env, exports, "where", Where);
  Export(env, exports, "tensordot", Tensordot);
}

}  // namespace keratorch
