// See gemm_bench.h. Wall-clock time (std::chrono::steady_clock): what a user of the
// machine gets, including any time the thread is preempted, which is why the median
// of three rounds is reported rather than one long run.
#include "core/kernels/gemm_bench.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kernels/kernels.h"

namespace vgl {

double bench_sgemm_gflops(int64_t n, double seconds) {
  if (n < 1) fail("the sgemm benchmark needs a size of at least 1, got " + std::to_string(n));
  const size_t count = static_cast<size_t>(n) * static_cast<size_t>(n);
  std::vector<float> a(count), b(count), c(count);
  // Deterministic values in [-1, 1): no zeros or denormals to flatter or slow the FMAs.
  uint32_t state = 12345u;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) * (2.0f / 16777216.0f) - 1.0f;
  };
  for (size_t i = 0; i < count; ++i) {
    a[i] = next();
    b[i] = next();
  }
  const auto sgemm = kernels().sgemm;
  auto call = [&] {
    sgemm(Trans::No, Trans::No, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
  };

  call();  // warm-up: packing buffers, page faults, caches
  using Clock = std::chrono::steady_clock;
  const double size = static_cast<double>(n);
  const double flops_per_call = 2.0 * size * size * size;
  const double round_seconds = std::max(seconds, 0.0) / 3.0;
  double rates[3];
  for (double& rate : rates) {
    int64_t calls = 0;
    const Clock::time_point start = Clock::now();
    double elapsed = 0.0;
    do {
      call();
      ++calls;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < round_seconds);
    rate = elapsed > 0.0 ? flops_per_call * static_cast<double>(calls) / elapsed * 1e-9 : 0.0;
  }
  std::sort(rates, rates + 3);
  return rates[1];
}

}  // namespace vgl
