#include "trace_js.h"

#include <cstring>

#include "convert.h"

namespace vgl_binding {

Napi::Object trace_chunk_to_js(Napi::Env env, const vgl::TraceChunk& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("stepFrom", Napi::Number::New(env, static_cast<double>(c.step_from)));
  o.Set("rowFrom", Napi::Number::New(env, static_cast<double>(c.row_from)));
  o.Set("loss", to_float32(env, c.loss));
  o.Set("accuracy", to_float32(env, c.accuracy));
  Napi::Int32Array steps = Napi::Int32Array::New(env, c.traced_step.size());
  if (!c.traced_step.empty()) std::memcpy(steps.Data(), c.traced_step.data(), c.traced_step.size() * sizeof(int32_t));
  o.Set("tracedStep", steps);
  o.Set("outGradNorm", to_float32(env, c.out_grad_norm));
  o.Set("actMean", to_float32(env, c.act_mean));
  o.Set("actStd", to_float32(env, c.act_std));
  o.Set("saturatedFrac", to_float32(env, c.saturated_frac));
  o.Set("gradNorm", to_float32(env, c.grad_norm));
  o.Set("paramNorm", to_float32(env, c.param_norm));
  o.Set("gradMeanAbs", to_float32(env, c.grad_mean_abs));
  o.Set("gradMaxAbs", to_float32(env, c.grad_max_abs));
  o.Set("updateRatio", to_float32(env, c.update_ratio));
  Napi::Uint32Array hist = Napi::Uint32Array::New(env, c.histogram.size());
  if (!c.histogram.empty()) std::memcpy(hist.Data(), c.histogram.data(), c.histogram.size() * sizeof(uint32_t));
  o.Set("histogram", hist);
  return o;
}

}  // namespace vgl_binding
