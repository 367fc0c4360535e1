// Vectorised float math for the AVX-512 kernels, 16 lanes at a time: the same
// algorithms and constants as vecmath_avx2.h (see there for the reasoning), with
// AVX-512's scalef for 2^n (one rounding, gradual underflow, overflow to inf) and
// mask registers for selects.
//
// Included only by elementwise_avx512.cpp; everything is in an unnamed namespace
// so no copy compiled for AVX-512 can be linked into a baseline caller. NaN in
// gives NaN out: clamps are max(bound, x) / min(bound, x), which return x when it
// is NaN.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace vgl {
namespace avx512 {
namespace {

inline __m512 splat(float v) { return _mm512_set1_ps(v); }

// Lanes whose sign bit is set (negative numbers, -0 and negative NaN).
inline __mmask16 sign_mask(__m512 x) { return _mm512_movepi32_mask(_mm512_castps_si512(x)); }

struct Reduced {
  __m512 n;  // integral, as float
  __m512 r;  // |r| <= ln2 / 2
};

// x = n ln2 + r, Cody-Waite split of ln2 with one rounding per FMA.
inline Reduced reduce_ln2(__m512 x) {
  __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, splat(1.44269504088896341f)),
                                  _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, splat(0.693359375f), x);
  return {n, _mm512_fnmadd_ps(n, splat(-2.12194440e-4f), r)};
}

// e^r - 1 for |r| <= ln2/2 as r + r^2 P(r) (Cephes expf polynomial).
inline __m512 expm1_reduced(__m512 r) {
  __m512 p = splat(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, splat(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, splat(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, splat(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, splat(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, splat(5.0000001201e-1f));
  return _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r);
}

// e^(x + xl), xl a low-order correction to x.
inline __m512 exp_ps(__m512 x, __m512 xl) {
  x = _mm512_min_ps(splat(89.0f), _mm512_max_ps(splat(-104.0f), x));
  Reduced k = reduce_ln2(x);
  return _mm512_scalef_ps(_mm512_add_ps(expm1_reduced(_mm512_add_ps(k.r, xl)), splat(1.0f)), k.n);
}

inline __m512 exp_ps(__m512 x) {
  x = _mm512_min_ps(splat(89.0f), _mm512_max_ps(splat(-104.0f), x));
  Reduced k = reduce_ln2(x);
  return _mm512_scalef_ps(_mm512_add_ps(expm1_reduced(k.r), splat(1.0f)), k.n);
}

// e^x - 1 for x <= 88 without cancellation near 0: 2^n (e^r - 1) + (2^n - 1).
inline __m512 expm1_ps(__m512 x) {
  x = _mm512_min_ps(splat(88.0f), _mm512_max_ps(splat(-30.0f), x));
  Reduced k = reduce_ln2(x);
  __m512 s = _mm512_scalef_ps(splat(1.0f), k.n);
  return _mm512_fmadd_ps(s, expm1_reduced(k.r), _mm512_sub_ps(s, splat(1.0f)));
}

// log(1 + u) for u in [0, 1], with the rounding error of 1 + u added back.
inline __m512 log1p_unit_ps(__m512 u) {
  const __m512 one = splat(1.0f);
  __m512 w = _mm512_add_ps(one, u);
  __mmask16 big = _mm512_cmp_ps_mask(w, splat(1.41421356f), _CMP_GE_OQ);
  __m512 e = _mm512_maskz_mov_ps(big, one);
  __m512 m = _mm512_mask_mul_ps(w, big, w, splat(0.5f));
  __m512 f = _mm512_sub_ps(m, one);  // exact: Sterbenz
  __m512 z = _mm512_mul_ps(f, f);
  __m512 p = splat(7.0376836292e-2f);
  p = _mm512_fmadd_ps(p, f, splat(-1.1514610310e-1f));
  p = _mm512_fmadd_ps(p, f, splat(1.1676998740e-1f));
  p = _mm512_fmadd_ps(p, f, splat(-1.2420140846e-1f));
  p = _mm512_fmadd_ps(p, f, splat(1.4249322787e-1f));
  p = _mm512_fmadd_ps(p, f, splat(-1.6668057665e-1f));
  p = _mm512_fmadd_ps(p, f, splat(2.0000714765e-1f));
  p = _mm512_fmadd_ps(p, f, splat(-2.4999993993e-1f));
  p = _mm512_fmadd_ps(p, f, splat(3.3333331174e-1f));
  __m512 y = _mm512_mul_ps(_mm512_mul_ps(p, f), z);
  y = _mm512_fmadd_ps(e, splat(-2.12194440e-4f), y);
  y = _mm512_fmadd_ps(splat(-0.5f), z, y);
  __m512 correction = _mm512_div_ps(_mm512_sub_ps(u, _mm512_sub_ps(w, one)), w);
  y = _mm512_add_ps(y, correction);
  return _mm512_fmadd_ps(e, splat(0.693359375f), _mm512_add_ps(f, y));
}

// num / (1 + e^-|x|) with num = 1 for x >= 0, e^-|x| for x < 0: no cancellation.
inline __m512 sigmoid_ps(__m512 x) {
  __m512 e = exp_ps(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_abs_ps(x)));
  __m512 num = _mm512_mask_blend_ps(sign_mask(x), splat(1.0f), e);
  return _mm512_div_ps(num, _mm512_add_ps(splat(1.0f), e));
}

// tanh|x| = -u / (2 + u), u = expm1(-2|x|); the sign of x put back.
inline __m512 tanh_ps(__m512 x) {
  __m512 u = expm1_ps(_mm512_mul_ps(_mm512_abs_ps(x), splat(-2.0f)));
  __m512 t = _mm512_div_ps(_mm512_sub_ps(_mm512_setzero_ps(), u), _mm512_add_ps(splat(2.0f), u));
  return _mm512_or_ps(t, _mm512_and_ps(x, splat(-0.0f)));
}

// Phi(-|x|) = e * tr: e = exp(-x^2/2) with x^2 carried as hi + lo, tr = t R(t),
// t = 1 / (1 + 0.32|x|), R the degree-9 fit described in vecmath_avx2.h.
struct NormalTail {
  __m512 e;
  __m512 tr;
};

inline NormalTail normal_tail_ps(__m512 x) {
  __m512 a = _mm512_min_ps(splat(20.0f), _mm512_abs_ps(x));
  __m512 aa = _mm512_mul_ps(a, a);
  __m512 aa_lo = _mm512_fmsub_ps(a, a, aa);
  __m512 e = exp_ps(_mm512_mul_ps(aa, splat(-0.5f)), _mm512_mul_ps(aa_lo, splat(-0.5f)));
  __m512 t = _mm512_div_ps(splat(1.0f), _mm512_fmadd_ps(splat(0.32f), a, splat(1.0f)));
  __m512 r = splat(-0.0210782718f);
  r = _mm512_fmadd_ps(r, t, splat(0.0954077244f));
  r = _mm512_fmadd_ps(r, t, splat(-0.146708339f));
  r = _mm512_fmadd_ps(r, t, splat(0.0653289184f));
  r = _mm512_fmadd_ps(r, t, splat(-0.00937807932f));
  r = _mm512_fmadd_ps(r, t, splat(0.058654137f));
  r = _mm512_fmadd_ps(r, t, splat(0.0878290683f));
  r = _mm512_fmadd_ps(r, t, splat(0.114622362f));
  r = _mm512_fmadd_ps(r, t, splat(0.127660945f));
  r = _mm512_fmadd_ps(r, t, splat(0.127661526f));
  return {e, _mm512_mul_ps(t, r)};
}

// GELU(x) = x Phi(x): x * tail for x < 0, x - x * tail otherwise (x capped at 20
// inside the product so GELU(+inf) = inf).
inline __m512 gelu_ps(__m512 x) {
  NormalTail nt = normal_tail_ps(x);
  __m512 q = _mm512_mul_ps(_mm512_mul_ps(_mm512_min_ps(splat(20.0f), x), nt.e), nt.tr);
  return _mm512_mask_blend_ps(sign_mask(x), _mm512_sub_ps(x, q), q);
}

// GELU'(x) = Phi(x) + x phi(x).
inline __m512 gelu_derivative_ps(__m512 x) {
  NormalTail nt = normal_tail_ps(x);
  __m512 tail = _mm512_mul_ps(nt.e, nt.tr);
  __m512 cdf = _mm512_mask_blend_ps(sign_mask(x), _mm512_sub_ps(splat(1.0f), tail), tail);
  return _mm512_fmadd_ps(x, _mm512_mul_ps(nt.e, splat(0.398942280f)), cdf);
}

}  // namespace
}  // namespace avx512
}  // namespace vgl
