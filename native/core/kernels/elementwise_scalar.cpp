// The specification of every element-wise kernel: activations, reductions, the
// gradient statistics with their log10 histogram and the optimiser updates (sgemm
// lives in gemm_scalar.cpp).
//
// Plain C++, no intrinsics. Activations are evaluated in double and rounded once, so
// this table is as accurate as float storage allows and every SIMD table is tested
// against it. Backward passes use float arithmetic in the order written here.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/isa_functions.h"

namespace vgl {
namespace scalar {

// Not in isa_functions.h: the histogram's edge rule, which the SIMD files reuse
// (defined below).
void histogram_edges(float lo, float hi, int32_t nbins, float* edges);
bool histogram_range_ok(float lo, float hi);

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// 1 / (1 + e^-x) without cancellation for either sign: for x < 0 it is
// e^x / (1 + e^x), so the far negative tail keeps its relative accuracy.
double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

// Phi(x), the standard normal CDF, through erfc so that the negative tail
// (where 1 + erf cancels) stays accurate relative to its size.
double normal_cdf(double x) { return 0.5 * std::erfc(-x * kInvSqrt2); }

float forward_one(Act act, float xf, float p) {
  double x = xf;
  switch (act) {
    case Act::Linear: return xf;
    case Act::Sigmoid: return static_cast<float>(sigmoid(x));
    case Act::Tanh: return static_cast<float>(std::tanh(x));
    // NaN passes through every activation: a diverging run must show NaN, not 0.
    case Act::Relu: return std::isnan(xf) ? xf : std::max(xf, 0.0f);
    case Act::LeakyRelu: return xf > 0.0f ? xf : xf * p;
    case Act::Elu: return xf > 0.0f ? xf : static_cast<float>(p * std::expm1(x));
    case Act::Gelu: return static_cast<float>(x * normal_cdf(x));
    case Act::Softplus: return static_cast<float>(std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))));
    case Act::Count: break;
  }
  return xf;
}

// f'(x) (or f' from y where that is the documented rule), in float.
float derivative_one(Act act, float x, float y, float p) {
  switch (act) {
    case Act::Linear: return 1.0f;
    case Act::Sigmoid: return y * (1.0f - y);
    // 1 - y^2 as (1 - y)(1 + y): the same value, but 1 - y is exact for y near 1,
    // so the saturated end keeps its relative accuracy.
    case Act::Tanh: return (1.0f - y) * (1.0f + y);
    case Act::Relu: return x > 0.0f ? 1.0f : 0.0f;
    case Act::LeakyRelu: return x > 0.0f ? 1.0f : p;
    case Act::Elu: return x > 0.0f ? 1.0f : y + p;  // y + alpha = alpha * e^x
    case Act::Gelu: {
      double xd = x;
      return static_cast<float>(normal_cdf(xd) + xd * kInvSqrt2Pi * std::exp(-0.5 * xd * xd));
    }
    case Act::Softplus: return static_cast<float>(sigmoid(x));
    case Act::Count: break;
  }
  return 0.0f;
}

}  // namespace

void act_forward(Act act, float* y, const float* x, int64_t n, float p) {
  for (int64_t i = 0; i < n; ++i) y[i] = forward_one(act, x[i], p);
}

void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n, float p) {
  for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * derivative_one(act, x[i], y[i], p);
}

// ---- Reductions: double accumulators, NaN flows into the sums.

double sum_squares(const float* x, int64_t n) {
  double q = 0.0;
  for (int64_t i = 0; i < n; ++i) q += static_cast<double>(x[i]) * x[i];
  return q;
}

void moments(const float* x, int64_t n, double* sum, double* sum_sq) {
  double s = 0.0, q = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    s += x[i];
    q += static_cast<double>(x[i]) * x[i];
  }
  *sum = s;
  *sum_sq = q;
}

// ---- Gradient statistics and their log10 histogram

// The one definition of the bin edges, shared by every ISA (the SIMD files call
// this function rather than repeating the formula, so their bins match exactly).
// edges[k] = float(10^(lo + k (hi - lo) / nbins)) for 0 < k < nbins; edges[0] = 0
// and edges[nbins] = +inf, so with a = |x| finite and non-zero,
//   bin(a) = the largest k < nbins with edges[k] <= a
// which puts values below lo in bin 0 and values at or above hi in bin nbins-1.
// The edges are non-decreasing (equal neighbours are allowed for tiny bins).
void histogram_edges(float lo, float hi, int32_t nbins, float* edges) {
  // The traces ask for the same range on every call (once per parameter tensor and
  // traced step); the pow() calls would cost more than binning a small tensor, so
  // the last range's edges are kept per thread.
  thread_local float cached_lo = 0, cached_hi = 0;
  thread_local int32_t cached_bins = -1;
  thread_local std::vector<float> cached;
  if (cached_bins == nbins && cached_lo == lo && cached_hi == hi) {
    std::copy(cached.begin(), cached.end(), edges);
    return;
  }
  double l = lo, width = static_cast<double>(hi) - l;
  edges[0] = 0.0f;
  for (int32_t k = 1; k < nbins; ++k) {
    double e = std::pow(10.0, l + k * width / nbins);
    edges[k] = std::max(edges[k - 1], static_cast<float>(e));
  }
  edges[nbins] = std::numeric_limits<float>::infinity();
  cached.assign(edges, edges + nbins + 1);
  cached_lo = lo;
  cached_hi = hi;
  cached_bins = nbins;
}

// True when [lo, hi) is a usable range; otherwise every finite non-zero value
// is counted in bin 0 (a bad setting must not crash a run).
bool histogram_range_ok(float lo, float hi) { return std::isfinite(lo) && std::isfinite(hi) && hi > lo; }

// The traces' per-tensor gradient statistics: sum |x|, max |x|, sum x^2 and, when
// counts is given, the log10 histogram, all from one read of x. NaN flows into the
// sums; max |x| skips it (a > m is false for NaN).
void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  if (nbins <= 0) counts = nullptr;
  const bool ok = histogram_range_ok(lo, hi);
  std::vector<float> edges(counts ? static_cast<size_t>(nbins) + 1 : 0);
  if (counts && ok) histogram_edges(lo, hi, nbins, edges.data());
  const float* first = counts ? edges.data() + 1 : nullptr;
  const float* last = counts ? edges.data() + nbins : nullptr;  // interior edges only
  double s = 0.0, q = 0.0;
  float m = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    float a = std::fabs(x[i]);
    s += a;
    q += static_cast<double>(a) * a;
    if (a > m) m = a;
    if (!counts) continue;
    if (a == 0.0f) {
      ++counts[nbins];
    } else if (std::isfinite(a)) {
      ++counts[ok ? std::upper_bound(first, last, a) - first : 0];
    }
  }
  *sum_abs = s;
  *max_abs = m;
  *sum_sq = q;
}

// ---- Optimiser updates. Each returns sum (lr * step)^2, the squared length of
// the step as computed (not w_new - w_old, which loses small steps to rounding),
// and stores sum w^2 of the weights it read, before changing them, in *w_sumsq.

double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq) {
  double ss = 0.0, wq = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    wq += static_cast<double>(w[i]) * w[i];
    float gp = g[i] + wd * w[i];
    float delta = lr * gp;
    w[i] -= delta;
    ss += static_cast<double>(delta) * delta;
  }
  *w_sumsq = wq;
  return ss;
}

double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,
                       bool nesterov, double* w_sumsq) {
  double ss = 0.0, wq = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    wq += static_cast<double>(w[i]) * w[i];
    float gp = g[i] + wd * w[i];
    float vi = mu * v[i] + gp;
    v[i] = vi;
    float delta = lr * (nesterov ? gp + mu * vi : vi);
    w[i] -= delta;
    ss += static_cast<double>(delta) * delta;
  }
  *w_sumsq = wq;
  return ss;
}

// As torch.optim.Adam computes it: step_size = lr / c1, denom = sqrt(v) / sqrt(c2) + eps.
double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                   float eps, float wd, float c1, float c2, double* w_sumsq) {
  const float step_size = lr / c1;
  const float inv_sqrt_c2 = static_cast<float>(1.0 / std::sqrt(static_cast<double>(c2)));
  const float one_minus_b1 = 1.0f - b1, one_minus_b2 = 1.0f - b2;
  double ss = 0.0, wq = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    wq += static_cast<double>(w[i]) * w[i];
    float gp = g[i] + wd * w[i];
    float mi = b1 * m[i] + one_minus_b1 * gp;
    float vi = b2 * v[i] + one_minus_b2 * (gp * gp);
    m[i] = mi;
    v[i] = vi;
    float denom = std::sqrt(vi) * inv_sqrt_c2 + eps;
    float delta = step_size * mi / denom;
    w[i] -= delta;
    ss += static_cast<double>(delta) * delta;
  }
  *w_sumsq = wq;
  return ss;
}

void axpy(float* y, const float* x, int64_t n, float a) {
  for (int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void scale(float* x, int64_t n, float a) {
  for (int64_t i = 0; i < n; ++i) x[i] *= a;
}

}  // namespace scalar
}  // namespace vgl
