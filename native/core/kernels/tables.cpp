// Gathers each ISA's functions into its KernelTable. Compiled for the baseline ISA:
// it only takes addresses, it never runs SIMD code itself.
#include "core/kernels/isa_functions.h"

#define VGL_TABLE_OF(ns, isa_value)                                                                  \
  KernelTable {                                                                                      \
    isa_value, ns::sgemm, ns::act_forward, ns::act_backward, ns::grad_stats, ns::sum_squares,        \
        ns::moments, ns::sgd_update, ns::momentum_update, ns::adam_update, ns::axpy, ns::scale       \
  }

namespace vgl {

const KernelTable& scalar_kernels() {
  static const KernelTable table = VGL_TABLE_OF(scalar, Isa::Scalar);
  return table;
}

#if defined(VGL_HAVE_X86)
const KernelTable& avx2_kernels() {
  static const KernelTable table = VGL_TABLE_OF(avx2, Isa::Avx2);
  return table;
}
const KernelTable& avx512_kernels() {
  static const KernelTable table = VGL_TABLE_OF(avx512, Isa::Avx512);
  return table;
}
#endif

#if defined(VGL_HAVE_NEON)
const KernelTable& neon_kernels() {
  static const KernelTable table = VGL_TABLE_OF(neon, Isa::Neon);
  return table;
}
#endif

}  // namespace vgl
