// The specification of sgemm (see KernelTable::sgemm in kernels.h): plain loops, no
// intrinsics. It is also what runs on CPUs without AVX2 or NEON, so the loops walk
// memory contiguously and keep several independent sums in flight.
#include "core/kernels/isa_functions.h"

namespace vgl {
namespace scalar {

void sgemm(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  // op(A)[i,p] whatever the storage.
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
      // Four columns at a time: each op(A) value is read once for four independent
      // sums, instead of one sum waiting on the previous addition.
      int64_t j = 0;
      for (; j + 4 <= N; j += 4) {
        const float* b0 = B + j * ldb;
        const float* b1 = b0 + ldb;
        const float* b2 = b1 + ldb;
        const float* b3 = b2 + ldb;
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (int64_t p = 0; p < K; ++p) {
          const float a = a_at(i, p);
          s0 += a * b0[p];
          s1 += a * b1[p];
          s2 += a * b2[p];
          s3 += a * b3[p];
        }
        c[j] += alpha * s0;
        c[j + 1] += alpha * s1;
        c[j + 2] += alpha * s2;
        c[j + 3] += alpha * s3;
      }
      for (; j < N; ++j) {
        const float* b = B + j * ldb;
        float s = 0.0f;
        for (int64_t p = 0; p < K; ++p) s += a_at(i, p) * b[p];
        c[j] += alpha * s;
      }
    }
  }
}

}  // namespace scalar
}  // namespace vgl
