// A forward pass recorded once with libtorch's JIT tracer on the JS thread, then replayed natively
// (by the JIT interpreter, op for op as recorded) on worker threads.
#pragma once

#include <napi.h>
#include <ATen/ATen.h>

#include <memory>
#include <vector>

namespace keratorch {

struct RecordedForward;  // recorded_forward.cc

// The recording behind a handle made by traceFunction; throws OpError for anything else.
std::shared_ptr<const RecordedForward> UnwrapRecording(Napi::Value value);

// Runs the recording on `inputs` (the recorded inputs, then the parameters, with the recorded shapes,
// dtypes and devices). Touches no JS values, so any thread may call it, several at once.
std::vector<at::Tensor> Replay(const RecordedForward& recording, const std::vector<at::Tensor>& inputs);

// Throws (ERR_TRACE) when this thread is recording: a value read into JavaScript could steer the
// forward, and the recording would silently replay the values of the recorded call.
void RejectValueReadWhileRecording(const char* op);

// The message of a failure inside the JIT interpreter, without the interpreter's traceback preamble.
std::string ReplayErrorMessage(const std::string& what);

}  // namespace keratorch
