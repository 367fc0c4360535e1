#pragma once

#include <napi.h>

namespace vgl_binding {

Napi::Value ParseCsv(const Napi::CallbackInfo& info);

}  // namespace vgl_binding
