// The element-wise kernels for AVX2 + FMA, 8 floats at a time; semantics as in
// kernels.h, tested against elementwise_scalar.cpp. Tails use masked loads and
// stores through the same vector code, so a tail element gets exactly the value
// it would get in the body.
//
// This file avoids standard-library templates on purpose: an inline function
// instantiated here is compiled with -mavx2, and the linker may keep that copy
// for the whole program, which would then fault on a CPU without AVX2.
#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "core/kernels/isa_functions.h"
#include "core/kernels/vecmath_avx2.h"

namespace vgl {
namespace scalar {
// Defined in elementwise_scalar.cpp: the histogram's edge rule, shared so every
// ISA bins exactly alike.
void histogram_edges(float lo, float hi, int32_t nbins, float* edges);
bool histogram_range_ok(float lo, float hi);
}  // namespace scalar

namespace avx2 {

namespace {

constexpr int64_t W = 8;  // lanes

// Mask with the first r (0 < r < 8) lanes set, for the tail of a loop.
inline __m256i tail_mask(int64_t r) {
  static const int32_t table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 8 - r));
}

// How a block of 8 is read and written: whole blocks use plain loads and stores,
// the tail masked ones (masked-off lanes read as 0 and are never written). Masked
// stores are slow on some CPUs, so only the tail pays for them.
// live() is the mask of the lanes that hold elements.
struct Full {
  __m256 load(const float* p) const { return _mm256_loadu_ps(p); }
  void store(float* p, __m256 v) const { _mm256_storeu_ps(p, v); }
  __m256i live() const { return _mm256_set1_epi32(-1); }
};
struct Tail {
  __m256i mask;
  __m256 load(const float* p) const { return _mm256_maskload_ps(p, mask); }
  void store(float* p, __m256 v) const { _mm256_maskstore_ps(p, mask, v); }
  __m256i live() const { return mask; }
};

// Runs body(i, io) over [0, n) in blocks of 8, io being Full or Tail.
template <class B>
void for_blocks(int64_t n, B body) {
  int64_t i = 0;
  for (; i + W <= n; i += W) body(i, Full{});
  if (i < n) body(i, Tail{tail_mask(n - i)});
}

// y[i] = f(x[i]); y may equal x.
template <class F>
void map_forward(float* y, const float* x, int64_t n, F f) {
  for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, f(io.load(x + i))); });
}

// dx[i] += dy[i] * d(x[i], y[i]). Loads a derivative does not use are dead and
// the compiler drops them.
template <class D>
void map_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, D d) {
  for_blocks(n, [&](int64_t i, auto io) {
    __m256 g = d(io.load(x + i), io.load(y + i));
    io.store(dx + i, _mm256_fmadd_ps(io.load(dy + i), g, io.load(dx + i)));
  });
}

inline __m256 select_positive(__m256 x, __m256 if_pos, __m256 otherwise) {
  return _mm256_blendv_ps(otherwise, if_pos, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ));
}

// Sum of the 4 double lanes.
inline double hsum(__m256d v) {
  __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

inline float hmax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

inline __m256d low_pd(__m256 v) { return _mm256_cvtps_pd(_mm256_castps256_ps128(v)); }
inline __m256d high_pd(__m256 v) { return _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)); }

// Double accumulators of a sum of squares: the step each optimiser takes, and the
// weights it read.
struct SquareSum {
  __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
  void add(__m256 d) {
    __m256d a = low_pd(d), b = high_pd(d);
    lo = _mm256_fmadd_pd(a, a, lo);
    hi = _mm256_fmadd_pd(b, b, hi);
  }
  double total() const { return hsum(_mm256_add_pd(lo, hi)); }
};

// grad_stats' sums and max: sum |x| and sum x^2 in double, max |x| in float.
struct AbsSums {
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, q0 = s0, q1 = s0;
  __m256 m = _mm256_setzero_ps();
  void add(__m256 x) {  // masked-off lanes are zeros, which change nothing
    __m256 a = abs_ps(x);
    m = _mm256_max_ps(a, m);  // MAXPS returns m when a is NaN: max |x| skips NaN, as scalar
    __m256d lo = low_pd(a), hi = high_pd(a);
    s0 = _mm256_add_pd(s0, lo);
    s1 = _mm256_add_pd(s1, hi);
    q0 = _mm256_fmadd_pd(lo, lo, q0);
    q1 = _mm256_fmadd_pd(hi, hi, q1);
  }
  void store(double* sum_abs, float* max_abs, double* sum_sq) const {
    *sum_abs = hsum(_mm256_add_pd(s0, s1));
    *max_abs = hmax(m);
    *sum_sq = hsum(_mm256_add_pd(q0, q1));
  }
};

constexpr int32_t kMaxVectorBins = 256;  // larger histograms use the scalar kernel

// How a |x| is binned: t = (e + log2(1 + f)) * scale + offset is its position in
// bins (e, f: the float's exponent and mantissa fraction), so bin = floor(t) unless
// t lies within `margin` of an interior edge, where rounding could decide; lanes
// that close (rare) are settled by comparing with the edges themselves.
struct HistogramPlan {
  float scale, offset, margin;
  bool always_search;    // bins so narrow that t cannot be trusted at all
  bool subnormal_edges;  // an interior edge below 2^-126, where t of a subnormal is not trusted
};

// Bound on |log2(1 + f) - log2_fraction(f)| over all 2^23 fractions, measured
// exhaustively in float arithmetic (1.27e-5), rounded up.
constexpr double kLog2FractionError = 2e-5;

HistogramPlan histogram_plan(float lo, float hi, int32_t nbins) {
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

// log2(1 + f) for f in [0, 1), degree-5 fit (error 1.27e-5).
inline __m256 log2_fraction(__m256 f) {
  __m256 l = _mm256_fmadd_ps(splat(0.0448734201f), f, splat(-0.192195162f));
  l = _mm256_fmadd_ps(l, f, splat(0.413629711f));
  l = _mm256_fmadd_ps(l, f, splat(-0.707992494f));
  l = _mm256_fmadd_ps(l, f, splat(1.44168448f));
  return _mm256_fmadd_ps(l, f, splat(1.25390616e-5f));
}

// Settles each lane's bin by comparison: steps up while a >= edges[bin + 1] and
// down while a < edges[bin] until no lane moves. Exact from any starting bin in
// [0, nbins - 1] for finite a >= 0 (edges[0] = 0 and edges[nbins] = inf bound it).
inline __m256i search_bins(__m256 a, __m256i bin, const float* edges) {
  for (;;) {
    __m256 below = _mm256_i32gather_ps(edges, bin, 4);
    __m256 above = _mm256_i32gather_ps(edges + 1, bin, 4);
    __m256i up = _mm256_castps_si256(_mm256_cmp_ps(a, above, _CMP_GE_OQ));
    __m256i down = _mm256_castps_si256(_mm256_cmp_ps(a, below, _CMP_LT_OQ));
    __m256i moves = _mm256_or_si256(up, down);
    if (_mm256_testz_si256(moves, moves)) return bin;
    bin = _mm256_add_epi32(bin, _mm256_sub_epi32(down, up));  // masks are -1: up adds 1, down subtracts 1
  }
}

// The log10 histogram, 8 values at a time. Each lane computes its position t in
// bins from the float's exponent and mantissa (no log); lanes near an edge, or all
// lanes when the bins are too narrow for t, are settled against the edges by
// search_bins, so every bin equals scalar's exactly. Each lane counts into its own
// sub-histogram so a run of equal bins does not serialise on one counter.
// Needs 0 < nbins <= kMaxVectorBins and histogram_range_ok(lo, hi).
struct Log10Bins {
  float edges[kMaxVectorBins + 1];
  HistogramPlan plan;
  int32_t nbins, stride;  // stride: bins, zeros, and a slot for NaN / Inf / padding
  uint32_t sub[W * (kMaxVectorBins + 2)];
  __m256 scale, offset, margin, t_max;
  __m256i skip_slot, lane_base;

  Log10Bins(float lo, float hi, int32_t bins) : plan(histogram_plan(lo, hi, bins)), nbins(bins), stride(bins + 2) {
    scalar::histogram_edges(lo, hi, nbins, edges);
    // Above 2^-126 a subnormal's true bin is 0, and its t (that of a value in
    // [2^-127, 2^-126)) says 0 or is unsure: no check needed.
    plan.subnormal_edges = edges[1] < 0x1p-126f;
    for (int32_t k = 0; k < W * stride; ++k) sub[k] = 0;
    scale = splat(plan.scale);
    offset = splat(plan.offset);
    margin = splat(plan.margin);
    t_max = splat(nbins - 0.5f);
    skip_slot = _mm256_set1_epi32(nbins + 1);
    lane_base = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(stride));
  }

  // Counts the lanes of v selected by live.
  void add(__m256 v, __m256i live) {
    const __m256 t_min = splat(0.5f);
    const __m256i zero_i = _mm256_setzero_si256();
    __m256i bits = _mm256_and_si256(_mm256_castps_si256(v), _mm256_set1_epi32(0x7fffffff));
    __m256i finite_nonzero =
        _mm256_and_si256(_mm256_cmpgt_epi32(bits, zero_i), _mm256_cmpgt_epi32(_mm256_set1_epi32(0x7f800000), bits));
    finite_nonzero = _mm256_and_si256(finite_nonzero, live);
    __m256i is_zero = _mm256_and_si256(_mm256_cmpeq_epi32(bits, zero_i), live);
    // t comes from the bits as integers, so it is finite in every lane (zeros, NaN
    // and Inf included; their slots are set below).
    __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127)));
    __m256 f = _mm256_sub_ps(_mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x7fffff)),
                                                                 _mm256_castps_si256(splat(1.0f)))),
                             splat(1.0f));
    __m256 t = _mm256_fmadd_ps(e, scale, _mm256_fmadd_ps(log2_fraction(f), scale, offset));
    // Clamped into [0.5, nbins - 0.5], out-of-range values land mid-bin: certain.
    t = _mm256_min_ps(t_max, _mm256_max_ps(t_min, t));
    __m256i bin = _mm256_cvttps_epi32(t);
    __m256 dist = abs_ps(_mm256_sub_ps(t, _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
    __m256i unsure = _mm256_castps_si256(_mm256_cmp_ps(dist, margin, _CMP_LT_OQ));
    if (plan.subnormal_edges) {
      // Subnormals have no implicit 1, so t overestimates them: trust only bin 0.
      __m256i subnormal_high = _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(0x00800000), bits),
                                                _mm256_castps_si256(_mm256_cmp_ps(t, t_min, _CMP_GT_OQ)));
      unsure = _mm256_or_si256(unsure, subnormal_high);
    }
    unsure = _mm256_and_si256(unsure, finite_nonzero);
    if (plan.always_search || !_mm256_testz_si256(unsure, unsure)) {
      // Lanes not being binned search with a = 0, which stays inside [0, nbins - 1].
      bin = search_bins(_mm256_castsi256_ps(_mm256_and_si256(bits, finite_nonzero)), bin, edges);
    }

    // Zeros go to slot nbins, NaN, Inf and padding to nbins + 1 (is_zero is -1 where set).
    __m256i slot = _mm256_blendv_epi8(_mm256_add_epi32(skip_slot, is_zero), bin, finite_nonzero);
    // Read back as two lanes per 64-bit word: half the loads (or shuffles) of
    // reading lane by lane, which were measured to bound this loop.
    alignas(32) uint64_t index[W / 2];
    _mm256_store_si256(reinterpret_cast<__m256i*>(index), _mm256_add_epi32(slot, lane_base));
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

}  // namespace

void act_forward(Act act, float* y, const float* x, int64_t n, float p) {
  const __m256 zero = _mm256_setzero_ps(), vp = splat(p);
  switch (act) {
    case Act::Linear:
      if (y != x) map_forward(y, x, n, [](__m256 v) { return v; });
      return;
    case Act::Sigmoid: return map_forward(y, x, n, [](__m256 v) { return sigmoid_ps(v); });
    case Act::Tanh: return map_forward(y, x, n, [](__m256 v) { return tanh_ps(v); });
    case Act::Relu: return map_forward(y, x, n, [&](__m256 v) { return _mm256_max_ps(zero, v); });
    case Act::LeakyRelu:
      return map_forward(y, x, n, [&](__m256 v) { return select_positive(v, v, _mm256_mul_ps(v, vp)); });
    case Act::Elu:
      return map_forward(y, x, n, [&](__m256 v) { return select_positive(v, v, _mm256_mul_ps(vp, expm1_ps(v))); });
    case Act::Gelu:
      return map_forward(y, x, n, [](__m256 v) { return gelu_ps(v); });
    case Act::Softplus:
      return map_forward(y, x, n, [&](__m256 v) {
        __m256 u = exp_ps(_mm256_sub_ps(zero, abs_ps(v)));
        return _mm256_add_ps(_mm256_max_ps(v, zero), log1p_unit_ps(u));
      });
    case Act::Count: return;
  }
}

void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n, float p) {
  const __m256 one = splat(1.0f), zero = _mm256_setzero_ps(), vp = splat(p);
  switch (act) {
    case Act::Linear: return map_backward(dx, dy, x, y, n, [&](__m256, __m256) { return one; });
    case Act::Sigmoid:
      return map_backward(dx, dy, x, y, n, [&](__m256, __m256 v) { return _mm256_mul_ps(v, _mm256_sub_ps(one, v)); });
    case Act::Tanh:  // (1 - y)(1 + y): as scalar, exact 1 - y near saturation
      return map_backward(dx, dy, x, y, n,
                          [&](__m256, __m256 v) { return _mm256_mul_ps(_mm256_sub_ps(one, v), _mm256_add_ps(one, v)); });
    case Act::Relu: return map_backward(dx, dy, x, y, n, [&](__m256 u, __m256) { return select_positive(u, one, zero); });
    case Act::LeakyRelu:
      return map_backward(dx, dy, x, y, n, [&](__m256 u, __m256) { return select_positive(u, one, vp); });
    case Act::Elu:
      return map_backward(dx, dy, x, y, n, [&](__m256 u, __m256 v) { return select_positive(u, one, _mm256_add_ps(v, vp)); });
    case Act::Gelu:  // Phi(x) + x phi(x)
      return map_backward(dx, dy, x, y, n, [](__m256 u, __m256) { return gelu_derivative_ps(u); });
    case Act::Softplus: return map_backward(dx, dy, x, y, n, [](__m256 u, __m256) { return sigmoid_ps(u); });
    case Act::Count: return;
  }
}

double sum_squares(const float* x, int64_t n) {
  __m256d q0 = _mm256_setzero_pd(), q1 = q0, q2 = q0, q3 = q0;
  int64_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {  // four chains hide the FMA latency
    __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + W);
    __m256d a0 = low_pd(a), a1 = high_pd(a), b0 = low_pd(b), b1 = high_pd(b);
    q0 = _mm256_fmadd_pd(a0, a0, q0);
    q1 = _mm256_fmadd_pd(a1, a1, q1);
    q2 = _mm256_fmadd_pd(b0, b0, q2);
    q3 = _mm256_fmadd_pd(b1, b1, q3);
  }
  for_blocks(n - i, [&](int64_t j, auto io) {
    __m256 a = io.load(x + i + j);
    __m256d a0 = low_pd(a), a1 = high_pd(a);
    q0 = _mm256_fmadd_pd(a0, a0, q0);
    q1 = _mm256_fmadd_pd(a1, a1, q1);
  });
  return hsum(_mm256_add_pd(_mm256_add_pd(q0, q1), _mm256_add_pd(q2, q3)));
}

void moments(const float* x, int64_t n, double* sum, double* sum_sq) {
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, q0 = s0, q1 = s0;
  for_blocks(n, [&](int64_t i, auto io) {
    __m256 a = io.load(x + i);
    __m256d lo = low_pd(a), hi = high_pd(a);
    s0 = _mm256_add_pd(s0, lo);
    s1 = _mm256_add_pd(s1, hi);
    q0 = _mm256_fmadd_pd(lo, lo, q0);
    q1 = _mm256_fmadd_pd(hi, hi, q1);
  });
  *sum = hsum(_mm256_add_pd(s0, s1));
  *sum_sq = hsum(_mm256_add_pd(q0, q1));
}

// grad_stats: the sums alone when there is no histogram (the loop every untraced
// use pays), otherwise sums and bins from the same loads.
void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  AbsSums sums;
  if (!counts || nbins <= 0) {
    for_blocks(n, [&](int64_t i, auto io) { sums.add(io.load(x + i)); });
  } else if (nbins > kMaxVectorBins || !scalar::histogram_range_ok(lo, hi)) {
    return scalar::grad_stats(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
  } else {
    Log10Bins bins(lo, hi, nbins);
    for_blocks(n, [&](int64_t i, auto io) {
      __m256 v = io.load(x + i);
      sums.add(v);
      bins.add(v, io.live());
    });
    bins.add_to(counts);
  }
  sums.store(sum_abs, max_abs, sum_sq);
}

double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq) {
  const __m256 vlr = splat(lr), vwd = splat(wd);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    __m256 wi = io.load(w + i);
    wq.add(wi);
    __m256 gp = _mm256_fmadd_ps(vwd, wi, io.load(g + i));
    __m256 delta = _mm256_mul_ps(vlr, gp);
    io.store(w + i, _mm256_sub_ps(wi, delta));
    ss.add(delta);  // masked-off lanes loaded zeros, so their delta is 0
  });
  *w_sumsq = wq.total();
  return ss.total();
}

double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,
                       bool nesterov, double* w_sumsq) {
  const __m256 vlr = splat(lr), vmu = splat(mu), vwd = splat(wd);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    __m256 wi = io.load(w + i);
    wq.add(wi);
    __m256 gp = _mm256_fmadd_ps(vwd, wi, io.load(g + i));
    __m256 vi = _mm256_fmadd_ps(vmu, io.load(v + i), gp);
    io.store(v + i, vi);
    __m256 step = nesterov ? _mm256_fmadd_ps(vmu, vi, gp) : vi;
    __m256 delta = _mm256_mul_ps(vlr, step);
    io.store(w + i, _mm256_sub_ps(wi, delta));
    ss.add(delta);
  });
  *w_sumsq = wq.total();
  return ss.total();
}

double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                   float eps, float wd, float c1, float c2, double* w_sumsq) {
  const __m256 step_size = splat(lr / c1), vwd = splat(wd), veps = splat(eps);
  const __m256 inv_sqrt_c2 = splat(static_cast<float>(1.0 / std::sqrt(static_cast<double>(c2))));
  const __m256 vb1 = splat(b1), vb2 = splat(b2), omb1 = splat(1.0f - b1), omb2 = splat(1.0f - b2);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    __m256 wi = io.load(w + i);
    wq.add(wi);
    __m256 gp = _mm256_fmadd_ps(vwd, wi, io.load(g + i));
    __m256 mi = _mm256_fmadd_ps(vb1, io.load(m + i), _mm256_mul_ps(omb1, gp));
    __m256 vi = _mm256_fmadd_ps(vb2, io.load(v + i), _mm256_mul_ps(omb2, _mm256_mul_ps(gp, gp)));
    io.store(m + i, mi);
    io.store(v + i, vi);
    __m256 denom = _mm256_fmadd_ps(_mm256_sqrt_ps(vi), inv_sqrt_c2, veps);
    __m256 delta = _mm256_div_ps(_mm256_mul_ps(step_size, mi), denom);
    io.store(w + i, _mm256_sub_ps(wi, delta));
    ss.add(delta);  // masked-off lanes: 0 / (0 + eps) = 0
  });
  *w_sumsq = wq.total();
  return ss.total();
}

void axpy(float* y, const float* x, int64_t n, float a) {
  const __m256 va = splat(a);
  for_blocks(n, [&](int64_t i, auto io) {
    io.store(y + i, _mm256_fmadd_ps(va, io.load(x + i), io.load(y + i)));
  });
}

void scale(float* x, int64_t n, float a) {
  const __m256 va = splat(a);
  for_blocks(n, [&](int64_t i, auto io) { io.store(x + i, _mm256_mul_ps(va, io.load(x + i))); });
}

}  // namespace avx2
}  // namespace vgl
