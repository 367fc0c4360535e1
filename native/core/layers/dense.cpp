// Fully connected layer, y = x W^T + b, on top of the dispatched sgemm. Every
// product is a single sgemm call whose Trans flags read W, x and dy in place, so
// no transposed copy is ever made and nothing is allocated per call.
#include <cstring>

#include "core/layers/clones.h"
#include "core/layers/layers.h"

namespace vgl {

// y (B,OUT) = x (B,IN) W^T (IN,OUT) [+ b (OUT) broadcast over rows].
void dense_forward(float* y, const float* x, const float* w, const float* b, int64_t B, int64_t IN,
                   int64_t OUT) {
  if (B <= 0 || OUT <= 0) return;
  float beta = 0.0f;
  if (b) {
    // Seed every row with the bias and let sgemm add the product (beta = 1): one
    // pass over y instead of a product pass followed by a bias pass.
    for (int64_t r = 0; r < B; ++r) std::memcpy(y + r * OUT, b, static_cast<size_t>(OUT) * sizeof(float));
    beta = 1.0f;
  }
  // op(A) = x [B,IN]; op(B) = W^T, W stored [OUT,IN] so Trans::Yes with ldb = IN.
  kernels().sgemm(Trans::No, Trans::Yes, B, OUT, IN, 1.0f, x, IN, w, IN, beta, y, OUT);
}

// dx (B,IN) += dy W; dw (OUT,IN) += dy^T x; db (OUT) += column sums of dy.
VGL_CLONES void dense_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                    int64_t B, int64_t IN, int64_t OUT) {
  if (B <= 0) return;
  const KernelTable& k = kernels();
  // dx: op(A) = dy [B,OUT], op(B) = W [OUT,IN] as stored.
  if (dx) k.sgemm(Trans::No, Trans::No, B, IN, OUT, 1.0f, dy, OUT, w, IN, 1.0f, dx, IN);
  // dw: op(A) = dy^T [OUT,B] read from dy stored [B,OUT]; op(B) = x [B,IN].
  if (dw) k.sgemm(Trans::Yes, Trans::No, OUT, IN, B, 1.0f, dy, OUT, x, IN, 1.0f, dw, IN);
  if (db) {
    // Row by row so the inner loop runs along contiguous memory and vectorises.
    for (int64_t r = 0; r < B; ++r) {
      const float* dyr = dy + r * OUT;
      for (int64_t j = 0; j < OUT; ++j) db[j] += dyr[j];
    }
  }
}

}  // namespace vgl
