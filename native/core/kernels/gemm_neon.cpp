// sgemm for AArch64 NEON: an 8x8 register tile (16 q-register accumulators, two B
// vectors, A values broadcast by the by-scalar FMA) under the blocked driver, whose
// micro-kernel runs on simd_neon.h. Kept plain on purpose: the packs are scalar
// loops, edges go through small stack copies.
#if defined(VGL_HAVE_NEON)

#include <arm_neon.h>

#include "core/kernels/gemm_driver.h"
#include "core/kernels/isa_functions.h"
#include "core/kernels/simd_neon.h"

namespace vgl {
namespace neon {
namespace {

struct Kern {
  using Vec = Neon;
  static constexpr int MR = 8, NR = 8;
  // Conventional sizes for 64 KiB L1 / 1+ MiB L2 cores (not tuned on hardware): a
  // B panel of KC x NR is 8 KiB, an A block of MC x KC 128 KiB.
  static constexpr int64_t KC = 256, MC = 8 * 16, NC = 8 * 256;
  static constexpr bool PACK_A_BESIDE_B_IN_PLACE = false;

  // dst[k*W + r] = src[k*ld + r] (r < w, zero-padded to W), k < kc.
  template <int W>
  static void pack_n(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    gemm_pack_n_plain<W>(dst, src, ld, w, kc);
  }

  // dst[k*W + r] = src[r*ld + k] (r < w, zero-padded to W), k < kc. Walks the
  // source rows contiguously; the strided writes stay inside one small panel.
  template <int W>
  static void pack_t(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    for (int64_t r = 0; r < W; ++r) {
      const float* s = src + r * ld;
      for (int64_t k = 0; k < kc; ++k) dst[k * W + r] = r < w ? s[k] : 0.0f;
    }
  }
};

}  // namespace

void sgemm(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  gemm_run<Kern>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace neon
}  // namespace vgl

#endif  // VGL_HAVE_NEON
