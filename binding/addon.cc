// Entry point: creates the per-env state and assembles the op groups.
#include <ATen/CPUGeneratorImpl.h>

#include "common.h"
#include "init.h"

namespace keratorch {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  state->generator = at::make_generator<at::CPUGeneratorImpl>(/*seed=*/0x6b6572);
  env.SetInstanceData(state);
  InitCpuAllocator(env, exports);  // first, so tensors made from here on use the cache
  InitHeapPolicy(env, exports);
  InitTensor(env, exports);
  InitMath(env, exports);
  InitShape(env, exports);
  InitNN(env, exports);
  InitRandom(env, exports);
  InitAutograd(env, exports);
  InitSystem(env, exports);
  InitDenormals(env, exports);
  InitOptim(env, exports);
  InitVin(env, exports);
  InitRecordedForward(env, exports);
  InitServing(env, exports);
  InitTrainingStep(env, exports);
  InitRollout(env, exports);
  return exports;
}

}  // namespace keratorch

static Napi::Object InitKeratorch(Napi::Env env, Napi::Object exports) {
  return keratorch::Init(env, exports);
}

NODE_API_MODULE(keratorch, InitKeratorch)
