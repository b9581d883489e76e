/* quant.h — private to src/engine: ggml-compatible block layouts, conversions, and the kernel
 * dispatch table.
 *
 * Weights keep ggml's on-disk block formats (so a GGUF written by anyone reads as is). Activations
 * are quantized once per matmul into fix's own blocks: `q8a` (32 values, f32 scale and the scaled
 * sum, for Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 weights) and `q8k` (256 values with 16-value partial sums, for
 * the K-quants). Every kernel has a scalar reference in kernels/ref.c; SIMD versions are checked
 * against it. */
#ifndef FIX_ENGINE_QUANT_H
#define FIX_ENGINE_QUANT_H

#include "fix/gguf.h"

#include <stdint.h>

#define QK 32
#define QK_K 256

struct block_q4_0 { uint16_t d; uint8_t qs[QK / 2]; };
struct block_q4_1 { uint16_t d, m; uint8_t qs[QK / 2]; };
struct block_q5_0 { uint16_t d; uint8_t qh[4]; uint8_t qs[QK / 2]; };
struct block_q5_1 { uint16_t d, m; uint8_t qh[4]; uint8_t qs[QK / 2]; };
struct block_q8_0 { uint16_t d; int8_t qs[QK]; };
struct block_q4_K { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[QK_K / 2]; };
struct block_q5_K { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[QK_K / 8]; uint8_t qs[QK_K / 2]; };
struct block_q6_K { uint8_t ql[QK_K / 2]; uint8_t qh[QK_K / 4]; int8_t scales[QK_K / 16]; uint16_t d; };

/* activations: q8a carries its scale d, the scaled sum s = d * sum(qs) (for the q4_1/q5_1 mins) and
 * the integer sum (for the packed kernels' zero-point correction) */
struct block_q8a { float d; float s; int32_t sum; int8_t qs[QK]; };
struct block_q8k { float d; int8_t qs[QK_K]; int16_t bsums[QK_K / 16]; };

enum act_type { ACT_F32 = 0, ACT_Q8A, ACT_Q8K };

float fix_f16_to_f32(uint16_t h);
void fix_f16_table_init(void); /* speeds up fix_f16_to_f32; called by fix_kernels_init */
uint16_t fix_f32_to_f16(float f);
float fix_bf16_to_f32(uint16_t h);
uint16_t fix_f32_to_bf16(float f);

/* weight row (n elements) · activation row -> one float */
typedef void (*vec_dot_fn)(int n, float *s, const void *w, const void *a);
typedef void (*to_float_fn)(const void *x, float *y, int64_t n);
typedef void (*from_float_fn)(const float *x, void *y, int64_t n);
/* nr weight rows (wrow bytes apart) times nt activation rows (arow bytes apart):
 * y[t * ys + r] = W[r] . a[t]; equal, bit for bit, to vec_dot on each pair */
typedef void (*gemm_fn)(int n, int nr, int nt, const void *w, size_t wrow, const void *a, size_t arow, float *y,
                        size_t ys);

/* Weights repacked at load (pack.c, pack_layout.c) for the row-interleaved kernels: 16 rows per
 * group, and per file block their 16 blocks as one, the quants in 4-byte chunks, chunk c of row r
 * at qs[64 c + 4 r] (so one 512-bit register holds one chunk of all 16 rows, lane r = row r).
 * Q4_0: chunk c holds the row's qs[4c..4c+3] (values 4c.. in the low nibbles, 16+4c.. in the high).
 * Q8_0: chunk c holds the row's values 4c..4c+3, stored + 128 (unsigned).
 * Q4_K: chunk c (0-31) holds the row's qs[4c..4c+3] (ggml's order: low nibbles are values
 *   64(c/8) + 4(c%8).., high nibbles those 32 further); sm[k][r]: row r's eight 6-bit scales and
 *   mins in three dwords: byte b of sm[0], sm[1], sm[2] = scale b, scale 4+b, min b (low 6 bits),
 *   and min 4+b's bits 0-1, 2-3, 4-5 in those three bytes' top two bits.
 * Q6_K: ql chunk c (0-31): the low 4 bits of values 4c.. (low nibbles) and 128+4c.. (high); qh
 *   dword k (0-15) at qh[64 k + 4 r]: byte j's bits 0-1, 2-3, 4-5, 6-7 are the top two bits of
 *   values 8k+j, 128+8k+j, 8k+4+j, 128+8k+4+j; sc[g][r]: row r's scale of values 16g..16g+15.
 * Same bytes as the original blocks, so a packed matrix is exactly as big as the file's. */
#define PACK_ROWS 16
struct block_q4_0x16 { uint16_t d[PACK_ROWS]; uint8_t qs[PACK_ROWS * QK / 2]; };
struct block_q8_0x16 { uint16_t d[PACK_ROWS]; uint8_t qs[PACK_ROWS * QK]; };
struct block_q4_Kx16 { uint16_t d[PACK_ROWS], dmin[PACK_ROWS]; uint32_t sm[3][PACK_ROWS]; uint8_t qs[PACK_ROWS * QK_K / 2]; };
struct block_q6_Kx16 {
  uint8_t ql[PACK_ROWS * QK_K / 2], qh[PACK_ROWS * QK_K / 4];
  int8_t sc[QK_K / 16][PACK_ROWS];
  uint16_t d[PACK_ROWS];
};
/* nr rows (a multiple of PACK_ROWS; w points at their first group, n / block blocks a group) times
 * nt activation rows (the type's activation blocks, arow bytes apart): y[t * ys + r] = W[r] . a[t]. Each output's arithmetic
 * does not depend on nt, so a prompt at once and token by token agree bit for bit. */
typedef void (*packed_fn)(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys);

struct type_traits {
  const char *name;
  size_t blck, size;
  to_float_fn to_float;
  from_float_fn from_float; /* quantization, for writing models */
  enum act_type act;
  vec_dot_fn vec_dot;       /* the best kernel for this CPU */
  vec_dot_fn vec_dot_ref;   /* the scalar reference */
  gemm_fn gemm;             /* many rows x many tokens, where this CPU has one (else NULL) */
  packed_fn packed;         /* the packed layout's kernel for this CPU (NULL: this CPU keeps the file's layout) */
  packed_fn packed_ref;     /* the packed layout's scalar kernel (NULL: the type has no packed layout) */
};

extern struct type_traits fix_types[FIX_T_COUNT];
/* Picks the kernels for this CPU (cpuid); called once by the engine, harmless to repeat. */
void fix_kernels_init(void);
const char *fix_kernels_name(void);
/* Installs a kernel set: "scalar", "avx2", "avx512-vnni"; -1 when this CPU or build lacks it. */
int fix_kernels_select(const char *set);

/* activation quantization (x has n elements; y is a row of blocks); q8a: the best kernel for this
 * CPU, bit-identical to the scalar ref_quantize_row_q8a */
extern void (*quantize_row_q8a)(const float *x, void *y, int64_t n);
void ref_quantize_row_q8a(const float *x, void *y, int64_t n);
void quantize_row_q8k(const float *x, void *y, int64_t n);
size_t act_row_size(enum act_type a, int64_t n);
void round_row_f16(float *x, int64_t n);
void round_row_bf16(float *x, int64_t n);

/* y += a * x for f16 x (attention's weighted sum of V rows): the best kernel for this CPU */
typedef void (*axpy_f16_fn)(int n, float a, const uint16_t *x, float *y);
extern axpy_f16_fn fix_axpy_f16;
/* x = x rounded to half precision, in place: the best kernel for this CPU */
extern void (*fix_round_f16)(float *x, int64_t n);
void ref_axpy_f16(int n, float a, const uint16_t *x, float *y);

/* Attention for one task (nq queries of one KV head against the cached f16 rows): each output's
 * arithmetic is fixed (it does not depend on nq or on which other queries are in the task), so a
 * prompt evaluated at once equals the same tokens one by one. tmp: ATT_CH * D floats of scratch.
 * scores: sc[i * scs + p] = scale * (q_i . k_p) for i < nq, p < np (q rows D floats apart, k rows
 * ks elements apart). values: o_i = sum over p < np[i] of w_i[p] v_p, in position order (w rows ws
 * apart; o rows D floats apart). */
#define ATT_CH 128
typedef void (*attn_scores_fn)(int D, int nq, const float *q, const uint16_t *k, size_t ks, int np, float scale,
                               float *sc, size_t scs, float *tmp);
typedef void (*attn_values_fn)(int D, int nq, const float *w, size_t ws, const int *np, const uint16_t *v, size_t vs,
                               float *o, float *tmp);
extern attn_scores_fn fix_attn_scores;
/* softmax of x[0..n) in place, the weights rounded to half precision (attention's rows) */
extern void (*fix_softmax_f16)(float *x, int n);
void ref_softmax_f16(float *x, int n);
/* g[i] = silu(g[i]) * u[i] (the feed-forward's gate) */
extern void (*fix_swiglu)(float *g, const float *u, int64_t n);
void ref_swiglu(float *g, const float *u, int64_t n);
extern attn_values_fn fix_attn_values;
void ref_attn_scores(int D, int nq, const float *q, const uint16_t *k, size_t ks, int np, float scale, float *sc,
                     size_t scs, float *tmp);
void ref_attn_values(int D, int nq, const float *w, size_t ws, const int *np, const uint16_t *v, size_t vs, float *o,
                     float *tmp);

/* the scalar reference kernels (kernels/ref.c) */
void ref_vec_dot_f32(int n, float *s, const void *w, const void *a);
void ref_vec_dot_f16(int n, float *s, const void *w, const void *a);
void ref_vec_dot_bf16(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q4_0(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q4_1(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q5_0(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q5_1(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q8_0(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q4_K(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q5_K(int n, float *s, const void *w, const void *a);
void ref_vec_dot_q6_K(int n, float *s, const void *w, const void *a);

/* the packed layouts (pack_layout.c): one 16-row group of the file's blocks -> packed, and back for
 * one row; the scalar kernels (equal, bit for bit, to the one-row reference on each row) */
void pack_group(int type, const void *src, size_t row, void *dst, int64_t n);
void packed_row_to_float(int type, const void *w, int64_t r, float *y, int64_t n);
void ref_packed_q4_0(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys);
void ref_packed_q8_0(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys);
void ref_packed_q4_K(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys);
void ref_packed_q6_K(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys);

#endif
