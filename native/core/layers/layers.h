// Forward/backward pairs of every feed-forward layer and loss, as plain functions
// over raw row-major float arrays with their shapes (as in llm.c). The graph plan
// (graph/) owns the buffers and calls these; nothing here allocates per call.
//
// Conventions:
//   * B is the number of rows (batch, or batch * time for per-timestep layers).
//   * Every backward ACCUMULATES (+=) into its gradient outputs; the training step
//     zeroes gradients once. A null gradient pointer means "not needed", skip it.
//   * Shapes are given beside each pointer.
#pragma once

#include <cstdint>

#include "core/kernels/kernels.h"

namespace vgl {

// ---- dense: y = x W^T + b -------------------------------------------------------
// y (B,OUT), x (B,IN), w (OUT,IN), b (OUT) or null
void dense_forward(float* y, const float* x, const float* w, const float* b, int64_t B, int64_t IN,
                   int64_t OUT);
// dx (B,IN) or null, dw (OUT,IN), db (OUT) or null, dy (B,OUT), x (B,IN), w (OUT,IN)
void dense_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                    int64_t B, int64_t IN, int64_t OUT);

// ---- element-wise activations (thin wrappers over kernels()) ---------------------
// y (n), x (n); p = slope or alpha
void activation_forward(Act act, float* y, const float* x, int64_t n, float p);
// dx (n) += dy * f'(x); x and y from the forward
void activation_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n,
                         float p);

// ---- batch normalisation over the batch axis (BatchNorm1d) ----------------------
// Training mode: statistics from this batch (biased variance for normalising);
// running_mean/var (F) updated in place with momentum m, the variance update
// unbiased (x B/(B-1)) as PyTorch does. mean, invstd (F) are saved for backward.
// y (B,F), x (B,F), gamma, beta (F)
void batchnorm_forward_train(float* y, float* mean, float* invstd, float* running_mean, float* running_var,
                             const float* x, const float* gamma, const float* beta, int64_t B, int64_t F,
                             float eps, float momentum);
// Evaluation mode: normalise with the running statistics.
void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t B, int64_t F,
                            float eps);
// Full batch-statistics gradient (through mean and var).
// dx (B,F) or null, dgamma, dbeta (F), dy (B,F), x (B,F), mean, invstd (F), gamma (F)
void batchnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                        const float* mean, const float* invstd, const float* gamma, int64_t B, int64_t F);

// Evaluation-mode gradient (running statistics are constants): dx += dy * gamma / sqrt(running_var + eps).
// Used for Jacobians at the current weights. dx (B,F), dy (B,F), gamma, running_var (F)
void batchnorm_backward_eval(float* dx, const float* dy, const float* gamma, const float* running_var, int64_t B,
                             int64_t F, float eps);

// ---- layer normalisation over the feature axis ----------------------------------
// y (B,F), mean, invstd (B) saved for backward, x (B,F), gamma, beta (F)
void layernorm_forward(float* y, float* mean, float* invstd, const float* x, const float* gamma,
                       const float* beta, int64_t B, int64_t F, float eps);
// dx (B,F) or null, dgamma, dbeta (F), dy (B,F), x (B,F), mean, invstd (B), gamma (F)
void layernorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                        const float* mean, const float* invstd, const float* gamma, int64_t B, int64_t F);

// ---- dropout (inverted: kept units scaled by 1/(1-p)) ----------------------------
// y (n), mask (n) holds 0 or 1/(1-p), x (n). `seed` and `stream` make the mask a pure
// function of (seed, stream, i): same seed, same mask, whatever the thread count.
void dropout_forward(float* y, float* mask, const float* x, int64_t n, float p, uint64_t seed,
                     uint64_t stream);
// dx (n) += dy * mask
void dropout_backward(float* dx, const float* dy, const float* mask, int64_t n);

// ---- residual join: y = a + b ---------------------------------------------------
void add_forward(float* y, const float* a, const float* b, int64_t n);
// da += dy, db += dy (either may be null)
void add_backward(float* da, float* db, const float* dy, int64_t n);

// ---- losses (mean reduction) ----------------------------------------------------
// Each returns the loss (double) and ACCUMULATES dL/dz into dz (scaled by `grad_scale`,
// normally 1). `correct` (may be null) receives the number of right predictions.

// z (B,C) logits, labels (B) in [0,C). L = mean_b (logsumexp(z_b) - z_b[label_b]).
double softmax_cross_entropy(float* dz, int64_t* correct, const float* z, const int32_t* labels, int64_t B,
                             int64_t C, float grad_scale);
// z, y (n). L = mean over all n of (z - y)^2.
double mse_loss(float* dz, const float* z, const float* y, int64_t n, float grad_scale);
// z, y (n), y in {0,1}. L = mean of max(z,0) - z y + log1p(exp(-|z|)).
// `correct` counts (z > 0) == (y > 0.5).
double bce_with_logits(float* dz, int64_t* correct, const float* z, const float* y, int64_t n,
                       float grad_scale);

}  // namespace vgl
