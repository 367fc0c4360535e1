// A single-threaded sgemm benchmark of the active kernel table, for `npm run bench`
// and for checking that the dispatcher picked a fast path on a given machine.
#pragma once

#include <cstdint>

namespace vgl {

// GFLOP/s (2 n^3 flops per call) of kernels().sgemm on square n x n x n products
// (no transposes, alpha 1, beta 0) on the calling thread: one warm-up call, then
// three rounds of about seconds/3 each (at least one call per round); returns the
// median round. Throws vgl::Error when n < 1.
double bench_sgemm_gflops(int64_t n, double seconds);

}  // namespace vgl
