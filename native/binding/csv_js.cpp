// parseCsv(bytes: Uint8Array, { target?, standardize?, maxRows? }) -> the parsed data set.
#include "csv_js.h"

#include "convert.h"
#include "core/data/csv.h"

namespace vgl_binding {

namespace {

Napi::Array strings_to_js(Napi::Env env, const std::vector<std::string>& values) {
  Napi::Array a = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) a.Set(static_cast<uint32_t>(i), values[i]);
  return a;
}

}  // namespace

Napi::Value ParseCsv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto is_bytes = [&] {
    return info[0].IsTypedArray() && info[0].As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
  };
  if (!is_bytes()) type_error(env, "the CSV file must be given as a Uint8Array of its bytes");
  vgl::CsvOptions options;
  if (info.Length() > 1 && info[1].IsObject()) {
    Napi::Object o = info[1].As<Napi::Object>();
    Napi::Value target = o.Get("target");
    if (target.IsString()) options.target_column = target.As<Napi::String>().Utf8Value();
    else if (!target.IsUndefined()) type_error(env, "options.target must be a string");
    Napi::Value standardize = o.Get("standardize");
    if (standardize.IsBoolean()) options.standardize = standardize.As<Napi::Boolean>().Value();
    else if (!standardize.IsUndefined()) type_error(env, "options.standardize must be a boolean");
    if (!o.Get("maxRows").IsUndefined()) options.max_rows = integer_arg(o.Get("maxRows"), "options.maxRows", 1, 100000000);
  }
  // The bytes are taken only after the options: a getter there could have detached
  // their buffer, leaving a pointer to freed memory (found with ASan).
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  const vgl::CsvDataset d = guarded(env, [&] {
    return vgl::parse_csv(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength(), options);
  });
  Napi::Object o = Napi::Object::New(env);
  o.Set("featureNames", strings_to_js(env, d.feature_names));
  o.Set("targetName", d.target_name);
  o.Set("rows", Napi::Number::New(env, static_cast<double>(d.rows)));
  o.Set("features", Napi::Number::New(env, static_cast<double>(d.features)));
  o.Set("x", to_float32(env, d.x));
  o.Set("y", to_float32(env, d.y));
  o.Set("classification", Napi::Boolean::New(env, d.classification));
  o.Set("classNames", strings_to_js(env, d.class_names));
  o.Set("featureMean", to_float32(env, d.feature_mean));
  o.Set("featureStd", to_float32(env, d.feature_std));
  return o;
}

}  // namespace vgl_binding
