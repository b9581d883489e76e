/* kernels/ref.c — the scalar reference dot products: one weight row against one quantized
 * activation row. Integer sums inside blocks, float across blocks, as ggml does. Always built;
 * the SIMD kernels are tested against these. */
#include "../quant.h"

#include <math.h>
#include <string.h>

void ref_vec_dot_f32(int n, float *s, const void *w, const void *a) {
  const float *x = w, *y = a;
  double sum = 0;
  for (int i = 0; i < n; i++)
    sum += (double)x[i] * y[i];
  *s = (float)sum;
}

void ref_vec_dot_f16(int n, float *s, const void *w, const void *a) {
  const uint16_t *x = w;
  const float *y = a;
  double sum = 0;
  for (int i = 0; i < n; i++)
    sum += (double)fix_f16_to_f32(x[i]) * y[i];
  *s = (float)sum;
}

void ref_vec_dot_bf16(int n, float *s, const void *w, const void *a) {
  const uint16_t *x = w;
  const float *y = a;
  double sum = 0;
  for (int i = 0; i < n; i++)
    sum += (double)fix_bf16_to_f32(x[i]) * y[i];
  *s = (float)sum;
}

void ref_vec_dot_q4_0(int n, float *s, const void *w, const void *a) {
  const struct block_q4_0 *x = w;
  const struct block_q8a *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK; i++) {
    int acc = 0;
    for (int j = 0; j < QK / 2; j++)
      acc += ((x[i].qs[j] & 0xf) - 8) * y[i].qs[j] + ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + QK / 2];
    sum += fix_f16_to_f32(x[i].d) * y[i].d * (float)acc;
  }
  *s = sum;
}

void ref_vec_dot_q4_1(int n, float *s, const void *w, const void *a) {
  const struct block_q4_1 *x = w;
  const struct block_q8a *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK; i++) {
    int acc = 0;
    for (int j = 0; j < QK / 2; j++)
      acc += (x[i].qs[j] & 0xf) * y[i].qs[j] + (x[i].qs[j] >> 4) * y[i].qs[j + QK / 2];
    sum += fix_f16_to_f32(x[i].d) * y[i].d * (float)acc + fix_f16_to_f32(x[i].m) * y[i].s;
  }
  *s = sum;
}

void ref_vec_dot_q5_0(int n, float *s, const void *w, const void *a) {
  const struct block_q5_0 *x = w;
  const struct block_q8a *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK; i++) {
    uint32_t qh;
    memcpy(&qh, x[i].qh, 4);
    int acc = 0;
    for (int j = 0; j < QK / 2; j++) {
      int x0 = ((x[i].qs[j] & 0xf) | (((qh >> j) & 1) << 4)) - 16;
      int x1 = ((x[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - 16;
      acc += x0 * y[i].qs[j] + x1 * y[i].qs[j + QK / 2];
    }
    sum += fix_f16_to_f32(x[i].d) * y[i].d * (float)acc;
  }
  *s = sum;
}

void ref_vec_dot_q5_1(int n, float *s, const void *w, const void *a) {
  const struct block_q5_1 *x = w;
  const struct block_q8a *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK; i++) {
    uint32_t qh;
    memcpy(&qh, x[i].qh, 4);
    int acc = 0;
    for (int j = 0; j < QK / 2; j++) {
      int x0 = (x[i].qs[j] & 0xf) | (((qh >> j) & 1) << 4);
      int x1 = (x[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
      acc += x0 * y[i].qs[j] + x1 * y[i].qs[j + QK / 2];
    }
    sum += fix_f16_to_f32(x[i].d) * y[i].d * (float)acc + fix_f16_to_f32(x[i].m) * y[i].s;
  }
  *s = sum;
}

void ref_vec_dot_q8_0(int n, float *s, const void *w, const void *a) {
  const struct block_q8_0 *x = w;
  const struct block_q8a *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK; i++) {
    int acc = 0;
    for (int j = 0; j < QK; j++)
      acc += x[i].qs[j] * y[i].qs[j];
    sum += fix_f16_to_f32(x[i].d) * y[i].d * (float)acc;
  }
  *s = sum;
}

static void scale_min(int j, const uint8_t *q, int *d, int *m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

void ref_vec_dot_q4_K(int n, float *s, const void *w, const void *a) {
  const struct block_q4_K *x = w;
  const struct block_q8k *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK_K; i++) {
    const uint8_t *q = x[i].qs;
    const int8_t *p = y[i].qs;
    int sumi = 0, summ = 0;
    for (int sb = 0; sb < 8; sb += 2) {
      int sc0, m0, sc1, m1;
      scale_min(sb, x[i].scales, &sc0, &m0);
      scale_min(sb + 1, x[i].scales, &sc1, &m1);
      int a0 = 0, a1 = 0;
      for (int l = 0; l < 32; l++) {
        a0 += (q[l] & 0xf) * p[l];
        a1 += (q[l] >> 4) * p[l + 32];
      }
      sumi += sc0 * a0 + sc1 * a1;
      summ += m0 * (y[i].bsums[sb * 2] + y[i].bsums[sb * 2 + 1]) + m1 * (y[i].bsums[sb * 2 + 2] + y[i].bsums[sb * 2 + 3]);
      q += 32;
      p += 64;
    }
    sum += y[i].d * (fix_f16_to_f32(x[i].d) * (float)sumi - fix_f16_to_f32(x[i].dmin) * (float)summ);
  }
  *s = sum;
}

void ref_vec_dot_q5_K(int n, float *s, const void *w, const void *a) {
  const struct block_q5_K *x = w;
  const struct block_q8k *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK_K; i++) {
    const uint8_t *ql = x[i].qs, *qh = x[i].qh;
    const int8_t *p = y[i].qs;
    int sumi = 0, summ = 0;
    uint8_t u1 = 1, u2 = 2;
    for (int sb = 0; sb < 8; sb += 2) {
      int sc0, m0, sc1, m1;
      scale_min(sb, x[i].scales, &sc0, &m0);
      scale_min(sb + 1, x[i].scales, &sc1, &m1);
      int a0 = 0, a1 = 0;
      for (int l = 0; l < 32; l++) {
        a0 += ((ql[l] & 0xf) + (qh[l] & u1 ? 16 : 0)) * p[l];
        a1 += ((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) * p[l + 32];
      }
      sumi += sc0 * a0 + sc1 * a1;
      summ += m0 * (y[i].bsums[sb * 2] + y[i].bsums[sb * 2 + 1]) + m1 * (y[i].bsums[sb * 2 + 2] + y[i].bsums[sb * 2 + 3]);
      ql += 32;
      p += 64;
      u1 <<= 2;
      u2 <<= 2;
    }
    sum += y[i].d * (fix_f16_to_f32(x[i].d) * (float)sumi - fix_f16_to_f32(x[i].dmin) * (float)summ);
  }
  *s = sum;
}

void ref_vec_dot_q6_K(int n, float *s, const void *w, const void *a) {
  const struct block_q6_K *x = w;
  const struct block_q8k *y = a;
  float sum = 0;
  for (int i = 0; i < n / QK_K; i++) {
    const uint8_t *ql = x[i].ql, *qh = x[i].qh;
    const int8_t *sc = x[i].scales, *p = y[i].qs;
    int sumi = 0;
    for (int c = 0; c < QK_K; c += 128) {
      int acc[8] = {0};
      for (int l = 0; l < 32; l++) {
        int is = l / 16;
        int q1 = ((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32;
        int q2 = ((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32;
        int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
        int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
        acc[is + 0] += q1 * p[l];
        acc[is + 2] += q2 * p[l + 32];
        acc[is + 4] += q3 * p[l + 64];
        acc[is + 6] += q4 * p[l + 96];
      }
      for (int k = 0; k < 8; k++)
        sumi += sc[k] * acc[k];
      ql += 64;
      qh += 32;
      sc += 8;
      p += 128;
    }
    sum += y[i].d * fix_f16_to_f32(x[i].d) * (float)sumi;
  }
  *s = sum;
}

void ref_attn_scores(int D, int nq, const float *q, const uint16_t *k, size_t ks, int np, float scale, float *sc,
                     size_t scs, float *tmp) {
  (void)tmp;
  for (int i = 0; i < nq; i++)
    for (int p = 0; p < np; p++) {
      float s = 0;
      for (int d = 0; d < D; d++)
        s += q[(size_t)i * (size_t)D + (size_t)d] * fix_f16_to_f32(k[(size_t)p * ks + (size_t)d]);
      sc[(size_t)i * scs + (size_t)p] = s * scale;
    }
}

void ref_attn_values(int D, int nq, const float *w, size_t ws, const int *np, const uint16_t *v, size_t vs, float *o,
                     float *tmp) {
  (void)tmp;
  for (int i = 0; i < nq; i++) {
    float *oi = o + (size_t)i * (size_t)D;
    memset(oi, 0, (size_t)D * sizeof *oi);
    for (int p = 0; p < np[i]; p++)
      ref_axpy_f16(D, w[(size_t)i * ws + (size_t)p], v + (size_t)p * vs, oi);
  }
}

void ref_softmax_f16(float *x, int n) {
  float max = -INFINITY;
  for (int p = 0; p < n; p++)
    max = x[p] > max ? x[p] : max;
  double sum = 0;
  for (int p = 0; p < n; p++) {
    x[p] = expf(x[p] - max);
    sum += x[p];
  }
  float inv = (float)(1.0 / sum);
  for (int p = 0; p < n; p++)
    x[p] = fix_f16_to_f32(fix_f32_to_f16(x[p] * inv));
}

void ref_swiglu(float *g, const float *u, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    g[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

void ref_axpy_f16(int n, float a, const uint16_t *x, float *y) {
  for (int i = 0; i < n; i++)
    y[i] += a * fix_f16_to_f32(x[i]);
}
