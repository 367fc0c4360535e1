// sgemm for AArch64 NEON: an 8x8 register tile (16 q-register accumulators, two B
// vectors, A values broadcast by the by-scalar FMA) under the blocked driver. Kept
// plain on purpose: the packs are scalar loops, edges go through small stack copies.
#if defined(VGL_HAVE_NEON)

#include <arm_neon.h>

#include "core/kernels/gemm_driver.h"
#include "core/kernels/isa_functions.h"

namespace vgl {
namespace neon {
namespace {

// The first n (1..4) floats at p, zeros after: NEON has no masked load, and an
// in-place B or C must not be read past its last column.
inline float32x4_t load_first(const float* p, int n) {
  float tmp[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int j = 0; j < n; ++j) tmp[j] = p[j];
  return vld1q_f32(tmp);
}

inline void store_first(float* p, float32x4_t v, int n) {
  float tmp[4];
  vst1q_f32(tmp, v);
  for (int j = 0; j < n; ++j) p[j] = tmp[j];
}

struct Kern {
  static constexpr int LANES = 4;
  static constexpr int MR = 8, NR = 8;
  // Conventional sizes for 64 KiB L1 / 1+ MiB L2 cores (not tuned on hardware): a
  // B panel of KC x NR is 8 KiB, an A block of MC x KC 128 KiB.
  static constexpr int64_t KC = 256, MC = 8 * 16, NC = 8 * 256;
  static constexpr bool PACK_A_BESIDE_B_IN_PLACE = false;

  // C[M, n] = alpha * a*b + beta * C for n <= 4*NV; see gemm_driver.h.
  template <int M, int NV, bool ROWS>
  static void micro(int64_t kc, const float* a, int64_t sa, const float* b, int64_t sb, float* c, int64_t ldc,
                    int n, float alpha, float beta) {
    const int last = n - 4 * (NV - 1);  // valid lanes of the last vector, 1..4
    float32x4_t acc[M][NV];
#pragma GCC unroll 8
    for (int i = 0; i < M; ++i) {
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[i][v] = vdupq_n_f32(0.0f);
    }
    if (last == 4) {
#pragma GCC unroll 2
      for (int64_t k = 0; k < kc; ++k) {
        float32x4_t bv[NV];
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) bv[v] = vld1q_f32(b + 4 * v);
#pragma GCC unroll 8
        for (int i = 0; i < M; ++i) {
          const float av = ROWS ? a[i * sa + k] : a[k * sa + i];
#pragma GCC unroll 8
          for (int v = 0; v < NV; ++v) acc[i][v] = vfmaq_n_f32(acc[i][v], bv[v], av);
        }
        b += sb;
      }
    } else {
#pragma GCC unroll 2
      for (int64_t k = 0; k < kc; ++k) {
        float32x4_t bv[NV];
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) bv[v] = v == NV - 1 ? load_first(b + 4 * v, last) : vld1q_f32(b + 4 * v);
#pragma GCC unroll 8
        for (int i = 0; i < M; ++i) {
          const float av = ROWS ? a[i * sa + k] : a[k * sa + i];
#pragma GCC unroll 8
          for (int v = 0; v < NV; ++v) acc[i][v] = vfmaq_n_f32(acc[i][v], bv[v], av);
        }
        b += sb;
      }
    }
#pragma GCC unroll 8
    for (int i = 0; i < M; ++i) {
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) {
        float* p = c + i * ldc + 4 * v;
        const int lanes = v == NV - 1 ? last : 4;
        float32x4_t r = vmulq_n_f32(acc[i][v], alpha);
        if (beta != 0.0f) r = vfmaq_n_f32(r, lanes == 4 ? vld1q_f32(p) : load_first(p, lanes), beta);
        if (lanes == 4) {
          vst1q_f32(p, r);
        } else {
          store_first(p, r, lanes);
        }
      }
    }
  }

  // dst[k*W + r] = src[k*ld + r] (r < w, zero-padded to W), k < kc.
  template <int W>
  static void pack_n(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
    for (int64_t k = 0; k < kc; ++k) {
      for (int64_t r = 0; r < w; ++r) dst[k * W + r] = src[k * ld + r];
      for (int64_t r = w; r < W; ++r) dst[k * W + r] = 0.0f;
    }
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
