#include "core/trace/trace_chunk.h"

#include <algorithm>

namespace vgl {

namespace {

template <typename T>
std::vector<T> tail(const std::vector<T>& v, int64_t from, int64_t per_row) {
  const size_t start = std::min(v.size(), static_cast<size_t>(from * per_row));
  return std::vector<T>(v.begin() + start, v.end());
}

}  // namespace

TraceChunk trace_chunk_since(const TraceStore& s, int64_t step_from, int64_t row_from) {
  TraceChunk c;
  step_from = std::clamp<int64_t>(step_from, 0, s.steps());
  row_from = std::clamp<int64_t>(row_from, 0, s.rows());
  const int64_t nodes = static_cast<int64_t>(s.node_ids.size());
  const int64_t params = static_cast<int64_t>(s.param_names.size());
  c.step_from = step_from;
  c.row_from = row_from;
  c.loss = tail(s.loss, step_from, 1);
  c.accuracy = tail(s.accuracy, step_from, 1);
  c.traced_step = tail(s.traced_step, row_from, 1);
  c.out_grad_norm = tail(s.out_grad_norm, row_from, nodes);
  c.act_mean = tail(s.act_mean, row_from, nodes);
  c.act_std = tail(s.act_std, row_from, nodes);
  c.saturated_frac = tail(s.saturated_frac, row_from, nodes);
  c.grad_norm = tail(s.grad_norm, row_from, params);
  c.param_norm = tail(s.param_norm, row_from, params);
  c.grad_mean_abs = tail(s.grad_mean_abs, row_from, params);
  c.grad_max_abs = tail(s.grad_max_abs, row_from, params);
  c.update_ratio = tail(s.update_ratio, row_from, params);
  c.histogram = tail(s.histogram, row_from, params * (kHistBins + 1));
  c.timestep_grad_norm = tail(s.timestep_grad_norm, row_from, s.timestep_width());
  c.gate_saturation = tail(s.gate_saturation, row_from, s.gate_width());
  c.cell_norm = tail(s.cell_norm, row_from, static_cast<int64_t>(s.recurrent_ids.size()));
  return c;
}

}  // namespace vgl
