// Statistics of one node's output over a batch, for the traces.
#pragma once

#include <cstdint>

#include "core/graph/plan.h"

namespace vgl {

struct NodeStats {
  float mean = 0.0f;
  float std = 0.0f;
  float saturated = 0.0f;  // NaN when the notion does not apply to this node
};

// y: the node's output (B, F); x: its input (B, F) (for the ReLU family's dead units).
// Sigmoid: fraction of outputs within 1e-2 of 0 or 1. Tanh: within 1e-2 of -1 or 1.
// ReLU, leaky ReLU, ELU: fraction of units whose input is <= 0 for every row (dead).
NodeStats node_output_stats(const PlanNode& node, const float* y, const float* x, int64_t B, int64_t F);

}  // namespace vgl
