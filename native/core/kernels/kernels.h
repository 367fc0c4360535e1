// The compute kernels of the engine, one table per instruction set.
//
// Every table has the same entries; the scalar table (gemm_scalar.cpp,
// elementwise_scalar.cpp) is the specification (plain
// C++, no intrinsics) and each SIMD table is tested against it at awkward sizes.
// The dispatcher picks the best table the CPU supports when the library loads;
// VGLAB_ISA=scalar|avx2|avx512|neon lowers the choice (never raises it above what
// the CPU has), so tests can run every path on one machine.
#pragma once

#include <cstdint>

namespace vgl {

enum class Isa : int { Scalar = 0, Neon = 1, Avx2 = 2, Avx512 = 3 };

const char* isa_name(Isa isa);
// Best ISA this CPU supports among those compiled in.
Isa best_supported_isa();
bool isa_supported(Isa isa);
// The ISA of kernels(): best_supported_isa() lowered by VGLAB_ISA at load time.
Isa active_isa();
// Switches the active table (tests and benchmarks); throws vgl::Error if unsupported.
void set_active_isa(Isa isa);

enum class Trans : int { No = 0, Yes = 1 };

// Element-wise activations. The order is part of the binding's contract.
enum class Act : int { Linear = 0, Sigmoid, Tanh, Relu, LeakyRelu, Elu, Gelu, Softplus, Count };

struct KernelTable {
  Isa isa;

  // C[M,N] = alpha * op(A) * op(B) + beta * C, all row-major.
  // op(A) is [M,K]: A is stored [M,lda] when ta == No and [K,lda] (i.e. A^T) when Yes.
  // op(B) is [K,N]: B is stored [K,ldb] when tb == No and [N,ldb] when Yes.
  // beta == 0 ignores C's old contents (even NaN). M, N or K may be 0.
  void (*sgemm)(Trans ta, Trans tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

  // y[i] = f(x[i]) for i < n. p is the slope (LeakyRelu) or alpha (Elu), unused otherwise.
  // Gelu is the exact erf form; Softplus is max(x,0) + log1p(exp(-|x|)).
  void (*act_forward)(Act act, float* y, const float* x, int64_t n, float p);
  // dx[i] += dy[i] * f'(x[i]). Both the input x and the output y = f(x) are given so
  // each activation uses the cheaper (sigmoid: y(1-y), tanh: 1-y^2).
  void (*act_backward)(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n,
                       float p);

  // The statistics of a gradient tensor in one pass over x (n may be 0):
  //   sum |x|, max |x| and sum x^2 with double accumulators; NaN flows into the
  //   sums, max |x| skips it;
  //   when counts is not null and nbins > 0, the histogram of log10|x| over
  //   [lo, hi) in nbins equal bins: counts[0..nbins) are incremented (not reset);
  //   values below lo go to bin 0, at or above hi to bin nbins-1; exact zeros go
  //   to counts[nbins]; NaN and Inf are not counted.
  // With counts null it costs what the sums alone cost.
  void (*grad_stats)(const float* x, int64_t n, float lo, float hi, int32_t nbins, uint32_t* counts,
                     double* sum_abs, float* max_abs, double* sum_sq);
  // sum x^2 in double.
  double (*sum_squares)(const float* x, int64_t n);
  // sum x and sum x^2 in double (activation mean and std).
  void (*moments)(const float* x, int64_t n, double* sum, double* sum_sq);

  // Optimiser updates, PyTorch's definitions, with L2 weight decay added to the
  // gradient (g' = g + wd * w) as torch.optim.SGD/Adam do. Each returns the sum of
  // squares of the change it made to w and stores in *w_sumsq (never null) the sum
  // of squares of w before the change, both in double, from the one pass over w
  // (the update/weight ratio trace needs both).
  //   sgd:      w -= lr * g'
  //   momentum: v = mu * v + g';  w -= lr * (nesterov ? g' + mu * v : v)
  //   adam:     m = b1 m + (1-b1) g';  v = b2 v + (1-b2) g'^2;
  //             w -= lr * (m / c1) / (sqrt(v / c2) + eps)   with c1 = 1-b1^t, c2 = 1-b2^t
  double (*sgd_update)(float* w, const float* g, int64_t n, float lr, float wd, double* w_sumsq);
  double (*momentum_update)(float* w, float* v, const float* g, int64_t n, float lr, float mu, float wd,
                            bool nesterov, double* w_sumsq);
  double (*adam_update)(float* w, float* m, float* v, const float* g, int64_t n, float lr, float b1,
                        float b2, float eps, float wd, float c1, float c2, double* w_sumsq);

  // y[i] += a * x[i]
  void (*axpy)(float* y, const float* x, int64_t n, float a);
  // x[i] *= a
  void (*scale)(float* x, int64_t n, float a);
};

// The active table. Cheap: a pointer read.
const KernelTable& kernels();
// The table for one ISA, or nullptr when it is not compiled in or the CPU lacks it.
const KernelTable* kernels_for(Isa isa);

// Per-ISA tables, gathered in tables.cpp from the functions of isa_functions.h.
const KernelTable& scalar_kernels();
#if defined(VGL_HAVE_X86)
const KernelTable& avx2_kernels();
const KernelTable& avx512_kernels();
#endif
#if defined(VGL_HAVE_NEON)
const KernelTable& neon_kernels();
#endif

}  // namespace vgl
