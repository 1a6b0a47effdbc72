// Optimizer update steps (Keras 3's SGD, RMSprop, Adagrad, Adam): one call updates every parameter
// of a model in place, so a training step crosses the JS boundary once instead of once per op.
#include <c10/core/GradMode.h>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "init.h"
#include "optim_update.h"

namespace keratorch {
namespace {

// Hyperparameters of one step, read from the JS options object (absent keys keep these defaults).
struct Hyper {
  double learning_rate = 0.01;
  double decay = 0;
  double iterations = 0;  // steps taken before this one
  double momentum = 0;
  bool nesterov = false;
  double rho = 0.9;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  double clipnorm = 0;  // per-variable norm; 0: no clipping (as Keras)
  double global_clipnorm = 0;
  double clipvalue = 0;

  // Keras: lr / (1 + decay * iterations), only when decay > 0.
  double DecayedRate() const { return decay > 0 ? learning_rate / (1 + decay * iterations) : learning_rate; }
};

// The tensors of one step: parameters, their gradients, and per-parameter state slots
// (slot k holds one tensor per parameter).
struct Batch {
  std::vector<at::Tensor> params;
  std::vector<at::Tensor> grads;
  std::vector<std::vector<at::Tensor>> slots;
};

using StepFn = void (*)(const Hyper&, Batch&);

struct OptimizerEntry {
  const char* name;      // JS name in the `optim` group
  const char* op;        // name errors carry
  const char* slots[3];  // state slot names, nullptr-terminated (named in shape errors)
  bool last_slot_is_amsgrad;  // Adam's vhats exist only with amsgrad
  StepFn step;
};

// A list of live tensor handles. Unlike OpContext::TensorList it records nothing for the error
// suffix: a model's hundreds of tensors would drown the message, which names the culprit itself.
std::vector<at::Tensor> HandleList(const Napi::Value& value, const std::string& name) {
  if (!value.IsArray()) throw OpError("ERR_ARGUMENT", "expected a list of tensors for " + name);
  auto array = value.As<Napi::Array>();
  std::vector<at::Tensor> tensors;
  tensors.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    at::Tensor* tensor = Unwrap(array.Get(i));
    std::string where = name + "[" + std::to_string(i) + "]";
    if (tensor == nullptr) throw OpError("ERR_ARGUMENT", where + " is not a tensor");
    if (!tensor->defined()) throw OpError("ERR_DISPOSED", where + " is a disposed tensor");
    tensors.push_back(*tensor);
  }
  return tensors;
}

double NumberOption(const Napi::Object& options, const char* key, double fallback) {
  Napi::Value value = options.Get(key);
  if (value.IsUndefined() || value.IsNull()) return fallback;
  if (!value.IsNumber()) throw OpError("ERR_ARGUMENT", std::string("option ") + key + " is not a number");
  double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number)) throw OpError("ERR_VALUE", std::string("option ") + key + " is not finite");
  return number;
}

bool BoolOption(const Napi::Object& options, const char* key, bool fallback) {
  Napi::Value value = options.Get(key);
  if (value.IsUndefined() || value.IsNull()) return fallback;
  return value.ToBoolean().Value();
}

Hyper ParseHyper(const Napi::Value& value) {
  static const std::pair<const char*, double Hyper::*> kNumbers[] = {
      {"learningRate", &Hyper::learning_rate}, {"decay", &Hyper::decay}, {"iterations", &Hyper::iterations},
      {"momentum", &Hyper::momentum}, {"rho", &Hyper::rho}, {"beta1", &Hyper::beta1}, {"beta2", &Hyper::beta2},
      {"epsilon", &Hyper::epsilon}, {"clipnorm", &Hyper::clipnorm}, {"globalClipnorm", &Hyper::global_clipnorm},
      {"clipvalue", &Hyper::clipvalue},
  };
  Hyper h;
  if (value.IsUndefined() || value.IsNull()) return h;
  if (!value.IsObject()) throw OpError("ERR_ARGUMENT", "expected an options object");
  auto options = value.As<Napi::Object>();
  for (const auto& [key, field] : kNumbers) h.*field = NumberOption(options, key, h.*field);
  h.nesterov = BoolOption(options, "nesterov", h.nesterov);
  h.amsgrad = BoolOption(options, "amsgrad", h.amsgrad);
  return h;
}

// Every gradient and state tensor must match its parameter's shape; parameters must be floats.
void CheckBatch(const OptimizerEntry& entry, const Batch& batch) {
  const size_t n = batch.params.size();
  if (batch.grads.size() != n) {
    throw OpError("ERR_SHAPE", "expected one gradient per parameter (" + std::to_string(n) +
                                   ") but received " + std::to_string(batch.grads.size()));
  }
  for (size_t i = 0; i < n; ++i) {
    const auto& p = batch.params[i];
    if (!at::isFloatingType(p.scalar_type())) {
      throw OpError("ERR_DTYPE", "params[" + std::to_string(i) + "] is " + DescribeTensor(p) +
                                     ", not a floating-point tensor");
    }
    if (batch.grads[i].sizes() != p.sizes()) {
      throw OpError("ERR_SHAPE", "grads[" + std::to_string(i) + "] is " + DescribeTensor(batch.grads[i]) +
                                     " but params[" + std::to_string(i) + "] is " + DescribeTensor(p));
    }
  }
  for (size_t k = 0; k < batch.slots.size(); ++k) {
    const std::string slot = entry.slots[k];
    if (batch.slots[k].size() != n) {
      throw OpError("ERR_SHAPE", "expected one " + slot + " tensor per parameter (" + std::to_string(n) +
                                     ") but received " + std::to_string(batch.slots[k].size()));
    }
    for (size_t i = 0; i < n; ++i) {
      if (batch.slots[k][i].sizes() != batch.params[i].sizes()) {
        throw OpError("ERR_SHAPE", slot + "[" + std::to_string(i) + "] is " + DescribeTensor(batch.slots[k][i]) +
                                       " but params[" + std::to_string(i) + "] is " + DescribeTensor(batch.params[i]));
      }
    }
  }
}

// Keras 3's _clip_gradients, the first option set of: clipnorm scales each gradient by
// clipnorm / max(its own norm, clipnorm); globalClipnorm scales all of them by clipnorm / max(global
// norm, clipnorm) (a NaN or infinite norm makes them NaN, as clip_by_global_norm); clipvalue clips
// each element to [-clipvalue, clipvalue]. The scales stay on the device (no host sync). The callers'
// gradients are not modified; clipped copies replace them in the batch.
void ClipGradients(const Hyper& h, Batch& batch) {
  if (h.clipnorm > 0) {
    for (auto& g : batch.grads) g = g.mul(h.clipnorm).div_(at::clamp_min(g.square().sum().sqrt(), h.clipnorm));
  } else if (h.global_clipnorm > 0 && !batch.grads.empty()) {
    at::Tensor squares = batch.grads[0].square().sum();
    for (size_t i = 1; i < batch.grads.size(); ++i) squares = squares + batch.grads[i].square().sum();
    at::Tensor norm = squares.sqrt();
    at::Tensor scale = at::clamp_max(norm.reciprocal(), 1 / h.global_clipnorm).mul_(h.global_clipnorm).add_(norm - norm);
    for (auto& g : batch.grads) g = g * scale;
  } else if (h.clipvalue > 0) {
    for (auto& g : batch.grads) g = at::clamp(g, at::Scalar(-h.clipvalue), at::Scalar(h.clipvalue));
  }
}

// v = momentum * v - lr * g;  p += v  (nesterov: p += momentum * v - lr * g)
void SgdStep(const Hyper& h, Batch& batch) {
  const double lr = h.DecayedRate();
  for (size_t i = 0; i < batch.params.size(); ++i) {
    auto& p = batch.params[i];
    auto& g = batch.grads[i];
    auto& v = batch.slots[0][i];
    v.mul_(h.momentum).sub_(g, lr);
    if (h.nesterov) {
      p.add_(v, h.momentum).sub_(g, lr);
    } else {
      p.add_(v);
    }
  }
}

// a = rho * a + (1 - rho) * g^2;  p -= lr * g / sqrt(a + epsilon)
void RmspropStep(const Hyper& h, Batch& batch) {
  const double lr = h.DecayedRate();
  for (size_t i = 0; i < batch.params.size(); ++i) {
    auto& g = batch.grads[i];
    auto& a = batch.slots[0][i];
    a.mul_(h.rho).addcmul_(g, g, 1 - h.rho);
    batch.params[i].addcdiv_(g, a.add(h.epsilon).sqrt_(), -lr);
  }
}

// a += g^2;  p -= lr * g / sqrt(a + epsilon)  (a starts at initialAccumulatorValue, set by the caller)
void AdagradStep(const Hyper& h, Batch& batch) {
  const double lr = h.DecayedRate();
  for (size_t i = 0; i < batch.params.size(); ++i) {
    auto& g = batch.grads[i];
    auto& a = batch.slots[0][i];
    a.addcmul_(g, g);
    batch.params[i].addcdiv_(g, a.add(h.epsilon).sqrt_(), -lr);
  }
}

// t = iterations + 1;  lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
// m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  p -= lr_t m / (sqrt(v) + epsilon)
// amsgrad: vhat = max(vhat, v) replaces v in the denominator.
void AdamStep(const Hyper& h, Batch& batch) {
  const double t = h.iterations + 1;
  const double lr_t = h.DecayedRate() * std::sqrt(1 - std::pow(h.beta2, t)) / (1 - std::pow(h.beta1, t));
  for (size_t i = 0; i < batch.params.size(); ++i) {
    auto& g = batch.grads[i];
    auto& m = batch.slots[0][i];
    auto& v = batch.slots[1][i];
    m.mul_(h.beta1).add_(g, 1 - h.beta1);
    v.mul_(h.beta2).addcmul_(g, g, 1 - h.beta2);
    at::Tensor second = v;
    if (h.amsgrad) {
      auto& vhat = batch.slots[2][i];
      at::maximum_out(vhat, vhat, v);
      second = vhat;
    }
    batch.params[i].addcdiv_(m, second.sqrt().add_(h.epsilon), -lr_t);
  }
}

const std::vector<OptimizerEntry>& Optimizers() {
  static const std::vector<OptimizerEntry> entries = {
      {"sgd", "optim.sgd", {"moments", nullptr, nullptr}, false, SgdStep},
      {"rmsprop", "optim.rmsprop", {"accumulators", nullptr, nullptr}, false, RmspropStep},
      {"adagrad", "optim.adagrad", {"accumulators", nullptr, nullptr}, false, AdagradStep},
      {"adam", "optim.adam", {"ms", "vs", "vhats"}, true, AdamStep},
  };
  return entries;
}

size_t SlotCount(const OptimizerEntry& entry, const Hyper& h) {
  size_t count = 0;
  while (count < 3 && entry.slots[count] != nullptr) ++count;
  if (entry.last_slot_is_amsgrad && !h.amsgrad) --count;
  return count;
}

// The optimizer entry named `kind` (sgd, rmsprop, adagrad, adam).
const OptimizerEntry& EntryNamed(const std::string& kind) {
  for (const auto& entry : Optimizers()) {
    if (kind == entry.name) return entry;
  }
  throw OpError("ERR_ARGUMENT", "no optimizer step named " + kind);
}

// optim.<name>(params, grads, slots, options): updates params and slots in place; returns nothing.
// `slots` is a list of tensor lists, one list per state slot, each with one tensor per parameter.
Napi::Value Step(const Napi::CallbackInfo& info) {
  const auto& entry = *static_cast<const OptimizerEntry*>(info.Data());
  return Guard(info, entry.op, [&](OpContext& ctx) {
    auto update = PrepareOptimizerUpdate(entry.name, info[0], info[2], info[3]);
    ApplyOptimizerUpdate(*update, HandleList(info[1], "grads"));
    return ctx.env().Undefined();
  });
}

}  // namespace

struct OptimizerUpdate {
  const OptimizerEntry* entry;
  Hyper hyper;
  Batch batch;
};

std::shared_ptr<OptimizerUpdate> PrepareOptimizerUpdate(const std::string& kind, const Napi::Value& params,
                                                        const Napi::Value& slots, const Napi::Value& options) {
  auto update = std::make_shared<OptimizerUpdate>();
  update->entry = &EntryNamed(kind);
  update->hyper = ParseHyper(options);
  update->batch.params = HandleList(params, "params");
  if (!slots.IsArray()) throw OpError("ERR_ARGUMENT", "expected a list of state-slot lists");
  auto slot_lists = slots.As<Napi::Array>();
  const size_t slot_count = SlotCount(*update->entry, update->hyper);
  if (slot_lists.Length() != slot_count) {
    throw OpError("ERR_ARGUMENT", "expected " + std::to_string(slot_count) + " state slot list(s) but received " +
                                      std::to_string(slot_lists.Length()));
  }
  for (size_t k = 0; k < slot_count; ++k) {
    update->batch.slots.push_back(HandleList(slot_lists.Get(static_cast<uint32_t>(k)), update->entry->slots[k]));
  }
  return update;
}

void ApplyOptimizerUpdate(OptimizerUpdate& update, std::vector<at::Tensor> grads) {
  update.batch.grads = std::move(grads);
  CheckBatch(*update.entry, update.batch);
  // In-place updates of trainable leaves must not be recorded by autograd.
  c10::NoGradGuard no_grad;
  ClipGradients(update.hyper, update.batch);
  update.entry->step(update.hyper, update.batch);
  update.batch.grads.clear();
}

void InitOptim(Napi::Env env, Napi::Object exports) {
  auto group = Napi::Object::New(env);
  for (auto& entry : Optimizers()) {
    group.Set(entry.name, NewFunction(env, entry.name, Step, const_cast<OptimizerEntry*>(&entry)));
  }
  exports.Set("optim", group);
}

}  // namespace keratorch
