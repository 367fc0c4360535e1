// Vectorised float math for the AVX2 + FMA kernels, 8 lanes at a time: exp, expm1,
// log1p on [0, 1] and the activations built on them, each within a few ulp of the
// correctly rounded result (elementwise_test.cpp measures it against double).
//
// Included only by elementwise_avx2.cpp. Everything sits in an unnamed namespace so
// no out-of-line copy compiled with -mavx2 can be chosen by the linker for a
// baseline translation unit. NaN inputs give NaN outputs throughout: clamps are
// written max(bound, x) / min(bound, x) because MAXPS/MINPS return their second
// operand when either is NaN.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace vgl {
namespace avx2 {
namespace {

inline __m256 splat(float v) { return _mm256_set1_ps(v); }

inline __m256 abs_ps(__m256 x) { return _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff))); }

// p * 2^n for p in [0.5, 2] and integer n in [-151, 129], applied as two factors so
// that results in the subnormal range are rounded once (gradual underflow) and
// n = 128 still overflows to inf.
inline __m256 scale_by_pow2(__m256 p, __m256i n) {
  const __m256i bias = _mm256_set1_epi32(127);
  __m256i n1 = _mm256_srai_epi32(n, 1);
  __m256i n2 = _mm256_sub_epi32(n, n1);
  __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
  __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
  return _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
}

// Range reduction shared by exp and expm1: x = n ln2 + r with |r| <= ln2/2.
// Cody-Waite split of ln2: n times the high part is exact, and FMA rounds each
// step once.
struct Reduced {
  __m256 n;  // integral, as float
  __m256 r;
};

inline Reduced reduce_ln2(__m256 x) {
  __m256 n = _mm256_round_ps(_mm256_mul_ps(x, splat(1.44269504088896341f)),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, splat(0.693359375f), x);
  return {n, _mm256_fnmadd_ps(n, splat(-2.12194440e-4f), r)};
}

// e^r - 1 - r for |r| <= ln2/2 (Cephes expf polynomial, ~1 ulp), returned as
// r + r^2 P(r) so callers add the 1 (exp) or not (expm1).
inline __m256 expm1_reduced(__m256 r) {
  __m256 p = splat(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, splat(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, splat(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, splat(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, splat(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, splat(5.0000001201e-1f));
  return _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r);
}

// e^(x + xl) where xl is a low-order correction to x (e.g. the rounding error of
// a square), added after the reduction where it is not lost. Overflows to inf
// above ~88.7, underflows gradually to 0 below ~-103.3.
inline __m256 exp_ps(__m256 x, __m256 xl) {
  x = _mm256_min_ps(splat(89.0f), _mm256_max_ps(splat(-104.0f), x));
  Reduced k = reduce_ln2(x);
  __m256 p = _mm256_add_ps(expm1_reduced(_mm256_add_ps(k.r, xl)), splat(1.0f));
  return scale_by_pow2(p, _mm256_cvtps_epi32(k.n));
}

inline __m256 exp_ps(__m256 x) {
  x = _mm256_min_ps(splat(89.0f), _mm256_max_ps(splat(-104.0f), x));
  Reduced k = reduce_ln2(x);
  return scale_by_pow2(_mm256_add_ps(expm1_reduced(k.r), splat(1.0f)), _mm256_cvtps_epi32(k.n));
}

// e^x - 1 for x <= 88, accurate relative to the result near 0 (no 1 - 1
// cancellation): e^x - 1 = 2^n (e^r - 1) + (2^n - 1), where 2^n - 1 is exact for
// the n that matter. Below -30 the float result is -1 anyway.
inline __m256 expm1_ps(__m256 x) {
  x = _mm256_min_ps(splat(88.0f), _mm256_max_ps(splat(-30.0f), x));
  Reduced k = reduce_ln2(x);
  __m256 em = expm1_reduced(k.r);
  __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k.n), _mm256_set1_epi32(127)), 23);
  __m256 s = _mm256_castsi256_ps(bits);
  return _mm256_fmadd_ps(s, em, _mm256_sub_ps(s, splat(1.0f)));
}

// log(1 + u) for u in [0, 1] (softplus needs no more): w = 1 + u is split as
// 2^e m with m in [sqrt(1/2), sqrt(2)), log m by the Cephes logf polynomial, and
// the rounding error of 1 + u is added back as (u - (w - 1)) / w so tiny u keeps
// its relative accuracy.
inline __m256 log1p_unit_ps(__m256 u) {
  const __m256 one = splat(1.0f);
  __m256 w = _mm256_add_ps(one, u);
  __m256 big = _mm256_cmp_ps(w, splat(1.41421356f), _CMP_GE_OQ);
  __m256 e = _mm256_and_ps(big, one);
  __m256 m = _mm256_blendv_ps(w, _mm256_mul_ps(w, splat(0.5f)), big);
  __m256 f = _mm256_sub_ps(m, one);  // exact: Sterbenz
  __m256 z = _mm256_mul_ps(f, f);
  __m256 p = splat(7.0376836292e-2f);
  p = _mm256_fmadd_ps(p, f, splat(-1.1514610310e-1f));
  p = _mm256_fmadd_ps(p, f, splat(1.1676998740e-1f));
  p = _mm256_fmadd_ps(p, f, splat(-1.2420140846e-1f));
  p = _mm256_fmadd_ps(p, f, splat(1.4249322787e-1f));
  p = _mm256_fmadd_ps(p, f, splat(-1.6668057665e-1f));
  p = _mm256_fmadd_ps(p, f, splat(2.0000714765e-1f));
  p = _mm256_fmadd_ps(p, f, splat(-2.4999993993e-1f));
  p = _mm256_fmadd_ps(p, f, splat(3.3333331174e-1f));
  __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, f), z);
  y = _mm256_fmadd_ps(e, splat(-2.12194440e-4f), y);
  y = _mm256_fmadd_ps(splat(-0.5f), z, y);
  __m256 correction = _mm256_div_ps(_mm256_sub_ps(u, _mm256_sub_ps(w, one)), w);
  y = _mm256_add_ps(y, correction);
  return _mm256_fmadd_ps(e, splat(0.693359375f), _mm256_add_ps(f, y));
}

// 1 / (1 + e^-x) as num / (1 + e^-|x|) with num = 1 for x >= 0 and e^-|x| for
// x < 0: no 1 - tiny cancellation, so the far negative tail (y ~ e^x, down to
// the subnormals) keeps its relative accuracy.
inline __m256 sigmoid_ps(__m256 x) {
  __m256 e = exp_ps(_mm256_sub_ps(_mm256_setzero_ps(), abs_ps(x)));
  __m256 num = _mm256_blendv_ps(splat(1.0f), e, x);  // picks e where x's sign bit is set
  return _mm256_div_ps(num, _mm256_add_ps(splat(1.0f), e));
}

// tanh|x| = -u / (2 + u) with u = expm1(-2|x|) in (-1, 0]: accurate relative to
// the result near 0 (no cancellation) and exactly 1 when saturated; sign restored.
inline __m256 tanh_ps(__m256 x) {
  __m256 a = abs_ps(x);
  __m256 u = expm1_ps(_mm256_mul_ps(a, splat(-2.0f)));
  __m256 t = _mm256_div_ps(_mm256_sub_ps(_mm256_setzero_ps(), u), _mm256_add_ps(splat(2.0f), u));
  return _mm256_or_ps(t, _mm256_and_ps(x, splat(-0.0f)));  // t >= 0: OR in x's sign bit
}

// The standard normal lower tail Phi(-|x|) = 0.5 erfc(|x|/sqrt2), returned as
// e * tr with e = exp(-x^2/2) (the density's factor, which GELU's backward needs
// too) and tr = t R(t), t = 1 / (1 + c|x|), where R is a degree-9 fit of
// 0.5 erfcx(a/sqrt2) (1 + c a) over t in (0, 1] (relative error 4e-8 before
// rounding). x^2/2 is carried as hi + lo so e keeps its relative accuracy in the
// tail (a rounded x^2 would cost x^2 * 6e-8 there). Kept as two factors so GELU
// can form x * e first and not lose bits to subnormals near x = -13.
struct NormalTail {
  __m256 e;   // exp(-x^2 / 2)
  __m256 tr;  // Phi(-|x|) / e
};

inline NormalTail normal_tail_ps(__m256 x) {
  __m256 a = _mm256_min_ps(splat(20.0f), abs_ps(x));  // beyond 20 the tail is 0 in float
  __m256 aa = _mm256_mul_ps(a, a);
  __m256 aa_lo = _mm256_fmsub_ps(a, a, aa);
  __m256 e = exp_ps(_mm256_mul_ps(aa, splat(-0.5f)), _mm256_mul_ps(aa_lo, splat(-0.5f)));
  __m256 t = _mm256_div_ps(splat(1.0f), _mm256_fmadd_ps(splat(0.32f), a, splat(1.0f)));
  __m256 r = splat(-0.0210782718f);
  r = _mm256_fmadd_ps(r, t, splat(0.0954077244f));
  r = _mm256_fmadd_ps(r, t, splat(-0.146708339f));
  r = _mm256_fmadd_ps(r, t, splat(0.0653289184f));
  r = _mm256_fmadd_ps(r, t, splat(-0.00937807932f));
  r = _mm256_fmadd_ps(r, t, splat(0.058654137f));
  r = _mm256_fmadd_ps(r, t, splat(0.0878290683f));
  r = _mm256_fmadd_ps(r, t, splat(0.114622362f));
  r = _mm256_fmadd_ps(r, t, splat(0.127660945f));
  r = _mm256_fmadd_ps(r, t, splat(0.127661526f));
  return {e, _mm256_mul_ps(t, r)};
}

// GELU(x) = x Phi(x): x * tail for x < 0, x - x * tail otherwise. x is capped at
// 20 inside the product so GELU(+inf) = inf rather than inf * 0.
inline __m256 gelu_ps(__m256 x) {
  NormalTail nt = normal_tail_ps(x);
  __m256 q = _mm256_mul_ps(_mm256_mul_ps(_mm256_min_ps(splat(20.0f), x), nt.e), nt.tr);
  return _mm256_blendv_ps(_mm256_sub_ps(x, q), q, x);  // picks q where x's sign bit is set
}

// GELU'(x) = Phi(x) + x phi(x), phi(x) = e / sqrt(2 pi).
inline __m256 gelu_derivative_ps(__m256 x) {
  NormalTail nt = normal_tail_ps(x);
  __m256 tail = _mm256_mul_ps(nt.e, nt.tr);
  __m256 cdf = _mm256_blendv_ps(_mm256_sub_ps(splat(1.0f), tail), tail, x);
  return _mm256_fmadd_ps(x, _mm256_mul_ps(nt.e, splat(0.398942280f)), cdf);
}

}  // namespace
}  // namespace avx2
}  // namespace vgl
