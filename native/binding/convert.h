// JavaScript values -> the core's plain structs, and core results -> V8-owned typed
// arrays. Every check that protects memory (types, lengths) happens here; the core
// then validates meaning (shapes, ranges) and names the node and field.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/graph/spec.h"
#include "core/train/optimizer.h"
#include "core/train/session.h"

namespace vgl_binding {

// The `code` of every error caused by what the caller passed (a bad spec, shape,
// value or file), so hosts can tell "fix your input" from "the engine failed".
constexpr const char* kInvalidInputCode = "VGLAB_INVALID_INPUT";

// Runs f, turning the core's vgl::Error (always a message for the user) into a JS
// Error with code kInvalidInputCode. Other exceptions pass on unchanged.
template <typename F>
auto guarded(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const vgl::Error& e) {
    Napi::Error err = Napi::Error::New(env, e.what());
    err.Set("code", Napi::String::New(env, kInvalidInputCode));
    throw err;
  }
}

[[noreturn]] void type_error(Napi::Env env, const std::string& message);
[[noreturn]] void range_error(Napi::Env env, const std::string& message);

vgl::NetworkSpec to_network_spec(const Napi::Value& value);
vgl::OptimizerConfig to_optimizer(const Napi::Value& value);
vgl::TrainSettings to_train_settings(const Napi::Value& value, const vgl::TrainSettings& base);

// A Float32Array argument with exactly `expected` elements (expected < 0: any length).
Napi::Float32Array float32_arg(const Napi::Value& value, const std::string& what, int64_t expected);
// An Int32Array argument with exactly `expected` elements.
Napi::Int32Array int32_arg(const Napi::Value& value, const std::string& what, int64_t expected);
// A whole number in [lo, hi].
int64_t integer_arg(const Napi::Value& value, const std::string& what, int64_t lo, int64_t hi);

Napi::Float32Array to_float32(Napi::Env env, const float* data, size_t count);
Napi::Float32Array to_float32(Napi::Env env, const std::vector<float>& values);
Napi::Float64Array to_float64(Napi::Env env, const std::vector<double>& values);

}  // namespace vgl_binding
