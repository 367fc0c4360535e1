// Picks the kernel table at load time from what the CPU reports, lowered by the
// VGLAB_ISA environment variable.
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.h"
#include "core/kernels/kernels.h"

namespace vgl {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Scalar: return "scalar";
    case Isa::Neon: return "neon";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
  }
  return "unknown";
}

bool isa_supported(Isa isa) {
  switch (isa) {
    case Isa::Scalar: return true;
#if defined(VGL_HAVE_X86)
    case Isa::Avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("fma");
#endif
#if defined(VGL_HAVE_NEON)
    case Isa::Neon: return true;
#endif
    default: return false;
  }
}

Isa best_supported_isa() {
  for (Isa isa : {Isa::Avx512, Isa::Avx2, Isa::Neon}) {
    if (isa_supported(isa)) return isa;
  }
  return Isa::Scalar;
}

const KernelTable* kernels_for(Isa isa) {
  if (!isa_supported(isa)) return nullptr;
  switch (isa) {
    case Isa::Scalar: return &scalar_kernels();
#if defined(VGL_HAVE_X86)
    case Isa::Avx2: return &avx2_kernels();
    case Isa::Avx512: return &avx512_kernels();
#endif
#if defined(VGL_HAVE_NEON)
    case Isa::Neon: return &neon_kernels();
#endif
    default: return nullptr;
  }
}

namespace {

// The level VGLAB_ISA asks for, clamped to what the CPU has. An unknown value is
// ignored rather than fatal: a typo must not stop the app from starting.
Isa initial_isa() {
  Isa best = best_supported_isa();
  const char* env = std::getenv("VGLAB_ISA");
  if (!env || !*env) return best;
  Isa wanted = best;
  if (std::strcmp(env, "scalar") == 0) wanted = Isa::Scalar;
  else if (std::strcmp(env, "avx2") == 0) wanted = Isa::Avx2;
  else if (std::strcmp(env, "avx512") == 0) wanted = Isa::Avx512;
  else if (std::strcmp(env, "neon") == 0) wanted = Isa::Neon;
  else return best;
  if (static_cast<int>(wanted) > static_cast<int>(best)) return best;
  if (!isa_supported(wanted)) return Isa::Scalar;  // e.g. neon asked for on x86
  return wanted;
}

const KernelTable* g_active = nullptr;

const KernelTable* active_table() {
  if (!g_active) g_active = kernels_for(initial_isa());
  return g_active;
}

// Resolve once at load so the hot path is one pointer read.
struct Init {
  Init() { active_table(); }
} g_init;

}  // namespace

const KernelTable& kernels() { return *active_table(); }

Isa active_isa() { return active_table()->isa; }

void set_active_isa(Isa isa) {
  const KernelTable* t = kernels_for(isa);
  if (!t) fail(std::string("this CPU or build does not support the ") + isa_name(isa) + " kernels");
  g_active = t;
}

}  // namespace vgl
