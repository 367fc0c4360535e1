#include "core/trace/node_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/kernels.h"

namespace vgl {

namespace {

constexpr float kSaturationBand = 1e-2f;

float fraction_near_bounds(const float* y, int64_t n, float lo, float hi) {
  const float low = lo + kSaturationBand, high = hi - kSaturationBand;
  int64_t count = 0;
  // int32 partial counts over blocks let the compiler vectorise the comparisons.
  for (int64_t start = 0; start < n; start += 1 << 20) {
    const int64_t end = std::min(n, start + (int64_t{1} << 20));
    int32_t block = 0;
    // The two comparisons exclude each other (low < high), so their sum counts either.
    for (int64_t i = start; i < end; ++i) block += (y[i] <= low ? 1 : 0) + (y[i] >= high ? 1 : 0);
    count += block;
  }
  return n ? static_cast<float>(count) / static_cast<float>(n) : 0.0f;
}

float dead_unit_fraction(const float* x, int64_t B, int64_t F) {
  if (F == 0) return 0.0f;
  // alive[f] becomes 1 once any row has x > 0; row-major scan keeps memory access linear.
  std::vector<unsigned char> alive(static_cast<size_t>(F), 0);
  for (int64_t b = 0; b < B; ++b) {
    const float* row = x + b * F;
    for (int64_t f = 0; f < F; ++f) alive[f] |= row[f] > 0.0f;
  }
  int64_t dead = 0;
  for (int64_t f = 0; f < F; ++f) dead += !alive[f];
  return static_cast<float>(dead) / static_cast<float>(F);
}

}  // namespace

NodeStats node_output_stats(const PlanNode& node, const float* y, const float* x, int64_t B, int64_t F) {
  NodeStats s;
  const int64_t n = B * F;
  double sum = 0, sum_sq = 0;
  kernels().moments(y, n, &sum, &sum_sq);
  if (n > 0) {
    const double mean = sum / static_cast<double>(n);
    const double var = std::max(0.0, sum_sq / static_cast<double>(n) - mean * mean);
    s.mean = static_cast<float>(mean);
    s.std = static_cast<float>(std::sqrt(var));
  }
  s.saturated = std::numeric_limits<float>::quiet_NaN();
  if (node.kind == OpKind::Activation) {
    switch (node.act) {
      case Act::Sigmoid: s.saturated = fraction_near_bounds(y, n, 0.0f, 1.0f); break;
      case Act::Tanh: s.saturated = fraction_near_bounds(y, n, -1.0f, 1.0f); break;
      case Act::Relu:
      case Act::LeakyRelu:
      case Act::Elu: s.saturated = dead_unit_fraction(x, B, F); break;
      default: break;
    }
  }
  return s;
}

}  // namespace vgl
