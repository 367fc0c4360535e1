#include "core/kernels/peak.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"

namespace vgl {

double peak_loop_scalar(long iterations) {
  // Eight independent chains hide the FMA latency; volatile keeps the compiler honest.
  volatile float seed = 1.0f;
  float a0 = seed, a1 = seed, a2 = seed, a3 = seed, a4 = seed, a5 = seed, a6 = seed, a7 = seed;
  const float m = 0.999999f, c = 1e-7f;
  for (long i = 0; i < iterations; ++i) {
    a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
    a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
  }
  seed = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
  return 2.0 * 8.0 * static_cast<double>(iterations);
}

double fma_peak_gflops(Isa isa, double seconds) {
  if (!kernels_for(isa)) fail(std::string("this CPU or build does not support ") + isa_name(isa));
  double (*loop)(long) = peak_loop_scalar;
#if defined(VGL_HAVE_X86)
  if (isa == Isa::Avx2) loop = peak_loop_avx2;
  if (isa == Isa::Avx512) loop = peak_loop_avx512;
#endif
  using clock = std::chrono::steady_clock;
  std::vector<double> rates;
  for (int run = 0; run < 3; ++run) {
    long iterations = 1 << 16;
    double flops = 0, elapsed = 0;
    const auto start = clock::now();
    while (elapsed < seconds / 3) {
      flops += loop(iterations);
      elapsed = std::chrono::duration<double>(clock::now() - start).count();
      iterations *= 2;
    }
    rates.push_back(flops / elapsed / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[1];
}

}  // namespace vgl
