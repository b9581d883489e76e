/* x86_packed.c — AVX-512 VNNI kernels for the row-interleaved layouts (quant.h, pack_layout.c):
 * one 512-bit register holds a 4-byte chunk of 16 rows, so vpdpbusd multiplies 16 rows by one
 * broadcast activation dword. The weights are the unsigned operand (Q4_0's nibbles as stored,
 * Q8_0's values stored + 128, Q4_K's nibbles, Q6_K's six bits) and each lane starts from minus the
 * zero point times the activations' integer sum, so the lane ends with the exact integer product;
 * the K-quants then apply their per-row sub-block scales in integers too (vpmulld), unpacked once
 * per superblock for all 16 rows.
 *
 * Tiles are 16 rows x NT tokens (NT up to 16 for Q4_0/Q8_0: 16 accumulators, 8 weight registers;
 * up to 8 for the K-quants, which keep an integer accumulator per token as well); each output's
 * arithmetic is the same for every NT (1 for generation), so a prompt evaluated at once equals the
 * same tokens one by one, bit for bit. ref_packed_* in pack_layout.c is the scalar twin. */
#include "../quant.h"

#include <immintrin.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))
/* the tiles must be fully unrolled: accumulators and weights live in registers */
#define UNROLL _Pragma("GCC unroll 16")

/* Software prefetch of the weights PF bytes ahead of the byte being read, one line per 64 bytes
 * consumed: the hardware prefetchers stop at 4 KiB page boundaries, so without it every page of the
 * weight stream starts with demand misses. FIX_PF (bytes) overrides it for experiments. */
#ifndef FIX_PF
#define FIX_PF 4096
#endif
INLINE void pf(const void *p) { _mm_prefetch((const char *)p + FIX_PF, _MM_HINT_T0); }

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
    pf(x);
    UNROLL
    for (int j = 0; j < 4; j++) {
      pf(qs + 64 * j + 32);
      if (q8)
        pf(qs + 64 * (j + 4) + 32);
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

/* Q4_K, 16 rows x NT tokens (NT <= 8: each token keeps an integer and a float accumulator). Per
 * superblock the 6-bit scales and mins of the 16 rows are unpacked once for all NT tokens; per
 * 32-value sub-block s each lane's exact product goes through vpmulld by its scale, and the mins
 * through vpmaddwd (each min in both 16-bit halves, against the token's two 16-value sums), so a
 * lane ends the superblock with the row's exact integers, as kernels/ref.c forms them. */
INLINE void tile_q4_K(int nb, const struct block_q4_Kx16 *w, const struct block_q8k *const *a, int NT, float *y,
                      size_t ys) {
  __m512 acc[8];
  UNROLL
  for (int t = 0; t < NT; t++)
    acc[t] = _mm512_setzero_ps();
  const __m512i m4 = _mm512_set1_epi8(0x0f), m6 = _mm512_set1_epi32(63);
  for (int b = 0; b < nb; b++) {
    const struct block_q4_Kx16 *x = w + b;
    pf(x);
    pf(x->sm[1]);
    pf(x->sm[2]);
    pf(x->sm[2] + 16);
    const __m512i s0 = _mm512_loadu_si512(x->sm[0]), s1 = _mm512_loadu_si512(x->sm[1]),
                  s2 = _mm512_loadu_si512(x->sm[2]);
    __m512i sc[8], mn[8];
    /* min 4+b: its bits 0-1, 2-3, 4-5 are the top two bits of byte b of s0, s1, s2 */
    __m512i hi = _mm512_or_si512(
        _mm512_and_si512(_mm512_srli_epi32(s0, 6), _mm512_set1_epi32(0x03030303)),
        _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(s1, 4), _mm512_set1_epi32(0x0c0c0c0c)),
                        _mm512_and_si512(_mm512_srli_epi32(s2, 2), _mm512_set1_epi32(0x30303030))));
    UNROLL
    for (int k = 0; k < 4; k++) {
      sc[k] = _mm512_and_si512(_mm512_srli_epi32(s0, 8 * k), m6);
      sc[k + 4] = _mm512_and_si512(_mm512_srli_epi32(s1, 8 * k), m6);
      __m512i lo = _mm512_and_si512(_mm512_srli_epi32(s2, 8 * k), m6);
      __m512i up = _mm512_and_si512(_mm512_srli_epi32(hi, 8 * k), m6);
      mn[k] = _mm512_or_si512(lo, _mm512_slli_epi32(lo, 16)); /* the min in both halves */
      mn[k + 4] = _mm512_or_si512(up, _mm512_slli_epi32(up, 16));
    }
    __m512i sumi[8];
    UNROLL
    for (int t = 0; t < NT; t++)
      sumi[t] = _mm512_setzero_si512();
    for (int j = 0; j < 4; j++) { /* sub-blocks 2j (low nibbles) and 2j+1 (high) */
      UNROLL
      for (int h = 0; h < 2; h++) {
        __m512i q[8];
        UNROLL
        for (int c = 0; c < 8; c++) {
          __m512i v = _mm512_loadu_si512((const void *)(x->qs + 64 * (8 * j + c)));
          if (!h)
            pf(x->qs + 64 * (8 * j + c));
          q[c] = _mm512_and_si512(h ? _mm512_srli_epi16(v, 4) : v, m4);
        }
        UNROLL
        for (int t = 0; t < NT; t++) {
          const int8_t *p = a[t][b].qs + 64 * j + 32 * h;
          __m512i s = _mm512_setzero_si512();
          UNROLL
          for (int c = 0; c < 8; c++)
            s = _mm512_dpbusd_epi32(s, q[c], bcast_dword(p + 4 * c));
          sumi[t] = _mm512_add_epi32(sumi[t], _mm512_mullo_epi32(s, sc[2 * j + h]));
        }
      }
    }
    const __m512 dv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)x->d)),
                 mv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)x->dmin));
    UNROLL
    for (int t = 0; t < NT; t++) {
      const struct block_q8k *yb = a[t] + b;
      __m512i summ = _mm512_setzero_si512();
      UNROLL
      for (int k = 0; k < 8; k++) {
        int32_t pair;
        memcpy(&pair, yb->bsums + 2 * k, 4);
        summ = _mm512_add_epi32(summ, _mm512_madd_epi16(mn[k], _mm512_set1_epi32(pair)));
      }
      __m512 v = _mm512_sub_ps(_mm512_mul_ps(dv, _mm512_cvtepi32_ps(sumi[t])),
                               _mm512_mul_ps(mv, _mm512_cvtepi32_ps(summ)));
      acc[t] = _mm512_fmadd_ps(_mm512_set1_ps(yb->d), v, acc[t]);
    }
  }
  UNROLL
  for (int t = 0; t < NT; t++)
    _mm512_storeu_ps(y + (size_t)t * ys, acc[t]);
}

/* Q6_K, 16 rows x NT tokens (NT <= 8). Per 16-value group the values are rebuilt (low nibble |
 * two high bits << 4, 0-63) and each lane starts from -32 times the token's group sum, so after
 * four vpdpbusd it holds the group's exact product; vpmulld applies the row's signed scale. */
INLINE void tile_q6_K(int nb, const struct block_q6_Kx16 *w, const struct block_q8k *const *a, int NT, float *y,
                      size_t ys) {
  __m512 acc[8];
  __m512i sumi[8];
  UNROLL
  for (int t = 0; t < NT; t++)
    acc[t] = _mm512_setzero_ps();
  const __m512i m4 = _mm512_set1_epi8(0x0f), m2 = _mm512_set1_epi8(0x30);
  for (int b = 0; b < nb; b++) {
    const struct block_q6_Kx16 *x = w + b;
    UNROLL
    for (int t = 0; t < NT; t++)
      sumi[t] = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++) /* sc, d: 288 bytes */
      pf((const char *)x->sc + 64 * i);
    for (int g = 0; g < 8; g++) { /* groups g (values 16g..) and 8+g (128+16g..): chunks 4g..4g+3 */
      __m512i lo[4], hi[4];
      UNROLL
      for (int k = 0; k < 2; k++) {
        __m512i h = _mm512_loadu_si512((const void *)(x->qh + 64 * (2 * g + k)));
        pf(x->qh + 64 * (2 * g + k));
        pf(x->ql + 64 * (4 * g + 2 * k));
        pf(x->ql + 64 * (4 * g + 2 * k + 1));
        __m512i h0 = _mm512_and_si512(_mm512_slli_epi16(h, 4), m2), h1 = _mm512_and_si512(_mm512_slli_epi16(h, 2), m2),
                h2 = _mm512_and_si512(h, m2), h3 = _mm512_and_si512(_mm512_srli_epi16(h, 2), m2);
        __m512i l0 = _mm512_loadu_si512((const void *)(x->ql + 64 * (4 * g + 2 * k))),
                l1 = _mm512_loadu_si512((const void *)(x->ql + 64 * (4 * g + 2 * k + 1)));
        /* (l & 0x0f) | h: vpternlogd, imm (A & C) | B */
        lo[2 * k] = _mm512_ternarylogic_epi32(l0, h0, m4, 0xec);
        hi[2 * k] = _mm512_ternarylogic_epi32(_mm512_srli_epi16(l0, 4), h1, m4, 0xec);
        lo[2 * k + 1] = _mm512_ternarylogic_epi32(l1, h2, m4, 0xec);
        hi[2 * k + 1] = _mm512_ternarylogic_epi32(_mm512_srli_epi16(l1, 4), h3, m4, 0xec);
      }
      const __m512i sl = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)x->sc[g])),
                    sh = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)x->sc[8 + g]));
      UNROLL
      for (int t = 0; t < NT; t++) {
        const struct block_q8k *yb = a[t] + b;
        __m512i pl = _mm512_set1_epi32(-32 * yb->bsums[g]), ph = _mm512_set1_epi32(-32 * yb->bsums[8 + g]);
        UNROLL
        for (int c = 0; c < 4; c++) {
          pl = _mm512_dpbusd_epi32(pl, lo[c], bcast_dword(yb->qs + 16 * g + 4 * c));
          ph = _mm512_dpbusd_epi32(ph, hi[c], bcast_dword(yb->qs + 128 + 16 * g + 4 * c));
        }
        sumi[t] = _mm512_add_epi32(sumi[t], _mm512_add_epi32(_mm512_mullo_epi32(pl, sl), _mm512_mullo_epi32(ph, sh)));
      }
    }
    const __m512 dv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)x->d));
    UNROLL
    for (int t = 0; t < NT; t++)
      acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(dv, _mm512_set1_ps(a[t][b].d)), _mm512_cvtepi32_ps(sumi[t]), acc[t]);
  }
  UNROLL
  for (int t = 0; t < NT; t++)
    _mm512_storeu_ps(y + (size_t)t * ys, acc[t]);
}

/* Every row group against the tokens in tiles of MAX (16 or 8), then 8, 4, 2, 1. TILE(nb, w, ar, NT,
 * y, ys) is the tile, ABLK the activation block type, QB the values per block. */
#define PACKED(name, blk, ABLK, QB, MAX, TILE)                                                                             \
  static void tiles_##name(int nb, const struct blk *w, const char *act, size_t arow, int nt, float *y, size_t ys) {  \
    int t = 0;                                                                                                         \
    static const int sizes[] = {16, 8, 4, 2, 1};                                                                       \
    for (int k = MAX == 16 ? 0 : 1; k < 5; k++)                                                                        \
      for (; t + sizes[k] <= nt; t += sizes[k]) {                                                                      \
        const struct ABLK *ar[16];                                                                                     \
        for (int i = 0; i < sizes[k]; i++)                                                                             \
          ar[i] = (const struct ABLK *)(act + (size_t)(t + i) * arow);                                                 \
        float *yt = y + (size_t)t * ys;                                                                                \
        switch (sizes[k]) {                                                                                            \
        case 16: TILE(nb, w, ar, MAX == 16 ? 16 : 8, yt, ys); break;                                                   \
        case 8: TILE(nb, w, ar, 8, yt, ys); break;                                                                     \
        case 4: TILE(nb, w, ar, 4, yt, ys); break;                                                                     \
        case 2: TILE(nb, w, ar, 2, yt, ys); break;                                                                     \
        default: TILE(nb, w, ar, 1, yt, ys); break;                                                                    \
        }                                                                                                              \
      }                                                                                                                \
  }                                                                                                                    \
  void vnni_packed_##name(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {     \
    int nb = n / QB;                                                                                                   \
    for (int g = 0; g < nr / PACK_ROWS; g++)                                                                           \
      tiles_##name(nb, (const struct blk *)w + (size_t)g * (size_t)nb, a, arow, nt, y + (size_t)g * PACK_ROWS, ys);    \
  }

#define TILE_Q4_0(nb, w, ar, NT, y, ys) tile16(nb, w, 0, ar, NT, y, ys)
#define TILE_Q8_0(nb, w, ar, NT, y, ys) tile16(nb, w, 1, ar, NT, y, ys)
PACKED(q4_0x16, block_q4_0x16, block_q8a, QK, 16, TILE_Q4_0)
PACKED(q8_0x16, block_q8_0x16, block_q8a, QK, 16, TILE_Q8_0)
PACKED(q4_Kx16, block_q4_Kx16, block_q8k, QK_K, 8, tile_q4_K)
PACKED(q6_Kx16, block_q6_Kx16, block_q8k, QK_K, 8, tile_q6_K)
