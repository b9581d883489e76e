/* x86_gemm.c — prompt processing as a real matrix product for the 32-value block formats (Q8_0,
 * Q4_0, Q5_0, Q4_1, Q5_1) and the K-quants Q4_K, Q5_K and Q6_K with AVX-512 VNNI: tiles of TR = 4
 * weight rows x TT = 16 tokens (K-quants: 2 rows x 16 tokens) per pass over the blocks, so each
 * unpacked weight block serves sixteen tokens and each activation block several rows. (Models of
 * the types packed at load, Q4_0, Q8_0, Q4_K and Q6_K, use x86_packed.c's 16-row tiles instead.)
 *
 * Two rows share a 512-bit register (row r in lanes 0-7, row r+1 in lanes 8-15, four bytes per
 * lane, as x86.inc's kernels lay one row out). vpdpbusd multiplies unsigned by signed bytes, so
 * the activations go in offset by 128 (y + 128) and each lane subtracts 128 times its weights' sum,
 * computed once per weight block: the integers equal the one-row kernel's exactly, and the lanes
 * are scaled, accumulated and finally summed in the same order, so every output is bit-identical
 * to vnni_vec_dot_* (the "prompt at once = token by token" test holds at zero difference). */
#include "../quant.h"

#include <immintrin.h>
#include <stddef.h>
#include <string.h>

_Static_assert(offsetof(struct block_q4_K, scales) == 4 && offsetof(struct block_q4_K, qs) == 16 &&
                   offsetof(struct block_q5_K, qh) == 16 && offsetof(struct block_q5_K, qs) == 48,
               "pair_k45 reads the K-quant blocks by these offsets");

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

/* Integer sum of four lanes (exact, so any order). */
static inline int hsum128_epi32(__m128i v) {
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0x4e));
  return _mm_cvtsi128_si32(_mm_add_epi32(v, _mm_shuffle_epi32(v, 0xb1)));
}

/* A K-quant block pair against one activation block: the eight 32-value sub-blocks' products,
 * summed in 16 bits and scaled by their sub-block scales into 32-bit lanes. */
static inline __m512i kdot(const __m512i w[8], const __m512i sc[8], const int8_t *yq) {
  __m512i sumi = _mm512_setzero_si512();
  for (int k = 0; k < 8; k++) {
    __m512i yv = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(yq + 32 * k)));
    sumi = _mm512_add_epi32(sumi, _mm512_madd_epi16(_mm512_maddubs_epi16(w[k], yv), sc[k]));
  }
  return sumi;
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

/* Q4_K/Q5_K: rows in pairs (one 512-bit register per 32-value sub-block holds both rows' values),
 * TT tokens per pass. Each sub-block's products are summed in 16 bits (vpmaddubsw: at most 2 x 31 x
 * 128, no saturation) and scaled with vpmaddwd by its 6-bit scale, which gives exactly the integer
 * vnni_vec_dot_q4_K forms with vpdpbusd and vpmulld; the float steps are that kernel's, in its order. */
static inline void q4k_scales(const uint8_t *q, uint8_t sc[8], uint8_t mn[8]) {
  for (int j = 0; j < 4; j++) {
    sc[j] = q[j] & 63;
    mn[j] = q[j + 4] & 63;
    sc[j + 4] = (uint8_t)((q[j + 8] & 0xf) | ((q[j] >> 6) << 4));
    mn[j + 4] = (uint8_t)((q[j + 8] >> 4) | ((q[j + 4] >> 6) << 4));
  }
}

/* Q4_K and Q5_K (five: the fifth bits from qh) share everything else: scales, mins, float steps. */
static inline void pair_k45(int nb, const void *w0, const void *w1, const struct block_q8k *const *a, int nt, float *y,
                            size_t ys, int five) {
  size_t bsz = five ? sizeof(struct block_q5_K) : sizeof(struct block_q4_K);
  __m512 acc[TT];
  float accm[TT][2];
  for (int t = 0; t < nt; t++)
    acc[t] = _mm512_setzero_ps(), accm[t][0] = accm[t][1] = 0;
  const __m512i m4 = _mm512_set1_epi8(0x0f), one = _mm512_set1_epi8(1);
  for (int b = 0; b < nb; b++) {
    /* both layouts: d, dmin (f16), scales[12]; Q5_K then has qh[32]; then qs[128] */
    const uint8_t *x0 = (const uint8_t *)w0 + (size_t)b * bsz, *x1 = (const uint8_t *)w1 + (size_t)b * bsz;
    const uint8_t *qs0 = x0 + 16 + (five ? 32 : 0), *qs1 = x1 + 16 + (five ? 32 : 0);
    uint16_t h[4];
    memcpy(&h[0], x0, 4);
    memcpy(&h[2], x1, 4);
    uint8_t sc0[8], mn0[8], sc1[8], mn1[8];
    q4k_scales(x0 + 4, sc0, mn0);
    q4k_scales(x1 + 4, sc1, mn1);
    __m512i w[8], sc[8], qh = _mm512_setzero_si512();
    if (five)
      qh = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(x0 + 16))),
                              _mm256_loadu_si256((const __m256i *)(x1 + 16)), 1);
    for (int j = 0; j < 4; j++) {
      __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(qs0 + 32 * j))),
                                     _mm256_loadu_si256((const __m256i *)(qs1 + 32 * j)), 1);
      w[2 * j] = _mm512_and_si512(q, m4);
      w[2 * j + 1] = _mm512_and_si512(_mm512_srli_epi16(q, 4), m4);
      if (five) {
        w[2 * j] = _mm512_or_si512(w[2 * j], _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(qh, 2 * j), one), 4));
        w[2 * j + 1] =
            _mm512_or_si512(w[2 * j + 1], _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(qh, 2 * j + 1), one), 4));
      }
    }
    for (int k = 0; k < 8; k++)
      sc[k] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi16(sc0[k])), _mm256_set1_epi16(sc1[k]), 1);
    __m128i mv0 = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)mn0));
    __m128i mv1 = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)mn1));
    float dx0 = h2f(h[0]), dm0 = h2f(h[1]), dx1 = h2f(h[2]), dm1 = h2f(h[3]);
    for (int t = 0; t < nt; t++) {
      const struct block_q8k *yb = a[t] + b;
      __m512i sumi = kdot(w, sc, yb->qs);
      __m512 d = _mm512_mask_blend_ps(0xff00, _mm512_set1_ps(yb->d * dx0), _mm512_set1_ps(yb->d * dx1));
      acc[t] = _mm512_fmadd_ps(d, _mm512_cvtepi32_ps(sumi), acc[t]);
      /* the mins: sum over sub-blocks of min * (its two 16-value activation sums) */
      __m128i bs = _mm_hadd_epi16(_mm_loadu_si128((const __m128i *)yb->bsums),
                                  _mm_loadu_si128((const __m128i *)(yb->bsums + 8)));
      int s0 = hsum128_epi32(_mm_madd_epi16(mv0, bs)), s1 = hsum128_epi32(_mm_madd_epi16(mv1, bs));
      accm[t][0] += yb->d * dm0 * (float)s0;
      accm[t][1] += yb->d * dm1 * (float)s1;
    }
  }
  for (int t = 0; t < nt; t++) {
    y[(size_t)t * ys] = hsum256(_mm512_castps512_ps256(acc[t])) - accm[t][0];
    y[(size_t)t * ys + 1] = hsum256(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[t]), 1))) - accm[t][1];
  }
}

static void pair_q4_K(int nb, const void *w0, const void *w1, const struct block_q8k *const *a, int nt, float *y,
                      size_t ys) {
  pair_k45(nb, w0, w1, a, nt, y, ys, 0);
}

static void pair_q5_K(int nb, const void *w0, const void *w1, const struct block_q8k *const *a, int nt, float *y,
                      size_t ys) {
  pair_k45(nb, w0, w1, a, nt, y, ys, 1);
}

/* Q6_K: rows in pairs as for Q4_K; the six-bit values (stored +32) times the activations in 16
 * bits, scaled per 16 values by the signed 8-bit scales with vpmaddwd; minus 32 x the scaled
 * 16-value activation sums; one integer per block, then vnni_vec_dot_q6_K's float steps. */
static void pair_q6_K(int nb, const void *w0, const void *w1, const struct block_q8k *const *a, int nt, float *y,
                      size_t ys) {
  const struct block_q6_K *x0 = w0, *x1 = w1;
  float acc[TT][2];
  for (int t = 0; t < nt; t++)
    acc[t][0] = acc[t][1] = 0;
  const __m512i m4 = _mm512_set1_epi8(0x0f), m3 = _mm512_set1_epi8(3);
  for (int b = 0; b < nb; b++) {
    __m512i w[8], sc[8];
    for (int c = 0; c < 2; c++) {
      const uint8_t *l0 = x0[b].ql + 64 * c, *l1 = x1[b].ql + 64 * c, *h0 = x0[b].qh + 32 * c, *h1 = x1[b].qh + 32 * c;
#define PAIR(p0, p1) _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(p0))), \
                                        _mm256_loadu_si256((const __m256i *)(p1)), 1)
      __m512i la = PAIR(l0, l1), lb = PAIR(l0 + 32, l1 + 32), qh = PAIR(h0, h1);
#undef PAIR
      w[4 * c + 0] = _mm512_or_si512(_mm512_and_si512(la, m4), _mm512_slli_epi16(_mm512_and_si512(qh, m3), 4));
      w[4 * c + 1] = _mm512_or_si512(_mm512_and_si512(lb, m4),
                                     _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(qh, 2), m3), 4));
      w[4 * c + 2] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(la, 4), m4),
                                     _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(qh, 4), m3), 4));
      w[4 * c + 3] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(lb, 4), m4),
                                     _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(qh, 6), m3), 4));
      for (int k = 0; k < 4; k++) {
        const int8_t *s0 = x0[b].scales + 8 * c + 2 * k, *s1 = x1[b].scales + 8 * c + 2 * k;
        /* int16 lanes: 0-7 row 0's first 16 values, 8-15 its next 16; 16-31 the same for row 1 */
        __m256i v0 = _mm256_set_m128i(_mm_set1_epi16(s0[1]), _mm_set1_epi16(s0[0]));
        __m256i v1 = _mm256_set_m128i(_mm_set1_epi16(s1[1]), _mm_set1_epi16(s1[0]));
        sc[4 * c + k] = _mm512_inserti64x4(_mm512_castsi256_si512(v0), v1, 1);
      }
    }
    __m256i s16a = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)x0[b].scales));
    __m256i s16b = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)x1[b].scales));
    float dx0 = h2f(x0[b].d), dx1 = h2f(x1[b].d);
    for (int t = 0; t < nt; t++) {
      const struct block_q8k *yb = a[t] + b;
      __m512i sumi = kdot(w, sc, yb->qs);
      __m256i bs = _mm256_loadu_si256((const __m256i *)yb->bsums);
      __m256i o0 = _mm256_madd_epi16(s16a, bs), o1 = _mm256_madd_epi16(s16b, bs);
      __m256i lo = _mm512_castsi512_si256(sumi), hi = _mm512_extracti64x4_epi64(sumi, 1);
      /* horizontal integer sums (exact, so any order) */
      __m256i r0 = _mm256_sub_epi32(lo, _mm256_slli_epi32(o0, 5)), r1 = _mm256_sub_epi32(hi, _mm256_slli_epi32(o1, 5));
      int t0 = hsum128_epi32(_mm_add_epi32(_mm256_castsi256_si128(r0), _mm256_extracti128_si256(r0, 1)));
      int t1 = hsum128_epi32(_mm_add_epi32(_mm256_castsi256_si128(r1), _mm256_extracti128_si256(r1, 1)));
      acc[t][0] += yb->d * dx0 * (float)t0;
      acc[t][1] += yb->d * dx1 * (float)t1;
    }
  }
  for (int t = 0; t < nt; t++) /* the one-row kernel's final sum: its value in lane 0 of eight */
    for (int r = 0; r < 2; r++)
      y[(size_t)t * ys + (size_t)r] = hsum256(_mm256_set_ps(0, 0, 0, 0, 0, 0, 0, acc[t][r]));
}

typedef void (*pair_fn)(int nb, const void *w0, const void *w1, const struct block_q8k *const *a, int nt, float *y,
                        size_t ys);

/* The K-quant products: row pairs through `pair`, an odd last row through the one-row kernel. */
static void gemm_pairs(pair_fn pair, vec_dot_fn one, int n, int nr, int nt, const void *w, size_t wrow, const void *act,
                       size_t arow, float *y, size_t ys) {
  int nb = n / QK_K, r = 0;
  for (; r + 2 <= nr; r += 2)
    for (int t = 0; t < nt; t += TT) {
      const struct block_q8k *ar[TT];
      int m = nt - t < TT ? nt - t : TT;
      for (int i = 0; i < m; i++)
        ar[i] = (const struct block_q8k *)((const char *)act + (size_t)(t + i) * arow);
      pair(nb, (const char *)w + (size_t)r * wrow, (const char *)w + (size_t)(r + 1) * wrow, ar, m,
           y + (size_t)t * ys + (size_t)r, ys);
    }
  for (; r < nr; r++)
    for (int t = 0; t < nt; t++)
      one(n, &y[(size_t)t * ys + (size_t)r], (const char *)w + (size_t)r * wrow, (const char *)act + (size_t)t * arow);
}

void vnni_vec_dot_q4_K(int n, float *s, const void *w, const void *a);
void vnni_vec_dot_q5_K(int n, float *s, const void *w, const void *a);
void vnni_vec_dot_q6_K(int n, float *s, const void *w, const void *a);

void vnni_gemm_q5_K(int n, int nr, int nt, const void *w, size_t wrow, const void *act, size_t arow, float *y,
                    size_t ys) {
  gemm_pairs(pair_q5_K, vnni_vec_dot_q5_K, n, nr, nt, w, wrow, act, arow, y, ys);
}

void vnni_gemm_q4_K(int n, int nr, int nt, const void *w, size_t wrow, const void *act, size_t arow, float *y,
                    size_t ys) {
  gemm_pairs(pair_q4_K, vnni_vec_dot_q4_K, n, nr, nt, w, wrow, act, arow, y, ys);
}

void vnni_gemm_q6_K(int n, int nr, int nt, const void *w, size_t wrow, const void *act, size_t arow, float *y,
                    size_t ys) {
  gemm_pairs(pair_q6_K, vnni_vec_dot_q6_K, n, nr, nt, w, wrow, act, arow, y, ys);
}

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
