// A slice of a TraceStore (new steps and new traced rows since a cursor), copied so
// it can leave the training thread while training goes on.
#pragma once

#include <cstdint>
#include <vector>

#include "core/trace/trace_store.h"

namespace vgl {

struct TraceChunk {
  int64_t step_from = 0;  // index of the first step in loss/accuracy
  int64_t row_from = 0;   // index of the first traced row
  std::vector<float> loss, accuracy;
  std::vector<int32_t> traced_step;
  std::vector<float> out_grad_norm, act_mean, act_std, saturated_frac;
  std::vector<float> grad_norm, param_norm, grad_mean_abs, grad_max_abs, update_ratio;
  std::vector<uint32_t> histogram;
  std::vector<float> timestep_grad_norm, gate_saturation, cell_norm;

  int64_t steps() const { return static_cast<int64_t>(loss.size()); }
  int64_t rows() const { return static_cast<int64_t>(traced_step.size()); }
};

// Everything in `store` from step `step_from` and traced row `row_from` on.
TraceChunk trace_chunk_since(const TraceStore& store, int64_t step_from, int64_t row_from);

}  // namespace vgl
