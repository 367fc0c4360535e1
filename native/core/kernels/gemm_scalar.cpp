// The specification of sgemm (see KernelTable::sgemm in kernels.h): plain loops, no
// intrinsics. It is also what runs on CPUs without AVX2 or NEON, so the loop order
// keeps the innermost loop walking memory contiguously.
#include "core/kernels/isa_functions.h"

namespace vgl {
namespace scalar {

void sgemm(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  // op(A)[i,p] and op(B)[p,j] whatever the storage.
  auto a_at = [&](int64_t i, int64_t p) { return ta == Trans::No ? A[i * lda + p] : A[p * lda + i]; };
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    // beta == 0 must overwrite, not multiply: 0 * NaN would keep the NaN.
    for (int64_t j = 0; j < N; ++j) c[j] = beta == 0.0f ? 0.0f : beta * c[j];
    if (tb == Trans::No) {
      // Row i of C accumulates alpha * op(A)[i,p] times row p of B: both contiguous in j.
      for (int64_t p = 0; p < K; ++p) {
        const float a = alpha * a_at(i, p);
        const float* b = B + p * ldb;
        for (int64_t j = 0; j < N; ++j) c[j] += a * b[j];
      }
    } else {
      // B is stored [N,ldb]: C[i,j] is a dot product with row j of B, contiguous in p.
      for (int64_t j = 0; j < N; ++j) {
        const float* b = B + j * ldb;
        float sum = 0.0f;
        for (int64_t p = 0; p < K; ++p) sum += a_at(i, p) * b[p];
        c[j] += alpha * sum;
      }
    }
  }
}

}  // namespace scalar
}  // namespace vgl
