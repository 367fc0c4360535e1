#include "convert.h"

#include <cmath>
#include <cstring>

namespace vgl_binding {

void type_error(Napi::Env env, const std::string& message) {
  Napi::TypeError err = Napi::TypeError::New(env, message);
  err.Set("code", Napi::String::New(env, kInvalidInputCode));
  throw err;
}

void range_error(Napi::Env env, const std::string& message) {
  Napi::RangeError err = Napi::RangeError::New(env, message);
  err.Set("code", Napi::String::New(env, kInvalidInputCode));
  throw err;
}

namespace {

Napi::Object object_arg(const Napi::Value& value, const std::string& what) {
  if (!value.IsObject() || value.IsArray()) type_error(value.Env(), what + " must be an object");
  return value.As<Napi::Object>();
}

std::string string_field(const Napi::Object& obj, const char* key, const std::string& what) {
  Napi::Value v = obj.Get(key);
  if (!v.IsString()) type_error(obj.Env(), what + "." + key + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

// Numbers from a JS array or typed array, as float (the engine's storage type).
std::vector<float> float_values(const Napi::Value& v, const std::string& what) {
  std::vector<float> out;
  if (v.IsTypedArray()) {
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    if (ta.TypedArrayType() == napi_float32_array) {
      Napi::Float32Array f = v.As<Napi::Float32Array>();
      out.assign(f.Data(), f.Data() + f.ElementLength());
      return out;
    }
    if (ta.TypedArrayType() == napi_float64_array) {
      Napi::Float64Array f = v.As<Napi::Float64Array>();
      out.reserve(f.ElementLength());
      for (size_t i = 0; i < f.ElementLength(); ++i) out.push_back(static_cast<float>(f[i]));
      return out;
    }
    type_error(v.Env(), what + " must be an array of numbers or a Float32Array");
  }
  if (!v.IsArray()) type_error(v.Env(), what + " must be an array of numbers or a Float32Array");
  Napi::Array arr = v.As<Napi::Array>();
  const uint32_t n = arr.Length();
  if (n > static_cast<uint32_t>(vgl::kMaxParameters)) type_error(v.Env(), what + " is too long");
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Napi::Value e = arr.Get(i);
    if (!e.IsNumber()) type_error(v.Env(), what + "[" + std::to_string(i) + "] must be a number");
    out.push_back(static_cast<float>(e.As<Napi::Number>().DoubleValue()));
  }
  return out;
}

}  // namespace

vgl::NetworkSpec to_network_spec(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object obj = object_arg(value, "network");
  vgl::NetworkSpec spec;
  Napi::Value nodes = obj.Get("nodes");
  if (!nodes.IsArray()) type_error(env, "network.nodes must be an array");
  Napi::Array node_arr = nodes.As<Napi::Array>();
  if (node_arr.Length() > static_cast<uint32_t>(vgl::kMaxNodes))
    type_error(env, "network.nodes has " + std::to_string(node_arr.Length()) + " nodes; the limit is " +
                        std::to_string(vgl::kMaxNodes));
  for (uint32_t i = 0; i < node_arr.Length(); ++i) {
    const std::string where = "network.nodes[" + std::to_string(i) + "]";
    Napi::Object n = object_arg(node_arr.Get(i), where);
    vgl::NodeSpec node;
    node.id = string_field(n, "id", where);
    node.type = string_field(n, "type", where);
    Napi::Value params = n.Get("params");
    if (!params.IsUndefined() && !params.IsNull()) {
      Napi::Object p = object_arg(params, "node \"" + node.id + "\": params");
      Napi::Array keys = p.GetPropertyNames();
      for (uint32_t k = 0; k < keys.Length(); ++k) {
        const std::string key = keys.Get(k).As<Napi::String>().Utf8Value();
        Napi::Value v = p.Get(key);
        if (v.IsNumber()) node.numbers[key] = v.As<Napi::Number>().DoubleValue();
        else if (v.IsBoolean()) node.flags[key] = v.As<Napi::Boolean>().Value();
        else if (v.IsString()) node.strings[key] = v.As<Napi::String>().Utf8Value();
        else type_error(env, "node \"" + node.id + "\": params." + key + " must be a number, boolean or string");
      }
    }
    Napi::Value weights = n.Get("weights");
    if (!weights.IsUndefined() && !weights.IsNull()) {
      Napi::Object w = object_arg(weights, "node \"" + node.id + "\": weights");
      Napi::Array keys = w.GetPropertyNames();
      for (uint32_t k = 0; k < keys.Length(); ++k) {
        const std::string key = keys.Get(k).As<Napi::String>().Utf8Value();
        node.weights[key] = float_values(w.Get(key), "node \"" + node.id + "\": weights." + key);
      }
    }
    spec.nodes.push_back(std::move(node));
  }
  Napi::Value edges = obj.Get("edges");
  if (!edges.IsArray()) type_error(env, "network.edges must be an array");
  Napi::Array edge_arr = edges.As<Napi::Array>();
  if (edge_arr.Length() > static_cast<uint32_t>(vgl::kMaxEdges))
    type_error(env, "network.edges has " + std::to_string(edge_arr.Length()) + " edges; the limit is " +
                        std::to_string(vgl::kMaxEdges));
  for (uint32_t i = 0; i < edge_arr.Length(); ++i) {
    const std::string where = "network.edges[" + std::to_string(i) + "]";
    Napi::Object e = object_arg(edge_arr.Get(i), where);
    spec.edges.push_back({string_field(e, "from", where), string_field(e, "to", where)});
  }
  Napi::Value loss = obj.Get("loss");
  if (loss.IsString()) spec.loss = loss.As<Napi::String>().Utf8Value();
  else if (loss.IsObject()) spec.loss = string_field(loss.As<Napi::Object>(), "type", "network.loss");
  else if (!loss.IsUndefined()) type_error(env, "network.loss must be an object with a type");
  return spec;
}

namespace {

float number_field(const Napi::Object& obj, const char* key, float fallback, const std::string& what) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) type_error(obj.Env(), what + "." + key + " must be a number");
  return static_cast<float>(v.As<Napi::Number>().DoubleValue());
}

}  // namespace

vgl::OptimizerConfig to_optimizer(const Napi::Value& value) {
  Napi::Object o = object_arg(value, "optimizer");
  vgl::OptimizerConfig c;
  const std::string type = string_field(o, "type", "optimizer");
  if (type == "sgd") c.kind = vgl::OptimizerKind::Sgd;
  else if (type == "momentum") c.kind = vgl::OptimizerKind::Momentum;
  else if (type == "adam") c.kind = vgl::OptimizerKind::Adam;
  else type_error(value.Env(), "optimizer.type must be \"sgd\", \"momentum\" or \"adam\"");
  c.lr = number_field(o, "lr", c.lr, "optimizer");
  c.momentum = number_field(o, "momentum", c.momentum, "optimizer");
  c.beta1 = number_field(o, "beta1", c.beta1, "optimizer");
  c.beta2 = number_field(o, "beta2", c.beta2, "optimizer");
  c.eps = number_field(o, "eps", c.eps, "optimizer");
  c.weight_decay = number_field(o, "weight_decay", c.weight_decay, "optimizer");
  c.clip_norm = number_field(o, "clip_norm", c.clip_norm, "optimizer");
  Napi::Value nesterov = o.Get("nesterov");
  if (nesterov.IsBoolean()) c.nesterov = nesterov.As<Napi::Boolean>().Value();
  else if (!nesterov.IsUndefined()) type_error(value.Env(), "optimizer.nesterov must be a boolean");
  return c;
}

vgl::TrainSettings to_train_settings(const Napi::Value& value, const vgl::TrainSettings& base) {
  Napi::Object o = object_arg(value, "settings");
  vgl::TrainSettings s = base;
  if (!o.Get("batch_size").IsUndefined())
    s.batch_size = integer_arg(o.Get("batch_size"), "settings.batch_size", 1, 1 << 24);
  if (!o.Get("trace_every").IsUndefined())
    s.trace_every = integer_arg(o.Get("trace_every"), "settings.trace_every", 1, 1LL << 40);
  Napi::Value h = o.Get("histogram");
  if (h.IsBoolean()) s.histogram = h.As<Napi::Boolean>().Value();
  else if (!h.IsUndefined()) type_error(value.Env(), "settings.histogram must be a boolean");
  Napi::Value a = o.Get("activation_stats");
  if (a.IsBoolean()) s.activation_stats = a.As<Napi::Boolean>().Value();
  else if (!a.IsUndefined()) type_error(value.Env(), "settings.activation_stats must be a boolean");
  return s;
}

Napi::Float32Array float32_arg(const Napi::Value& value, const std::string& what, int64_t expected) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    type_error(value.Env(), what + " must be a Float32Array");
  Napi::Float32Array a = value.As<Napi::Float32Array>();
  if (expected >= 0 && static_cast<int64_t>(a.ElementLength()) != expected)
    type_error(value.Env(), what + " has " + std::to_string(a.ElementLength()) + " values, expected " +
                                std::to_string(expected));
  return a;
}

Napi::Int32Array int32_arg(const Napi::Value& value, const std::string& what, int64_t expected) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    type_error(value.Env(), what + " must be an Int32Array");
  Napi::Int32Array a = value.As<Napi::Int32Array>();
  if (expected >= 0 && static_cast<int64_t>(a.ElementLength()) != expected)
    type_error(value.Env(), what + " has " + std::to_string(a.ElementLength()) + " values, expected " +
                                std::to_string(expected));
  return a;
}

int64_t integer_arg(const Napi::Value& value, const std::string& what, int64_t lo, int64_t hi) {
  if (!value.IsNumber()) type_error(value.Env(), what + " must be a number");
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi))
    range_error(value.Env(), what + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  return static_cast<int64_t>(d);
}

Napi::Float32Array to_float32(Napi::Env env, const float* data, size_t count) {
  Napi::Float32Array a = Napi::Float32Array::New(env, count);
  if (count) std::memcpy(a.Data(), data, count * sizeof(float));
  return a;
}

Napi::Float32Array to_float32(Napi::Env env, const std::vector<float>& values) {
  return to_float32(env, values.data(), values.size());
}

Napi::Float64Array to_float64(Napi::Env env, const std::vector<double>& values) {
  Napi::Float64Array a = Napi::Float64Array::New(env, values.size());
  if (!values.empty()) std::memcpy(a.Data(), values.data(), values.size() * sizeof(double));
  return a;
}

}  // namespace vgl_binding
