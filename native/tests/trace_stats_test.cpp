// The trace statistics of recurrent layers and of node outputs, on inputs whose
// answers are known.
#include <cmath>
#include <vector>

#include "check.h"
#include "core/trace/node_stats.h"
#include "core/trace/recurrent_stats.h"

using namespace vgl;

TEST(timestep_norms_are_per_timestep_over_the_batch) {
  const int64_t B = 3, T = 5, H = 37;  // H not a multiple of the vector width
  std::vector<float> dh(B * T * H);
  for (int64_t i = 0; i < B * T * H; ++i) dh[i] = std::sin(0.37 * i) * (1 + i % 7);
  std::vector<double> got(T);
  timestep_grad_norms(dh.data(), B, T, H, got.data());
  for (int64_t t = 0; t < T; ++t) {
    double want = 0;
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < H; ++j) want += double(dh[(b * T + t) * H + j]) * dh[(b * T + t) * H + j];
    CHECK_NEAR(got[t], std::sqrt(want), 1e-5 * std::sqrt(want));
  }
}

TEST(gate_saturation_counts_each_gate_against_its_bounds) {
  RecurrentShape s;
  s.cell = CellKind::Lstm;
  s.B = 2;
  s.T = 3;
  s.H = 5;
  const int64_t G = 4, rows = s.B * s.T;
  std::vector<float> gates(rows * G * s.H, 0.5f);  // nothing saturated
  // Row r, gate g, unit j sits at r*G*H + g*H + j.
  // Gate 0 (sigmoid): 3 values near 0 and 2 near 1. Gate 2 (tanh): 4 near -1, 1 at 0.005 (not saturated for tanh).
  const int64_t row = G * s.H;
  gates[0] = 0.001f, gates[row] = 0.0f, gates[2 * row + 4] = 0.009f;
  gates[row + 1] = 0.999f, gates[2 * row + 3] = 1.0f;
  for (int r = 0; r < 4; ++r) gates[r * row + 2 * s.H + r] = -0.995f;
  gates[5 * row + 2 * s.H] = 0.005f;
  std::vector<float> out(G);
  gate_saturation(s, gates.data(), out.data());
  // Count directly: gate 0 saturated entries / (rows * H).
  int g0 = 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < s.H; ++j) {
      const float a = gates[r * G * s.H + j];
      g0 += a <= 0.01f || a >= 0.99f;
    }
  CHECK_EQ(g0, 5);
  CHECK_NEAR(out[0], double(g0) / (rows * s.H), 1e-7);
  CHECK_NEAR(out[2], 4.0 / (rows * s.H), 1e-7);
  CHECK_NEAR(out[1], 0.0, 0.0);
  CHECK_NEAR(out[3], 0.0, 0.0);
}

TEST(final_cell_norm_reads_the_last_timestep_of_every_sample) {
  RecurrentShape s;
  s.cell = CellKind::Lstm;
  s.B = 2;
  s.T = 3;
  s.H = 2;
  std::vector<float> c(s.B * s.T * s.H, 100.0f);
  c[(0 * 3 + 2) * 2] = 3, c[(0 * 3 + 2) * 2 + 1] = 0, c[(1 * 3 + 2) * 2] = 0, c[(1 * 3 + 2) * 2 + 1] = 4;
  CHECK_NEAR(final_cell_norm(s, c.data()), 5.0, 1e-6);
  s.cell = CellKind::Gru;
  CHECK(std::isnan(final_cell_norm(s, c.data())));
}

TEST(sigmoid_saturation_and_dead_relu_units) {
  PlanNode sig;
  sig.kind = OpKind::Activation;
  sig.act = Act::Sigmoid;
  std::vector<float> y = {0.001f, 0.5f, 0.995f, 0.3f, 0.0099f, 0.0101f, 0.98f, 0.99f};
  CHECK_NEAR(node_output_stats(sig, y.data(), y.data(), 2, 4).saturated, 4.0 / 8, 1e-7);
  PlanNode relu = sig;
  relu.act = Act::Relu;
  // Column 1 is dead (never > 0 across the batch); column 0 and 2 are alive somewhere.
  std::vector<float> x = {1, -1, -2, -1, -3, 0.5f};
  std::vector<float> yr = {1, 0, 0, 0, 0, 0.5f};
  CHECK_NEAR(node_output_stats(relu, yr.data(), x.data(), 2, 3).saturated, 1.0 / 3, 1e-7);
}
