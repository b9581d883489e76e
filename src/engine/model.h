/* model.h — private to src/engine: a loaded model and its weights. */
#ifndef FIX_ENGINE_MODEL_H
#define FIX_ENGINE_MODEL_H

#include "fix/engine.h"
#include "gpu.h"
#include "pool.h"
#include "quant.h"

/* A weight matrix: ne1 rows of ne0 values, in the file's block format (mapped, read-only) or packed. */
struct weight {
  const void *data;
  int type;
  int64_t ne0, ne1;
  size_t row;
  int packed; /* in quant.h's row-interleaved layout (pack.c): data is then in the model's packed memory */
};

struct layer {
  float *attn_norm, *ffn_norm; /* n_embd */
  float *bq, *bk, *bv;         /* qwen2 biases, else NULL */
  struct weight wq, wk, wv, wo, gate, up, down;
};

struct fix_model {
  struct fix_gguf *g;
  struct fix_tokenizer *tok;
  struct fix_model_hparams hp;
  struct weight tok_embd, output;
  float *out_norm;
  struct layer *layers;
  struct pool *pool;
  void *packed; /* the packed matrices after PACK_HEADER bytes: an anonymous mapping or the cache file's */
  size_t packed_size;
  struct token_index *tindex; /* the vocabulary's byte strings indexed for constraints (constrain.c), on first use */
  struct gpu_model *gpu;       /* the weights on a CUDA device (model_gpu.c); NULL: the CPU computes */
  char device[320];            /* where it runs, and why not on a GPU when `auto` found none */
  double gpu_upload_s;
};

/* model_gpu.c: the weights onto the device `want` asks for (FIX_GPU_*, or an index) */
enum fix_status model_gpu_place(struct fix_model *m, int want, struct fix_err *err);
/* The fix_status for a GPU_E_* code: memory -> TOO_BIG, no device -> CONFIG, a model or shape the
 * backend does not run -> UNSUPPORTED, bad argument -> ARG, a CUDA failure -> DEVICE. */
enum fix_status model_gpu_status(int gpu_rc);

/* constrain.c: the index's memory; a token's bytes as generation appends them (borrowed) */
void model_token_index_free(struct fix_model *m);
const char *model_token_bytes(const struct fix_model *m, int32_t t, size_t *len);

/* y[t][r] = W[r] . x[t] for t < n_tok, r < W->ne1; `aq` is scratch of n_tok activation rows. */
void matmul(struct pool *p, const struct weight *w, const float *x, int n_tok, float *y, void *aq);
size_t matmul_scratch(const struct weight *w, int n_tok);
/* Packs the matrices the CPU's kernels want packed (pack.c); needs m->pool. */
enum fix_status model_pack(struct fix_model *m, struct fix_err *err);
void model_unpack_free(struct fix_model *m);
/* The packed-weights cache (pack_cache.c). Packed data sits PACK_HEADER bytes into its mapping. */
#define PACK_HEADER 4096
char *pack_cache_path(const struct fix_model *m, size_t data_size); /* NULL: no cache for this model */
void *pack_cache_map(const struct fix_model *m, const char *path, uint64_t shapes, size_t data_size);
void pack_cache_store(const struct fix_model *m, const char *path, uint64_t shapes, void *mem, size_t data_size);
uint64_t pack_checksum(struct pool *pool, const void *p, size_t n);
/* Row r of W as floats (n = W->ne0 values), whatever its layout. */
void weight_row_to_float(const struct weight *w, int64_t r, float *y);
/* The model a context evaluates. */
struct fix_model *ctx_model(const struct fix_ctx *c);

#endif
