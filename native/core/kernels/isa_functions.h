// The per-ISA implementations that kernels/tables.cpp gathers into KernelTables.
// Each namespace declares the same functions with the semantics documented on
// KernelTable in kernels.h; scalar:: is the specification.
#pragma once

#include "core/kernels/kernels.h"

#define VGL_DECLARE_ISA_FUNCTIONS                                                                      \
  void sgemm(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A,        \
             int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);            \
  void act_forward(Act act, float* y, const float* x, int64_t n, float p);                             \
  void act_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n,   \
                    float p);                                                                          \
  void grad_stats(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts,      \
                  double* sum_abs, float* max_abs, double* sum_sq);                                    \
  double sum_squares(const float* x, int64_t n);                                                       \
  void moments(const float* x, int64_t n, double* sum, double* sum_sq);                                \
  double sgd_update(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq);         \
  double momentum_update(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,  \
                         bool nesterov, double* w_sumsq);                                              \
  double adam_update(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1,      \
                     float b2, float eps, float wd, float c1, float c2, double* w_sumsq);              \
  void axpy(float* y, const float* x, int64_t n, float a);                                             \
  void scale(float* x, int64_t n, float a);

namespace vgl {
namespace scalar {
VGL_DECLARE_ISA_FUNCTIONS
}
#if defined(VGL_HAVE_X86)
namespace avx2 {
VGL_DECLARE_ISA_FUNCTIONS
}
namespace avx512 {
VGL_DECLARE_ISA_FUNCTIONS
}
#endif
#if defined(VGL_HAVE_NEON)
namespace neon {
VGL_DECLARE_ISA_FUNCTIONS
}
#endif
}  // namespace vgl
