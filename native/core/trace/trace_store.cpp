#include "core/trace/trace_store.h"

namespace vgl {

void TraceStore::clear() {
  loss.clear();
  accuracy.clear();
  traced_step.clear();
  out_grad_norm.clear();
  act_mean.clear();
  act_std.clear();
  saturated_frac.clear();
  grad_norm.clear();
  param_norm.clear();
  grad_mean_abs.clear();
  grad_max_abs.clear();
  update_ratio.clear();
  histogram.clear();
  timestep_grad_norm.clear();
  gate_saturation.clear();
  cell_norm.clear();
}

}  // namespace vgl
