// runTraceAsync: replays a recorded forward (recorded_forward.cc) on a worker thread.
#include "async_task.h"
#include "common.h"
#include "init.h"
#include "recorded_forward.h"

namespace keratorch {
namespace {

class ReplayTask : public TensorTask {
 public:
  ReplayTask(Napi::Env env, std::string op, int threads, std::shared_ptr<const RecordedForward> recording,
             std::vector<at::Tensor> inputs)
      : TensorTask(env, std::move(op), threads), recording_(std::move(recording)), inputs_(std::move(inputs)) {}

 protected:
  void Compute() override {
    outputs_ = Replay(*recording_, inputs_);
    inputs_.clear();  // unpin the inputs as soon as the work is done
  }
  Napi::Value Result(Napi::Env env) override { return WrapList(env, outputs_); }

 private:
  std::shared_ptr<const RecordedForward> recording_;
  std::vector<at::Tensor> inputs_;
  std::vector<at::Tensor> outputs_;
};

// runTraceAsync(recording, tensors, intraOpThreads, op) -> Promise<handles>
Napi::Value RunTraceAsync(const Napi::CallbackInfo& info) {
  return Guard(info, "runTraceAsync", [&](OpContext& ctx) -> Napi::Value {
    auto recording = UnwrapRecording(info[0]);
    auto inputs = ctx.TensorList(1);
    auto threads = CheckThreadCount(ctx.Int(2), "intraOpThreads");
    auto* task = new ReplayTask(ctx.env(), ctx.String(3), threads, std::move(recording),
                                std::move(inputs));
    return task->Start();
  });
}

}  // namespace

void InitServing(Napi::Env env, Napi::Object exports) { Export(env, exports, "runTraceAsync", RunTraceAsync); }

}  // namespace keratorch
