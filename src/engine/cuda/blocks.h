/* cuda/blocks.h — the GPU's view of ggml's weight blocks, shared by the CUDA kernels and the host
 * tests (plain C there): 32 values of a row (sub-block `sb`) as small integers with, per half of 16
 * values, a scale and an offset, so that value j = d[j / 16] * q[j] + m[j / 16], exactly as the
 * CPU's to_float computes it (the tests compare bit for bit). The integers meet int8 activations
 * in the one-token kernels (dp4a); the prompt kernels turn them into halves for the tensor cores.
 * F32, F16 and BF16 rows have no integer form: blk_float32 reads them. */
#ifndef FIX_ENGINE_CUDA_BLOCKS_H
#define FIX_ENGINE_CUDA_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__CUDACC__) || defined(FIX_CUDA_EMU)
#include <cuda_fp16.h>
#define BLK_FN static __host__ __device__ __forceinline__
BLK_FN float blk_f16(const uint8_t *p) {
  uint16_t h = (uint16_t)(p[0] | (p[1] << 8));
  return __half2float(__ushort_as_half(h));
}
#else
#define BLK_FN static inline
float fix_f16_to_f32(uint16_t h);
BLK_FN float blk_f16(const uint8_t *p) { return fix_f16_to_f32((uint16_t)(p[0] | (p[1] << 8))); }
#endif

BLK_FN float blk_bits_float(uint32_t u) {
  union {
    uint32_t u;
    float f;
  } c;
  c.u = u;
  return c.f;
}
BLK_FN uint32_t blk_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ggml type numbers (fix/gguf.h's FIX_T_*), repeated so the kernels need no host header */
enum { BLK_F32 = 0, BLK_F16 = 1, BLK_Q4_0 = 2, BLK_Q4_1 = 3, BLK_Q5_0 = 6, BLK_Q5_1 = 7, BLK_Q8_0 = 8,
       BLK_Q4_K = 12, BLK_Q5_K = 13, BLK_Q6_K = 14, BLK_BF16 = 30 };

/* bytes of one block and values in it */
BLK_FN int blk_bytes(int t) {
  switch (t) {
  case BLK_Q4_0: return 18;
  case BLK_Q4_1: return 20;
  case BLK_Q5_0: return 22;
  case BLK_Q5_1: return 24;
  case BLK_Q8_0: return 34;
  case BLK_Q4_K: return 144;
  case BLK_Q5_K: return 176;
  case BLK_Q6_K: return 210;
  case BLK_F32: return 4;
  default: return 2;
  }
}
BLK_FN int blk_values(int t) {
  return t == BLK_Q4_K || t == BLK_Q5_K || t == BLK_Q6_K ? 256 : t == BLK_F32 || t == BLK_F16 || t == BLK_BF16 ? 1 : 32;
}
BLK_FN int blk_is_float(int t) { return t == BLK_F32 || t == BLK_F16 || t == BLK_BF16; }

/* Q4_K/Q5_K: the 6-bit scale and min of 32-value group j (0-7) */
BLK_FN void blk_scale_min_k4(int j, const uint8_t *q, int *d, int *m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

/* Little-endian words at addresses the block layouts keep aligned (each matrix starts 256-byte
 * aligned on the device, and a row is whole blocks, so every block starts at a multiple of its size
 * from there: Q4_0, Q5_0, Q8_0 and Q6_K blocks are 2-byte aligned, Q4_1 and Q5_1 4, Q4_K and Q5_K 16):
 * one load instead of two or four on the GPU. The CPU emulation takes the same path and stops at a
 * misaligned one; plain C reads bytes. */
#if defined(__CUDA_ARCH__) || defined(FIX_CUDA_EMU)
#ifdef FIX_CUDA_EMU
#define BLK_ALIGNED(p, n) ((uintptr_t)(p) % (n) ? emu_misaligned((p), (n)) : (void)0)
void emu_misaligned(const void *p, int n);
#else
#define BLK_ALIGNED(p, n) ((void)0)
#endif
BLK_FN uint32_t blk_w16(const uint8_t *p) {
  BLK_ALIGNED(p, 2);
  return *(const uint16_t *)p;
}
BLK_FN uint32_t blk_w32(const uint8_t *p) {
  BLK_ALIGNED(p, 4);
  return *(const uint32_t *)p;
}
#else
BLK_FN uint32_t blk_w16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
BLK_FN uint32_t blk_w32(const uint8_t *p) { return blk_u32(p); }
#endif
/* a half-precision field at a 2-byte aligned address */
BLK_FN float blk_f16a(const uint8_t *p) {
#if defined(__CUDACC__) || defined(FIX_CUDA_EMU)
  return __half2float(__ushort_as_half((unsigned short)blk_w16(p)));
#else
  return fix_f16_to_f32((uint16_t)blk_w16(p));
#endif
}

/* Sub-block sb (values 32 sb .. 32 sb + 31) of a row of quantized type T: value j is
 * d[j / 16] * q[j] + m[j / 16]. T is a constant at the kernels' call sites (the switch folds). */
BLK_FN void blk_int32(int T, const uint8_t *row, int sb, int q[32], float d[2], float m[2]) {
  switch (T) {
  case BLK_Q4_0: { /* d, then 16 bytes: value j in byte j's low nibble, value j + 16 in its high one */
    const uint8_t *b = row + (size_t)sb * 18;
    for (int i = 0; i < 8; i++) {
      uint32_t w = blk_w16(b + 2 + 2 * i);
      q[2 * i] = (int)(w & 0xf) - 8;
      q[2 * i + 1] = (int)(w >> 8 & 0xf) - 8;
      q[2 * i + 16] = (int)(w >> 4 & 0xf) - 8;
      q[2 * i + 17] = (int)(w >> 12 & 0xf) - 8;
    }
    d[0] = d[1] = blk_f16a(b);
    m[0] = m[1] = 0;
    break;
  }
  case BLK_Q4_1: {
    const uint8_t *b = row + (size_t)sb * 20;
    for (int i = 0; i < 4; i++) {
      uint32_t w = blk_w32(b + 4 + 4 * i);
      for (int k = 0; k < 4; k++) {
        q[4 * i + k] = (int)(w >> 8 * k & 0xf);
        q[4 * i + k + 16] = (int)(w >> (8 * k + 4) & 0xf);
      }
    }
    d[0] = d[1] = blk_f16a(b);
    m[0] = m[1] = blk_f16a(b + 2);
    break;
  }
  case BLK_Q5_0:
  case BLK_Q5_1: { /* as Q4, with the fifth bits of the 32 values in qh */
    int one = T == BLK_Q5_1, off = one ? 2 : 0;
    const uint8_t *b = row + (size_t)sb * (one ? 24 : 22);
    uint32_t qh = blk_w16(b + 2 + off) | blk_w16(b + 4 + off) << 16;
    for (int i = 0; i < 8; i++) {
      uint32_t w = blk_w16(b + 6 + off + 2 * i);
      for (int k = 0; k < 2; k++) {
        int j = 2 * i + k;
        q[j] = (int)((w >> 8 * k & 0xf) | ((qh >> j & 1) << 4)) - (one ? 0 : 16);
        q[j + 16] = (int)((w >> (8 * k + 4) & 0xf) | ((qh >> (j + 16) & 1) << 4)) - (one ? 0 : 16);
      }
    }
    d[0] = d[1] = blk_f16a(b);
    m[0] = m[1] = one ? blk_f16a(b + 2) : 0.0f;
    break;
  }
  case BLK_Q8_0: {
    const uint8_t *b = row + (size_t)sb * 34;
    for (int i = 0; i < 16; i++) {
      uint32_t w = blk_w16(b + 2 + 2 * i);
      q[2 * i] = (int)(int8_t)(w & 0xff);
      q[2 * i + 1] = (int)(int8_t)(w >> 8);
    }
    d[0] = d[1] = blk_f16a(b);
    m[0] = m[1] = 0;
    break;
  }
  case BLK_Q4_K:
  case BLK_Q5_K: { /* group g of 8: the low (g even) or high nibbles of qs[32 (g / 2) ..], + 16 where qh's bit g is set */
    int five = T == BLK_Q5_K, g = sb & 7, p = g >> 1, hi = g & 1;
    const uint8_t *b = row + (size_t)(sb >> 3) * (five ? 176 : 144);
    const uint8_t *qs = b + (five ? 48 : 16) + 32 * p, *qh = b + 16;
    int sc, mn;
    blk_scale_min_k4(g, b + 4, &sc, &mn);
    for (int i = 0; i < 8; i++) {
      uint32_t w = blk_w32(qs + 4 * i), h = five ? blk_w32(qh + 4 * i) : 0;
      for (int k = 0; k < 4; k++)
        q[4 * i + k] = (int)(w >> (8 * k + 4 * hi) & 0xf) + (int)((h >> (8 * k + g) & 1) << 4);
    }
    d[0] = d[1] = blk_f16a(b) * (float)sc;
    m[0] = m[1] = -(blk_f16a(b + 2) * (float)mn);
    break;
  }
  case BLK_Q6_K: { /* quarter k of half c: 4 low bits from ql, 2 high bits from qh, two scales of 16 values */
    int g = sb & 7, c = g >> 2, k = g & 3;
    const uint8_t *b = row + (size_t)(sb >> 3) * 210;
    const uint8_t *ql = b + 64 * c + (k & 1) * 32, *qh = b + 128 + 32 * c;
    const int8_t *scl = (const int8_t *)(b + 192) + 8 * c + 2 * k;
    for (int i = 0; i < 16; i++) {
      uint32_t l = blk_w16(ql + 2 * i), h = blk_w16(qh + 2 * i);
      for (int e = 0; e < 2; e++)
        q[2 * i + e] = (int)((l >> (8 * e + 4 * (k >> 1)) & 0xf) | ((h >> (8 * e + 2 * k) & 3) << 4)) - 32;
    }
    float s = blk_f16a(b + 208);
    d[0] = s * (float)scl[0];
    d[1] = s * (float)scl[1];
    m[0] = m[1] = 0;
    break;
  }
  default:
    for (int j = 0; j < 32; j++)
      q[j] = 0;
    d[0] = d[1] = m[0] = m[1] = 0;
  }
}

/* The same 32 values of an F32, F16 or BF16 row. */
BLK_FN void blk_float32(int T, const uint8_t *row, int sb, float v[32]) {
  const uint8_t *b = row + (size_t)sb * 32 * (T == BLK_F32 ? 4 : 2);
  for (int j = 0; j < 32; j++)
    v[j] = T == BLK_F32 ? blk_bits_float(blk_u32(b + 4 * j))
           : T == BLK_F16 ? blk_f16(b + 2 * j)
                          : blk_bits_float((uint32_t)(b[2 * j] | (b[2 * j + 1] << 8)) << 16);
}

/* ---- the one-token kernels' arithmetic: a sub-block against 32 int8 activations ---- */

/* c + the dot product of the four signed bytes of a and b (the dp4a instruction) */
BLK_FN int blk_dp4a(int a, int b, int c) {
#ifdef __CUDA_ARCH__
  return __dp4a(a, b, c);
#else
  for (int i = 0; i < 4; i++)
    c += (int)(int8_t)(uint8_t)((uint32_t)a >> (8 * i)) * (int)(int8_t)(uint8_t)((uint32_t)b >> (8 * i));
  return c;
#endif
}

/* q[32] (each within int8) as eight words of four bytes, value 4i + k in byte k of word i */
BLK_FN void blk_pack8(const int q[32], int w[8]) {
  for (int i = 0; i < 8; i++)
    w[i] = (q[4 * i] & 0xff) | ((q[4 * i + 1] & 0xff) << 8) | ((q[4 * i + 2] & 0xff) << 16) |
           (int)((uint32_t)q[4 * i + 3] << 24);
}

/* sum over j of (d[j/16] q[j] + m[j/16]) * ad * a[j], for packed weights w and activations a (the
 * CPU's q8a block: a[j] int8, scale ad): integer sums per 16 values, then the scales */
BLK_FN float blk_dot_q8(const int w[8], const float d[2], const float m[2], const int a[8], float ad) {
  int s0 = 0, s1 = 0, u0 = 0, u1 = 0;
  for (int j = 0; j < 4; j++) {
    s0 = blk_dp4a(w[j], a[j], s0);
    u0 = blk_dp4a(0x01010101, a[j], u0);
    s1 = blk_dp4a(w[j + 4], a[j + 4], s1);
    u1 = blk_dp4a(0x01010101, a[j + 4], u1);
  }
  return ad * (d[0] * (float)s0 + m[0] * (float)u0 + d[1] * (float)s1 + m[1] * (float)u1);
}

/* Value j of the 32 that blk_int32 or blk_float32 give, as a float. */
BLK_FN void blk_values32(int T, const uint8_t *row, int sb, float v[32]) {
  if (blk_is_float(T)) {
    blk_float32(T, row, sb, v);
    return;
  }
  int q[32];
  float d[2], m[2];
  blk_int32(T, row, sb, q, d, m);
  for (int j = 0; j < 32; j++)
    v[j] = d[j >> 4] * (float)q[j] + m[j >> 4];
}

#endif
