// Module entry: the Network class and the engine-wide functions (ISA control, the
// GEMM benchmark).
#include <napi.h>

#include <cstdlib>
#include <cstring>

#include "convert.h"
#include "csv_js.h"
#include "core/kernels/gemm_bench.h"
#include "core/kernels/kernels.h"
#include "core/kernels/peak.h"
#include "network_wrap.h"

namespace vgl_binding {

namespace {

Napi::Value Isa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), vgl::isa_name(vgl::active_isa())); }

Napi::Value SupportedIsas(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (vgl::Isa isa : {vgl::Isa::Scalar, vgl::Isa::Neon, vgl::Isa::Avx2, vgl::Isa::Avx512})
    if (vgl::kernels_for(isa)) out.Set(i++, vgl::isa_name(isa));
  return out;
}

// setIsa(name): switch the kernels for the whole process (tests and benchmarks).
Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) type_error(env, "isa must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  for (vgl::Isa isa : {vgl::Isa::Scalar, vgl::Isa::Neon, vgl::Isa::Avx2, vgl::Isa::Avx512}) {
    if (name == vgl::isa_name(isa)) {
      guarded(env, [&] { vgl::set_active_isa(isa); });
      return env.Undefined();
    }
  }
  range_error(env, "unknown ISA \"" + name + "\" (scalar, neon, avx2, avx512)");
}

// benchSgemm(n, seconds) -> GFLOP/s of square sgemm on one thread, active ISA.
Napi::Value BenchSgemm(const Napi::CallbackInfo& info) {
  const int64_t n = integer_arg(info[0], "n", 1, 8192);
  if (!info[1].IsNumber()) type_error(info.Env(), "seconds must be a number");
  const double seconds = info[1].As<Napi::Number>().DoubleValue();
  if (!(seconds > 0 && seconds <= 600)) range_error(info.Env(), "seconds must be in (0, 600]");
  return Napi::Number::New(info.Env(), guarded(info.Env(), [&] { return vgl::bench_sgemm_gflops(n, seconds); }));
}

// injectFault("segv"): for tests only. Makes a real invalid memory access (a write
// through a null pointer) so a test can show that a crash in native code costs one
// engine host process and never the lab. Refuses (returns false, touches nothing)
// unless this process's environment holds VGLAB_FAULT_INJECTION starting "segv":
// the JavaScript that calls it checks the same variable, and this second check means
// no stray call can crash a process nobody armed.
Napi::Value InjectFault(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || info[0].As<Napi::String>().Utf8Value() != "segv") type_error(env, "kind must be \"segv\"");
  const char* armed = std::getenv("VGLAB_FAULT_INJECTION");
  if (armed == nullptr || std::strncmp(armed, "segv", 4) != 0) return Napi::Boolean::New(env, false);
  // Both volatile: the pointer, so the compiler cannot see that it is null (and trap or
  // drop the store as undefined behaviour); the int, so the store is never dropped as dead.
  volatile int* volatile nowhere = nullptr;
  *nowhere = 1;
  return Napi::Boolean::New(env, true);
}

}  // namespace

// benchPeak(seconds) -> GFLOP/s of register-only FMA chains on one thread, active ISA.
Napi::Value BenchPeak(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) type_error(info.Env(), "seconds must be a number");
  const double seconds = info[0].As<Napi::Number>().DoubleValue();
  if (!(seconds > 0 && seconds <= 600)) range_error(info.Env(), "seconds must be in (0, 600]");
  return Napi::Number::New(info.Env(),
                           guarded(info.Env(), [&] { return vgl::fma_peak_gflops(vgl::active_isa(), seconds); }));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Network", NetworkWrap::Define(env));
  exports.Set("isa", Napi::Function::New(env, Isa, "isa"));
  exports.Set("supportedIsas", Napi::Function::New(env, SupportedIsas, "supportedIsas"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("benchSgemm", Napi::Function::New(env, BenchSgemm, "benchSgemm"));
  exports.Set("benchPeak", Napi::Function::New(env, BenchPeak, "benchPeak"));
  exports.Set("parseCsv", Napi::Function::New(env, ParseCsv, "parseCsv"));
  exports.Set("injectFault", Napi::Function::New(env, InjectFault, "injectFault"));
  return exports;
}

}  // namespace vgl_binding

// NODE_API_MODULE takes an unqualified name.
static Napi::Object InitVglab(Napi::Env env, Napi::Object exports) { return vgl_binding::Init(env, exports); }

NODE_API_MODULE(vglab, InitVglab)
