/* x86_avx512.c — the x86 kernels with AVX-512 VNNI (vpdpbusd on 256-bit vectors, see x86.inc). */
#define KN(name) vnni_##name
#define HAVE_VNNI 1
#include "x86.inc"
