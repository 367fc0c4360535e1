// TraceChunk -> a plain JS object of typed arrays (one per metric).
#pragma once

#include <napi.h>

#include "core/trace/trace_chunk.h"

namespace vgl_binding {

Napi::Object trace_chunk_to_js(Napi::Env env, const vgl::TraceChunk& chunk);

}  // namespace vgl_binding
