// jacobian(x, samples) off the JavaScript thread: SVDs of up to 1024 x 1024 take seconds.
#pragma once

#include <napi.h>

#include <vector>

#include "core/trace/jacobian.h"

namespace vgl_binding {

class NetworkWrap;

class JacobianWorker : public Napi::AsyncWorker {
 public:
  JacobianWorker(Napi::Env env, NetworkWrap* network, Napi::Object network_object, std::vector<float> x,
                 int64_t samples);
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  NetworkWrap* network_;
  Napi::ObjectReference network_ref_;
  Napi::Promise::Deferred deferred_;
  std::vector<float> x_;
  int64_t samples_;
  vgl::JacobianSpectra result_;
  bool invalid_input_ = false;
};

}  // namespace vgl_binding
