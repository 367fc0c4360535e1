// The element-wise kernels (activations, reductions, the gradient statistics with
// their log10 histogram, the optimiser updates): the scalar table against
// double-precision formulas, then every SIMD table this machine has against
// scalar, at sizes chosen so every tail path runs.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "core/kernels/kernels.h"

namespace vgl {
namespace scalar {
// The histogram's edge rule (elementwise_scalar.cpp), used to aim values at edges.
void histogram_edges(float lo, float hi, int32_t nbins, float* edges);
}  // namespace scalar
}  // namespace vgl

namespace {

using vgl::Act;
using vgl::Isa;
using vgl::KernelTable;

const int64_t kSizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000};
const Act kActs[] = {Act::Linear, Act::Sigmoid, Act::Tanh,  Act::Relu,
                     Act::LeakyRelu, Act::Elu, Act::Gelu, Act::Softplus};
const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

const char* act_name(Act a) {
  static const char* names[] = {"linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus"};
  return names[static_cast<int>(a)];
}

// The parameter each activation is tested with (slope, alpha).
float act_param(Act a) { return a == Act::LeakyRelu ? 0.01f : a == Act::Elu ? 1.3f : 0.0f; }

const KernelTable& scalar_table() { return vgl::scalar_kernels(); }

// Every SIMD table this machine can run.
std::vector<const KernelTable*> simd_tables() {
  std::vector<const KernelTable*> out;
  for (Isa isa : {Isa::Neon, Isa::Avx2, Isa::Avx512}) {
    if (const KernelTable* t = vgl::kernels_for(isa)) out.push_back(t);
  }
  return out;
}

// |got - want| <= rtol |want| + atol; NaN only matches NaN.
bool close(double got, double want, double rtol, double atol) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::fabs(got - want) <= rtol * std::fabs(want) + atol;
}

// Records a failure with enough context to reproduce it; returns false so a loop
// can stop after the first bad element. `what` is a string or a callable making
// one, so hot loops build their message only when it is needed.
std::string describe(const std::string& what) { return what; }
std::string describe(const char* what) { return what; }
template <class F>
std::string describe(const F& what) {
  return what();
}

template <class What>
bool expect_close(double got, double want, double rtol, double atol, const What& what) {
  if (close(got, want, rtol, atol)) return true;
  char buf[160];
  std::snprintf(buf, sizeof buf, ": got %.9g, want %.9g (rtol %g, atol %g)", got, want, rtol, atol);
  vgl_test::fail(__FILE__, __LINE__, describe(what) + buf);
  return false;
}

std::string where(const KernelTable& t, const char* what, int64_t n, int64_t i = -1) {
  std::string s = std::string(vgl::isa_name(t.isa)) + " " + what + " n=" + std::to_string(n);
  if (i >= 0) s += " i=" + std::to_string(i);
  return s;
}

// Activation inputs: the wide range [-30, 30], small magnitudes down to 1e-8,
// exact zeros, moderate values, and the far negative tail where sigmoid ~ e^x.
std::vector<float> activation_inputs(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> wide(-30.0f, 30.0f), tail(-87.0f, -20.0f), moderate(-4.0f, 4.0f),
      exponent(-8.0f, 0.0f);
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    switch (i % 5) {
      case 0:
      case 1: x[i] = wide(rng); break;
      case 2: x[i] = (i % 2 ? -1.0f : 1.0f) * std::pow(10.0f, exponent(rng)); break;
      case 3: x[i] = tail(rng); break;
      default: x[i] = i % 10 == 4 ? 0.0f : moderate(rng); break;
    }
  }
  return x;
}

std::vector<float> uniform(int64_t n, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

// A sweep for accuracy: a fine grid over [-90, 90], log-spaced magnitudes from 1e-30
// to 1, and the exact special values.
std::vector<float> accuracy_sweep() {
  std::vector<float> x;
  for (int i = -90000; i <= 90000; ++i) x.push_back(i * 1e-3f);
  for (int i = 0; i <= 6000; ++i) {
    float m = std::pow(10.0f, -30.0f + i * 5e-3f);
    x.push_back(m);
    x.push_back(-m);
  }
  return x;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / 2.50662827463100050242; }  // sqrt(2 pi)

// ---- The scalar table is the specification: check it against the textbook formulas in double.

TEST(scalar_activations_match_double_formulas) {
  const KernelTable& s = scalar_table();
  std::vector<float> x;
  for (int i = -6000; i <= 6000; ++i) x.push_back(i * 5e-3f);
  std::vector<float> y(x.size());
  for (Act act : kActs) {
    float p = act_param(act);
    s.act_forward(act, y.data(), x.data(), static_cast<int64_t>(x.size()), p);
    for (size_t i = 0; i < x.size(); ++i) {
      double v = x[i], want = v;
      switch (act) {
        case Act::Sigmoid: want = 1.0 / (1.0 + std::exp(-v)); break;
        case Act::Tanh: want = std::tanh(v); break;
        case Act::Relu: want = v > 0 ? v : 0; break;
        case Act::LeakyRelu: want = v > 0 ? v : p * v; break;
        case Act::Elu: want = v > 0 ? v : p * (std::exp(v) - 1); break;
        case Act::Gelu:
          if (v < -5) continue;  // below -5 the erf form itself cancels; the tail has its own sweep
          want = 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
          break;
        case Act::Softplus: want = std::log1p(std::exp(v)); break;
        default: break;
      }
      // Rounded once from double: within half an ulp (+ the reference's own error).
      if (!expect_close(y[i], want, 7e-8, 1e-30, [&] { return std::string("scalar ") + act_name(act) + " x=" + std::to_string(v); })) break;
    }
  }
}

TEST(scalar_sigmoid_keeps_relative_accuracy_in_the_far_negative_tail) {
  const KernelTable& s = scalar_table();
  std::vector<float> x, y;
  for (int i = 0; i <= 670; ++i) x.push_back(-20.0f - i * 0.1f);  // down to -87: y ~ 1.6e-38, still normal
  y.resize(x.size());
  s.act_forward(Act::Sigmoid, y.data(), x.data(), static_cast<int64_t>(x.size()), 0.0f);
  for (size_t i = 0; i < x.size(); ++i) {
    double e = std::exp(static_cast<double>(x[i]));
    if (!expect_close(y[i], e / (1 + e), 7e-8, 0, [&] { return "scalar sigmoid tail x=" + std::to_string(x[i]); })) break;
  }
}

TEST(scalar_backward_matches_the_derivatives_and_accumulates) {
  const KernelTable& s = scalar_table();
  std::vector<float> x;
  for (int i = -400; i <= 400; ++i) x.push_back(i * 0.015f + 0.001f);  // avoids the kinks at 0
  int64_t n = static_cast<int64_t>(x.size());
  std::vector<float> y(n), dy = uniform(n, -2.0f, 2.0f, 7);
  for (Act act : kActs) {
    float p = act_param(act);
    s.act_forward(act, y.data(), x.data(), n, p);
    std::vector<float> dx(n, 0.25f);  // backward adds to what is there
    s.act_backward(act, dx.data(), dy.data(), x.data(), y.data(), n, p);
    for (int64_t i = 0; i < n; ++i) {
      double v = x[i], d = 1;
      switch (act) {
        case Act::Sigmoid: { double t = 1 / (1 + std::exp(-v)); d = t * (1 - t); break; }
        case Act::Tanh: d = 1 - std::tanh(v) * std::tanh(v); break;
        case Act::Relu: d = v > 0 ? 1 : 0; break;
        case Act::LeakyRelu: d = v > 0 ? 1 : p; break;
        case Act::Elu: d = v > 0 ? 1 : p * std::exp(v); break;
        case Act::Gelu: d = normal_cdf(v) + v * normal_pdf(v); break;
        case Act::Softplus: d = 1 / (1 + std::exp(-v)); break;
        default: break;
      }
      // Derivatives from the float y carry y's rounding (~6e-8 absolute in 1 - y).
      if (!expect_close(dx[i] - 0.25, dy[i] * d, 1e-6, 5e-7, [&] { return std::string("scalar d") + act_name(act) + " x=" + std::to_string(v); })) break;
    }
  }
}

// ---- Every table: the conventions at the kinks and for NaN.

TEST(every_table_relu_kinks_follow_the_conventions) {
  std::vector<const KernelTable*> tables = simd_tables();
  tables.push_back(&scalar_table());
  for (const KernelTable* t : tables) {
    float x[3] = {0.0f, -0.0f, 1e-30f}, y[3], dy[3] = {2.0f, 2.0f, 2.0f};
    float dx[3] = {1.0f, 1.0f, 1.0f};
    t->act_backward(Act::Relu, dx, dy, x, x, 3, 0.0f);
    CHECK_EQ(dx[0], 1.0f);  // ReLU'(0) = 0
    CHECK_EQ(dx[1], 1.0f);
    CHECK_EQ(dx[2], 3.0f);
    float dl[3] = {1.0f, 1.0f, 1.0f};
    t->act_backward(Act::LeakyRelu, dl, dy, x, x, 3, 0.1f);
    CHECK_NEAR(dl[0], 1.2f, 1e-7);  // LeakyReLU'(0) = slope
    CHECK_NEAR(dl[1], 1.2f, 1e-7);
    t->act_forward(Act::Elu, y, x, 3, 1.5f);
    CHECK_EQ(y[0], 0.0f);
  }
}

TEST(every_table_passes_nan_through_every_activation) {
  std::vector<const KernelTable*> tables = simd_tables();
  tables.push_back(&scalar_table());
  for (const KernelTable* t : tables) {
    for (Act act : kActs) {
      std::vector<float> x(9, 0.5f), y(9);
      x[3] = kNaN;
      x[8] = -kNaN;
      t->act_forward(act, y.data(), x.data(), 9, act_param(act));
      if (!std::isnan(y[3]) || !std::isnan(y[8]))
        vgl_test::fail(__FILE__, __LINE__, where(*t, act_name(act), 9) + ": NaN did not pass through");
    }
  }
}

// ---- Every SIMD table against scalar.

TEST(simd_activation_forward_matches_scalar_at_every_size) {
  for (const KernelTable* t : simd_tables()) {
    for (Act act : kActs) {
      for (int64_t n : kSizes) {
        std::vector<float> x = activation_inputs(n, 11 + static_cast<uint32_t>(n)), want(n), got(n + 1, 7.0f);
        scalar_table().act_forward(act, want.data(), x.data(), n, act_param(act));
        t->act_forward(act, got.data(), x.data(), n, act_param(act));
        for (int64_t i = 0; i < n; ++i) {
          if (!expect_close(got[i], want[i], 1e-6, 1e-37, [&] { return where(*t, act_name(act), n, i) + " x=" + std::to_string(x[i]); })) break;
        }
        CHECK_EQ(got[n], 7.0f);  // nothing written past the end
      }
    }
  }
}

TEST(simd_activation_forward_is_accurate_over_a_dense_sweep) {
  std::vector<float> x = accuracy_sweep();
  for (float s : {kInf, -kInf, 3.4e38f, -3.4e38f, 1e-45f, -1e-45f, 0.0f, -0.0f}) x.push_back(s);
  int64_t n = static_cast<int64_t>(x.size());
  std::vector<float> want(n), got(n);
  for (const KernelTable* t : simd_tables()) {
    for (Act act : kActs) {
      scalar_table().act_forward(act, want.data(), x.data(), n, act_param(act));
      t->act_forward(act, got.data(), x.data(), n, act_param(act));
      // Relative accuracy wherever the result is a normal float (sigmoid's tail included).
      for (int64_t i = 0; i < n; ++i) {
        if (!expect_close(got[i], want[i], 6e-7, 1e-37, [&] { return where(*t, act_name(act), n, i) + " x=" + std::to_string(x[i]); })) break;
      }
    }
  }
}

TEST(simd_activation_backward_matches_scalar_and_accumulates) {
  for (const KernelTable* t : simd_tables()) {
    for (Act act : kActs) {
      float p = act_param(act);
      for (int64_t n : kSizes) {
        std::vector<float> x = activation_inputs(n, 5 + static_cast<uint32_t>(n)), y(n);
        scalar_table().act_forward(act, y.data(), x.data(), n, p);
        std::vector<float> dy = uniform(n, -3.0f, 3.0f, 9), dx0 = uniform(n, -1.0f, 1.0f, 13);
        std::vector<float> want = dx0, got = dx0, d(n, 0.0f), ones(n, 1.0f);
        got.push_back(7.0f);
        scalar_table().act_backward(act, want.data(), dy.data(), x.data(), y.data(), n, p);
        scalar_table().act_backward(act, d.data(), ones.data(), x.data(), y.data(), n, p);
        t->act_backward(act, got.data(), dy.data(), x.data(), y.data(), n, p);
        for (int64_t i = 0; i < n; ++i) {
          // The size of the derivative's terms: for GELU, Phi and x phi cancel near -0.75.
          double scale = act == Act::Gelu ? normal_cdf(x[i]) + std::fabs(x[i]) * normal_pdf(x[i]) : std::fabs(d[i]);
          double atol = 1e-6 * (std::fabs(dx0[i]) + std::fabs(dy[i]) * scale) + 1e-37;
          if (!expect_close(got[i], want[i], 0, atol, [&] { return where(*t, act_name(act), n, i) + " x=" + std::to_string(x[i]); })) break;
        }
        CHECK_EQ(got[n], 7.0f);
      }
    }
  }
}

// A 20-layer sigmoid net's gradients are ~1e-20 and its units may sit deep in the tail:
// the product dy * y (1 - y) must keep its relative accuracy, not flush.
TEST(simd_sigmoid_backward_keeps_tiny_gradients_exact) {
  for (const KernelTable* t : simd_tables()) {
    int64_t n = 17;
    std::vector<float> x(n), y(n), dy(n, 3e-20f);
    for (int64_t i = 0; i < n; ++i) x[i] = -20.0f - 2.0f * i;
    t->act_forward(Act::Sigmoid, y.data(), x.data(), n, 0.0f);
    std::vector<float> dx(n, 0.0f);
    t->act_backward(Act::Sigmoid, dx.data(), dy.data(), x.data(), y.data(), n, 0.0f);
    for (int64_t i = 0; i < n; ++i) {
      double s = 1 / (1 + std::exp(-static_cast<double>(x[i])));
      double want = 3e-20 * s * (1 - s);
      if (want < 1e-37) continue;  // below the normal range relative accuracy is not promised
      if (!expect_close(dx[i], want, 1e-6, 0, [&] { return where(*t, "sigmoid tiny gradient", n, i); })) break;
    }
  }
}

// The histogram range of the traces, used wherever a test needs "some" histogram.
const float kLo = -20.0f, kHi = 4.0f;
const int32_t kBins = 32;

TEST(scalar_grad_stats_sums_match_double) {
  for (int64_t n : kSizes) {
    std::vector<float> x = uniform(n, -5.0f, 3.0f, 23 + static_cast<uint32_t>(n));
    double sa_want = 0, sq_want = 0;
    float m_want = 0;
    for (float v : x) {
      sa_want += std::fabs(static_cast<double>(v));
      sq_want += static_cast<double>(v) * v;
      m_want = std::fmax(m_want, std::fabs(v));
    }
    for (bool with_histogram : {false, true}) {
      std::vector<uint32_t> counts(kBins + 1, 0);
      double sa, sq;
      float m;
      scalar_table().grad_stats(x.data(), n, kLo, kHi, kBins, with_histogram ? counts.data() : nullptr, &sa, &m, &sq);
      expect_close(sa, sa_want, 1e-14, 0, where(scalar_table(), "grad_stats sum_abs", n));
      expect_close(sq, sq_want, 1e-14, 0, where(scalar_table(), "grad_stats sum_sq", n));
      CHECK_EQ(m, m_want);
      uint32_t binned = 0;
      for (uint32_t c : counts) binned += c;
      CHECK_EQ(binned, with_histogram ? static_cast<uint32_t>(n) : 0u);  // every finite value in one slot
    }
  }
}

// grad_stats with and without a histogram, against scalar: the sums within
// rounding, max |x| and every count exactly.
TEST(simd_grad_stats_match_scalar_with_and_without_histogram) {
  for (const KernelTable* t : simd_tables()) {
    for (int64_t n : kSizes) {
      std::vector<float> x = uniform(n, -5.0f, 3.0f, 21 + static_cast<uint32_t>(n));
      for (bool with_histogram : {false, true}) {
        std::vector<uint32_t> want(kBins + 2, 3u), got(kBins + 2, 3u);
        double sa_w, sq_w, sa_g, sq_g;
        float m_w, m_g;
        scalar_table().grad_stats(x.data(), n, kLo, kHi, kBins, with_histogram ? want.data() : nullptr, &sa_w, &m_w,
                                  &sq_w);
        t->grad_stats(x.data(), n, kLo, kHi, kBins, with_histogram ? got.data() : nullptr, &sa_g, &m_g, &sq_g);
        const char* what = with_histogram ? "grad_stats (histogram)" : "grad_stats";
        expect_close(sa_g, sa_w, 1e-12, 0, where(*t, what, n) + " sum_abs");
        expect_close(sq_g, sq_w, 1e-12, 0, where(*t, what, n) + " sum_sq");
        CHECK_EQ(m_g, m_w);
        if (got != want) vgl_test::fail(__FILE__, __LINE__, where(*t, what, n) + ": counts differ");
      }
    }
  }
}

TEST(simd_reductions_match_scalar) {
  for (const KernelTable* t : simd_tables()) {
    for (int64_t n : kSizes) {
      std::vector<float> x = uniform(n, -5.0f, 3.0f, 21 + static_cast<uint32_t>(n));
      expect_close(t->sum_squares(x.data(), n), scalar_table().sum_squares(x.data(), n), 1e-12, 0,
                   where(*t, "sum_squares", n));
      double s_w, q_w, s_g, q_g;
      scalar_table().moments(x.data(), n, &s_w, &q_w);
      t->moments(x.data(), n, &s_g, &q_g);
      expect_close(s_g, s_w, 1e-12, 1e-12, where(*t, "moments sum", n));
      expect_close(q_g, q_w, 1e-12, 0, where(*t, "moments sum_sq", n));
    }
  }
}

TEST(reductions_carry_nan_in_sums_and_skip_it_in_max) {
  std::vector<const KernelTable*> tables = simd_tables();
  tables.push_back(&scalar_table());
  for (const KernelTable* t : tables) {
    std::vector<float> x = uniform(19, -1.0f, 1.0f, 3);
    x[4] = 9.0f;
    x[11] = kNaN;
    for (bool with_histogram : {false, true}) {
      std::vector<uint32_t> counts(kBins + 1, 0);
      double sa, sq;
      float m;
      t->grad_stats(x.data(), 19, kLo, kHi, kBins, with_histogram ? counts.data() : nullptr, &sa, &m, &sq);
      CHECK(std::isnan(sa) && std::isnan(sq));
      CHECK_EQ(m, 9.0f);
      uint32_t binned = 0;
      for (uint32_t c : counts) binned += c;
      CHECK_EQ(binned, with_histogram ? 18u : 0u);  // the NaN is not counted
    }
    CHECK(std::isnan(t->sum_squares(x.data(), 19)));
  }
}

// Values spread over 1e-45 .. 1e38 with zeros, NaN, Inf, and every edge with its
// neighbouring floats, where any rounding difference would show.
std::vector<float> histogram_inputs(int64_t n, float lo, float hi, int32_t nbins, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> e(-46.0f, 38.5f), u(0.0f, 1.0f);
  std::vector<float> edges(nbins + 1);
  vgl::scalar::histogram_edges(lo, hi, nbins, edges.data());
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    float sign = i % 2 ? -1.0f : 1.0f;
    switch (i % 7) {
      case 0: x[i] = sign * std::pow(10.0f, e(rng)); break;
      case 1: x[i] = sign * std::pow(10.0f, lo + (hi - lo) * (1.2f * u(rng) - 0.1f)); break;
      case 2: {
        float edge = edges[1 + rng() % (nbins > 1 ? nbins - 1 : 1)];
        int step = static_cast<int>(rng() % 3) - 1;
        x[i] = sign * (step == 0 ? edge : std::nextafter(edge, step > 0 ? kInf : 0.0f));
        break;
      }
      case 3: x[i] = i % 3 ? 0.0f : -0.0f; break;
      case 4: x[i] = i % 3 == 0 ? kNaN : i % 3 == 1 ? kInf : std::numeric_limits<float>::denorm_min() * (1 + rng() % 1000); break;
      default: x[i] = sign * std::pow(10.0f, lo + (hi - lo) * u(rng)); break;
    }
  }
  return x;
}

TEST(simd_grad_stats_histogram_bins_exactly_like_scalar) {
  struct Range {
    float lo, hi;
    int32_t nbins;
  };
  const Range ranges[] = {{-12, 2, 56}, {-8, 0, 8}, {-3, 3, 1}, {-45, 39, 256}, {-40, 40, 200},
                          {0.0f, 0.001f, 100}, {-7.3f, -7.2999f, 64}, {-6, 1, 300}};
  for (const KernelTable* t : simd_tables()) {
    for (const Range& r : ranges) {
      for (int64_t n : kSizes) {
        std::vector<float> x = histogram_inputs(n, r.lo, r.hi, r.nbins, 17 + static_cast<uint32_t>(n));
        std::vector<uint32_t> want(r.nbins + 2, 5u), got(r.nbins + 2, 5u);  // counts add to what is there
        double sa_w, sq_w, sa_g, sq_g;
        float m_w, m_g;
        scalar_table().grad_stats(x.data(), n, r.lo, r.hi, r.nbins, want.data(), &sa_w, &m_w, &sq_w);
        t->grad_stats(x.data(), n, r.lo, r.hi, r.nbins, got.data(), &sa_g, &m_g, &sq_g);
        std::string what =
            where(*t, "grad_stats", n) + " lo=" + std::to_string(r.lo) + " nbins=" + std::to_string(r.nbins);
        if (got != want) vgl_test::fail(__FILE__, __LINE__, what + ": counts differ");
        CHECK_EQ(got[r.nbins + 1], 5u);  // nothing past counts[nbins]
        // The inputs hold NaN and Inf from n = 5 on: the sums carry them as scalar's do.
        expect_close(sa_g, sa_w, 1e-12, 0, what + " sum_abs");
        expect_close(sq_g, sq_w, 1e-12, 0, what + " sum_sq");
        CHECK_EQ(m_g, m_w);
      }
    }
  }
}

// The SIMD tables count histograms of up to 62 bins in byte counters (8 per
// step of 64 values, widened every 31 steps), with the bin found from the
// exponent and one comparison when no two edges share an octave (up to 32 bins,
// the traces' range among them), else from the log2 estimate; larger histograms
// use per-lane sub-histograms. Each path, at every tail size and with long runs
// of one slot (a byte counter that was not widened in time would wrap), must
// count exactly as scalar.
void expect_histogram_like_scalar(const KernelTable& t, const std::vector<float>& x, float lo, float hi,
                                  int32_t nbins, const std::string& what) {
  const int64_t n = static_cast<int64_t>(x.size());
  std::vector<uint32_t> want(nbins + 2, 9u), got(nbins + 2, 9u);
  double sa_w, sq_w, sa_g, sq_g;
  float m_w, m_g;
  scalar_table().grad_stats(x.data(), n, lo, hi, nbins, want.data(), &sa_w, &m_w, &sq_w);
  t.grad_stats(x.data(), n, lo, hi, nbins, got.data(), &sa_g, &m_g, &sq_g);
  std::string where_ = where(t, "grad_stats", n) + " " + what + " lo=" + std::to_string(lo) +
                       " hi=" + std::to_string(hi) + " nbins=" + std::to_string(nbins);
  if (got != want) {
    std::string diff;
    for (int32_t b = 0; b < nbins + 2; ++b)
      if (got[b] != want[b])
        diff += " [" + std::to_string(b) + "] " + std::to_string(got[b]) + " != " + std::to_string(want[b]);
    vgl_test::fail(__FILE__, __LINE__, where_ + ": counts differ:" + diff);
  }
  // The scalar sums are sequential: over 1e5 equal terms their rounding reaches ~1e-11.
  expect_close(sa_g, sa_w, 1e-10, 0, where_ + " sum_abs");
  expect_close(sq_g, sq_w, 1e-10, 0, where_ + " sum_sq");
  CHECK_EQ(m_g, m_w);
}

struct HistRange {
  float lo, hi;
  int32_t nbins;
};
// The traces' range, small and exactly-8k bin counts, bins narrower than an
// octave (-3..3 in 30), the byte paths' limit (62) and just past it (63).
const HistRange kByteRanges[] = {{kLo, kHi, kBins}, {-20, 4, 31}, {-20, 4, 33}, {-8, 0, 8}, {-9, 0, 9},
                                 {-3, 3, 1},        {-3, 3, 30},  {-12, 2, 16}, {-30, 30, 24}, {-40, 4, 62},
                                 {-40, 4, 63},      {-45, 39, 7}, {-44, -40, 5}, {30, 38, 32}};

TEST(simd_grad_stats_histogram_paths_at_every_tail_size) {
  const int64_t sizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 128, 129, 1000,
                           64 * 31 - 1, 64 * 31, 64 * 31 + 1, 64 * 62 + 17};
  for (const KernelTable* t : simd_tables()) {
    for (const HistRange& r : kByteRanges) {
      for (int64_t n : sizes) {
        expect_histogram_like_scalar(*t, histogram_inputs(n, r.lo, r.hi, r.nbins, 5 + static_cast<uint32_t>(n)),
                                     r.lo, r.hi, r.nbins, "mixed");
      }
    }
  }
}

TEST(simd_grad_stats_histogram_long_runs_of_one_slot) {
  for (const KernelTable* t : simd_tables()) {
    for (const HistRange& r : kByteRanges) {
      std::vector<float> edges(r.nbins + 1);
      vgl::scalar::histogram_edges(r.lo, r.hi, r.nbins, edges.data());
      // One value per slot: below the range, each interior edge and its lower
      // neighbour, above the range, zero, and NaN / Inf (not counted).
      std::vector<float> values = {1e-44f, 3e38f, 0.0f, -0.0f, kNaN, kInf};
      for (int32_t k = 1; k < r.nbins; ++k) {
        values.push_back(edges[k]);
        values.push_back(-std::nextafter(edges[k], 0.0f));
      }
      for (int64_t n : {int64_t(255 * 16 + 1), int64_t(64 * 255 + 63), int64_t(100003)}) {
        for (size_t v = 0; v < values.size(); v += (values.size() > 24 ? 3 : 1)) {
          std::vector<float> x(n, values[v]);
          expect_histogram_like_scalar(*t, x, r.lo, r.hi, r.nbins, "run of " + std::to_string(values[v]));
        }
      }
      // Long runs of alternating slots, and runs broken by a different value every
      // 4001 elements.
      std::vector<float> x(70001);
      for (size_t i = 0; i < x.size(); ++i) x[i] = values[(i / 5000) % values.size()];
      for (size_t i = 0; i < x.size(); i += 4001) x[i] = values[(i / 7) % values.size()];
      expect_histogram_like_scalar(*t, x, r.lo, r.hi, r.nbins, "blocks");
    }
  }
}

TEST(grad_stats_histogram_counts_by_the_documented_rule) {
  std::vector<const KernelTable*> tables = simd_tables();
  tables.push_back(&scalar_table());
  for (const KernelTable* t : tables) {
    // [-4, 0) in 4 bins of one decade: 1e-5 -> 0 (below), 3e-4 -> 0, 0.05 -> 2, 1 and 1e9 -> 3 (at or above hi).
    std::vector<float> x = {1e-5f, 3e-4f, -0.05f, 1.0f, 1e9f, 0.0f, -0.0f, kNaN, -kInf, 0.002f};
    const int64_t n = static_cast<int64_t>(x.size());
    double sa, sq;
    float m;
    std::vector<uint32_t> c(5, 0);
    t->grad_stats(x.data(), n, -4.0f, 0.0f, 4, c.data(), &sa, &m, &sq);
    CHECK_EQ(c[0], 2u);
    CHECK_EQ(c[1], 1u);
    CHECK_EQ(c[2], 1u);
    CHECK_EQ(c[3], 2u);
    CHECK_EQ(c[4], 2u);  // zeros
    CHECK_EQ(m, kInf);   // Inf is not binned but is the largest |x|
    // An unusable range counts finite non-zero values in bin 0 rather than failing.
    std::vector<uint32_t> bad(5, 0);
    t->grad_stats(x.data(), n, 0.0f, -1.0f, 4, bad.data(), &sa, &m, &sq);
    CHECK_EQ(bad[0], 6u);
    CHECK_EQ(bad[4], 2u);
    // No bins: nothing is counted, the sums are still made.
    std::vector<uint32_t> none(2, 7u);
    t->grad_stats(x.data(), 3, -4.0f, 0.0f, 0, none.data(), &sa, &m, &sq);
    CHECK_EQ(none[0], 7u);
    CHECK_EQ(none[1], 7u);
    CHECK_NEAR(sa, 1e-5 + 3e-4 + 0.05, 1e-9);
  }
}

// Runs `steps` updates of one optimiser through a table; returns w, v (or m), v2, the
// step norms, the w_sumsq each step reported and sum w^2 before each step in double.
struct OptState {
  std::vector<float> w, m, v;
  std::vector<double> norms, w_sumsq, w_sumsq_double;
};

enum class Opt { Sgd, Momentum, Nesterov, Adam };

OptState run_optimizer(const KernelTable& t, Opt opt, int64_t n, int steps) {
  OptState s{uniform(n, -1.0f, 1.0f, 31), std::vector<float>(n, 0.0f), std::vector<float>(n, 0.0f), {}, {}, {}};
  const float lr = 0.05f, wd = 1e-3f, mu = 0.9f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  for (int k = 1; k <= steps; ++k) {
    std::vector<float> g = uniform(n, -2.0f, 2.0f, 100 + k);
    float c1 = static_cast<float>(1 - std::pow(0.9, k)), c2 = static_cast<float>(1 - std::pow(0.999, k));
    double before = 0;
    for (float x : s.w) before += static_cast<double>(x) * x;
    s.w_sumsq_double.push_back(before);
    double ws = -1;  // every kernel must store it, n = 0 included
    switch (opt) {
      case Opt::Sgd: s.norms.push_back(t.sgd_update(s.w.data(), g.data(), n, lr, wd, &ws)); break;
      case Opt::Momentum:
        s.norms.push_back(t.momentum_update(s.w.data(), s.v.data(), g.data(), n, lr, mu, wd, false, &ws));
        break;
      case Opt::Nesterov:
        s.norms.push_back(t.momentum_update(s.w.data(), s.v.data(), g.data(), n, lr, mu, wd, true, &ws));
        break;
      case Opt::Adam:
        s.norms.push_back(
            t.adam_update(s.w.data(), s.m.data(), s.v.data(), g.data(), n, lr, b1, b2, eps, wd, c1, c2, &ws));
        break;
    }
    s.w_sumsq.push_back(ws);
  }
  return s;
}

TEST(simd_optimizers_match_scalar_over_several_steps) {
  const char* names[] = {"sgd", "momentum", "nesterov", "adam"};
  for (const KernelTable* t : simd_tables()) {
    for (Opt opt : {Opt::Sgd, Opt::Momentum, Opt::Nesterov, Opt::Adam}) {
      for (int64_t n : kSizes) {
        OptState want = run_optimizer(scalar_table(), opt, n, 5), got = run_optimizer(*t, opt, n, 5);
        std::string what = where(*t, names[static_cast<int>(opt)], n);
        // FMA versus separate rounding, compounded over 5 steps of O(1) terms that may
        // cancel (momentum): a few ulp of the terms, hence the absolute part.
        for (int64_t i = 0; i < n; ++i) {
          if (!expect_close(got.w[i], want.w[i], 1e-5, 2e-6, [&] { return what + " w i=" + std::to_string(i); })) break;
          if (!expect_close(got.m[i], want.m[i], 1e-5, 2e-6, [&] { return what + " m i=" + std::to_string(i); })) break;
          if (!expect_close(got.v[i], want.v[i], 1e-5, 2e-6, [&] { return what + " v i=" + std::to_string(i); })) break;
        }
        for (size_t k = 0; k < want.norms.size(); ++k) {
          expect_close(got.norms[k], want.norms[k], 1e-5, 0, what + " step norm");
          // The weights a step reads are the previous step's output, so they differ
          // from scalar's by what w does; the first step's are identical.
          expect_close(got.w_sumsq[k], want.w_sumsq[k], k == 0 ? 1e-12 : 1e-5, 0, what + " w_sumsq");
        }
      }
    }
  }
}

// w_sumsq is sum w^2 of the weights before the update, in double, for every table.
TEST(every_optimizer_reports_the_weights_sum_of_squares_before_its_update) {
  const char* names[] = {"sgd", "momentum", "nesterov", "adam"};
  std::vector<const KernelTable*> tables = simd_tables();
  tables.push_back(&scalar_table());
  for (const KernelTable* t : tables) {
    for (Opt opt : {Opt::Sgd, Opt::Momentum, Opt::Nesterov, Opt::Adam}) {
      for (int64_t n : kSizes) {
        OptState s = run_optimizer(*t, opt, n, 3);
        std::string what = where(*t, names[static_cast<int>(opt)], n) + " w_sumsq";
        for (size_t k = 0; k < s.w_sumsq.size(); ++k) expect_close(s.w_sumsq[k], s.w_sumsq_double[k], 1e-12, 0, what);
      }
    }
  }
}

TEST(scalar_adam_follows_torch_in_double) {
  const int64_t n = 9;
  OptState s = run_optimizer(scalar_table(), Opt::Adam, n, 1);
  std::vector<float> w0 = uniform(n, -1.0f, 1.0f, 31), g = uniform(n, -2.0f, 2.0f, 101);
  // The hyper-parameters as the kernel receives them: floats.
  const double b1 = 0.9f, b2 = 0.999f, lr = 0.05f, eps = 1e-8f, wd = 1e-3f;
  const double c1 = static_cast<float>(1 - 0.9), c2 = static_cast<float>(1 - 0.999);
  double ss = 0;
  for (int64_t i = 0; i < n; ++i) {
    double gp = g[i] + wd * w0[i];
    double m = (1 - b1) * gp, v = (1 - b2) * gp * gp;
    double step = lr * (m / c1) / (std::sqrt(v / c2) + eps);
    expect_close(s.w[i], w0[i] - step, 1e-6, 1e-7, "adam w i=" + std::to_string(i));
    expect_close(s.m[i], m, 1e-6, 0, "adam m");
    expect_close(s.v[i], v, 1e-6, 0, "adam v");
    ss += step * step;
  }
  expect_close(s.norms[0], ss, 1e-5, 0, "adam step norm");
}

TEST(scalar_momentum_follows_torch_in_double) {
  const int64_t n = 9;
  for (bool nesterov : {false, true}) {
    OptState s = run_optimizer(scalar_table(), nesterov ? Opt::Nesterov : Opt::Momentum, n, 2);
    std::vector<float> w = uniform(n, -1.0f, 1.0f, 31);
    std::vector<double> wd(w.begin(), w.end()), v(n, 0.0);
    for (int k = 1; k <= 2; ++k) {
      std::vector<float> g = uniform(n, -2.0f, 2.0f, 100 + k);
      for (int64_t i = 0; i < n; ++i) {
        double gp = g[i] + static_cast<double>(1e-3f) * wd[i];
        v[i] = static_cast<double>(0.9f) * v[i] + gp;
        wd[i] -= static_cast<double>(0.05f) * (nesterov ? gp + static_cast<double>(0.9f) * v[i] : v[i]);
      }
    }
    for (int64_t i = 0; i < n; ++i) expect_close(s.w[i], wd[i], 1e-6, 1e-7, "momentum w i=" + std::to_string(i));
  }
}

TEST(simd_axpy_and_scale_match_scalar) {
  for (const KernelTable* t : simd_tables()) {
    for (int64_t n : kSizes) {
      std::vector<float> x = uniform(n, -2.0f, 2.0f, 41), y0 = uniform(n, -2.0f, 2.0f, 43);
      std::vector<float> want = y0, got = y0;
      got.push_back(7.0f);
      scalar_table().axpy(want.data(), x.data(), n, -0.7f);
      t->axpy(got.data(), x.data(), n, -0.7f);
      for (int64_t i = 0; i < n; ++i) {
        if (!expect_close(got[i], want[i], 0, 1e-6 * (std::fabs(y0[i]) + std::fabs(x[i])), [&] { return where(*t, "axpy", n, i); })) break;
      }
      CHECK_EQ(got[n], 7.0f);
      std::vector<float> sw = x, sg = x;
      scalar_table().scale(sw.data(), n, 1.7f);
      t->scale(sg.data(), n, 1.7f);
      CHECK(sw == sg);  // one rounding either way: identical
    }
  }
}

}  // namespace
