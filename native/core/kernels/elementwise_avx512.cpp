// The element-wise kernels for AVX-512 (F/BW/DQ/VL), 16 floats at a time:
// Elementwise<Avx512> (elementwise_simd.h) for everything but the histogram and an
// unrolled moments, which are written here against AVX-512's masks, gathers and
// byte instructions. Semantics as in kernels.h, tested against
// elementwise_scalar.cpp.
//
// GCC 12's AVX-512 intrinsics warn about their own _mm512_undefined_*() when
// inlined (GCC bug 105593, fixed in 13); the warnings say nothing about this code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <cstdint>

#include "core/kernels/elementwise_simd.h"
#include "core/kernels/isa_functions.h"
#include "core/kernels/simd_avx512.h"

namespace vgl {
namespace avx512 {

namespace {

using V = Avx512;
using AbsSums = Elementwise<V>::AbsSums;
constexpr int64_t W = V::W;
inline __m512 splat(float v) { return V::splat(v); }

// Steps each lane up while a >= edges[bin + 1] and down while a < edges[bin]
// until none moves: exact from any start in [0, nbins - 1] for finite a >= 0.
inline __m512i search_bins(__m512 a, __m512i bin, const float* edges) {
  const __m512i one = _mm512_set1_epi32(1);
  for (;;) {
    __m512 below = _mm512_i32gather_ps(bin, edges, 4);
    __m512 above = _mm512_i32gather_ps(bin, edges + 1, 4);
    __mmask16 up = _mm512_cmp_ps_mask(a, above, _CMP_GE_OQ);
    __mmask16 down = _mm512_cmp_ps_mask(a, below, _CMP_LT_OQ);
    if ((up | down) == 0) return bin;
    bin = _mm512_mask_add_epi32(bin, up, bin, one);
    bin = _mm512_mask_sub_epi32(bin, down, bin, one);
  }
}

// The log10 histogram, 16 values at a time, as Log10Bins in elementwise_avx2.cpp:
// position from exponent and mantissa, lanes near an edge settled against the
// edges, one sub-histogram per lane. Needs 0 < nbins <= kMaxVectorBins and
// histogram_range_ok(lo, hi).
struct Log10Bins {
  float edges[kMaxVectorBins + 1];
  HistogramPlan plan;
  int32_t nbins;
  LaneCounts<W> per_lane;
  __m512 scale, offset, margin, t_max;
  __m512i zero_slot, skip_slot, lane_base;

  Log10Bins(float lo, float hi, int32_t bins) : plan(histogram_plan(lo, hi, bins)), nbins(bins), per_lane(bins) {
    scalar::histogram_edges(lo, hi, nbins, edges);
    plan.subnormal_edges = edges[1] < 0x1p-126f;  // see elementwise_avx2.cpp
    scale = splat(plan.scale);
    offset = splat(plan.offset);
    margin = splat(plan.margin);
    t_max = splat(nbins - 0.5f);
    zero_slot = _mm512_set1_epi32(nbins);
    skip_slot = _mm512_set1_epi32(nbins + 1);
    lane_base = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                   _mm512_set1_epi32(per_lane.stride));
  }

  // The slot of each lane of v: its bin, nbins for a zero, nbins + 1 for NaN, Inf
  // and the lanes live leaves out.
  __m512i slots(__m512 v, __mmask16 live) const {
    const __m512 t_min = splat(0.5f);
    const __m512i zero_i = _mm512_setzero_si512();
    __m512i bits = _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff));
    __mmask16 finite_nonzero =
        live & _mm512_cmpgt_epi32_mask(bits, zero_i) & _mm512_cmpgt_epi32_mask(_mm512_set1_epi32(0x7f800000), bits);
    __mmask16 is_zero = live & _mm512_cmpeq_epi32_mask(bits, zero_i);
    // t comes from the bits as integers: finite in every lane, zeros, NaN and Inf included.
    __m512 e = _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(127)));
    __m512 f = _mm512_sub_ps(_mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi32(0x7fffff)),
                                                                 _mm512_castps_si512(splat(1.0f)))),
                             splat(1.0f));
    __m512 t = _mm512_fmadd_ps(e, scale, _mm512_fmadd_ps(VecMath<V>::log2_fraction(f), scale, offset));
    t = _mm512_min_ps(t_max, _mm512_max_ps(t_min, t));  // out-of-range values land mid-bin
    __m512i bin = _mm512_cvttps_epi32(t);
    __m512 nearest = _mm512_roundscale_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 dist = _mm512_abs_ps(_mm512_sub_ps(t, nearest));
    __mmask16 unsure = _mm512_cmp_ps_mask(dist, margin, _CMP_LT_OQ);
    if (plan.subnormal_edges) {
      // Subnormals have no implicit 1, so t overestimates them: trust only bin 0.
      unsure |= _mm512_cmpgt_epi32_mask(_mm512_set1_epi32(0x00800000), bits) & _mm512_cmp_ps_mask(t, t_min, _CMP_GT_OQ);
    }
    unsure &= finite_nonzero;
    if (plan.always_search || unsure) {
      // Lanes not being binned search with a = 0, which stays inside [0, nbins - 1].
      bin = search_bins(_mm512_castsi512_ps(_mm512_maskz_mov_epi32(finite_nonzero, bits)), bin, edges);
    }

    __m512i slot = _mm512_mask_blend_epi32(is_zero, skip_slot, zero_slot);
    return _mm512_mask_blend_epi32(finite_nonzero, slot, bin);
  }

  // Counts the lanes of v selected by live, one sub-histogram per lane.
  void add(__m512 v, __mmask16 live) {
    __m512i slot = slots(v, live);
    alignas(64) uint64_t index[W / 2];
    _mm512_store_si512(index, _mm512_add_epi32(slot, lane_base));
    per_lane.count(index);
  }

  void add_to(uint32_t* counts) const { per_lane.add_to(counts); }
};

// ---- Counting without scalar increments (histograms of up to kMaxByteBins bins)
//
// Four vectors of slots (64 values) are packed to one vector of bytes (the order of
// the values does not matter to a histogram). Slot s is bin bit s % 8 of group
// s / 8: per group g, vpermb turns each byte into its one-hot bit (0 when the slot
// is in another group, or is the NaN / Inf / padding slot), then gf2p8affineqb
// transposes each 8x8 bit block (byte j of a qword gets bit j of its eight bytes)
// so vpopcntb gives, per qword, how many of its eight values are in each bin of
// the group. Those byte counts (at most 8 a step) are summed in byte lanes and
// widened to 32 bits every kFlushSteps steps, before a byte can overflow.
// Needs AVX512-VBMI, GFNI and AVX512-BITALG (Ice Lake, Zen 4 and later), checked
// at run time; without them the per-lane sub-histograms above are used.
#define VGL_BYTE_HIST_TARGET __attribute__((target("avx512vbmi,gfni,avx512bitalg")))

constexpr int32_t kMaxByteBins = 62;  // slots 0..nbins+1 must fit in 6 bits
constexpr int kFlushSteps = 31;       // 31 * 8 = 248 <= 255

bool byte_histogram_supported() {
  static const bool ok = __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("gfni") &&
                         __builtin_cpu_supports("avx512bitalg");
  return ok;
}

// The slots of histograms of up to kMaxOctaveBins bins found exactly from the
// exponent and one comparison. The values with one exponent (one octave, [2^E,
// 2^(E+1))) are counted in at most two neighbouring bins when no two interior
// edges fall in one octave (bins wider than log10(2), as the traces' 0.75 are):
// then bin(a) = b(E) + (a >= edges[b(E) + 1]) with b(E) the bin of the octave's
// smallest value. b(E) for a window of 128 exponents is a byte table (vpermt2b),
// the edges a float table (vpermt2ps); exponents below the window share its first
// entry, above it its last. The constructor checks the rule on every entry
// (smallest and largest value of each) and clears ok when it does not hold.
constexpr int32_t kMaxOctaveBins = 32;

struct OctaveBins {
  bool ok = false;
  int32_t nbins = 0, ebase = 0;
  __m512i bin_lo, bin_hi;   // b of the exponents ebase + 0..63, ebase + 64..127
  __m512 edge_lo, edge_hi;  // edges[1..nbins-1], then +inf
  __m512i zero_slot, skip_slot, ebase_bytes, last_index;

  OctaveBins() = default;
  OctaveBins(const float* edges, int32_t bins) : nbins(bins) {
    // Window: from the exponent below the first interior edge's (everything
    // below it is in bin 0).
    uint32_t first_bits;
    __builtin_memcpy(&first_bits, nbins > 1 ? &edges[1] : &edges[0], 4);
    int32_t e1 = static_cast<int32_t>(first_bits >> 23);
    ebase = e1 > 0 ? e1 - 1 : 0;
    alignas(64) uint8_t bin_table[128];
    alignas(64) float edge_table[32];
    for (int k = 0; k < 32; ++k) edge_table[k] = k + 1 < nbins ? edges[k + 1] : __builtin_inff();
    // count(v) = number of interior edges <= v, i.e. the scalar bin; v ascends
    // with k, so both counts walk forward.
    int32_t below = 0, above = 0;
    for (int k = 0; k < 128; ++k) {
      int32_t e = ebase + k;
      if (e > 254) {  // only Inf and NaN have such exponents; their slots do not use b
        bin_table[k] = static_cast<uint8_t>(bin_table[k - 1]);
        continue;
      }
      uint32_t low_bits = k == 0 ? 1u : static_cast<uint32_t>(e) << 23;         // smallest positive value
      uint32_t high_bits = (k == 127 || e == 254) ? 0x7f7fffffu : ((static_cast<uint32_t>(e) + 1) << 23) - 1;
      float low, high;
      __builtin_memcpy(&low, &low_bits, 4);
      __builtin_memcpy(&high, &high_bits, 4);
      while (below + 1 < nbins && edges[below + 1] <= low) ++below;
      if (above < below) above = below;
      while (above + 1 < nbins && edges[above + 1] <= high) ++above;
      if (above - below > 1) return;  // two edges in one octave: not for this path
      bin_table[k] = static_cast<uint8_t>(below);
    }
    bin_lo = _mm512_load_si512(bin_table);
    bin_hi = _mm512_load_si512(bin_table + 64);
    edge_lo = _mm512_load_ps(edge_table);
    edge_hi = _mm512_load_ps(edge_table + 16);
    zero_slot = _mm512_set1_epi32(nbins);
    skip_slot = _mm512_set1_epi32(nbins + 1);
    ebase_bytes = _mm512_set1_epi32(ebase);
    last_index = _mm512_set1_epi32(127);
    ok = true;
  }

  VGL_BYTE_HIST_TARGET __m512i slots(__m512 v, __mmask16 live) const {
    __m512 a = _mm512_abs_ps(v);
    __mmask16 is_zero = live & _mm512_fpclass_ps_mask(v, 0x06);         // +0, -0
    __mmask16 finite_nonzero = live & ~_mm512_fpclass_ps_mask(v, 0x9f);  // not 0, Inf, NaN
    // The biased exponent is in byte 0 of each lane (the sign is cleared); the
    // byte arithmetic saturates at 0 and leaves the other (zero) bytes zero.
    __m512i e = _mm512_srli_epi32(_mm512_castps_si512(a), 23);
    __m512i index = _mm512_min_epu8(_mm512_subs_epu8(e, ebase_bytes), last_index);
    __m512i bin = _mm512_maskz_permutex2var_epi8(0x1111111111111111ull, bin_lo, index, bin_hi);
    __m512 edge = _mm512_permutex2var_ps(edge_lo, bin, edge_hi);
    bin = _mm512_mask_add_epi32(bin, _mm512_cmp_ps_mask(a, edge, _CMP_GE_OQ), bin, _mm512_set1_epi32(1));
    __m512i slot = _mm512_mask_mov_epi32(skip_slot, finite_nonzero, bin);
    return _mm512_mask_mov_epi32(slot, is_zero, zero_slot);
  }
};

// Adds the four slot vectors' counts to the byte counters acc[0..G).
template <int G>
VGL_BYTE_HIST_TARGET inline void count_bytes(__m512i s0, __m512i s1, __m512i s2, __m512i s3, const __m512i* onehot,
                                             __m512i* acc) {
  const __m512i unit = _mm512_set1_epi64(static_cast<long long>(0x8040201008040201ull));
  __m512i b = _mm512_packus_epi16(_mm512_packus_epi32(s0, s1), _mm512_packus_epi32(s2, s3));
  for (int g = 0; g < G; ++g) {
    __m512i bits = _mm512_permutexvar_epi8(b, onehot[g]);
    __m512i t = _mm512_gf2p8affine_epi64_epi8(unit, bits, 0);
    acc[g] = _mm512_add_epi8(acc[g], _mm512_popcnt_epi8(t));
  }
}

// Widens the byte counters into wide[g][0..64) and clears them.
template <int G>
VGL_BYTE_HIST_TARGET inline void flush_bytes(__m512i* acc, uint32_t (*wide)[64]) {
  for (int g = 0; g < G; ++g) {
    const __m128i part[4] = {_mm512_extracti32x4_epi32(acc[g], 0), _mm512_extracti32x4_epi32(acc[g], 1),
                             _mm512_extracti32x4_epi32(acc[g], 2), _mm512_extracti32x4_epi32(acc[g], 3)};
    for (int k = 0; k < 4; ++k) {
      __m512i sum = _mm512_add_epi32(_mm512_loadu_si512(wide[g] + 16 * k), _mm512_cvtepu8_epi32(part[k]));
      _mm512_storeu_si512(wide[g] + 16 * k, sum);
    }
    acc[g] = _mm512_setzero_si512();
  }
}

// grad_stats with the histogram counted in bytes: 0 < nbins <= kMaxByteBins,
// G = nbins / 8 + 1 groups.
template <int G, class Slots>
VGL_BYTE_HIST_TARGET void grad_stats_bytes(const float* x, int64_t n, const Slots& bins, int32_t nbins,
                                           uint32_t* counts, AbsSums& sums_out) {
  AbsSums sums = sums_out;  // a local copy stays in registers
  __m512i onehot[G], acc[G];
  uint32_t wide[G][64];
  for (int g = 0; g < G; ++g) {
    alignas(64) uint8_t table[64];
    for (int s = 0; s < 64; ++s) table[s] = (s / 8 == g && s <= nbins) ? static_cast<uint8_t>(1u << (s % 8)) : 0;
    onehot[g] = _mm512_load_si512(table);
    acc[g] = _mm512_setzero_si512();
    for (int k = 0; k < 64; ++k) wide[g][k] = 0;
  }
  int steps = 0;
  int64_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    __m512 v0 = _mm512_loadu_ps(x + i), v1 = _mm512_loadu_ps(x + i + W);
    __m512 v2 = _mm512_loadu_ps(x + i + 2 * W), v3 = _mm512_loadu_ps(x + i + 3 * W);
    sums.add(v0);
    sums.add(v1);
    sums.add(v2);
    sums.add(v3);
    count_bytes<G>(bins.slots(v0, 0xffff), bins.slots(v1, 0xffff), bins.slots(v2, 0xffff), bins.slots(v3, 0xffff),
                   onehot, acc);
    if (++steps == kFlushSteps) {
      flush_bytes<G>(acc, wide);
      steps = 0;
    }
  }
  if (i < n) {  // 1 to 63 values left: masked loads, the lanes past n in the padding slot
    __m512i s[4];
    for (int k = 0; k < 4; ++k) {
      int64_t left = n - i - k * W;
      __mmask16 live = left >= W ? static_cast<__mmask16>(0xffff)
                       : left > 0 ? static_cast<__mmask16>((1u << left) - 1)
                                  : static_cast<__mmask16>(0);
      __m512 v = _mm512_maskz_loadu_ps(live, x + i + k * W);  // lanes off the mask never fault
      sums.add(v);  // zeros, which change nothing
      s[k] = bins.slots(v, live);
    }
    count_bytes<G>(s[0], s[1], s[2], s[3], onehot, acc);
  }
  flush_bytes<G>(acc, wide);
  sums_out = sums;
  for (int g = 0; g < G; ++g) {
    for (int j = 0; j < 8 && 8 * g + j <= nbins; ++j) {
      uint32_t total = 0;
      for (int q = 0; q < 8; ++q) total += wide[g][8 * q + j];
      counts[8 * g + j] += total;
    }
  }
}

// The byte-counting paths, for 0 < nbins <= kMaxByteBins (the caller checks
// byte_histogram_supported()).
VGL_BYTE_HIST_TARGET void grad_stats_bytes(const float* x, int64_t n, float lo, float hi, int32_t nbins,
                                           uint32_t* counts, AbsSums& sums) {
  if (nbins <= kMaxOctaveBins) {
    // Building the tables costs about as much as binning a few thousand values, and
    // the traces ask for the same range on every call: keep the last one per thread.
    thread_local float cached_lo = 0, cached_hi = 0;
    thread_local int32_t cached_bins = -1;
    thread_local OctaveBins octaves;
    if (cached_bins != nbins || cached_lo != lo || cached_hi != hi) {
      float edges[kMaxOctaveBins + 1];
      scalar::histogram_edges(lo, hi, nbins, edges);
      octaves = OctaveBins(edges, nbins);
      cached_lo = lo;
      cached_hi = hi;
      cached_bins = nbins;
    }
    if (octaves.ok) {
      switch (nbins / 8) {
        case 0: return grad_stats_bytes<1>(x, n, octaves, nbins, counts, sums);
        case 1: return grad_stats_bytes<2>(x, n, octaves, nbins, counts, sums);
        case 2: return grad_stats_bytes<3>(x, n, octaves, nbins, counts, sums);
        case 3: return grad_stats_bytes<4>(x, n, octaves, nbins, counts, sums);
        default: return grad_stats_bytes<5>(x, n, octaves, nbins, counts, sums);
      }
    }
  }
  Log10Bins bins(lo, hi, nbins);
  switch (nbins / 8) {
    case 0: return grad_stats_bytes<1>(x, n, bins, nbins, counts, sums);
    case 1: return grad_stats_bytes<2>(x, n, bins, nbins, counts, sums);
    case 2: return grad_stats_bytes<3>(x, n, bins, nbins, counts, sums);
    case 3: return grad_stats_bytes<4>(x, n, bins, nbins, counts, sums);
    case 4: return grad_stats_bytes<5>(x, n, bins, nbins, counts, sums);
    case 5: return grad_stats_bytes<6>(x, n, bins, nbins, counts, sums);
    case 6: return grad_stats_bytes<7>(x, n, bins, nbins, counts, sums);
    default: return grad_stats_bytes<8>(x, n, bins, nbins, counts, sums);
  }
}

}  // namespace

VGL_ELEMENTWISE_FROM_TEMPLATE(V)

double sum_squares(const float* x, int64_t n) { return Elementwise<V>::sum_squares(x, n); }

// Two blocks per step into two sets of sums: the adds' latency, not memory, was
// the limit with one.
void moments(const float* x, int64_t n, double* sum, double* sum_sq) {
  using E = Elementwise<V>;
  E::MomentSums even, odd;
  int64_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    even.add(V::load(x + i));
    odd.add(V::load(x + i + W));
  }
  even.merge(odd);
  E::for_blocks(n - i, [&](int64_t j, auto io) { even.add(io.load(x + i + j)); });
  even.store(sum, sum_sq);
}

// The byte-counting histogram when the CPU has it, else the shared loop with the
// per-lane sub-histograms.
void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  if (counts && nbins > 0 && nbins <= kMaxByteBins && scalar::histogram_range_ok(lo, hi) &&
      byte_histogram_supported()) {
    AbsSums sums;
    grad_stats_bytes(x, n, lo, hi, nbins, counts, sums);
    sums.store(sum_abs, max_abs, sum_sq);
    return;
  }
  Elementwise<V>::grad_stats<Log10Bins>(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
}

}  // namespace avx512
}  // namespace vgl
