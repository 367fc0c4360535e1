#include "core/trace/recurrent_stats.h"

#include <cmath>
#include <limits>

#include "core/kernels/kernels.h"

namespace vgl {

void timestep_grad_norms(const float* dh, int64_t B, int64_t T, int64_t H, double* out) {
  for (int64_t t = 0; t < T; ++t) out[t] = 0.0;
  const KernelTable& k = kernels();
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t) out[t] += k.sum_squares(dh + (b * T + t) * H, H);
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

void gate_saturation(const RecurrentShape& s, const float* gates, float* out) {
  const int64_t G = reported_gates(s.cell);
  if (G == 0 || !gates) return;
  // The tanh-activated candidate: LSTM's g (row block 2), GRU's n (row block 2).
  const int64_t tanh_gate = 2;
  constexpr float band = 1e-2f;
  const int64_t rows = s.B * s.T, H = s.H;
  for (int64_t g = 0; g < G; ++g) {
    const float lo = g == tanh_gate ? -1.0f + band : band;
    const float hi = 1.0f - band;
    int64_t count = 0;
    for (int64_t r = 0; r < rows; ++r) {
      const float* a = gates + r * G * H + g * H;
      int32_t c = 0;
      for (int64_t j = 0; j < H; ++j) c += static_cast<int32_t>(a[j] <= lo) | static_cast<int32_t>(a[j] >= hi);
      count += c;
    }
    out[g] = rows * H > 0 ? static_cast<float>(count) / static_cast<float>(rows * H) : 0.0f;
  }
}

float final_cell_norm(const RecurrentShape& s, const float* cells) {
  if (s.cell != CellKind::Lstm || !cells) return std::numeric_limits<float>::quiet_NaN();
  double sum = 0.0;
  for (int64_t b = 0; b < s.B; ++b) sum += kernels().sum_squares(cells + (b * s.T + s.T - 1) * s.H, s.H);
  return static_cast<float>(std::sqrt(sum));
}

}  // namespace vgl
