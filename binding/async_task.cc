#include "async_task.h"

#include <c10/core/GradMode.h>
#include <ATen/Parallel.h>

#include "common.h"
#include "denormals.h"
#include "recorded_forward.h"

namespace keratorch {

TensorTask::TensorTask(Napi::Env env, std::string op, int intra_op_threads)
    : Napi::AsyncWorker(env, op.c_str()),
      deferred_(Napi::Promise::Deferred::New(env)),
      op_(std::move(op)),
      intra_op_threads_(intra_op_threads),
      flush_denormal_(State(env).flush_denormal) {}

Napi::Promise TensorTask::Start() {
  Napi::Promise promise = deferred_.Promise();
  Queue();  // libuv deletes the task after OnOK / OnError
  return promise;
}

void TensorTask::Execute() {
  try {
    // With OpenMP the intra-op thread count is a per-thread setting: a libuv worker starts with
    // libtorch's default, not what the JS thread set, so every task sets its own.
    if (at::get_num_threads() != intra_op_threads_) at::set_num_threads(intra_op_threads_);
    ScopedDenormalMode denormals(flush_denormal_);
    c10::NoGradGuard no_grad;
    Compute();
  } catch (const OpError& e) {
    error_code_ = e.code_;
    error_message_ = e.what();
  } catch (const c10::Error& e) {
    error_message_ = ReplayErrorMessage(e.what_without_backtrace());
    error_code_ = ClassifyTorchError(error_message_);
  } catch (const std::exception& e) {
    error_message_ = ReplayErrorMessage(e.what());
    error_code_ = "ERR_TORCH";
  }
  if (!error_message_.empty()) SetError(error_message_);
}

void TensorTask::OnOK() {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  try {
    deferred_.Resolve(Result(env));
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  }
}

void TensorTask::OnError(const Napi::Error&) {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  deferred_.Reject(NewKeratorchError(env, error_code_, op_, op_ + ": " + error_message_));
}

}  // namespace keratorch
