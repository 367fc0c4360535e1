// The AArch64 NEON vector type of the shared kernel templates: 4 floats. NEON has
// no masked loads, so a tail goes through a zero-padded block of 4 and runs the
// same vector code as the body. See simd_avx2.h for what each operation means.
//
// FMAX/FMIN return NaN when either input is NaN, so clamps pass NaN through; the
// max |x| reduction uses FMAXNM, which skips NaN as the scalar kernel does.
#pragma once

#include <arm_neon.h>

#include <cstdint>

namespace vgl {
namespace neon {
namespace {

struct Neon {
  using F = float32x4_t;
  using D = float64x2_t;
  using M = uint32x4_t;
  static constexpr int64_t W = 4;

  // live() is how many of the 4 lanes hold elements.
  struct Full {
    F load(const float* p) const { return vld1q_f32(p); }
    void store(float* p, F v) const { vst1q_f32(p, v); }
    int64_t live() const { return W; }
  };
  struct Tail {
    int64_t count;  // 1..3
    int64_t live() const { return count; }
    F load(const float* p) const {
      float buf[W] = {0.0f, 0.0f, 0.0f, 0.0f};
      for (int64_t l = 0; l < count; ++l) buf[l] = p[l];
      return vld1q_f32(buf);
    }
    void store(float* p, F v) const {
      float buf[W];
      vst1q_f32(buf, v);
      for (int64_t l = 0; l < count; ++l) p[l] = buf[l];
    }
  };
  static Tail tail(int64_t r) { return {r}; }

  static F load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, F v) { vst1q_f32(p, v); }
  static constexpr bool kCheapMaskedLoad = false;  // a tail goes through a stack copy
  // The by-scalar FMA takes the A value straight from a register.
  using Bcast = float;
  static Bcast broadcast(const float* p) { return *p; }
  static F fmadd_bcast(Bcast a, F b, F acc) { return vfmaq_n_f32(acc, b, a); }
  static F mul_scalar(F v, float s) { return vmulq_n_f32(v, s); }
  static F fmadd_scalar(F v, float s, F acc) { return vfmaq_n_f32(acc, v, s); }
  static F splat(float v) { return vdupq_n_f32(v); }
  static F zero() { return vdupq_n_f32(0.0f); }
  static F add(F a, F b) { return vaddq_f32(a, b); }
  static F sub(F a, F b) { return vsubq_f32(a, b); }
  static F mul(F a, F b) { return vmulq_f32(a, b); }
  static F div(F a, F b) { return vdivq_f32(a, b); }
  static F sqrt(F a) { return vsqrtq_f32(a); }
  static F fmadd(F a, F b, F c) { return vfmaq_f32(c, a, b); }
  static F fnmadd(F a, F b, F c) { return vfmsq_f32(c, a, b); }
  static F fmsub(F a, F b, F c) { return vfmaq_f32(vnegq_f32(c), a, b); }
  static F max(F a, F b) { return vmaxq_f32(a, b); }
  static F min(F a, F b) { return vminq_f32(a, b); }
  static F max_skip_nan(F m, F a) { return vmaxnmq_f32(m, a); }
  static F abs(F x) { return vabsq_f32(x); }
  static F neg(F x) { return vnegq_f32(x); }
  static F round(F x) { return vrndnq_f32(x); }
  static F or_sign(F t, F x) {
    uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
    return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(t), sign));
  }

  static M ge(F a, F b) { return vcgeq_f32(a, b); }
  static F keep(M m, F x) { return vreinterpretq_f32_u32(vandq_u32(m, vreinterpretq_u32_f32(x))); }
  static F select(M m, F if_true, F otherwise) { return vbslq_f32(m, if_true, otherwise); }
  static F select_positive(F x, F if_pos, F otherwise) {
    return vbslq_f32(vcgtq_f32(x, vdupq_n_f32(0.0f)), if_pos, otherwise);
  }
  static F select_negative(F x, F if_neg, F otherwise) {
    return vbslq_f32(vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_f32(x), 31)), if_neg, otherwise);
  }

  // p * 2^n as two factors: gradual underflow, overflow to inf (as in simd_avx2.h).
  static F pow2_times(F p, F n_float) {
    const int32x4_t bias = vdupq_n_s32(127), n = vcvtq_s32_f32(n_float);
    int32x4_t n1 = vshrq_n_s32(n, 1);
    int32x4_t n2 = vsubq_s32(n, n1);
    F s1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n1, bias), 23));
    F s2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n2, bias), 23));
    return vmulq_f32(vmulq_f32(p, s1), s2);
  }
  static F pow2(F n) { return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23)); }

  static D dzero() { return vdupq_n_f64(0.0); }
  static D widen_lo(F v) { return vcvt_f64_f32(vget_low_f32(v)); }
  static D widen_hi(F v) { return vcvt_high_f64_f32(v); }
  static D dadd(D a, D b) { return vaddq_f64(a, b); }
  static D dfmadd(D a, D b, D c) { return vfmaq_f64(c, a, b); }
  static double dsum(D v) { return vaddvq_f64(v); }
  static float hmax(F v) { return vmaxnmvq_f32(v); }
};

}  // namespace
}  // namespace neon
}  // namespace vgl
