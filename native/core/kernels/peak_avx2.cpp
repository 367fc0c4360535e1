#include <immintrin.h>

#include "core/kernels/peak.h"

namespace vgl {

double peak_loop_avx2(long iterations) {
  // Twelve independent 8-wide chains: enough to cover FMA latency x two FMA ports.
  __m256 acc[12];
  for (auto& a : acc) a = _mm256_set1_ps(1.0f);
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (long i = 0; i < iterations; ++i) {
    for (auto& a : acc) a = _mm256_fmadd_ps(a, m, c);
  }
  __m256 sum = acc[0];
  for (int k = 1; k < 12; ++k) sum = _mm256_add_ps(sum, acc[k]);
  volatile float sink = _mm256_cvtss_f32(sum);
  (void)sink;
  return 2.0 * 8.0 * 12.0 * static_cast<double>(iterations);
}

}  // namespace vgl
