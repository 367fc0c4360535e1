#include <immintrin.h>

#include "core/kernels/peak.h"

namespace vgl {

double peak_loop_avx512(long iterations) {
  // Twelve independent 16-wide chains: enough to cover FMA latency x two FMA ports.
  __m512 acc[12];
  for (auto& a : acc) a = _mm512_set1_ps(1.0f);
  const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (long i = 0; i < iterations; ++i) {
    for (auto& a : acc) a = _mm512_fmadd_ps(a, m, c);
  }
  __m512 sum = acc[0];
  for (int k = 1; k < 12; ++k) sum = _mm512_add_ps(sum, acc[k]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  volatile float sink = lanes[0];
  (void)sink;
  return 2.0 * 16.0 * 12.0 * static_cast<double>(iterations);
}

}  // namespace vgl
