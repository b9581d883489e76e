/* cuda/attn_prompt.cu — attention for a prompt (consecutive positions of one sequence) through the
 * tensor cores, flash-attention style: a block takes 64 query rows (64 / G tokens x the G query
 * heads of one KV head, so each K and V tile is read once for all of them) and walks the keys 64 at
 * a time: S = Q K^T (wmma, f16 in, f32 out), the causal mask and an online softmax per row, then
 * O = O * alpha + P V (wmma). The score matrix never leaves shared memory. Queries are rounded to
 * half precision as the CPU engine does; the weights P meet V at half precision too. */
#include "kernels.cuh"

#include <mma.h>

#define FA_ROWS 64
#define FA_KEYS 64

template <int D>
struct fa_smem {
  static constexpr int QLD = D + 8, SLD = FA_KEYS + 4, PLD = FA_KEYS + 8, OLD = D + 4;
  static constexpr size_t q = 0, k = q + (size_t)FA_ROWS * QLD * 2, v = k + (size_t)FA_KEYS * QLD * 2,
                          s = v + (size_t)FA_KEYS * QLD * 2, p = s + (size_t)FA_ROWS * SLD * 4,
                          o = p + (size_t)FA_ROWS * PLD * 2, stats = o + (size_t)FA_ROWS * OLD * 4,
                          total = stats + 3 * FA_ROWS * 4;
  /* P V's product is stored over the K and V tiles (free by then): it must fit */
  static_assert((size_t)FA_ROWS * OLD * 4 <= 2 * (size_t)FA_KEYS * QLD * 2, "P V's tile does not fit over K and V");
};

template <int D>
__global__ void __launch_bounds__(128) k_attn_prompt(attn_geom g, int n, const float *q, const int *seqs,
                                                     const int *poss, const __half *kc, const __half *vc, float *out) {
  using namespace nvcuda;
  typedef fa_smem<D> L;
  DYN_SMEM(unsigned char, sm);
  half *Qs = (half *)(sm + L::q), *Ks = (half *)(sm + L::k), *Vs = (half *)(sm + L::v), *Ps = (half *)(sm + L::p);
  float *S = (float *)(sm + L::s), *O = (float *)(sm + L::o), *T = (float *)(sm + L::k);
  float *mrow = (float *)(sm + L::stats), *lrow = mrow + FA_ROWS, *alpha = lrow + FA_ROWS;
  int G = g.n_head / g.n_head_kv, QT = FA_ROWS / G, h = blockIdx.y, tid = threadIdx.x, warp = tid >> 5;
  int t0 = blockIdx.x * QT, ntq = min(QT, n - t0), rows = ntq * G, kvd = g.n_head_kv * D;
  int seq = seqs[t0], p0 = poss[t0], plast = poss[t0 + ntq - 1];
  float scale = 1.0f / sqrtf((float)D);
  /* row r: token t0 + r / G, query head h * G + r % G */
  for (int i = tid; i < FA_ROWS * D; i += blockDim.x) {
    int r = i / D, d = i % D;
    float v = r < rows ? q[(size_t)(t0 + r / G) * g.n_head * D + (size_t)(h * G + r % G) * D + d] : 0.0f;
    Qs[r * L::QLD + d] = __float2half_rn(v);
  }
  for (int i = tid; i < FA_ROWS * D; i += blockDim.x)
    O[(i / D) * L::OLD + i % D] = 0;
  if (tid < FA_ROWS)
    mrow[tid] = -INFINITY, lrow[tid] = 0;
  const __half *kb = kc + (size_t)seq * g.n_ctx * kvd + (size_t)h * D;
  const __half *vb = vc + (size_t)seq * g.n_ctx * kvd + (size_t)h * D;
  for (int k0 = 0; k0 <= plast; k0 += FA_KEYS) {
    int nk = min(FA_KEYS, plast + 1 - k0);
    __syncthreads(); /* the last tile's T (over K and V) has been read */
    for (int i = tid; i < FA_KEYS * (D / 8); i += blockDim.x) { /* 16 bytes a load */
      int j = i / (D / 8), c = i % (D / 8);
      uint4 kz = make_uint4(0, 0, 0, 0), vz = kz;
      if (j < nk) {
        kz = *(const uint4 *)(kb + (size_t)(k0 + j) * kvd + 8 * c);
        vz = *(const uint4 *)(vb + (size_t)(k0 + j) * kvd + 8 * c);
      }
      *(uint4 *)(Ks + j * L::QLD + 8 * c) = kz;
      *(uint4 *)(Vs + j * L::QLD + 8 * c) = vz;
    }
    __syncthreads();
    { /* S = Q K^T: warp w takes rows 16w..16w+15, all 64 keys */
      wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[FA_KEYS / 16];
#pragma unroll
      for (int j = 0; j < FA_KEYS / 16; j++)
        wmma::fill_fragment(acc[j], 0.0f);
#pragma unroll
      for (int kk = 0; kk < D; kk += 16) {
        wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a;
        wmma::load_matrix_sync(a, Qs + warp * 16 * L::QLD + kk, L::QLD);
#pragma unroll
        for (int j = 0; j < FA_KEYS / 16; j++) {
          wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> b; /* K^T: key j's row is column j */
          wmma::load_matrix_sync(b, Ks + j * 16 * L::QLD + kk, L::QLD);
          wmma::mma_sync(acc[j], a, b, acc[j]);
        }
      }
#pragma unroll
      for (int j = 0; j < FA_KEYS / 16; j++)
        wmma::store_matrix_sync(S + warp * 16 * L::SLD + j * 16, acc[j], L::SLD, wmma::mem_row_major);
    }
    __syncthreads();
    if (tid < FA_ROWS) { /* one thread a row: mask, online softmax, P at half precision */
      int r = tid;
      if (r < rows) {
        int pos = p0 + r / G; /* positions are consecutive */
        float mx = -INFINITY;
        for (int j = 0; j < nk; j++)
          if (k0 + j <= pos)
            mx = fmaxf(mx, S[r * L::SLD + j] * scale);
        float mnew = fmaxf(mrow[r], mx), sum = 0;
        for (int j = 0; j < FA_KEYS; j++) {
          float p = j < nk && k0 + j <= pos && mnew != -INFINITY ? expf(S[r * L::SLD + j] * scale - mnew) : 0.0f;
          half ph = __float2half_rn(p);
          Ps[r * L::PLD + j] = ph;
          sum += __half2float(ph);
        }
        float a = mrow[r] == -INFINITY ? 0.0f : expf(mrow[r] - mnew);
        alpha[r] = a;
        lrow[r] = lrow[r] * a + sum;
        mrow[r] = mnew;
      } else {
        for (int j = 0; j < FA_KEYS; j++)
          Ps[r * L::PLD + j] = __float2half_rn(0.0f);
        alpha[r] = 1;
      }
    }
    __syncthreads();
    { /* T = P V: warp w takes rows 16w..16w+15, all D columns; stored over K and V once all have read V */
      wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[D / 16];
#pragma unroll
      for (int j = 0; j < D / 16; j++)
        wmma::fill_fragment(acc[j], 0.0f);
#pragma unroll
      for (int kk = 0; kk < FA_KEYS; kk += 16) {
        wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a;
        wmma::load_matrix_sync(a, Ps + warp * 16 * L::PLD + kk, L::PLD);
#pragma unroll
        for (int j = 0; j < D / 16; j++) {
          wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::row_major> b;
          wmma::load_matrix_sync(b, Vs + kk * L::QLD + j * 16, L::QLD);
          wmma::mma_sync(acc[j], a, b, acc[j]);
        }
      }
      __syncthreads();
#pragma unroll
      for (int j = 0; j < D / 16; j++)
        wmma::store_matrix_sync(T + warp * 16 * L::OLD + j * 16, acc[j], L::OLD, wmma::mem_row_major);
    }
    __syncthreads();
    for (int i = tid; i < FA_ROWS * D; i += blockDim.x) {
      int r = i / D, d = i % D;
      O[r * L::OLD + d] = O[r * L::OLD + d] * alpha[r] + T[r * L::OLD + d];
    }
  }
  __syncthreads();
  for (int i = tid; i < rows * D; i += blockDim.x) {
    int r = i / D, d = i % D;
    out[(size_t)(t0 + r / G) * g.n_head * D + (size_t)(h * G + r % G) * D + d] = O[r * L::OLD + d] / lrow[r];
  }
}

template <int D>
static int fa_launch(cudaStream_t s, const attn_geom &g, int n, const float *q, const int *seq, const int *pos,
                     const __half *kc, const __half *vc, float *out) {
  /* the dynamic shared memory limit is a per-device attribute of the kernel: raised once on each
   * device this process launches it on */
  static unsigned char ready[64];
  size_t bytes = fa_smem<D>::total;
  int dev = 0;
  if (cudaGetDevice(&dev) != cudaSuccess || dev < 0)
    return -1;
  if (dev >= (int)sizeof ready || !ready[dev]) {
    if (cudaFuncSetAttribute(k_attn_prompt<D>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)bytes) != cudaSuccess)
      return -1;
    if (dev < (int)sizeof ready)
      ready[dev] = 1;
  }
  int qt = FA_ROWS / (g.n_head / g.n_head_kv);
  auto kern = k_attn_prompt<D>;
  LAUNCH(kern, dim3((n + qt - 1) / qt, g.n_head_kv), 128, bytes, s)(g, n, q, seq, pos, kc, vc, out);
  return 0;
}

int launch_attention_prompt(cudaStream_t s, const attn_geom &g, int n, const float *q, const int *seq, const int *pos,
                            const __half *kc, const __half *vc, float *out) {
  int G = g.n_head / g.n_head_kv;
  if (G > 8)
    return -1;
  switch (g.head_dim) {
  case 64: return fa_launch<64>(s, g, n, q, seq, pos, kc, vc, out);
  case 128: return fa_launch<128>(s, g, n, q, seq, pos, kc, vc, out);
  default: return -1;
  }
}
