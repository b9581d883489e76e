/* cuda/kernels.cuh — the forward pass's kernels (kernels.cu, matmul.cu) and their launchers, as the
 * host side of the backend (backend.cu) calls them. All launches go to one stream; none allocates,
 * so a decode step can be captured into a CUDA graph and replayed. Step inputs (token ids, sequence
 * and position of each token) are read from device memory, never passed by value, for the same
 * reason. */
#ifndef FIX_ENGINE_CUDA_KERNELS_CUH
#define FIX_ENGINE_CUDA_KERNELS_CUH

#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <stdint.h>

/* LAUNCH(kernel, grid, block, shared bytes, stream)(arguments): <<< >>> under nvcc; the CPU
 * emulation of tests/emu defines its own */
#ifndef FIX_CUDA_EMU
#define LAUNCH(k, g, b, m, s) k<<<g, b, m, s>>>
#define DYN_SMEM(type, name) extern __shared__ __align__(128) type name[]
#endif

/* a matrix on the device */
struct dmat {
  const uint8_t *data;
  int type;
  int ne0, ne1;
  size_t row;
};

/* the one-token kernels take up to this many tokens at once; more go through the tensor cores */
#define MV_MAX_TOK 8
#define ATT_TILE 128 /* keys per step of the attention kernel */

/* activations quantized for the one-token kernels: per token, ne int8 values and ne/32 scales (the
 * CPU's q8a: d = amax / 127 rounded to half precision, values to nearest) */
void launch_quant_q8(cudaStream_t s, const float *x, int ldx, int nt, int ne, int8_t *xq, float *xd);
/* y[t * ldy + r] (+)= W[r] . x[t]: nt <= MV_MAX_TOK through the one-token kernels (xq/xd must hold
 * x quantized, for quantized W), else the tensor-core kernel */
void launch_matmul(cudaStream_t s, const dmat &w, const float *x, int ldx, const int8_t *xq, const float *xd, int nt,
                   float *y, int ldy, int accumulate);
/* y[i] = w[i] x for three matrices against the same activations (q, k, v): one launch when they
 * share a type and nt <= MV_MAX_TOK */
void launch_matmul3(cudaStream_t s, const dmat *w, float *const *y, const int *ldy, const float *x, int ldx,
                    const int8_t *xq, const float *xd, int nt);
/* g[t][r] = silu(gate[r] . x[t]) * (up[r] . x[t]), both matrices read once (one-token kernels) */
void launch_matmul_glu(cudaStream_t s, const dmat &gate, const dmat &up, const float *x, int ldx, const int8_t *xq,
                       const float *xd, int nt, float *g, int ldg);
void launch_swiglu(cudaStream_t s, float *g, const float *u, long n);

/* x rows of tokens tok[0..n) from the embedding matrix */
void launch_embed(cudaStream_t s, const dmat &e, const int32_t *tok, int n, float *x);
/* out[t] = x[first + t] * w / rms(x[first + t]) for t < n */
void launch_rmsnorm(cudaStream_t s, const float *x, const float *w, int n, int E, float eps, float *out);
/* the same, and out's int8 form for the one-token kernels (launch_quant_q8's) in the same pass */
void launch_rmsnorm_q8(cudaStream_t s, const float *x, const float *w, int n, int E, float eps, float *out, int8_t *xq,
                       float *xd);

struct attn_geom {
  int n_head, n_head_kv, head_dim, n_ctx, n_seq, n_split, split_len;
  float rope_theta;
  int rope_neox;
};
/* biases, RoPE at each token's position, K and V stored into the f16 caches of layer l */
void launch_qkv_post(cudaStream_t s, const attn_geom &g, int n, float *q, float *k, float *v, const float *bq,
                     const float *bk, const float *bv, const int *seq, const int *pos, __half *kc, __half *vc);
/* attention of each token's heads over its sequence's cached positions 0..pos: split over the
 * sequence (partials in opart/ml), then combined into out (and its int8 form into xq/xd unless
 * xq is NULL) */
void launch_attention(cudaStream_t s, const attn_geom &g, int n, const float *q, const int *seq, const int *pos,
                      const __half *kc, const __half *vc, float *opart, float2 *ml, float *out, int8_t *xq,
                      float *xd);
/* the same for a prompt (the n tokens: consecutive positions of one sequence) through the tensor
 * cores (attn_prompt.cu); -1 when the shape has no such kernel (head size 64 or 128, at most 8
 * query heads a KV head): launch_attention then */
int launch_attention_prompt(cudaStream_t s, const attn_geom &g, int n, const float *q, const int *seq, const int *pos,
                            const __half *kc, const __half *vc, float *out);

#endif
