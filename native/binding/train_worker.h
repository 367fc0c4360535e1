// Runs `steps` training steps off the JavaScript thread. Every ~33 ms (and at the
// end) the new trace rows are copied into a chunk and handed to the JS thread,
// which calls onChunk(chunk). Resolves with how the run ended.
#pragma once

#include <napi.h>

#include <deque>
#include <mutex>
#include <string>

#include "core/trace/trace_chunk.h"

namespace vgl_binding {

class NetworkWrap;

class TrainWorker : public Napi::AsyncProgressWorker<char> {
 public:
  TrainWorker(Napi::Env env, NetworkWrap* network, Napi::Object network_object, int64_t steps,
              Napi::Function on_chunk);
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute(const ExecutionProgress& progress) override;
  void OnProgress(const char* data, size_t count) override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  void deliver_chunks();
  void finish();

  NetworkWrap* network_;
  Napi::ObjectReference network_ref_;  // keeps the network alive while training
  Napi::FunctionReference on_chunk_;
  Napi::Promise::Deferred deferred_;
  int64_t steps_;

  std::mutex mutex_;
  std::deque<vgl::TraceChunk> pending_;

  // Results, written by Execute, read in OnOK.
  int64_t done_ = 0;
  std::string stopped_ = "completed";
  std::string divergence_;
  bool invalid_input_ = false;  // the step threw vgl::Error (e.g. no data loaded)
  // An exception thrown by onChunk: training is cancelled and the promise rejects with it.
  Napi::ObjectReference callback_error_;
};

}  // namespace vgl_binding
