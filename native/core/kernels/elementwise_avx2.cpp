// The element-wise kernels for AVX2 + FMA, 8 floats at a time: Elementwise<Avx2>
// (elementwise_simd.h) for everything but the histogram, which is written here
// against AVX2's gathers and integer lanes. Semantics as in kernels.h, tested
// against elementwise_scalar.cpp.
#include <immintrin.h>

#include <cstdint>

#include "core/kernels/elementwise_simd.h"
#include "core/kernels/isa_functions.h"
#include "core/kernels/simd_avx2.h"

namespace vgl {
namespace avx2 {

namespace {

using V = Avx2;
constexpr int64_t W = V::W;
inline __m256 splat(float v) { return V::splat(v); }

// Settles each lane's bin by comparison: steps up while a >= edges[bin + 1] and
// down while a < edges[bin] until no lane moves. Exact from any starting bin in
// [0, nbins - 1] for finite a >= 0 (edges[0] = 0 and edges[nbins] = inf bound it).
inline __m256i search_bins(__m256 a, __m256i bin, const float* edges) {
  for (;;) {
    __m256 below = _mm256_i32gather_ps(edges, bin, 4);
    __m256 above = _mm256_i32gather_ps(edges + 1, bin, 4);
    __m256i up = _mm256_castps_si256(_mm256_cmp_ps(a, above, _CMP_GE_OQ));
    __m256i down = _mm256_castps_si256(_mm256_cmp_ps(a, below, _CMP_LT_OQ));
    __m256i moves = _mm256_or_si256(up, down);
    if (_mm256_testz_si256(moves, moves)) return bin;
    bin = _mm256_add_epi32(bin, _mm256_sub_epi32(down, up));  // masks are -1: up adds 1, down subtracts 1
  }
}

// The log10 histogram, 8 values at a time. Each lane computes its position t in
// bins from the float's exponent and mantissa (no log); lanes near an edge, or all
// lanes when the bins are too narrow for t, are settled against the edges by
// search_bins, so every bin equals scalar's exactly. Each lane counts into its own
// sub-histogram so a run of equal bins does not serialise on one counter.
// Needs 0 < nbins <= kMaxVectorBins and histogram_range_ok(lo, hi).
struct Log10Bins {
  float edges[kMaxVectorBins + 1];
  HistogramPlan plan;
  int32_t nbins;
  LaneCounts<W> per_lane;
  __m256 scale, offset, margin, t_max;
  __m256i skip_slot, lane_base;

  Log10Bins(float lo, float hi, int32_t bins) : plan(histogram_plan(lo, hi, bins)), nbins(bins), per_lane(bins) {
    scalar::histogram_edges(lo, hi, nbins, edges);
    // Above 2^-126 a subnormal's true bin is 0, and its t (that of a value in
    // [2^-127, 2^-126)) says 0 or is unsure: no check needed.
    plan.subnormal_edges = edges[1] < 0x1p-126f;
    scale = splat(plan.scale);
    offset = splat(plan.offset);
    margin = splat(plan.margin);
    t_max = splat(nbins - 0.5f);
    skip_slot = _mm256_set1_epi32(nbins + 1);
    lane_base = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(per_lane.stride));
  }

  // Counts the lanes of v selected by live.
  void add(__m256 v, __m256i live) {
    const __m256 t_min = splat(0.5f);
    const __m256i zero_i = _mm256_setzero_si256();
    __m256i bits = _mm256_and_si256(_mm256_castps_si256(v), _mm256_set1_epi32(0x7fffffff));
    __m256i finite_nonzero =
        _mm256_and_si256(_mm256_cmpgt_epi32(bits, zero_i), _mm256_cmpgt_epi32(_mm256_set1_epi32(0x7f800000), bits));
    finite_nonzero = _mm256_and_si256(finite_nonzero, live);
    __m256i is_zero = _mm256_and_si256(_mm256_cmpeq_epi32(bits, zero_i), live);
    // t comes from the bits as integers, so it is finite in every lane (zeros, NaN
    // and Inf included; their slots are set below).
    __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127)));
    __m256 f = _mm256_sub_ps(_mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x7fffff)),
                                                                 _mm256_castps_si256(splat(1.0f)))),
                             splat(1.0f));
    __m256 t = _mm256_fmadd_ps(e, scale, _mm256_fmadd_ps(VecMath<V>::log2_fraction(f), scale, offset));
    // Clamped into [0.5, nbins - 0.5], out-of-range values land mid-bin: certain.
    t = _mm256_min_ps(t_max, _mm256_max_ps(t_min, t));
    __m256i bin = _mm256_cvttps_epi32(t);
    __m256 dist = V::abs(_mm256_sub_ps(t, _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
    __m256i unsure = _mm256_castps_si256(_mm256_cmp_ps(dist, margin, _CMP_LT_OQ));
    if (plan.subnormal_edges) {
      // Subnormals have no implicit 1, so t overestimates them: trust only bin 0.
      __m256i subnormal_high = _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(0x00800000), bits),
                                                _mm256_castps_si256(_mm256_cmp_ps(t, t_min, _CMP_GT_OQ)));
      unsure = _mm256_or_si256(unsure, subnormal_high);
    }
    unsure = _mm256_and_si256(unsure, finite_nonzero);
    if (plan.always_search || !_mm256_testz_si256(unsure, unsure)) {
      // Lanes not being binned search with a = 0, which stays inside [0, nbins - 1].
      bin = search_bins(_mm256_castsi256_ps(_mm256_and_si256(bits, finite_nonzero)), bin, edges);
    }

    // Zeros go to slot nbins, NaN, Inf and padding to nbins + 1 (is_zero is -1 where set).
    __m256i slot = _mm256_blendv_epi8(_mm256_add_epi32(skip_slot, is_zero), bin, finite_nonzero);
    alignas(32) uint64_t index[W / 2];
    _mm256_store_si256(reinterpret_cast<__m256i*>(index), _mm256_add_epi32(slot, lane_base));
    per_lane.count(index);
  }

  void add_to(uint32_t* counts) const { per_lane.add_to(counts); }
};

}  // namespace

VGL_ELEMENTWISE_FROM_TEMPLATE(V)

double sum_squares(const float* x, int64_t n) { return Elementwise<V>::sum_squares(x, n); }

void moments(const float* x, int64_t n, double* sum, double* sum_sq) { Elementwise<V>::moments(x, n, sum, sum_sq); }

void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  Elementwise<V>::grad_stats<Log10Bins>(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
}

}  // namespace avx2
}  // namespace vgl
