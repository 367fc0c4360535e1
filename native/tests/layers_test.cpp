// Specification of the feed-forward layers and losses (core/layers/layers.h).
//
// Every op is checked twice against a small double-precision reference forward
// written here from the textbook formula:
//   (a) the engine's float forward agrees with the reference forward, and
//   (b) the engine's float backward agrees with central finite differences of the
//       DOUBLE reference (differencing the float forward would drown the gradient
//       in float32 rounding).
// Layers are checked through the scalar objective L = sum r * y with a fixed random
// r (so dy = r); losses through the loss itself. Each gradient is also checked to
// accumulate (a second backward doubles it) and to be skipped when its pointer is
// null without disturbing the others. Inputs sit away from kinks on purpose.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "check.h"
#include "test_rng.h"
#include "core/layers/layers.h"

namespace {

using Vec = std::vector<double>;
using FVec = std::vector<float>;

// Step of the central differences: the truncation error (h^2) and the rounding
// error (1e-16 / h) of the double reference are then both far below 1e-6.
constexpr double kFdStep = 1e-5;
// Engine backward (float) vs finite differences of the reference (double).
constexpr double kGradTol = 1e-3;
// Engine forward (float) vs reference forward (double), relative to max |y|.
constexpr double kForwardTol = 1e-4;

using vgl_test::Rng;

Vec random_vec(Rng& rng, size_t n, double lo, double hi) {
  Vec v(n);
  for (double& x : v) x = rng.uniform(lo, hi);
  return v;
}

// Random values with |x| in [lo, hi] and a random sign: keeps clear of the kink at 0.
Vec away_from_zero(Rng& rng, size_t n, double lo, double hi) {
  Vec v(n);
  for (double& x : v) x = (rng.next() & 1 ? 1.0 : -1.0) * rng.uniform(lo, hi);
  return v;
}

FVec to_float(const Vec& v) { return FVec(v.begin(), v.end()); }
Vec to_double(const FVec& v) { return Vec(v.begin(), v.end()); }

void report(const std::string& what) { ::vgl_test::fail(__FILE__, __LINE__, what); }

// got ~ want element-wise within atol + rtol |want|, where atol = rtol * max|want|
// (+ floor), and as vectors within rtol in L2 norm.
void expect_close(const std::string& what, const FVec& got, const Vec& want, double rtol,
                  double floor = 1e-7) {
  if (got.size() != want.size()) {
    report(what + ": size " + std::to_string(got.size()) + " != " + std::to_string(want.size()));
    return;
  }
  double wmax = 0.0, diff2 = 0.0, want2 = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    wmax = std::max(wmax, std::fabs(want[i]));
    diff2 += (got[i] - want[i]) * (got[i] - want[i]);
    want2 += want[i] * want[i];
  }
  const double atol = rtol * wmax + floor;
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = std::fabs(got[i] - want[i]);
    if (!(d <= atol + rtol * std::fabs(want[i]))) {
      std::ostringstream os;
      os.precision(9);
      os << what << ": element " << i << " is " << got[i] << ", expected " << want[i] << " (max |want| "
         << wmax << ")";
      report(os.str());
      return;
    }
  }
  if (!(std::sqrt(diff2) <= rtol * std::sqrt(want2) + floor)) {
    std::ostringstream os;
    os << what << ": relative L2 error " << std::sqrt(diff2 / std::max(want2, 1e-300));
    report(os.str());
  }
}

Vec scaled(const FVec& v, double s) {
  Vec out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = s * v[i];
  return out;
}

// Central differences of a scalar function of one of several inputs.
Vec finite_difference(const std::function<double(const std::vector<Vec>&)>& objective, std::vector<Vec> in,
                      size_t k) {
  Vec grad(in[k].size());
  for (size_t j = 0; j < in[k].size(); ++j) {
    const double x0 = in[k][j];
    in[k][j] = x0 + kFdStep;
    const double up = objective(in);
    in[k][j] = x0 - kFdStep;
    const double down = objective(in);
    in[k][j] = x0;
    grad[j] = (up - down) / (2.0 * kFdStep);
  }
  return grad;
}

// ---- layers -----------------------------------------------------------------------

struct LayerCase {
  std::string name;
  std::vector<Vec> inputs;     // every input of the op
  std::vector<bool> has_grad;  // which inputs get a gradient buffer (others get null)
  std::vector<bool> nullable;  // which gradients are also checked to be skippable
  std::function<Vec(const std::vector<Vec>&)> reference;
  std::function<FVec(const std::vector<FVec>&)> forward;
  // grads[k] is input k's gradient buffer, or null to skip it.
  std::function<void(const std::vector<FVec>&, const FVec& dy, const std::vector<float*>& grads)> backward;
};

void run_layer_case(const LayerCase& c) {
  const size_t nin = c.inputs.size();
  // The reference sees exactly the float-rounded inputs the engine sees.
  std::vector<FVec> fin;
  for (const Vec& v : c.inputs) fin.push_back(to_float(v));
  std::vector<Vec> din;
  for (const FVec& v : fin) din.push_back(to_double(v));

  const Vec y_ref = c.reference(din);
  expect_close(c.name + " forward", c.forward(fin), y_ref, kForwardTol);

  Rng rng{0x5EEDull};
  const FVec dy = to_float(random_vec(rng, y_ref.size(), -1.0, 1.0));
  const Vec dyd = to_double(dy);
  const auto objective = [&](const std::vector<Vec>& in) {
    const Vec y = c.reference(in);
    double s = 0.0;
    for (size_t i = 0; i < y.size(); ++i) s += dyd[i] * y[i];
    return s;
  };

  // Every gradient once from zero, then a second time on top.
  std::vector<FVec> once(nin), twice(nin);
  const auto run = [&](std::vector<FVec>& bufs, int calls, int skip) {
    std::vector<float*> ptrs(nin, nullptr);
    for (size_t k = 0; k < nin; ++k) {
      bufs[k].assign(fin[k].size(), 0.0f);
      if (c.has_grad[k] && static_cast<int>(k) != skip) ptrs[k] = bufs[k].data();
    }
    for (int i = 0; i < calls; ++i) c.backward(fin, dy, ptrs);
  };
  run(once, 1, -1);
  run(twice, 2, -1);

  for (size_t k = 0; k < nin; ++k) {
    if (!c.has_grad[k]) continue;
    const std::string what = c.name + " d(input " + std::to_string(k) + ")";
    expect_close(what + " vs finite differences", once[k], finite_difference(objective, din, k), kGradTol);
    expect_close(what + " accumulates (2 calls = 2x)", twice[k], scaled(once[k], 2.0), 1e-5);
  }

  for (size_t skip = 0; skip < nin; ++skip) {
    if (!c.has_grad[skip] || !c.nullable[skip]) continue;
    std::vector<FVec> rest(nin);
    run(rest, 1, static_cast<int>(skip));
    for (size_t k = 0; k < nin; ++k) {
      if (!c.has_grad[k] || k == skip) continue;
      expect_close(c.name + " d(input " + std::to_string(k) + ") with d(input " + std::to_string(skip) +
                       ") null",
                   rest[k], to_double(once[k]), 1e-6);
    }
  }
}

// y = x W^T (+ b); x (B,IN), w (OUT,IN), b (OUT).
LayerCase dense_case(const std::string& name, int64_t B, int64_t IN, int64_t OUT, bool bias, bool want_dx) {
  Rng rng{static_cast<uint64_t>(B * 1000 + IN * 10 + OUT)};
  LayerCase c;
  c.name = name;
  c.inputs = {random_vec(rng, B * IN, -1, 1), random_vec(rng, OUT * IN, -1, 1)};
  if (bias) c.inputs.push_back(random_vec(rng, OUT, -1, 1));
  c.has_grad = {want_dx, true, true};
  c.nullable = {true, true, true};
  c.has_grad.resize(c.inputs.size());
  c.nullable.resize(c.inputs.size());
  c.reference = [=](const std::vector<Vec>& in) {
    Vec y(B * OUT);
    for (int64_t r = 0; r < B; ++r) {
      for (int64_t o = 0; o < OUT; ++o) {
        double s = bias ? in[2][o] : 0.0;
        for (int64_t i = 0; i < IN; ++i) s += in[0][r * IN + i] * in[1][o * IN + i];
        y[r * OUT + o] = s;
      }
    }
    return y;
  };
  c.forward = [=](const std::vector<FVec>& in) {
    FVec y(B * OUT, NAN);  // NaN: the forward must overwrite, not accumulate
    vgl::dense_forward(y.data(), in[0].data(), in[1].data(), bias ? in[2].data() : nullptr, B, IN, OUT);
    return y;
  };
  c.backward = [=](const std::vector<FVec>& in, const FVec& dy, const std::vector<float*>& g) {
    vgl::dense_backward(g[0], g[1], bias ? g[2] : nullptr, dy.data(), in[0].data(), in[1].data(), B, IN, OUT);
  };
  return c;
}

double act_reference(vgl::Act act, double x, double p) {
  using vgl::Act;
  switch (act) {
    case Act::Linear: return x;
    case Act::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Act::Tanh: return std::tanh(x);
    case Act::Relu: return x > 0 ? x : 0.0;
    case Act::LeakyRelu: return x > 0 ? x : p * x;
    case Act::Elu: return x > 0 ? x : p * std::expm1(x);
    case Act::Gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Act::Softplus: return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));
    default: return NAN;
  }
}

// n = 37 covers two 16-wide vectors and a tail; n = 1 is a tail alone.
LayerCase activation_case(vgl::Act act, const std::string& name, float p, int64_t n = 37) {
  Rng rng{static_cast<uint64_t>(act) + 77};
  LayerCase c;
  c.name = "activation " + name + " n=" + std::to_string(n);
  // |x| >= 0.05 keeps ReLU, LeakyReLU and ELU (alpha != 1) off their kinks.
  c.inputs = {away_from_zero(rng, n, 0.05, 3.0)};
  c.has_grad = {true};
  c.nullable = {false};
  c.reference = [=](const std::vector<Vec>& in) {
    Vec y(n);
    for (int64_t i = 0; i < n; ++i) y[i] = act_reference(act, in[0][i], p);
    return y;
  };
  c.forward = [=](const std::vector<FVec>& in) {
    FVec y(n, NAN);
    vgl::activation_forward(act, y.data(), in[0].data(), n, p);
    return y;
  };
  c.backward = [=](const std::vector<FVec>& in, const FVec& dy, const std::vector<float*>& g) {
    FVec y(n);
    vgl::activation_forward(act, y.data(), in[0].data(), n, p);
    vgl::activation_backward(act, g[0], dy.data(), in[0].data(), y.data(), n, p);
  };
  return c;
}

constexpr float kEps = 1e-5f;

// Training-mode batch norm in double: biased batch variance.
Vec batchnorm_reference(const Vec& x, const Vec& gamma, const Vec& beta, int64_t B, int64_t F, Vec* mean_out,
                        Vec* var_out) {
  Vec y(B * F), mean(F, 0.0), var(F, 0.0);
  for (int64_t f = 0; f < F; ++f) {
    for (int64_t r = 0; r < B; ++r) mean[f] += x[r * F + f];
    mean[f] /= static_cast<double>(B);
    for (int64_t r = 0; r < B; ++r) var[f] += (x[r * F + f] - mean[f]) * (x[r * F + f] - mean[f]);
    var[f] /= static_cast<double>(B);
    for (int64_t r = 0; r < B; ++r) {
      y[r * F + f] = (x[r * F + f] - mean[f]) / std::sqrt(var[f] + kEps) * gamma[f] + beta[f];
    }
  }
  if (mean_out) *mean_out = mean;
  if (var_out) *var_out = var;
  return y;
}

LayerCase batchnorm_case(int64_t B, int64_t F) {
  Rng rng{static_cast<uint64_t>(B * 100 + F)};
  LayerCase c;
  c.name = "batchnorm train B=" + std::to_string(B) + " F=" + std::to_string(F);
  // Off-centre inputs so the mean subtraction matters.
  c.inputs = {random_vec(rng, B * F, -1, 3), random_vec(rng, F, 0.5, 1.5), random_vec(rng, F, -0.5, 0.5)};
  c.has_grad = {true, true, true};
  c.nullable = {true, true, true};
  c.reference = [=](const std::vector<Vec>& in) {
    return batchnorm_reference(in[0], in[1], in[2], B, F, nullptr, nullptr);
  };
  c.forward = [=](const std::vector<FVec>& in) {
    FVec y(B * F, NAN), mean(F), invstd(F), rm(F, 0.0f), rv(F, 1.0f);
    vgl::batchnorm_forward_train(y.data(), mean.data(), invstd.data(), rm.data(), rv.data(), in[0].data(),
                                 in[1].data(), in[2].data(), B, F, kEps, 0.1f);
    return y;
  };
  c.backward = [=](const std::vector<FVec>& in, const FVec& dy, const std::vector<float*>& g) {
    FVec y(B * F), mean(F), invstd(F), rm(F, 0.0f), rv(F, 1.0f);
    vgl::batchnorm_forward_train(y.data(), mean.data(), invstd.data(), rm.data(), rv.data(), in[0].data(),
                                 in[1].data(), in[2].data(), B, F, kEps, 0.1f);
    vgl::batchnorm_backward(g[0], g[1], g[2], dy.data(), in[0].data(), mean.data(), invstd.data(),
                            in[1].data(), B, F);
  };
  return c;
}

LayerCase layernorm_case(int64_t B, int64_t F) {
  Rng rng{static_cast<uint64_t>(B * 100 + F + 5)};
  LayerCase c;
  c.name = "layernorm B=" + std::to_string(B) + " F=" + std::to_string(F);
  c.inputs = {random_vec(rng, B * F, -1, 3), random_vec(rng, F, 0.5, 1.5), random_vec(rng, F, -0.5, 0.5)};
  c.has_grad = {true, true, true};
  c.nullable = {true, true, true};
  c.reference = [=](const std::vector<Vec>& in) {
    Vec y(B * F);
    for (int64_t r = 0; r < B; ++r) {
      double mean = 0.0, var = 0.0;
      for (int64_t f = 0; f < F; ++f) mean += in[0][r * F + f];
      mean /= static_cast<double>(F);
      for (int64_t f = 0; f < F; ++f) var += (in[0][r * F + f] - mean) * (in[0][r * F + f] - mean);
      var /= static_cast<double>(F);
      for (int64_t f = 0; f < F; ++f) {
        y[r * F + f] = (in[0][r * F + f] - mean) / std::sqrt(var + kEps) * in[1][f] + in[2][f];
      }
    }
    return y;
  };
  c.forward = [=](const std::vector<FVec>& in) {
    FVec y(B * F, NAN), mean(B), invstd(B);
    vgl::layernorm_forward(y.data(), mean.data(), invstd.data(), in[0].data(), in[1].data(), in[2].data(), B,
                           F, kEps);
    return y;
  };
  c.backward = [=](const std::vector<FVec>& in, const FVec& dy, const std::vector<float*>& g) {
    FVec y(B * F), mean(B), invstd(B);
    vgl::layernorm_forward(y.data(), mean.data(), invstd.data(), in[0].data(), in[1].data(), in[2].data(), B,
                           F, kEps);
    vgl::layernorm_backward(g[0], g[1], g[2], dy.data(), in[0].data(), mean.data(), invstd.data(),
                            in[1].data(), B, F);
  };
  return c;
}

// Dropout with its mask held fixed: y = x * mask is then linear in x.
LayerCase dropout_case() {
  const int64_t n = 53;
  const float p = 0.4f;
  Rng rng{99};
  LayerCase c;
  c.name = "dropout p=0.4 (fixed mask)";
  c.inputs = {random_vec(rng, n, -2, 2)};
  c.has_grad = {true};
  c.nullable = {false};
  FVec x0(n, 1.0f), y0(n), mask(n);
  vgl::dropout_forward(y0.data(), mask.data(), x0.data(), n, p, 1234, 7);
  c.reference = [=](const std::vector<Vec>& in) {
    Vec y(n);
    for (int64_t i = 0; i < n; ++i) y[i] = in[0][i] * mask[i];
    return y;
  };
  c.forward = [=](const std::vector<FVec>& in) {
    FVec y(n, NAN), m(n);
    vgl::dropout_forward(y.data(), m.data(), in[0].data(), n, p, 1234, 7);
    return y;
  };
  c.backward = [=](const std::vector<FVec>&, const FVec& dy, const std::vector<float*>& g) {
    vgl::dropout_backward(g[0], dy.data(), mask.data(), n);
  };
  return c;
}

LayerCase add_case() {
  const int64_t n = 29;
  Rng rng{31};
  LayerCase c;
  c.name = "add (residual join)";
  c.inputs = {random_vec(rng, n, -2, 2), random_vec(rng, n, -2, 2)};
  c.has_grad = {true, true};
  c.nullable = {true, true};
  c.reference = [=](const std::vector<Vec>& in) {
    Vec y(n);
    for (int64_t i = 0; i < n; ++i) y[i] = in[0][i] + in[1][i];
    return y;
  };
  c.forward = [=](const std::vector<FVec>& in) {
    FVec y(n, NAN);
    vgl::add_forward(y.data(), in[0].data(), in[1].data(), n);
    return y;
  };
  c.backward = [=](const std::vector<FVec>&, const FVec& dy, const std::vector<float*>& g) {
    vgl::add_backward(g[0], g[1], dy.data(), n);
  };
  return c;
}

std::vector<LayerCase> layer_cases() {
  using vgl::Act;
  std::vector<LayerCase> cases = {
      dense_case("dense with bias", 5, 7, 3, true, true),
      dense_case("dense without bias", 5, 7, 3, false, true),
      dense_case("dense with dx null (first layer)", 4, 6, 5, true, false),
      dense_case("dense at awkward sizes", 17, 33, 19, true, true),
      dense_case("dense with one row", 1, 9, 4, true, true),
      activation_case(Act::Linear, "linear", 0.0f),
      activation_case(Act::Sigmoid, "sigmoid", 0.0f),
      activation_case(Act::Tanh, "tanh", 0.0f),
      activation_case(Act::Relu, "relu", 0.0f),
      activation_case(Act::LeakyRelu, "leaky relu", 0.1f),
      activation_case(Act::Elu, "elu alpha=1.3", 1.3f),
      activation_case(Act::Gelu, "gelu", 0.0f),
      activation_case(Act::Softplus, "softplus", 0.0f),
      activation_case(Act::Tanh, "tanh", 0.0f, 1),
      batchnorm_case(6, 5),
      batchnorm_case(4, 67),  // more features than one stack block
      layernorm_case(5, 13),
      layernorm_case(3, 37),
      dropout_case(),
      add_case(),
  };
  return cases;
}

}  // namespace

TEST(every_layer_forward_matches_reference_and_backward_matches_finite_differences) {
  for (const LayerCase& c : layer_cases()) run_layer_case(c);
}

TEST(batchnorm_updates_running_stats_with_unbiased_variance) {
  const int64_t B = 5, F = 3;
  const float momentum = 0.1f;
  Rng rng{4};
  const FVec x = to_float(random_vec(rng, B * F, -1, 3));
  const FVec gamma = to_float(random_vec(rng, F, 0.5, 1.5)), beta = to_float(random_vec(rng, F, -0.5, 0.5));
  FVec rm = to_float(random_vec(rng, F, -1, 1)), rv = to_float(random_vec(rng, F, 0.5, 2));
  const FVec rm0 = rm, rv0 = rv;
  FVec y(B * F), mean(F), invstd(F);
  vgl::batchnorm_forward_train(y.data(), mean.data(), invstd.data(), rm.data(), rv.data(), x.data(),
                               gamma.data(), beta.data(), B, F, kEps, momentum);
  Vec ref_mean, ref_var;
  batchnorm_reference(to_double(x), to_double(gamma), to_double(beta), B, F, &ref_mean, &ref_var);
  for (int64_t f = 0; f < F; ++f) {
    CHECK_NEAR(mean[f], ref_mean[f], 1e-6);
    CHECK_NEAR(invstd[f], 1.0 / std::sqrt(ref_var[f] + kEps), 1e-5);
    CHECK_NEAR(rm[f], 0.9 * rm0[f] + 0.1 * ref_mean[f], 1e-6);
    CHECK_NEAR(rv[f], 0.9 * rv0[f] + 0.1 * ref_var[f] * B / (B - 1.0), 1e-6);
  }
}

TEST(batchnorm_with_one_row_uses_biased_variance_for_running_stats) {
  const int64_t F = 4;
  const FVec x = {0.5f, -2.0f, 3.0f, 0.0f}, gamma = {1, 2, 3, 4}, beta = {0.1f, 0.2f, 0.3f, 0.4f};
  FVec rm = {0, 0, 0, 0}, rv = {1, 1, 1, 1}, y(F), mean(F), invstd(F);
  vgl::batchnorm_forward_train(y.data(), mean.data(), invstd.data(), rm.data(), rv.data(), x.data(),
                               gamma.data(), beta.data(), 1, F, kEps, 0.1f);
  for (int64_t f = 0; f < F; ++f) {
    CHECK(std::isfinite(rv[f]));
    CHECK_NEAR(rv[f], 0.9, 1e-7);  // 0.9 * 1 + 0.1 * 0
    CHECK_NEAR(rm[f], 0.1 * x[f], 1e-7);
    CHECK_NEAR(y[f], beta[f], 1e-7);  // one sample normalises to 0
  }
}

TEST(batchnorm_eval_uses_running_stats) {
  const int64_t B = 3, F = 70;
  Rng rng{8};
  const FVec x = to_float(random_vec(rng, B * F, -2, 2));
  const FVec gamma = to_float(random_vec(rng, F, 0.5, 1.5)), beta = to_float(random_vec(rng, F, -0.5, 0.5));
  const FVec rm = to_float(random_vec(rng, F, -1, 1)), rv = to_float(random_vec(rng, F, 0.5, 2));
  FVec y(B * F, NAN);
  vgl::batchnorm_forward_eval(y.data(), x.data(), gamma.data(), beta.data(), rm.data(), rv.data(), B, F, kEps);
  Vec want(B * F);
  for (int64_t r = 0; r < B; ++r) {
    for (int64_t f = 0; f < F; ++f) {
      want[r * F + f] = (double(x[r * F + f]) - rm[f]) / std::sqrt(double(rv[f]) + kEps) * gamma[f] + beta[f];
    }
  }
  expect_close("batchnorm eval", y, want, 1e-6);
}

TEST(add_backward_into_one_buffer_receives_both_paths) {
  // x + x: both inputs share one gradient buffer, which must end up with 2 dy.
  const FVec dy = {1.0f, -2.0f, 0.5f};
  FVec g = {10.0f, 10.0f, 10.0f};
  vgl::add_backward(g.data(), g.data(), dy.data(), 3);
  CHECK_NEAR(g[0], 12.0, 0);
  CHECK_NEAR(g[1], 6.0, 0);
  CHECK_NEAR(g[2], 11.0, 0);
}

// ---- dropout mask -----------------------------------------------------------------

TEST(dropout_mask_is_zero_or_inverse_keep_and_drops_about_p) {
  const int64_t n = 200000;
  const float p = 0.3f;
  FVec x(n, 2.0f), y(n), mask(n);
  vgl::dropout_forward(y.data(), mask.data(), x.data(), n, p, 42, 0);
  int64_t dropped = 0;
  bool values_ok = true;
  for (int64_t i = 0; i < n; ++i) {
    if (mask[i] == 0.0f) ++dropped;
    else values_ok = values_ok && mask[i] == 1.0f / (1.0f - p);
    values_ok = values_ok && y[i] == x[i] * mask[i];
  }
  CHECK(values_ok);
  // Binomial standard deviation is ~0.001 here; 0.005 is five of them.
  CHECK_NEAR(static_cast<double>(dropped) / n, p, 0.005);
}

TEST(dropout_mask_is_a_pure_function_of_seed_stream_and_index) {
  const int64_t n = 1000;
  FVec x(n, 1.0f), y(n), a(n), b(n), c(n), d(n);
  vgl::dropout_forward(y.data(), a.data(), x.data(), n, 0.5f, 7, 3);
  // A shorter call (e.g. another thread's slice size) sees the same prefix.
  vgl::dropout_forward(y.data(), b.data(), x.data(), 100, 0.5f, 7, 3);
  CHECK(std::equal(b.begin(), b.begin() + 100, a.begin()));
  vgl::dropout_forward(y.data(), c.data(), x.data(), n, 0.5f, 7, 4);  // next stream
  vgl::dropout_forward(y.data(), d.data(), x.data(), n, 0.5f, 8, 3);  // next seed
  int64_t same_stream = 0, same_seed = 0, same_sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    same_stream += a[i] == c[i];
    same_seed += a[i] == d[i];
    same_sum += c[i] == d[i];  // (7,4) vs (8,3): seed + stream must not be all that counts
  }
  // Independent masks agree on about half the units; a shifted or equal copy would not.
  CHECK(same_stream > 400 && same_stream < 600);
  CHECK(same_seed > 400 && same_seed < 600);
  CHECK(same_sum > 400 && same_sum < 600);
}

TEST(dropout_with_p_zero_is_identity_and_rejects_p_out_of_range) {
  const FVec x = {1.0f, -2.0f, 3.5f};
  FVec y(3, NAN), mask(3, NAN);
  vgl::dropout_forward(y.data(), mask.data(), x.data(), 3, 0.0f, 1, 1);
  for (int i = 0; i < 3; ++i) {
    CHECK_EQ(y[i], x[i]);
    CHECK_EQ(mask[i], 1.0f);
  }
  CHECK_THROWS_WITH(vgl::dropout_forward(y.data(), mask.data(), x.data(), 3, 1.0f, 1, 1), "dropout");
  CHECK_THROWS_WITH(vgl::dropout_forward(y.data(), mask.data(), x.data(), 3, -0.1f, 1, 1), "dropout");
}

// ---- losses -----------------------------------------------------------------------

struct LossCase {
  std::string name;
  Vec z;
  std::function<double(const Vec& z)> reference;
  std::function<double(float* dz, const FVec& z, float grad_scale)> loss;
};

void run_loss_case(const LossCase& c) {
  const FVec zf = to_float(c.z);
  const Vec zd = to_double(zf);
  FVec dz(zf.size(), 0.0f);
  const double L = c.loss(dz.data(), zf, 1.0f);
  const double L_ref = c.reference(zd);
  if (!(std::fabs(L - L_ref) <= 1e-9 * std::max(1.0, std::fabs(L_ref)))) {
    report(c.name + ": loss " + std::to_string(L) + ", expected " + std::to_string(L_ref));
  }
  const auto objective = [&](const std::vector<Vec>& in) { return c.reference(in[0]); };
  expect_close(c.name + " dL/dz vs finite differences", dz, finite_difference(objective, {zd}, 0), kGradTol);

  // A second call with grad_scale 0.5 adds half the gradient again.
  FVec acc = dz;
  c.loss(acc.data(), zf, 0.5f);
  expect_close(c.name + " accumulates grad_scale * dL/dz", acc, scaled(dz, 1.5), 1e-6);

  const double L_no_grad = c.loss(nullptr, zf, 1.0f);
  if (L_no_grad != L) report(c.name + ": loss changes when dz is null");
}

TEST(every_loss_matches_reference_and_gradient_matches_finite_differences) {
  std::vector<LossCase> cases;
  {
    const int64_t B = 7, C = 5;
    Rng rng{11};
    std::vector<int32_t> labels(B);
    for (int32_t& l : labels) l = static_cast<int32_t>(rng.next() % C);
    LossCase c;
    c.name = "softmax cross-entropy";
    c.z = random_vec(rng, B * C, -3, 3);
    c.reference = [=](const Vec& z) {
      double total = 0.0;
      for (int64_t r = 0; r < B; ++r) {
        double s = 0.0;
        for (int64_t k = 0; k < C; ++k) s += std::exp(z[r * C + k]);
        total += std::log(s) - z[r * C + labels[r]];
      }
      return total / B;
    };
    c.loss = [=](float* dz, const FVec& z, float scale) {
      return vgl::softmax_cross_entropy(dz, nullptr, z.data(), labels.data(), B, C, scale);
    };
    cases.push_back(c);
  }
  {
    const int64_t n = 23;
    Rng rng{12};
    const Vec y = to_double(to_float(random_vec(rng, n, -1, 1)));
    LossCase c;
    c.name = "mse";
    c.z = random_vec(rng, n, -2, 2);
    c.reference = [=](const Vec& z) {
      double total = 0.0;
      for (int64_t i = 0; i < n; ++i) total += (z[i] - y[i]) * (z[i] - y[i]);
      return total / n;
    };
    c.loss = [=](float* dz, const FVec& z, float scale) {
      const FVec yf = to_float(y);
      return vgl::mse_loss(dz, z.data(), yf.data(), n, scale);
    };
    cases.push_back(c);
  }
  {
    const int64_t n = 19;
    Rng rng{13};
    Vec y(n);
    for (double& v : y) v = static_cast<double>(rng.next() & 1);
    LossCase c;
    c.name = "bce with logits";
    c.z = random_vec(rng, n, -4, 4);
    c.reference = [=](const Vec& z) {
      // The textbook form; fine in double for moderate logits.
      double total = 0.0;
      for (int64_t i = 0; i < n; ++i) {
        const double s = 1.0 / (1.0 + std::exp(-z[i]));
        total += -y[i] * std::log(s) - (1.0 - y[i]) * std::log(1.0 - s);
      }
      return total / n;
    };
    c.loss = [=](float* dz, const FVec& z, float scale) {
      const FVec yf = to_float(y);
      return vgl::bce_with_logits(dz, nullptr, z.data(), yf.data(), n, scale);
    };
    cases.push_back(c);
  }
  for (const LossCase& c : cases) run_loss_case(c);
}

TEST(softmax_cross_entropy_is_stable_for_huge_logits_and_counts_correct) {
  // Rows: confident and right, confident and wrong, a tie (first index wins).
  const FVec z = {1000.0f, -1000.0f, 0.0f, -1000.0f, 1000.0f, 0.0f, 5.0f, 5.0f, 1.0f};
  const std::vector<int32_t> labels = {0, 0, 0};
  FVec dz(9, 0.0f);
  int64_t correct = -1;
  const double L = vgl::softmax_cross_entropy(dz.data(), &correct, z.data(), labels.data(), 3, 3, 1.0f);
  const double tie = std::log(2.0 + std::exp(-4.0));  // row 3: logsumexp(5,5,1) - 5
  CHECK_NEAR(L, (0.0 + 2000.0 + tie) / 3.0, 1e-9);
  CHECK_EQ(correct, int64_t{2});
  for (float g : dz) CHECK(std::isfinite(g));
  CHECK_NEAR(dz[3], -1.0 / 3.0, 1e-7);  // wrong row: softmax 0 at the label
  CHECK_NEAR(dz[4], 1.0 / 3.0, 1e-7);
  const std::vector<int32_t> out_of_range = {0, 3, 0};
  CHECK_THROWS_WITH(vgl::softmax_cross_entropy(dz.data(), nullptr, z.data(), out_of_range.data(), 3, 3, 1.0f),
                    "label");
}

TEST(softmax_cross_entropy_keeps_the_small_gradient_of_a_confident_right_prediction) {
  // p(label) = 1 - 2e^-20 / (1 + 2e^-20): the gradient p - 1 ~ -4e-9 must not round
  // away, as it would if p and 1 were subtracted in float.
  const FVec z = {20.0f, 0.0f, 0.0f};
  const int32_t label = 0;
  FVec dz(3, 0.0f);
  vgl::softmax_cross_entropy(dz.data(), nullptr, z.data(), &label, 1, 3, 1.0f);
  const double other = std::exp(-20.0) / (1.0 + 2.0 * std::exp(-20.0));
  CHECK_NEAR(dz[0], -2.0 * other, 1e-6 * 2.0 * other);
  CHECK_NEAR(dz[1], other, 1e-6 * other);
}

TEST(bce_with_logits_is_stable_for_huge_logits_and_counts_correct) {
  const FVec z = {100.0f, -100.0f, 100.0f, -0.5f};
  const FVec y = {1.0f, 0.0f, 0.0f, 1.0f};
  FVec dz(4, 0.0f);
  int64_t correct = -1;
  const double L = vgl::bce_with_logits(dz.data(), &correct, z.data(), y.data(), 4, 1.0f);
  const double last = std::log1p(std::exp(0.5));  // -log sigmoid(-0.5)
  CHECK_NEAR(L, (0.0 + 0.0 + 100.0 + last) / 4.0, 1e-9);
  CHECK_EQ(correct, int64_t{2});
  CHECK_NEAR(dz[0], 0.0, 1e-12);
  CHECK_NEAR(dz[2], 0.25, 1e-7);
}

TEST(mse_of_nothing_is_zero) {
  CHECK_EQ(vgl::mse_loss(nullptr, nullptr, nullptr, 0, 1.0f), 0.0);
}
