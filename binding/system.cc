// What the addon was built against, CUDA presence, thread settings, and the JS error class.
#include <ATen/Parallel.h>
#include <build_info.h>
#include <link.h>

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
    auto count = ctx.Int(0);
    if (count < 1) throw OpError("ERR_VALUE", "thread count must be at least 1");
    at::set_num_threads(static_cast<int>(count));
    return ctx.env().Undefined();
  });
}

// setErrorClass(ctor): native errors are constructed with it, so JS can catch them by class.
Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  State(info.Env()).error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

void InitSystem(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "buildInfo", BuildInfo);
  Export(env, exports, "loadedLibraries", LoadedLibraries);
  Export(env, exports, "cudaIsAvailable", CudaIsAvailable);
  Export(env, exports, "cudaDeviceCount", CudaDeviceCount);
  Export(env, exports, "getNumThreads", GetNumThreads);
  Export(env, exports, "setNumThreads", SetNumThreads);
  Export(env, exports, "setErrorClass", SetErrorClass);
}

}  // namespace keratorch
