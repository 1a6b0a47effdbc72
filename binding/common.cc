#include "common.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <thread>

#include "denormals.h"

namespace keratorch {
namespace {

// Marks externals as keratorch tensor handles, so a foreign External is never misread.
const napi_type_tag kTensorTag = {0x6b657261746f7263ULL, 0x68546e7372486e64ULL};

// Runs inside the garbage collector (a basic finalizer): no JS calls, only counters and memory.
void FinalizeBox(Napi::BasicEnv env, TensorBox* box) {
  if (box->tensor.defined()) {
    box->stats->collected_tensors += 1;
    box->stats->collected_bytes += box->bytes;
    UncountTensor(env, *box);
  }
  delete box;
}

std::string ShapeString(at::IntArrayRef sizes) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < sizes.size(); ++i) out << (i ? "," : "") << sizes[i];
  out << "]";
  return out.str();
}

}  // namespace

AddonState& State(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }

// V8 counts tensor memory as external memory, so that tensors left to the garbage collector make
// it collect. But it starts a full GC whenever that total has grown 64 MiB since the last one, and
// a tensor a tidy scope holds cannot be collected anyway (the scope references it until it ends,
// then disposes it or hands it on). Counted, a tidy scope that keeps 150 MB alive until it ends (36
// 4 MB convolutions) made V8 collect twice a pass, finding nothing, its marking threads competing
// with libtorch's for the cores: 20 ms of work took 35-40 ms. So tensors made inside a tidy scope
// are counted only when they leave it alive (returned from the outermost scope, or kept).
void UncountTensor(node_api_basic_env env, TensorBox& box) {
  box.stats->num_tensors -= 1;
  box.stats->num_bytes -= box.bytes;
  if (box.reported) {
    int64_t ignored;
    napi_adjust_external_memory(env, -box.bytes, &ignored);
    box.reported = false;
  }
}

void ReportToGc(Napi::Env env, TensorBox& box) {
  if (box.reported || !box.tensor.defined()) return;
  box.reported = true;
  Napi::MemoryManagement::AdjustExternalMemory(env, box.bytes);
}

int CheckThreadCount(int64_t count, const std::string& name) {
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  if (count < 1 || count > 4 * cores) {
    throw OpError("ERR_VALUE", name + " must be an integer in [1, " + std::to_string(4 * cores) + "] (4 per core on this " +
                                   std::to_string(cores) + "-core machine), but received " + std::to_string(count));
  }
  return static_cast<int>(count);
}

std::string DescribeBytes(size_t bytes) {
  static const char* const kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 6) {
    value /= 1000;
    ++unit;
  }
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << value << " " << kUnits[unit] << " (" << bytes << " bytes)";
  return unit == 0 ? std::to_string(bytes) + " bytes" : out.str();
}

std::string FirstLine(const std::string& text) {
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

std::string ClassifyTorchError(const std::string& message) {
  if (message.find("same device") != std::string::npos ||
      (message.find("CUDA") != std::string::npos && message.find("CPU") != std::string::npos)) {
    return "ERR_DEVICE";
  }
  if (message.find("scalar type") != std::string::npos || message.find("dtype") != std::string::npos) {
    return "ERR_DTYPE";
  }
  if (message.find("size of tensor") != std::string::npos || message.find("shape") != std::string::npos ||
      message.find("dimension") != std::string::npos || message.find("size mismatch") != std::string::npos) {
    return "ERR_SHAPE";
  }
  return "ERR_TORCH";
}

TensorBox* UnwrapBox(Napi::Value value) {
  napi_env env = value.Env();
  void* data = nullptr;
  // Fails, without throwing, for anything but an External: cheaper than asking for the type first.
  if (napi_get_value_external(env, value, &data) != napi_ok) return nullptr;
  bool ours = false;
  if (napi_check_object_type_tag(env, value, &kTensorTag, &ours) != napi_ok || !ours) return nullptr;
  return static_cast<TensorBox*>(data);
}

at::Tensor* Unwrap(Napi::Value value) {
  TensorBox* box = UnwrapBox(value);
  return box ? &box->tensor : nullptr;
}

Napi::Value Wrap(Napi::Env env, at::Tensor tensor) {
  auto& state = State(env);
  auto* box = new TensorBox{std::move(tensor), 0, state.stats};
  box->bytes = static_cast<int64_t>(box->tensor.numel() * box->tensor.element_size());
  state.stats->num_tensors += 1;
  state.stats->num_bytes += box->bytes;
  if (state.tidy_depth == 0) ReportToGc(env, *box);
  auto external = Napi::External<TensorBox>::New(env, box, FinalizeBox);
  external.TypeTag(&kTensorTag);
  return external;
}

Napi::Value WrapList(Napi::Env env, const std::vector<at::Tensor>& tensors) {
  auto array = Napi::Array::New(env, tensors.size());
  for (uint32_t i = 0; i < tensors.size(); ++i) array.Set(i, Wrap(env, tensors[i]));
  return array;
}

std::string DTypeName(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kInt: return "int32";
    case at::kLong: return "int64";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    case at::kHalf: return "float16";
    default: return c10::toString(type);
  }
}

at::ScalarType ParseDType(const std::string& name) {
  if (name == "float32") return at::kFloat;
  if (name == "float64") return at::kDouble;
  if (name == "int32") return at::kInt;
  if (name == "int64") return at::kLong;
  if (name == "uint8") return at::kByte;
  if (name == "bool") return at::kBool;
  throw OpError("ERR_DTYPE", "unknown dtype '" + name +
                                 "' (expected float32, float64, int32, int64, uint8 or bool)");
}

at::Device ParseDevice(const std::string& name) {
  if (name == "cpu") return at::Device(at::kCPU);
  if (name.rfind("cuda", 0) != 0) {
    throw OpError("ERR_DEVICE", "unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
  }
  if (!torch::cuda::is_available()) {
#ifdef KERATORCH_WITH_CUDA
    const char* reason = "libtorch sees no usable CUDA device";
#else
    const char* reason = "this addon was built against a libtorch without CUDA; rebuild with LIBTORCH "
                         "pointing at a CUDA libtorch";
#endif
    throw OpError("ERR_DEVICE", "device '" + name + "' requested but CUDA is not available (" +
                                    reason + "; cuda.isAvailable() is false)");
  }
  at::Device device(name);
  auto count = static_cast<int64_t>(torch::cuda::device_count());
  if (device.has_index() && device.index() >= count) {
    throw OpError("ERR_DEVICE", "device '" + name + "' requested but only " +
                                    std::to_string(count) + " CUDA device(s) exist");
  }
  return device;
}

std::string DeviceName(const at::Device& device) {
  if (device.is_cpu()) return "cpu";
  return device.str();
}

std::string DescribeTensor(const at::Tensor& tensor) {
  if (!tensor.defined()) return "disposed";
  std::string text = DTypeName(tensor.scalar_type()) + ShapeString(tensor.sizes());
  if (!tensor.device().is_cpu()) text += "@" + DeviceName(tensor.device());
  return text;
}

at::Tensor OpContext::Tensor(size_t index) {
  TensorBox* box = UnwrapBox(info_[index]);
  if (box == nullptr) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a tensor");
  }
  return LiveTensor(box, index);
}

at::Tensor OpContext::LiveTensor(TensorBox* box, size_t index) {
  if (!box->tensor.defined()) {
    throw OpError("ERR_DISPOSED", "argument " + std::to_string(index) +
                                      " is a disposed tensor (it was freed by dispose() or tidy())");
  }
  inputs_.push_back({&box->tensor, 0});
  return box->tensor;
}

at::Tensor OpContext::TensorOrScalar(size_t index) {
  Napi::Value value = info_[index];
  if (TensorBox* box = UnwrapBox(value)) return LiveTensor(box, index);
  const napi_valuetype type = value.Type();
  if (type != napi_number && type != napi_boolean) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a tensor");
  }
  // JS has one number type: integral values act as Python ints (an int tensor times 8 stays
  // an int tensor), others as Python floats.
  at::Tensor scalar;
  double as_double;
  if (type == napi_boolean) {
    const bool flag = value.As<Napi::Boolean>().Value();
    scalar = at::scalar_tensor(flag, at::kBool);
    as_double = flag;
  } else {
    as_double = value.As<Napi::Number>().DoubleValue();
    // Every whole number int64 holds (|v| < 2^63): an int64 tensor + 1e16 stays int64 and exact.
    bool integral = std::isfinite(as_double) && std::trunc(as_double) == as_double && std::fabs(as_double) < 0x1p63;
    scalar = integral ? at::scalar_tensor(static_cast<int64_t>(as_double), at::kLong)
                      : at::scalar_tensor(as_double, at::kDouble);
  }
  // A wrapped number takes part in type promotion like a Python scalar: int32 + 1.5 -> float32.
  scalar.unsafeGetTensorImpl()->set_wrapped_number(true);
  inputs_.push_back({nullptr, as_double});
  return scalar;
}

std::vector<at::Tensor> OpContext::TensorList(size_t index) {
  if (!info_[index].IsArray()) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a list of tensors");
  }
  auto array = info_[index].As<Napi::Array>();
  std::vector<at::Tensor> tensors;
  tensors.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    at::Tensor* tensor = Unwrap(array.Get(i));
    if (tensor == nullptr || !tensor->defined()) {
      throw OpError(tensor ? "ERR_DISPOSED" : "ERR_ARGUMENT",
                    "element " + std::to_string(i) + " of argument " + std::to_string(index) +
                        (tensor ? " is a disposed tensor" : " is not a tensor"));
    }
    inputs_.push_back({tensor, 0});
    tensors.push_back(*tensor);
  }
  return tensors;
}

int64_t OpContext::Int(size_t index) const {
  if (!info_[index].IsNumber()) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a number");
  }
  return info_[index].As<Napi::Number>().Int64Value();
}

double OpContext::Double(size_t index) const {
  if (!info_[index].IsNumber()) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a number");
  }
  return info_[index].As<Napi::Number>().DoubleValue();
}

bool OpContext::Bool(size_t index) const { return info_[index].ToBoolean().Value(); }

std::string OpContext::String(size_t index) const {
  if (!info_[index].IsString()) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a string");
  }
  return info_[index].As<Napi::String>().Utf8Value();
}

std::vector<int64_t> OpContext::IntList(size_t index) const {
  if (!info_[index].IsArray()) {
    throw OpError("ERR_ARGUMENT", "argument " + std::to_string(index) + " is not a list of integers");
  }
  auto array = info_[index].As<Napi::Array>();
  std::vector<int64_t> values(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    values[i] = array.Get(i).As<Napi::Number>().Int64Value();
  }
  return values;
}

bool OpContext::IsNullish(size_t index) const {
  return info_[index].IsUndefined() || info_[index].IsNull();
}

std::string OpContext::DescribeInputs() const {
  std::string text;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const Input& input = inputs_[i];
    std::ostringstream scalar;
    scalar << input.scalar;
    text += (i ? ", " : "") + (input.tensor ? DescribeTensor(*input.tensor) : scalar.str());
  }
  return text;
}

namespace {
Napi::Object OpErrorObject(OpContext& ctx, const std::string& code, const std::string& message) {
  std::string text = ctx.op() + ": " + message;
  if (!ctx.DescribeInputs().empty()) text += " (received " + ctx.DescribeInputs() + ")";
  return NewKeratorchError(ctx.env(), code, ctx.op(), text);
}
}  // namespace

void ThrowOpError(OpContext& ctx, const std::string& code, const std::string& message) {
  throw Napi::Error(ctx.env(), OpErrorObject(ctx, code, message));
}

Napi::Value FailOp(OpContext& ctx, const std::string& code, const std::string& message) {
  return ReturnFailure(ctx.env(), OpErrorObject(ctx, code, message));
}

Napi::Value ReturnFailure(Napi::Env env, Napi::Value error) {
  auto& state = State(env);
  if (state.failure_flag == nullptr) throw Napi::Error(env, error);
  *state.failure_flag = 1;
  return error;
}

Napi::Object NewKeratorchError(Napi::Env env, const std::string& code, const std::string& op, const std::string& text) {
  auto& state = State(env);
  Napi::Object error = state.error_class.IsEmpty()
                           ? Napi::Error::New(env, text).Value()
                           : state.error_class.New({Napi::String::New(env, text)});
  error.Set("code", code);
  error.Set("op", op);
  return error;
}

Napi::Function NewFunction(Napi::Env env, const char* name, Napi::Function::Callback fn, void* data) {
  return Napi::Function::New(
      env,
      [fn](const Napi::CallbackInfo& info) -> Napi::Value {
        try {
          ScopedDenormalMode denormals(State(info.Env()).flush_denormal);
          return fn(info);
        } catch (const Napi::Error& e) {
          return ReturnFailure(info.Env(), e.Value());
        } catch (const std::exception& e) {
          return ReturnFailure(info.Env(), NewKeratorchError(info.Env(), "ERR_NATIVE", "native", FirstLine(e.what())));
        }
      },
      name, data);
}

void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Function::Callback fn) {
  exports.Set(name, NewFunction(env, name, fn));
}

}  // namespace keratorch
