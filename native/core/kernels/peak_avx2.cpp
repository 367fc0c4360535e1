#include "core/kernels/peak.h"
#include "core/kernels/peak_loop.h"
#include "core/kernels/simd_avx2.h"

namespace vgl {

double peak_loop_avx2(long iterations) { return peak_loop<avx2::Avx2>(iterations); }

}  // namespace vgl
