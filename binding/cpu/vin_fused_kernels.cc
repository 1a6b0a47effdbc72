// Fused value iteration on the CPU. Each map's planes stay in small padded buffers (tens of KB, in
// cache) for all k steps, and every inner loop works on a whole vector of cells along a row.
//
// This file is compiled once per CPU capability (CMakeLists.txt: baseline, AVX2, AVX-512), each
// time into namespace KERATORCH_CPU_NS with vectors of KERATORCH_VECTOR_BYTES;
// binding/vin_fused_cpu.cc picks one at run time. Vectors are GCC/Clang vector extensions, so the
// same source serves every width. See vin_fused.h for the layouts.
#include <ATen/Parallel.h>

#include <algorithm>
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
};
template <>
struct Lanes<double> {
  typedef double Vec __attribute__((vector_size(KERATORCH_VECTOR_BYTES)));
  typedef int64_t Mask __attribute__((vector_size(KERATORCH_VECTOR_BYTES)));
};

template <typename T>
using Vec = typename Lanes<T>::Vec;
template <typename T>
using Mask = typename Lanes<T>::Mask;
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

// The first `count` lanes only (a row's last vector may hang over its end).
template <typename T>
inline void StoreFirst(T* p, const Vec<T>& v, int64_t count) {
  std::memcpy(p, &v, count * sizeof(T));
}

template <typename T>
inline Vec<T> LoadFirst(const T* p, int64_t count) {
  Vec<T> v = Vec<T>{};
  std::memcpy(&v, p, count * sizeof(T));
  return v;
}

template <typename T>
inline Vec<T> Select(const Mask<T>& mask, const Vec<T>& yes, const Vec<T>& no) {
  // Casts between same-size vector types reinterpret the bits (GCC and Clang).
  return (Vec<T>)(((Mask<T>)yes & mask) | ((Mask<T>)no & ~mask));
}

// Lane l holds the argmax channel of cell j0 + l, or -1 past the row's end (selects nothing).
template <typename T>
inline Mask<T> LoadChannels(const uint8_t* p, int64_t count) {
  Mask<T> m;
  for (int64_t l = 0; l < kLanes<T>; ++l) m[l] = l < count ? p[l] : -1;
  return m;
}

template <typename T>
inline Mask<T> Broadcast(int64_t channel) {
  Mask<T> m;
  for (int64_t l = 0; l < kLanes<T>; ++l) m[l] = channel;
  return m;
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

template <typename T>
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
  Mask<T> lane;
  for (int64_t l = 0; l < kLanes<T>; ++l) lane[l] = l;
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
          } else {
            // torch.max's choice: a larger value, or the first NaN; ties keep the lower channel.
            const Mask<T> take = (q > best) | ((q != q) & (best == best));
            best = Select<T>(take, q, best);
            winner = (take & Broadcast<T>(c)) | (winner & ~take);
          }
        }
        best = Select<T>(lane < Broadcast<T>(count), best, Vec<T>{});  // keep cells past cols at zero
        Store(v_out + g.Interior(i, j0), best);
        const int64_t cell = i * d.cols + j0;
        if (args.arg_hist) {
          uint8_t* out = args.arg_hist + (b * (d.k + 1) + t) * plane + cell;
          for (int64_t l = 0; l < count; ++l) out[l] = static_cast<uint8_t>(winner[l]);
        }
        if (args.v_hist && !last) StoreFirst(args.v_hist + (b * d.k + t) * plane + cell, best, count);
        if (last) StoreFirst(args.v + b * plane + cell, best, count);
      }
    }
  }
}

// Writes map b's gradient for r and its partial sums for the kernels (reduced over the batch by
// the caller in a fixed order, so results do not depend on the thread count).
template <typename T>
void BackwardMap(const ViDims& d, const ViBackwardArgs<T>& args, int64_t b, std::vector<T>& scratch,
                 std::vector<Vec<T>>& acc, T* partial_w_r, T* partial_w_v) {
  const Geometry g = Geometry::For<T>(d);
  const int64_t plane = d.rows * d.cols;
  const int64_t channels = d.channels;
  const int64_t taps_count = channels * kViTaps;
  const int64_t planes = channels * g.padded;
  scratch.assign(g.padded + 3 * planes, T(0));
  T* input = scratch.data();           // the padded input of a step: v_{t-1}, or r at the end
  T* grad[2] = {input + g.padded, input + g.padded + planes};  // q_t's gradient, [channels][padded]
  T* grad_sum = input + g.padded + 2 * planes;  // summed over the steps (r and wR serve every step)
  acc.assign(2 * taps_count, Vec<T>{});
  Vec<T>* acc_w_v = acc.data();
  Vec<T>* acc_w_r = acc.data() + taps_count;
  const uint8_t* arg = args.arg_hist + b * (d.k + 1) * plane;

  // The last step's q gradient: q's own plus v's, routed to the channel that won the max.
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
      const int64_t cell = i * d.cols + j0;
      const Mask<T> winner = LoadChannels<T>(arg + d.k * plane + cell, count);
      const Vec<T> from_v = args.grad_v ? LoadFirst(args.grad_v + b * plane + cell, count) : Vec<T>{};
      for (int64_t c = 0; c < channels; ++c) {
        Vec<T> value = args.grad_q ? LoadFirst(args.grad_q + (b * channels + c) * plane + cell, count) : Vec<T>{};
        value += Select<T>(winner == Broadcast<T>(c), from_v, Vec<T>{});
        Store(grad[0] + c * g.padded + g.Interior(i, j0), value);
      }
    }
  }
  Vec<T> taps[9];
  int current = 0;
  for (int64_t t = d.k; t >= 1; --t) {
    // q_t = conv(r, wR) + conv(v_{t-1}, wV): wV's gradient and v_{t-1}'s; v_{t-1} = max over q_{t-1}'s
    // channels, so its gradient becomes q_{t-1}'s at the winning channel only.
    const T* g_t = grad[current];
    T* g_before = grad[1 - current];
    PadInto(g, args.v_hist + (b * d.k + t - 1) * plane, input);
    for (int64_t i = 0; i < d.rows; ++i) {
      for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
        const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
        LoadTaps(g, input, i, j0, taps);
        for (int64_t c = 0; c < channels; ++c) {
          const int64_t at = c * g.padded + g.Interior(i, j0);
          const Vec<T> gq = Load(g_t + at);
          Store(grad_sum + at, Load(grad_sum + at) + gq);
          Vec<T>* acc_c = acc_w_v + c * kViTaps;
          for (int tap = 0; tap < 9; ++tap) acc_c[tap] += gq * taps[tap];
        }
        const Vec<T> gv = Spread(g, g_t, g.padded, args.w_v, channels, i, j0);
        const Mask<T> winner = LoadChannels<T>(arg + (t - 1) * plane + i * d.cols + j0, count);
        for (int64_t c = 0; c < channels; ++c) {
          const Mask<T> wins = winner == Broadcast<T>(c);
          Store(g_before + c * g.padded + g.Interior(i, j0), Select<T>(wins, gv, Vec<T>{}));
        }
      }
    }
    current = 1 - current;
  }
  // Every step added conv(r, wR): r's and wR's gradients from the summed q gradient.
  PadInto(g, args.r + b * plane, input);
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      for (int64_t c = 0; c < channels; ++c) {
        const int64_t at = c * g.padded + g.Interior(i, j0);
        Store(grad_sum + at, Load(grad_sum + at) + Load(grad[current] + at));
      }
    }
  }
  for (int64_t i = 0; i < d.rows; ++i) {
    for (int64_t j0 = 0; j0 < d.cols; j0 += kLanes<T>) {
      const int64_t count = std::min<int64_t>(kLanes<T>, d.cols - j0);
      LoadTaps(g, input, i, j0, taps);
      for (int64_t c = 0; c < channels; ++c) {
        const Vec<T> gq = Load(grad_sum + c * g.padded + g.Interior(i, j0));
        Vec<T>* acc_c = acc_w_r + c * kViTaps;
        for (int tap = 0; tap < 9; ++tap) acc_c[tap] += gq * taps[tap];
      }
      StoreFirst(args.grad_r + b * plane + i * d.cols + j0, Spread(g, grad_sum, g.padded, args.w_r, channels, i, j0),
                 count);
    }
  }
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
    for (int64_t b = begin; b < end; ++b) ForwardMap(dims, args, b, scratch);
  });
}

template <typename T>
void ViBackward(const ViDims& dims, const ViBackwardArgs<T>& args) {
  const int64_t taps = dims.channels * kViTaps;
  std::vector<T> partial(dims.batch * 2 * taps);
  at::parallel_for(0, dims.batch, 1, [&](int64_t begin, int64_t end) {
    std::vector<T> scratch;
    std::vector<Vec<T>> acc;
    for (int64_t b = begin; b < end; ++b) {
      T* mine = partial.data() + b * 2 * taps;
      BackwardMap(dims, args, b, scratch, acc, mine, mine + taps);
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
