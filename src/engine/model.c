/* model.c — loading llama and qwen2 models from GGUF, with every tensor checked.
 *
 * Invariant: after fix_model_load every weight the forward pass touches exists, has the shape the
 * hyperparameters imply and a type fix computes with; errors name the tensor and what is wrong.
 * Matrices stay in the file's mapping, except those the CPU's kernels want repacked (pack.c: Q4_0
 * and Q8_0 with AVX-512 VNNI), which move to one packed copy; the small vectors (norms, biases) are
 * converted to f32. */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

static int get_int(const struct fix_gguf *g, const char *arch, const char *key, int def) {
  char k[128];
  snprintf(k, sizeof k, "%s.%s", arch, key);
  uint64_t v;
  return fix_gguf_get_u64(g, k, &v) == 0 && v < (1u << 30) ? (int)v : def;
}

static float get_float(const struct fix_gguf *g, const char *arch, const char *key, float def) {
  char k[128];
  snprintf(k, sizeof k, "%s.%s", arch, key);
  float v;
  return fix_gguf_get_f32(g, k, &v) == 0 ? v : def;
}

/* A matrix of ne0 x ne1 called `name`. */
static enum fix_status need_matrix(const struct fix_gguf *g, const char *name, int64_t ne0, int64_t ne1,
                                   struct weight *w, struct fix_err *err) {
  const struct fix_gguf_tensor *t = fix_gguf_tensor(g, name);
  if (!t)
    return fix_err_set(err, FIX_ERR_PARSE, "the model has no tensor '%s'", name);
  if (t->ne[0] != ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1)
    return fix_err_set(err, FIX_ERR_PARSE, "tensor '%s' is %lldx%lld, expected %lldx%lld", name, (long long)t->ne[0],
                       (long long)t->ne[1], (long long)ne0, (long long)ne1);
  if (!fix_type_supported(t->type))
    return fix_err_set(err, FIX_ERR_UNSUPPORTED, "tensor '%s' has type %s, which fix cannot compute with (supported: "
                       "F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K)", name, fix_type_name(t->type));
  w->data = t->data;
  w->type = t->type;
  w->ne0 = ne0;
  w->ne1 = ne1;
  w->row = fix_type_row_size(t->type, ne0);
  return FIX_OK;
}

/* A vector of n values as f32 (owned), or NULL with an error. */
static float *need_vector(const struct fix_gguf *g, const char *name, int64_t n, int optional, struct fix_err *err,
                          enum fix_status *st) {
  const struct fix_gguf_tensor *t = fix_gguf_tensor(g, name);
  if (!t) {
    if (!optional)
      *st = fix_err_set(err, FIX_ERR_PARSE, "the model has no tensor '%s'", name);
    return NULL;
  }
  if (t->ne[0] != n || t->ne[1] != 1 || !fix_types[t->type].to_float) {
    *st = fix_err_set(err, FIX_ERR_PARSE, "tensor '%s' should be a vector of %lld values", name, (long long)n);
    return NULL;
  }
  float *v = malloc((size_t)n * sizeof *v);
  if (!v) {
    *st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    return NULL;
  }
  fix_types[t->type].to_float(t->data, v, n);
  return v;
}

enum fix_status fix_model_load(const char *path, int n_threads, struct fix_model **out, struct fix_err *err) {
  return fix_model_load_on(path, n_threads, FIX_GPU_NONE, out, err);
}

enum fix_status fix_model_load_on(const char *path, int n_threads, int gpu, struct fix_model **out,
                                  struct fix_err *err) {
  *out = NULL;
  fix_kernels_init();
  struct fix_model *m = calloc(1, sizeof *m);
  if (!m)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  enum fix_status st = fix_gguf_open(path, &m->g, err);
  struct fix_model_hparams *hp = &m->hp;
  const struct fix_gguf *g = m->g;
  struct fix_gguf_str arch;
  if (!st && fix_gguf_get_str(g, "general.architecture", &arch))
    st = fix_err_set(err, FIX_ERR_PARSE, "%s: general.architecture is missing", path);
  if (!st) {
    snprintf(hp->arch, sizeof hp->arch, "%.*s", (int)(arch.n < 31 ? arch.n : 31), arch.p);
    if (strcmp(hp->arch, "llama") && strcmp(hp->arch, "qwen2"))
      st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "%s: architecture '%s' is not supported (llama and qwen2 are)", path,
                       hp->arch);
  }
  if (!st)
    st = fix_tokenizer_from_gguf(g, &m->tok, err);
  if (!st) {
    const char *a = hp->arch;
    hp->n_embd = get_int(g, a, "embedding_length", 0);
    hp->n_layer = get_int(g, a, "block_count", 0);
    hp->n_ff = get_int(g, a, "feed_forward_length", 0);
    hp->n_head = get_int(g, a, "attention.head_count", 0);
    hp->n_head_kv = get_int(g, a, "attention.head_count_kv", hp->n_head);
    hp->n_ctx_train = get_int(g, a, "context_length", 2048);
    hp->rope_theta = get_float(g, a, "rope.freq_base", 10000.0f);
    hp->rms_eps = get_float(g, a, "attention.layer_norm_rms_epsilon", 1e-5f);
    hp->head_dim = hp->n_head ? get_int(g, a, "attention.key_length", hp->n_embd / hp->n_head) : 0;
    hp->rope_neox = !strcmp(a, "qwen2");
    hp->n_vocab = fix_tokenizer_n_vocab(m->tok);
    if (hp->n_embd <= 0 || hp->n_layer <= 0 || hp->n_ff <= 0 || hp->n_head <= 0 || hp->n_head_kv <= 0 ||
        hp->n_head % hp->n_head_kv || hp->head_dim <= 0 || hp->head_dim % 2 || hp->head_dim > 512 || hp->n_layer > 1024)
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: implausible hyperparameters (embd %d, layers %d, ff %d, heads %d/%d)",
                       path, hp->n_embd, hp->n_layer, hp->n_ff, hp->n_head, hp->n_head_kv);
  }
  int64_t E = hp->n_embd, Q = (int64_t)hp->n_head * hp->head_dim, KV = (int64_t)hp->n_head_kv * hp->head_dim;
  if (!st) {
    const struct fix_gguf_tensor *te = fix_gguf_tensor(g, "token_embd.weight");
    if (te && te->ne[1] != hp->n_vocab)
      hp->n_vocab = (int)te->ne[1] < hp->n_vocab ? hp->n_vocab : (int)te->ne[1];
    st = need_matrix(g, "token_embd.weight", E, hp->n_vocab, &m->tok_embd, err);
  }
  if (!st && !fix_types[m->tok_embd.type].to_float)
    st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "token_embd.weight: type %s", fix_type_name(m->tok_embd.type));
  if (!st) {
    if (fix_gguf_tensor(g, "output.weight")) {
      st = need_matrix(g, "output.weight", E, hp->n_vocab, &m->output, err);
    } else {
      m->output = m->tok_embd;
      hp->tied_output = 1;
    }
  }
  if (!st)
    m->out_norm = need_vector(g, "output_norm.weight", E, 0, err, &st);
  if (!st) {
    m->layers = calloc((size_t)hp->n_layer, sizeof *m->layers);
    if (!m->layers)
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  for (int l = 0; !st && l < hp->n_layer; l++) {
    struct layer *L = &m->layers[l];
    char n[96];
#define NAME(s) (snprintf(n, sizeof n, "blk.%d." s, l), n)
    L->attn_norm = need_vector(g, NAME("attn_norm.weight"), E, 0, err, &st);
    if (!st)
      L->ffn_norm = need_vector(g, NAME("ffn_norm.weight"), E, 0, err, &st);
    if (!st)
      st = need_matrix(g, NAME("attn_q.weight"), E, Q, &L->wq, err);
    if (!st)
      st = need_matrix(g, NAME("attn_k.weight"), E, KV, &L->wk, err);
    if (!st)
      st = need_matrix(g, NAME("attn_v.weight"), E, KV, &L->wv, err);
    if (!st)
      st = need_matrix(g, NAME("attn_output.weight"), Q, E, &L->wo, err);
    if (!st)
      st = need_matrix(g, NAME("ffn_gate.weight"), E, hp->n_ff, &L->gate, err);
    if (!st)
      st = need_matrix(g, NAME("ffn_up.weight"), E, hp->n_ff, &L->up, err);
    if (!st)
      st = need_matrix(g, NAME("ffn_down.weight"), hp->n_ff, E, &L->down, err);
    if (!st)
      L->bq = need_vector(g, NAME("attn_q.bias"), Q, 1, err, &st);
    if (!st)
      L->bk = need_vector(g, NAME("attn_k.bias"), KV, 1, err, &st);
    if (!st)
      L->bv = need_vector(g, NAME("attn_v.bias"), KV, 1, err, &st);
    if (!st && L->bq)
      hp->has_qkv_bias = 1;
#undef NAME
  }
  if (!st) {
    /* statistics for `fix model info` and the bench */
    int counts[FIX_T_COUNT] = {0};
    for (uint64_t i = 0; i < g->n_tensors; i++) {
      const struct fix_gguf_tensor *t = &g->tensors[i];
      uint64_t nel = (uint64_t)t->ne[0] * (uint64_t)t->ne[1] * (uint64_t)t->ne[2] * (uint64_t)t->ne[3];
      hp->n_params += nel;
      hp->weight_bytes += t->nbytes;
      if (t->ne[1] > 1)
        counts[t->type]++;
    }
    for (int t = 0; t < FIX_T_COUNT; t++)
      if (counts[t] > counts[hp->weight_type])
        hp->weight_type = t;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    m->pool = pool_new(n_threads > 0 ? n_threads : (int)(cores > 0 ? cores : 1));
    if (!m->pool)
      st = fix_err_set(err, FIX_ERR_NOMEM, "cannot start threads");
  }
  int placing = !st; /* (errors from here on are about the device or memory, not the file) */
  if (!st)
    st = model_gpu_place(m, gpu, err);
  if (!st && !m->gpu && !getenv("FIX_NO_PACK"))
    st = model_pack(m, err);
  if (st) {
    /* every message names the file ("the model has no tensor ..." alone says nothing of which) */
    size_t pl = strlen(path);
    if (err && !placing && (strncmp(err->msg, path, pl) || err->msg[pl] != ':')) {
      char was[sizeof err->msg];
      memcpy(was, err->msg, sizeof was);
      fix_err_set(err, st, "%.300s: %.600s%s", path, was,
                  m->g && !m->g->n_tensors ? " (a vocabulary-only GGUF: it holds no weights)" : "");
    }
    fix_model_free(m);
    return st;
  }
  *out = m;
  return FIX_OK;
}

void fix_model_free(struct fix_model *m) {
  if (!m)
    return;
  model_token_index_free(m);
  gpu_model_free(m->gpu);
  for (int l = 0; m->layers && l < m->hp.n_layer; l++) {
    free(m->layers[l].attn_norm);
    free(m->layers[l].ffn_norm);
    free(m->layers[l].bq);
    free(m->layers[l].bk);
    free(m->layers[l].bv);
  }
  free(m->layers);
  free(m->out_norm);
  pool_free(m->pool);
  model_unpack_free(m);
  fix_tokenizer_free(m->tok);
  fix_gguf_close(m->g);
  free(m);
}

void weight_row_to_float(const struct weight *w, int64_t r, float *y) {
  if (w->packed)
    packed_row_to_float(w->type, w->data, r, y, w->ne0);
  else
    fix_types[w->type].to_float((const char *)w->data + (size_t)r * w->row, y, w->ne0);
}

const struct fix_model_hparams *fix_model_hparams(const struct fix_model *m) { return &m->hp; }
const struct fix_tokenizer *fix_model_tokenizer(const struct fix_model *m) { return m->tok; }
const struct fix_gguf *fix_model_gguf(const struct fix_model *m) { return m->g; }
