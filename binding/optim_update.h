// An optimizer update read on the JS thread (parameters, state slots, hyperparameters: optim.<kind>'s
// arguments but the gradients) and applied later, on any thread, once the gradients exist: the
// last part of a training step run off the JS thread (training_step.cc).
#pragma once

#include <napi.h>
#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <vector>

namespace keratorch {

struct OptimizerUpdate;  // optim.cc

// Reads `params` and `slots` (tensor handle lists) and `options` as optim.<kind> does; throws OpError.
std::shared_ptr<OptimizerUpdate> PrepareOptimizerUpdate(const std::string& kind, const Napi::Value& params,
                                                        const Napi::Value& slots, const Napi::Value& options);

// Checks the gradients against the parameters, clips them and updates parameters and slots in place.
// Touches no JS values.
void ApplyOptimizerUpdate(OptimizerUpdate& update, std::vector<at::Tensor> grads);

}  // namespace keratorch
