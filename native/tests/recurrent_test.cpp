// Specification of the recurrent layers (core/layers/recurrent.h): rnn (tanh, relu),
// lstm and gru over whole sequences, in PyTorch's equations and layouts.
//
// A double-precision reference forward, written here step by step from the
// equations in recurrent.h, is the specification:
//   (a) the engine's float forward agrees with it: every h_t, and through the cache
//       views the lstm's c_t and the gate activations;
//   (b) every output of the engine's float backward agrees with central finite
//       differences of the DOUBLE reference through L = sum_t sum r_t * h_t with a
//       fixed random r (so the consumers' dL/dh_t = r_t, passed in dh_all). The
//       total dL/dh_t left in dh_all is checked by perturbing h_t inside the
//       reference's time loop, which moves L through h_{t+1} (and c_{t+1}) too.
// ReLU pre-activations are kept at least kReluMargin from the kink, far beyond what
// a finite-difference step or float rounding can move them.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "test_rng.h"
#include "core/layers/recurrent.h"

namespace {

using vgl::Act;
using vgl::CellKind;
using vgl::RecurrentShape;
using Vec = std::vector<double>;
using FVec = std::vector<float>;

constexpr double kFdStep = 1e-6;
constexpr double kGradRtol = 1e-3;
constexpr double kGradFloor = 1e-4;  // times the largest expected magnitude of the tensor
constexpr double kForwardTol = 2e-5;
constexpr double kReluMargin = 1e-4;

using vgl_test::Rng;

// Values drawn in double and rounded to float once: the engine and the reference
// then hold exactly the same numbers.
FVec random_floats(Rng& rng, int64_t n, double lo, double hi) {
  FVec v(static_cast<size_t>(n));
  for (float& x : v) x = static_cast<float>(rng.uniform(lo, hi));
  return v;
}

Vec to_double(const FVec& v) { return Vec(v.begin(), v.end()); }

std::string describe(const RecurrentShape& s) {
  const char* cell = s.cell == CellKind::Lstm ? "lstm" : s.cell == CellKind::Gru ? "gru"
                     : s.rnn_act == Act::Relu ? "rnn-relu" : "rnn-tanh";
  return std::string(cell) + " B=" + std::to_string(s.B) + " T=" + std::to_string(s.T) +
         " I=" + std::to_string(s.I) + " H=" + std::to_string(s.H);
}

// ---- the double reference -----------------------------------------------------

// Index 0..4 of a parameter tensor or the input, in the order they are listed here.
enum Tensor { kX = 0, kWih, kWhh, kBih, kBhh, kTensors };
const char* const kTensorNames[kTensors] = {"dx", "dw_ih", "dw_hh", "db_ih", "db_hh"};

struct Problem {
  RecurrentShape s;
  FVec t[kTensors];  // x (B,T,I), w_ih (GH,I), w_hh (GH,H), b_ih, b_hh (GH)
  FVec r;            // (B,T,H): dL/dh_t from the consumers
};

struct Reference {
  Vec h, c, gates;               // (B,T,H), (B,T,H) lstm only, (B,T,GH) post-activation
  double loss = 0;               // sum r * h
  double min_abs_preact = 1e300;  // over every phi input of the rnn
};

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// Runs the sequence; when `bump_index` >= 0, h at that (B,T,H) index gets `bump` added
// right after it is computed, before the next step and the loss read it.
Reference reference_forward(const RecurrentShape& s, const Vec (&p)[kTensors], const Vec& r,
                            int64_t bump_index = -1, double bump = 0.0) {
  const int64_t B = s.B, T = s.T, I = s.I, H = s.H, G = s.gates(), GH = G * H;
  const Vec &x = p[kX], &w_ih = p[kWih], &w_hh = p[kWhh], &b_ih = p[kBih], &b_hh = p[kBhh];
  Reference out;
  out.h.assign(static_cast<size_t>(B * T * H), 0.0);
  out.c.assign(static_cast<size_t>(B * T * H), 0.0);
  out.gates.assign(static_cast<size_t>(B * T * GH), 0.0);
  Vec ai(GH), ah(GH), hp(H), cp(H);
  for (int64_t b = 0; b < B; ++b) {
    std::fill(hp.begin(), hp.end(), 0.0);
    std::fill(cp.begin(), cp.end(), 0.0);
    for (int64_t t = 0; t < T; ++t) {
      const int64_t row = b * T + t;
      for (int64_t g = 0; g < GH; ++g) {
        double si = b_ih[g], sh = b_hh[g];
        for (int64_t i = 0; i < I; ++i) si += w_ih[g * I + i] * x[row * I + i];
        for (int64_t j = 0; j < H; ++j) sh += w_hh[g * H + j] * hp[j];
        ai[g] = si;
        ah[g] = sh;
      }
      double* h = &out.h[row * H];
      double* gate = &out.gates[row * GH];
      for (int64_t j = 0; j < H; ++j) {
        if (s.cell == CellKind::Rnn) {
          const double a = ai[j] + ah[j];
          out.min_abs_preact = std::min(out.min_abs_preact, std::fabs(a));
          h[j] = s.rnn_act == Act::Relu ? std::max(a, 0.0) : std::tanh(a);
        } else if (s.cell == CellKind::Lstm) {
          const double i = sigmoid(ai[j] + ah[j]), f = sigmoid(ai[H + j] + ah[H + j]);
          const double g = std::tanh(ai[2 * H + j] + ah[2 * H + j]), o = sigmoid(ai[3 * H + j] + ah[3 * H + j]);
          const double c = f * cp[j] + i * g;
          out.c[row * H + j] = c;
          h[j] = o * std::tanh(c);
          gate[j] = i, gate[H + j] = f, gate[2 * H + j] = g, gate[3 * H + j] = o;
        } else {
          const double rg = sigmoid(ai[j] + ah[j]), z = sigmoid(ai[H + j] + ah[H + j]);
          const double n = std::tanh(ai[2 * H + j] + rg * ah[2 * H + j]);
          h[j] = (1.0 - z) * n + z * hp[j];
          gate[j] = rg, gate[H + j] = z, gate[2 * H + j] = n;
        }
      }
      if (bump_index >= row * H && bump_index < (row + 1) * H) out.h[bump_index] += bump;
      for (int64_t j = 0; j < H; ++j) {
        hp[j] = h[j];
        cp[j] = out.c[row * H + j];
        out.loss += r[row * H + j] * h[j];
      }
    }
  }
  return out;
}

// A problem with PyTorch-like scales. For relu, seeds are drawn until every
// pre-activation is kReluMargin away from 0 (deterministic: the first that works).
Problem make_problem(CellKind cell, Act act, int64_t B, int64_t T, int64_t I, int64_t H, uint64_t seed) {
  Problem pr;
  pr.s.cell = cell;
  pr.s.rnn_act = act;
  pr.s.B = B, pr.s.T = T, pr.s.I = I, pr.s.H = H;
  const int64_t GH = pr.s.gates() * H;
  for (uint64_t attempt = 0; attempt < 1000; ++attempt) {
    Rng rng{seed * 7919 + attempt};
    pr.t[kX] = random_floats(rng, B * T * I, -1.0, 1.0);
    pr.t[kWih] = random_floats(rng, GH * I, -0.6, 0.6);
    pr.t[kWhh] = random_floats(rng, GH * H, -0.5, 0.5);
    pr.t[kBih] = random_floats(rng, GH, -0.3, 0.3);
    pr.t[kBhh] = random_floats(rng, GH, -0.3, 0.3);
    pr.r = random_floats(rng, B * T * H, -1.0, 1.0);
    if (cell != CellKind::Rnn || act != Act::Relu) return pr;
    Vec p[kTensors];
    for (int k = 0; k < kTensors; ++k) p[k] = to_double(pr.t[k]);
    if (reference_forward(pr.s, p, to_double(pr.r)).min_abs_preact >= kReluMargin) return pr;
  }
  ::vgl_test::fail(__FILE__, __LINE__, "no relu problem clear of the kink for " + describe(pr.s));
  return pr;
}

// ---- the engine ---------------------------------------------------------------

struct Engine {
  FVec h, cache;
  FVec grad[kTensors];  // dx, dw_ih, dw_hh, db_ih, db_hh
  FVec dh;              // total dL/dh_t after backward
  FVec scratch;
};

// Cache and scratch start as NaN, so a read of anything not written shows up.
Engine engine_forward(const Problem& pr) {
  const RecurrentShape& s = pr.s;
  Engine e;
  e.h.assign(static_cast<size_t>(s.B * s.T * s.H), std::numeric_limits<float>::quiet_NaN());
  e.cache.assign(static_cast<size_t>(vgl::recurrent_cache_size(s)), std::numeric_limits<float>::quiet_NaN());
  vgl::recurrent_forward(s, e.h.data(), e.cache.data(), pr.t[kX].data(), pr.t[kWih].data(), pr.t[kWhh].data(),
                         pr.t[kBih].data(), pr.t[kBhh].data());
  for (int k = 0; k < kTensors; ++k) e.grad[k].assign(pr.t[k].size(), 0.0f);
  e.scratch.assign(static_cast<size_t>(vgl::recurrent_scratch_size(s)), std::numeric_limits<float>::quiet_NaN());
  return e;
}

// One backward call with dh_all = r; accumulates into e.grad (dx skipped when !with_dx).
void engine_backward(const Problem& pr, Engine& e, bool with_dx = true) {
  e.dh = pr.r;
  vgl::recurrent_backward(pr.s, with_dx ? e.grad[kX].data() : nullptr, e.grad[kWih].data(), e.grad[kWhh].data(),
                          e.grad[kBih].data(), e.grad[kBhh].data(), e.dh.data(), e.scratch.data(), e.cache.data(),
                          pr.t[kX].data(), e.h.data(), pr.t[kWih].data(), pr.t[kWhh].data());
}

// ---- comparisons --------------------------------------------------------------

// |got - want| <= rtol |want| + floor * max|want| (+ 1e-9 for all-zero tensors), at
// the given indices (all when `at` is empty).
void expect_close(const std::string& what, const FVec& got, const Vec& want, double rtol, double floor,
                  const std::vector<size_t>& at = {}) {
  std::vector<size_t> idx = at;
  if (idx.empty()) {
    for (size_t i = 0; i < want.size(); ++i) idx.push_back(i);
  }
  double wmax = 0.0;
  for (size_t i : idx) wmax = std::max(wmax, std::fabs(want[i]));
  int shown = 0;
  for (size_t i : idx) {
    const double tol = rtol * std::fabs(want[i]) + floor * wmax + 1e-9;
    const double diff = std::fabs(static_cast<double>(got[i]) - want[i]);
    if (!(diff <= tol) && shown++ < 3) {
      ::vgl_test::fail(__FILE__, __LINE__,
                       what + "[" + std::to_string(i) + "]: got " + std::to_string(got[i]) + " want " +
                           std::to_string(want[i]) + " (tol " + std::to_string(tol) + ")");
    }
  }
}

// Indices to check: all, or `limit` spread over the tensor (first and last included).
std::vector<size_t> sample(size_t n, size_t limit) {
  std::vector<size_t> idx;
  if (n <= limit) {
    for (size_t i = 0; i < n; ++i) idx.push_back(i);
    return idx;
  }
  for (size_t k = 0; k < limit; ++k) idx.push_back(k * (n - 1) / (limit - 1));
  return idx;
}

// Forward against the reference: h, and the cache views.
void check_forward(const Problem& pr) {
  const RecurrentShape& s = pr.s;
  const std::string name = describe(s);
  Vec p[kTensors];
  for (int k = 0; k < kTensors; ++k) p[k] = to_double(pr.t[k]);
  const Reference ref = reference_forward(s, p, to_double(pr.r));
  const Engine e = engine_forward(pr);
  expect_close(name + " h", e.h, ref.h, 0.0, kForwardTol);
  const float* gates = vgl::recurrent_gate_activations(s, e.cache.data());
  const float* cells = vgl::recurrent_cell_states(s, e.cache.data());
  if (s.cell == CellKind::Rnn) {
    CHECK(gates == nullptr);
  } else {
    CHECK(gates != nullptr);
    if (gates) expect_close(name + " gates", FVec(gates, gates + ref.gates.size()), ref.gates, 0.0, kForwardTol);
  }
  if (s.cell == CellKind::Lstm) {
    CHECK(cells != nullptr);
    if (cells) expect_close(name + " c", FVec(cells, cells + ref.c.size()), ref.c, 0.0, kForwardTol);
  } else {
    CHECK(cells == nullptr);
  }
}

// Backward against central differences of the reference, checking at most
// `limit` entries per tensor.
void check_backward(const Problem& pr, size_t limit) {
  const RecurrentShape& s = pr.s;
  const std::string name = describe(s);
  Vec p[kTensors];
  for (int k = 0; k < kTensors; ++k) p[k] = to_double(pr.t[k]);
  const Vec r = to_double(pr.r);
  Engine e = engine_forward(pr);
  engine_backward(pr, e);

  for (int k = 0; k < kTensors; ++k) {
    const std::vector<size_t> idx = sample(p[k].size(), limit);
    Vec want(p[k].size(), 0.0);
    for (size_t i : idx) {
      const double v = p[k][i];
      p[k][i] = v + kFdStep;
      const double up = reference_forward(s, p, r).loss;
      p[k][i] = v - kFdStep;
      const double down = reference_forward(s, p, r).loss;
      p[k][i] = v;
      want[i] = (up - down) / (2 * kFdStep);
    }
    expect_close(name + " " + kTensorNames[k], e.grad[k], want, kGradRtol, kGradFloor, idx);
  }
  // The total dL/dh_t: perturb h_t inside the loop.
  const std::vector<size_t> idx = sample(r.size(), limit);
  Vec want(r.size(), 0.0);
  for (size_t i : idx) {
    const int64_t at = static_cast<int64_t>(i);
    const double up = reference_forward(s, p, r, at, kFdStep).loss;
    const double down = reference_forward(s, p, r, at, -kFdStep).loss;
    want[i] = (up - down) / (2 * kFdStep);
  }
  expect_close(name + " total dh", e.dh, want, kGradRtol, kGradFloor, idx);
}

struct Config {
  CellKind cell;
  Act act;
};
const Config kCells[] = {
    {CellKind::Rnn, Act::Tanh}, {CellKind::Rnn, Act::Relu}, {CellKind::Lstm, Act::Tanh}, {CellKind::Gru, Act::Tanh}};

// Awkward sizes: one step (the recurrence never runs), several steps, a single input.
struct Size {
  int64_t B, T, I, H;
};
const Size kSmall[] = {{3, 1, 5, 9}, {3, 7, 5, 9}, {2, 6, 1, 17}};
// Wider than one register tile in every direction (B past 14 rows, G*H past 32
// columns), checked at sampled entries only.
const Size kMedium = {17, 4, 3, 33};

}  // namespace

TEST(recurrent_forward_matches_reference_h_gates_and_cell_states) {
  uint64_t seed = 1;
  for (const Config& c : kCells) {
    for (const Size& z : kSmall) check_forward(make_problem(c.cell, c.act, z.B, z.T, z.I, z.H, seed++));
    check_forward(make_problem(c.cell, c.act, kMedium.B, kMedium.T, kMedium.I, kMedium.H, seed++));
  }
}

TEST(recurrent_backward_matches_finite_differences_including_total_dh_per_timestep) {
  uint64_t seed = 100;
  for (const Config& c : kCells) {
    for (const Size& z : kSmall) check_backward(make_problem(c.cell, c.act, z.B, z.T, z.I, z.H, seed++), 1 << 20);
  }
}

TEST(recurrent_backward_matches_finite_differences_past_one_register_tile) {
  uint64_t seed = 200;
  for (const Config& c : kCells) {
    check_backward(make_problem(c.cell, c.act, kMedium.B, kMedium.T, kMedium.I, kMedium.H, seed++), 24);
  }
}

TEST(recurrent_backward_accumulates_parameter_and_input_gradients) {
  uint64_t seed = 300;
  for (const Config& c : kCells) {
    const Problem pr = make_problem(c.cell, c.act, 3, 7, 5, 9, seed++);
    Engine once = engine_forward(pr);
    engine_backward(pr, once);
    Engine twice = engine_forward(pr);
    engine_backward(pr, twice);
    engine_backward(pr, twice);
    for (int k = 0; k < kTensors; ++k) {
      Vec doubled(once.grad[k].size());
      for (size_t i = 0; i < doubled.size(); ++i) doubled[i] = 2.0 * once.grad[k][i];
      expect_close(describe(pr.s) + " twice " + kTensorNames[k], twice.grad[k], doubled, 1e-6, 1e-7);
    }
    // dh_all is an input as well as an output: each call starts from r again.
    expect_close(describe(pr.s) + " dh on second call", twice.dh, to_double(once.dh), 0.0, 0.0);
  }
}

TEST(recurrent_backward_with_null_dx_skips_it_and_changes_nothing_else) {
  uint64_t seed = 400;
  for (const Config& c : kCells) {
    const Problem pr = make_problem(c.cell, c.act, 3, 7, 5, 9, seed++);
    Engine full = engine_forward(pr);
    engine_backward(pr, full);
    Engine no_dx = engine_forward(pr);
    engine_backward(pr, no_dx, false);
    for (float v : no_dx.grad[kX]) CHECK(v == 0.0f);
    for (int k = kWih; k < kTensors; ++k) {
      expect_close(describe(pr.s) + " without dx " + kTensorNames[k], no_dx.grad[k], to_double(full.grad[k]), 0.0,
                   0.0);
    }
    expect_close(describe(pr.s) + " without dx dh", no_dx.dh, to_double(full.dh), 0.0, 0.0);
  }
}

TEST(gru_bias_gradients_agree_on_r_z_rows_and_differ_on_n_rows) {
  const Problem pr = make_problem(CellKind::Gru, Act::Tanh, 3, 7, 5, 9, 500);
  Engine e = engine_forward(pr);
  engine_backward(pr, e);
  const int64_t H = pr.s.H;
  double n_rows_diff = 0.0;
  for (int64_t j = 0; j < 3 * H; ++j) {
    const float bi = e.grad[kBih][j], bh = e.grad[kBhh][j];
    if (j < 2 * H) {
      CHECK_NEAR(bi, bh, 1e-6 * (std::fabs(bi) + 1e-3));
    } else {
      n_rows_diff = std::max(n_rows_diff, static_cast<double>(std::fabs(bi - bh)));
    }
  }
  CHECK(n_rows_diff > 1e-3);  // b_hn sits inside the r product, b_in outside
}
