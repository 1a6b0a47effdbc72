// What the addon was built against, CUDA presence, thread settings, and the JS error class.
#include <ATen/Parallel.h>
#include <build_info.h>
#include <c10/util/Logging.h>
#include <link.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "common.h"
#include "init.h"
#include "vin_fused_op.h"

namespace keratorch {
namespace {

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto result = Napi::Object::New(env);
  result.Set("torchVersion", KERATORCH_BUILT_TORCH_VERSION);
  result.Set("torchSource", KERATORCH_BUILT_TORCH_SOURCE);
  result.Set("torchLibDir", KERATORCH_BUILT_TORCH_LIB_DIR);
#ifdef KERATORCH_WITH_CUDA
  result.Set("cudaCompiled", true);
#else
  result.Set("cudaCompiled", false);
#endif
  result.Set("cpuKernels", FusedCpuKernels());
  return result;
}

// The libtorch, c10 and CUDA libraries this process has really loaded (paths as the dynamic loader
// opened them), so `keratorch info` and the loader report what runs, not what the build claimed.
int CollectTorchLibrary(struct dl_phdr_info* info, size_t, void* data) {
  std::string path = info->dlpi_name ? info->dlpi_name : "";
  auto slash = path.rfind('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  static const char* const kPrefixes[] = {"libtorch", "libc10", "libcudart", "libnvrtc", "libcudnn", "libnccl"};
  for (const char* prefix : kPrefixes) {
    if (name.rfind(prefix, 0) == 0) {
      static_cast<std::vector<std::string>*>(data)->push_back(path);
      break;
    }
  }
  return 0;
}

Napi::Value LoadedLibraries(const Napi::CallbackInfo& info) {
  std::vector<std::string> paths;
  dl_iterate_phdr(CollectTorchLibrary, &paths);
  auto result = Napi::Array::New(info.Env(), paths.size());
  for (size_t i = 0; i < paths.size(); ++i) result.Set(static_cast<uint32_t>(i), paths[i]);
  return result;
}

Napi::Value CudaIsAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::cuda::is_available());
}

Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(torch::cuda::device_count()));
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  return Guard(info, "setNumThreads", [&](OpContext& ctx) {
    at::set_num_threads(CheckThreadCount(ctx.Int(0), "thread count"));
    return ctx.env().Undefined();
  });
}

// setErrorClass(ctor): native errors are constructed with it, so JS can catch them by class.
Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  State(info.Env()).error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

// setFailureSlot(int32Array): the flag failed calls set (ReturnFailure); native.ts's wrappers read it.
Napi::Value SetFailureSlot(const Napi::CallbackInfo& info) {
  auto& state = State(info.Env());
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[0].As<Napi::TypedArray>().ElementLength() < 1) {
    throw Napi::TypeError::New(info.Env(), "setFailureSlot: expected an Int32Array of length 1 or more");
  }
  auto slot = info[0].As<Napi::Int32Array>();
  state.failure_slot = Napi::Persistent(slot);
  state.failure_flag = slot.Data();
  return info.Env().Undefined();
}

// libtorch captures and symbolizes a C++ backtrace for every error it raises: 5-8 ms an error with
// 1.13, so a flood of bad requests would cost a server that much each, for text keratorch drops
// (messages keep their first line). The fetcher is libtorch's, process-wide: set once, to nothing.
// KERATORCH_TORCH_BACKTRACES=1 keeps libtorch's backtraces (when debugging libtorch itself).
void SkipTorchBacktraces() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* keep = std::getenv("KERATORCH_TORCH_BACKTRACES");
    if (keep == nullptr || std::string(keep).empty() || std::string(keep) == "0") {
      c10::SetStackTraceFetcher([] { return std::string(); });
    }
  });
}

}  // namespace

void InitSystem(Napi::Env env, Napi::Object exports) {
  SkipTorchBacktraces();
  Export(env, exports, "buildInfo", BuildInfo);
  Export(env, exports, "loadedLibraries", LoadedLibraries);
  Export(env, exports, "cudaIsAvailable", CudaIsAvailable);
  Export(env, exports, "cudaDeviceCount", CudaDeviceCount);
  Export(env, exports, "getNumThreads", GetNumThreads);
  Export(env, exports, "setNumThreads", SetNumThreads);
  Export(env, exports, "setErrorClass", SetErrorClass);
  Export(env, exports, "setFailureSlot", SetFailureSlot);
}

}  // namespace keratorch
