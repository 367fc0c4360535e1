#include "core/trace/recurrent_stats.h"

#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/kernels.h"
#include "core/layers/clones.h"

namespace vgl {

// Rows of H are short (64-256): a plain loop the compiler vectorises (per ISA through
// VGL_CLONES) beats a kernel call per (b, t) row. Float partial sums per row, double across rows.
VGL_CLONES void timestep_grad_norms(const float* dh, int64_t B, int64_t T, int64_t H, double* out) {
  for (int64_t t = 0; t < T; ++t) out[t] = 0.0;
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t t = 0; t < T; ++t) {
      const float* row = dh + (b * T + t) * H;
      // 16 independent partial sums: the compiler may vectorise these without reassociating.
      float acc[16] = {};
      int64_t j = 0;
      for (; j + 16 <= H; j += 16)
        for (int l = 0; l < 16; ++l) acc[l] += row[j + l] * row[j + l];
      double sum = 0.0;
      for (float a : acc) sum += a;
      for (; j < H; ++j) sum += static_cast<double>(row[j]) * row[j];
      out[t] += sum;
    }
  }
  for (int64_t t = 0; t < T; ++t) out[t] = std::sqrt(out[t]);
}

int64_t reported_gates(CellKind cell) {
  switch (cell) {
    case CellKind::Lstm: return 4;
    case CellKind::Gru: return 3;
    case CellKind::Rnn: return 0;
  }
  return 0;
}

VGL_CLONES void gate_saturation(const RecurrentShape& s, const float* gates, float* out) {
  const int64_t G = reported_gates(s.cell);
  if (G == 0 || !gates) return;
  // The tanh-activated candidate: LSTM's g (row block 2), GRU's n (row block 2).
  const int64_t tanh_gate = 2;
  constexpr float band = 1e-2f;
  const int64_t rows = s.B * s.T, GH = G * s.H;
  // Per-column counts accumulated down the rows (vertical adds vectorise without any
  // horizontal reduction per row), summed per gate at the end. The two comparisons
  // exclude each other (lo < hi), so their sum is the saturation indicator.
  const int64_t H = s.H;
  std::vector<int32_t> counts(static_cast<size_t>(GH), 0);
  const float hi = 1.0f - band;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t g = 0; g < G; ++g) {
      const float lo = g == tanh_gate ? -1.0f + band : band;
      const float* a = gates + r * GH + g * H;
      int32_t* cnt = counts.data() + g * H;
      for (int64_t j = 0; j < H; ++j) cnt[j] += (a[j] <= lo ? 1 : 0) + (a[j] >= hi ? 1 : 0);
    }
  }
  for (int64_t g = 0; g < G; ++g) {
    int64_t total = 0;
    for (int64_t j = 0; j < s.H; ++j) total += counts[g * s.H + j];
    out[g] = rows * s.H > 0 ? static_cast<float>(total) / static_cast<float>(rows * s.H) : 0.0f;
  }
}

float final_cell_norm(const RecurrentShape& s, const float* cells) {
  if (s.cell != CellKind::Lstm || !cells) return std::numeric_limits<float>::quiet_NaN();
  double sum = 0.0;
  for (int64_t b = 0; b < s.B; ++b) sum += kernels().sum_squares(cells + (b * s.T + s.T - 1) * s.H, s.H);
  return static_cast<float>(std::sqrt(sum));
}

}  // namespace vgl
