/* kernels/dispatch.c — chooses each type's dot-product kernel for this CPU at run time (cpuid), so
 * one binary runs on any x86-64 and uses what the CPU has. FIX_KERNELS=scalar|avx2|avx512-vnni
 * forces a set (tests, benchmarks). */
#include "../quant.h"
#include "fix/engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KERNELS(p)                                                                                                     \
  void p##vec_dot_f32(int, float *, const void *, const void *);                                                       \
  void p##vec_dot_f16(int, float *, const void *, const void *);                                                       \
  void p##vec_dot_bf16(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q4_0(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q4_1(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q5_0(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q5_1(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q8_0(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q4_K(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q5_K(int, float *, const void *, const void *);                                                      \
  void p##vec_dot_q6_K(int, float *, const void *, const void *);                                                      \
  void p##axpy_f16(int, float, const uint16_t *, float *);                                                            \
  void p##round_f16(float *, int64_t);                                                                                \
  void p##attn_scores(int, int, const float *, const uint16_t *, size_t, int, float, float *, size_t, float *);        \
  void p##attn_values(int, int, const float *, size_t, const int *, const uint16_t *, size_t, float *, float *);        \
  void p##softmax_f16(float *, int);                                                                                   \
  void p##swiglu(float *, const float *, int64_t);                                                                     \
  void p##quantize_q8a(const float *, void *, int64_t);

#define INSTALL(p)                                                                                                     \
  do {                                                                                                                 \
    fix_types[FIX_T_F32].vec_dot = p##vec_dot_f32;                                                                     \
    fix_types[FIX_T_F16].vec_dot = p##vec_dot_f16;                                                                     \
    fix_types[FIX_T_BF16].vec_dot = p##vec_dot_bf16;                                                                   \
    fix_types[FIX_T_Q4_0].vec_dot = p##vec_dot_q4_0;                                                                   \
    fix_types[FIX_T_Q4_1].vec_dot = p##vec_dot_q4_1;                                                                   \
    fix_types[FIX_T_Q5_0].vec_dot = p##vec_dot_q5_0;                                                                   \
    fix_types[FIX_T_Q5_1].vec_dot = p##vec_dot_q5_1;                                                                   \
    fix_types[FIX_T_Q8_0].vec_dot = p##vec_dot_q8_0;                                                                   \
    fix_types[FIX_T_Q4_K].vec_dot = p##vec_dot_q4_K;                                                                   \
    fix_types[FIX_T_Q5_K].vec_dot = p##vec_dot_q5_K;                                                                   \
    fix_types[FIX_T_Q6_K].vec_dot = p##vec_dot_q6_K;                                                                   \
    fix_axpy_f16 = p##axpy_f16;                                                                                        \
    fix_round_f16 = p##round_f16;                                                                                      \
    fix_attn_scores = p##attn_scores;                                                                                  \
    fix_attn_values = p##attn_values;                                                                                  \
    fix_softmax_f16 = p##softmax_f16;                                                                                  \
    fix_swiglu = p##swiglu;                                                                                            \
    quantize_row_q8a = p##quantize_q8a;                                                                                \
  } while (0)

#if FIX_HAVE_X86_KERNELS
KERNELS(avx2_)
KERNELS(vnni_)
void vnni_gemm_q8_0(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q4_0(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q5_0(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q4_1(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q5_1(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q4_K(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q5_K(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_gemm_q6_K(int, int, int, const void *, size_t, const void *, size_t, float *, size_t);
void vnni_packed_q4_0x16(int, int, int, const void *, const void *, size_t, float *, size_t);
void vnni_packed_q8_0x16(int, int, int, const void *, const void *, size_t, float *, size_t);
void vnni_packed_q4_Kx16(int, int, int, const void *, const void *, size_t, float *, size_t);
void vnni_packed_q6_Kx16(int, int, int, const void *, const void *, size_t, float *, size_t);
#endif

static const char *chosen = "scalar";
axpy_f16_fn fix_axpy_f16 = ref_axpy_f16;
void (*fix_round_f16)(float *x, int64_t n) = round_row_f16;
attn_scores_fn fix_attn_scores = ref_attn_scores;
attn_values_fn fix_attn_values = ref_attn_values;
void (*fix_softmax_f16)(float *x, int n) = ref_softmax_f16;
void (*fix_swiglu)(float *g, const float *u, int64_t n) = ref_swiglu;
void (*quantize_row_q8a)(const float *x, void *y, int64_t n) = ref_quantize_row_q8a;

static int have(const char *set) {
  if (!strcmp(set, "scalar"))
    return 1;
#if FIX_HAVE_X86_KERNELS
  __builtin_cpu_init();
  int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (!strcmp(set, "avx2"))
    return avx2;
  if (!strcmp(set, "avx512-vnni"))
    return avx2 && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
#endif
  return 0;
}

int fix_kernels_select(const char *set) {
  if (!have(set))
    return -1;
  for (int t = 0; t < FIX_T_COUNT; t++) {
    if (fix_types[t].vec_dot_ref)
      fix_types[t].vec_dot = fix_types[t].vec_dot_ref;
    fix_types[t].gemm = NULL;
    fix_types[t].packed = NULL;
  }
  fix_axpy_f16 = ref_axpy_f16;
  fix_round_f16 = round_row_f16;
  fix_attn_scores = ref_attn_scores;
  fix_attn_values = ref_attn_values;
  fix_softmax_f16 = ref_softmax_f16;
  fix_swiglu = ref_swiglu;
  quantize_row_q8a = ref_quantize_row_q8a;
  chosen = "scalar";
#if FIX_HAVE_X86_KERNELS
  if (!strcmp(set, "avx2")) {
    INSTALL(avx2_);
    chosen = "avx2";
  } else if (!strcmp(set, "avx512-vnni")) {
    INSTALL(vnni_);
    fix_types[FIX_T_Q8_0].gemm = vnni_gemm_q8_0;
    fix_types[FIX_T_Q4_0].gemm = vnni_gemm_q4_0;
    fix_types[FIX_T_Q5_0].gemm = vnni_gemm_q5_0;
    fix_types[FIX_T_Q4_1].gemm = vnni_gemm_q4_1;
    fix_types[FIX_T_Q5_1].gemm = vnni_gemm_q5_1;
    fix_types[FIX_T_Q4_K].gemm = vnni_gemm_q4_K;
    fix_types[FIX_T_Q5_K].gemm = vnni_gemm_q5_K;
    fix_types[FIX_T_Q6_K].gemm = vnni_gemm_q6_K;
    fix_types[FIX_T_Q4_0].packed = vnni_packed_q4_0x16; /* models load these types packed */
    fix_types[FIX_T_Q8_0].packed = vnni_packed_q8_0x16;
    fix_types[FIX_T_Q4_K].packed = vnni_packed_q4_Kx16;
    fix_types[FIX_T_Q6_K].packed = vnni_packed_q6_Kx16;
    chosen = "avx512-vnni";
  }
#endif
  return 0;
}

static void select_once(void) {
  fix_f16_table_init();
  const char *force = getenv("FIX_KERNELS");
  if (force && *force && fix_kernels_select(force) == 0)
    return;
  if (fix_kernels_select("avx512-vnni") && fix_kernels_select("avx2"))
    fix_kernels_select("scalar");
}

/* Once a process: every model load calls this, and the language server loads models on worker
 * threads while others may be inside a matrix product; rewriting the pointers under them (even
 * with the same values, via NULL) is a data race. fix_kernels_select stays for tests that switch
 * sets on purpose, single-threaded. */
void fix_kernels_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, select_once);
}

const char *fix_kernels_name(void) { return chosen; }

const char *fix_engine_kernels(void) {
  fix_kernels_init();
  return chosen;
}
