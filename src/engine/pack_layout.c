/* pack_layout.c — the row-interleaved weight layouts (quant.h: block_q4_0x16, block_q8_0x16,
 * block_q4_Kx16, block_q6_Kx16): one file block of each of 16 rows -> one packed block, and back,
 * and the layouts' scalar kernels.
 *
 * Why: the file's layout keeps each row's blocks together, so a SIMD kernel multiplies one row at
 * a time and must rescale and sum lane by lane. Interleaving 16 rows puts one row in each 32-bit
 * lane of a 512-bit register: vpdpbusd then forms 16 rows' block products at once against one
 * broadcast activation dword, and the scales (for the K-quants, the 6-bit ones too) are unpacked
 * for 16 rows at a time. Every layout holds the same bytes' worth as the file, so a packed matrix
 * is exactly as big as the file's. */
#include "quant.h"

#include <string.h>

/* Where byte i (0-3) of 4-byte chunk c of row r lies in a packed block's quants. */
static inline int at(int c, int i, int r) { return 64 * c + 4 * r + i; }

/* q4_K/q5_K's 6-bit scale and min of sub-block j, from ggml's 12 bytes, and back */
static void k_get(const uint8_t *q, int j, int *sc, int *mn) {
  if (j < 4) {
    *sc = q[j] & 63;
    *mn = q[j + 4] & 63;
  } else {
    *sc = (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4);
    *mn = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

static void k_put(uint8_t *q, const int sc[8], const int mn[8]) {
  for (int j = 0; j < 4; j++) {
    q[j] = (uint8_t)(sc[j] | (sc[j + 4] >> 4) << 6);
    q[j + 4] = (uint8_t)(mn[j] | (mn[j + 4] >> 4) << 6);
    q[j + 8] = (uint8_t)((sc[j + 4] & 15) | (mn[j + 4] & 15) << 4);
  }
}

static inline uint32_t load32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline void store32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Q6_K's packed high bits: value v (0-255) -> (dword k, byte j, shift) in the block's qh */
static void q6_hbit(int v, int *k, int *j, int *sh) {
  int hi = v >= 128, u = v & 127; /* u = 8k + 4 half + j */
  *k = u / 8;
  *j = u % 4;
  *sh = 4 * ((u / 4) & 1) + 2 * hi;
}

/* Row r's file block `s` into packed block `d` (lane r). */
static void pack_block(int type, const void *s, void *d, int r) {
  switch (type) {
  case FIX_T_Q4_0: {
    const struct block_q4_0 *x = s;
    struct block_q4_0x16 *o = d;
    o->d[r] = x->d;
    for (int c = 0; c < 4; c++)
      memcpy(o->qs + at(c, 0, r), x->qs + 4 * c, 4);
    break;
  }
  case FIX_T_Q8_0: {
    const struct block_q8_0 *x = s;
    struct block_q8_0x16 *o = d;
    o->d[r] = x->d;
    for (int i = 0; i < QK; i++)
      o->qs[at(i / 4, i % 4, r)] = (uint8_t)(x->qs[i] ^ 0x80);
    break;
  }
  case FIX_T_Q4_K: {
    const struct block_q4_K *x = s;
    struct block_q4_Kx16 *o = d;
    int sc[8], mn[8];
    for (int j = 0; j < 8; j++)
      k_get(x->scales, j, &sc[j], &mn[j]);
    uint32_t w[3] = {0, 0, 0};
    for (int b = 0; b < 4; b++) {
      w[0] |= (uint32_t)(sc[b] | (mn[4 + b] & 3) << 6) << 8 * b;
      w[1] |= (uint32_t)(sc[4 + b] | (mn[4 + b] >> 2 & 3) << 6) << 8 * b;
      w[2] |= (uint32_t)(mn[b] | (mn[4 + b] >> 4) << 6) << 8 * b;
    }
    for (int k = 0; k < 3; k++)
      o->sm[k][r] = w[k];
    o->d[r] = x->d;
    o->dmin[r] = x->dmin;
    for (int c = 0; c < 32; c++)
      memcpy(o->qs + at(c, 0, r), x->qs + 4 * c, 4);
    break;
  }
  case FIX_T_Q6_K: { /* four values at a time (ggml: value 128h + 32q + l has its low bits in nibble
                        q / 2 of ql[64h + 32(q % 2) + l], its high bits at 2q in qh[32h + l]) */
    const struct block_q6_K *x = s;
    struct block_q6_Kx16 *o = d;
    o->d[r] = x->d;
    for (int g = 0; g < 16; g++)
      o->sc[g][r] = x->scales[g];
    for (int c = 0; c < 32; c++) { /* values 4c.. and 128 + 4c.. */
      int q = c / 8, off = 32 * (q & 1) + 4 * (c % 8), sh = 4 * (q >> 1);
      uint32_t lo = load32(x->ql + off) >> sh & 0x0f0f0f0f, hi = load32(x->ql + 64 + off) >> sh & 0x0f0f0f0f;
      store32(o->ql + at(c, 0, r), lo | hi << 4);
    }
    for (int k = 0; k < 16; k++) { /* values 8k.., 128 + 8k.., 8k + 4.., 128 + 8k + 4.. */
      int q = k / 4, l = 8 * (k % 4);
      uint32_t m = 0x03030303, v = (load32(x->qh + l) >> 2 * q & m) | (load32(x->qh + 32 + l) >> 2 * q & m) << 2 |
                                   (load32(x->qh + l + 4) >> 2 * q & m) << 4 | (load32(x->qh + 32 + l + 4) >> 2 * q & m) << 6;
      store32(o->qh + at(k, 0, r), v);
    }
    break;
  }
  }
}

/* Lane r of packed block `s` back into the file's block `d`. */
static void unpack_block(int type, const void *s, void *d, int r) {
  switch (type) {
  case FIX_T_Q4_0: {
    const struct block_q4_0x16 *x = s;
    struct block_q4_0 *o = d;
    o->d = x->d[r];
    for (int c = 0; c < 4; c++)
      memcpy(o->qs + 4 * c, x->qs + at(c, 0, r), 4);
    break;
  }
  case FIX_T_Q8_0: {
    const struct block_q8_0x16 *x = s;
    struct block_q8_0 *o = d;
    o->d = x->d[r];
    for (int i = 0; i < QK; i++)
      o->qs[i] = (int8_t)(x->qs[at(i / 4, i % 4, r)] ^ 0x80);
    break;
  }
  case FIX_T_Q4_K: {
    const struct block_q4_Kx16 *x = s;
    struct block_q4_K *o = d;
    uint32_t w[3] = {x->sm[0][r], x->sm[1][r], x->sm[2][r]};
    int sc[8], mn[8];
    for (int b = 0; b < 4; b++) {
      sc[b] = w[0] >> 8 * b & 63;
      sc[4 + b] = w[1] >> 8 * b & 63;
      mn[b] = w[2] >> 8 * b & 63;
      mn[4 + b] = (int)((w[0] >> (8 * b + 6) & 3) | (w[1] >> (8 * b + 6) & 3) << 2 | (w[2] >> (8 * b + 6) & 3) << 4);
    }
    k_put(o->scales, sc, mn);
    o->d = x->d[r];
    o->dmin = x->dmin[r];
    for (int c = 0; c < 32; c++)
      memcpy(o->qs + 4 * c, x->qs + at(c, 0, r), 4);
    break;
  }
  case FIX_T_Q6_K: {
    const struct block_q6_Kx16 *x = s;
    struct block_q6_K *o = d;
    o->d = x->d[r];
    for (int g = 0; g < 16; g++)
      o->scales[g] = x->sc[g][r];
    memset(o->ql, 0, sizeof o->ql);
    memset(o->qh, 0, sizeof o->qh);
    for (int v = 0; v < QK_K; v++) {
      int h = v / 128, q = v % 128 / 32, l = v % 32;
      int u = v & 127, k, j, sh;
      int lo = x->ql[at(u / 4, u % 4, r)] >> 4 * (v >= 128) & 15;
      q6_hbit(v, &k, &j, &sh);
      int hb = x->qh[at(k, j, r)] >> sh & 3;
      o->ql[64 * h + 32 * (q & 1) + l] |= (uint8_t)(lo << 4 * (q >> 1));
      o->qh[32 * h + l] |= (uint8_t)(hb << 2 * q);
    }
    break;
  }
  }
}

static size_t pblock(int type) { return fix_types[type].size * PACK_ROWS; }

void pack_group(int type, const void *src, size_t row, void *dst, int64_t n) {
  int64_t nb = n / (int64_t)fix_types[type].blck;
  size_t bs = fix_types[type].size;
  for (int64_t b = 0; b < nb; b++)
    for (int r = 0; r < PACK_ROWS; r++)
      pack_block(type, (const char *)src + (size_t)r * row + (size_t)b * bs, (char *)dst + (size_t)b * pblock(type), r);
}

void packed_row_to_float(int type, const void *w, int64_t r, float *y, int64_t n) {
  const struct type_traits *t = &fix_types[type];
  int64_t nb = n / (int64_t)t->blck;
  const char *g = (const char *)w + (size_t)(r / PACK_ROWS) * (size_t)nb * pblock(type);
  _Alignas(64) char blk[sizeof(struct block_q6_K)]; /* the largest packed type's file block */
  for (int64_t b = 0; b < nb; b++) {
    unpack_block(type, g + (size_t)b * pblock(type), blk, (int)(r % PACK_ROWS));
    t->to_float(blk, y + b * (int64_t)t->blck, (int64_t)t->blck);
  }
}

/* The scalar kernel of every layout: each row's blocks read back and dotted with the one-row
 * reference kernel block by block, summed in block order, which is what the one-row reference
 * does: the result equals it bit for bit. */
static void ref_packed(int type, int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {
  const struct type_traits *t = &fix_types[type];
  int nb = n / (int)t->blck;
  size_t ablk = act_row_size(t->act, (int64_t)t->blck);
  _Alignas(64) char blk[sizeof(struct block_q6_K)];
  for (int g = 0; g < nr / PACK_ROWS; g++)
    for (int r = 0; r < PACK_ROWS; r++) {
      float *yr = y + (size_t)(g * PACK_ROWS + r); /* each token's sum, from 0, in block order */
      for (int tk = 0; tk < nt; tk++)
        yr[(size_t)tk * ys] = 0;
      for (int b = 0; b < nb; b++) {
        unpack_block(type, (const char *)w + ((size_t)g * (size_t)nb + (size_t)b) * pblock(type), blk, r);
        for (int tk = 0; tk < nt; tk++) {
          float s;
          t->vec_dot_ref((int)t->blck, &s, blk, (const char *)a + (size_t)tk * arow + (size_t)b * ablk);
          yr[(size_t)tk * ys] += s;
        }
      }
    }
}

#define REF_PACKED(name, type)                                                                                         \
  void ref_packed_##name(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {      \
    ref_packed(type, n, nr, nt, w, a, arow, y, ys);                                                                    \
  }
REF_PACKED(q4_0, FIX_T_Q4_0)
REF_PACKED(q8_0, FIX_T_Q8_0)
REF_PACKED(q4_K, FIX_T_Q4_K)
REF_PACKED(q6_K, FIX_T_Q6_K)
