// `Network`: one training session exposed to JavaScript. Synchronous methods for
// cheap work (compile, evaluate, a single step); train() runs many steps on a worker
// thread and streams trace chunks back.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>

#include "convert.h"
#include "core/train/session.h"

namespace vgl_binding {

class NetworkWrap : public Napi::ObjectWrap<NetworkWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NetworkWrap(const Napi::CallbackInfo& info);

  vgl::Session& session() { return *session_; }
  std::atomic<bool>& cancel_flag() { return cancel_; }
  void set_training(bool on) { training_ = on; }

 private:
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value SetData(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizer(const Napi::CallbackInfo& info);
  Napi::Value Configure(const Napi::CallbackInfo& info);
  Napi::Value Step(const Napi::CallbackInfo& info);
  Napi::Value RunSteps(const Napi::CallbackInfo& info);
  Napi::Value Train(const Napi::CallbackInfo& info);
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  Napi::Value Traces(const Napi::CallbackInfo& info);
  Napi::Value Evaluate(const Napi::CallbackInfo& info);
  Napi::Value Predict(const Napi::CallbackInfo& info);
  Napi::Value GetParams(const Napi::CallbackInfo& info);
  Napi::Value SetParam(const Napi::CallbackInfo& info);
  Napi::Value Jacobian(const Napi::CallbackInfo& info);
  Napi::Value StepsDone(const Napi::CallbackInfo& info);
  Napi::Value Training(const Napi::CallbackInfo& info);

  // Every method goes through Guard so the core's errors reach JS with their code.
  template <Napi::Value (NetworkWrap::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Guard(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&] { return (this->*Method)(info); });
  }

  // Throws a JS error (code VGLAB_BUSY) when a train() or jacobian() call owns the
  // session. Called first, and again by every method whose argument conversion reads
  // object properties: a getter runs JavaScript, which can start train() or
  // jacobian(). Such a method makes that second check after its last property read
  // and before it touches the session, and takes typed arrays' data pointers only
  // after it, since the same getter could have detached their buffers.
  void ensure_idle(Napi::Env env) const;
  Napi::Value target_value(const Napi::Value& targets) const;

  std::unique_ptr<vgl::Session> session_;
  std::atomic<bool> cancel_{false};
  bool training_ = false;
};

}  // namespace vgl_binding
