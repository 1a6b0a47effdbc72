// Elementwise math, comparisons, reductions and matrix products, dispatched through tables so the
// native surface stays a handful of functions.
#include <torch/csrc/jit/frontend/tracer.h>

#include <limits>
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

// Integer division is where libtorch leaves C++'s undefined behaviour in place: the smallest value
// divided by -1 overflows, and x86 raises SIGFPE for it, killing the process; a zero divisor raises
// a bare "ZeroDivisionError". The helpers below check both before dividing, as NumPy refuses what it
// cannot represent. While a forward is recorded, values are not known: there, the smallest value by
// -1 gives what NumPy gives (the smallest value again, for floorDiv; 0 for mod), never a trap.
bool SignedIntegral(at::ScalarType type) { return type == at::kInt || type == at::kLong; }

at::Tensor SmallestByMinusOne(const at::Tensor& a, const at::Tensor& b, at::ScalarType type) {
  const int64_t smallest = type == at::kInt ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
  return at::logical_and(at::eq(a, smallest), at::eq(b, -1));
}

void CheckIntegerDivision(const at::Tensor& a, const at::Tensor& b) {
  if (at::eq(b, 0).any().item<bool>()) throw OpError("ERR_VALUE", "integer division by zero");
  auto type = at::result_type(a, b);
  if (SignedIntegral(type) && SmallestByMinusOne(a, b, type).any().item<bool>()) {
    const char* quotient = type == at::kInt ? "-2147483648 // -1 = 2147483648" : "-9223372036854775808 // -1 = 9223372036854775808";
    throw OpError("ERR_VALUE", std::string("integer overflow: ") + quotient + " does not fit " + DTypeName(type) +
                                   " (cast to a wider or float dtype first)");
  }
}

// A divisor with -1 replaced by 1 where the dividend is the smallest value: the same remainder (0),
// and for a quotient the smallest value itself, NumPy's wrapped answer.
at::Tensor SafeDivisor(const at::Tensor& a, const at::Tensor& b, at::ScalarType type) {
  // In the result's dtype: the broadcast divisor is a full tensor now, no longer a wrapped number,
  // and an int64 one would promote an int32 dividend (int32 mod -1 must stay int32).
  return at::where(SmallestByMinusOne(a, b, type), at::ones_like(b), b).to(type);
}

at::Tensor IntegerFloorDivide(const at::Tensor& a, const at::Tensor& b) {
  auto type = at::result_type(a, b);
  if (!at::isIntegralType(type, /*includeBool=*/true)) return at::floor_divide(a, b);
  if (!torch::jit::tracer::isTracing()) {
    CheckIntegerDivision(a, b);
    return at::floor_divide(a, b);
  }
  if (!SignedIntegral(type)) return at::floor_divide(a, b);
  return at::floor_divide(a, SafeDivisor(a, b, type));  // smallest // 1: the smallest, as NumPy wraps
}

at::Tensor IntegerRemainder(const at::Tensor& a, const at::Tensor& b) {
  auto type = at::result_type(a, b);
  if (!at::isIntegralType(type, /*includeBool=*/true)) return at::remainder(a, b);
  if (!torch::jit::tracer::isTracing() && at::eq(b, 0).any().item<bool>()) {
    throw OpError("ERR_VALUE", "integer division by zero");
  }
  // x mod -1 is 0 for every x, so the smallest value mod -1 needs no error: mod 1 gives it exactly.
  return SignedIntegral(type) ? at::remainder(a, SafeDivisor(a, b, type)) : at::remainder(a, b);
}

// NumPy refuses integers to negative integer powers (2 ** -1 is not an integer); libtorch refuses
// a negative scalar exponent but gives 0 for a tensor of them.
at::Tensor Power(const at::Tensor& a, const at::Tensor& b) {
  if (at::isIntegralType(a.scalar_type(), /*includeBool=*/true) &&
      at::isIntegralType(b.scalar_type(), /*includeBool=*/true) && !torch::jit::tracer::isTracing() &&
      at::lt(b, 0).any().item<bool>()) {
    throw OpError("ERR_VALUE", "integers to negative integer powers are not allowed (cast to a float dtype first)");
  }
  return at::pow(a, b);
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
      // TensorFlow's sign keeps NaN (at::sign gives 0); its gradient is 0 everywhere either way.
      {"sign", [](const at::Tensor& x) {
         if (!at::isFloatingType(x.scalar_type())) return at::sign(x);
         return at::sign(x).masked_fill(at::isnan(x), std::numeric_limits<double>::quiet_NaN());
       }},
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
      // Keras 3's activations that libtorch has as one kernel with its own backward. relu6 is
      // hardtanh, whose gradient is 0 at 0 and 6, as TensorFlow's Relu6Grad.
      {"relu6", [](const at::Tensor& x) {
         return at::isFloatingType(x.scalar_type()) ? at::hardtanh(x, 0, 6) : at::clamp(x, 0, 6);
       }},
      // libtorch 2.x's vectorized CPU erf gelu gives NaN at +inf (1.13's gives inf, as Keras): +inf
      // passes through, with gradient 1 there.
      {"gelu", [](const at::Tensor& x) { return at::where(x == std::numeric_limits<double>::infinity(), x, at::gelu(x)); }},
      {"geluTanh", [](const at::Tensor& x) { return at::gelu(x, "tanh"); }},
      {"silu", [](const at::Tensor& x) { return at::silu(x); }},
      {"mish", [](const at::Tensor& x) { return at::mish(x); }},
      {"selu", [](const at::Tensor& x) { return at::selu(x); }},
      {"logSigmoid", [](const at::Tensor& x) { return at::log_sigmoid(x); }},
  };
  return ops;
}

const std::vector<std::pair<const char*, BinaryFn>>& BinaryOps() {
  static const std::vector<std::pair<const char*, BinaryFn>> ops = {
      {"add", [](const at::Tensor& a, const at::Tensor& b) { return at::add(a, b); }},
      {"subtract", [](const at::Tensor& a, const at::Tensor& b) { return at::sub(a, b); }},
      {"multiply", [](const at::Tensor& a, const at::Tensor& b) { return at::mul(a, b); }},
      {"divide", [](const at::Tensor& a, const at::Tensor& b) { return at::div(a, b); }},
      {"floorDiv", IntegerFloorDivide},
      {"mod", IntegerRemainder},
      {"pow", Power},
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
    // TensorFlow's arg-reductions skip NaN (no comparison with it holds); libtorch picks it. As
    // -inf (argmax) or +inf (argmin) it loses every comparison and ties go to the first index,
    // which is also TensorFlow's answer for a row of NaN and infinities only.
    const bool skip_nan = at::isFloatingType(x.scalar_type());
    const double infinity = std::numeric_limits<double>::infinity();
    if (ctx.op() == "argmax") {
      return Wrap(ctx.env(), at::argmax(skip_nan ? x.masked_fill(at::isnan(x), -infinity) : x, dim, keepdim));
    }
    if (ctx.op() == "argmin") {
      return Wrap(ctx.env(), at::argmin(skip_nan ? x.masked_fill(at::isnan(x), infinity) : x, dim, keepdim));
    }
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
    // Integer bounds for an integer tensor keep its dtype (a double bound would promote it to float);
    // the backend checks that they are integers within the dtype's range.
    auto bound = [&](size_t index) -> at::Scalar {
      if (at::isIntegralType(x.scalar_type(), /*includeBool=*/false)) return static_cast<int64_t>(ctx.Double(index));
      return ctx.Double(index);
    };
    if (!ctx.IsNullish(1)) low = bound(1);
    if (!ctx.IsNullish(2)) high = bound(2);
    at::Tensor clipped = at::clamp(x, low, high);
    if (!(at::GradMode::is_enabled() && x.requires_grad())) return Wrap(ctx.env(), clipped);
    // The gradient is 1 inside the bounds and at them, 0 outside and at NaN, as TensorFlow's
    // clip_by_value. clamp's own backward is not that everywhere: libtorch 2.14 gives 0 at the bounds.
    at::Tensor inside = at::ones_like(x, x.options().dtype(at::kBool));
    if (low) inside = inside.logical_and(x >= *low);
    if (high) inside = inside.logical_and(x <= *high);
    return Wrap(ctx.env(), at::where(inside, x, clipped.detach()));
  });
}

// sparsemax(x, axis): Martins & Astudillo's projection onto the simplex along axis, with
// tau = (sum of the sorted support - 1) / k. Keras 3.15.1 sums the support's cumulative sums instead
// (keras-team/keras#23425, fixed after 3.15.1), so its rows stop summing to 1 once two or more
// values are in the support; the two agree when one is.
Napi::Value Sparsemax(const Napi::CallbackInfo& info) {
  return Guard(info, "sparsemax", [&](OpContext& ctx) {
    auto x = ctx.Tensor(0);
    auto dim = ctx.Int(1);
    auto sorted = std::get<0>(at::sort(x, dim, /*descending=*/true));
    std::vector<int64_t> shape(x.dim(), 1);
    shape[dim] = x.size(dim);
    auto rank = at::arange(1, x.size(dim) + 1, x.options()).view(shape);
    auto support = at::gt(sorted - (at::cumsum(sorted, dim) - 1) / rank, 0);  // a prefix of the sorted values
    auto k = support.sum(dim, /*keepdim=*/true).to(x.scalar_type());
    auto tau = (at::where(support, sorted, at::zeros_like(sorted)).sum(dim, /*keepdim=*/true) - 1) / k;
    return Wrap(ctx.env(), at::clamp_min(x - tau, 0));
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
  Export(env, exports, "sparsemax", Sparsemax);
  Export(env, exports, "where", Where);
  Export(env, exports, "tensordot", Tensordot);
}

}  // namespace keratorch
