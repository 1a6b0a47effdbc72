// planRolloutsAsync: a VIN's whole plan off the JS thread. The recorded q-map forward runs on a batch
// of maps, then each rollout follows from its start the logits layer's best action at the cells it
// visits (the rule of src/vin/planning.ts), until the goal, a blocked move, maxSteps moves, or a cell it
// visited before (the policy is deterministic, so it would cycle; that cell ends the path).
#include <cmath>
#include <cstring>

#include "async_task.h"
#include "common.h"
#include "init.h"
#include "recorded_forward.h"

namespace keratorch {
namespace {

// One plan's inputs (row-major n x n obstacles, 1 = blocked) and outcome.
struct RolloutJob {
  int64_t map = 0;  // index of its map in the batch
  int32_t start_row = 0, start_col = 0, goal_row = 0, goal_col = 0, max_steps = 0;
  std::vector<int32_t> path;  // row, col pairs, start first
  bool reached = false;
  bool collided = false;
};

// The best action at a cell: the argmax of the logits layer's q x kernel, computed only at the cells a
// rollout visits (a matrix product over every cell of every map cost as much as the value iteration).
// Sums run over q's channels in order, as a matrix product's do; ties and NaN take the first index, as
// argmax.
template <typename T>
struct BestActions {
  const T* q;       // (maps, channels, n, n), contiguous
  const T* kernel;  // (channels, actions), contiguous
  int64_t channels, actions, n;

  int64_t At(int64_t map, int64_t row, int64_t col) const {
    const T* cell = q + map * channels * n * n + row * n + col;
    int64_t best = 0;
    T best_logit = T(0);
    for (int64_t a = 0; a < actions; ++a) {
      T logit = T(0);
      for (int64_t c = 0; c < channels; ++c) logit += cell[c * n * n] * kernel[c * actions + a];
      if (a == 0 || logit > best_logit || (std::isnan(logit) && !std::isnan(best_logit))) {
        best = a;
        best_logit = logit;
      }
    }
    return best;
  }
};

class RolloutTask : public TensorTask {
 public:
  RolloutTask(Napi::Env env, int threads, std::shared_ptr<const RecordedForward> recording,
              std::vector<at::Tensor> inputs, at::Tensor kernel, std::vector<uint8_t> obstacles,
              std::vector<int32_t> moves, std::vector<RolloutJob> jobs)
      : TensorTask(env, "planAsync", threads),
        recording_(std::move(recording)),
        inputs_(std::move(inputs)),
        kernel_(std::move(kernel)),
        obstacles_(std::move(obstacles)),
        moves_(std::move(moves)),
        jobs_(std::move(jobs)) {}

 protected:
  void Compute() override {
    at::Tensor q = Replay(*recording_, inputs_)[0];  // (maps, lQ, n, n)
    inputs_.clear();
    if (q.dim() != 4 || q.size(1) != kernel_.size(0) || q.size(2) != q.size(3)) {
      throw OpError("ERR_SHAPE", "the q maps " + DescribeTensor(q) + " do not fit the logits kernel " +
                                     DescribeTensor(kernel_));
    }
    // Read on the CPU (q may be on CUDA), in q's dtype: the logits are then summed in the order and
    // precision of the logits layer's matrix product, so ties break as in `plan`.
    CheckJobsFit(q.size(0), q.size(2));
    q = q.to(at::kCPU).contiguous();
    const at::Tensor kernel = kernel_.to(at::kCPU, q.scalar_type()).contiguous();
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "planAsync", [&] {
      const BestActions<scalar_t> best{q.data_ptr<scalar_t>(), kernel.data_ptr<scalar_t>(), q.size(1),
                                       kernel.size(1), q.size(2)};
      for (auto& job : jobs_) Roll(job, best);
    });
  }

  Napi::Value Result(Napi::Env env) override {
    auto results = Napi::Array::New(env, jobs_.size());
    for (uint32_t i = 0; i < jobs_.size(); ++i) {
      const auto& job = jobs_[i];
      auto path = Napi::Int32Array::New(env, job.path.size());
      std::memcpy(path.Data(), job.path.data(), job.path.size() * sizeof(int32_t));
      auto result = Napi::Object::New(env);
      result.Set("path", path);
      result.Set("reached", job.reached);
      result.Set("collided", job.collided);
      results.Set(i, result);
    }
    return results;
  }

 private:
  // Every index a rollout reads, checked against what the forward made: a job's map, its start and
  // goal, the obstacle maps' size, and each action's move (read out of bounds otherwise).
  void CheckJobsFit(int64_t maps, int64_t n) const {
    if (static_cast<int64_t>(obstacles_.size()) != maps * n * n) {
      throw OpError("ERR_SHAPE", "the obstacles hold " + std::to_string(obstacles_.size()) + " cells, but the q maps are " +
                                     std::to_string(maps) + " of " + std::to_string(n) + "x" + std::to_string(n));
    }
    if (moves_.size() % 2 != 0) throw OpError("ERR_SHAPE", "moves must hold 2 numbers per action");
    const auto inside = [n](int64_t v) { return v >= 0 && v < n; };
    for (size_t i = 0; i < jobs_.size(); ++i) {
      const auto& job = jobs_[i];
      if (job.map < 0 || job.map >= maps || !inside(job.start_row) || !inside(job.start_col) || !inside(job.goal_row) ||
          !inside(job.goal_col) || job.max_steps < 0) {
        throw OpError("ERR_VALUE", "job " + std::to_string(i) + " (map " + std::to_string(job.map) + ", start " +
                                       std::to_string(job.start_row) + "," + std::to_string(job.start_col) + ", goal " +
                                       std::to_string(job.goal_row) + "," + std::to_string(job.goal_col) +
                                       ") lies outside " + std::to_string(maps) + " maps of " + std::to_string(n) + "x" +
                                       std::to_string(n));
      }
    }
  }

  template <typename T>
  void Roll(RolloutJob& job, const BestActions<T>& best) const {
    const int64_t n = best.n;
    int32_t row = job.start_row, col = job.start_col;
    job.path = {row, col};
    job.reached = row == job.goal_row && col == job.goal_col;
    const uint8_t* blocked = obstacles_.data() + job.map * n * n;
    std::vector<uint8_t> visited(static_cast<size_t>(n * n), 0);
    visited[row * n + col] = 1;
    for (int32_t step = 0; !job.reached && step < job.max_steps; ++step) {
      const int64_t a = best.At(job.map, row, col);
      if (2 * a + 1 >= static_cast<int64_t>(moves_.size())) {
        throw OpError("ERR_VALUE", "the logits layer has more actions than moves were given");
      }
      int32_t next_row = row + moves_[2 * a], next_col = col + moves_[2 * a + 1];
      if (next_row < 0 || next_row >= n || next_col < 0 || next_col >= n || blocked[next_row * n + next_col] != 0) {
        job.collided = true;
        return;
      }
      row = next_row;
      col = next_col;
      job.path.push_back(row);
      job.path.push_back(col);
      job.reached = row == job.goal_row && col == job.goal_col;
      if (visited[row * n + col] != 0) return;
      visited[row * n + col] = 1;
    }
  }

  std::shared_ptr<const RecordedForward> recording_;
  std::vector<at::Tensor> inputs_;
  at::Tensor kernel_;
  std::vector<uint8_t> obstacles_;
  std::vector<int32_t> moves_;
  std::vector<RolloutJob> jobs_;
};

template <typename T>
std::vector<T> CopyTyped(const Napi::Value& value, const char* name, napi_typedarray_type type, const char* type_name) {
  // Of exactly that type: an Int32Array's length read over a Uint8Array's bytes runs past its end.
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw OpError("ERR_ARGUMENT", std::string(name) + " must be " + type_name);
  }
  auto array = value.As<Napi::TypedArrayOf<T>>();
  return std::vector<T>(array.Data(), array.Data() + array.ElementLength());
}

// planRolloutsAsync(recording, tensors, logitsKernel, obstacles: Uint8Array (maps*n*n),
//   jobs: Int32Array of (map, startRow, startCol, goalRow, goalCol, maxSteps) per plan,
//   moves: Int32Array of (dRow, dCol) per action, intraOpThreads) -> Promise<{ path, reached, collided }[]>
Napi::Value PlanRolloutsAsync(const Napi::CallbackInfo& info) {
  return Guard(info, "planRolloutsAsync", [&](OpContext& ctx) -> Napi::Value {
    auto recording = UnwrapRecording(info[0]);
    auto inputs = ctx.TensorList(1);
    auto kernel = ctx.Tensor(2);
    if (kernel.dim() != 2) throw OpError("ERR_SHAPE", "the logits kernel must be (lQ, actions)");
    auto obstacles = CopyTyped<uint8_t>(info[3], "obstacles", napi_uint8_array, "a Uint8Array");
    auto fields = CopyTyped<int32_t>(info[4], "jobs", napi_int32_array, "an Int32Array");
    auto moves = CopyTyped<int32_t>(info[5], "moves", napi_int32_array, "an Int32Array");
    auto threads = CheckThreadCount(ctx.Int(6), "intraOpThreads");
    if (fields.size() % 6 != 0) throw OpError("ERR_SHAPE", "jobs must hold 6 numbers per plan");
    std::vector<RolloutJob> jobs(fields.size() / 6);
    for (size_t i = 0; i < jobs.size(); ++i) {
      const int32_t* f = &fields[6 * i];
      jobs[i].map = f[0];
      jobs[i].start_row = f[1];
      jobs[i].start_col = f[2];
      jobs[i].goal_row = f[3];
      jobs[i].goal_col = f[4];
      jobs[i].max_steps = f[5];
    }
    auto* task = new RolloutTask(ctx.env(), static_cast<int>(threads), std::move(recording), std::move(inputs),
                                 kernel.detach(), std::move(obstacles), std::move(moves), std::move(jobs));
    return task->Start();
  });
}

}  // namespace

void InitRollout(Napi::Env env, Napi::Object exports) { Export(env, exports, "planRolloutsAsync", PlanRolloutsAsync); }

}  // namespace keratorch
