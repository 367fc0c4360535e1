#include "core/kernels/peak.h"
#include "core/kernels/peak_loop.h"
#include "core/kernels/simd_avx512.h"

namespace vgl {

double peak_loop_avx512(long iterations) { return peak_loop<avx512::Avx512>(iterations); }

}  // namespace vgl
