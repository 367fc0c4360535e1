// The AVX2 + FMA vector type the shared kernel templates (vecmath.h,
// elementwise_simd.h) are written against: 8 floats, each operation one
// instruction (or a short fixed sequence), so a template instantiated with it
// compiles to what hand-written AVX2 code would.
//
// Included only by *_avx2.cpp (compiled with -mavx2 -mfma). Everything sits in an
// unnamed namespace so no copy compiled with -mavx2 can be chosen by the linker for
// a baseline translation unit.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace vgl {
namespace avx2 {
namespace {

struct Avx2 {
  using F = __m256;     // 8 floats
  using D = __m256d;    // 4 doubles: half an F, widened
  using M = __m256;     // lane mask: all ones or all zeros per lane
  static constexpr int64_t W = 8;

  // How a block of 8 is read and written: whole blocks use plain loads and stores,
  // the tail masked ones (masked-off lanes read as 0 and are never written). Masked
  // stores are slow on some CPUs, so only the tail pays for them. live() is the
  // mask of the lanes that hold elements.
  struct Full {
    F load(const float* p) const { return _mm256_loadu_ps(p); }
    void store(float* p, F v) const { _mm256_storeu_ps(p, v); }
    __m256i live() const { return _mm256_set1_epi32(-1); }
  };
  struct Tail {
    __m256i mask;
    F load(const float* p) const { return _mm256_maskload_ps(p, mask); }
    void store(float* p, F v) const { _mm256_maskstore_ps(p, mask, v); }
    __m256i live() const { return mask; }
  };
  // The tail of r elements, 0 < r < 8.
  static Tail tail(int64_t r) {
    static const int32_t table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 8 - r))};
  }

  static F load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  // VMASKMOVPS costs several times a plain load on AMD CPUs: loops that can, run
  // whole blocks without it.
  static constexpr bool kCheapMaskedLoad = false;
  // The GEMM micro-kernel's operations: an A value broadcast from memory, acc + a*b,
  // and the alpha / beta scaling of a C vector.
  using Bcast = F;
  static Bcast broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static F fmadd_bcast(Bcast a, F b, F acc) { return _mm256_fmadd_ps(a, b, acc); }
  static F mul_scalar(F v, float s) { return _mm256_mul_ps(_mm256_set1_ps(s), v); }         // s*v
  static F fmadd_scalar(F v, float s, F acc) { return _mm256_fmadd_ps(_mm256_set1_ps(s), v, acc); }  // s*v + acc
  static F splat(float v) { return _mm256_set1_ps(v); }
  static F zero() { return _mm256_setzero_ps(); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F sqrt(F a) { return _mm256_sqrt_ps(a); }
  static F fmadd(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }    // a*b + c, one rounding
  static F fnmadd(F a, F b, F c) { return _mm256_fnmadd_ps(a, b, c); }  // c - a*b
  static F fmsub(F a, F b, F c) { return _mm256_fmsub_ps(a, b, c); }    // a*b - c
  // MAXPS / MINPS: b when either is NaN, so clamps are written max(bound, x).
  static F max(F a, F b) { return _mm256_max_ps(a, b); }
  static F min(F a, F b) { return _mm256_min_ps(a, b); }
  // max |x| so far: returns m when a is NaN, so NaN is skipped as in scalar.
  static F max_skip_nan(F m, F a) { return _mm256_max_ps(a, m); }
  static F abs(F x) { return _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff))); }
  static F neg(F x) { return _mm256_sub_ps(_mm256_setzero_ps(), x); }
  static F round(F x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // t (>= 0) with the sign bit of x.
  static F or_sign(F t, F x) { return _mm256_or_ps(t, _mm256_and_ps(x, _mm256_set1_ps(-0.0f))); }

  static M ge(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
  static F keep(M m, F x) { return _mm256_and_ps(m, x); }  // x where m, else 0
  static F select(M m, F if_true, F otherwise) { return _mm256_blendv_ps(otherwise, if_true, m); }
  static F select_positive(F x, F if_pos, F otherwise) {
    return _mm256_blendv_ps(otherwise, if_pos, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ));
  }
  // Picks if_neg where x's sign bit is set (negatives, -0, negative NaN).
  static F select_negative(F x, F if_neg, F otherwise) { return _mm256_blendv_ps(otherwise, if_neg, x); }

  // p * 2^n for p in [0.5, 2] and integral n in [-151, 129], applied as two factors
  // so that results in the subnormal range are rounded once (gradual underflow) and
  // n = 128 still overflows to inf.
  static F pow2_times(F p, F n_float) {
    const __m256i bias = _mm256_set1_epi32(127), n = _mm256_cvtps_epi32(n_float);
    __m256i n1 = _mm256_srai_epi32(n, 1);
    __m256i n2 = _mm256_sub_epi32(n, n1);
    F s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
    F s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
  }
  // 2^n for integral n in [-126, 127], exact: built from the exponent bits.
  static F pow2(F n) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
  }

  static D dzero() { return _mm256_setzero_pd(); }
  static D widen_lo(F v) { return _mm256_cvtps_pd(_mm256_castps256_ps128(v)); }
  static D widen_hi(F v) { return _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)); }
  static D dadd(D a, D b) { return _mm256_add_pd(a, b); }
  static D dfmadd(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
  static double dsum(D v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
  static float hmax(F v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
  }
};

}  // namespace
}  // namespace avx2
}  // namespace vgl
