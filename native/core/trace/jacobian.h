// Singular values of Jacobians at the current weights (dynamical isometry): of the
// whole network's d output / d input, and of each node's d output / d input, per
// sample, in evaluation mode (batch norm with its running statistics, no dropout).
// A network whose input-output singular values sit near 1 passes gradients through
// unchanged; values spread over decades mean some directions vanish or explode.
#pragma once

#include <cstdint>
#include <vector>

#include "core/graph/execute.h"
#include "core/graph/plan.h"

namespace vgl {

constexpr int64_t kMaxJacobianDim = 1024;

struct JacobianSpectra {
  int64_t samples = 0;
  // min(out, in) values per sample, each sample's in descending order, samples one after another.
  std::vector<double> network;
  // Per plan node (index 0, the input, and add nodes stay empty): the same for the node's own Jacobian.
  std::vector<std::vector<double>> nodes;
};

// x: (samples, input_features). Throws vgl::Error when a dimension passes kMaxJacobianDim
// or the workspace would pass `memory_cap_bytes`.
JacobianSpectra jacobian_spectra(const Plan& plan, std::vector<ParamState>& params, const float* x, int64_t samples,
                                 double memory_cap_bytes);

// Singular values of the row-major (m, n) matrix `a`, descending, by one-sided Jacobi
// rotations in double (relative accuracy even for tiny values, which is the point here).
std::vector<double> singular_values(const std::vector<double>& a, int64_t m, int64_t n);

}  // namespace vgl
