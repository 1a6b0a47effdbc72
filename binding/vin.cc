// Value iteration for VIN: the whole k-step loop in one native call, composed of libtorch ops so
// autograd runs through it. Weights arrive in Keras's (rows, cols, in, out) layout; maps are NCHW.
#include <torch/csrc/jit/frontend/tracer.h>

#include <algorithm>
#include <limits>
#include <string>

#include "common.h"
#include "init.h"
#include "vin_fused_op.h"
#include "vin_op.h"

namespace keratorch {
namespace {

// (rows, cols, in, out) -> (out, in, rows, cols)
at::Tensor ToOIHW(const at::Tensor& kernel) { return kernel.permute({3, 2, 0, 1}); }

at::Tensor MaxOverChannels(const at::Tensor& q) {
  // at::max picks one index per tie, as torch.max does; amax would split the gradient.
  return std::get<0>(at::max(q, /*dim=*/1, /*keepdim=*/true));
}

// valueIteration(r[B,1,H,W], wR[3,3,1,Q], wV[3,3,1,Q], k, fused, withValue) -> [q[B,Q,H,W], v[B,1,H,W]]
// q0 = conv(r, wR); v = max_c q; then k times q = conv([r, v], [wR, wV]); v = max_c q
// (k+1 q-layers in all, as the paper's code). The returned v is the max of the final q, the
// value map for pictures; the loss only depends on q, so without `withValue` only [q] is returned
// and the generic path skips that last max. `fused` runs vin_fused.cc's kernels where they apply
// (FusedValueIterationApplies), else this composition of libtorch ops, the reference.
// k steps see about k cells far: 10,000 covers maps of 10,000 cells a side, and more could only be
// a mistake (1e9 ran on for hours, the JS thread blocked).
constexpr int64_t kMaxValueIterations = 10000;

Napi::Value ValueIteration(const Napi::CallbackInfo& info) {
  return Guard(info, "valueIteration", [&](OpContext& ctx) {
    auto r = ctx.Tensor(0);
    auto w_r = ctx.Tensor(1);
    auto w_v = ctx.Tensor(2);
    auto k = ctx.Int(3);
    if (r.dim() != 4 || r.size(1) != 1) {
      throw OpError("ERR_SHAPE", "the reward map must be (batch, 1, rows, cols)");
    }
    if (w_r.dim() != 4 || w_r.sizes() != w_v.sizes() || w_r.size(2) != 1 || w_r.size(0) % 2 == 0 ||
        w_r.size(1) % 2 == 0) {
      throw OpError("ERR_SHAPE", "wR and wV must both be (rows, cols, 1, channels) with odd rows and cols");
    }
    if (k < 1 || k > kMaxValueIterations) {
      throw OpError("ERR_VALUE", "k must be an integer in [1, " + std::to_string(kMaxValueIterations) + "], but received " +
                                     std::to_string(k));
    }
    const bool fused = ctx.Bool(4);
    const bool with_value = ctx.Bool(5);
    if (fused && FusedValueIterationApplies(r, w_r, w_v)) {
      auto outputs = FusedValueIterationOp(r, w_r, w_v, k);
      if (!with_value) outputs.resize(1);
      return WrapList(ctx.env(), outputs);
    }
    int64_t pad_rows = w_r.size(0) / 2;
    int64_t pad_cols = w_r.size(1) / 2;
    const std::vector<int64_t> padding = {pad_rows, pad_cols};
    const std::vector<int64_t> stride = {1, 1};
    const c10::optional<at::Tensor> no_bias;
    auto kernel_r = ToOIHW(w_r);
    auto kernel = at::cat({kernel_r, ToOIHW(w_v)}, 1);
    auto q = at::conv2d(r, kernel_r, no_bias, stride, padding);
    auto v = MaxOverChannels(q);
    for (int64_t i = 0; i < k; ++i) {
      q = at::conv2d(at::cat({r, v}, 1), kernel, no_bias, stride, padding);
      if (i + 1 < k || with_value) v = MaxOverChannels(q);
    }
    return with_value ? WrapList(ctx.env(), {q, v}) : WrapList(ctx.env(), {q});
  });
}

// fusedValueIterationApplies(r, wR, wV): whether valueIteration(..., fused = true) runs the fused kernels.
Napi::Value FusedApplies(const Napi::CallbackInfo& info) {
  return Guard(info, "fusedValueIterationApplies", [&](OpContext& ctx) -> Napi::Value {
    return Napi::Boolean::New(ctx.env(), FusedValueIterationApplies(ctx.Tensor(0), ctx.Tensor(1), ctx.Tensor(2)));
  });
}

// The error for agent cells off a rows x cols map: the flat index of an off-map cell can be another
// cell's, so the pick would silently read the wrong q. `bounds`: min row, max row, min col, max col.
void CheckCellBounds(const int64_t bounds[4], int64_t rows, int64_t cols) {
  if (bounds[0] < 0 || bounds[2] < 0 || bounds[1] >= rows || bounds[3] >= cols) {
    throw OpError("ERR_VALUE", "expected agent cells (row, col) inside the " + std::to_string(rows) + "x" +
                                   std::to_string(cols) + " map but received rows " + std::to_string(bounds[0]) +
                                   ".." + std::to_string(bounds[1]) + " and cols " + std::to_string(bounds[2]) +
                                   ".." + std::to_string(bounds[3]));
  }
}

// On the CPU, outside a recording: the flat indexes of q[b, :, row, col] written in one pass over the
// cells, which also checks them. In a VIN step this pick runs right after value iteration, where each
// small libtorch op took 5-10 µs: the ten ops of the general path below took 60-110 µs there, the
// whole pick with this pass 17-23 µs.
template <typename Cell>
at::Tensor CellIndexOnCpu(const at::Tensor& cells, int64_t per_map, int64_t channels, int64_t rows, int64_t cols) {
  const int64_t count = cells.size(0);  // batch x per_map cells, (row, col) each
  auto index = at::empty({count * channels}, cells.options().dtype(at::kLong));
  const Cell* cell = cells.data_ptr<Cell>();
  int64_t* out = index.data_ptr<int64_t>();
  int64_t bounds[4] = {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                       std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  const int64_t map_cells = rows * cols;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t row = static_cast<int64_t>(cell[2 * i]);
    const int64_t col = static_cast<int64_t>(cell[2 * i + 1]);
    bounds[0] = std::min(bounds[0], row);
    bounds[1] = std::max(bounds[1], row);
    bounds[2] = std::min(bounds[2], col);
    bounds[3] = std::max(bounds[3], col);
    const int64_t start = (i / per_map) * channels * map_cells + row * cols + col;
    for (int64_t c = 0; c < channels; ++c) out[i * channels + c] = start + c * map_cells;
  }
  if (count > 0) CheckCellBounds(bounds, rows, cols);
  return index;
}

// The same indexes from libtorch ops (any device, and recordable: a recorded forward replays them
// for new cells). Recording, an off-map cell gets an index past q's end, so the replay's index check
// fails rather than pick another cell; otherwise the cells are checked here (one small read back).
at::Tensor CellIndexByOps(const at::Tensor& cells, int64_t batch, int64_t per_map, int64_t channels, int64_t rows,
                          int64_t cols, bool recording) {
  auto cell = cells.to(at::kLong).reshape({batch, per_map, 2});
  auto row = cell.select(2, 0);
  auto col = cell.select(2, 1);
  const int64_t map_cells = rows * cols;
  // (b * Q + c) * H * W for every (b, c), as (B, 1, Q), plus each cell's row * W + col as (B, S, 1).
  auto starts = at::arange(batch * channels, cell.options()).mul_(map_cells).view({batch, 1, channels});
  auto index = starts + (row * cols + col).unsqueeze(2);
  if (recording) {
    auto inside = row.ge(0).logical_and_(row.lt(rows)).logical_and_(col.ge(0)).logical_and_(col.lt(cols));
    return at::where(inside.unsqueeze(2), index, at::full({}, batch * channels * map_cells, index.options()));
  }
  if (batch * per_map > 0) {
    auto flat = cell.reshape({batch * per_map, 2});
    auto both = at::stack({std::get<0>(flat.min(0)), std::get<0>(flat.max(0))}, 1).reshape({4}).cpu();
    int64_t bounds[4];
    std::copy_n(both.data_ptr<int64_t>(), 4, bounds);
    CheckCellBounds(bounds, rows, cols);
  }
  return index;
}

// qAtCells(q[B,Q,H,W], cells[B,2] | [B,S,2]) -> [B,Q] | [B,S,Q]: q[b, :, row, col] for each cell.
// One gather from q read as a flat view: q[b, c, cell] lies at (b * Q + c) * H * W + cell, so the
// gradient is a scatter into q's shape and no permuted copy of q is made. Off-map cells throw
// ERR_VALUE; in a forward being recorded (predictAsync), which cannot read values, they make the
// replay fail instead.
Napi::Value QAtCells(const Napi::CallbackInfo& info) {
  return Guard(info, "qAtCells", [&](OpContext& ctx) {
    auto q = ctx.Tensor(0);
    auto cells = ctx.Tensor(1);
    if (q.dim() != 4) throw OpError("ERR_SHAPE", "q must be (batch, channels, rows, cols)");
    if ((cells.dim() != 2 && cells.dim() != 3) || cells.size(-1) != 2 || cells.size(0) != q.size(0)) {
      throw OpError("ERR_SHAPE", "cells must be (batch, 2) or (batch, S, 2) with q's batch");
    }
    if (cells.device() != q.device()) throw OpError("ERR_DEVICE", "cells must be on q's device");
    const int64_t batch = q.size(0), channels = q.size(1), rows = q.size(2), cols = q.size(3);
    const int64_t per_map = cells.dim() == 3 ? cells.size(1) : 1;
    const bool recording = torch::jit::tracer::isTracing();
    at::Tensor index;
    if (q.is_cpu() && !recording && (cells.scalar_type() == at::kInt || cells.scalar_type() == at::kLong)) {
      auto flat = cells.reshape({batch * per_map, 2}).contiguous();
      index = cells.scalar_type() == at::kInt ? CellIndexOnCpu<int32_t>(flat, per_map, channels, rows, cols)
                                              : CellIndexOnCpu<int64_t>(flat, per_map, channels, rows, cols);
    } else {
      index = CellIndexByOps(cells, batch, per_map, channels, rows, cols, recording);
    }
    auto picked = at::index_select(q.reshape({-1}), 0, index.reshape({-1}));
    return Wrap(ctx.env(), cells.dim() == 3 ? picked.view({batch, per_map, channels}) : picked.view({batch, channels}));
  });
}

}  // namespace

void InitVin(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "valueIteration", ValueIteration);
  Export(env, exports, "fusedValueIterationApplies", FusedApplies);
  Export(env, exports, "qAtCells", QAtCells);
}

}  // namespace keratorch
