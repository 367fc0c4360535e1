// The register-only FMA loop behind fma_peak_gflops (peak.h), written once over an
// ISA's vector type (simd_<isa>.h) and instantiated in peak_<isa>.cpp under that
// ISA's -m flags. Unnamed namespace: no copy may be shared across those files.
#pragma once

namespace vgl {
namespace {

// `iterations` rounds of twelve independent W-wide chains, enough to cover the FMA
// latency times two FMA ports; returns the FLOPs done (an FMA counts 2).
template <class V>
double peak_loop(long iterations) {
  constexpr int kChains = 12;
  typename V::F acc[kChains];
  for (auto& a : acc) a = V::splat(1.0f);
  const typename V::F m = V::splat(0.999999f), c = V::splat(1e-7f);
  for (long i = 0; i < iterations; ++i) {
    for (auto& a : acc) a = V::fmadd(a, m, c);
  }
  typename V::F sum = acc[0];
  for (int k = 1; k < kChains; ++k) sum = V::add(sum, acc[k]);
  // A result the compiler must produce, so it cannot drop the loop.
  alignas(64) float lanes[V::W];
  V::store(lanes, sum);
  volatile float sink = lanes[0];
  (void)sink;
  return 2.0 * static_cast<double>(V::W) * kChains * static_cast<double>(iterations);
}

}  // namespace
}  // namespace vgl
