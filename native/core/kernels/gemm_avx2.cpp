// sgemm for AVX2 + FMA: a 6x16 register tile (12 ymm accumulators, two B vectors and
// one broadcast A value: 15 of the 16 registers) under the blocked driver.
#include <immintrin.h>

#include "core/kernels/gemm_driver.h"
#include "core/kernels/isa_functions.h"
#include "core/kernels/simd_avx2.h"

namespace vgl {
namespace avx2 {
namespace {

// Lane mask with the first n of 8 lanes set, for maskload/maskstore.
inline __m256i lanes_below(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

struct Kern {
  using Vec = Avx2;
  static constexpr int MR = 6, NR = 16;
  // Flat between KC 256..512 and MC 12..32 tiles in measurements (the FMA ports, not
  // the caches, are the limit at this width): KC x NR B panel 16 KiB in L1, MC x KC
  // A block 144 KiB in L2.
  static constexpr int64_t KC = 256, MC = 6 * 24, NC = 16 * 128;
  // See gemm_plan: the in-place A and B column panels evicted each other here.
  static constexpr bool PACK_A_BESIDE_B_IN_PLACE = true;
  // See gemm_plan: packing a large cold B paid beside A read by columns (ta == Yes);
  // with A read by rows (ta == No, one B line per k) it cost ~5%.
  static constexpr int COLD_B_PACK = 1;
  // See gemm_run: fetch each C tile before its k loop in large products.
  static constexpr bool PREFETCH_C = true;

  // dst[k*W + r] = src[k*ld + r] (r < w, zero-padded to W), k < kc.
  template <int W>
  static void pack_n(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    if constexpr (W % 8 == 0) {
      constexpr int NV = W / 8;
      __m256i mask[NV];
      for (int v = 0; v < NV; ++v) mask[v] = lanes_below(static_cast<int>(w) - 8 * v);
      for (int64_t k = 0; k < kc; ++k) {
        // 16 rows ahead: the rows are ld apart, one short stream each for the prefetcher.
        if (k + 16 < kc) {
          __builtin_prefetch(src + (k + 16) * ld, 0, 3);
          __builtin_prefetch(src + (k + 16) * ld + w - 1, 0, 3);
        }
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) {
          const float* p = src + k * ld + 8 * v;
          _mm256_storeu_ps(dst + k * W + 8 * v, w == W ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mask[v]));
        }
      }
    } else {
      gemm_pack_n_plain<W>(dst, src, ld, w, kc);
    }
  }

  // dst[k*W + r] = src[r*ld + k] (r < w, zero-padded to W), k < kc: 8x8 blocks
  // transposed in registers, missing rows and the k tail loaded as zeros.
  template <int W>
  static void pack_t(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    for (int r0 = 0; r0 < W; r0 += 8) {
      for (int64_t k0 = 0; k0 < kc; k0 += 8) {
        const int64_t kn = gemm_min(8, kc - k0);
        const __m256i kmask = lanes_below(static_cast<int>(kn));
        __m256 t[8];
        for (int r = 0; r < 8; ++r) {
          const float* p = src + (r0 + r) * ld + k0;
          if (r0 + r >= w) {
            t[r] = _mm256_setzero_ps();
          } else {
            t[r] = kn == 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, kmask);
          }
        }
        transpose8(t);
        for (int64_t k = 0; k < kn; ++k) store_lanes<W % 8>(dst + (k0 + k) * W + r0, t[k], W - r0 >= 8);
      }
    }
  }

  // Stores 8 lanes when `full`, else the first TAIL: the last group of a panel whose
  // width is not a multiple of 8 (a masked store is slow on AMD CPUs).
  template <int TAIL>
  static inline void store_lanes(float* p, __m256 v, bool full) {
    if (full || TAIL == 0) {
      _mm256_storeu_ps(p, v);
    } else {
      alignas(32) float tmp[8];
      _mm256_store_ps(tmp, v);
      std::memcpy(p, tmp, TAIL * sizeof(float));
    }
  }

  // In-place transpose of 8 rows of 8 floats.
  static inline void transpose8(__m256* r) {
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
      t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
      t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    // u[4g + c]: in 128-bit lane L, column 4L + c of rows 4g..4g+3.
    for (int g = 0; g < 2; ++g) {
      u[4 * g + 0] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0x44);
      u[4 * g + 1] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0xEE);
      u[4 * g + 2] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
      u[4 * g + 3] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
    }
    for (int c = 0; c < 4; ++c) {
      r[c] = _mm256_permute2f128_ps(u[c], u[4 + c], 0x20);
      r[4 + c] = _mm256_permute2f128_ps(u[c], u[4 + c], 0x31);
    }
  }
};

}  // namespace

void sgemm(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  gemm_run<Kern>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace avx2
}  // namespace vgl
