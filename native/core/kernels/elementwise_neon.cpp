// The element-wise kernels for AArch64 NEON, 4 floats at a time: the same
// algorithms and constants as the x86 kernels (vecmath_avx2.h explains them),
// tested against elementwise_scalar.cpp. Tails go through a zero-padded block of
// 4 so they run the same vector code as the body.
//
// FMAX/FMIN return NaN when either input is NaN, so clamps pass NaN through; the
// max |x| reduction uses FMAXNM, which skips NaN as the scalar kernel does.
#include <arm_neon.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/kernels/isa_functions.h"

namespace vgl {
namespace scalar {
// Defined in elementwise_scalar.cpp: the histogram's edge rule, shared so every
// ISA bins exactly alike.
void histogram_edges(float lo, float hi, int32_t nbins, float* edges);
bool histogram_range_ok(float lo, float hi);
}  // namespace scalar

namespace neon {

namespace {

constexpr int64_t W = 4;  // lanes

inline float32x4_t splat(float v) { return vdupq_n_f32(v); }

// All ones where the sign bit is set (negative numbers, -0, negative NaN).
inline uint32x4_t sign_mask(float32x4_t x) {
  return vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_f32(x), 31));
}

// ---- Vector math (see vecmath_avx2.h for the reasoning behind each step).

struct Reduced {
  float32x4_t n;  // integral, as float
  float32x4_t r;  // |r| <= ln2 / 2
};

inline Reduced reduce_ln2(float32x4_t x) {
  float32x4_t n = vrndnq_f32(vmulq_f32(x, splat(1.44269504088896341f)));
  float32x4_t r = vfmsq_f32(x, n, splat(0.693359375f));
  return {n, vfmsq_f32(r, n, splat(-2.12194440e-4f))};
}

// e^r - 1 for |r| <= ln2/2 as r + r^2 P(r) (Cephes expf polynomial).
inline float32x4_t expm1_reduced(float32x4_t r) {
  float32x4_t p = splat(1.9875691500e-4f);
  p = vfmaq_f32(splat(1.3981999507e-3f), p, r);
  p = vfmaq_f32(splat(8.3334519073e-3f), p, r);
  p = vfmaq_f32(splat(4.1665795894e-2f), p, r);
  p = vfmaq_f32(splat(1.6666665459e-1f), p, r);
  p = vfmaq_f32(splat(5.0000001201e-1f), p, r);
  return vfmaq_f32(r, p, vmulq_f32(r, r));
}

// p * 2^n, n in [-151, 129], as two factors: gradual underflow, overflow to inf.
inline float32x4_t scale_by_pow2(float32x4_t p, int32x4_t n) {
  const int32x4_t bias = vdupq_n_s32(127);
  int32x4_t n1 = vshrq_n_s32(n, 1);
  int32x4_t n2 = vsubq_s32(n, n1);
  float32x4_t s1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n1, bias), 23));
  float32x4_t s2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n2, bias), 23));
  return vmulq_f32(vmulq_f32(p, s1), s2);
}

// e^(x + xl), xl a low-order correction to x.
inline float32x4_t exp_ps(float32x4_t x, float32x4_t xl) {
  x = vminq_f32(splat(89.0f), vmaxq_f32(splat(-104.0f), x));
  Reduced k = reduce_ln2(x);
  float32x4_t p = vaddq_f32(expm1_reduced(vaddq_f32(k.r, xl)), splat(1.0f));
  return scale_by_pow2(p, vcvtq_s32_f32(k.n));
}

inline float32x4_t exp_ps(float32x4_t x) {
  x = vminq_f32(splat(89.0f), vmaxq_f32(splat(-104.0f), x));
  Reduced k = reduce_ln2(x);
  return scale_by_pow2(vaddq_f32(expm1_reduced(k.r), splat(1.0f)), vcvtq_s32_f32(k.n));
}

// e^x - 1 for x <= 88 without cancellation near 0: 2^n (e^r - 1) + (2^n - 1).
inline float32x4_t expm1_ps(float32x4_t x) {
  x = vminq_f32(splat(88.0f), vmaxq_f32(splat(-30.0f), x));
  Reduced k = reduce_ln2(x);
  int32x4_t bits = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(k.n), vdupq_n_s32(127)), 23);
  float32x4_t s = vreinterpretq_f32_s32(bits);
  return vfmaq_f32(vsubq_f32(s, splat(1.0f)), s, expm1_reduced(k.r));
}

// log(1 + u) for u in [0, 1], with the rounding error of 1 + u added back.
inline float32x4_t log1p_unit_ps(float32x4_t u) {
  const float32x4_t one = splat(1.0f);
  float32x4_t w = vaddq_f32(one, u);
  uint32x4_t big = vcgeq_f32(w, splat(1.41421356f));
  float32x4_t e = vreinterpretq_f32_u32(vandq_u32(big, vreinterpretq_u32_f32(one)));
  float32x4_t m = vbslq_f32(big, vmulq_f32(w, splat(0.5f)), w);
  float32x4_t f = vsubq_f32(m, one);  // exact: Sterbenz
  float32x4_t z = vmulq_f32(f, f);
  float32x4_t p = splat(7.0376836292e-2f);
  p = vfmaq_f32(splat(-1.1514610310e-1f), p, f);
  p = vfmaq_f32(splat(1.1676998740e-1f), p, f);
  p = vfmaq_f32(splat(-1.2420140846e-1f), p, f);
  p = vfmaq_f32(splat(1.4249322787e-1f), p, f);
  p = vfmaq_f32(splat(-1.6668057665e-1f), p, f);
  p = vfmaq_f32(splat(2.0000714765e-1f), p, f);
  p = vfmaq_f32(splat(-2.4999993993e-1f), p, f);
  p = vfmaq_f32(splat(3.3333331174e-1f), p, f);
  float32x4_t y = vmulq_f32(vmulq_f32(p, f), z);
  y = vfmaq_f32(y, e, splat(-2.12194440e-4f));
  y = vfmaq_f32(y, z, splat(-0.5f));
  float32x4_t correction = vdivq_f32(vsubq_f32(u, vsubq_f32(w, one)), w);
  y = vaddq_f32(y, correction);
  return vfmaq_f32(vaddq_f32(f, y), e, splat(0.693359375f));
}

// num / (1 + e^-|x|), num = 1 for x >= 0 and e^-|x| for x < 0: no cancellation.
inline float32x4_t sigmoid_ps(float32x4_t x) {
  float32x4_t e = exp_ps(vnegq_f32(vabsq_f32(x)));
  float32x4_t num = vbslq_f32(sign_mask(x), e, splat(1.0f));
  return vdivq_f32(num, vaddq_f32(splat(1.0f), e));
}

// tanh|x| = -u / (2 + u), u = expm1(-2|x|); the sign of x put back.
inline float32x4_t tanh_ps(float32x4_t x) {
  float32x4_t u = expm1_ps(vmulq_f32(vabsq_f32(x), splat(-2.0f)));
  float32x4_t t = vdivq_f32(vnegq_f32(u), vaddq_f32(splat(2.0f), u));
  uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
  return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(t), sign));
}

// Phi(-|x|) = e * tr: e = exp(-x^2/2) with x^2 carried as hi + lo, tr = t R(t),
// t = 1 / (1 + 0.32|x|), R the degree-9 fit described in vecmath_avx2.h.
struct NormalTail {
  float32x4_t e;
  float32x4_t tr;
};

inline NormalTail normal_tail_ps(float32x4_t x) {
  float32x4_t a = vminq_f32(splat(20.0f), vabsq_f32(x));
  float32x4_t aa = vmulq_f32(a, a);
  float32x4_t aa_lo = vfmaq_f32(vnegq_f32(aa), a, a);  // exact error of a * a
  float32x4_t e = exp_ps(vmulq_f32(aa, splat(-0.5f)), vmulq_f32(aa_lo, splat(-0.5f)));
  float32x4_t t = vdivq_f32(splat(1.0f), vfmaq_f32(splat(1.0f), a, splat(0.32f)));
  float32x4_t r = splat(-0.0210782718f);
  r = vfmaq_f32(splat(0.0954077244f), r, t);
  r = vfmaq_f32(splat(-0.146708339f), r, t);
  r = vfmaq_f32(splat(0.0653289184f), r, t);
  r = vfmaq_f32(splat(-0.00937807932f), r, t);
  r = vfmaq_f32(splat(0.058654137f), r, t);
  r = vfmaq_f32(splat(0.0878290683f), r, t);
  r = vfmaq_f32(splat(0.114622362f), r, t);
  r = vfmaq_f32(splat(0.127660945f), r, t);
  r = vfmaq_f32(splat(0.127661526f), r, t);
  return {e, vmulq_f32(t, r)};
}

// GELU(x) = x * tail for x < 0, x - x * tail otherwise (x capped at 20 inside the
// product so GELU(+inf) = inf).
inline float32x4_t gelu_ps(float32x4_t x) {
  NormalTail nt = normal_tail_ps(x);
  float32x4_t q = vmulq_f32(vmulq_f32(vminq_f32(splat(20.0f), x), nt.e), nt.tr);
  return vbslq_f32(sign_mask(x), q, vsubq_f32(x, q));
}

// GELU'(x) = Phi(x) + x phi(x).
inline float32x4_t gelu_derivative_ps(float32x4_t x) {
  NormalTail nt = normal_tail_ps(x);
  float32x4_t tail = vmulq_f32(nt.e, nt.tr);
  float32x4_t cdf = vbslq_f32(sign_mask(x), tail, vsubq_f32(splat(1.0f), tail));
  return vfmaq_f32(cdf, x, vmulq_f32(nt.e, splat(0.398942280f)));
}

// ---- Loops

// Whole blocks load and store directly; the tail goes through a zero-padded copy.
// lanes() is how many of the 4 lanes hold elements.
struct Full {
  float32x4_t load(const float* p) const { return vld1q_f32(p); }
  void store(float* p, float32x4_t v) const { vst1q_f32(p, v); }
  int64_t lanes() const { return W; }
};
struct Tail {
  int64_t count;  // 1..3
  int64_t lanes() const { return count; }
  float32x4_t load(const float* p) const {
    float buf[W] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int64_t l = 0; l < count; ++l) buf[l] = p[l];
    return vld1q_f32(buf);
  }
  void store(float* p, float32x4_t v) const {
    float buf[W];
    vst1q_f32(buf, v);
    for (int64_t l = 0; l < count; ++l) p[l] = buf[l];
  }
};

template <class B>
void for_blocks(int64_t n, B body) {
  int64_t i = 0;
  for (; i + W <= n; i += W) body(i, Full{});
  if (i < n) body(i, Tail{n - i});
}

template <class F>
void map_forward(float* y, const float* x, int64_t n, F f) {
  for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, f(io.load(x + i))); });
}

template <class D>
void map_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, D d) {
  for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t g = d(io.load(x + i), io.load(y + i));
    io.store(dx + i, vfmaq_f32(io.load(dx + i), io.load(dy + i), g));
  });
}

inline float32x4_t select_positive(float32x4_t x, float32x4_t if_pos, float32x4_t otherwise) {
  return vbslq_f32(vcgtq_f32(x, vdupq_n_f32(0.0f)), if_pos, otherwise);
}

inline float64x2_t low_pd(float32x4_t v) { return vcvt_f64_f32(vget_low_f32(v)); }
inline float64x2_t high_pd(float32x4_t v) { return vcvt_high_f64_f32(v); }

// Double accumulators of a sum of squares: the step each optimiser takes, and the
// weights it read.
struct SquareSum {
  float64x2_t lo = vdupq_n_f64(0.0), hi = vdupq_n_f64(0.0);
  void add(float32x4_t d) {
    float64x2_t a = low_pd(d), b = high_pd(d);
    lo = vfmaq_f64(lo, a, a);
    hi = vfmaq_f64(hi, b, b);
  }
  double total() const { return vaddvq_f64(vaddq_f64(lo, hi)); }
};

// grad_stats' sums and max: sum |x| and sum x^2 in double, max |x| in float.
struct AbsSums {
  float64x2_t s0 = vdupq_n_f64(0.0), s1 = s0, q0 = s0, q1 = s0;
  float32x4_t m = vdupq_n_f32(0.0f);
  void add(float32x4_t x) {  // padded lanes are zeros, which change nothing
    float32x4_t a = vabsq_f32(x);
    m = vmaxnmq_f32(m, a);  // maxNum: NaN is skipped, as scalar
    float64x2_t lo = low_pd(a), hi = high_pd(a);
    s0 = vaddq_f64(s0, lo);
    s1 = vaddq_f64(s1, hi);
    q0 = vfmaq_f64(q0, lo, lo);
    q1 = vfmaq_f64(q1, hi, hi);
  }
  void store(double* sum_abs, float* max_abs, double* sum_sq) const {
    *sum_abs = vaddvq_f64(vaddq_f64(s0, s1));
    *max_abs = vmaxnmvq_f32(m);
    *sum_sq = vaddvq_f64(vaddq_f64(q0, q1));
  }
};

constexpr int32_t kMaxVectorBins = 256;  // larger histograms use the scalar kernel

// The log10 histogram, 4 values at a time. Each lane's bin is guessed from the
// float's exponent and a cubic in its mantissa (error 4e-4 in log10), then settled
// exactly against the edges by a short scalar walk (NEON has no gather), so bins
// equal scalar's exactly. Needs 0 < nbins <= kMaxVectorBins and
// histogram_range_ok(lo, hi).
struct Log10Bins {
  float edges[kMaxVectorBins + 1];
  int32_t nbins;
  float32x4_t scale, offset, t_max;

  Log10Bins(float lo, float hi, int32_t bins) : nbins(bins) {
    scalar::histogram_edges(lo, hi, nbins, edges);
    const double width = (static_cast<double>(hi) - lo) / nbins;
    scale = splat(static_cast<float>(0.30102999566398120 / width));
    offset = splat(static_cast<float>(-lo / width));
    t_max = splat(nbins - 0.5f);
  }

  // Counts the first `lanes` lanes of v into counts[0..nbins].
  void add(float32x4_t v, int64_t lanes, uint32_t* counts) const {
    uint32x4_t bits = vandq_u32(vreinterpretq_u32_f32(v), vdupq_n_u32(0x7fffffffu));
    float32x4_t e = vcvtq_f32_s32(vsubq_s32(vreinterpretq_s32_u32(vshrq_n_u32(bits, 23)), vdupq_n_s32(127)));
    float32x4_t f = vsubq_f32(vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x7fffffu)),
                                                              vdupq_n_u32(0x3f800000u))),
                              splat(1.0f));
    float32x4_t l2 = vfmaq_f32(splat(-0.567749277f), splat(0.153912545f), f);
    l2 = vfmaq_f32(splat(1.41348336f), l2, f);
    l2 = vfmaq_f32(splat(1.33488786e-3f), l2, f);
    float32x4_t t = vfmaq_f32(offset, vaddq_f32(e, l2), scale);
    t = vminq_f32(t_max, vmaxq_f32(splat(0.0f), t));
    uint32_t lane_bits[W];
    int32_t guess[W];
    vst1q_u32(lane_bits, bits);
    vst1q_s32(guess, vcvtq_s32_f32(t));
    for (int64_t l = 0; l < lanes; ++l) {  // the padded tail lanes are not counted
      uint32_t b = lane_bits[l];
      if (b == 0) {
        ++counts[nbins];
      } else if (b < 0x7f800000u) {
        float a;
        std::memcpy(&a, &b, sizeof a);
        int32_t k = guess[l];
        while (a >= edges[k + 1]) ++k;  // edges[nbins] = inf stops it
        while (a < edges[k]) --k;       // edges[0] = 0 stops it
        ++counts[k];
      }
    }
  }
};

}  // namespace

void act_forward(Act act, float* y, const float* x, int64_t n, float p) {
  const float32x4_t zero = vdupq_n_f32(0.0f), vp = splat(p);
  switch (act) {
    case Act::Linear:
      if (y != x) map_forward(y, x, n, [](float32x4_t v) { return v; });
      return;
    case Act::Sigmoid: return map_forward(y, x, n, [](float32x4_t v) { return sigmoid_ps(v); });
    case Act::Tanh: return map_forward(y, x, n, [](float32x4_t v) { return tanh_ps(v); });
    case Act::Relu: return map_forward(y, x, n, [&](float32x4_t v) { return vmaxq_f32(zero, v); });
    case Act::LeakyRelu:
      return map_forward(y, x, n, [&](float32x4_t v) { return select_positive(v, v, vmulq_f32(v, vp)); });
    case Act::Elu:
      return map_forward(y, x, n, [&](float32x4_t v) { return select_positive(v, v, vmulq_f32(vp, expm1_ps(v))); });
    case Act::Gelu: return map_forward(y, x, n, [](float32x4_t v) { return gelu_ps(v); });
    case Act::Softplus:
      return map_forward(y, x, n, [&](float32x4_t v) {
        float32x4_t u = exp_ps(vnegq_f32(vabsq_f32(v)));
        return vaddq_f32(vmaxq_f32(v, zero), log1p_unit_ps(u));
      });
    case Act::Count: return;
  }
}

void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n, float p) {
  const float32x4_t one = splat(1.0f), zero = vdupq_n_f32(0.0f), vp = splat(p);
  switch (act) {
    case Act::Linear: return map_backward(dx, dy, x, y, n, [&](float32x4_t, float32x4_t) { return one; });
    case Act::Sigmoid:
      return map_backward(dx, dy, x, y, n, [&](float32x4_t, float32x4_t v) { return vmulq_f32(v, vsubq_f32(one, v)); });
    case Act::Tanh:  // (1 - y)(1 + y), as scalar
      return map_backward(dx, dy, x, y, n,
                          [&](float32x4_t, float32x4_t v) { return vmulq_f32(vsubq_f32(one, v), vaddq_f32(one, v)); });
    case Act::Relu:
      return map_backward(dx, dy, x, y, n, [&](float32x4_t u, float32x4_t) { return select_positive(u, one, zero); });
    case Act::LeakyRelu:
      return map_backward(dx, dy, x, y, n, [&](float32x4_t u, float32x4_t) { return select_positive(u, one, vp); });
    case Act::Elu:
      return map_backward(dx, dy, x, y, n,
                          [&](float32x4_t u, float32x4_t v) { return select_positive(u, one, vaddq_f32(v, vp)); });
    case Act::Gelu:
      return map_backward(dx, dy, x, y, n, [](float32x4_t u, float32x4_t) { return gelu_derivative_ps(u); });
    case Act::Softplus:
      return map_backward(dx, dy, x, y, n, [](float32x4_t u, float32x4_t) { return sigmoid_ps(u); });
    case Act::Count: return;
  }
}

double sum_squares(const float* x, int64_t n) {
  float64x2_t q0 = vdupq_n_f64(0.0), q1 = q0;
  for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t a = io.load(x + i);
    float64x2_t lo = low_pd(a), hi = high_pd(a);
    q0 = vfmaq_f64(q0, lo, lo);
    q1 = vfmaq_f64(q1, hi, hi);
  });
  return vaddvq_f64(vaddq_f64(q0, q1));
}

void moments(const float* x, int64_t n, double* sum, double* sum_sq) {
  float64x2_t s0 = vdupq_n_f64(0.0), s1 = s0, q0 = s0, q1 = s0;
  for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t a = io.load(x + i);
    float64x2_t lo = low_pd(a), hi = high_pd(a);
    s0 = vaddq_f64(s0, lo);
    s1 = vaddq_f64(s1, hi);
    q0 = vfmaq_f64(q0, lo, lo);
    q1 = vfmaq_f64(q1, hi, hi);
  });
  *sum = vaddvq_f64(vaddq_f64(s0, s1));
  *sum_sq = vaddvq_f64(vaddq_f64(q0, q1));
}

// grad_stats: the sums alone when there is no histogram, otherwise sums and bins
// from the same loads.
void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  AbsSums sums;
  if (!counts || nbins <= 0) {
    for_blocks(n, [&](int64_t i, auto io) { sums.add(io.load(x + i)); });
  } else if (nbins > kMaxVectorBins || !scalar::histogram_range_ok(lo, hi)) {
    return scalar::grad_stats(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
  } else {
    const Log10Bins bins(lo, hi, nbins);
    for_blocks(n, [&](int64_t i, auto io) {
      float32x4_t v = io.load(x + i);
      sums.add(v);
      bins.add(v, io.lanes(), counts);
    });
  }
  sums.store(sum_abs, max_abs, sum_sq);
}

double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq) {
  const float32x4_t vlr = splat(lr), vwd = splat(wd);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t wi = io.load(w + i);
    wq.add(wi);
    float32x4_t gp = vfmaq_f32(io.load(g + i), vwd, wi);
    float32x4_t delta = vmulq_f32(vlr, gp);
    io.store(w + i, vsubq_f32(wi, delta));
    ss.add(delta);  // padded lanes are zeros, so their delta is 0
  });
  *w_sumsq = wq.total();
  return ss.total();
}

double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,
                       bool nesterov, double* w_sumsq) {
  const float32x4_t vlr = splat(lr), vmu = splat(mu), vwd = splat(wd);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t wi = io.load(w + i);
    wq.add(wi);
    float32x4_t gp = vfmaq_f32(io.load(g + i), vwd, wi);
    float32x4_t vi = vfmaq_f32(gp, vmu, io.load(v + i));
    io.store(v + i, vi);
    float32x4_t step = nesterov ? vfmaq_f32(gp, vmu, vi) : vi;
    float32x4_t delta = vmulq_f32(vlr, step);
    io.store(w + i, vsubq_f32(wi, delta));
    ss.add(delta);
  });
  *w_sumsq = wq.total();
  return ss.total();
}

double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                   float eps, float wd, float c1, float c2, double* w_sumsq) {
  const float32x4_t step_size = splat(lr / c1), vwd = splat(wd), veps = splat(eps);
  const float32x4_t inv_sqrt_c2 = splat(static_cast<float>(1.0 / std::sqrt(static_cast<double>(c2))));
  const float32x4_t vb1 = splat(b1), vb2 = splat(b2), omb1 = splat(1.0f - b1), omb2 = splat(1.0f - b2);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t wi = io.load(w + i);
    wq.add(wi);
    float32x4_t gp = vfmaq_f32(io.load(g + i), vwd, wi);
    float32x4_t mi = vfmaq_f32(vmulq_f32(omb1, gp), vb1, io.load(m + i));
    float32x4_t vi = vfmaq_f32(vmulq_f32(omb2, vmulq_f32(gp, gp)), vb2, io.load(v + i));
    io.store(m + i, mi);
    io.store(v + i, vi);
    float32x4_t denom = vfmaq_f32(veps, vsqrtq_f32(vi), inv_sqrt_c2);
    float32x4_t delta = vdivq_f32(vmulq_f32(step_size, mi), denom);
    io.store(w + i, vsubq_f32(wi, delta));
    ss.add(delta);  // padded lanes: 0 / (0 + eps) = 0
  });
  *w_sumsq = wq.total();
  return ss.total();
}

void axpy(float* y, const float* x, int64_t n, float a) {
  const float32x4_t va = splat(a);
  for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, vfmaq_f32(io.load(y + i), va, io.load(x + i))); });
}

void scale(float* x, int64_t n, float a) {
  const float32x4_t va = splat(a);
  for_blocks(n, [&](int64_t i, auto io) { io.store(x + i, vmulq_f32(va, io.load(x + i))); });
}

}  // namespace neon
}  // namespace vgl
