/* x86_packed.c — AVX-512 VNNI kernels for the row-interleaved layout (quant.h, pack.c): one
 * 512-bit register holds a 4-byte chunk of 16 rows, so vpdpbusd multiplies 16 rows by one
 * broadcast activation dword (an embedded broadcast from memory). The weights are the unsigned
 * operand (Q4_0's nibbles as stored, Q8_0's values stored + 128) and each lane starts from minus
 * the zero point times the activation block's integer sum, so the lane ends with the block's
 * exact product; then one int->float and one fma per block for all 16 rows.
 *
 * Tiles are 16 rows x NT tokens (NT = 16 for prompts: 16 accumulators, 8 weight registers); each
 * output's arithmetic is the same for every NT (1 for generation), so a prompt evaluated at once
 * equals the same tokens one by one, bit for bit. ref_packed_* in pack.c is the scalar twin. */
#include "../quant.h"

#include <immintrin.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))
/* the tiles must be fully unrolled: accumulators and weights live in registers */
#define UNROLL _Pragma("GCC unroll 16")

INLINE __m512i bcast_dword(const int8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

/* 16 rows x NT tokens over nb blocks (q8: Q8_0x16, else Q4_0x16); a[t]: token t's activation row;
 * y[t * ys + r]. */
INLINE void tile16(int nb, const void *w, int q8, const struct block_q8a *const *a, int NT, float *y, size_t ys) {
  __m512 acc[16];
  UNROLL
  for (int t = 0; t < NT; t++)
    acc[t] = _mm512_setzero_ps();
  const __m512i m4 = _mm512_set1_epi8(0x0f);
  const size_t bsz = q8 ? sizeof(struct block_q8_0x16) : sizeof(struct block_q4_0x16);
  const int zero = q8 ? -128 : -8;
  for (int b = 0; b < nb; b++) {
    const uint8_t *x = (const uint8_t *)w + (size_t)b * bsz, *qs = x + 2 * PACK_ROWS; /* d[16], then qs */
    __m512i q[8];
    UNROLL
    for (int j = 0; j < 4; j++) {
      if (q8) {
        q[j] = _mm512_loadu_si512((const void *)(qs + 64 * j));
        q[j + 4] = _mm512_loadu_si512((const void *)(qs + 64 * (j + 4)));
      } else {
        __m512i v = _mm512_loadu_si512((const void *)(qs + 64 * j));
        q[j] = _mm512_and_si512(v, m4);
        q[j + 4] = _mm512_and_si512(_mm512_srli_epi16(v, 4), m4);
      }
    }
    __m512 dx = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)x));
    UNROLL
    for (int t = 0; t < NT; t++) {
      const struct block_q8a *yb = a[t] + b;
      __m512i s = _mm512_set1_epi32(zero * yb->sum);
      UNROLL
      for (int j = 0; j < 8; j++)
        s = _mm512_dpbusd_epi32(s, q[j], bcast_dword(yb->qs + 4 * j));
      acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(dx, _mm512_set1_ps(yb->d)), _mm512_cvtepi32_ps(s), acc[t]);
    }
  }
  UNROLL
  for (int t = 0; t < NT; t++)
    _mm512_storeu_ps(y + (size_t)t * ys, acc[t]);
}

/* Every row group against the tokens in tiles of 16, the rest in tiles of 8, 4, 2, 1. */
#define PACKED(name, blk, q8)                                                                                              \
  static void tiles_##name(int nb, const struct blk *w, const char *act, size_t arow, int nt, float *y, size_t ys) {  \
    int t = 0;                                                                                                         \
    static const int sizes[] = {16, 8, 4, 2, 1};                                                                       \
    for (int k = 0; k < 5; k++)                                                                                        \
      for (; t + sizes[k] <= nt; t += sizes[k]) {                                                                      \
        const struct block_q8a *ar[16];                                                                                \
        for (int i = 0; i < sizes[k]; i++)                                                                             \
          ar[i] = (const struct block_q8a *)(act + (size_t)(t + i) * arow);                                            \
        float *yt = y + (size_t)t * ys;                                                                                \
        switch (sizes[k]) {                                                                                            \
        case 16: tile16(nb, w, q8, ar, 16, yt, ys); break;                                                             \
        case 8: tile16(nb, w, q8, ar, 8, yt, ys); break;                                                               \
        case 4: tile16(nb, w, q8, ar, 4, yt, ys); break;                                                               \
        case 2: tile16(nb, w, q8, ar, 2, yt, ys); break;                                                               \
        default: tile16(nb, w, q8, ar, 1, yt, ys); break;                                                              \
        }                                                                                                              \
      }                                                                                                                \
  }                                                                                                                    \
  void vnni_packed_##name(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {     \
    int nb = n / QK;                                                                                                   \
    for (int g = 0; g < nr / PACK_ROWS; g++)                                                                           \
      tiles_##name(nb, (const struct blk *)w + (size_t)g * (size_t)nb, a, arow, nt, y + (size_t)g * PACK_ROWS, ys);    \
  }

PACKED(q4_0x16, block_q4_0x16, 0)
PACKED(q8_0x16, block_q8_0x16, 1)
