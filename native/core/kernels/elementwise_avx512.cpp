// The element-wise kernels for AVX-512 (F/BW/DQ/VL), 16 floats at a time; the
// same algorithms as elementwise_avx2.cpp (see there for the reasoning), tested
// against elementwise_scalar.cpp. Tails use masked loads and stores through the
// same vector code.
//
// No standard-library templates here: an inline function instantiated in this
// file is compiled for AVX-512 and the linker may keep that copy program-wide.
// GCC 12's AVX-512 intrinsics warn about their own _mm512_undefined_*() when
// inlined (GCC bug 105593, fixed in 13); the warnings say nothing about this code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "core/kernels/isa_functions.h"
#include "core/kernels/vecmath_avx512.h"

namespace vgl {
namespace scalar {
// Defined in elementwise_scalar.cpp: the histogram's edge rule, shared so every
// ISA bins exactly alike.
void histogram_edges(float lo, float hi, int32_t nbins, float* edges);
bool histogram_range_ok(float lo, float hi);
}  // namespace scalar

namespace avx512 {

namespace {

constexpr int64_t W = 16;  // lanes

// Whole blocks use plain loads and stores; the tail masked ones (masked-off lanes
// read as 0, are never written, and never fault). live() is the mask of the lanes
// that hold elements.
struct Full {
  __m512 load(const float* p) const { return _mm512_loadu_ps(p); }
  void store(float* p, __m512 v) const { _mm512_storeu_ps(p, v); }
  __mmask16 live() const { return 0xffff; }
};
struct Tail {
  __mmask16 mask;
  __m512 load(const float* p) const { return _mm512_maskz_loadu_ps(mask, p); }
  void store(float* p, __m512 v) const { _mm512_mask_storeu_ps(p, mask, v); }
  __mmask16 live() const { return mask; }
};

// Runs body(i, io) over [0, n) in blocks of 16, io being Full or Tail.
template <class B>
void for_blocks(int64_t n, B body) {
  int64_t i = 0;
  for (; i + W <= n; i += W) body(i, Full{});
  if (i < n) body(i, Tail{static_cast<__mmask16>((1u << (n - i)) - 1)});
}

// y[i] = f(x[i]); y may equal x.
template <class F>
void map_forward(float* y, const float* x, int64_t n, F f) {
  for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, f(io.load(x + i))); });
}

// dx[i] += dy[i] * d(x[i], y[i]); loads a derivative does not use are dropped.
template <class D>
void map_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, D d) {
  for_blocks(n, [&](int64_t i, auto io) {
    __m512 g = d(io.load(x + i), io.load(y + i));
    io.store(dx + i, _mm512_fmadd_ps(io.load(dy + i), g, io.load(dx + i)));
  });
}

inline __m512 select_positive(__m512 x, __m512 if_pos, __m512 otherwise) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), otherwise, if_pos);
}

inline __m512d low_pd(__m512 v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
inline __m512d high_pd(__m512 v) { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)); }

// Double accumulators of a sum of squares: the step each optimiser takes, and the
// weights it read.
struct SquareSum {
  __m512d lo = _mm512_setzero_pd(), hi = _mm512_setzero_pd();
  void add(__m512 d) {
    __m512d a = low_pd(d), b = high_pd(d);
    lo = _mm512_fmadd_pd(a, a, lo);
    hi = _mm512_fmadd_pd(b, b, hi);
  }
  double total() const { return _mm512_reduce_add_pd(_mm512_add_pd(lo, hi)); }
};

// grad_stats' sums and max: sum |x| and sum x^2 in double, max |x| in float.
struct AbsSums {
  __m512d s0 = _mm512_setzero_pd(), s1 = s0, q0 = s0, q1 = s0;
  __m512 m = _mm512_setzero_ps();
  void add(__m512 x) {  // masked-off lanes are zeros, which change nothing
    __m512 a = _mm512_abs_ps(x);
    m = _mm512_max_ps(a, m);  // returns m when a is NaN: max |x| skips NaN, as scalar
    __m512d lo = low_pd(a), hi = high_pd(a);
    s0 = _mm512_add_pd(s0, lo);
    s1 = _mm512_add_pd(s1, hi);
    q0 = _mm512_fmadd_pd(lo, lo, q0);
    q1 = _mm512_fmadd_pd(hi, hi, q1);
  }
  void store(double* sum_abs, float* max_abs, double* sum_sq) const {
    *sum_abs = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    *max_abs = _mm512_reduce_max_ps(m);
    *sum_sq = _mm512_reduce_add_pd(_mm512_add_pd(q0, q1));
  }
};

constexpr int32_t kMaxVectorBins = 256;  // larger histograms use the scalar kernel

// Position in bins t = (e + log2(1 + f)) * scale + offset, trusted unless within
// margin of an interior edge; see HistogramPlan in elementwise_avx2.cpp for the
// error bound term by term (same polynomial, same arithmetic).
struct HistogramPlan {
  float scale, offset, margin;
  bool always_search;    // bins so narrow that t cannot be trusted at all
  bool subnormal_edges;  // an interior edge below 2^-126, where t of a subnormal is not trusted
};

constexpr double kLog2FractionError = 2e-5;  // measured 1.27e-5 over all fractions

HistogramPlan histogram_plan(float lo, float hi, int32_t nbins) {
  const double u = 0x1p-24, width = (static_cast<double>(hi) - lo) / nbins;
  HistogramPlan p;
  p.scale = static_cast<float>(0.30102999566398120 / width);
  p.offset = static_cast<float>(-lo / width);
  double c = p.scale, off = std::fabs(p.offset);
  double bound = c * kLog2FractionError + 150 * c * u + off * u + (c + off) * u + (nbins + 1) * u + 5 * c * u;
  p.margin = static_cast<float>(4 * bound);
  p.always_search = p.margin > 0.25f;
  return p;
}

// log2(1 + f) for f in [0, 1), degree-5 fit (error 1.27e-5).
inline __m512 log2_fraction(__m512 f) {
  __m512 l = _mm512_fmadd_ps(splat(0.0448734201f), f, splat(-0.192195162f));
  l = _mm512_fmadd_ps(l, f, splat(0.413629711f));
  l = _mm512_fmadd_ps(l, f, splat(-0.707992494f));
  l = _mm512_fmadd_ps(l, f, splat(1.44168448f));
  return _mm512_fmadd_ps(l, f, splat(1.25390616e-5f));
}

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
  int32_t nbins, stride;  // stride: bins, zeros, and a slot for NaN / Inf / padding
  uint32_t sub[W * (kMaxVectorBins + 2)];
  __m512 scale, offset, margin, t_max;
  __m512i zero_slot, skip_slot, lane_base;

  Log10Bins(float lo, float hi, int32_t bins) : plan(histogram_plan(lo, hi, bins)), nbins(bins), stride(bins + 2) {
    scalar::histogram_edges(lo, hi, nbins, edges);
    plan.subnormal_edges = edges[1] < 0x1p-126f;  // see elementwise_avx2.cpp
    for (int32_t k = 0; k < W * stride; ++k) sub[k] = 0;
    scale = splat(plan.scale);
    offset = splat(plan.offset);
    margin = splat(plan.margin);
    t_max = splat(nbins - 0.5f);
    zero_slot = _mm512_set1_epi32(nbins);
    skip_slot = _mm512_set1_epi32(nbins + 1);
    lane_base = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                   _mm512_set1_epi32(stride));
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
    __m512 t = _mm512_fmadd_ps(e, scale, _mm512_fmadd_ps(log2_fraction(f), scale, offset));
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
    // Read back as two lanes per 64-bit word: half the loads (or shuffles) of
    // reading lane by lane, which were measured to bound this loop.
    alignas(64) uint64_t index[W / 2];
    _mm512_store_si512(index, _mm512_add_epi32(slot, lane_base));
    for (int l = 0; l < W / 2; ++l) {
      ++sub[static_cast<uint32_t>(index[l])];
      ++sub[index[l] >> 32];
    }
  }

  // Adds the lanes' counts into counts[0..nbins].
  void add_to(uint32_t* counts) const {
    for (int32_t b = 0; b <= nbins; ++b) {
      uint32_t total = 0;
      for (int l = 0; l < W; ++l) total += sub[l * stride + b];
      counts[b] += total;
    }
  }
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

void act_forward(Act act, float* y, const float* x, int64_t n, float p) {
  const __m512 zero = _mm512_setzero_ps(), vp = splat(p);
  switch (act) {
    case Act::Linear:
      if (y != x) map_forward(y, x, n, [](__m512 v) { return v; });
      return;
    case Act::Sigmoid: return map_forward(y, x, n, [](__m512 v) { return sigmoid_ps(v); });
    case Act::Tanh: return map_forward(y, x, n, [](__m512 v) { return tanh_ps(v); });
    case Act::Relu: return map_forward(y, x, n, [&](__m512 v) { return _mm512_max_ps(zero, v); });
    case Act::LeakyRelu:
      return map_forward(y, x, n, [&](__m512 v) { return select_positive(v, v, _mm512_mul_ps(v, vp)); });
    case Act::Elu:
      return map_forward(y, x, n, [&](__m512 v) { return select_positive(v, v, _mm512_mul_ps(vp, expm1_ps(v))); });
    case Act::Gelu: return map_forward(y, x, n, [](__m512 v) { return gelu_ps(v); });
    case Act::Softplus:
      return map_forward(y, x, n, [&](__m512 v) {
        __m512 u = exp_ps(_mm512_sub_ps(zero, _mm512_abs_ps(v)));
        return _mm512_add_ps(_mm512_max_ps(v, zero), log1p_unit_ps(u));
      });
    case Act::Count: return;
  }
}

void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n, float p) {
  const __m512 one = splat(1.0f), zero = _mm512_setzero_ps(), vp = splat(p);
  switch (act) {
    case Act::Linear: return map_backward(dx, dy, x, y, n, [&](__m512, __m512) { return one; });
    case Act::Sigmoid:
      return map_backward(dx, dy, x, y, n, [&](__m512, __m512 v) { return _mm512_mul_ps(v, _mm512_sub_ps(one, v)); });
    case Act::Tanh:  // (1 - y)(1 + y), as scalar
      return map_backward(dx, dy, x, y, n,
                          [&](__m512, __m512 v) { return _mm512_mul_ps(_mm512_sub_ps(one, v), _mm512_add_ps(one, v)); });
    case Act::Relu: return map_backward(dx, dy, x, y, n, [&](__m512 u, __m512) { return select_positive(u, one, zero); });
    case Act::LeakyRelu:
      return map_backward(dx, dy, x, y, n, [&](__m512 u, __m512) { return select_positive(u, one, vp); });
    case Act::Elu:
      return map_backward(dx, dy, x, y, n, [&](__m512 u, __m512 v) { return select_positive(u, one, _mm512_add_ps(v, vp)); });
    case Act::Gelu: return map_backward(dx, dy, x, y, n, [](__m512 u, __m512) { return gelu_derivative_ps(u); });
    case Act::Softplus: return map_backward(dx, dy, x, y, n, [](__m512 u, __m512) { return sigmoid_ps(u); });
    case Act::Count: return;
  }
}

double sum_squares(const float* x, int64_t n) {
  __m512d q0 = _mm512_setzero_pd(), q1 = q0, q2 = q0, q3 = q0;
  int64_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {  // four chains hide the FMA latency
    __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + W);
    __m512d a0 = low_pd(a), a1 = high_pd(a), b0 = low_pd(b), b1 = high_pd(b);
    q0 = _mm512_fmadd_pd(a0, a0, q0);
    q1 = _mm512_fmadd_pd(a1, a1, q1);
    q2 = _mm512_fmadd_pd(b0, b0, q2);
    q3 = _mm512_fmadd_pd(b1, b1, q3);
  }
  for_blocks(n - i, [&](int64_t j, auto io) {
    __m512 a = io.load(x + i + j);
    __m512d a0 = low_pd(a), a1 = high_pd(a);
    q0 = _mm512_fmadd_pd(a0, a0, q0);
    q1 = _mm512_fmadd_pd(a1, a1, q1);
  });
  return _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(q0, q1), _mm512_add_pd(q2, q3)));
}

void moments(const float* x, int64_t n, double* sum, double* sum_sq) {
  __m512d s0 = _mm512_setzero_pd(), s1 = s0, q0 = s0, q1 = s0;
  __m512d s2 = s0, s3 = s0, q2 = s0, q3 = s0;
  int64_t i0 = 0;
  for (; i0 + 2 * W <= n; i0 += 2 * W) {  // twice the chains: the adds' latency, not memory, was the limit
    __m512 a = _mm512_loadu_ps(x + i0), b = _mm512_loadu_ps(x + i0 + W);
    __m512d a0 = low_pd(a), a1 = high_pd(a), b0 = low_pd(b), b1 = high_pd(b);
    s0 = _mm512_add_pd(s0, a0);
    s1 = _mm512_add_pd(s1, a1);
    s2 = _mm512_add_pd(s2, b0);
    s3 = _mm512_add_pd(s3, b1);
    q0 = _mm512_fmadd_pd(a0, a0, q0);
    q1 = _mm512_fmadd_pd(a1, a1, q1);
    q2 = _mm512_fmadd_pd(b0, b0, q2);
    q3 = _mm512_fmadd_pd(b1, b1, q3);
  }
  s0 = _mm512_add_pd(s0, s2);
  s1 = _mm512_add_pd(s1, s3);
  q0 = _mm512_add_pd(q0, q2);
  q1 = _mm512_add_pd(q1, q3);
  x += i0;
  n -= i0;
  for_blocks(n, [&](int64_t i, auto io) {
    __m512 a = io.load(x + i);
    __m512d lo = low_pd(a), hi = high_pd(a);
    s0 = _mm512_add_pd(s0, lo);
    s1 = _mm512_add_pd(s1, hi);
    q0 = _mm512_fmadd_pd(lo, lo, q0);
    q1 = _mm512_fmadd_pd(hi, hi, q1);
  });
  *sum = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
  *sum_sq = _mm512_reduce_add_pd(_mm512_add_pd(q0, q1));
}

// grad_stats: the sums alone when there is no histogram, otherwise sums and bins
// from the same loads.
void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts, double* sum_abs,
                float* max_abs, double* sum_sq) {
  AbsSums sums;
  if (!counts || nbins <= 0) {
    for_blocks(n, [&](int64_t i, auto io) { sums.add(io.load(x + i)); });
  } else if (nbins > kMaxVectorBins || !scalar::histogram_range_ok(lo, hi)) {
    return scalar::grad_stats(x, n, lo, hi, nbins, counts, sum_abs, max_abs, sum_sq);
  } else {
    if (nbins <= kMaxByteBins && byte_histogram_supported()) {
      grad_stats_bytes(x, n, lo, hi, nbins, counts, sums);
      sums.store(sum_abs, max_abs, sum_sq);
      return;
    }
    Log10Bins bins(lo, hi, nbins);
    for_blocks(n, [&](int64_t i, auto io) {
      __m512 v = io.load(x + i);
      sums.add(v);
      bins.add(v, io.live());
    });
    bins.add_to(counts);
  }
  sums.store(sum_abs, max_abs, sum_sq);
}

double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq) {
  const __m512 vlr = splat(lr), vwd = splat(wd);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    __m512 wi = io.load(w + i);
    wq.add(wi);
    __m512 gp = _mm512_fmadd_ps(vwd, wi, io.load(g + i));
    __m512 delta = _mm512_mul_ps(vlr, gp);
    io.store(w + i, _mm512_sub_ps(wi, delta));
    ss.add(delta);  // masked-off lanes loaded zeros, so their delta is 0
  });
  *w_sumsq = wq.total();
  return ss.total();
}

double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,
                       bool nesterov, double* w_sumsq) {
  const __m512 vlr = splat(lr), vmu = splat(mu), vwd = splat(wd);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    __m512 wi = io.load(w + i);
    wq.add(wi);
    __m512 gp = _mm512_fmadd_ps(vwd, wi, io.load(g + i));
    __m512 vi = _mm512_fmadd_ps(vmu, io.load(v + i), gp);
    io.store(v + i, vi);
    __m512 step = nesterov ? _mm512_fmadd_ps(vmu, vi, gp) : vi;
    __m512 delta = _mm512_mul_ps(vlr, step);
    io.store(w + i, _mm512_sub_ps(wi, delta));
    ss.add(delta);
  });
  *w_sumsq = wq.total();
  return ss.total();
}

double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                   float eps, float wd, float c1, float c2, double* w_sumsq) {
  const __m512 step_size = splat(lr / c1), vwd = splat(wd), veps = splat(eps);
  const __m512 inv_sqrt_c2 = splat(static_cast<float>(1.0 / std::sqrt(static_cast<double>(c2))));
  const __m512 vb1 = splat(b1), vb2 = splat(b2), omb1 = splat(1.0f - b1), omb2 = splat(1.0f - b2);
  SquareSum ss, wq;
  for_blocks(n, [&](int64_t i, auto io) {
    __m512 wi = io.load(w + i);
    wq.add(wi);
    __m512 gp = _mm512_fmadd_ps(vwd, wi, io.load(g + i));
    __m512 mi = _mm512_fmadd_ps(vb1, io.load(m + i), _mm512_mul_ps(omb1, gp));
    __m512 vi = _mm512_fmadd_ps(vb2, io.load(v + i), _mm512_mul_ps(omb2, _mm512_mul_ps(gp, gp)));
    io.store(m + i, mi);
    io.store(v + i, vi);
    __m512 denom = _mm512_fmadd_ps(_mm512_sqrt_ps(vi), inv_sqrt_c2, veps);
    __m512 delta = _mm512_div_ps(_mm512_mul_ps(step_size, mi), denom);
    io.store(w + i, _mm512_sub_ps(wi, delta));
    ss.add(delta);  // masked-off lanes: 0 / (0 + eps) = 0
  });
  *w_sumsq = wq.total();
  return ss.total();
}

void axpy(float* y, const float* x, int64_t n, float a) {
  const __m512 va = splat(a);
  for_blocks(n, [&](int64_t i, auto io) { io.store(y + i, _mm512_fmadd_ps(va, io.load(x + i), io.load(y + i))); });
}

void scale(float* x, int64_t n, float a) {
  const __m512 va = splat(a);
  for_blocks(n, [&](int64_t i, auto io) { io.store(x + i, _mm512_mul_ps(va, io.load(x + i))); });
}

}  // namespace avx512
}  // namespace vgl
