/* cuda/matmul.cu — matrix products against weights in ggml's block formats.
 *
 * One-token kernels (up to MV_MAX_TOK tokens: a decode step, the candidates decoded together, a
 * token and its drafts): one warp a weight row, one lane a 32-value sub-block, decoded in registers
 * (blocks.h) and met by the tokens' int8 activations with dp4a, each weight byte read once for all
 * the tokens; F32/F16/BF16 rows meet f32 activations. The sum across the warp by shuffles.
 *
 * Prompt kernel (more tokens): tiles of 64 rows x 64 tokens through the tensor cores (wmma,
 * f16 x f16 -> f32, sm_70+): each step a sub-block of 64 rows is decoded into shared memory as
 * halves and 64 tokens' activations converted beside it. */
#include "kernels.cuh"

#include "blocks.h"

#include <mma.h>

/* ---- one-token kernels ---- */

/* lane's part of W[r] . x[t] for the NT tokens: quantized rows */
template <int T, int NT>
__device__ __forceinline__ void mv_int_part(const uint8_t *row, int nsb, const int8_t *xq, const float *xd, int ne,
                                            float acc[NT]) {
  for (int sb = threadIdx.x & 31; sb < nsb; sb += 32) {
    int q[32];
    float d[2], m[2];
    blk_int32(T, row, sb, q, d, m);
    int w[8];
    blk_pack8(q, w);
#pragma unroll
    for (int t = 0; t < NT; t++) {
      const int4 *a4 = (const int4 *)(xq + (size_t)t * ne + 32 * sb); /* 16-byte loads */
      int4 lo = a4[0], hi = a4[1];
      int a[8] = {lo.x, lo.y, lo.z, lo.w, hi.x, hi.y, hi.z, hi.w};
      acc[t] += blk_dot_q8(w, d, m, a, xd[(size_t)t * (ne / 32) + sb]);
    }
  }
}

/* float rows (F32, F16, BF16) against f32 activations */
template <int T, int NT>
__device__ __forceinline__ void mv_float_part(const uint8_t *row, int nsb, const float *x, int ldx, float acc[NT]) {
  for (int sb = threadIdx.x & 31; sb < nsb; sb += 32) {
    float v[32];
    blk_float32(T, row, sb, v);
#pragma unroll
    for (int t = 0; t < NT; t++) {
      const float4 *x4 = (const float4 *)(x + (size_t)t * ldx + 32 * sb);
      float s = 0;
#pragma unroll
      for (int j = 0; j < 8; j++) {
        float4 a = x4[j];
        s += v[4 * j] * a.x + v[4 * j + 1] * a.y + v[4 * j + 2] * a.z + v[4 * j + 3] * a.w;
      }
      acc[t] += s;
    }
  }
}

template <int NT>
__device__ __forceinline__ void warp_sum(float acc[NT]) {
#pragma unroll
  for (int t = 0; t < NT; t++)
    for (int o = 16; o; o >>= 1)
      acc[t] += __shfl_xor_sync(0xffffffffu, acc[t], o);
}

template <int T, int NT>
__device__ __forceinline__ void mv_row(const dmat &w, int r, const float *x, int ldx, const int8_t *xq,
                                       const float *xd, float acc[NT]) {
#pragma unroll
  for (int t = 0; t < NT; t++)
    acc[t] = 0;
  const uint8_t *row = w.data + (size_t)r * w.row;
  if (blk_is_float(T))
    mv_float_part<T, NT>(row, w.ne0 / 32, x, ldx, acc);
  else
    mv_int_part<T, NT>(row, w.ne0 / 32, xq, xd, w.ne0, acc);
  warp_sum<NT>(acc);
}

/* Up to three matrices of one type and row length against the same activations, in one launch
 * (attention's q, k and v): warp i takes row i of their rows end to end. */
struct mv_group {
  dmat w[3];
  float *y[3];
  int ldy[3];
  int end[3]; /* rows of matrices 0..i together */
  int n, accumulate;
};

template <int T, int NT>
__global__ void __launch_bounds__(128) k_matvec(mv_group g, const float *x, int ldx, const int8_t *xq, const float *xd) {
  int r = blockIdx.x * 4 + (threadIdx.x >> 5), i = 0;
  while (i < g.n && r >= g.end[i])
    i++;
  if (i == g.n)
    return;
  r -= i ? g.end[i - 1] : 0;
  float acc[NT];
  mv_row<T, NT>(g.w[i], r, x, ldx, xq, xd, acc);
  float *y = g.y[i];
  size_t ldy = (size_t)g.ldy[i];
  if ((threadIdx.x & 31) == 0)
#pragma unroll
    for (int t = 0; t < NT; t++)
      y[t * ldy + r] = g.accumulate ? y[t * ldy + r] + acc[t] : acc[t];
}

template <int T, int NT>
__global__ void __launch_bounds__(128) k_matvec_glu(dmat gate, dmat up, const float *x, int ldx, const int8_t *xq,
                                                    const float *xd, float *g, int ldg) {
  int r = blockIdx.x * 4 + (threadIdx.x >> 5);
  if (r >= gate.ne1)
    return;
  float a[NT], b[NT];
  mv_row<T, NT>(gate, r, x, ldx, xq, xd, a);
  mv_row<T, NT>(up, r, x, ldx, xq, xd, b);
  if ((threadIdx.x & 31) == 0)
#pragma unroll
    for (int t = 0; t < NT; t++)
      g[(size_t)t * ldg + r] = a[t] / (1.0f + expf(-a[t])) * b[t];
}

/* ---- prompt kernel: tensor cores ---- */

#define GT 64  /* rows and tokens a block */
#define GLD 40 /* halves per shared row (32 + 8: keeps wmma's 32-byte alignment, spreads the banks) */
#define GCLD 68

template <int T>
__global__ void __launch_bounds__(128) k_gemm(dmat w, const float *x, int ldx, int nt, float *y, int ldy, int accumulate) {
  using namespace nvcuda;
  __shared__ __align__(32) half ws[GT * GLD];
  __shared__ __align__(32) half xs[GT * GLD];
  __shared__ __align__(32) float cs[GT * GCLD];
  int r0 = blockIdx.x * GT, t0 = blockIdx.y * GT, tid = threadIdx.x, warp = tid >> 5;
  int wr = warp >> 1, wc = warp & 1; /* this warp's 32 x 32 quarter */
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> c[2][2];
#pragma unroll
  for (int i = 0; i < 2; i++)
#pragma unroll
    for (int j = 0; j < 2; j++)
      wmma::fill_fragment(c[i][j], 0.0f);
  int nsb = w.ne0 / 32;
  for (int sb = 0; sb < nsb; sb++) {
    if (tid < GT) { /* a weight row's sub-block, decoded */
      int r = r0 + tid;
      float v[32];
      if (r < w.ne1)
        blk_values32(T, w.data + (size_t)r * w.row, sb, v);
      else
#pragma unroll
        for (int j = 0; j < 32; j++)
          v[j] = 0;
#pragma unroll
      for (int j = 0; j < 32; j += 2)
        *(half2 *)&ws[tid * GLD + j] = __floats2half2_rn(v[j], v[j + 1]);
    } else { /* a token's 32 activations */
      int t = t0 + tid - GT;
      const float4 *x4 = (const float4 *)(x + (size_t)t * ldx + 32 * sb);
#pragma unroll
      for (int j = 0; j < 8; j++) {
        float4 a = t < nt ? x4[j] : make_float4(0, 0, 0, 0);
        *(half2 *)&xs[(tid - GT) * GLD + 4 * j] = __floats2half2_rn(a.x, a.y);
        *(half2 *)&xs[(tid - GT) * GLD + 4 * j + 2] = __floats2half2_rn(a.z, a.w);
      }
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < 32; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a[2];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> b[2];
#pragma unroll
      for (int i = 0; i < 2; i++)
        wmma::load_matrix_sync(a[i], ws + (wr * 32 + i * 16) * GLD + kk, GLD);
#pragma unroll
      for (int j = 0; j < 2; j++)
        wmma::load_matrix_sync(b[j], xs + (wc * 32 + j * 16) * GLD + kk, GLD);
#pragma unroll
      for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++)
          wmma::mma_sync(c[i][j], a[i], b[j], c[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 2; i++)
#pragma unroll
    for (int j = 0; j < 2; j++)
      wmma::store_matrix_sync(cs + (wr * 32 + i * 16) * GCLD + wc * 32 + j * 16, c[i][j], GCLD, wmma::mem_row_major);
  __syncthreads();
  /* cs[row][token] -> y[token][row]: consecutive threads take consecutive rows (coalesced) */
  for (int i = tid; i < GT * GT; i += blockDim.x) {
    int rr = i % GT, tt = i / GT, r = r0 + rr, t = t0 + tt;
    if (r < w.ne1 && t < nt) {
      float v = cs[rr * GCLD + tt];
      float *o = y + (size_t)t * ldy + r;
      *o = accumulate ? *o + v : v;
    }
  }
}

/* ---- dispatch: a type and a token count at run time -> the template instance ---- */

#define FOR_TYPES(X)                                                                                                   \
  X(BLK_F32) X(BLK_F16) X(BLK_BF16) X(BLK_Q4_0) X(BLK_Q4_1) X(BLK_Q5_0) X(BLK_Q5_1) X(BLK_Q8_0) X(BLK_Q4_K)          \
      X(BLK_Q5_K) X(BLK_Q6_K)

template <int T>
static void mv_launch(cudaStream_t s, const mv_group &g, const float *x, int ldx, const int8_t *xq, const float *xd,
                      int nt) {
  dim3 grid((g.end[g.n - 1] + 3) / 4);
  switch (nt) {
#define NTCASE(N)                                                                                                      \
  case N: {                                                                                                            \
    auto kern = k_matvec<T, N>;                                                                                        \
    LAUNCH(kern, grid, 128, 0, s)(g, x, ldx, xq, xd);                                                                  \
    break;                                                                                                             \
  }
    NTCASE(1) NTCASE(2) NTCASE(3) NTCASE(4) NTCASE(5) NTCASE(6) NTCASE(7) NTCASE(8)
#undef NTCASE
  }
}

template <int T>
static void glu_launch(cudaStream_t s, const dmat &gt, const dmat &up, const float *x, int ldx, const int8_t *xq,
                       const float *xd, int nt, float *g, int ldg) {
  dim3 grid((gt.ne1 + 3) / 4);
  switch (nt) {
#define NTCASE(N)                                                                                                      \
  case N: {                                                                                                            \
    auto kern = k_matvec_glu<T, N>;                                                                                    \
    LAUNCH(kern, grid, 128, 0, s)(gt, up, x, ldx, xq, xd, g, ldg);                                                     \
    break;                                                                                                             \
  }
    NTCASE(1) NTCASE(2) NTCASE(3) NTCASE(4) NTCASE(5) NTCASE(6) NTCASE(7) NTCASE(8)
#undef NTCASE
  }
}

static void mv_group_launch(cudaStream_t s, const mv_group &g, const float *x, int ldx, const int8_t *xq,
                            const float *xd, int nt) {
  switch (g.w[0].type) {
#define X(T)                                                                                                           \
  case T: mv_launch<T>(s, g, x, ldx, xq, xd, nt); break;
    FOR_TYPES(X)
#undef X
  }
}

void launch_matmul3(cudaStream_t s, const dmat *w, float *const *y, const int *ldy, const float *x, int ldx,
                    const int8_t *xq, const float *xd, int nt) {
  int same = nt <= MV_MAX_TOK && w[1].type == w[0].type && w[2].type == w[0].type && w[1].ne0 == w[0].ne0 &&
             w[2].ne0 == w[0].ne0;
  if (!same) {
    for (int i = 0; i < 3; i++)
      launch_matmul(s, w[i], x, ldx, xq, xd, nt, y[i], ldy[i], 0);
    return;
  }
  mv_group g = {};
  for (int i = 0; i < 3; i++) {
    g.w[i] = w[i], g.y[i] = y[i], g.ldy[i] = ldy[i];
    g.end[i] = (i ? g.end[i - 1] : 0) + w[i].ne1;
  }
  g.n = 3;
  mv_group_launch(s, g, x, ldx, xq, xd, nt);
}

void launch_matmul(cudaStream_t s, const dmat &w, const float *x, int ldx, const int8_t *xq, const float *xd, int nt,
                   float *y, int ldy, int accumulate) {
  if (nt <= MV_MAX_TOK) {
    mv_group g = {};
    g.w[0] = w, g.y[0] = y, g.ldy[0] = ldy, g.end[0] = w.ne1, g.n = 1, g.accumulate = accumulate;
    mv_group_launch(s, g, x, ldx, xq, xd, nt);
    return;
  }
  dim3 grid((w.ne1 + GT - 1) / GT, (nt + GT - 1) / GT);
  switch (w.type) {
#define X(T)                                                                                                           \
  case T: {                                                                                                            \
    auto kern = k_gemm<T>;                                                                                             \
    LAUNCH(kern, grid, 128, 0, s)(w, x, ldx, nt, y, ldy, accumulate);                                                  \
    break;                                                                                                             \
  }
    FOR_TYPES(X)
#undef X
  }
}

void launch_matmul_glu(cudaStream_t s, const dmat &gate, const dmat &up, const float *x, int ldx, const int8_t *xq,
                       const float *xd, int nt, float *g, int ldg) {
  switch (gate.type) {
#define X(T)                                                                                                           \
  case T: glu_launch<T>(s, gate, up, x, ldx, xq, xd, nt, g, ldg); break;
    FOR_TYPES(X)
#undef X
  }
}
