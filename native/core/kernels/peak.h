// The machine's single-core FMA throughput for an ISA, measured with a register-only
// loop (no memory traffic), so benchmarks can print each figure as a fraction of peak.
#pragma once

#include "core/kernels/kernels.h"

namespace vgl {

// GFLOP/s (an FMA counts 2) of independent FMA chains on one thread with `isa`'s
// widest vectors, median of 3 runs of `seconds` / 3 each. Throws vgl::Error for an
// ISA this CPU or build lacks.
double fma_peak_gflops(Isa isa, double seconds);

// Per-ISA loops: `iterations` rounds of the chains; returns the FLOPs done.
double peak_loop_scalar(long iterations);
#if defined(VGL_HAVE_X86)
double peak_loop_avx2(long iterations);
double peak_loop_avx512(long iterations);
#endif

}  // namespace vgl
