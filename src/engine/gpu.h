/* gpu.h — private to src/engine: the CUDA backend (src/engine/cuda/), as plain C so that neither side
 * includes the other's headers. Every call returns 0, or an error (GPU_E_*) with the reason written
 * to why[GPU_WHY]. Built without CUDA (FIX_CUDA off), gpu_none.c answers: no devices.
 *
 * The whole forward pass runs on the device: weights uploaded once in the file's block formats, an
 * f16 KV cache per sequence on the device, and only the logits rows asked for copied back. */
#ifndef FIX_ENGINE_GPU_H
#define FIX_ENGINE_GPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GPU_WHY 256
enum { GPU_OK = 0, GPU_E_NODEV, GPU_E_MEMORY, GPU_E_UNSUPPORTED, GPU_E_CUDA, GPU_E_ARG };

struct gpu_matrix {
  const void *data; /* the file's blocks (host memory, read at upload) */
  int type;         /* FIX_T_* */
  int64_t ne0, ne1; /* ne1 rows of ne0 values */
  size_t row;       /* bytes per row */
};

struct gpu_layer_desc {
  const float *attn_norm, *ffn_norm, *bq, *bk, *bv; /* bq/bk/bv NULL when the model has none */
  struct gpu_matrix wq, wk, wv, wo, gate, up, down;
};

struct gpu_model_desc {
  int n_vocab, n_embd, n_layer, n_head, n_head_kv, head_dim, n_ff;
  float rope_theta, rms_eps;
  int rope_neox;
  struct gpu_matrix tok_embd, output;
  const float *out_norm;
  const struct gpu_layer_desc *layers;
};

struct gpu_model;
struct gpu_ctx;

/* How many CUDA devices this process can use (0 with the reason in why: no driver, none present,
 * or a build without CUDA). */
int gpu_device_count(char *why);
/* "NVIDIA H200 (sm_90, 139.8 GiB, 132 SMs)" and its free and total memory. */
int gpu_device_describe(int dev, char *desc, size_t n, size_t *free_bytes, size_t *total_bytes, char *why);
/* Whether the backend computes this model (types, head size, row lengths); the reason if not. */
int gpu_model_supported(const struct gpu_model_desc *d, char *why);
/* Device bytes the weights take once uploaded. */
size_t gpu_model_bytes(const struct gpu_model_desc *d);
/* Uploads the weights (pinned staging buffers, copies overlapped with the next chunk's read). */
int gpu_model_upload(const struct gpu_model_desc *d, int dev, struct gpu_model **out, char *why);
void gpu_model_free(struct gpu_model *g);
size_t gpu_ctx_bytes(const struct gpu_model_desc *d, int n_ctx, int n_seq);
int gpu_ctx_new(struct gpu_model *g, int n_ctx, int n_seq, struct gpu_ctx **out, char *why);
void gpu_ctx_free(struct gpu_ctx *c);
/* n tokens (at most 256): token i appended to sequence seq[i] at position pos[i]; logits of tokens
 * first..n-1 written to logits (n_vocab floats each) unless logits is NULL. */
int gpu_eval(struct gpu_ctx *c, const int *seq, const int *pos, const int32_t *tokens, int n, int first,
             float *logits, char *why);
/* The first n cached positions of src copied to dst (device to device). */
int gpu_seq_copy(struct gpu_ctx *c, int src, int dst, int n, char *why);
/* Peak device memory this process allocated (bytes). */
size_t gpu_peak_bytes(void);

/* ---- single kernels, for the tests (tests/gpu): host buffers in and out ---- */
/* y[t][r] = W[r] . x[t] for t < nt (x f32 rows of ne0, y rows of ne1), through the path the forward
 * pass takes for nt tokens (one-token kernels up to 8, tensor cores above); the device's output is
 * poisoned (NaN) first, so an element never written shows. */
int gpu_test_matmul(const struct gpu_matrix *w, const float *x, int nt, float *y, char *why);
/* Attention of n query tokens at positions npos - n .. npos - 1 of one sequence over npos cached
 * positions: q [n][n_head * D] f32, k and v [npos][n_head_kv * D] f16 bits; out [n][n_head * D]. With
 * prompt, through the tensor-core prompt kernel where the shape has one (*used says whether it ran). */
int gpu_test_attention(int n_head, int n_head_kv, int D, int n, int npos, int prompt, const float *q,
                       const uint16_t *k, const uint16_t *v, float *out, int *used, char *why);
/* RMSNorm of n rows of E, then (rope) biases + RoPE at positions pos[] on q [n][H*D] and k [n][KV*D]
 * as the forward pass does (theta, neox), results written back into x/q/k */
int gpu_test_norm_rope(int n, int E, float eps, float *x, const float *w, int H, int KV, int D, float theta, int neox,
                       const int *pos, float *q, float *k, const float *bq, const float *bk, char *why);

#ifdef __cplusplus
}
#endif

#endif
