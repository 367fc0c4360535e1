#include "network_wrap.h"

#include <cmath>

#include "convert.h"
#include "core/graph/execute.h"
#include "trace_js.h"
#include "jacobian_worker.h"
#include "train_worker.h"

namespace vgl_binding {

namespace {

const char* loss_name(vgl::LossKind k) {
  switch (k) {
    case vgl::LossKind::SoftmaxCrossEntropy: return "softmax_cross_entropy";
    case vgl::LossKind::Mse: return "mse";
    case vgl::LossKind::BceWithLogits: return "bce_with_logits";
  }
  return "unknown";
}

}  // namespace

Napi::Function NetworkWrap::Define(Napi::Env env) {
  return DefineClass(env, "Network",
                     {
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Info>>("info"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::SetData>>("setData"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::SetOptimizer>>("setOptimizer"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Configure>>("configure"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Step>>("step"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::RunSteps>>("runSteps"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Train>>("train"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Cancel>>("cancel"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Traces>>("traces"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Evaluate>>("evaluate"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Predict>>("predict"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::GetParams>>("getParams"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::SetParam>>("setParam"),
                         InstanceMethod<&NetworkWrap::Guard<&NetworkWrap::Jacobian>>("jacobian"),
                         InstanceAccessor<&NetworkWrap::StepsDone>("stepsDone"),
                         InstanceAccessor<&NetworkWrap::Training>("training"),
                     });
}

// new Network(spec, { seed?, memoryCapBytes? })
NetworkWrap::NetworkWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NetworkWrap>(info) {
  Napi::Env env = info.Env();
  vgl::NetworkSpec spec = to_network_spec(info[0]);
  vgl::SessionOptions options;
  if (info.Length() > 1 && info[1].IsObject()) {
    Napi::Object o = info[1].As<Napi::Object>();
    if (!o.Get("seed").IsUndefined())
      options.seed = static_cast<uint64_t>(integer_arg(o.Get("seed"), "options.seed", 0, (1LL << 53) - 1));
    if (!o.Get("memoryCapBytes").IsUndefined()) {
      Napi::Value cap = o.Get("memoryCapBytes");
      if (!cap.IsNumber() || !(cap.As<Napi::Number>().DoubleValue() > 0))
        range_error(env, "options.memoryCapBytes must be a positive number");
      options.memory_cap_bytes = cap.As<Napi::Number>().DoubleValue();
    }
  }
  session_ = guarded(env, [&] { return std::make_unique<vgl::Session>(spec, options); });
}

void NetworkWrap::ensure_idle(Napi::Env env) const {
  if (training_) {
    Napi::Error err = Napi::Error::New(env, "the network is training; wait for train() to finish or cancel it");
    err.Set("code", Napi::String::New(env, "VGLAB_BUSY"));
    throw err;
  }
}

Napi::Value NetworkWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const vgl::Plan& plan = session_->plan();
  Napi::Object o = Napi::Object::New(env);
  Napi::Array nodes = Napi::Array::New(env, plan.nodes.size());
  for (size_t k = 0; k < plan.nodes.size(); ++k) {
    const vgl::PlanNode& n = plan.nodes[k];
    Napi::Object node = Napi::Object::New(env);
    node.Set("id", n.id);
    node.Set("type", n.type);
    node.Set("features", Napi::Number::New(env, static_cast<double>(n.features)));
    node.Set("time", Napi::Number::New(env, static_cast<double>(n.time)));
    node.Set("sequence", Napi::Boolean::New(env, n.sequence));
    Napi::Array inputs = Napi::Array::New(env, n.inputs.size());
    for (size_t i = 0; i < n.inputs.size(); ++i) inputs.Set(static_cast<uint32_t>(i), plan.nodes[n.inputs[i]].id);
    node.Set("inputs", inputs);
    nodes.Set(static_cast<uint32_t>(k), node);
  }
  o.Set("nodes", nodes);
  Napi::Array params = Napi::Array::New(env, plan.params.size());
  for (size_t i = 0; i < plan.params.size(); ++i) {
    const vgl::ParamInfo& p = plan.params[i];
    Napi::Object param = Napi::Object::New(env);
    param.Set("name", p.name);
    param.Set("node", plan.nodes[p.node].id);
    param.Set("weight", p.weight);
    param.Set("rows", Napi::Number::New(env, static_cast<double>(p.rows)));
    param.Set("cols", Napi::Number::New(env, static_cast<double>(p.cols)));
    param.Set("trainable", Napi::Boolean::New(env, p.trainable));
    params.Set(static_cast<uint32_t>(i), param);
  }
  o.Set("params", params);
  o.Set("inputFeatures", Napi::Number::New(env, static_cast<double>(plan.input_features)));
  o.Set("outputFeatures", Napi::Number::New(env, static_cast<double>(plan.output_features)));
  o.Set("inputTime", Napi::Number::New(env, static_cast<double>(plan.input_time)));
  o.Set("outputTime", Napi::Number::New(env, static_cast<double>(plan.output_time)));
  o.Set("output", plan.nodes[plan.output].id);
  o.Set("loss", loss_name(plan.loss));
  o.Set("parameterCount", Napi::Number::New(env, static_cast<double>(plan.trainable_parameter_count)));
  const vgl::TraceStore& t = session_->traces();
  Napi::Array trace_nodes = Napi::Array::New(env, t.node_ids.size());
  for (size_t i = 0; i < t.node_ids.size(); ++i) trace_nodes.Set(static_cast<uint32_t>(i), t.node_ids[i]);
  Napi::Array trace_params = Napi::Array::New(env, t.param_names.size());
  for (size_t i = 0; i < t.param_names.size(); ++i) trace_params.Set(static_cast<uint32_t>(i), t.param_names[i]);
  o.Set("traceNodeIds", trace_nodes);
  o.Set("traceParamNames", trace_params);
  Napi::Array recurrent = Napi::Array::New(env, t.recurrent_ids.size());
  for (size_t i = 0; i < t.recurrent_ids.size(); ++i) {
    Napi::Object r = Napi::Object::New(env);
    r.Set("id", t.recurrent_ids[i]);
    r.Set("time", Napi::Number::New(env, static_cast<double>(t.recurrent_time[i])));
    r.Set("gates", Napi::Number::New(env, static_cast<double>(t.recurrent_gates[i])));
    recurrent.Set(static_cast<uint32_t>(i), r);
  }
  o.Set("traceRecurrent", recurrent);
  return o;
}

// The value of targets.labels (softmax cross-entropy) or targets.targets. Reading it
// runs JavaScript when it is a getter: see ensure_idle in network_wrap.h.
Napi::Value NetworkWrap::target_value(const Napi::Value& targets) const {
  if (!targets.IsObject()) type_error(targets.Env(), "targets must be an object { labels } or { targets }");
  const bool labels = session_->plan().loss == vgl::LossKind::SoftmaxCrossEntropy;
  return targets.As<Napi::Object>().Get(labels ? "labels" : "targets");
}

// setData(x: Float32Array, rows, { labels?: Int32Array, targets?: Float32Array })
Napi::Value NetworkWrap::SetData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const vgl::Plan& plan = session_->plan();
  const int64_t rows = integer_arg(info[1], "rows", 1, 100000000);
  float32_arg(info[0], "x", rows * plan.input_width());  // the first message names x
  const Napi::Value target = target_value(info[2]);
  ensure_idle(env);  // again: a getter above may have called train() or jacobian()
  // Taken only now: a getter above could have detached x's buffer.
  Napi::Float32Array x = float32_arg(info[0], "x", rows * plan.input_width());
  if (plan.loss == vgl::LossKind::SoftmaxCrossEntropy) {
    Napi::Int32Array labels = int32_arg(target, "labels", rows * plan.labels_per_sample());
    session_->set_data(x.Data(), rows, plan.input_width(), labels.Data(), nullptr, 0);
  } else {
    Napi::Float32Array targets = float32_arg(target, "targets", rows * plan.output_width());
    session_->set_data(x.Data(), rows, plan.input_width(), nullptr, targets.Data(), plan.output_width());
  }
  return env.Undefined();
}

Napi::Value NetworkWrap::SetOptimizer(const Napi::CallbackInfo& info) {
  ensure_idle(info.Env());
  const vgl::OptimizerConfig config = to_optimizer(info[0]);  // may run getters
  ensure_idle(info.Env());  // again: a getter may have called train() or jacobian()
  session_->set_optimizer(config);
  return info.Env().Undefined();
}

// configure({ batch_size?, trace_every?, histogram? })
Napi::Value NetworkWrap::Configure(const Napi::CallbackInfo& info) {
  ensure_idle(info.Env());
  vgl::TrainSettings base;
  const vgl::TrainSettings settings = to_train_settings(info[0], base);  // may run getters
  ensure_idle(info.Env());  // again: a getter may have called train() or jacobian()
  session_->set_train_settings(settings);
  return info.Env().Undefined();
}

namespace {

Napi::Object outcome_to_js(Napi::Env env, const vgl::StepOutcome& out) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("loss", Napi::Number::New(env, out.loss));
  o.Set("accuracy", Napi::Number::New(env, out.accuracy));
  o.Set("traced", Napi::Boolean::New(env, out.traced));
  o.Set("diverged", Napi::Boolean::New(env, out.diverged));
  if (out.diverged) o.Set("divergence", out.divergence);
  return o;
}

}  // namespace

Napi::Value NetworkWrap::Step(const Napi::CallbackInfo& info) {
  ensure_idle(info.Env());
  return outcome_to_js(info.Env(), session_->step());
}

// runSteps(n): n steps on the calling thread (benchmarks, scripts); stops at divergence.
Napi::Value NetworkWrap::RunSteps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const int64_t n = integer_arg(info[0], "steps", 1, 1LL << 40);
  vgl::StepOutcome last;
  for (int64_t i = 0; i < n; ++i) {
    last = session_->step();
    if (last.diverged) break;
  }
  return outcome_to_js(env, last);
}

// train(steps, onChunk?) -> Promise<{ steps, stopped, divergence? }>
Napi::Value NetworkWrap::Train(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const int64_t steps = integer_arg(info[0], "steps", 1, 1LL << 40);
  Napi::Function on_chunk;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsFunction()) type_error(env, "onChunk must be a function");
    on_chunk = info[1].As<Napi::Function>();
  }
  cancel_.store(false);
  training_ = true;
  // The worker deletes itself when done (node-addon-api's AsyncWorker contract).
  auto* worker = new TrainWorker(env, this, info.This().As<Napi::Object>(), steps, on_chunk);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

Napi::Value NetworkWrap::Cancel(const Napi::CallbackInfo& info) {
  if (training_) cancel_.store(true);
  return Napi::Boolean::New(info.Env(), training_);
}

// traces(stepFrom = 0, rowFrom = 0) -> chunk
Napi::Value NetworkWrap::Traces(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const int64_t step_from = info.Length() > 0 && !info[0].IsUndefined() ? integer_arg(info[0], "stepFrom", 0, 1LL << 40) : 0;
  const int64_t row_from = info.Length() > 1 && !info[1].IsUndefined() ? integer_arg(info[1], "rowFrom", 0, 1LL << 40) : 0;
  return trace_chunk_to_js(env, vgl::trace_chunk_since(session_->traces(), step_from, row_from));
}

// evaluate(x, rows, { labels | targets }, trainMode = true)
Napi::Value NetworkWrap::Evaluate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const vgl::Plan& plan = session_->plan();
  const int64_t rows = integer_arg(info[1], "rows", 1, 100000000);
  float32_arg(info[0], "x", rows * plan.input_width());  // the first message names x
  const Napi::Value target_js = target_value(info[2]);
  ensure_idle(env);  // again: a getter above may have called train() or jacobian()
  // Taken only now: a getter above could have detached x's buffer.
  Napi::Float32Array x = float32_arg(info[0], "x", rows * plan.input_width());
  const bool train_mode = info.Length() > 3 && info[3].IsBoolean() ? info[3].As<Napi::Boolean>().Value() : true;
  vgl::TargetView target;
  Napi::Int32Array labels;
  Napi::Float32Array values;
  if (plan.loss == vgl::LossKind::SoftmaxCrossEntropy) {
    labels = int32_arg(target_js, "labels", rows * plan.labels_per_sample());
    target.labels = labels.Data();
  } else {
    values = float32_arg(target_js, "targets", rows * plan.output_width());
    target.values = values.Data();
  }
  vgl::Evaluation e = session_->evaluate(x.Data(), rows, target, train_mode);
  Napi::Object o = Napi::Object::New(env);
  o.Set("loss", Napi::Number::New(env, e.loss));
  o.Set("accuracy", Napi::Number::New(env, e.accuracy));
  o.Set("output", to_float32(env, e.output));
  o.Set("inputGrad", to_float32(env, e.input_grad));
  o.Set("nodeGradNorms", to_float64(env, e.node_grad_norms));
  o.Set("paramGradNorms", to_float64(env, e.param_grad_norms));
  Napi::Object grads = Napi::Object::New(env);
  for (size_t i = 0; i < plan.params.size(); ++i)
    if (plan.params[i].trainable) grads.Set(plan.params[i].name, to_float32(env, e.param_grads[i]));
  o.Set("paramGrads", grads);
  Napi::Object steps = Napi::Object::New(env);
  for (size_t k = 0; k < plan.nodes.size(); ++k)
    if (!e.timestep_grad_norms[k].empty()) steps.Set(plan.nodes[k].id, to_float64(env, e.timestep_grad_norms[k]));
  o.Set("timestepGradNorms", steps);
  return o;
}

// predict(x, rows) -> Float32Array (rows * outputFeatures), evaluation mode
Napi::Value NetworkWrap::Predict(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const vgl::Plan& plan = session_->plan();
  const int64_t rows = integer_arg(info[1], "rows", 1, 100000000);
  Napi::Float32Array x = float32_arg(info[0], "x", rows * plan.input_width());
  session_->check_output_rows(rows);  // before allocating: a std::bad_alloc has no code
  std::vector<float> out(static_cast<size_t>(rows * plan.output_width()));
  session_->predict(x.Data(), rows, out.data());
  return to_float32(env, out);
}

Napi::Value NetworkWrap::GetParams(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const vgl::Plan& plan = session_->plan();
  Napi::Object o = Napi::Object::New(env);
  for (size_t i = 0; i < plan.params.size(); ++i)
    o.Set(plan.params[i].name, to_float32(env, session_->params()[i].value.data(), plan.params[i].size));
  return o;
}

// setParam(name, values: Float32Array)
Napi::Value NetworkWrap::SetParam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  if (!info[0].IsString()) type_error(env, "name must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  const int index = session_->plan().find_param(name);
  if (index < 0) range_error(env, "the network has no parameter named \"" + name + "\"");
  Napi::Float32Array values = float32_arg(info[1], name, session_->plan().params[index].size);
  session_->set_param(index, values.Data(), static_cast<int64_t>(values.ElementLength()));
  return env.Undefined();
}

// jacobian(x, samples) -> Promise<{ samples, network: Float64Array, nodes: { id: Float64Array } }>
Napi::Value NetworkWrap::Jacobian(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_idle(env);
  const int64_t samples = integer_arg(info[1], "samples", 1, 256);
  Napi::Float32Array x = float32_arg(info[0], "x", samples * session_->plan().input_width());
  std::vector<float> copy(x.Data(), x.Data() + x.ElementLength());
  training_ = true;  // the session is busy until the worker finishes
  auto* worker = new JacobianWorker(env, this, info.This().As<Napi::Object>(), std::move(copy), samples);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

Napi::Value NetworkWrap::StepsDone(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(session_->steps_done()));
}

Napi::Value NetworkWrap::Training(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), training_); }

}  // namespace vgl_binding
