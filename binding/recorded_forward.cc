// traceFunction / traceGraph / isTracing: records a JS forward pass (K ops run natively and each
// becomes a graph node) into a TorchScript graph whose inputs are the forward's inputs and the
// parameters it reads, so replays always see the parameters' current tensors.
#include "recorded_forward.h"

#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/runtime/interpreter.h>

#include <sstream>

#include "common.h"
#include "init.h"

namespace keratorch {

struct RecordedForward {
  std::shared_ptr<torch::jit::Graph> graph;
  torch::jit::Code code;
  // What each input was when recorded; a replay must match it (the graph baked in the shapes).
  std::vector<std::vector<int64_t>> input_sizes;
  std::vector<at::ScalarType> input_dtypes;
  std::vector<at::Device> input_devices;
  // Outputs that are a recorded constant or a graph input: copied per replay, never shared.
  std::vector<bool> copy_output;
};

namespace {

const napi_type_tag kRecordingTag = {0x6b6572617265636fULL, 0x7264696e67466f72ULL};

using Holder = std::shared_ptr<const RecordedForward>;

Napi::Value WrapRecording(Napi::Env env, Holder recording) {
  auto external = Napi::External<Holder>::New(env, new Holder(std::move(recording)),
                                              [](Napi::Env, Holder* holder) { delete holder; });
  external.TypeTag(&kRecordingTag);
  return external;
}

std::string Describe(at::IntArrayRef sizes, at::ScalarType dtype, const at::Device& device) {
  std::ostringstream out;
  out << DTypeName(dtype) << "[";
  for (size_t i = 0; i < sizes.size(); ++i) out << (i ? "," : "") << sizes[i];
  out << "] on " << DeviceName(device);
  return out.str();
}

// traceFunction(inputs, params, forward, name): calls forward() once while recording. forward must
// compute from the tensors in `inputs` and `params` (other tensors it reads become constants) and
// return the output handles.
Napi::Value TraceFunction(const Napi::CallbackInfo& info) {
  return Guard(info, "traceFunction", [&](OpContext& ctx) -> Napi::Value {
    auto inputs = ctx.TensorList(0);
    auto params = ctx.TensorList(1);
    if (!info[2].IsFunction()) throw OpError("ERR_ARGUMENT", "forward must be a function");
    auto forward = info[2].As<Napi::Function>();
    std::string name = ctx.String(3);
    if (torch::jit::tracer::isTracing()) throw OpError("ERR_TRACE", "a forward is already being recorded");

    auto recording = std::make_shared<RecordedForward>();
    torch::jit::Stack stack;
    for (const auto& group : {inputs, params}) {
      for (const auto& tensor : group) {
        recording->input_sizes.push_back(tensor.sizes().vec());
        recording->input_dtypes.push_back(tensor.scalar_type());
        recording->input_devices.push_back(tensor.device());
        stack.emplace_back(tensor);
      }
    }
    auto run_forward = [&](torch::jit::Stack) {
      Napi::Value result = forward.Call({});
      if (!result.IsArray()) throw OpError("ERR_ARGUMENT", "forward must return a list of tensors");
      auto array = result.As<Napi::Array>();
      torch::jit::Stack outputs;
      for (uint32_t i = 0; i < array.Length(); ++i) {
        at::Tensor* tensor = Unwrap(array.Get(i));
        if (tensor == nullptr || !tensor->defined()) {
          throw OpError("ERR_ARGUMENT", "forward returned something other than a live tensor at " + std::to_string(i));
        }
        outputs.emplace_back(*tensor);
      }
      return outputs;
    };
    auto traced = torch::jit::tracer::trace(std::move(stack), run_forward,
                                            [](const torch::autograd::Variable&) { return std::string(); });
    auto graph = traced.first->graph;
    torch::jit::EliminateDeadCode(graph);
    for (const torch::jit::Value* output : graph->outputs()) {
      auto kind = output->node()->kind();
      recording->copy_output.push_back(kind == torch::jit::prim::Constant || kind == torch::jit::prim::Param);
    }
    recording->graph = graph;
    recording->code = torch::jit::Code(graph, name);
    return WrapRecording(ctx.env(), std::move(recording));
  });
}

// traceGraph(recording) -> the TorchScript graph as text (tests and debugging).
Napi::Value TraceGraph(const Napi::CallbackInfo& info) {
  return Guard(info, "traceGraph", [&](OpContext& ctx) -> Napi::Value {
    return Napi::String::New(ctx.env(), UnwrapRecording(info[0])->graph->toString());
  });
}

Napi::Value IsTracing(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::jit::tracer::isTracing());
}

}  // namespace

std::shared_ptr<const RecordedForward> UnwrapRecording(Napi::Value value) {
  if (!value.IsExternal() || !value.As<Napi::External<Holder>>().CheckTypeTag(&kRecordingTag)) {
    throw OpError("ERR_ARGUMENT", "expected a recorded forward (from traceFunction)");
  }
  return *value.As<Napi::External<Holder>>().Data();
}

std::vector<at::Tensor> Replay(const RecordedForward& recording, const std::vector<at::Tensor>& inputs) {
  if (inputs.size() != recording.input_sizes.size()) {
    throw OpError("ERR_ARGUMENT", "the recording takes " + std::to_string(recording.input_sizes.size()) +
                                      " tensors but received " + std::to_string(inputs.size()));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& x = inputs[i];
    if (!x.defined()) throw OpError("ERR_DISPOSED", "input " + std::to_string(i) + " is a disposed tensor");
    if (x.sizes() != at::IntArrayRef(recording.input_sizes[i]) || x.scalar_type() != recording.input_dtypes[i] ||
        x.device() != recording.input_devices[i]) {
      throw OpError("ERR_SHAPE", "input " + std::to_string(i) + " was recorded as " +
                                     Describe(recording.input_sizes[i], recording.input_dtypes[i],
                                              recording.input_devices[i]) +
                                     " but received " + Describe(x.sizes(), x.scalar_type(), x.device()));
    }
  }
  torch::jit::Stack stack(inputs.begin(), inputs.end());
  torch::jit::InterpreterState(recording.code).run(stack);
  std::vector<at::Tensor> outputs;
  outputs.reserve(stack.size());
  for (size_t i = 0; i < stack.size(); ++i) {
    at::Tensor output = stack[i].toTensor();
    outputs.push_back(recording.copy_output[i] ? output.clone() : output);
  }
  return outputs;
}

void RejectValueReadWhileRecording(const char* op) {
  if (!torch::jit::tracer::isTracing()) return;
  throw OpError("ERR_TRACE", std::string(op) + "() read tensor values into JavaScript while a forward was being "
                "recorded for async use; a recording cannot depend on values read in JavaScript");
}

std::string ReplayErrorMessage(const std::string& what) {
  // The interpreter rethrows as "The following operation failed in the TorchScript interpreter.
  // Traceback ...\nRuntimeError: <the op's own message>".
  const std::string marker = "Error: ";
  if (what.find("TorchScript interpreter") == std::string::npos) return FirstLine(what);
  auto at = what.rfind(marker);
  return at == std::string::npos ? FirstLine(what) : FirstLine(what.substr(at + marker.size()));
}

void InitRecordedForward(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "traceFunction", TraceFunction);
  Export(env, exports, "traceGraph", TraceGraph);
  Export(env, exports, "isTracing", IsTracing);
}

}  // namespace keratorch
