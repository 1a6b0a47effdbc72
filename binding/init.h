// One Init* function per op group; addon.cc assembles them.
#pragma once
#include <napi.h>

namespace keratorch {
void InitTensor(Napi::Env env, Napi::Object exports);    // tensor.cc: create, read, move, dispose
void InitMath(Napi::Env env, Napi::Object exports);      // math.cc: elementwise, reductions, matmul
void InitShape(Napi::Env env, Napi::Object exports);     // shape.cc: reshape, concat, index, pad
void InitNN(Napi::Env env, Napi::Object exports);        // nn.cc: activations, conv, pool, losses
void InitRandom(Napi::Env env, Napi::Object exports);    // random.cc: seeded generators, dropout
void InitAutograd(Napi::Env env, Napi::Object exports);  // autograd.cc: grads, detach, assign
void InitSystem(Napi::Env env, Napi::Object exports);    // system.cc: build info, CUDA, threads
void InitOptim(Napi::Env env, Napi::Object exports);     // optim.cc: fused optimizer update steps
void InitVin(Napi::Env env, Napi::Object exports);       // vin.cc: value iteration, the q pick at cells
void InitRecordedForward(Napi::Env env, Napi::Object exports);  // recorded_forward.cc: trace a JS forward
void InitServing(Napi::Env env, Napi::Object exports);  // serving.cc: replay a recorded forward off the JS thread
void InitTrainingStep(Napi::Env env, Napi::Object exports);  // training_step.cc: a training step off the JS thread
void InitRollout(Napi::Env env, Napi::Object exports);  // rollout.cc: a VIN's whole plan off the JS thread
void InitCpuAllocator(Napi::Env env, Napi::Object exports);  // cpu_allocator.cc: large-block cache
void InitDenormals(Napi::Env env, Napi::Object exports);     // denormals.cc: flush-to-zero mode, team check
void InitHeapPolicy(Napi::Env env, Napi::Object exports);    // heap_policy.cc: glibc keeps freed small blocks
}  // namespace keratorch
