/* x86_gemm.c — prompt processing as a real matrix product for the 32-value block formats (Q8_0,
 * Q4_0, Q5_0, Q4_1, Q5_1) with AVX-512 VNNI: a tile of 4 weight rows x 4 tokens per pass over the
 * blocks, so each unpacked weight block serves four tokens and each activation block four rows.
 *
 * Two rows share a 512-bit register (row r in lanes 0-7, row r+1 in lanes 8-15, four bytes per
 * lane, as x86.inc's kernels lay one row out). vpdpbusd multiplies unsigned by signed bytes, so
 * the activations go in offset by 128 (y + 128) and each lane subtracts 128 times its weights' sum,
 * computed once per weight block: the integers equal the one-row kernel's exactly, and the lanes
 * are scaled, accumulated and finally summed in the same order, so every output is bit-identical
 * to vnni_vec_dot_* (the "prompt at once = token by token" test holds at zero difference). */
#include "../quant.h"

#include <immintrin.h>
#include <string.h>

#define TR 4 /* rows per tile */
#define TT 16 /* tokens per tile */

static inline float h2f(uint16_t h) { return _cvtsh_ss(h); }

static inline __m256i unpack_nibbles(const uint8_t *q) {
  __m128i b = _mm_loadu_si128((const __m128i *)q);
  __m256i x = _mm256_set_m128i(_mm_srli_epi16(b, 4), b);
  return _mm256_and_si256(x, _mm256_set1_epi8(0x0f));
}

static inline __m256i bits_to_0x10(const uint8_t *qh) {
  uint32_t v;
  memcpy(&v, qh, 4);
  const __m256i shuf = _mm256_set_epi64x(0x0303030303030303ll, 0x0202020202020202ll, 0x0101010101010101ll, 0);
  __m256i b = _mm256_shuffle_epi8(_mm256_set1_epi32((int)v), shuf);
  b = _mm256_or_si256(b, _mm256_set1_epi64x((long long)0x7fbfdfeff7fbfdfeull));
  b = _mm256_cmpeq_epi8(b, _mm256_set1_epi64x(-1));
  return _mm256_and_si256(b, _mm256_set1_epi8(0x10));
}

/* x86.inc's horizontal sum, for bit-identical results */
static inline float hsum256(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/* One weight block of one row: its 32 signed values, scale, and (q4_1/q5_1) min. */
struct wblk {
  __m256i q;
  float d, m;
};

static inline struct wblk load_q8_0(const void *row, int b) {
  const struct block_q8_0 *x = (const struct block_q8_0 *)row + b;
  return (struct wblk){_mm256_loadu_si256((const __m256i *)x->qs), h2f(x->d), 0};
}
static inline struct wblk load_q4_0(const void *row, int b) {
  const struct block_q4_0 *x = (const struct block_q4_0 *)row + b;
  return (struct wblk){_mm256_sub_epi8(unpack_nibbles(x->qs), _mm256_set1_epi8(8)), h2f(x->d), 0};
}
static inline struct wblk load_q5_0(const void *row, int b) {
  const struct block_q5_0 *x = (const struct block_q5_0 *)row + b;
  __m256i q = _mm256_or_si256(unpack_nibbles(x->qs), bits_to_0x10(x->qh));
  return (struct wblk){_mm256_sub_epi8(q, _mm256_set1_epi8(16)), h2f(x->d), 0};
}
static inline struct wblk load_q4_1(const void *row, int b) {
  const struct block_q4_1 *x = (const struct block_q4_1 *)row + b;
  return (struct wblk){unpack_nibbles(x->qs), h2f(x->d), h2f(x->m)};
}
static inline struct wblk load_q5_1(const void *row, int b) {
  const struct block_q5_1 *x = (const struct block_q5_1 *)row + b;
  return (struct wblk){_mm256_or_si256(unpack_nibbles(x->qs), bits_to_0x10(x->qh)), h2f(x->d), h2f(x->m)};
}

/* A full 4 x 4 tile over nb blocks. w[r]: row pointers; a[t]: activation rows (block_q8a). */
#define TILE_KERNEL(name, load, has_min)                                                                               \
  static void tile_##name(int nb, const char *const *w, const struct block_q8a *const *a, float *y, size_t ys) {      \
    __m512 acc[TT][TR / 2];                                                                                            \
    float mins[TT][TR];                                                                                                \
    for (int t = 0; t < TT; t++) {                                                                                     \
      for (int p = 0; p < TR / 2; p++)                                                                                 \
        acc[t][p] = _mm512_setzero_ps();                                                                               \
      for (int r = 0; r < TR; r++)                                                                                     \
        mins[t][r] = 0;                                                                                                \
    }                                                                                                                  \
    const __m512i k128 = _mm512_set1_epi8((char)0x80);                                                                 \
    for (int b = 0; b < nb; b++) {                                                                                     \
      __m512i wq[TR / 2], corr[TR / 2];                                                                                \
      __m512 dx[TR / 2];                                                                                               \
      float m[TR];                                                                                                     \
      for (int p = 0; p < TR / 2; p++) {                                                                               \
        struct wblk lo = load(w[2 * p], b), hi = load(w[2 * p + 1], b);                                                \
        wq[p] = _mm512_inserti64x4(_mm512_castsi256_si512(lo.q), hi.q, 1);                                            \
        corr[p] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), k128, wq[p]);                                            \
        dx[p] = _mm512_mask_blend_ps(0xff00, _mm512_set1_ps(lo.d), _mm512_set1_ps(hi.d));                              \
        m[2 * p] = lo.m, m[2 * p + 1] = hi.m;                                                                          \
      }                                                                                                                \
      for (int t = 0; t < TT; t++) {                                                                                   \
        const struct block_q8a *yb = a[t] + b;                                                                         \
        __m512i yu = _mm512_xor_si512(_mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)yb->qs)), k128);     \
        __m512 dy = _mm512_set1_ps(yb->d);                                                                             \
        for (int p = 0; p < TR / 2; p++) {                                                                             \
          __m512i s = _mm512_sub_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), yu, wq[p]), corr[p]);              \
          acc[t][p] = _mm512_fmadd_ps(_mm512_mul_ps(dx[p], dy), _mm512_cvtepi32_ps(s), acc[t][p]);                     \
        }                                                                                                              \
        if (has_min)                                                                                                   \
          for (int r = 0; r < TR; r++)                                                                                 \
            mins[t][r] += m[r] * yb->s;                                                                                \
      }                                                                                                                \
    }                                                                                                                  \
    for (int t = 0; t < TT; t++)                                                                                       \
      for (int p = 0; p < TR / 2; p++) {                                                                               \
        y[(size_t)t * ys + 2 * (size_t)p] = hsum256(_mm512_castps512_ps256(acc[t][p])) + mins[t][2 * p];               \
        y[(size_t)t * ys + 2 * (size_t)p + 1] =                                                                        \
            hsum256(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[t][p]), 1))) + mins[t][2 * p + 1];    \
      }                                                                                                                \
  }

TILE_KERNEL(q8_0, load_q8_0, 0)
TILE_KERNEL(q4_0, load_q4_0, 0)
TILE_KERNEL(q5_0, load_q5_0, 0)
TILE_KERNEL(q4_1, load_q4_1, 1)
TILE_KERNEL(q5_1, load_q5_1, 1)

/* y[t * ys + r] = W[r] . a[t] for r < nr, t < nt; whole tiles here, the edges with the one-row kernel. */
#define GEMM(name)                                                                                                     \
  void vnni_gemm_##name(int n, int nr, int nt, const void *w, size_t wrow, const void *act, size_t arow, float *y,    \
                        size_t ys) {                                                                                   \
    int nb = n / QK;                                                                                                   \
    int r = 0;                                                                                                         \
    for (; r + TR <= nr; r += TR) {                                                                                    \
      const char *wr[TR];                                                                                              \
      for (int i = 0; i < TR; i++)                                                                                     \
        wr[i] = (const char *)w + (size_t)(r + i) * wrow;                                                              \
      int t = 0;                                                                                                       \
      for (; t + TT <= nt; t += TT) {                                                                                  \
        const struct block_q8a *ar[TT];                                                                                \
        for (int i = 0; i < TT; i++)                                                                                   \
          ar[i] = (const struct block_q8a *)((const char *)act + (size_t)(t + i) * arow);                              \
        tile_##name(nb, wr, ar, y + (size_t)t * ys + (size_t)r, ys);                                                   \
      }                                                                                                                \
      for (; t < nt; t++)                                                                                              \
        for (int i = 0; i < TR; i++)                                                                                   \
          vnni_vec_dot_##name(n, &y[(size_t)t * ys + (size_t)(r + i)], wr[i], (const char *)act + (size_t)t * arow);  \
    }                                                                                                                  \
    for (; r < nr; r++)                                                                                                \
      for (int t = 0; t < nt; t++)                                                                                     \
        vnni_vec_dot_##name(n, &y[(size_t)t * ys + (size_t)r], (const char *)w + (size_t)r * wrow,                     \
                            (const char *)act + (size_t)t * arow);                                                     \
  }

void vnni_vec_dot_q8_0(int n, float *s, const void *w, const void *a);
void vnni_vec_dot_q4_0(int n, float *s, const void *w, const void *a);
void vnni_vec_dot_q5_0(int n, float *s, const void *w, const void *a);
void vnni_vec_dot_q4_1(int n, float *s, const void *w, const void *a);
void vnni_vec_dot_q5_1(int n, float *s, const void *w, const void *a);

GEMM(q8_0)
GEMM(q4_0)
GEMM(q5_0)
GEMM(q4_1)
GEMM(q5_1)
