// sgemm of every kernel table this machine has, against a double-precision
// reference: all four transpose combinations, awkward sizes (so every edge tile and
// tail path runs), leading dimensions wider than the rows, alpha != 1, beta in
// {0, 1, 0.5}, beta == 0 over NaN, and no write outside C's [M,N] window.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "core/kernels/kernels.h"

namespace {

using vgl::Isa;
using vgl::KernelTable;
using vgl::Trans;

const int64_t kSizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65};
constexpr int kNumSizes = sizeof(kSizes) / sizeof(kSizes[0]);
// Marks C's padding columns: any write outside the [M,N] window changes it.
constexpr float kSentinel = -12345.0f;

std::vector<const KernelTable*> available_tables() {
  std::vector<const KernelTable*> tables;
  for (Isa isa : {Isa::Scalar, Isa::Neon, Isa::Avx2, Isa::Avx512}) {
    if (const KernelTable* t = vgl::kernels_for(isa)) tables.push_back(t);
  }
  return tables;
}

// One problem: operands stored as the flags say, with padded leading dimensions.
struct Problem {
  Trans ta, tb;
  int64_t M, N, K;
  int64_t lda, ldb, ldc;
  std::vector<float> A, B, C0;
  std::vector<double> AB;  // op(A) op(B), [M,N], in double
  float max_a = 0, max_b = 0;

  // `ld` > 0 sets lda, ldb and ldc (at least the row length, so 1 packs the
  // operands tightly); else rows get a little padding.
  Problem(Trans ta_, Trans tb_, int64_t M_, int64_t N_, int64_t K_, uint32_t seed, int64_t ld = 0)
      : ta(ta_), tb(tb_), M(M_), N(N_), K(K_) {
    const int64_t a_rows = ta == Trans::No ? M : K, a_cols = ta == Trans::No ? K : M;
    const int64_t b_rows = tb == Trans::No ? K : N, b_cols = tb == Trans::No ? N : K;
    lda = ld > 0 ? std::max(ld, a_cols) : a_cols + 3;
    ldb = ld > 0 ? std::max(ld, b_cols) : b_cols + 5;
    ldc = ld > 0 ? std::max(ld, N) : N + 2;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    A.resize(static_cast<size_t>(std::max<int64_t>(a_rows * lda, 1)));
    B.resize(static_cast<size_t>(std::max<int64_t>(b_rows * ldb, 1)));
    C0.resize(static_cast<size_t>(std::max<int64_t>(M * ldc, 1)));
    for (float& x : A) x = dist(rng);
    for (float& x : B) x = dist(rng);
    for (float& x : C0) x = dist(rng);
    for (float x : A) max_a = std::max(max_a, std::fabs(x));
    for (float x : B) max_b = std::max(max_b, std::fabs(x));
    AB.assign(static_cast<size_t>(M * N), 0.0);
    for (int64_t i = 0; i < M; ++i) {
      for (int64_t p = 0; p < K; ++p) {
        const double a = ta == Trans::No ? A[i * lda + p] : A[p * lda + i];
        for (int64_t j = 0; j < N; ++j) {
          const double b = tb == Trans::No ? B[p * ldb + j] : B[j * ldb + p];
          AB[i * N + j] += a * b;
        }
      }
    }
  }

  // Runs `t` with alpha and beta and checks every element of C. Returns false on the
  // first failing element (after reporting it) so one bug does not print thousands.
  bool check(const KernelTable& t, float alpha, float beta, bool nan_c) const {
    std::vector<float> C = C0;
    for (int64_t i = 0; i < M; ++i) {
      for (int64_t j = 0; j < ldc; ++j) {
        float& c = C[i * ldc + j];
        if (j >= N) c = kSentinel;
        else if (nan_c) c = std::numeric_limits<float>::quiet_NaN();
      }
    }
    t.sgemm(ta, tb, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, C.data(), ldc);
    // Rounding: each product and each of the K additions is rounded, the partial sums
    // bounded by K * max|A| * max|B|; 1e-6 leaves room for any summation order.
    const double tol =
        1e-6 * (std::fabs(alpha) * static_cast<double>(K) * max_a * max_b + std::fabs(beta) + 1.0);
    for (int64_t i = 0; i < M; ++i) {
      for (int64_t j = 0; j < ldc; ++j) {
        const float got = C[i * ldc + j];
        double want;
        if (j >= N) {
          want = kSentinel;
        } else {
          want = alpha * AB[i * N + j] + (beta == 0.0f ? 0.0 : beta * static_cast<double>(C0[i * ldc + j]));
        }
        if (!(std::fabs(got - want) <= tol)) {
          CHECK_NEAR(got, want, tol);
          vgl_test::fail(__FILE__, __LINE__,
                         std::string(vgl::isa_name(t.isa)) + " ta=" + std::to_string(int(ta)) +
                             " tb=" + std::to_string(int(tb)) + " M=" + std::to_string(M) +
                             " N=" + std::to_string(N) + " K=" + std::to_string(K) +
                             " beta=" + std::to_string(beta) + " at (" + std::to_string(i) + "," +
                             std::to_string(j) + ")");
          return false;
        }
      }
    }
    return true;
  }
};

const Trans kTrans[2] = {Trans::No, Trans::Yes};

// Every table, every flag pair, beta 0 (over NaN), 1 and 0.5.
void check_all(int64_t M, int64_t N, int64_t K, float alpha, uint32_t seed, int64_t ld = 0) {
  for (Trans ta : kTrans) {
    for (Trans tb : kTrans) {
      Problem p(ta, tb, M, N, K, seed++, ld);
      for (const KernelTable* t : available_tables()) {
        if (!p.check(*t, alpha, 0.0f, true)) return;
        if (!p.check(*t, alpha, 1.0f, false)) return;
        if (!p.check(*t, alpha, 0.5f, false)) return;
      }
    }
  }
}

}  // namespace

TEST(sgemm_every_table_matches_reference_at_awkward_sizes) {
  // Two Latin squares over the sizes: every size meets every other size in every
  // pair of dimensions, and each appears as M, N and K.
  for (int i = 0; i < kNumSizes; ++i) {
    for (int j = 0; j < kNumSizes; ++j) {
      check_all(kSizes[i], kSizes[j], kSizes[(i + j) % kNumSizes], -1.5f, 100u * i + j);
      check_all(kSizes[(2 * i + j + 3) % kNumSizes], kSizes[i], kSizes[j], 0.75f, 7000u + 100u * i + j);
    }
  }
}

TEST(sgemm_every_table_matches_reference_at_large_sizes) {
  check_all(300, 257, 1000, 1.25f, 1);
  check_all(1000, 33, 17, 2.0f, 2);
  check_all(17, 1000, 33, 0.5f, 3);
  check_all(33, 17, 1000, -1.0f, 4);
  check_all(130, 530, 450, 1.0f, 5);  // more than one cache block in M, N and K
}

TEST(sgemm_shapes_of_dense_layers_match_reference) {
  // The engine's calls: forward (No,Yes), dx (No,No), dW (Yes,No), tiny to moderate.
  check_all(64, 32, 32, 1.0f, 11);
  check_all(128, 256, 256, 1.0f, 12);
  check_all(256, 10, 784, 1.0f, 13);
}

TEST(sgemm_power_of_two_leading_dimensions_match_reference) {
  // Strides of whole pages and of 256 floats make the SIMD drivers pack operands they
  // would otherwise read in place (to avoid cache-set conflicts): those paths too.
  check_all(40, 50, 30, 1.0f, 31, 1024);
  check_all(130, 70, 40, 1.0f, 32, 1024);
  check_all(130, 70, 40, 1.0f, 33, 256);
  check_all(200, 100, 60, -0.5f, 34, 2048);
  check_all(15, 33, 600, 1.0f, 35, 1024);
}

TEST(sgemm_tight_operands_match_reference) {
  // Rows exactly as long as the data, so (under a sanitizer) any read or write past
  // the end of A, B or C is caught, and tail masks are the only thing in the way.
  const int64_t sizes[] = {1, 7, 9, 17, 33, 65};
  for (int64_t m : sizes) {
    for (int64_t n : sizes) check_all(m, n, sizes[(m + n) % 6], 1.0f, 40, 1);
  }
}

TEST(sgemm_zero_k_scales_c_by_beta) {
  for (const KernelTable* t : available_tables()) {
    std::vector<float> C = {1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN(), 4.0f};
    t->sgemm(Trans::No, Trans::No, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.0f, C.data(), 2);
    for (float c : C) CHECK_EQ(c, 0.0f);
    C = {1.0f, 2.0f, 3.0f, 4.0f};
    t->sgemm(Trans::Yes, Trans::Yes, 2, 2, 0, 1.0f, nullptr, 2, nullptr, 1, 0.5f, C.data(), 2);
    CHECK_EQ(C[0], 0.5f);
    CHECK_EQ(C[3], 2.0f);
  }
}

TEST(sgemm_active_table_is_one_of_the_available_tables) {
  const KernelTable* active = &vgl::kernels();
  CHECK(active == vgl::kernels_for(vgl::active_isa()));
  Problem p(Trans::No, Trans::Yes, 65, 63, 17, 99);
  CHECK(p.check(*active, 1.0f, 0.0f, true));
}

TEST(sgemm_is_safe_from_several_threads_at_once) {
  // The packing buffers are per thread: concurrent calls of different shapes must
  // not see each other's panels.
  for (const KernelTable* t : available_tables()) {
    Problem big(Trans::No, Trans::Yes, 200, 300, 500, 21);
    Problem small(Trans::Yes, Trans::No, 37, 70, 45, 22);
    bool ok_big = true, ok_small = true;
    std::thread th([&] {
      for (int r = 0; r < 3 && ok_big; ++r) ok_big = big.check(*t, 1.0f, 0.0f, false);
    });
    for (int r = 0; r < 20 && ok_small; ++r) ok_small = small.check(*t, 1.0f, 0.5f, false);
    th.join();
    CHECK(ok_big);
    CHECK(ok_small);
  }
}
