/* quant.c — half floats, ggml block (de)quantization, activation quantization, the type table.
 *
 * Dequantization follows ggml's formats bit for bit (a file from llama.cpp's tools reads the same
 * here). Quantization is what fix's model writer uses: Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 as ggml does them;
 * the K-quants with a simpler min/max fit than ggml's iterative one — a valid file of the same
 * format, only its rounding error differs. */
#include "quant.h"

#include <math.h>
#include <string.h>

/* ---- half and brain floats ---- */

static inline uint32_t f2u(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static inline float u2f(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* IEEE half <-> single with exact rounding (round to nearest even), subnormals, inf and nan,
 * using float arithmetic to do the rounding (the well-known FP16-library formulation). */
static float half_to_float(uint16_t h) {
  uint32_t w = (uint32_t)h << 16;
  uint32_t sign = w & 0x80000000u;
  uint32_t two_w = w + w;
  float normalized = u2f((two_w >> 4) + (0xe0u << 23)) * 0x1.0p-112f;
  float denormalized = u2f((two_w >> 17) | (126u << 23)) - 0.5f;
  uint32_t r = sign | (two_w < (1u << 27) ? f2u(denormalized) : f2u(normalized));
  return u2f(r);
}

static float f16_table[65536];
static int f16_table_ready;

float fix_f16_to_f32(uint16_t h) { return f16_table_ready ? f16_table[h] : half_to_float(h); }

void fix_f16_table_init(void) {
  if (f16_table_ready)
    return;
  for (uint32_t i = 0; i < 65536; i++)
    f16_table[i] = half_to_float((uint16_t)i);
  f16_table_ready = 1;
}

uint16_t fix_f32_to_f16(float f) {
  float base = (fabsf(f) * 0x1.0p+112f) * 0x1.0p-110f;
  uint32_t w = f2u(f);
  uint32_t shl1_w = w + w;
  uint32_t sign = w & 0x80000000u;
  uint32_t bias = shl1_w & 0xff000000u;
  if (bias < 0x71000000u)
    bias = 0x71000000u;
  base = u2f((bias >> 1) + 0x07800000u) + base;
  uint32_t bits = f2u(base);
  uint32_t exp_bits = (bits >> 13) & 0x00007c00u;
  uint32_t mantissa_bits = bits & 0x00000fffu;
  uint32_t nonsign = exp_bits + mantissa_bits;
  return (uint16_t)((sign >> 16) | (shl1_w > 0xff000000u ? 0x7e00u : nonsign));
}

float fix_bf16_to_f32(uint16_t h) {
  uint32_t bits = (uint32_t)h << 16;
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

uint16_t fix_f32_to_bf16(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  if ((x & 0x7fffffff) > 0x7f800000)
    return (uint16_t)((x >> 16) | 64); /* quiet nan */
  return (uint16_t)((x + (0x7fff + ((x >> 16) & 1))) >> 16);
}

/* ---- dequantization ---- */

static void f32_to_float(const void *x, float *y, int64_t n) { memcpy(y, x, (size_t)n * 4); }

static void f16_to_float(const void *x, float *y, int64_t n) {
  const uint16_t *h = x;
  for (int64_t i = 0; i < n; i++)
    y[i] = fix_f16_to_f32(h[i]);
}

static void bf16_to_float(const void *x, float *y, int64_t n) {
  const uint16_t *h = x;
  for (int64_t i = 0; i < n; i++)
    y[i] = fix_bf16_to_f32(h[i]);
}

static void q4_0_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q4_0 *x = vx;
  for (int64_t i = 0; i < n / QK; i++) {
    float d = fix_f16_to_f32(x[i].d);
    for (int j = 0; j < QK / 2; j++) {
      y[i * QK + j] = ((x[i].qs[j] & 0xf) - 8) * d;
      y[i * QK + j + QK / 2] = ((x[i].qs[j] >> 4) - 8) * d;
    }
  }
}

static void q4_1_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q4_1 *x = vx;
  for (int64_t i = 0; i < n / QK; i++) {
    float d = fix_f16_to_f32(x[i].d), m = fix_f16_to_f32(x[i].m);
    for (int j = 0; j < QK / 2; j++) {
      y[i * QK + j] = (x[i].qs[j] & 0xf) * d + m;
      y[i * QK + j + QK / 2] = (x[i].qs[j] >> 4) * d + m;
    }
  }
}

static void q5_0_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q5_0 *x = vx;
  for (int64_t i = 0; i < n / QK; i++) {
    float d = fix_f16_to_f32(x[i].d);
    uint32_t qh;
    memcpy(&qh, x[i].qh, 4);
    for (int j = 0; j < QK / 2; j++) {
      int x0 = (x[i].qs[j] & 0xf) | (((qh >> j) & 1) << 4);
      int x1 = (x[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
      y[i * QK + j] = (x0 - 16) * d;
      y[i * QK + j + QK / 2] = (x1 - 16) * d;
    }
  }
}

static void q5_1_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q5_1 *x = vx;
  for (int64_t i = 0; i < n / QK; i++) {
    float d = fix_f16_to_f32(x[i].d), m = fix_f16_to_f32(x[i].m);
    uint32_t qh;
    memcpy(&qh, x[i].qh, 4);
    for (int j = 0; j < QK / 2; j++) {
      int x0 = (x[i].qs[j] & 0xf) | (((qh >> j) & 1) << 4);
      int x1 = (x[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
      y[i * QK + j] = x0 * d + m;
      y[i * QK + j + QK / 2] = x1 * d + m;
    }
  }
}

static void q8_0_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q8_0 *x = vx;
  for (int64_t i = 0; i < n / QK; i++) {
    float d = fix_f16_to_f32(x[i].d);
    for (int j = 0; j < QK; j++)
      y[i * QK + j] = x[i].qs[j] * d;
  }
}

static void scale_min_k4(int j, const uint8_t *q, uint8_t *d, uint8_t *m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = (uint8_t)((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4));
    *m = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

static void q4_K_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q4_K *x = vx;
  for (int64_t i = 0; i < n / QK_K; i++) {
    float d = fix_f16_to_f32(x[i].d), min = fix_f16_to_f32(x[i].dmin);
    const uint8_t *q = x[i].qs;
    int is = 0;
    for (int j = 0; j < QK_K; j += 64) {
      uint8_t sc, m;
      scale_min_k4(is + 0, x[i].scales, &sc, &m);
      float d1 = d * sc, m1 = min * m;
      scale_min_k4(is + 1, x[i].scales, &sc, &m);
      float d2 = d * sc, m2 = min * m;
      for (int l = 0; l < 32; l++)
        *y++ = d1 * (q[l] & 0xf) - m1;
      for (int l = 0; l < 32; l++)
        *y++ = d2 * (q[l] >> 4) - m2;
      q += 32;
      is += 2;
    }
  }
}

static void q5_K_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q5_K *x = vx;
  for (int64_t i = 0; i < n / QK_K; i++) {
    float d = fix_f16_to_f32(x[i].d), min = fix_f16_to_f32(x[i].dmin);
    const uint8_t *ql = x[i].qs, *qh = x[i].qh;
    int is = 0;
    uint8_t u1 = 1, u2 = 2;
    for (int j = 0; j < QK_K; j += 64) {
      uint8_t sc, m;
      scale_min_k4(is + 0, x[i].scales, &sc, &m);
      float d1 = d * sc, m1 = min * m;
      scale_min_k4(is + 1, x[i].scales, &sc, &m);
      float d2 = d * sc, m2 = min * m;
      for (int l = 0; l < 32; l++)
        *y++ = d1 * ((ql[l] & 0xf) + (qh[l] & u1 ? 16 : 0)) - m1;
      for (int l = 0; l < 32; l++)
        *y++ = d2 * ((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
      ql += 32;
      is += 2;
      u1 <<= 2;
      u2 <<= 2;
    }
  }
}

static void q6_K_to_float(const void *vx, float *y, int64_t n) {
  const struct block_q6_K *x = vx;
  for (int64_t i = 0; i < n / QK_K; i++) {
    float d = fix_f16_to_f32(x[i].d);
    const uint8_t *ql = x[i].ql, *qh = x[i].qh;
    const int8_t *sc = x[i].scales;
    for (int c = 0; c < QK_K; c += 128) {
      for (int l = 0; l < 32; l++) {
        int is = l / 16;
        int q1 = (int8_t)((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32;
        int q2 = (int8_t)((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32;
        int q3 = (int8_t)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
        int q4 = (int8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
        y[l] = d * sc[is + 0] * q1;
        y[l + 32] = d * sc[is + 2] * q2;
        y[l + 64] = d * sc[is + 4] * q3;
        y[l + 96] = d * sc[is + 6] * q4;
      }
      y += 128;
      ql += 64;
      qh += 32;
      sc += 8;
    }
  }
}

/* ---- quantization (model writer) ---- */

static void f32_from_float(const float *x, void *y, int64_t n) { memcpy(y, x, (size_t)n * 4); }

static void f16_from_float(const float *x, void *y, int64_t n) {
  uint16_t *h = y;
  for (int64_t i = 0; i < n; i++)
    h[i] = fix_f32_to_f16(x[i]);
}

static void bf16_from_float(const float *x, void *y, int64_t n) {
  uint16_t *h = y;
  for (int64_t i = 0; i < n; i++)
    h[i] = fix_f32_to_bf16(x[i]);
}

static void q4_0_from_float(const float *x, void *vy, int64_t n) {
  struct block_q4_0 *y = vy;
  for (int64_t i = 0; i < n / QK; i++, x += QK) {
    float amax = 0, max = 0;
    for (int j = 0; j < QK; j++)
      if (fabsf(x[j]) > amax) {
        amax = fabsf(x[j]);
        max = x[j];
      }
    float d = max / -8, id = d ? 1.0f / d : 0;
    y[i].d = fix_f32_to_f16(d);
    for (int j = 0; j < QK / 2; j++) {
      int a = (int)(x[j] * id + 8.5f), b = (int)(x[j + QK / 2] * id + 8.5f);
      a = a < 0 ? 0 : a > 15 ? 15 : a;
      b = b < 0 ? 0 : b > 15 ? 15 : b;
      y[i].qs[j] = (uint8_t)(a | (b << 4));
    }
  }
}

static void q4_1_from_float(const float *x, void *vy, int64_t n) {
  struct block_q4_1 *y = vy;
  for (int64_t i = 0; i < n / QK; i++, x += QK) {
    float min = x[0], max = x[0];
    for (int j = 1; j < QK; j++) {
      min = x[j] < min ? x[j] : min;
      max = x[j] > max ? x[j] : max;
    }
    float d = (max - min) / 15, id = d ? 1.0f / d : 0;
    y[i].d = fix_f32_to_f16(d);
    y[i].m = fix_f32_to_f16(min);
    for (int j = 0; j < QK / 2; j++) {
      int a = (int)((x[j] - min) * id + 0.5f), b = (int)((x[j + QK / 2] - min) * id + 0.5f);
      a = a > 15 ? 15 : a;
      b = b > 15 ? 15 : b;
      y[i].qs[j] = (uint8_t)(a | (b << 4));
    }
  }
}

static void q5_0_from_float(const float *x, void *vy, int64_t n) {
  struct block_q5_0 *y = vy;
  for (int64_t i = 0; i < n / QK; i++, x += QK) {
    float amax = 0, max = 0;
    for (int j = 0; j < QK; j++)
      if (fabsf(x[j]) > amax) {
        amax = fabsf(x[j]);
        max = x[j];
      }
    float d = max / -16, id = d ? 1.0f / d : 0;
    y[i].d = fix_f32_to_f16(d);
    uint32_t qh = 0;
    for (int j = 0; j < QK / 2; j++) {
      int a = (int)(x[j] * id + 16.5f), b = (int)(x[j + QK / 2] * id + 16.5f);
      a = a < 0 ? 0 : a > 31 ? 31 : a;
      b = b < 0 ? 0 : b > 31 ? 31 : b;
      y[i].qs[j] = (uint8_t)((a & 0xf) | ((b & 0xf) << 4));
      qh |= (uint32_t)((a & 0x10) >> 4) << j;
      qh |= (uint32_t)((b & 0x10) >> 4) << (j + QK / 2);
    }
    memcpy(y[i].qh, &qh, 4);
  }
}

static void q5_1_from_float(const float *x, void *vy, int64_t n) {
  struct block_q5_1 *y = vy;
  for (int64_t i = 0; i < n / QK; i++, x += QK) {
    float min = x[0], max = x[0];
    for (int j = 1; j < QK; j++) {
      min = x[j] < min ? x[j] : min;
      max = x[j] > max ? x[j] : max;
    }
    float d = (max - min) / 31, id = d ? 1.0f / d : 0;
    y[i].d = fix_f32_to_f16(d);
    y[i].m = fix_f32_to_f16(min);
    uint32_t qh = 0;
    for (int j = 0; j < QK / 2; j++) {
      int a = (int)((x[j] - min) * id + 0.5f), b = (int)((x[j + QK / 2] - min) * id + 0.5f);
      a = a > 31 ? 31 : a;
      b = b > 31 ? 31 : b;
      y[i].qs[j] = (uint8_t)((a & 0xf) | ((b & 0xf) << 4));
      qh |= (uint32_t)((a & 0x10) >> 4) << j;
      qh |= (uint32_t)((b & 0x10) >> 4) << (j + QK / 2);
    }
    memcpy(y[i].qh, &qh, 4);
  }
}

static void q8_0_from_float(const float *x, void *vy, int64_t n) {
  struct block_q8_0 *y = vy;
  for (int64_t i = 0; i < n / QK; i++, x += QK) {
    float amax = 0;
    for (int j = 0; j < QK; j++)
      amax = fabsf(x[j]) > amax ? fabsf(x[j]) : amax;
    float d = amax / 127, id = d ? 1.0f / d : 0;
    y[i].d = fix_f32_to_f16(d);
    for (int j = 0; j < QK; j++)
      y[i].qs[j] = (int8_t)roundf(x[j] * id);
  }
}

/* K-quants: per 32-value sub-block scale and min, 6-bit relative to the block's d and dmin. */
static void fit_sub_blocks(const float *x, int nsub, int sublen, int levels, float *scales, float *mins) {
  for (int s = 0; s < nsub; s++) {
    float mn = 0, mx = 0;
    for (int l = 0; l < sublen; l++) {
      float v = x[s * sublen + l];
      mn = v < mn ? v : mn;
      mx = v > mx ? v : mx;
    }
    scales[s] = (mx - mn) / levels;
    mins[s] = -mn;
  }
}

static void pack_scale_min_k4(uint8_t *q, int j, uint8_t ls, uint8_t lm) {
  if (j < 4) {
    q[j] = ls;
    q[j + 4] = lm;
  } else {
    q[j + 4] = (uint8_t)((ls & 0xf) | ((lm & 0xf) << 4));
    q[j - 4] |= (uint8_t)((ls >> 4) << 6);
    q[j] |= (uint8_t)((lm >> 4) << 6);
  }
}

static void k_quant(const float *x, int levels, uint16_t *dd, uint16_t *ddmin, uint8_t *scales12, uint8_t *L) {
  float sc[8], mn[8], maxsc = 0, maxmn = 0;
  fit_sub_blocks(x, 8, 32, levels, sc, mn);
  for (int s = 0; s < 8; s++) {
    maxsc = sc[s] > maxsc ? sc[s] : maxsc;
    maxmn = mn[s] > maxmn ? mn[s] : maxmn;
  }
  float d = maxsc / 63, dmin = maxmn / 63;
  *dd = fix_f32_to_f16(d);
  *ddmin = fix_f32_to_f16(dmin);
  d = fix_f16_to_f32(*dd);
  dmin = fix_f16_to_f32(*ddmin);
  memset(scales12, 0, 12);
  for (int s = 0; s < 8; s++) {
    int ls = d ? (int)lroundf(sc[s] / d) : 0, lm = dmin ? (int)lroundf(mn[s] / dmin) : 0;
    ls = ls > 63 ? 63 : ls;
    lm = lm > 63 ? 63 : lm;
    pack_scale_min_k4(scales12, s, (uint8_t)ls, (uint8_t)lm);
    float dl = d * ls, ml = dmin * lm;
    for (int l = 0; l < 32; l++) {
      int q = dl ? (int)lroundf((x[s * 32 + l] + ml) / dl) : 0;
      L[s * 32 + l] = (uint8_t)(q < 0 ? 0 : q > levels ? levels : q);
    }
  }
}

static void q4_K_from_float(const float *x, void *vy, int64_t n) {
  struct block_q4_K *y = vy;
  uint8_t L[QK_K];
  for (int64_t i = 0; i < n / QK_K; i++, x += QK_K) {
    k_quant(x, 15, &y[i].d, &y[i].dmin, y[i].scales, L);
    uint8_t *q = y[i].qs;
    for (int j = 0; j < QK_K; j += 64) {
      for (int l = 0; l < 32; l++)
        q[l] = (uint8_t)(L[j + l] | (L[j + l + 32] << 4));
      q += 32;
    }
  }
}

static void q5_K_from_float(const float *x, void *vy, int64_t n) {
  struct block_q5_K *y = vy;
  uint8_t L[QK_K];
  for (int64_t i = 0; i < n / QK_K; i++, x += QK_K) {
    k_quant(x, 31, &y[i].d, &y[i].dmin, y[i].scales, L);
    uint8_t *ql = y[i].qs, *qh = y[i].qh;
    memset(qh, 0, QK_K / 8);
    uint8_t m1 = 1, m2 = 2;
    for (int j = 0; j < QK_K; j += 64) {
      for (int l = 0; l < 32; l++) {
        int l1 = L[j + l], l2 = L[j + l + 32];
        if (l1 > 15) {
          l1 -= 16;
          qh[l] |= m1;
        }
        if (l2 > 15) {
          l2 -= 16;
          qh[l] |= m2;
        }
        ql[l] = (uint8_t)(l1 | (l2 << 4));
      }
      ql += 32;
      m1 <<= 2;
      m2 <<= 2;
    }
  }
}

static void q6_K_from_float(const float *x, void *vy, int64_t n) {
  struct block_q6_K *y = vy;
  uint8_t L[QK_K];
  for (int64_t i = 0; i < n / QK_K; i++, x += QK_K) {
    float sc[16], maxsc = 0;
    for (int s = 0; s < 16; s++) {
      float amax = 0;
      for (int l = 0; l < 16; l++)
        amax = fabsf(x[s * 16 + l]) > amax ? fabsf(x[s * 16 + l]) : amax;
      sc[s] = amax / 31;
      maxsc = sc[s] > maxsc ? sc[s] : maxsc;
    }
    float d = maxsc / 127;
    y[i].d = fix_f32_to_f16(d);
    d = fix_f16_to_f32(y[i].d);
    for (int s = 0; s < 16; s++) {
      int ls = d ? (int)lroundf(sc[s] / d) : 0;
      ls = ls > 127 ? 127 : ls;
      y[i].scales[s] = (int8_t)ls;
      float dl = d * ls;
      for (int l = 0; l < 16; l++) {
        int q = dl ? (int)lroundf(x[s * 16 + l] / dl) : 0;
        q = q < -32 ? -32 : q > 31 ? 31 : q;
        L[s * 16 + l] = (uint8_t)(q + 32);
      }
    }
    uint8_t *ql = y[i].ql, *qh = y[i].qh;
    for (int j = 0; j < QK_K; j += 128) {
      for (int l = 0; l < 32; l++) {
        uint8_t q1 = L[j + l] & 0xf, q2 = L[j + l + 32] & 0xf, q3 = L[j + l + 64] & 0xf, q4 = L[j + l + 96] & 0xf;
        ql[l] = (uint8_t)(q1 | (q3 << 4));
        ql[l + 32] = (uint8_t)(q2 | (q4 << 4));
        qh[l] = (uint8_t)((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) |
                          ((L[j + l + 96] >> 4) << 6));
      }
      ql += 64;
      qh += 32;
    }
  }
}

/* ---- activations ---- */

/* Activations are quantized the way ggml does it on the CPU (q8_0 / q8_1 / q8_K rounding, the
 * scale stored at half precision for the 32-blocks), so fix's results track llama.cpp's closely. */
void ref_quantize_row_q8a(const float *x, void *vy, int64_t n) {
  struct block_q8a *y = vy;
  for (int64_t i = 0; i < n / QK; i++, x += QK) {
    float amax = 0;
    for (int j = 0; j < QK; j++)
      amax = fabsf(x[j]) > amax ? fabsf(x[j]) : amax;
    float d = amax / 127, id = d ? 1.0f / d : 0;
    int sum = 0;
    for (int j = 0; j < QK; j++) {
      /* to nearest, ties to even, as ggml's SIMD quantizers round (|x * id| <= 127 < 2^22) */
      int q = (int)((x[j] * id + 12582912.0f) - 12582912.0f);
      y[i].qs[j] = (int8_t)q;
      sum += q;
    }
    y[i].d = fix_f16_to_f32(fix_f32_to_f16(d));
    y[i].s = fix_f16_to_f32(fix_f32_to_f16(d * (float)sum));
    y[i].sum = sum;
  }
}

static inline int nearest_int(float f) { return (int)lrintf(f); }

void quantize_row_q8k(const float *x, void *vy, int64_t n) {
  struct block_q8k *y = vy;
  for (int64_t i = 0; i < n / QK_K; i++, x += QK_K) {
    float max = 0, amax = 0;
    for (int j = 0; j < QK_K; j++)
      if (fabsf(x[j]) > amax) {
        amax = fabsf(x[j]);
        max = x[j];
      }
    if (!amax) {
      memset(&y[i], 0, sizeof y[i]);
      continue;
    }
    float iscale = -127.f / max;
    for (int j = 0; j < QK_K; j++) {
      int v = nearest_int(iscale * x[j]);
      y[i].qs[j] = (int8_t)(v > 127 ? 127 : v);
    }
    for (int g = 0; g < QK_K / 16; g++) {
      int s = 0;
      for (int l = 0; l < 16; l++)
        s += y[i].qs[g * 16 + l];
      y[i].bsums[g] = (int16_t)s;
    }
    y[i].d = 1 / iscale;
  }
}

/* f16/bf16 weights dot activations rounded to the same precision, as ggml does */
void round_row_f16(float *x, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    x[i] = fix_f16_to_f32(fix_f32_to_f16(x[i]));
}

void round_row_bf16(float *x, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    x[i] = fix_bf16_to_f32(fix_f32_to_bf16(x[i]));
}

size_t act_row_size(enum act_type a, int64_t n) {
  switch (a) {
  case ACT_F32: return (size_t)n * sizeof(float);
  case ACT_Q8A: return (size_t)(n / QK) * sizeof(struct block_q8a);
  case ACT_Q8K: return (size_t)(n / QK_K) * sizeof(struct block_q8k);
  }
  return 0;
}

/* ---- the table ---- */

struct type_traits fix_types[FIX_T_COUNT] = {
    [FIX_T_F32] = {"F32", 1, 4, f32_to_float, f32_from_float, ACT_F32, ref_vec_dot_f32, ref_vec_dot_f32, NULL, NULL, NULL},
    [FIX_T_F16] = {"F16", 1, 2, f16_to_float, f16_from_float, ACT_F32, ref_vec_dot_f16, ref_vec_dot_f16, NULL, NULL, NULL},
    [FIX_T_BF16] = {"BF16", 1, 2, bf16_to_float, bf16_from_float, ACT_F32, ref_vec_dot_bf16, ref_vec_dot_bf16, NULL, NULL, NULL},
    [FIX_T_Q4_0] = {"Q4_0", QK, sizeof(struct block_q4_0), q4_0_to_float, q4_0_from_float, ACT_Q8A, ref_vec_dot_q4_0,
                    ref_vec_dot_q4_0, NULL, NULL, ref_packed_q4_0},
    [FIX_T_Q4_1] = {"Q4_1", QK, sizeof(struct block_q4_1), q4_1_to_float, q4_1_from_float, ACT_Q8A, ref_vec_dot_q4_1,
                    ref_vec_dot_q4_1, NULL, NULL, NULL},
    [FIX_T_Q5_0] = {"Q5_0", QK, sizeof(struct block_q5_0), q5_0_to_float, q5_0_from_float, ACT_Q8A, ref_vec_dot_q5_0,
                    ref_vec_dot_q5_0, NULL, NULL, NULL},
    [FIX_T_Q5_1] = {"Q5_1", QK, sizeof(struct block_q5_1), q5_1_to_float, q5_1_from_float, ACT_Q8A, ref_vec_dot_q5_1,
                    ref_vec_dot_q5_1, NULL, NULL, NULL},
    [FIX_T_Q8_0] = {"Q8_0", QK, sizeof(struct block_q8_0), q8_0_to_float, q8_0_from_float, ACT_Q8A, ref_vec_dot_q8_0,
                    ref_vec_dot_q8_0, NULL, NULL, ref_packed_q8_0},
    [FIX_T_Q4_K] = {"Q4_K", QK_K, sizeof(struct block_q4_K), q4_K_to_float, q4_K_from_float, ACT_Q8K,
                    ref_vec_dot_q4_K, ref_vec_dot_q4_K, NULL, NULL, ref_packed_q4_K},
    [FIX_T_Q5_K] = {"Q5_K", QK_K, sizeof(struct block_q5_K), q5_K_to_float, q5_K_from_float, ACT_Q8K,
                    ref_vec_dot_q5_K, ref_vec_dot_q5_K, NULL, NULL, NULL},
    [FIX_T_Q6_K] = {"Q6_K", QK_K, sizeof(struct block_q6_K), q6_K_to_float, q6_K_from_float, ACT_Q8K,
                    ref_vec_dot_q6_K, ref_vec_dot_q6_K, NULL, NULL, ref_packed_q6_K},
    /* known to the reader (sizes), not computed with */
    [FIX_T_Q8_1] = {"Q8_1", QK, 36, NULL, NULL, ACT_F32, NULL, NULL, NULL, NULL, NULL},
    [FIX_T_Q2_K] = {"Q2_K", QK_K, 84, NULL, NULL, ACT_F32, NULL, NULL, NULL, NULL, NULL},
    [FIX_T_Q3_K] = {"Q3_K", QK_K, 110, NULL, NULL, ACT_F32, NULL, NULL, NULL, NULL, NULL},
    [FIX_T_Q8_K] = {"Q8_K", QK_K, 292, NULL, NULL, ACT_F32, NULL, NULL, NULL, NULL, NULL},
};

size_t fix_type_block(int t) { return t >= 0 && t < FIX_T_COUNT ? fix_types[t].blck : 0; }
size_t fix_type_size(int t) { return t >= 0 && t < FIX_T_COUNT ? fix_types[t].size : 0; }
const char *fix_type_name(int t) { return t >= 0 && t < FIX_T_COUNT && fix_types[t].name ? fix_types[t].name : "unknown"; }
int fix_type_supported(int t) { return t >= 0 && t < FIX_T_COUNT && fix_types[t].vec_dot != NULL; }

size_t fix_type_row_size(int t, int64_t n) {
  size_t b = fix_type_block(t);
  if (!b || n <= 0 || n % (int64_t)b)
    return 0;
  return (size_t)(n / (int64_t)b) * fix_type_size(t);
}
