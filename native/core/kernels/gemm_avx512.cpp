// sgemm for AVX-512: a 14x32 register tile (28 zmm accumulators, two B vectors and
// one broadcast A value: 31 of the 32 registers) under the blocked driver.
#include <immintrin.h>

#include "core/kernels/gemm_driver.h"
#include "core/kernels/isa_functions.h"
#include "core/kernels/simd_avx512.h"

namespace vgl {
namespace avx512 {
namespace {

struct Kern {
  using Vec = Avx512;
  static constexpr int MR = 14, NR = 32;
  // Measured on a Zen 5 core (48 KiB L1, 1 MiB L2): KC 384..512 with MC 6..8 tiles
  // beat larger A blocks. A B panel (KC x NR, 64 KiB) serves the 8 tiles of the ir
  // loop from L1/L2, the A block (MC x KC, 224 KiB) stays in L2, the B block
  // (KC x NC, 4 MiB) in L3. 12x32 and 10x32 tiles measured within noise of 14x32.
  static constexpr int64_t KC = 512, MC = 14 * 8, NC = 32 * 64;
  static constexpr bool PACK_A_BESIDE_B_IN_PLACE = false;
  // See gemm_plan: packing a large cold B paid with every layout of A here.
  static constexpr int COLD_B_PACK = 2;
  // See gemm_run: fetch each C tile before its k loop in large products.
  static constexpr bool PREFETCH_C = true;

  // dst[k*W + r] = src[k*ld + r] (r < w, zero-padded to W), k < kc.
  template <int W>
  static void pack_n(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    constexpr int NV = (W + 15) / 16;
    __mmask16 load[NV], store[NV];
    for (int v = 0; v < NV; ++v) {
      const int64_t lanes = gemm_min(16, w - 16 * v > 0 ? w - 16 * v : 0);
      load[v] = static_cast<__mmask16>((1u << lanes) - 1u);
      store[v] = static_cast<__mmask16>((1u << gemm_min(16, W - 16 * v)) - 1u);
    }
    for (int64_t k = 0; k < kc; ++k) {
      // 16 rows ahead: the rows are ld apart, one short stream each for the prefetcher.
      if (k + 16 < kc) {
        __builtin_prefetch(src + (k + 16) * ld, 0, 3);
        __builtin_prefetch(src + (k + 16) * ld + w - 1, 0, 3);
      }
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        const __m512 x = _mm512_maskz_loadu_ps(load[v], src + k * ld + 16 * v);
        _mm512_mask_storeu_ps(dst + k * W + 16 * v, store[v], x);
      }
    }
  }

  // dst[k*W + r] = src[r*ld + k] (r < w, zero-padded to W), k < kc: 16x16 blocks
  // transposed in registers, missing rows and the k tail loaded as zeros.
  template <int W>
  static void pack_t(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    for (int r0 = 0; r0 < W; r0 += 16) {
      const int lanes = W - r0 < 16 ? W - r0 : 16;
      const __mmask16 store_mask = static_cast<__mmask16>((1u << lanes) - 1u);
      for (int64_t k0 = 0; k0 < kc; k0 += 16) {
        const int64_t kn = gemm_min(16, kc - k0);
        const __mmask16 load_mask = static_cast<__mmask16>((1u << kn) - 1u);
        __m512 t[16];
        for (int r = 0; r < 16; ++r) {
          const float* p = src + (r0 + r) * ld + k0;
          // Four blocks ahead in each of the 16 rows: more streams than the hardware
          // prefetcher follows, and the source is cold (+10-20% on the NT products).
          if (r0 + r < w) {
            if (k0 + 64 < kc) __builtin_prefetch(p + 64, 0, 3);
            t[r] = _mm512_maskz_loadu_ps(load_mask, p);
          } else {
            t[r] = _mm512_setzero_ps();
          }
        }
        transpose16(t);
        for (int64_t k = 0; k < kn; ++k) _mm512_mask_storeu_ps(dst + (k0 + k) * W + r0, store_mask, t[k]);
      }
    }
  }

  // In-place transpose of 16 rows of 16 floats. The maskz forms with an all-ones mask
  // compile to the plain instructions; GCC 12's unmasked ones warn (-Wuninitialized)
  // about their internal _mm512_undefined_ps.
  static inline void transpose16(__m512* r) {
    const __mmask16 kAll = 0xFFFF;
    __m512 t[16], u[16];
    for (int i = 0; i < 16; i += 2) {
      t[i] = _mm512_maskz_unpacklo_ps(kAll, r[i], r[i + 1]);
      t[i + 1] = _mm512_maskz_unpackhi_ps(kAll, r[i], r[i + 1]);
    }
    // u[4g + c]: in 128-bit lane L, column 4L + c of rows 4g..4g+3.
    for (int g = 0; g < 4; ++g) {
      u[4 * g + 0] = _mm512_maskz_shuffle_ps(kAll, t[4 * g], t[4 * g + 2], 0x44);
      u[4 * g + 1] = _mm512_maskz_shuffle_ps(kAll, t[4 * g], t[4 * g + 2], 0xEE);
      u[4 * g + 2] = _mm512_maskz_shuffle_ps(kAll, t[4 * g + 1], t[4 * g + 3], 0x44);
      u[4 * g + 3] = _mm512_maskz_shuffle_ps(kAll, t[4 * g + 1], t[4 * g + 3], 0xEE);
    }
    for (int c = 0; c < 4; ++c) {
      // va: 128-bit lanes 0 and 2 of row groups 0 and 1; vb: lanes 1 and 3; wa, wb:
      // the same for row groups 2 and 3. Then pairing them gives whole columns.
      const __m512 va = _mm512_maskz_shuffle_f32x4(kAll, u[c], u[4 + c], 0x88);
      const __m512 vb = _mm512_maskz_shuffle_f32x4(kAll, u[c], u[4 + c], 0xDD);
      const __m512 wa = _mm512_maskz_shuffle_f32x4(kAll, u[8 + c], u[12 + c], 0x88);
      const __m512 wb = _mm512_maskz_shuffle_f32x4(kAll, u[8 + c], u[12 + c], 0xDD);
      r[c] = _mm512_maskz_shuffle_f32x4(kAll, va, wa, 0x88);
      r[8 + c] = _mm512_maskz_shuffle_f32x4(kAll, va, wa, 0xDD);
      r[4 + c] = _mm512_maskz_shuffle_f32x4(kAll, vb, wb, 0x88);
      r[12 + c] = _mm512_maskz_shuffle_f32x4(kAll, vb, wb, 0xDD);
    }
  }
};

}  // namespace

void sgemm(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  gemm_run<Kern>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace avx512
}  // namespace vgl
