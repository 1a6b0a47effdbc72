// Shared pieces of the addon: the tensor handle, per-env state, argument parsing, and the guard
// that turns every libtorch failure into a JS exception naming the op and its inputs.
#pragma once

#include <napi.h>
#include <ATen/ATen.h>
#include <c10/util/SmallVector.h>
#include <torch/cuda.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace keratorch {

// Live-tensor counters shared by the env and every handle, so a handle finalized after the env's
// state is gone still has somewhere valid to write.
struct TensorStats {
  std::atomic<int64_t> num_tensors{0};
  std::atomic<int64_t> num_bytes{0};
  // Tensors (and their bytes) that a GC finalizer freed because no dispose() or tidy() had: a
  // diagnostic for code that leaves tensors to the GC, and what lets a leak check tell garbage made
  // before it (collected during it) from tensors made during it.
  std::atomic<int64_t> collected_tensors{0};
  std::atomic<int64_t> collected_bytes{0};
};

// What a JS handle owns: one at::Tensor (undefined once disposed).
struct TensorBox {
  at::Tensor tensor;
  int64_t bytes = 0;
  std::shared_ptr<TensorStats> stats;
  // What the tensor was, kept by dispose() so that a disposed handle still describes itself
  // without JS reading every tensor's metadata before disposing it.
  c10::SmallVector<int64_t, 5> disposed_sizes;
  at::ScalarType disposed_dtype = at::ScalarType::Undefined;
  at::Device disposed_device = at::Device(at::kCPU);
  bool disposed_requires_grad = false;
  // Whether V8 counts the bytes as external memory (not while a tidy scope holds it; common.cc).
  bool reported = false;
};

TensorBox* UnwrapBox(Napi::Value value);  // nullptr when not one of our handles

// Per-env state (jest loads the addon once per worker and shares it between test files).
struct AddonState {
  std::shared_ptr<TensorStats> stats = std::make_shared<TensorStats>();
  Napi::FunctionReference error_class;  // set from JS so errors are keratorch's own Error subclass
  at::Generator generator;              // seeded CPU generator for all randomness
  int tidy_depth = 0;                   // JS copies inside a tidy scope (changeTidyDepth)
  // One int32 shared with native.ts: a failed call returns its error and sets this, and the JS
  // wrapper throws (see ReturnFailure). Null until native.ts hands it over.
  Napi::Reference<Napi::Int32Array> failure_slot;
  int32_t* failure_flag = nullptr;
  // Flush-to-zero / denormals-are-zero in the threads running this env's work (denormals.h).
  bool flush_denormal = true;
};

// Counts a freed tensor's bytes out of the live counters, and out of V8's external memory if it
// was counted there. `box` keeps its tensor; the caller releases it.
void UncountTensor(node_api_basic_env env, TensorBox& box);
// Has V8 count a tensor's bytes as external memory from now on (a tensor leaving tidy scopes).
void ReportToGc(Napi::Env env, TensorBox& box);

AddonState& State(Napi::Env env);

// Thrown inside ops for argument problems detected natively; `code` becomes error.code in JS.
struct OpError : std::runtime_error {
  OpError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  std::string code_;
};

// Collects what an op received so an error can say it; every op runs inside Guard().
class OpContext {
 public:
  OpContext(const Napi::CallbackInfo& info, std::string op) : info_(info), op_(std::move(op)) {}
  const Napi::CallbackInfo& info() const { return info_; }
  Napi::Env env() const { return info_.Env(); }
  const std::string& op() const { return op_; }
  void set_op(std::string op) { op_ = std::move(op); }

  // The tensor behind handle argument `index`; throws if it is not a live handle.
  at::Tensor Tensor(size_t index);
  // A tensor, or a number / boolean turned into a wrapped scalar (promotes like a Python scalar).
  at::Tensor TensorOrScalar(size_t index);
  std::vector<at::Tensor> TensorList(size_t index);
  int64_t Int(size_t index) const;
  double Double(size_t index) const;
  bool Bool(size_t index) const;
  std::string String(size_t index) const;
  std::vector<int64_t> IntList(size_t index) const;
  bool IsNullish(size_t index) const;

  std::string DescribeInputs() const;

 private:
  at::Tensor LiveTensor(TensorBox* box, size_t index);  // the box's tensor, unless disposed

  const Napi::CallbackInfo& info_;
  std::string op_;
  // What the op received, described only if it fails (formatting on every call costs time).
  struct Input {
    const at::Tensor* tensor;  // points into the caller's handle, alive for the whole call
    double scalar;
  };
  c10::SmallVector<Input, 4> inputs_;
};

Napi::Value Wrap(Napi::Env env, at::Tensor tensor);
Napi::Value WrapList(Napi::Env env, const std::vector<at::Tensor>& tensors);
at::Tensor* Unwrap(Napi::Value value);  // nullptr when not one of our handles

std::string DTypeName(at::ScalarType type);
at::ScalarType ParseDType(const std::string& name);
at::Device ParseDevice(const std::string& name);
std::string DeviceName(const at::Device& device);
std::string DescribeTensor(const at::Tensor& tensor);  // e.g. float32[2,3]

// A JS error of keratorch's class with `code` and `op` set, for throwing or for rejecting a promise.
Napi::Object NewKeratorchError(Napi::Env env, const std::string& code, const std::string& op, const std::string& text);
// Throws the JS error (keratorch's class) for a failure inside `ctx`'s op.
[[noreturn]] void ThrowOpError(OpContext& ctx, const std::string& code, const std::string& message);
// The error for a failure inside `ctx`'s op, returned through ReturnFailure.
Napi::Value FailOp(OpContext& ctx, const std::string& code, const std::string& message);
// Ends a failed call without throwing into V8: returns `error` and sets the failure flag, and
// native.ts's wrapper throws it. A throw from here would leave Node-API holding the exception while
// V8 builds its message; a collection then runs tensor finalizers inside the GC, and Node hands them
// that pending exception as their own (TriggerUncaughtException inside the GC: a V8 fatal error).
// Without a flag (before native.ts sets it) it throws.
Napi::Value ReturnFailure(Napi::Env env, Napi::Value error);
// A thread count for libtorch: at least 1 and at most 4 per core. libtorch starts every thread at
// once, so an absurd count (1e6) would hang the process instead of failing.
int CheckThreadCount(int64_t count, const std::string& name);

std::string FirstLine(const std::string& text);
// A byte count for messages, as creation.ts writes it: "4.0 TB (4000000000000 bytes)".
std::string DescribeBytes(size_t bytes);
// The keratorch error code for a libtorch message (device or dtype mismatches, else ERR_TORCH).
std::string ClassifyTorchError(const std::string& message);

// Runs `body`, turning libtorch and argument errors into keratorch errors for JS.
template <typename Body>
Napi::Value Guard(const Napi::CallbackInfo& info, const char* op, Body&& body) {
  OpContext ctx(info, op);
  try {
    return body(ctx);
  } catch (const Napi::Error& e) {
    return ReturnFailure(ctx.env(), e.Value());
  } catch (const OpError& e) {
    return FailOp(ctx, e.code_, e.what());
  } catch (const c10::Error& e) {
    std::string message = FirstLine(e.what_without_backtrace());
    return FailOp(ctx, ClassifyTorchError(message), message);
  } catch (const std::bad_alloc&) {
    return FailOp(ctx, "ERR_MEMORY", "out of memory");
  } catch (const std::exception& e) {
    return FailOp(ctx, "ERR_NATIVE", FirstLine(e.what()));
  }
}

// A JS function for `fn` whose failures, Guarded or not, end through ReturnFailure.
Napi::Function NewFunction(Napi::Env env, const char* name, Napi::Function::Callback fn, void* data = nullptr);
// Registers NewFunction(fn) on `exports` under `name`.
void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Function::Callback fn);

}  // namespace keratorch
