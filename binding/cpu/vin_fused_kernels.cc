// Fused value iteration on the CPU. Each map's planes stay in small padded buffers (tens of KB, in
// cache) for all k steps, and every inner loop works on a whole vector of cells along a row.
//
// This file is compiled once per CPU capability (CMakeLists.txt: baseline, AVX2, AVX-512), each
// time into namespace KERATORCH_CPU_NS with vectors of KERATORCH_VECTOR_BYTES;
// binding/vin_fused_cpu.cc picks one at run time. Vectors are GCC/Clang vector extensions, so the
// same source serves every width. See vin_fused.h for the layouts.
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../vin_fused.h"

#if !defined(KERATORCH_CPU_NS) || !defined(KERATORCH_VECTOR_BYTES)
#error "compile with -DKERATORCH_CPU_NS=<namespace> -DKERATORCH_VECTOR_BYTES=<16|32|64>"
#endif

namespace keratorch {
namespace KERATORCH_CPU_NS {
namespace {

template <typename T>
struct Lanes;
template <>
struct Lanes<float> {
  typedef float Vec __attribute__((vector_size(KERATORCH_VECTOR_BYTES)));
  typedef int32_t Mask __attribute__((vector_size(KERATORCH_VECTOR_BYTES)));
  typedef int32_t Index;
};
template <>
struct Lanes<double> {
  typedef double Vec __attribute__((vector_size(KERATORCH_VECTOR_BYTES)));
  typedef int64_t Mask __attribute__((vector_size(KERATORCH_VECTOR_BYTES)));
  typedef int64_t Index;
};

template <typename T>
using Vec = typename Lanes<T>::Vec;
template <typename T>
using Mask = typename Lanes<T>::Mask;
template <typename T>
using Index = typename Lanes<T>::Index;
template <typename T>
constexpr int64_t kLanes = KERATORCH_VECTOR_BYTES / sizeof(T);

template <typename T>
inline Vec<T> Load(const T* p) {
  Vec<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
inline void Store(T* p, const Vec<T>& v) {
  std::memcpy(p, &v, sizeof v);
}

// The first `count` lanes only (a row's last vector may hang over its end). A whole vector takes a
// fixed-size copy, one store: a copy of a variable size is a call to memcpy.
template <typename T>
inline void StoreFirst(T* p, const Vec<T>& v, int64_t count) {
  if (count == kLanes<T>) {
    Store(p, v);
  } else {
    std::memcpy(p, &v, count * sizeof(T));
  }
}

// The first `count` lanes of channel numbers (0..255) as bytes: one narrowing conversion.
template <typename T>
inline void StoreFirstAsBytes(uint8_t* p, const Mask<T>& channels, int64_t count) {
  typedef uint8_t Bytes __attribute__((vector_size(kLanes<T>)));
  const Bytes bytes = __builtin_convertvector(channels, Bytes);
  if (count == kLanes<T>) {
    std::memcpy(p, &bytes, sizeof bytes);
  } else {
    std::memcpy(p, &bytes, count);
  }
}

template <typename T>
inline Vec<T> LoadFirst(const T* p, int64_t count) {
  Vec<T> v = Vec<T>{};
  std::memcpy(&v, p, count * sizeof(T));
  return v;
}

template <typename T>
inline Vec<T> Select(const Mask<T>& mask, const Vec<T>& yes, const Vec<T>& no) {
  return mask ? yes : no;  // a blend (GCC and Clang vector extensions; mask lanes are 0 or -1)
}

// Lane l holds l: compared with a count, it marks the lanes of a row's last vector inside the row.
template <typename T>
inline Mask<T> LaneIndices() {
  Mask<T> lane;
  for (int64_t l = 0; l < kLanes<T>; ++l) lane[l] = l;
  return lane;
}

// Lane l holds the argmax channel of cell j0 + l, or -1 past the row's end (selects nothing).
template <typename T>
inline Mask<T> LoadChannels(const uint8_t* p, int64_t count) {
  typedef uint8_t Bytes __attribute__((vector_size(kLanes<T>)));
  Bytes bytes = Bytes{};
  std::memcpy(&bytes, p, count == kLanes<T> ? sizeof bytes : count);
  const Mask<T> channels = __builtin_convertvector(bytes, Mask<T>);
  if (count == kLanes<T>) return channels;
  return LaneIndices<T>() < static_cast<Index<T>>(count) ? channels : Mask<T>{} - 1;
}

template <typename T>
inline Mask<T> Broadcast(int64_t channel) {
  // A vector plus a scalar: one broadcast (a loop over the lanes compiled to a masked insert a lane).
  return Mask<T>{} + static_cast<Index<T>>(channel);
}

template <typename T>
inline T SumLanes(const Vec<T>& v) {
  T sum = 0;
  for (int64_t l = 0; l < kLanes<T>; ++l) sum += v[l];
  return sum;
}

// A map's planes: rows x width (cols rounded up to whole vectors), padded by one zero cell on
// every side so that 3x3 taps need no bounds checks. Cells past cols are kept at zero.
struct Geometry {
  template <typename T>
  static Geometry For(const ViDims& d) {
    Geometry g;
    g.rows = d.rows;
    g.cols = d.cols;
    g.width = (d.cols + kLanes<T> - 1) / kLanes<T> * kLanes<T>;
    g.pitch = g.width + 2;
    g.padded = (d.rows + 2) * g.pitch;
    return g;
  }
  int64_t rows, cols, width, pitch, padded;
  int64_t Interior(int64_t i, int64_t j) const { return (i + 1) * pitch + j + 1; }
  // Offset of tap (0..8) of cell (i, j): the padded cell (i + tap / 3, j + tap % 3).
  int64_t Tap(int64_t i, int64_t j, int tap) const { return (i + tap / 3) * pitch + j + tap % 3; }
  // Offset of the cell that reads (i, j) through tap: (i - tap / 3 + 1, j - tap % 3 + 1), padded.
  int64_t Reader(int64_t i, int64_t j, int tap) const { return (i + 2 - tap / 3) * pitch + j + 2 - tap % 3; }
};

template <typename T>
void PadInto(const Geometry& g, const T* plane, T* padded) {
  for (int64_t i = 0; i < g.rows; ++i) std::memcpy(padded + g.Interior(i, 0), plane + i * g.cols, g.cols * sizeof(T));
}

template <typename T>
inline void LoadTaps(const Geometry& g, const T* padded, int64_t i, int64_t j0, Vec<T> taps[9]) {
  for (int tap = 0; tap < 9; ++tap) taps[tap] = Load(padded + g.Tap(i, j0, tap));
}

template <typename T>
inline Vec<T> Correlate(const T* w, const Vec<T> taps[9]) {
  Vec<T> sum = w[0] * taps[0];
  for (int tap = 1; tap < 9; ++tap) sum += w[tap] * taps[tap];
  return sum;
}

// The transpose of Correlate at (i, j0): what the padded planes `grad` (channels apart by
// `stride`) send back through the taps w to cells (i, j0..).
template <typename T>
inline Vec<T> Spread(const Geometry& g, const T* grad, int64_t stride, const T* w, int64_t channels, int64_t i,
                     int64_t j0) {
  Vec<T> sum = Vec<T>{};
  for (int64_t c = 0; c < channels; ++c) {
    const T* plane = grad + c * stride;
    const T* wc = w + c * kViTaps;
    for (int tap = 0; tap < 9; ++tap) sum += wc[tap] * Load(plane + g.Reader(i, j0, tap));
  }
  return sum;
}

// One-hot steps of the backward. Before the last step, q_t's gradient is v_t's routed to the
// channel that won the max, so it is one value a cell plus that channel. Spreading it back through
// wV then takes, per tap, one lookup of w[channel][tap] (a vector permute over a table of the
// channels' taps) instead of a pass over every channel: 9 multiply-adds a cell instead of 9 per
// channel. GCC's __builtin_shuffle does the permute; other compilers, and channels beyond two
// vectors' lanes, keep the dense path.
#if defined(__GNUC__) && !defined(__clang__)
constexpr bool kHasShuffle = true;
#else
constexpr bool kHasShuffle = false;
#endif

template <typename T>
constexpr bool OneHotApplies(int64_t channels) {
  return kHasShuffle && channels <= 2 * kLanes<T>;
}

// Per tap, the channels' weights as two vectors (lanes 0.. and kLanes..), for Lookup.
template <typename T>
struct TapTables {
  Vec<T> low[9], high[9];
  TapTables(const T* w, int64_t channels) {
    for (int tap = 0; tap < 9; ++tap) {
      low[tap] = Vec<T>{};
      high[tap] = Vec<T>{};
      for (int64_t c = 0; c < channels; ++c) {
        if (c < kLanes<T>) low[tap][c] = w[c * kViTaps + tap];
        else high[tap][c - kLanes<T>] = w[c * kViTaps + tap];
      }
    }
  }
};

template <typename T>
inline Vec<T> Lookup(const TapTables<T>& tables, int tap, const Mask<T>& channel, int64_t channels) {
#if defined(__GNUC__) && !defined(__clang__)
  if (channels <= kLanes<T>) return __builtin_shuffle(tables.low[tap], channel);
  return __builtin_shuffle(tables.low[tap], tables.high[tap], channel);
#else
  (void)tables, (void)tap, (void)channel, (void)channels;
  return Vec<T>{};  // not reached: OneHotApplies is false
#endif
}

template <typename T>
inline Mask<T> LoadIndex(const Index<T>* p) {
  Mask<T> m;
  std::memcpy(&m, p, sizeof m);
  return m;
}

// The transpose of Correlate through wV for a one-hot q gradient (value `gv`, channel `channel`,
// padded planes) at cells (i, j0..).
template <typename T>
inline Vec<T> SpreadOneHot(const Geometry& g, const T* gv, const Index<T>* channel, const TapTables<T>& tables,
                           int64_t channels, int64_t i, int64_t j0) {
  Vec<T> sum = Vec<T>{};
  for (int tap = 0; tap < 9; ++tap) {
    const int64_t at = g.Reader(i, j0, tap);
    sum += Lookup(tables, tap, LoadIndex<T>(channel + at), channels) * Load(gv + at);
  }
  return sum;
}

// kRecord: keep the history backward needs (v before every step, the winning channels); without it
// (inference) the channel max skips tracking its winner, a third of the work a channel.
template <typename T, bool kRecord>
void ForwardMap(const ViDims& d, const ViForwardArgs<T>& args, int64_t b, std::vector<T>& scratch) {
  const Geometry g = Geometry::For<T>(d);
  const int64_t plane = d.rows * d.cols;
  const int64_t work_plane = d.rows * g.width;
  const int64_t channels = d.channels;
  scratch.assign(3 * g.padded + channels * work_plane, T(0));
  T* r_pad = scratch.data();
  T* v_pad[2] = {r_pad + g.padded, r_pad + 2 * g.padded};
  T* r_q = r_pad + 3 * g.padded;  // conv(r, wR), [channels][rows][width]: the same at every step
  PadInto(g, args.r + b * plane, r_pad);
  Vec<T> taps[9];
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < g.width; j0 += kLanes<T>) {
      LoadTaps(g, r_pad, i, j0, taps);
      for (int64_t c = 0; c < channels; ++c) Store(r_q + (c * d.rows + i) * g.width + j0, Correlate(args.w_r + c * kViTaps, taps));
    }
  }
  const Mask<T> lane = LaneIndices<T>();
  for (int64_t t = 0; t <= d.k; ++t) {
    const T* v_in = v_pad[(t + 1) % 2];
    T* v_out = v_pad[t % 2];
    const bool last = t == d.k;
    for (int64_t i = 0; i < d.rows; ++i) {
      for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
        const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
        if (t > 0) LoadTaps(g, v_in, i, j0, taps);
        Vec<T> best = Vec<T>{};
        Mask<T> winner = Mask<T>{};
        for (int64_t c = 0; c < channels; ++c) {
          Vec<T> q = Load(r_q + (c * d.rows + i) * g.width + j0);
          if (t > 0) q += Correlate(args.w_v + c * kViTaps, taps);
          if (last) StoreFirst(args.q + ((b * channels + c) * d.rows + i) * d.cols + j0, q, count);
          if (c == 0) {
            best = q;
          } else if (kRecord) {
            // torch.max's choice: a larger value, or the first NaN; ties keep the lower channel.
            const Mask<T> take = (q > best) | ((q != q) & (best == best));
            best = Select<T>(take, q, best);
            winner = take ? Broadcast<T>(c) : winner;
          } else {
            best = Select<T>((q > best) | (q != q), q, best);  // the same value: a NaN stays NaN
          }
        }
        best = Select<T>(lane < Broadcast<T>(count), best, Vec<T>{});  // keep cells past cols at zero
        Store(v_out + g.Interior(i, j0), best);
        const int64_t cell = i * d.cols + j0;
        if (kRecord) {
          StoreFirstAsBytes<T>(args.arg_hist + (b * (d.k + 1) + t) * plane + cell, winner, count);
        }
        if (kRecord && !last) StoreFirst(args.v_hist + (b * d.k + t) * plane + cell, best, count);
        if (last) StoreFirst(args.v + b * plane + cell, best, count);
      }
    }
  }
}

// Channel c of a q gradient at the cells `here`: from its dense planes (channels `stride` apart),
// or from its one-hot value and winning channel.
template <typename T>
inline Vec<T> QGradAt(bool dense, const T* planes, int64_t stride, const Vec<T>& value, const Mask<T>& channel,
                      int64_t c, int64_t here) {
  return dense ? Load(planes + c * stride + here) : Select<T>(channel == Broadcast<T>(c), value, Vec<T>{});
}

// Where a step's q gradient is read: its dense planes (channels `stride` apart) or, for a one-hot
// step, its value and winning channel per cell.
template <typename T>
struct QGradSource {
  bool dense;
  const T* planes;
  const T* value;
  const Index<T>* channel;
  int64_t stride;
};

// Channels that share one pass over the map in AccumulateStep: as many as keep their sums and the
// taps in registers (9 sums a channel, 9 taps; AVX-512 has 32 vector registers, the others 16).
constexpr int kChannelGroup = KERATORCH_VECTOR_BYTES >= 64 ? 2 : 1;

// For channels c0..c0+kGroup-1 of one step: adds the q gradient into grad_sum (r and wR serve every
// step) and its product with the step's input taps into the wV-gradient sums.
template <typename T, int kGroup>
void AccumulateStep(const Geometry& g, const ViDims& d, const QGradSource<T>& q_grad, const T* input, int64_t c0,
                    T* grad_sum, Vec<T>* acc_w_v) {
  Vec<T> acc[kGroup][9] = {};
  Vec<T> taps[9];
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      const int64_t here = g.Interior(i, j0);
      const Vec<T> value = q_grad.dense ? Vec<T>{} : Load(q_grad.value + here);
      const Mask<T> channel = q_grad.dense ? Mask<T>{} : LoadIndex<T>(q_grad.channel + here);
      // (Where the taps are loaded is GCC's scheduling: each order measured ~10% faster in its build.)
      if constexpr (kGroup > 1) LoadTaps(g, input, i, j0, taps);
      Vec<T> gq[kGroup];
      for (int k = 0; k < kGroup; ++k) {
        const int64_t at = (c0 + k) * g.padded + here;
        gq[k] = QGradAt(q_grad.dense, q_grad.planes, q_grad.stride, value, channel, c0 + k, here);
        Store(grad_sum + at, Load(grad_sum + at) + gq[k]);
      }
      if constexpr (kGroup == 1) LoadTaps(g, input, i, j0, taps);
      for (int k = 0; k < kGroup; ++k) {
        for (int tap = 0; tap < 9; ++tap) acc[k][tap] += gq[k] * taps[tap];
      }
    }
  }
  for (int k = 0; k < kGroup; ++k) {
    for (int tap = 0; tap < 9; ++tap) acc_w_v[(c0 + k) * kViTaps + tap] += acc[k][tap];
  }
}

// Per-map scratch of the backward: planes of T and, for the one-hot steps, of channel indices.
template <typename T>
struct BackwardScratch {
  std::vector<T> values;
  std::vector<Index<T>> channels;
  std::vector<Vec<T>> acc;
};

// The last step's q gradient, [channels][padded]: q's own plus v's, routed to the winning channel.
template <typename T>
void LastStepGrad(const Geometry& g, const ViDims& d, const ViBackwardArgs<T>& args, int64_t b, const uint8_t* arg,
                  T* grad) {
  const int64_t plane = d.rows * d.cols;
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
      const int64_t cell = i * d.cols + j0;
      const Mask<T> winner = LoadChannels<T>(arg + d.k * plane + cell, count);
      const Vec<T> from_v = args.grad_v ? LoadFirst(args.grad_v + b * plane + cell, count) : Vec<T>{};
      for (int64_t c = 0; c < d.channels; ++c) {
        Vec<T> value = args.grad_q ? LoadFirst(args.grad_q + (b * d.channels + c) * plane + cell, count) : Vec<T>{};
        value += Select<T>(winner == Broadcast<T>(c), from_v, Vec<T>{});
        Store(grad + c * g.padded + g.Interior(i, j0), value);
      }
    }
  }
}

// Every step added conv(r, wR): r's gradient and wR's partial sums from the q gradient summed over
// the steps (`grad_sum`, [channels][padded]); `input` is scratch for r, padded.
template <typename T>
void RewardGradients(const Geometry& g, const ViDims& d, const ViBackwardArgs<T>& args, int64_t b,
                     const T* grad_sum, T* input, Vec<T>* acc_w_r) {
  const int64_t plane = d.rows * d.cols;
  PadInto(g, args.r + b * plane, input);
  Vec<T> taps[9];
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
      LoadTaps(g, input, i, j0, taps);
      for (int64_t c = 0; c < d.channels; ++c) {
        const Vec<T> gq = Load(grad_sum + c * g.padded + g.Interior(i, j0));
        Vec<T>* acc_c = acc_w_r + c * kViTaps;
        for (int tap = 0; tap < 9; ++tap) acc_c[tap] += gq * taps[tap];
      }
      StoreFirst(args.grad_r + b * plane + i * d.cols + j0, Spread(g, grad_sum, g.padded, args.w_r, d.channels, i, j0),
                 count);
    }
  }
}

// Writes map b's gradient for r and its partial sums for the kernels (reduced over the batch by
// the caller in a fixed order, so results do not depend on the thread count). Steps before the
// last take the one-hot path where it applies (OneHotApplies), else every channel's plane.
template <typename T>
void BackwardMap(const ViDims& d, const ViBackwardArgs<T>& args, int64_t b, const TapTables<T>* tables,
                 BackwardScratch<T>& scratch, T* partial_w_r, T* partial_w_v) {
  const Geometry g = Geometry::For<T>(d);
  const int64_t plane = d.rows * d.cols;
  const int64_t channels = d.channels;
  const int64_t taps_count = channels * kViTaps;
  const int64_t planes = channels * g.padded;
  const bool one_hot = tables != nullptr;
  scratch.values.assign(g.padded + 3 * planes + (one_hot ? 2 * g.padded : 0), T(0));
  T* input = scratch.values.data();     // the padded input of a step: v_{t-1}, or r at the end
  T* grad[2] = {input + g.padded, input + g.padded + planes};  // q_t's gradient, [channels][padded]
  T* grad_sum = input + g.padded + 2 * planes;  // summed over the steps (r and wR serve every step)
  // One-hot steps: q_t's gradient as its value (gv) and its channel, padded planes (zero outside).
  T* gv[2] = {grad_sum + planes, grad_sum + planes + g.padded};
  if (one_hot) scratch.channels.assign(2 * g.padded, 0);
  Index<T>* won[2] = {scratch.channels.data(), scratch.channels.data() + g.padded};
  scratch.acc.assign(2 * taps_count, Vec<T>{});
  Vec<T>* acc_w_v = scratch.acc.data();
  Vec<T>* acc_w_r = scratch.acc.data() + taps_count;
  const uint8_t* arg = args.arg_hist + b * (d.k + 1) * plane;
  const Mask<T> lane = LaneIndices<T>();

  LastStepGrad(g, d, args, b, arg, grad[0]);
  int current = 0;
  for (int64_t t = d.k; t >= 1; --t) {
    // q_t = conv(r, wR) + conv(v_{t-1}, wV): wV's gradient and v_{t-1}'s; v_{t-1} = max over q_{t-1}'s
    // channels, so its gradient becomes q_{t-1}'s at the winning channel only.
    const bool dense_in = !one_hot || t == d.k;  // the last step's q gradient has every channel
    const T* g_t = grad[current];
    T* g_before = grad[1 - current];
    PadInto(g, args.v_hist + (b * d.k + t - 1) * plane, input);
    // kChannelGroup channels at a time over the whole map: their wV-gradient sums stay in registers
    // (cell by cell, every channel's 9 sums went through memory at each multiply-add), and the 9
    // taps, unaligned loads, are read once for the group.
    const QGradSource<T> source{dense_in, g_t, gv[current], won[current], g.padded};
    int64_t c = 0;
    for (; c + kChannelGroup <= channels; c += kChannelGroup) {
      AccumulateStep<T, kChannelGroup>(g, d, source, input, c, grad_sum, acc_w_v);
    }
    for (; c < channels; ++c) AccumulateStep<T, 1>(g, d, source, input, c, grad_sum, acc_w_v);
    for (int64_t i = 0; i < d.rows; ++i) {
      for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
        const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
        const int64_t here = g.Interior(i, j0);
        const Vec<T> spread = dense_in ? Spread(g, g_t, g.padded, args.w_v, channels, i, j0)
                                       : SpreadOneHot(g, gv[current], won[current], *tables, channels, i, j0);
        const Mask<T> winner = LoadChannels<T>(arg + (t - 1) * plane + i * d.cols + j0, count);
        if (one_hot) {
          // Cells past the row's end keep a zero value (and channel 0), as the padding.
          Store(gv[1 - current] + here, Select<T>(lane < Broadcast<T>(count), spread, Vec<T>{}));
          const Mask<T> index = winner & (winner >= Broadcast<T>(0));
          std::memcpy(won[1 - current] + here, &index, sizeof index);
        } else {
          for (int64_t c = 0; c < channels; ++c) {
            const Mask<T> wins = winner == Broadcast<T>(c);
            Store(g_before + c * g.padded + here, Select<T>(wins, spread, Vec<T>{}));
          }
        }
      }
    }
    current = 1 - current;
  }
  // q_0's gradient joins the sum (one-hot whenever the steps were: k >= 1).
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      const int64_t here = g.Interior(i, j0);
      const Vec<T> value = one_hot ? Load(gv[current] + here) : Vec<T>{};
      const Mask<T> channel = one_hot ? LoadIndex<T>(won[current] + here) : Mask<T>{};
      for (int64_t c = 0; c < channels; ++c) {
        const int64_t at = c * g.padded + here;
        Store(grad_sum + at, Load(grad_sum + at) + QGradAt(!one_hot, grad[current], g.padded, value, channel, c, here));
      }
    }
  }
  RewardGradients(g, d, args, b, grad_sum, input, acc_w_r);
  for (int64_t tap = 0; tap < taps_count; ++tap) {
    partial_w_r[tap] = SumLanes<T>(acc_w_r[tap]);
    partial_w_v[tap] = SumLanes<T>(acc_w_v[tap]);
  }
}

}  // namespace

template <typename T>
void ViForward(const ViDims& dims, const ViForwardArgs<T>& args) {
  at::parallel_for(0, dims.batch, 1, [&](int64_t begin, int64_t end) {
    std::vector<T> scratch;
    for (int64_t b = begin; b < end; ++b) {
      if (args.arg_hist != nullptr) {
        ForwardMap<T, true>(dims, args, b, scratch);
      } else {
        ForwardMap<T, false>(dims, args, b, scratch);
      }
    }
  });
}

template <typename T>
void ViBackward(const ViDims& dims, const ViBackwardArgs<T>& args) {
  const int64_t taps = dims.channels * kViTaps;
  std::vector<T> partial(dims.batch * 2 * taps);
  const bool one_hot = OneHotApplies<T>(dims.channels) && std::getenv("KERATORCH_VI_DENSE_BACKWARD") == nullptr;
  const TapTables<T> tables(args.w_v, one_hot ? dims.channels : 0);
  at::parallel_for(0, dims.batch, 1, [&](int64_t begin, int64_t end) {
    BackwardScratch<T> scratch;
    for (int64_t b = begin; b < end; ++b) {
      T* mine = partial.data() + b * 2 * taps;
      BackwardMap(dims, args, b, one_hot ? &tables : nullptr, scratch, mine, mine + taps);
    }
  });
  for (int64_t tap = 0; tap < taps; ++tap) {
    T sum_r = 0, sum_v = 0;
    for (int64_t b = 0; b < dims.batch; ++b) {
      sum_r += partial[b * 2 * taps + tap];
      sum_v += partial[b * 2 * taps + taps + tap];
    }
    args.grad_w_r[tap] = sum_r;
    args.grad_w_v[tap] = sum_v;
  }
}

template void ViForward<float>(const ViDims&, const ViForwardArgs<float>&);
template void ViForward<double>(const ViDims&, const ViForwardArgs<double>&);
template void ViBackward<float>(const ViDims&, const ViBackwardArgs<float>&);
template void ViBackward<double>(const ViDims&, const ViBackwardArgs<double>&);

}  // namespace KERATORCH_CPU_NS
}  // namespace keratorch
