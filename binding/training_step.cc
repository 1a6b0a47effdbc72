// trainStepAsync: one training (or evaluation) step off the JS thread. The recorded forward and loss
// (recorded_forward.cc) is replayed with autograd on, the gradients of the total loss are taken with
// respect to the trainable weights, and the optimizer update (optim_update.h) is applied in place,
// all on a worker thread; the logged values come back as numbers.
#include <torch/csrc/autograd/autograd.h>

#include "async_task.h"
#include "common.h"
#include "init.h"
#include "optim_update.h"
#include "recorded_forward.h"

namespace keratorch {
namespace {

class TrainStepTask : public TensorTask {
 public:
  TrainStepTask(Napi::Env env, std::string op, int threads, std::shared_ptr<const RecordedForward> recording,
                std::vector<at::Tensor> inputs, std::vector<at::Tensor> trainable,
                std::shared_ptr<OptimizerUpdate> update)
      : TensorTask(env, std::move(op), threads),
        recording_(std::move(recording)),
        inputs_(std::move(inputs)),
        trainable_(std::move(trainable)),
        update_(std::move(update)) {}

 protected:
  void Compute() override {
    const bool train = !trainable_.empty();
    c10::AutoGradMode grad_mode(train);  // TensorTask turned autograd off for plain replays
    std::vector<at::Tensor> outputs = Replay(*recording_, inputs_);
    inputs_.clear();
    if (outputs.empty()) throw OpError("ERR_ARGUMENT", "the recorded step returns no loss");
    if (train) {
      if (!outputs[0].requires_grad()) {
        throw OpError("ERR_VALUE", "the loss does not depend on any trainable weight");
      }
      auto grads = torch::autograd::grad({outputs[0]}, trainable_, /*grad_outputs=*/{}, /*retain_graph=*/false,
                                         /*create_graph=*/false, /*allow_unused=*/true);
      // As K.gradients: weights the loss does not depend on get zeros.
      for (size_t i = 0; i < grads.size(); ++i) {
        if (!grads[i].defined()) grads[i] = at::zeros_like(trainable_[i]);
      }
      if (update_) {
        ApplyOptimizerUpdate(*update_, std::move(grads));
      } else {
        grads_ = std::move(grads);
      }
    }
    trainable_.clear();
    update_.reset();
    values_.reserve(outputs.size());
    for (const auto& value : outputs) {
      if (value.numel() != 1) {
        throw OpError("ERR_SHAPE", "a logged value is " + DescribeTensor(value) + ", not one number");
      }
      values_.push_back(value.item<double>());
    }
  }

  Napi::Value Result(Napi::Env env) override {
    auto result = Napi::Object::New(env);
    auto values = Napi::Array::New(env, values_.size());
    for (size_t i = 0; i < values_.size(); ++i) values.Set(static_cast<uint32_t>(i), values_[i]);
    result.Set("values", values);
    result.Set("grads", WrapList(env, grads_));
    return result;
  }

 private:
  std::shared_ptr<const RecordedForward> recording_;
  std::vector<at::Tensor> inputs_;
  std::vector<at::Tensor> trainable_;
  std::shared_ptr<OptimizerUpdate> update_;
  std::vector<double> values_;
  std::vector<at::Tensor> grads_;
};

// trainStepAsync(recording, tensors, trainable, update, intraOpThreads, op) -> Promise<{ values, grads }>.
// `update` is null (the gradients come back) or { kind, slots, options } as optim.<kind> takes them,
// with `trainable` as its parameters. No trainable weights: an evaluation step (no gradients).
Napi::Value TrainStepAsync(const Napi::CallbackInfo& info) {
  return Guard(info, "trainStepAsync", [&](OpContext& ctx) -> Napi::Value {
    auto recording = UnwrapRecording(info[0]);
    auto inputs = ctx.TensorList(1);
    auto trainable = ctx.TensorList(2);
    std::shared_ptr<OptimizerUpdate> update;
    if (!ctx.IsNullish(3)) {
      if (!info[3].IsObject()) throw OpError("ERR_ARGUMENT", "expected null or { kind, slots, options } for update");
      auto spec = info[3].As<Napi::Object>();
      if (!spec.Get("kind").IsString()) throw OpError("ERR_ARGUMENT", "expected a string for update.kind");
      update = PrepareOptimizerUpdate(spec.Get("kind").As<Napi::String>().Utf8Value(), info[2], spec.Get("slots"),
                                      spec.Get("options"));
    }
    auto threads = CheckThreadCount(ctx.Int(4), "intraOpThreads");
    auto* task = new TrainStepTask(ctx.env(), ctx.String(5), threads, std::move(recording), std::move(inputs),
                                   std::move(trainable), std::move(update));
    return task->Start();
  });
}

}  // namespace

void InitTrainingStep(Napi::Env env, Napi::Object exports) { Export(env, exports, "trainStepAsync", TrainStepAsync); }

}  // namespace keratorch
