#include "jacobian_worker.h"

#include "convert.h"
#include "core/error.h"
#include "network_wrap.h"

namespace vgl_binding {

JacobianWorker::JacobianWorker(Napi::Env env, NetworkWrap* network, Napi::Object network_object, std::vector<float> x,
                               int64_t samples)
    : Napi::AsyncWorker(env, "vglab.jacobian"),
      network_(network),
      network_ref_(Napi::Persistent(network_object)),
      deferred_(Napi::Promise::Deferred::New(env)),
      x_(std::move(x)),
      samples_(samples) {}

void JacobianWorker::Execute() {
  try {
    result_ = network_->session().jacobian(x_.data(), samples_);
  } catch (const vgl::Error&) {
    invalid_input_ = true;
    throw;
  }
}

void JacobianWorker::OnOK() {
  Napi::Env env = Env();
  network_->set_training(false);
  const vgl::Plan& plan = network_->session().plan();
  Napi::Object o = Napi::Object::New(env);
  o.Set("samples", Napi::Number::New(env, static_cast<double>(result_.samples)));
  o.Set("network", to_float64(env, result_.network));
  Napi::Object nodes = Napi::Object::New(env);
  for (size_t k = 0; k < plan.nodes.size(); ++k)
    if (!result_.nodes[k].empty()) nodes.Set(plan.nodes[k].id, to_float64(env, result_.nodes[k]));
  o.Set("nodes", nodes);
  deferred_.Resolve(o);
}

void JacobianWorker::OnError(const Napi::Error& error) {
  network_->set_training(false);
  if (invalid_input_) error.Value().Set("code", Napi::String::New(Env(), kInvalidInputCode));
  deferred_.Reject(error.Value());
}

}  // namespace vgl_binding
