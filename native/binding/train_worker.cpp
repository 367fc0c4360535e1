#include "train_worker.h"

#include <chrono>

#include "convert.h"
#include "core/error.h"
#include "network_wrap.h"
#include "trace_js.h"

namespace vgl_binding {

namespace {
constexpr auto kChunkInterval = std::chrono::milliseconds(33);  // ~30 chunks a second at most
}

TrainWorker::TrainWorker(Napi::Env env, NetworkWrap* network, Napi::Object network_object, int64_t steps,
                         Napi::Function on_chunk)
    : Napi::AsyncProgressWorker<char>(env, "vglab.train"),
      network_(network),
      network_ref_(Napi::Persistent(network_object)),
      deferred_(Napi::Promise::Deferred::New(env)),
      steps_(steps) {
  if (!on_chunk.IsEmpty()) on_chunk_ = Napi::Persistent(on_chunk);
}

void TrainWorker::Execute(const ExecutionProgress& progress) {
  vgl::Session& session = network_->session();
  int64_t step_cursor = session.traces().steps();
  int64_t row_cursor = session.traces().rows();
  auto last_sent = std::chrono::steady_clock::now();
  auto flush = [&]() {
    vgl::TraceChunk chunk = vgl::trace_chunk_since(session.traces(), step_cursor, row_cursor);
    if (chunk.steps() == 0 && chunk.rows() == 0) return;
    step_cursor += chunk.steps();
    row_cursor += chunk.rows();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending_.push_back(std::move(chunk));
    }
    progress.Signal();
  };
  for (int64_t i = 0; i < steps_; ++i) {
    if (network_->cancel_flag().load(std::memory_order_relaxed)) {
      stopped_ = "cancelled";
      break;
    }
    vgl::StepOutcome out;
    try {
      out = session.step();
    } catch (const vgl::Error&) {
      invalid_input_ = true;  // the base class turns the exception into OnError
      throw;
    }
    ++done_;
    if (out.diverged) {
      stopped_ = "diverged";
      divergence_ = out.divergence;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_sent >= kChunkInterval) {
      flush();
      last_sent = now;
    }
  }
  flush();
}

void TrainWorker::deliver_chunks() {
  std::deque<vgl::TraceChunk> ready;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ready.swap(pending_);
  }
  if (on_chunk_.IsEmpty() || !callback_error_.IsEmpty()) return;
  Napi::Env env = Env();
  for (const vgl::TraceChunk& c : ready) {
    Napi::HandleScope scope(env);
    try {
      on_chunk_.Call({trace_chunk_to_js(env, c)});
    } catch (const Napi::Error& e) {
      callback_error_ = Napi::Persistent(e.Value());
      network_->cancel_flag().store(true);
      return;
    }
  }
}

void TrainWorker::OnProgress(const char*, size_t) { deliver_chunks(); }

void TrainWorker::finish() {
  network_->set_training(false);
  network_->cancel_flag().store(false);
}

void TrainWorker::OnOK() {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  // Chunks signalled just before Execute returned may not have been delivered yet.
  deliver_chunks();
  finish();
  if (!callback_error_.IsEmpty()) {
    deferred_.Reject(callback_error_.Value());
    return;
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("steps", Napi::Number::New(env, static_cast<double>(done_)));
  result.Set("stopped", Napi::String::New(env, stopped_));
  if (!divergence_.empty()) result.Set("divergence", Napi::String::New(env, divergence_));
  deferred_.Resolve(result);
}

void TrainWorker::OnError(const Napi::Error& error) {
  Napi::HandleScope scope(Env());
  if (invalid_input_) error.Value().Set("code", Napi::String::New(Env(), kInvalidInputCode));
  deliver_chunks();
  finish();
  deferred_.Reject(error.Value());
}

}  // namespace vgl_binding
