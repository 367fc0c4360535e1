// Batch normalisation over the batch axis (BatchNorm1d) for (B,F) row-major data.
//
// Statistics are per feature, i.e. column sums. Features are walked in blocks of
// kBlock whose double accumulators live on the stack: the inner loop then runs
// along a contiguous row segment (it vectorises), a block's rows stay in cache
// between its two passes, and nothing is allocated per call.
//
// One pass gathers sum x and sum x^2 in double; for float inputs the double sums
// leave ~29 spare bits, so E[x^2] - E[x]^2 does not suffer the cancellation it
// would in float. The second pass writes the output.
#include <algorithm>
#include <cmath>

#include "core/layers/clones.h"
#include "core/layers/layers.h"

namespace vgl {

namespace {
constexpr int64_t kBlock = 64;
}  // namespace

// y (B,F); mean, invstd (F) saved for backward; running_mean, running_var (F)
// updated in place; x (B,F); gamma, beta (F).
VGL_CLONES void batchnorm_forward_train(float* y, float* mean, float* invstd, float* running_mean, float* running_var,
                             const float* x, const float* gamma, const float* beta, int64_t B, int64_t F,
                             float eps, float momentum) {
  if (B <= 0 || F <= 0) return;  // no statistics to take; running stats stay as they were
  const double inv_b = 1.0 / static_cast<double>(B);
  // PyTorch feeds the unbiased variance into the running estimate. With one row that
  // would divide by zero (PyTorch refuses B == 1 in training); we use the biased
  // variance (0) instead so a single-sample step still trains and stays finite.
  const double unbias = B > 1 ? static_cast<double>(B) / static_cast<double>(B - 1) : 1.0;
  const double m = momentum;

  for (int64_t f0 = 0; f0 < F; f0 += kBlock) {
    const int64_t nf = std::min(kBlock, F - f0);
    double sum[kBlock] = {};
    double sum_sq[kBlock] = {};
    for (int64_t r = 0; r < B; ++r) {
      const float* xr = x + r * F + f0;
      for (int64_t j = 0; j < nf; ++j) {
        const double v = xr[j];
        sum[j] += v;
        sum_sq[j] += v * v;
      }
    }

    float mu[kBlock];
    float scale[kBlock];  // gamma * invstd
    for (int64_t j = 0; j < nf; ++j) {
      const int64_t f = f0 + j;
      const double mean_d = sum[j] * inv_b;
      const double var = std::max(sum_sq[j] * inv_b - mean_d * mean_d, 0.0);  // biased
      const double is = 1.0 / std::sqrt(var + static_cast<double>(eps));
      mean[f] = static_cast<float>(mean_d);
      invstd[f] = static_cast<float>(is);
      mu[j] = static_cast<float>(mean_d);
      scale[j] = static_cast<float>(static_cast<double>(gamma[f]) * is);
      if (running_mean) {
        running_mean[f] = static_cast<float>((1.0 - m) * running_mean[f] + m * mean_d);
      }
      if (running_var) {
        running_var[f] = static_cast<float>((1.0 - m) * running_var[f] + m * var * unbias);
      }
    }

    // (x - mean) * scale rather than x * scale + shift: the latter loses digits when
    // |mean| is large relative to the spread.
    const float* bt = beta + f0;
    for (int64_t r = 0; r < B; ++r) {
      const float* xr = x + r * F + f0;
      float* yr = y + r * F + f0;
      for (int64_t j = 0; j < nf; ++j) yr[j] = (xr[j] - mu[j]) * scale[j] + bt[j];
    }
  }
}

// y (B,F) from x (B,F) with the running statistics (F); gamma, beta (F).
VGL_CLONES void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t B, int64_t F,
                            float eps) {
  if (B <= 0 || F <= 0) return;
  for (int64_t f0 = 0; f0 < F; f0 += kBlock) {
    const int64_t nf = std::min(kBlock, F - f0);
    float scale[kBlock];
    for (int64_t j = 0; j < nf; ++j) {
      const int64_t f = f0 + j;
      const double is = 1.0 / std::sqrt(static_cast<double>(running_var[f]) + static_cast<double>(eps));
      scale[j] = static_cast<float>(static_cast<double>(gamma[f]) * is);
    }
    const float* mu = running_mean + f0;
    const float* bt = beta + f0;
    for (int64_t r = 0; r < B; ++r) {
      const float* xr = x + r * F + f0;
      float* yr = y + r * F + f0;
      for (int64_t j = 0; j < nf; ++j) yr[j] = (xr[j] - mu[j]) * scale[j] + bt[j];
    }
  }
}

// Gradient through the batch statistics. With xhat = (x - mean) * invstd:
//   dbeta  += sum_b dy
//   dgamma += sum_b dy * xhat
//   dx     += gamma * invstd / B * (B dy - sum_b dy - xhat * sum_b dy xhat)
// dx (B,F) or null, dgamma, dbeta (F) or null, dy (B,F), x (B,F), mean, invstd (F),
// gamma (F).
VGL_CLONES void batchnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                        const float* mean, const float* invstd, const float* gamma, int64_t B, int64_t F) {
  if (B <= 0 || F <= 0) return;
  const double inv_b = 1.0 / static_cast<double>(B);
  for (int64_t f0 = 0; f0 < F; f0 += kBlock) {
    const int64_t nf = std::min(kBlock, F - f0);
    const float* mu = mean + f0;
    // sum dy and sum dy (x - mean); invstd is applied once per feature afterwards.
    double sum_dy[kBlock] = {};
    double sum_dy_xc[kBlock] = {};
    for (int64_t r = 0; r < B; ++r) {
      const float* xr = x + r * F + f0;
      const float* dyr = dy + r * F + f0;
      for (int64_t j = 0; j < nf; ++j) {
        const double g = dyr[j];
        sum_dy[j] += g;
        sum_dy_xc[j] += g * static_cast<double>(xr[j] - mu[j]);
      }
    }

    float k[kBlock];   // gamma * invstd
    float c1[kBlock];  // mean of dy
    float c2[kBlock];  // invstd^2 * mean of dy (x - mean), so xhat * sum(dy xhat)/B = (x - mean) * c2
    for (int64_t j = 0; j < nf; ++j) {
      const int64_t f = f0 + j;
      const double is = invstd[f];
      const double sum_dy_xhat = sum_dy_xc[j] * is;
      if (dbeta) dbeta[f] += static_cast<float>(sum_dy[j]);
      if (dgamma) dgamma[f] += static_cast<float>(sum_dy_xhat);
      k[j] = static_cast<float>(static_cast<double>(gamma[f]) * is);
      c1[j] = static_cast<float>(sum_dy[j] * inv_b);
      c2[j] = static_cast<float>(sum_dy_xhat * is * inv_b);
    }

    if (!dx) continue;
    for (int64_t r = 0; r < B; ++r) {
      const float* xr = x + r * F + f0;
      const float* dyr = dy + r * F + f0;
      float* dxr = dx + r * F + f0;
      for (int64_t j = 0; j < nf; ++j) dxr[j] += k[j] * (dyr[j] - c1[j] - (xr[j] - mu[j]) * c2[j]);
    }
  }
}

void batchnorm_backward_eval(float* dx, const float* dy, const float* gamma, const float* running_var, int64_t B,
                             int64_t F, float eps) {
  if (!dx || B <= 0 || F <= 0) return;
  for (int64_t b = 0; b < B; ++b) {
    const float* dyr = dy + b * F;
    float* dxr = dx + b * F;
    for (int64_t f = 0; f < F; ++f) dxr[f] += dyr[f] * gamma[f] / std::sqrt(running_var[f] + eps);
  }
}

}  // namespace vgl
