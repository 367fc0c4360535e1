// The AVX-512 (F/BW/DQ/VL) vector type of the shared kernel templates: 16 floats,
// mask registers for selects and tails, scalef for 2^n (one rounding, gradual
// underflow, overflow to inf). See simd_avx2.h for what each operation means.
//
// Included only by *_avx512.cpp; unnamed namespace for the same reason as there.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace vgl {
namespace avx512 {
namespace {

struct Avx512 {
  using F = __m512;
  using D = __m512d;
  using M = __mmask16;
  static constexpr int64_t W = 16;

  // Whole blocks use plain loads and stores; the tail masked ones (masked-off lanes
  // read as 0, are never written, and never fault).
  struct Full {
    F load(const float* p) const { return _mm512_loadu_ps(p); }
    void store(float* p, F v) const { _mm512_storeu_ps(p, v); }
    __mmask16 live() const { return 0xffff; }
  };
  struct Tail {
    __mmask16 mask;
    F load(const float* p) const { return _mm512_maskz_loadu_ps(mask, p); }
    void store(float* p, F v) const { _mm512_mask_storeu_ps(p, mask, v); }
    __mmask16 live() const { return mask; }
  };
  static Tail tail(int64_t r) { return {static_cast<__mmask16>((1u << r) - 1)}; }

  static F load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
  static constexpr bool kCheapMaskedLoad = true;  // a mask register, no extra cost
  using Bcast = F;
  static Bcast broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static F fmadd_bcast(Bcast a, F b, F acc) { return _mm512_fmadd_ps(a, b, acc); }
  static F mul_scalar(F v, float s) { return _mm512_mul_ps(_mm512_set1_ps(s), v); }
  static F fmadd_scalar(F v, float s, F acc) { return _mm512_fmadd_ps(_mm512_set1_ps(s), v, acc); }
  static F splat(float v) { return _mm512_set1_ps(v); }
  static F zero() { return _mm512_setzero_ps(); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static F div(F a, F b) { return _mm512_div_ps(a, b); }
  static F sqrt(F a) { return _mm512_sqrt_ps(a); }
  static F fmadd(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F fnmadd(F a, F b, F c) { return _mm512_fnmadd_ps(a, b, c); }
  static F fmsub(F a, F b, F c) { return _mm512_fmsub_ps(a, b, c); }
  static F max(F a, F b) { return _mm512_max_ps(a, b); }
  static F min(F a, F b) { return _mm512_min_ps(a, b); }
  static F max_skip_nan(F m, F a) { return _mm512_max_ps(a, m); }
  static F abs(F x) { return _mm512_abs_ps(x); }
  static F neg(F x) { return _mm512_sub_ps(_mm512_setzero_ps(), x); }
  static F round(F x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static F or_sign(F t, F x) { return _mm512_or_ps(t, _mm512_and_ps(x, _mm512_set1_ps(-0.0f))); }

  static M ge(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
  static F keep(M m, F x) { return _mm512_maskz_mov_ps(m, x); }
  static F select(M m, F if_true, F otherwise) { return _mm512_mask_blend_ps(m, otherwise, if_true); }
  static F select_positive(F x, F if_pos, F otherwise) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), otherwise, if_pos);
  }
  static F select_negative(F x, F if_neg, F otherwise) {
    return _mm512_mask_blend_ps(_mm512_movepi32_mask(_mm512_castps_si512(x)), otherwise, if_neg);
  }

  static F pow2_times(F p, F n) { return _mm512_scalef_ps(p, n); }
  static F pow2(F n) { return _mm512_scalef_ps(_mm512_set1_ps(1.0f), n); }

  static D dzero() { return _mm512_setzero_pd(); }
  static D widen_lo(F v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
  static D widen_hi(F v) { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)); }
  static D dadd(D a, D b) { return _mm512_add_pd(a, b); }
  static D dfmadd(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }
  static double dsum(D v) { return _mm512_reduce_add_pd(v); }
  static float hmax(F v) { return _mm512_reduce_max_ps(v); }
};

}  // namespace
}  // namespace avx512
}  // namespace vgl
