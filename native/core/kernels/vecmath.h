// Vectorised float math for the SIMD element-wise kernels, written once over a
// vector type V (simd_avx2.h, simd_avx512.h, simd_neon.h): exp, expm1, log1p on
// [0, 1] and the activations built on them, each within a few ulp of the correctly
// rounded result (elementwise_test.cpp measures it against double). Every ISA runs
// the same operations in the same order, so they differ only where V's primitives
// do (2^n, NaN handling of min/max).
//
// NaN inputs give NaN outputs throughout: clamps are written max(bound, x) /
// min(bound, x) because x86's MAXPS/MINPS return their second operand when either
// is NaN (NEON's return NaN).
//
// Included by the per-ISA element-wise files after their simd_*.h. Unnamed
// namespace: each includer compiles its own copy with its own -m flags, and none of
// them may be merged by the linker into another's.
#pragma once

namespace vgl {
namespace {

template <class V>
struct VecMath {
  using F = typename V::F;

  static F splat(float v) { return V::splat(v); }

  // Range reduction shared by exp and expm1: x = n ln2 + r with |r| <= ln2/2.
  // Cody-Waite split of ln2: n times the high part is exact, and FMA rounds each
  // step once.
  struct Reduced {
    F n;  // integral, as float
    F r;
  };

  static Reduced reduce_ln2(F x) {
    F n = V::round(V::mul(x, splat(1.44269504088896341f)));
    F r = V::fnmadd(n, splat(0.693359375f), x);
    return {n, V::fnmadd(n, splat(-2.12194440e-4f), r)};
  }

  // e^r - 1 - r for |r| <= ln2/2 (Cephes expf polynomial, ~1 ulp), returned as
  // r + r^2 P(r) so callers add the 1 (exp) or not (expm1).
  static F expm1_reduced(F r) {
    F p = splat(1.9875691500e-4f);
    p = V::fmadd(p, r, splat(1.3981999507e-3f));
    p = V::fmadd(p, r, splat(8.3334519073e-3f));
    p = V::fmadd(p, r, splat(4.1665795894e-2f));
    p = V::fmadd(p, r, splat(1.6666665459e-1f));
    p = V::fmadd(p, r, splat(5.0000001201e-1f));
    return V::fmadd(p, V::mul(r, r), r);
  }

  // e^(x + xl) where xl is a low-order correction to x (e.g. the rounding error of
  // a square), added after the reduction where it is not lost. Overflows to inf
  // above ~88.7, underflows gradually to 0 below ~-103.3.
  static F exp(F x, F xl) {
    x = V::min(splat(89.0f), V::max(splat(-104.0f), x));
    Reduced k = reduce_ln2(x);
    return V::pow2_times(V::add(expm1_reduced(V::add(k.r, xl)), splat(1.0f)), k.n);
  }

  static F exp(F x) {
    x = V::min(splat(89.0f), V::max(splat(-104.0f), x));
    Reduced k = reduce_ln2(x);
    return V::pow2_times(V::add(expm1_reduced(k.r), splat(1.0f)), k.n);
  }

  // e^x - 1 for x <= 88, accurate relative to the result near 0 (no 1 - 1
  // cancellation): e^x - 1 = 2^n (e^r - 1) + (2^n - 1), where 2^n - 1 is exact for
  // the n that matter. Below -30 the float result is -1 anyway.
  static F expm1(F x) {
    x = V::min(splat(88.0f), V::max(splat(-30.0f), x));
    Reduced k = reduce_ln2(x);
    F em = expm1_reduced(k.r);
    F s = V::pow2(k.n);
    return V::fmadd(s, em, V::sub(s, splat(1.0f)));
  }

  // log(1 + u) for u in [0, 1] (softplus needs no more): w = 1 + u is split as
  // 2^e m with m in [sqrt(1/2), sqrt(2)), log m by the Cephes logf polynomial, and
  // the rounding error of 1 + u is added back as (u - (w - 1)) / w so tiny u keeps
  // its relative accuracy.
  static F log1p_unit(F u) {
    const F one = splat(1.0f);
    F w = V::add(one, u);
    typename V::M big = V::ge(w, splat(1.41421356f));
    F e = V::keep(big, one);
    F m = V::select(big, V::mul(w, splat(0.5f)), w);
    F f = V::sub(m, one);  // exact: Sterbenz
    F z = V::mul(f, f);
    F p = splat(7.0376836292e-2f);
    p = V::fmadd(p, f, splat(-1.1514610310e-1f));
    p = V::fmadd(p, f, splat(1.1676998740e-1f));
    p = V::fmadd(p, f, splat(-1.2420140846e-1f));
    p = V::fmadd(p, f, splat(1.4249322787e-1f));
    p = V::fmadd(p, f, splat(-1.6668057665e-1f));
    p = V::fmadd(p, f, splat(2.0000714765e-1f));
    p = V::fmadd(p, f, splat(-2.4999993993e-1f));
    p = V::fmadd(p, f, splat(3.3333331174e-1f));
    F y = V::mul(V::mul(p, f), z);
    y = V::fmadd(e, splat(-2.12194440e-4f), y);
    y = V::fmadd(splat(-0.5f), z, y);
    F correction = V::div(V::sub(u, V::sub(w, one)), w);
    y = V::add(y, correction);
    return V::fmadd(e, splat(0.693359375f), V::add(f, y));
  }

  // 1 / (1 + e^-x) as num / (1 + e^-|x|) with num = 1 for x >= 0 and e^-|x| for
  // x < 0: no 1 - tiny cancellation, so the far negative tail (y ~ e^x, down to
  // the subnormals) keeps its relative accuracy.
  static F sigmoid(F x) {
    F e = exp(V::neg(V::abs(x)));
    F num = V::select_negative(x, e, splat(1.0f));
    return V::div(num, V::add(splat(1.0f), e));
  }

  // tanh|x| = -u / (2 + u) with u = expm1(-2|x|) in (-1, 0]: accurate relative to
  // the result near 0 (no cancellation) and exactly 1 when saturated; sign restored.
  static F tanh(F x) {
    F u = expm1(V::mul(V::abs(x), splat(-2.0f)));
    F t = V::div(V::neg(u), V::add(splat(2.0f), u));
    return V::or_sign(t, x);
  }

  // The standard normal lower tail Phi(-|x|) = 0.5 erfc(|x|/sqrt2), returned as
  // e * tr with e = exp(-x^2/2) (the density's factor, which GELU's backward needs
  // too) and tr = t R(t), t = 1 / (1 + c|x|), where R is a degree-9 fit of
  // 0.5 erfcx(a/sqrt2) (1 + c a) over t in (0, 1] (relative error 4e-8 before
  // rounding). x^2/2 is carried as hi + lo so e keeps its relative accuracy in the
  // tail (a rounded x^2 would cost x^2 * 6e-8 there). Kept as two factors so GELU
  // can form x * e first and not lose bits to subnormals near x = -13.
  struct NormalTail {
    F e;   // exp(-x^2 / 2)
    F tr;  // Phi(-|x|) / e
  };

  static NormalTail normal_tail(F x) {
    F a = V::min(splat(20.0f), V::abs(x));  // beyond 20 the tail is 0 in float
    F aa = V::mul(a, a);
    F aa_lo = V::fmsub(a, a, aa);  // the exact error of a * a
    F e = exp(V::mul(aa, splat(-0.5f)), V::mul(aa_lo, splat(-0.5f)));
    F t = V::div(splat(1.0f), V::fmadd(splat(0.32f), a, splat(1.0f)));
    F r = splat(-0.0210782718f);
    r = V::fmadd(r, t, splat(0.0954077244f));
    r = V::fmadd(r, t, splat(-0.146708339f));
    r = V::fmadd(r, t, splat(0.0653289184f));
    r = V::fmadd(r, t, splat(-0.00937807932f));
    r = V::fmadd(r, t, splat(0.058654137f));
    r = V::fmadd(r, t, splat(0.0878290683f));
    r = V::fmadd(r, t, splat(0.114622362f));
    r = V::fmadd(r, t, splat(0.127660945f));
    r = V::fmadd(r, t, splat(0.127661526f));
    return {e, V::mul(t, r)};
  }

  // GELU(x) = x Phi(x): x * tail for x < 0, x - x * tail otherwise. x is capped at
  // 20 inside the product so GELU(+inf) = inf rather than inf * 0.
  static F gelu(F x) {
    NormalTail nt = normal_tail(x);
    F q = V::mul(V::mul(V::min(splat(20.0f), x), nt.e), nt.tr);
    return V::select_negative(x, q, V::sub(x, q));
  }

  // log2(1 + f) for f in [0, 1), degree-5 fit (error 1.27e-5; kLog2FractionError
  // in elementwise_simd.h bounds it): the x86 histograms' position estimate.
  static F log2_fraction(F f) {
    F l = V::fmadd(splat(0.0448734201f), f, splat(-0.192195162f));
    l = V::fmadd(l, f, splat(0.413629711f));
    l = V::fmadd(l, f, splat(-0.707992494f));
    l = V::fmadd(l, f, splat(1.44168448f));
    return V::fmadd(l, f, splat(1.25390616e-5f));
  }

  // GELU'(x) = Phi(x) + x phi(x), phi(x) = e / sqrt(2 pi).
  static F gelu_derivative(F x) {
    NormalTail nt = normal_tail(x);
    F tail = V::mul(nt.e, nt.tr);
    F cdf = V::select_negative(x, tail, V::sub(splat(1.0f), tail));
    return V::fmadd(x, V::mul(nt.e, splat(0.398942280f)), cdf);
  }
};

}  // namespace
}  // namespace vgl
