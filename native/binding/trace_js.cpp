#include "trace_js.h"

#include <cstring>

#include "convert.h"

namespace vgl_binding {

Napi::Object trace_chunk_to_js(Napi::Env env, const vgl::TraceChunk& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("stepFrom", Napi::Number::New(env, static_cast<double>(c.step_from)));
  o.Set("rowFrom", Napi::Number::New(env, static_cast<double>(c.row_from)));
  Napi::Int32Array steps = Napi::Int32Array::New(env, c.traced_step.size());
  if (!c.traced_step.empty()) std::memcpy(steps.Data(), c.traced_step.data(), c.traced_step.size() * sizeof(int32_t));
  o.Set("steps", steps);
  // Keys are the metric ids of core/traces/metrics.ts.
  Napi::Object m = Napi::Object::New(env);
  m.Set("loss", to_float32(env, c.loss));
  m.Set("accuracy", to_float32(env, c.accuracy));
  m.Set("out_grad_norm", to_float32(env, c.out_grad_norm));
  m.Set("act_mean", to_float32(env, c.act_mean));
  m.Set("act_std", to_float32(env, c.act_std));
  m.Set("saturated_frac", to_float32(env, c.saturated_frac));
  m.Set("grad_norm", to_float32(env, c.grad_norm));
  m.Set("param_norm", to_float32(env, c.param_norm));
  m.Set("grad_mean_abs", to_float32(env, c.grad_mean_abs));
  m.Set("grad_max_abs", to_float32(env, c.grad_max_abs));
  m.Set("update_ratio", to_float32(env, c.update_ratio));
  m.Set("timestep_grad_norm", to_float32(env, c.timestep_grad_norm));
  m.Set("gate_saturation", to_float32(env, c.gate_saturation));
  m.Set("cell_norm", to_float32(env, c.cell_norm));
  o.Set("metrics", m);
  Napi::Uint32Array hist = Napi::Uint32Array::New(env, c.histogram.size());
  if (!c.histogram.empty()) std::memcpy(hist.Data(), c.histogram.data(), c.histogram.size() * sizeof(uint32_t));
  o.Set("histogram", hist);
  return o;
}

}  // namespace vgl_binding
