// The element-wise kernels for AArch64 NEON, 4 floats at a time: Elementwise<Neon>
// (elementwise_simd.h) for everything but the histogram and sum_squares, which are
// written here. Semantics as in kernels.h, tested against elementwise_scalar.cpp.
#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "core/kernels/elementwise_simd.h"
#include "core/kernels/isa_functions.h"
#include "core/kernels/simd_neon.h"

namespace vgl {
namespace neon {

namespace {

using V = Neon;
constexpr int64_t W = V::W;
inline float32x4_t splat(float v) { return V::splat(v); }

// The log10 histogram, 4 values at a time. Each lane's bin is guessed from the
// float's exponent and a cubic in its mantissa (error 4e-4 in log10), then settled
// exactly against the edges by a short scalar walk (NEON has no gather), so bins
// equal scalar's exactly. Needs 0 < nbins <= kMaxVectorBins and
// histogram_range_ok(lo, hi).
struct Log10Bins {
  float edges[kMaxVectorBins + 1];
  int32_t nbins;
  float32x4_t scale, offset, t_max;
  uint32_t local[kMaxVectorBins + 1];  // counts of this call, added to the caller's at the end

  Log10Bins(float lo, float hi, int32_t bins) : nbins(bins) {
    scalar::histogram_edges(lo, hi, nbins, edges);
    for (int32_t b = 0; b <= nbins; ++b) local[b] = 0;
    const double width = (static_cast<double>(hi) - lo) / nbins;
    scale = splat(static_cast<float>(0.30102999566398120 / width));
    offset = splat(static_cast<float>(-lo / width));
    t_max = splat(nbins - 0.5f);
  }

  // Counts the first `lanes` lanes of v.
  void add(float32x4_t v, int64_t lanes) {
    uint32x4_t bits = vandq_u32(vreinterpretq_u32_f32(v), vdupq_n_u32(0x7fffffffu));
    float32x4_t e = vcvtq_f32_s32(vsubq_s32(vreinterpretq_s32_u32(vshrq_n_u32(bits, 23)), vdupq_n_s32(127)));
    float32x4_t f = vsubq_f32(vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x7fffffu)),
                                                              vdupq_n_u32(0x3f800000u))),
                              splat(1.0f));
    float32x4_t l2 = vfmaq_f32(splat(-0.567749277f), splat(0.153912545f), f);
    l2 = vfmaq_f32(splat(1.41348336f), l2, f);
    l2 = vfmaq_f32(splat(1.33488786e-3f), l2, f);
    float32x4_t t = vfmaq_f32(offset, vaddq_f32(e, l2), scale);
    t = vminq_f32(t_max, vmaxq_f32(splat(0.0f), t));
    uint32_t lane_bits[W];
    int32_t guess[W];
    vst1q_u32(lane_bits, bits);
    vst1q_s32(guess, vcvtq_s32_f32(t));
    for (int64_t l = 0; l < lanes; ++l) {  // the padded tail lanes are not counted
      uint32_t b = lane_bits[l];
      if (b == 0) {
        ++local[nbins];
      } else if (b < 0x7f800000u) {
        float a;
        std::memcpy(&a, &b, sizeof a);
        int32_t k = guess[l];
        while (a >= edges[k + 1]) ++k;  // edges[nbins] = inf stops it
        while (a < edges[k]) --k;       // edges[0] = 0 stops it
        ++local[k];
      }
    }
  }

  // Adds this call's counts into counts[0..nbins].
  void add_to(uint32_t* counts) const {
    for (int32_t b = 0; b <= nbins; ++b) counts[b] += local[b];
  }
};

}  // namespace

VGL_ELEMENTWISE_FROM_TEMPLATE(V)

// One block per step, two chains (the x86 kernels' four-chain loop would change
// the summation order of results this ISA has always given).
double sum_squares(const float* x, int64_t n) {
  float64x2_t q0 = V::dzero(), q1 = q0;
  Elementwise<V>::for_blocks(n, [&](int64_t i, auto io) {
    float32x4_t a = io.load(x + i);
    float64x2_t lo = V::widen_lo(a), hi = V::widen_hi(a);
    q0 = V::dfmadd(lo, lo, q0);
    q1 = V::dfmadd(hi, hi, q1);
  });
  return V::dsum(V::dadd(q0, q1));
}

void moments(const float* x, int64_t n, double* sum, double* sum_sq) { Elementwise<V>::moments(x, n, sum, sum_sq); }

void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  Elementwise<V>::grad_stats<Log10Bins>(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
}

}  // namespace neon
}  // namespace vgl
