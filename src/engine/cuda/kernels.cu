/* cuda/kernels.cu — the forward pass's kernels other than the matrix products: embedding rows,
 * RMSNorm, activation quantization, biases + RoPE + the KV cache store, attention (split over the
 * sequence, then combined) and SwiGLU. Arithmetic follows forward.c's CPU reference: the norm's sum
 * of squares in double, queries rounded to half precision before they meet the f16 keys, RoPE's
 * angles as pos * base^(-2i/D). */
#include "kernels.cuh"

#include "blocks.h"

#include <math.h>

/* ---- embedding ---- */

__global__ void k_embed(dmat e, const int32_t *tok, float *x) {
  int t = blockIdx.x, nsb = e.ne0 / 32;
  const uint8_t *row = e.data + (size_t)tok[t] * e.row;
  for (int sb = threadIdx.x; sb < nsb; sb += blockDim.x) {
    float v[32];
    blk_values32(e.type, row, sb, v);
    float4 *o = (float4 *)(x + (size_t)t * e.ne0 + 32 * sb);
#pragma unroll
    for (int j = 0; j < 8; j++)
      o[j] = make_float4(v[4 * j], v[4 * j + 1], v[4 * j + 2], v[4 * j + 3]);
  }
}

void launch_embed(cudaStream_t s, const dmat &e, const int32_t *tok, int n, float *x) {
  LAUNCH(k_embed, n, 128, 0, s)(e, tok, x);
}

/* ---- int8 activations, RMSNorm ---- */

/* one warp's 32 values as int8 with their scale (the CPU's q8a rounding), lane = value */
__device__ __forceinline__ void warp_q8(float v, int8_t *q, float *d) {
  float a = fabsf(v);
  for (int o = 16; o; o >>= 1)
    a = fmaxf(a, __shfl_xor_sync(0xffffffffu, a, o));
  float dd = a / 127, id = dd != 0.0f ? 1.0f / dd : 0.0f;
  q[threadIdx.x & 31] = (int8_t)__float2int_rn(v * id);
  if ((threadIdx.x & 31) == 0)
    *d = __half2float(__float2half_rn(dd));
}

/* activations to int8 blocks of 32, one warp a block */
__global__ void k_quant_q8(const float *x, int ldx, int ne, int8_t *xq, float *xd) {
  int t = blockIdx.y, b = blockIdx.x * (blockDim.x / 32) + (threadIdx.x >> 5);
  if (b >= ne / 32)
    return;
  warp_q8(x[(size_t)t * ldx + 32 * b + (threadIdx.x & 31)], xq + (size_t)t * ne + 32 * b, xd + (size_t)t * (ne / 32) + b);
}

void launch_quant_q8(cudaStream_t s, const float *x, int ldx, int nt, int ne, int8_t *xq, float *xd) {
  dim3 grid((ne / 32 + 7) / 8, nt);
  LAUNCH(k_quant_q8, grid, 256, 0, s)(x, ldx, ne, xq, xd);
}

/* A block a row; with xq, the output's int8 form too, in the same pass (E % 32 == 0: one warp a
 * 32-value block) */
__global__ void k_rmsnorm(const float *x, const float *w, int E, float eps, float *out, int8_t *xq, float *xd) {
  __shared__ double part[32];
  const float *xr = x + (size_t)blockIdx.x * E;
  double ss = 0;
  for (int i = threadIdx.x; i < E; i += blockDim.x)
    ss += (double)xr[i] * xr[i];
  for (int o = 16; o; o >>= 1)
    ss += __shfl_xor_sync(0xffffffffu, ss, o);
  if ((threadIdx.x & 31) == 0)
    part[threadIdx.x >> 5] = ss;
  __syncthreads();
  if (threadIdx.x < 32) {
    ss = threadIdx.x < blockDim.x / 32 ? part[threadIdx.x] : 0;
    for (int o = 16; o; o >>= 1)
      ss += __shfl_xor_sync(0xffffffffu, ss, o);
    if (threadIdx.x == 0)
      part[0] = ss;
  }
  __syncthreads();
  float sc = 1.0f / sqrtf((float)(part[0] / E) + eps);
  float *orow = out + (size_t)blockIdx.x * E;
  if (!xq) {
    for (int i = threadIdx.x; i < E; i += blockDim.x)
      orow[i] = xr[i] * sc * w[i];
    return;
  }
  for (int b = threadIdx.x >> 5; b < E / 32; b += blockDim.x / 32) {
    int i = 32 * b + (threadIdx.x & 31);
    float v = xr[i] * sc * w[i];
    orow[i] = v;
    warp_q8(v, xq + (size_t)blockIdx.x * E + 32 * b, xd + (size_t)blockIdx.x * (E / 32) + b);
  }
}

void launch_rmsnorm(cudaStream_t s, const float *x, const float *w, int n, int E, float eps, float *out) {
  LAUNCH(k_rmsnorm, n, 256, 0, s)(x, w, E, eps, out, (int8_t *)NULL, (float *)NULL);
}

void launch_rmsnorm_q8(cudaStream_t s, const float *x, const float *w, int n, int E, float eps, float *out, int8_t *xq,
                       float *xd) {
  LAUNCH(k_rmsnorm, n, 256, 0, s)(x, w, E, eps, out, xq, xd);
}

/* ---- biases, RoPE, cache store ---- */

__device__ __forceinline__ void rope_pair(float *v, int i, int D, int pos, float base, int neox) {
  float theta = (float)pos * powf(base, -2.0f * (float)i / (float)D);
  float cs = cosf(theta), sn = sinf(theta);
  int a = neox ? i : 2 * i, b = neox ? i + D / 2 : 2 * i + 1;
  float x0 = v[a], x1 = v[b];
  v[a] = x0 * cs - x1 * sn;
  v[b] = x0 * sn + x1 * cs;
}

__global__ void k_qkv_post(attn_geom g, float *q, float *k, float *v, const float *bq, const float *bk,
                           const float *bv, const int *seqs, const int *poss, int layer, __half *kc, __half *vc) {
  int t = blockIdx.x, D = g.head_dim, qd = g.n_head * D, kvd = g.n_head_kv * D;
  int pos = poss[t], seq = seqs[t];
  float *qt = q + (size_t)t * qd, *kt = k + (size_t)t * kvd, *vt = v + (size_t)t * kvd;
  if (bq) {
    for (int i = threadIdx.x; i < qd; i += blockDim.x)
      qt[i] += bq[i];
    for (int i = threadIdx.x; i < kvd; i += blockDim.x)
      kt[i] += bk[i], vt[i] += bv[i];
    __syncthreads();
  }
  int half = D / 2;
  for (int i = threadIdx.x; i < g.n_head * half; i += blockDim.x)
    rope_pair(qt + (size_t)(i / half) * D, i % half, D, pos, g.rope_theta, g.rope_neox);
  for (int i = threadIdx.x; i < g.n_head_kv * half; i += blockDim.x)
    rope_pair(kt + (size_t)(i / half) * D, i % half, D, pos, g.rope_theta, g.rope_neox);
  __syncthreads();
  size_t at = (((size_t)layer * g.n_seq + seq) * g.n_ctx + pos) * kvd;
  for (int i = threadIdx.x; i < kvd; i += blockDim.x) {
    kc[at + i] = __float2half_rn(kt[i]);
    vc[at + i] = __float2half_rn(vt[i]);
  }
}

/* the layer is folded into the cache pointers by the caller */
void launch_qkv_post(cudaStream_t s, const attn_geom &g, int n, float *q, float *k, float *v, const float *bq,
                     const float *bk, const float *bv, const int *seq, const int *pos, __half *kc, __half *vc) {
  LAUNCH(k_qkv_post, n, 128, 0, s)(g, q, k, v, bq, bk, bv, seq, pos, 0, kc, vc);
}

/* ---- attention ----
 * Block (token t, KV head h, split s): the G = n_head / n_head_kv query heads sharing KV head h,
 * over the positions of split s up to the token's own (causal). Keys ATT_TILE at a time: one thread
 * a key for the scores (each K row read once for the G heads), one warp a head for the running
 * maximum and sum (online softmax), one thread a dimension for the weighted V rows (coalesced). */
#define ATT_MAXG 16
#define ATT_MAXD 256

__global__ void __launch_bounds__(128) k_attn_split(attn_geom g, const float *q, const int *seqs, const int *poss,
                                                    const __half *kc, const __half *vc, float *opart, float2 *ml) {
  __shared__ float qs[ATT_MAXG * ATT_MAXD];
  __shared__ float sc[ATT_MAXG][ATT_TILE];
  __shared__ float mrun[ATT_MAXG], lrun[ATT_MAXG], alpha[ATT_MAXG];
  int t = blockIdx.x, h = blockIdx.y, sp = blockIdx.z, tid = threadIdx.x;
  int D = g.head_dim, G = g.n_head / g.n_head_kv, kvd = g.n_head_kv * D;
  int pos = poss[t], seq = seqs[t];
  int start = sp * g.split_len, end = min(start + g.split_len, pos + 1);
  size_t po = ((size_t)t * g.n_head + (size_t)h * G) * g.n_split + sp; /* partial of head h*G + gi: po + gi*n_split */
  if (start >= end) {
    if (tid < G)
      ml[po + (size_t)tid * g.n_split] = make_float2(-INFINITY, 0.0f);
    return;
  }
  float scale = 1.0f / sqrtf((float)D);
  for (int i = tid; i < G * D; i += blockDim.x)
    qs[i] = __half2float(__float2half_rn(q[(size_t)t * g.n_head * D + (size_t)h * G * D + i]));
  if (tid < G)
    mrun[tid] = -INFINITY, lrun[tid] = 0;
  float acc[ATT_MAXG][2];
#pragma unroll
  for (int gi = 0; gi < ATT_MAXG; gi++)
    acc[gi][0] = acc[gi][1] = 0;
  const __half *kb = kc + (size_t)seq * g.n_ctx * kvd + (size_t)h * D;
  const __half *vb = vc + (size_t)seq * g.n_ctx * kvd + (size_t)h * D;
  __syncthreads();
  for (int k0 = start; k0 < end; k0 += ATT_TILE) {
    int nk = min(ATT_TILE, end - k0);
    if (tid < nk) {
      const uint4 *kr = (const uint4 *)(kb + (size_t)(k0 + tid) * kvd); /* 8 halves a load (D % 8 == 0) */
      float dot[ATT_MAXG];
#pragma unroll
      for (int gi = 0; gi < ATT_MAXG; gi++)
        dot[gi] = 0;
      for (int d8 = 0; d8 < D / 8; d8++) {
        union {
          uint4 u;
          __half2 h[4];
        } raw; /* not a cast of a local's address: that is undefined in C++ (the CPU emulation's -O2 broke on it) */
        raw.u = kr[d8];
#pragma unroll
        for (int e = 0; e < 4; e++) {
          float2 kv = __half22float2(raw.h[e]);
          int d = 8 * d8 + 2 * e;
#pragma unroll
          for (int gi = 0; gi < ATT_MAXG; gi++)
            if (gi < G)
              dot[gi] += qs[gi * D + d] * kv.x + qs[gi * D + d + 1] * kv.y;
        }
      }
#pragma unroll
      for (int gi = 0; gi < ATT_MAXG; gi++)
        if (gi < G)
          sc[gi][tid] = dot[gi] * scale;
    }
    __syncthreads();
    int warp = tid >> 5, lane = tid & 31;
    for (int gi = warp; gi < G; gi += blockDim.x / 32) {
      float mx = -INFINITY;
      for (int j = lane; j < nk; j += 32)
        mx = fmaxf(mx, sc[gi][j]);
      for (int o = 16; o; o >>= 1)
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, o));
      float mnew = fmaxf(mrun[gi], mx), sum = 0;
      for (int j = lane; j < nk; j += 32) {
        float p = expf(sc[gi][j] - mnew);
        sc[gi][j] = p;
        sum += p;
      }
      for (int o = 16; o; o >>= 1)
        sum += __shfl_xor_sync(0xffffffffu, sum, o);
      if (lane == 0) {
        float a = expf(mrun[gi] - mnew); /* exp(-inf) = 0 on the first tile */
        alpha[gi] = a;
        lrun[gi] = lrun[gi] * a + sum;
        mrun[gi] = mnew;
      }
    }
    __syncthreads();
#pragma unroll
    for (int c = 0; c < 2; c++) {
      int d = tid + c * 128;
      if (d < D) {
#pragma unroll
        for (int gi = 0; gi < ATT_MAXG; gi++)
          if (gi < G)
            acc[gi][c] *= alpha[gi];
        for (int j = 0; j < nk; j++) {
          float vv = __half2float(vb[(size_t)(k0 + j) * kvd + d]);
#pragma unroll
          for (int gi = 0; gi < ATT_MAXG; gi++)
            if (gi < G)
              acc[gi][c] += sc[gi][j] * vv;
        }
      }
    }
    __syncthreads();
  }
#pragma unroll
  for (int c = 0; c < 2; c++) {
    int d = tid + c * 128;
    if (d < D)
#pragma unroll
      for (int gi = 0; gi < ATT_MAXG; gi++)
        if (gi < G)
          opart[(po + (size_t)gi * g.n_split) * D + d] = acc[gi][c];
  }
  if (tid < G)
    ml[po + (size_t)tid * g.n_split] = make_float2(mrun[tid], lrun[tid]);
}

/* block (token, head): the splits' partials weighted by exp(m_s - max m); with xq, the output's
 * int8 form too (blockDim.x == D: each warp one 32-value block) */
__global__ void k_attn_combine(attn_geom g, const float *opart, const float2 *ml, float *out, int8_t *xq, float *xd) {
  int t = blockIdx.x, hd = blockIdx.y, D = g.head_dim;
  size_t po = ((size_t)t * g.n_head + hd) * g.n_split;
  float M = -INFINITY;
  for (int s = 0; s < g.n_split; s++)
    M = fmaxf(M, ml[po + s].x);
  for (int d = threadIdx.x; d < D; d += blockDim.x) {
    float num = 0, den = 0;
    for (int s = 0; s < g.n_split; s++) {
      float2 p = ml[po + s];
      if (p.y > 0) {
        float w = expf(p.x - M);
        num += w * opart[(po + s) * D + d];
        den += w * p.y;
      }
    }
    size_t at = ((size_t)t * g.n_head + hd) * D + d;
    out[at] = num / den;
    if (xq)
      warp_q8(num / den, xq + (at & ~(size_t)31), xd + at / 32);
  }
}

/* kc/vc: the layer's caches ([seq][pos][kvd]) */
void launch_attention(cudaStream_t s, const attn_geom &g, int n, const float *q, const int *seq, const int *pos,
                      const __half *kc, const __half *vc, float *opart, float2 *ml, float *out, int8_t *xq,
                      float *xd) {
  dim3 grid(n, g.n_head_kv, g.n_split);
  LAUNCH(k_attn_split, grid, 128, 0, s)(g, q, seq, pos, kc, vc, opart, ml);
  /* with xq, one thread a dimension (D is a multiple of 32 then: gpu_model_supported) */
  LAUNCH(k_attn_combine, dim3(n, g.n_head), xq ? g.head_dim : 128, 0, s)(g, opart, ml, out, xq, xd);
}

/* ---- SwiGLU ---- */

__global__ void k_swiglu(float *gt, const float *u, long n) {
  for (long i = blockIdx.x * (long)blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x)
    gt[i] = gt[i] / (1.0f + expf(-gt[i])) * u[i];
}

void launch_swiglu(cudaStream_t s, float *g, const float *u, long n) {
  long blocks = (n + 255) / 256;
  LAUNCH(k_swiglu, (unsigned)(blocks < 65535 ? blocks : 65535), 256, 0, s)(g, u, n);
}
