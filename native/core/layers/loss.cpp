// Losses with mean reduction, matching PyTorch's CrossEntropyLoss, MSELoss and
// BCEWithLogitsLoss. Each returns the loss as a double and adds grad_scale * dL/dz
// into dz (skipped when dz is null, e.g. for an evaluation pass). Per-element work
// is done in double so the reported loss is exact to the float input; a loss runs
// once per step over a (B,C) block that is small next to the layers' work.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/layers/layers.h"

namespace vgl {

namespace {
// exp dominates the cost of softmax cross-entropy; rows up to this many classes keep
// their exponentials on the stack so each is computed once instead of twice.
constexpr int64_t kCachedClasses = 256;
}  // namespace

// z (B,C) logits, labels (B) in [0,C). Per row, with m = max z:
//   logsumexp(z) = m + log sum exp(z - m)   (no overflow whatever the logits)
//   dL/dz = (softmax(z) - onehot(label)) / B
double softmax_cross_entropy(float* dz, int64_t* correct, const float* z, const int32_t* labels, int64_t B,
                             int64_t C, float grad_scale) {
  if (correct) *correct = 0;
  if (B <= 0) return 0.0;
  // Checked up front so a bad label never leaves dz half-updated.
  for (int64_t r = 0; r < B; ++r) {
    if (labels[r] < 0 || labels[r] >= C) {
      fail("class label " + std::to_string(labels[r]) + " at row " + std::to_string(r) +
           " is outside [0, " + std::to_string(C) + ")");
    }
  }
  const double inv_b = 1.0 / static_cast<double>(B);
  const double g = static_cast<double>(grad_scale) * inv_b;
  double total = 0.0;
  int64_t right = 0;
  double e[kCachedClasses];  // exp(z - m) of one row, when it fits
  for (int64_t r = 0; r < B; ++r) {
    const float* zr = z + r * C;
    const int32_t label = labels[r];
    int64_t arg = 0;
    for (int64_t c = 1; c < C; ++c) {
      if (zr[c] > zr[arg]) arg = c;  // first maximum wins ties
    }
    if (arg == label) ++right;
    const double m = zr[arg];
    double sum = 0.0;
    if (C <= kCachedClasses) {
      for (int64_t c = 0; c < C; ++c) sum += (e[c] = std::exp(static_cast<double>(zr[c]) - m));
    } else {
      for (int64_t c = 0; c < C; ++c) sum += std::exp(static_cast<double>(zr[c]) - m);
    }
    total += m + std::log(sum) - static_cast<double>(zr[label]);
    if (dz) {
      float* dzr = dz + r * C;
      const double scale = g / sum;
      for (int64_t c = 0; c < C; ++c) {
        const double ec = C <= kCachedClasses ? e[c] : std::exp(static_cast<double>(zr[c]) - m);
        // The one-hot is subtracted in double: when p is near 1 (a confident, right
        // prediction) p - 1 is small, and forming it in float would lose its digits.
        const double d = c == label ? scale * ec - g : scale * ec;
        dzr[c] += static_cast<float>(d);
      }
    }
  }
  if (correct) *correct = right;
  return total * inv_b;
}

// z, y (n). L = mean (z - y)^2, dL/dz = 2 (z - y) / n.
double mse_loss(float* dz, const float* z, const float* y, int64_t n, float grad_scale) {
  if (n <= 0) return 0.0;
  const double inv_n = 1.0 / static_cast<double>(n);
  const double g = 2.0 * static_cast<double>(grad_scale) * inv_n;
  double total = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(z[i]) - static_cast<double>(y[i]);
    total += d * d;
  }
  // A separate loop so the gradient (the hot part in training) vectorises.
  if (dz) {
    for (int64_t i = 0; i < n; ++i) dz[i] += static_cast<float>(g * (static_cast<double>(z[i]) - y[i]));
  }
  return total * inv_n;
}

// z, y (n). L = mean max(z,0) - z y + log1p(exp(-|z|)), the overflow-free form of
// -y log s(z) - (1-y) log(1 - s(z)); dL/dz = (s(z) - y) / n with s the sigmoid.
double bce_with_logits(float* dz, int64_t* correct, const float* z, const float* y, int64_t n,
                       float grad_scale) {
  if (correct) *correct = 0;
  if (n <= 0) return 0.0;
  const double inv_n = 1.0 / static_cast<double>(n);
  const double g = static_cast<double>(grad_scale) * inv_n;
  double total = 0.0;
  int64_t right = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double zi = z[i];
    const double yi = y[i];
    const double e = std::exp(-std::fabs(zi));  // in (0,1]: never overflows
    total += std::max(zi, 0.0) - zi * yi + std::log1p(e);
    if ((z[i] > 0.0f) == (y[i] > 0.5f)) ++right;
    if (dz) {
      const double s = zi >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      dz[i] += static_cast<float>(g * (s - yi));
    }
  }
  if (correct) *correct = right;
  return total * inv_n;
}

}  // namespace vgl
