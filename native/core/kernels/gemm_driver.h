// The blocked GEMM driver shared by the SIMD sgemm kernels (GotoBLAS/BLIS layout):
//
//   for jc in N step NC            B block [KC,NC] packed once, reused by every row block
//     for pc in K step KC
//       for ic in M step MC        A block [MC,KC] packed, stays in L2
//         for jr in NC step NR     one B panel [KC,NR] serves the whole ir loop
//           for ir in MC step MR   register tile C[MR,NR] += A panel * B panel
//
// Packing copies an operand into contiguous panels and handles the transposes on the
// way, so op(A) and op(B) are never materialised. It is skipped where it does not
// pay: a tiny network calls sgemm ~30 times per step at ~20k steps/s, so per-call cost
// matters more than peak FLOPs, and small operands read in place stay cached anyway.
// In place, a B with tb == No already has panel rows (B's rows), an A with ta == Yes
// already has panel columns (A's rows, contiguous in i), and an A with ta == No is
// read row by row by a micro-kernel variant. Edge tiles (m < MR, n < NR) run
// micro-kernels specialised on m with the columns masked, so no padding is computed
// and nothing outside C's [M,N] window is read or written.
//
// A micro-kernel type `Kern` provides:
//   MR, NR, KC, MC, NC     register tile and cache blocks (MC a multiple of MR)
//   PACK_A_BESIDE_B_IN_PLACE   see gemm_plan
//   Vec                    the ISA's vector type (simd_<isa>.h); NR is two vectors
//   pack_n<W>(dst, src, ld, w, kc)   dst[k*W + r] = src[k*ld + r]
//   pack_t<W>(dst, src, ld, w, kc)   dst[k*W + r] = src[r*ld + k]
//       for r < w, zeros for w <= r < W, k < kc: one panel W wide. pack_t is the
//       transposing one (A with ta == No, B with tb == Yes), done with register
//       transposes because a scalar gather costs as much as a small product.
//
// Everything here has internal linkage on purpose: this header is compiled once per
// ISA with different -m flags, and an inline function or template instantiation
// shared between those translation units could be merged by the linker into, say,
// the AVX-512 copy and then run on a CPU that only has AVX2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

#include "core/kernels/kernels.h"

namespace vgl {
namespace {

inline int64_t gemm_min(int64_t a, int64_t b) { return a < b ? a : b; }

// A 64-byte aligned float buffer that only grows, so steady-state calls never touch
// the heap. Contents are not kept across growth (packing rewrites them every call).
class PackBuffer {
 public:
  float* reserve(int64_t n) {
    if (n > capacity_) {
      // Whole 4 KiB pages: aligned_alloc wants a multiple of the alignment, and
      // growing in steps avoids reallocating for every slightly larger shape.
      const size_t bytes = (static_cast<size_t>(n) * sizeof(float) + 4095) / 4096 * 4096;
      void* p = std::aligned_alloc(64, bytes);
      if (!p) throw std::bad_alloc();
      data_.reset(static_cast<float*>(p));
      capacity_ = static_cast<int64_t>(bytes / sizeof(float));
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  int64_t capacity_ = 0;
};

// Per-thread packing buffers: concurrent sgemm calls never share a panel.
inline PackBuffer& gemm_buffer_a() {
  thread_local PackBuffer buf;
  return buf;
}
inline PackBuffer& gemm_buffer_b() {
  thread_local PackBuffer buf;
  return buf;
}

// C[M,N] *= beta, with beta == 0 writing zeros (so NaN in C does not survive).
inline void gemm_scale_c(int64_t M, int64_t N, float beta, float* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    if (beta == 0.0f) {
      std::memset(c, 0, static_cast<size_t>(N) * sizeof(float));
    } else if (beta != 1.0f) {
      for (int64_t j = 0; j < N; ++j) c[j] *= beta;
    }
  }
}

// Kern::pack_n as a plain loop: dst[k*W + r] = src[k*ld + r] for r < w, zeros for
// w <= r < W, k < kc. For panels narrower than a whole number of vectors, and for
// ISAs whose copies the compiler vectorises well enough.
template <int W>
inline void gemm_pack_n_plain(float* dst, const float* src, int64_t ld, int64_t w, int64_t kc) {
  for (int64_t k = 0; k < kc; ++k) {
    for (int64_t r = 0; r < w; ++r) dst[k * W + r] = src[k * ld + r];
    for (int64_t r = w; r < W; ++r) dst[k * W + r] = 0.0f;
  }
}

// Packs the [rows, kc] block of op(X) at x into panels W rows wide ([kc, W] each,
// the last zero-padded). With `rows_contiguous_in_k`, op(X)'s rows are X's rows
// (op(X)[r,k] = x[r*ld + k]) and the pack transposes; else op(X)[r,k] = x[k*ld + r].
template <class Kern, int W>
inline void gemm_pack(float* dst, const float* x, int64_t ld, bool rows_contiguous_in_k, int64_t rows,
                      int64_t kc) {
  for (int64_t r = 0; r < rows; r += W) {
    const int64_t w = gemm_min(W, rows - r);
    if (rows_contiguous_in_k) {
      Kern::template pack_t<W>(dst, x + r * ld, ld, w, kc);
    } else {
      Kern::template pack_n<W>(dst, x + r, ld, w, kc);
    }
    dst += kc * W;
  }
}

// True when rows `ld` floats apart share an L1 set (the stride is within 32 bytes of
// a multiple of 4 KiB): the rows of one register tile would evict each other.
inline bool gemm_ld_aliases(int64_t ld) {
  const int64_t r = ld % 1024;
  return ld >= 1024 - 8 && (r <= 8 || r >= 1024 - 8);
}

// Which operands one call packs; the rest are read in place.
struct GemmPlan {
  bool pack_a;
  bool pack_b;
};

template <class Kern, class = void>
struct gemm_cold_b_pack : std::integral_constant<int, 0> {};
template <class Kern>
struct gemm_cold_b_pack<Kern, std::void_t<decltype(Kern::COLD_B_PACK)>>
    : std::integral_constant<int, Kern::COLD_B_PACK> {};

template <class Kern, class = void>
struct gemm_prefetch_c : std::false_type {};
template <class Kern>
struct gemm_prefetch_c<Kern, std::void_t<decltype(Kern::PREFETCH_C)>> : std::bool_constant<Kern::PREFETCH_C> {};

// The thresholds come from measurements of every transpose pair over the engine's
// shapes (batch 16..1024, widths 10..1024) on a Zen 5 core.
template <class Kern>
inline GemmPlan gemm_plan(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, int64_t lda, int64_t ldb) {
  GemmPlan plan;
  // B in place needs tb == No. It pays while each B panel serves few register tiles
  // (small M) or is read in a single K block; packing it costs a full pass over B.
  plan.pack_b = tb == Trans::Yes || N > Kern::NC || (M > 2 * Kern::MR && K > Kern::KC);
  // In a training step the operands are cold (each is touched once per pass), and
  // there an in-place B read at a large stride (rows 1-4 KiB apart, so a panel's rows
  // crowd a few L1 sets) lost 10-25% against a packed one as soon as a B panel served
  // a handful of tiles. Small B (under 128 KiB) stays cached and is still read in place.
  // Kern::COLD_B_PACK (optional, default 0) says where this was measured to pay: 1 with
  // A read by columns (ta == Yes), 2 also with A read by rows.
  const int cold_b = gemm_cold_b_pack<Kern>::value;
  if (cold_b == 2 || (cold_b == 1 && ta == Trans::Yes)) {
    plan.pack_b = plan.pack_b || (M > 2 * Kern::MR && gemm_ld_aliases(ldb)) ||
                  (M > 4 * Kern::MR && K * N >= 32 * 1024);
  }
  // An A panel is small and stays cached, so packing A only paid when its rows alias
  // in L1 or a long K is reused by many column panels.
  plan.pack_a = gemm_ld_aliases(lda) || (K > Kern::KC && N > 4 * Kern::NR);
  // With AVX2's narrow panels, A's columns (ta == Yes) and B's rows both read in
  // place at power-of-two strides (the dW = dy^T x product) conflicted in L1 once
  // enough row tiles reused the B panels: packing A won back about 10% there.
  if (Kern::PACK_A_BESIDE_B_IN_PLACE && ta == Trans::Yes && !plan.pack_b && lda % 64 == 0 &&
      M > 16 * Kern::MR && N > 2 * Kern::NR) {
    plan.pack_a = true;
  }
  return plan;
}

// The k loop of gemm_micro: acc[i][v] += a(i,k) * b(k, v*W..v*W+W) for k < kc.
// With EDGE the last B vector is loaded through `last`, so an in-place B is never
// read past column n.
template <class V, int M, int NV, bool ROWS, bool EDGE>
__attribute__((always_inline)) inline void gemm_k_loop(int64_t kc, const float* a, int64_t sa, const float* b,
                                                       int64_t sb, const typename V::Tail& last,
                                                       typename V::F (&acc)[M][NV]) {
  constexpr int W = static_cast<int>(V::W);
  auto step = [&](int64_t k) {
    typename V::F bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = EDGE && v == NV - 1 ? last.load(b + W * v) : V::load(b + W * v);
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      const typename V::Bcast av = V::broadcast(ROWS ? a + i * sa + k : a + k * sa + i);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = V::fmadd_bcast(av, bv[v], acc[i][v]);
    }
    b += sb;
  };
  if constexpr (EDGE && !V::kCheapMaskedLoad) {
    // Unrolling the slow masked loads only grew the code: edge tiles of tiny
    // products were ~10% slower with it on AVX2.
    for (int64_t k = 0; k < kc; ++k) step(k);
  } else {
#pragma GCC unroll 2
    for (int64_t k = 0; k < kc; ++k) step(k);
  }
}

// The register tile: C[M, n] = alpha * a*b + beta * C for n <= NV * W (NV 1 or 2),
// M x NV accumulators (see the layouts of a and b above). Only the columns of the
// last vector are masked, and only when n is short of NV * W, unless V's masked
// loads cost nothing extra (then one loop serves both).
template <class V, int M, int NV, bool ROWS>
void gemm_micro(int64_t kc, const float* a, int64_t sa, const float* b, int64_t sb, float* c, int64_t ldc, int n,
                float alpha, float beta) {
  constexpr int W = static_cast<int>(V::W);
  const bool full = n == W * NV;
  const typename V::Tail last = V::tail(n - W * (NV - 1));
  typename V::F acc[M][NV];
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
  }
  if (!V::kCheapMaskedLoad && full) {
    gemm_k_loop<V, M, NV, ROWS, false>(kc, a, sa, b, sb, last, acc);
  } else {
    gemm_k_loop<V, M, NV, ROWS, true>(kc, a, sa, b, sb, last, acc);
  }
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      float* p = c + i * ldc + W * v;
      typename V::F r = V::mul_scalar(acc[i][v], alpha);
      if (full || v < NV - 1) {
        if (beta != 0.0f) r = V::fmadd_scalar(V::load(p), beta, r);
        V::store(p, r);
      } else {
        if (beta != 0.0f) r = V::fmadd_scalar(last.load(p), beta, r);
        last.store(p, r);
      }
    }
  }
}

// C[m,n] of one register tile (m <= MR, n <= NR) through the micro-kernel
// specialised on its row count, so an edge tile computes no padding rows; only the
// columns of the last vector are masked. A chain of compares rather than a switch:
// full tiles, by far the most common, take the first branch.
template <class Kern, bool ROWS, int M = Kern::MR>
inline void gemm_tile(int m, int n, int64_t kc, const float* a, int64_t sa, const float* b, int64_t sb, float* c,
                      int64_t ldc, float alpha, float beta) {
  using V = typename Kern::Vec;
  static_assert(Kern::NR == 2 * V::W, "a register tile is two vectors wide");
  if constexpr (M > 1) {
    if (m < M) return gemm_tile<Kern, ROWS, M - 1>(m, n, kc, a, sa, b, sb, c, ldc, alpha, beta);
  }
  if (n > V::W) {
    gemm_micro<V, M, 2, ROWS>(kc, a, sa, b, sb, c, ldc, n, alpha, beta);
  } else {
    gemm_micro<V, M, 1, ROWS>(kc, a, sa, b, sb, c, ldc, n, alpha, beta);
  }
}

// The whole sgemm contract (see KernelTable::sgemm in kernels.h) on top of Kern.
template <class Kern>
void gemm_run(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
              const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  constexpr int MR = Kern::MR, NR = Kern::NR;
  constexpr int64_t KC = Kern::KC, MC = Kern::MC, NC = Kern::NC;
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    gemm_scale_c(M, N, beta, C, ldc);
    return;
  }
  const GemmPlan plan = gemm_plan<Kern>(ta, tb, M, N, K, lda, ldb);
  // op(A)[i,k] = A[i*a_is + k*a_ks]; op(B)[k,j] = B[k*b_ks + j*b_js].
  const int64_t a_is = ta == Trans::No ? lda : 1, a_ks = ta == Trans::No ? 1 : lda;
  const int64_t b_ks = tb == Trans::No ? ldb : 1, b_js = tb == Trans::No ? 1 : ldb;
  const int64_t kc_max = gemm_min(KC, K);
  // Panels are whole MR / NR wide, so round the block up to them.
  const int64_t a_rows = gemm_min(MC, (M + MR - 1) / MR * MR), b_cols = gemm_min(NC, (N + NR - 1) / NR * NR);
  float* bufa = plan.pack_a ? gemm_buffer_a().reserve(a_rows * kc_max) : nullptr;
  float* bufb = plan.pack_b ? gemm_buffer_b().reserve(b_cols * kc_max) : nullptr;
  // In a training step C is usually cold (a layer's output, input gradient or weight
  // gradient, touched once per pass), and a tile's stores (and beta != 0 reads) at the
  // end of its k loop then wait on L3 or memory: +10-45% on the W2/W3 layer products
  // with the tile's lines fetched before the loop. Done here rather than in the
  // micro-kernel, whose code it made 2-7% slower on small hot products; skipped for
  // a short k loop (nothing to hide the misses behind) and a small C (cached).
  // Kern::PREFETCH_C (optional, default false) turns it on.
  const bool prefetch_c = gemm_prefetch_c<Kern>::value && K > 64 && M * N >= 8 * 1024;

  for (int64_t jc = 0; jc < N; jc += NC) {
    const int64_t nc = gemm_min(NC, N - jc);
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = gemm_min(KC, K - pc);
      // The first K block applies beta; later ones add onto what it wrote.
      const float beta_k = pc == 0 ? beta : 1.0f;
      const float* b_block = B + pc * b_ks + jc * b_js;
      if (plan.pack_b) gemm_pack<Kern, NR>(bufb, b_block, ldb, tb == Trans::Yes, nc, kc);
      for (int64_t ic = 0; ic < M; ic += MC) {
        const int64_t mc = gemm_min(MC, M - ic);
        const float* a_block = A + ic * a_is + pc * a_ks;
        if (plan.pack_a) gemm_pack<Kern, MR>(bufa, a_block, lda, ta == Trans::No, mc, kc);
        for (int64_t jr = 0; jr < nc; jr += NR) {
          const int n = static_cast<int>(gemm_min(NR, nc - jr));
          const float* b = plan.pack_b ? bufb + jr * kc : b_block + jr;
          const int64_t sb = plan.pack_b ? NR : ldb;
          float* c_panel = C + ic * ldc + jc + jr;
          for (int64_t ir = 0; ir < mc; ir += MR) {
            const int m = static_cast<int>(gemm_min(MR, mc - ir));
            float* c = c_panel + ir * ldc;
            if (prefetch_c) {
              for (int i = 0; i < m; ++i) {
                __builtin_prefetch(c + i * ldc, 1, 3);
                __builtin_prefetch(c + i * ldc + n - 1, 1, 3);
              }
            }
            if (plan.pack_a) {
              gemm_tile<Kern, false>(m, n, kc, bufa + ir * kc, MR, b, sb, c, ldc, alpha, beta_k);
            } else if (ta == Trans::Yes) {
              gemm_tile<Kern, false>(m, n, kc, a_block + ir, lda, b, sb, c, ldc, alpha, beta_k);
            } else {
              gemm_tile<Kern, true>(m, n, kc, a_block + ir * lda, lda, b, sb, c, ldc, alpha, beta_k);
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace vgl
