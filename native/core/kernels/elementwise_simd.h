// The element-wise kernels (semantics in kernels.h) written once over a vector type
// V (simd_avx2.h, simd_avx512.h, simd_neon.h); each elementwise_<isa>.cpp
// instantiates them with its own V under its own -m flags and keeps only what is
// specific to its instruction set (the histogram, measured unrollings).
//
// Tails run the same vector code as the body through V::Tail (masked, or
// zero-padded on NEON), so a tail element gets exactly the value it would get in
// the body, and a lane left empty reads as 0.
//
// Unnamed namespace, and no standard-library templates: anything instantiated here
// is compiled with its includer's -m flags, and the linker must never keep, say,
// the AVX-512 copy for the whole program.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/kernels/isa_functions.h"
#include "core/kernels/vecmath.h"

namespace vgl {
namespace scalar {
// Defined in elementwise_scalar.cpp: the histogram's edge rule, shared so every
// ISA bins exactly alike.
void histogram_edges(float lo, float hi, int32_t nbins, float* edges);
bool histogram_range_ok(float lo, float hi);
}  // namespace scalar

namespace {

constexpr int32_t kMaxVectorBins = 256;  // larger histograms use the scalar kernel

// How the x86 histograms bin a |x|: t = (e + log2(1 + f)) * scale + offset is its
// position in bins (e, f: the float's exponent and mantissa fraction), so bin =
// floor(t) unless t lies within `margin` of an interior edge, where rounding could
// decide; lanes that close (rare) are settled by comparing with the edges themselves.
struct HistogramPlan {
  float scale, offset, margin;
  bool always_search;    // bins so narrow that t cannot be trusted at all
  bool subnormal_edges;  // an interior edge below 2^-126, where t of a subnormal is not trusted
};

// Bound on |log2(1 + f) - VecMath::log2_fraction(f)| over all 2^23 fractions,
// measured exhaustively in float arithmetic (1.27e-5), rounded up.
constexpr double kLog2FractionError = 2e-5;

inline HistogramPlan histogram_plan(float lo, float hi, int32_t nbins) {
  const double u = 0x1p-24, width = (static_cast<double>(hi) - lo) / nbins;
  HistogramPlan p;
  p.scale = static_cast<float>(0.30102999566398120 / width);
  p.offset = static_cast<float>(-lo / width);
  double c = p.scale, off = std::fabs(p.offset);
  // Error of t in bins, term by term: the polynomial; the rounding of scale
  // (times |e + log2| <= 150), of offset, and of the two FMAs (|t| <= nbins + 1
  // where it matters); the edges' own rounding to float, 2^-24 relative, which is
  // 1.44 u c bins (taken as 5 u c to cover pow's error too).
  double bound = c * kLog2FractionError + 150 * c * u + off * u + (c + off) * u + (nbins + 1) * u + 5 * c * u;
  p.margin = static_cast<float>(4 * bound);
  p.always_search = p.margin > 0.25f;
  return p;
}

// The x86 histograms' counters: one sub-histogram per lane, so a run of values in
// one bin does not serialise on one counter. A lane's slots are its bins, zeros
// (slot nbins), and NaN / Inf / padding (slot nbins + 1, never reported).
template <int W>
struct LaneCounts {
  int32_t nbins, stride;
  uint32_t sub[W * (kMaxVectorBins + 2)];

  explicit LaneCounts(int32_t bins) : nbins(bins), stride(bins + 2) {
    for (int32_t k = 0; k < W * stride; ++k) sub[k] = 0;
  }

  // Counts W indices (slot + lane * stride) stored two per 64-bit word: half the
  // loads (or shuffles) of reading lane by lane, which were measured to bound the
  // histogram loop.
  void count(const uint64_t* index) {
    for (int l = 0; l < W / 2; ++l) {
      ++sub[static_cast<uint32_t>(index[l])];
      ++sub[index[l] >> 32];
    }
  }

  // Adds the lanes' counts into counts[0..nbins].
  void add_to(uint32_t* counts) const {
    for (int32_t b = 0; b <= nbins; ++b) {
      uint32_t total = 0;
      for (int l = 0; l < W; ++l) total += sub[l * stride + b];
      counts[b] += total;
    }
  }
};

template <class V>
struct Elementwise {
  using F = typename V::F;
  using D = typename V::D;
  using Math = VecMath<V>;
  static constexpr int64_t W = V::W;

  // Runs body(i, io) over [0, n) in blocks of W, io being V::Full or V::Tail.
  template <class B>
  static void for_blocks(int64_t n, B body) {
    int64_t i = 0;
    for (; i + W <= n; i += W) body(i, typename V::Full{});
    if (i < n) body(i, V::tail(n - i));
  }

  // y[i] = f(x[i]); y may equal x.
  template <class Fn>
  static void map_forward(float* y, const float* x, int64_t n, Fn f) {
    for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, f(io.load(x + i))); });
  }

  // dx[i] += dy[i] * d(x[i], y[i]). Loads a derivative does not use are dead and
  // the compiler drops them.
  template <class Fn>
  static void map_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, Fn d) {
    for_blocks(n, [&](int64_t i, auto io) {
      F g = d(io.load(x + i), io.load(y + i));
      io.store(dx + i, V::fmadd(io.load(dy + i), g, io.load(dx + i)));
    });
  }

  // Double accumulators of a sum of squares: the step each optimiser takes, and the
  // weights it read.
  struct SquareSum {
    D lo = V::dzero(), hi = V::dzero();
    void add(F d) {
      D a = V::widen_lo(d), b = V::widen_hi(d);
      lo = V::dfmadd(a, a, lo);
      hi = V::dfmadd(b, b, hi);
    }
    double total() const { return V::dsum(V::dadd(lo, hi)); }
  };

  // grad_stats' sums and max: sum |x| and sum x^2 in double, max |x| in float.
  struct AbsSums {
    D s0 = V::dzero(), s1 = s0, q0 = s0, q1 = s0;
    F m = V::zero();
    void add(F x) {  // empty lanes are zeros, which change nothing
      F a = V::abs(x);
      m = V::max_skip_nan(m, a);
      D lo = V::widen_lo(a), hi = V::widen_hi(a);
      s0 = V::dadd(s0, lo);
      s1 = V::dadd(s1, hi);
      q0 = V::dfmadd(lo, lo, q0);
      q1 = V::dfmadd(hi, hi, q1);
    }
    void store(double* sum_abs, float* max_abs, double* sum_sq) const {
      *sum_abs = V::dsum(V::dadd(s0, s1));
      *max_abs = V::hmax(m);
      *sum_sq = V::dsum(V::dadd(q0, q1));
    }
  };

  static void act_forward(Act act, float* y, const float* x, int64_t n, float p) {
    const F zero = V::zero(), vp = V::splat(p);
    switch (act) {
      case Act::Linear:
        if (y != x) map_forward(y, x, n, [](F v) { return v; });
        return;
      case Act::Sigmoid: return map_forward(y, x, n, [](F v) { return Math::sigmoid(v); });
      case Act::Tanh: return map_forward(y, x, n, [](F v) { return Math::tanh(v); });
      case Act::Relu: return map_forward(y, x, n, [&](F v) { return V::max(zero, v); });
      case Act::LeakyRelu:
        return map_forward(y, x, n, [&](F v) { return V::select_positive(v, v, V::mul(v, vp)); });
      case Act::Elu:
        return map_forward(y, x, n, [&](F v) { return V::select_positive(v, v, V::mul(vp, Math::expm1(v))); });
      case Act::Gelu: return map_forward(y, x, n, [](F v) { return Math::gelu(v); });
      case Act::Softplus:
        return map_forward(y, x, n, [&](F v) {
          F u = Math::exp(V::neg(V::abs(v)));
          return V::add(V::max(v, zero), Math::log1p_unit(u));
        });
      case Act::Count: return;
    }
  }

  static void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n,
                           float p) {
    const F one = V::splat(1.0f), zero = V::zero(), vp = V::splat(p);
    switch (act) {
      case Act::Linear: return map_backward(dx, dy, x, y, n, [&](F, F) { return one; });
      case Act::Sigmoid: return map_backward(dx, dy, x, y, n, [&](F, F v) { return V::mul(v, V::sub(one, v)); });
      case Act::Tanh:  // (1 - y)(1 + y): as scalar, exact 1 - y near saturation
        return map_backward(dx, dy, x, y, n, [&](F, F v) { return V::mul(V::sub(one, v), V::add(one, v)); });
      case Act::Relu: return map_backward(dx, dy, x, y, n, [&](F u, F) { return V::select_positive(u, one, zero); });
      case Act::LeakyRelu:
        return map_backward(dx, dy, x, y, n, [&](F u, F) { return V::select_positive(u, one, vp); });
      case Act::Elu:
        return map_backward(dx, dy, x, y, n, [&](F u, F v) { return V::select_positive(u, one, V::add(v, vp)); });
      case Act::Gelu:  // Phi(x) + x phi(x)
        return map_backward(dx, dy, x, y, n, [](F u, F) { return Math::gelu_derivative(u); });
      case Act::Softplus: return map_backward(dx, dy, x, y, n, [](F u, F) { return Math::sigmoid(u); });
      case Act::Count: return;
    }
  }

  // sum x^2 with two blocks per step: four chains hide the FMA latency.
  static double sum_squares(const float* x, int64_t n) {
    D q0 = V::dzero(), q1 = q0, q2 = q0, q3 = q0;
    int64_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
      F a = V::load(x + i), b = V::load(x + i + W);
      D a0 = V::widen_lo(a), a1 = V::widen_hi(a), b0 = V::widen_lo(b), b1 = V::widen_hi(b);
      q0 = V::dfmadd(a0, a0, q0);
      q1 = V::dfmadd(a1, a1, q1);
      q2 = V::dfmadd(b0, b0, q2);
      q3 = V::dfmadd(b1, b1, q3);
    }
    for_blocks(n - i, [&](int64_t j, auto io) {
      F a = io.load(x + i + j);
      D a0 = V::widen_lo(a), a1 = V::widen_hi(a);
      q0 = V::dfmadd(a0, a0, q0);
      q1 = V::dfmadd(a1, a1, q1);
    });
    return V::dsum(V::dadd(V::dadd(q0, q1), V::dadd(q2, q3)));
  }

  // Double accumulators of sum x and sum x^2 (activation mean and std).
  struct MomentSums {
    D s0 = V::dzero(), s1 = s0, q0 = s0, q1 = s0;
    void add(F a) {
      D lo = V::widen_lo(a), hi = V::widen_hi(a);
      s0 = V::dadd(s0, lo);
      s1 = V::dadd(s1, hi);
      q0 = V::dfmadd(lo, lo, q0);
      q1 = V::dfmadd(hi, hi, q1);
    }
    void merge(const MomentSums& o) {
      s0 = V::dadd(s0, o.s0);
      s1 = V::dadd(s1, o.s1);
      q0 = V::dadd(q0, o.q0);
      q1 = V::dadd(q1, o.q1);
    }
    void store(double* sum, double* sum_sq) const {
      *sum = V::dsum(V::dadd(s0, s1));
      *sum_sq = V::dsum(V::dadd(q0, q1));
    }
  };

  // sum x and sum x^2, one block per step.
  static void moments(const float* x, int64_t n, double* sum, double* sum_sq) {
    MomentSums ms;
    for_blocks(n, [&](int64_t i, auto io) { ms.add(io.load(x + i)); });
    ms.store(sum, sum_sq);
  }

  // grad_stats: the sums alone when there is no histogram (the loop every untraced
  // use pays), otherwise sums and bins from the same loads. Bins(lo, hi, nbins)
  // is the ISA's log10 histogram: add(v, io.live()) per block, then add_to(counts);
  // it needs 0 < nbins <= kMaxVectorBins and histogram_range_ok(lo, hi).
  template <class Bins>
  static void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts,
                         double* sum_abs, float* max_abs, double* sum_sq) {
    AbsSums sums;
    if (!counts || nbins <= 0) {
      for_blocks(n, [&](int64_t i, auto io) { sums.add(io.load(x + i)); });
    } else if (nbins > kMaxVectorBins || !scalar::histogram_range_ok(lo, hi)) {
      return scalar::grad_stats(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
    } else {
      Bins bins(lo, hi, nbins);
      for_blocks(n, [&](int64_t i, auto io) {
        F v = io.load(x + i);
        sums.add(v);
        bins.add(v, io.live());
      });
      bins.add_to(counts);
    }
    sums.store(sum_abs, max_abs, sum_sq);
  }

  static double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq) {
    const F vlr = V::splat(lr), vwd = V::splat(wd);
    SquareSum ss, wq;
    for_blocks(n, [&](int64_t i, auto io) {
      F wi = io.load(w + i);
      wq.add(wi);
      F gp = V::fmadd(vwd, wi, io.load(g + i));
      F delta = V::mul(vlr, gp);
      io.store(w + i, V::sub(wi, delta));
      ss.add(delta);  // empty lanes loaded zeros, so their delta is 0
    });
    *w_sumsq = wq.total();
    return ss.total();
  }

  static double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,
                                bool nesterov, double* w_sumsq) {
    const F vlr = V::splat(lr), vmu = V::splat(mu), vwd = V::splat(wd);
    SquareSum ss, wq;
    for_blocks(n, [&](int64_t i, auto io) {
      F wi = io.load(w + i);
      wq.add(wi);
      F gp = V::fmadd(vwd, wi, io.load(g + i));
      F vi = V::fmadd(vmu, io.load(v + i), gp);
      io.store(v + i, vi);
      F step = nesterov ? V::fmadd(vmu, vi, gp) : vi;
      F delta = V::mul(vlr, step);
      io.store(w + i, V::sub(wi, delta));
      ss.add(delta);
    });
    *w_sumsq = wq.total();
    return ss.total();
  }

  static double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                            float eps, float wd, float c1, float c2, double* w_sumsq) {
    const F step_size = V::splat(lr / c1), vwd = V::splat(wd), veps = V::splat(eps);
    const F inv_sqrt_c2 = V::splat(static_cast<float>(1.0 / std::sqrt(static_cast<double>(c2))));
    const F vb1 = V::splat(b1), vb2 = V::splat(b2), omb1 = V::splat(1.0f - b1), omb2 = V::splat(1.0f - b2);
    SquareSum ss, wq;
    for_blocks(n, [&](int64_t i, auto io) {
      F wi = io.load(w + i);
      wq.add(wi);
      F gp = V::fmadd(vwd, wi, io.load(g + i));
      F mi = V::fmadd(vb1, io.load(m + i), V::mul(omb1, gp));
      F vi = V::fmadd(vb2, io.load(v + i), V::mul(omb2, V::mul(gp, gp)));
      io.store(m + i, mi);
      io.store(v + i, vi);
      F denom = V::fmadd(V::sqrt(vi), inv_sqrt_c2, veps);
      F delta = V::div(V::mul(step_size, mi), denom);
      io.store(w + i, V::sub(wi, delta));
      ss.add(delta);  // empty lanes: 0 / (0 + eps) = 0
    });
    *w_sumsq = wq.total();
    return ss.total();
  }

  static void axpy(float* y, const float* x, int64_t n, float a) {
    const F va = V::splat(a);
    for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, V::fmadd(va, io.load(x + i), io.load(y + i))); });
  }

  static void scale(float* x, int64_t n, float a) {
    const F va = V::splat(a);
    for_blocks(n, [&](int64_t i, auto io) { io.store(x + i, V::mul(va, io.load(x + i))); });
  }
};

}  // namespace
}  // namespace vgl

// Defines the KernelTable functions of isa_functions.h that the ISA takes from
// Elementwise<V> unchanged; each elementwise_<isa>.cpp expands it once inside its
// namespace and writes the rest itself.
#define VGL_ELEMENTWISE_FROM_TEMPLATE(V)                                                                      \
  void act_forward(Act act, float* y, const float* x, int64_t n, float p) {                                   \
    Elementwise<V>::act_forward(act, y, x, n, p);                                                             \
  }                                                                                                           \
  void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n, float p) { \
    Elementwise<V>::act_backward(act, dx, dy, x, y, n, p);                                                    \
  }                                                                                                           \
  double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq) {               \
    return Elementwise<V>::sgd_update(w, g, n, lr, wd, w_sumsq);                                              \
  }                                                                                                           \
  double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,         \
                         bool nesterov, double* w_sumsq) {                                                    \
    return Elementwise<V>::momentum_update(w, v, g, n, lr, mu, wd, nesterov, w_sumsq);                        \
  }                                                                                                           \
  double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,   \
                     float eps, float wd, float c1, float c2, double* w_sumsq) {                              \
    return Elementwise<V>::adam_update(w, m, v, g, n, lr, b1, b2, eps, wd, c1, c2, w_sumsq);                  \
  }                                                                                                           \
  void axpy(float* y, const float* x, int64_t n, float a) { Elementwise<V>::axpy(y, x, n, a); }               \
  void scale(float* x, int64_t n, float a) { Elementwise<V>::scale(x, n, a); }
