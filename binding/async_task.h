// A promise-returning native task: the inputs are copied into the task (tensors are reference
// counted, so "copied" means pinned) on the JS thread, Compute() runs on a libuv worker thread with
// no JS values and no autograd, and the result or a keratorch error comes back on the JS thread.
#pragma once

#include <napi.h>
#include <ATen/ATen.h>

#include <string>

namespace keratorch {

class TensorTask : public Napi::AsyncWorker {
 public:
  // `op` names the task in error messages; `intra_op_threads` (>= 1) is set on the worker thread.
  TensorTask(Napi::Env env, std::string op, int intra_op_threads);

  // Queues the task and returns its promise.
  Napi::Promise Start();

 protected:
  virtual void Compute() = 0;                      // worker thread
  virtual Napi::Value Result(Napi::Env env) = 0;  // JS thread, after Compute succeeded

 private:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

  Napi::Promise::Deferred deferred_;
  std::string op_;
  int intra_op_threads_;
  bool flush_denormal_;  // the env's denormal mode when the task was made (denormals.h)
  std::string error_code_;
  std::string error_message_;
};

}  // namespace keratorch
