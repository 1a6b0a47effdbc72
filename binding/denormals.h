// Flush-to-zero and denormals-are-zero for the threads that run keratorch's float math.
//
// Subnormal floats (below 1.18e-38 in float32) take x86 cores tens of times longer per operation.
// A VIN's gradient, flowing back through k tied steps from the paper's small initial weights,
// shrinks into that range, and a training step then ran ~40% slower until the weights grew.
// TensorFlow flushes them in its thread pools; PyTorch offers torch.set_flush_denormal. keratorch
// flushes by default (setFlushDenormal(false) restores IEEE behaviour): what is lost are values
// below 1.18e-38, which round to 0 against any float32 weight they would be added to.
//
// The mode is a per-thread CPU register (MXCSR on x86, FPCR on Arm). A native call sets it on the
// calling thread for its duration and restores it after, so JavaScript's own arithmetic on the
// main thread keeps IEEE subnormals; libtorch's intra-op threads, which run only tensor work, keep
// the mode that was last applied to them.
#pragma once

namespace keratorch {

// Whether this CPU architecture has the switch (x86-64 and 64-bit Arm).
bool DenormalModeSupported();

// Sets the mode for this scope on this thread, and on this thread's intra-op team when its mode or
// size changed since it was last applied from here; restores this thread's mode at the end.
class ScopedDenormalMode {
 public:
  explicit ScopedDenormalMode(bool flush);
  ~ScopedDenormalMode();
  ScopedDenormalMode(const ScopedDenormalMode&) = delete;
  ScopedDenormalMode& operator=(const ScopedDenormalMode&) = delete;

 private:
  unsigned long saved_;
  bool changed_;
};

}  // namespace keratorch
