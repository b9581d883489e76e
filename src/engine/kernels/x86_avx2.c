/* x86_avx2.c — the x86 kernels for AVX2 + FMA + F16C (see x86.inc). */
#define KN(name) avx2_##name
#define HAVE_VNNI 0
#include "x86.inc"
