// The layers' own loops (column sums, normalisation) are plain C++ the compiler
// vectorises. The core is compiled for the baseline ISA so one binary runs on any
// CPU; with GCC on x86-64 Linux these functions are additionally built for
// x86-64-v3 (AVX2+FMA) and x86-64-v4 (AVX-512), and the loader picks the clone the
// CPU supports (function multi-versioning). Hand-written kernels stay in kernels/,
// dispatched by the KernelTable (and VGLAB_ISA); these are ordinary code, so the
// three clones compute the same results up to floating-point reassociation.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(VGL_NO_CLONES)
#define VGL_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VGL_CLONES
#endif
