/* synth.c — writing llama/qwen2-shaped models with seeded random weights and a real vocabulary,
 * in any supported weight type. Tests and benchmarks make their models with this instead of
 * downloading any.
 *
 * Weights are Gaussian with a standard deviation of 0.5/sqrt(fan-in) (residual blocks stay
 * moderate), and the output projection is scaled so logits spread by a few units: the top token is
 * then clear of numerical noise, which comparisons of greedy outputs need. A K-quant tensor whose
 * rows are not a multiple of 256 uses a 32-block type instead, as llama.cpp's quantizer does
 * (Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0). */
#include "fix/synth.h"

#include "quant.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

static uint64_t rng_next(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static float gauss(uint64_t *r) {
  double u1 = ((double)(rng_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  double u2 = (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
  return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

static int type_for(int want, int64_t ne0) {
  if (fix_type_block(want) <= (size_t)ne0 && ne0 % (int64_t)fix_type_block(want) == 0)
    return want;
  switch (want) {
  case FIX_T_Q4_K: return FIX_T_Q5_0;
  case FIX_T_Q5_K: return FIX_T_Q5_1;
  case FIX_T_Q6_K: return FIX_T_Q8_0;
  default: return FIX_T_F16;
  }
}

/* The values of rows [r0, r1) of a tensor, drawn and quantized by one thread. The generator is a
 * counter (splitmix64: state k steps on is state + k * golden), so a thread starts at its first
 * value's draws directly and the tensor is the same, bit for bit, however many threads make it. */
struct fill_job {
  float *x;
  void *q;
  int type;
  int64_t ne0, r0, r1;
  size_t row;
  float std, mean, mix;
  uint64_t rng0; /* the generator's state at value 0 */
  const float *from;
  const int32_t *perm;
};

static void *fill_rows(void *ud) {
  struct fill_job *j = ud;
  size_t first = (size_t)j->r0 * (size_t)j->ne0, last = (size_t)j->r1 * (size_t)j->ne0;
  uint64_t r = j->rng0 + 2 * (uint64_t)first * 0x9e3779b97f4a7c15ull; /* two draws a value */
  for (size_t i = first; i < last; i++)
    j->x[i] = j->mean + j->std * gauss(&r);
  if (j->from)
    for (int64_t row = j->r0; row < j->r1; row++)
      for (int64_t c = 0; c < j->ne0; c++)
        j->x[(size_t)row * (size_t)j->ne0 + (size_t)c] += j->mix * j->from[(size_t)j->perm[row] * (size_t)j->ne0 + (size_t)c];
  for (int64_t row = j->r0; row < j->r1; row++)
    fix_types[j->type].from_float(j->x + (size_t)row * (size_t)j->ne0, (char *)j->q + (size_t)row * j->row, j->ne0);
  return NULL;
}

/* Adds a tensor of Gaussian values; with `from` (ne1 rows of ne0), row r is instead
 * from[perm[r]] * mix + noise. `keep` receives the f32 values (caller frees) when not NULL. Rows
 * are made by all cores at once (the 7B shape's 7 G values). */
static enum fix_status add_ex(struct fix_gguf_writer *w, const char *name, int want, int64_t ne0, int64_t ne1, float std,
                              float mean, uint64_t *rng, const float *from, const int32_t *perm, float mix, float **keep,
                              struct fix_err *err) {
  int type = ne1 == 1 ? FIX_T_F32 : type_for(want, ne0);
  size_t n = (size_t)ne0 * (size_t)ne1;
  float *x = malloc(n * sizeof *x);
  void *q = malloc(fix_type_row_size(type, ne0) * (size_t)ne1 + 64);
  if (!x || !q) {
    free(x);
    free(q);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory for tensor %s", name);
  }
  size_t row = fix_type_row_size(type, ne0);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int nt = n < (1u << 20) || cores < 2 ? 1 : cores > 64 ? 64 : (int)cores;
  nt = nt > ne1 ? (int)ne1 : nt;
  struct fill_job jobs[64];
  pthread_t tid[64];
  int started[64] = {0};
  for (int t = 0; t < nt; t++) {
    jobs[t] = (struct fill_job){x, q, type, ne0, ne1 * t / nt, ne1 * (t + 1) / nt, row, std, mean, mix, *rng, from, perm};
    started[t] = t > 0 && pthread_create(&tid[t], NULL, fill_rows, &jobs[t]) == 0;
  }
  for (int t = 0; t < nt; t++)
    if (!started[t])
      fill_rows(&jobs[t]); /* this thread's share, and any a thread could not be started for */
  for (int t = 0; t < nt; t++)
    if (started[t])
      pthread_join(tid[t], NULL);
  *rng += 2 * (uint64_t)n * 0x9e3779b97f4a7c15ull; /* as if every value had been drawn here */
  int64_t ne[2] = {ne0, ne1};
  enum fix_status st = fix_gguf_add_tensor(w, name, type, ne1 == 1 ? 1 : 2, ne, q, err);
  if (keep && !st)
    *keep = x;
  else
    free(x);
  free(q);
  return st;
}

static enum fix_status add(struct fix_gguf_writer *w, const char *name, int want, int64_t ne0, int64_t ne1, float std,
                           float mean, uint64_t *rng, struct fix_err *err) {
  return add_ex(w, name, want, ne0, ne1, std, mean, rng, NULL, NULL, 0, NULL, err);
}

int fix_synth_parse_type(const char *name, struct fix_synth *s) {
  static const struct {
    const char *name;
    int type, mixed;
  } t[] = {{"f32", FIX_T_F32, 0},   {"f16", FIX_T_F16, 0},   {"bf16", FIX_T_BF16, 0},  {"q8_0", FIX_T_Q8_0, 0},
           {"q4_0", FIX_T_Q4_0, 0}, {"q4_1", FIX_T_Q4_1, 0}, {"q5_0", FIX_T_Q5_0, 0},  {"q5_1", FIX_T_Q5_1, 0},
           {"q4_k", FIX_T_Q4_K, 0}, {"q5_k", FIX_T_Q5_K, 0}, {"q6_k", FIX_T_Q6_K, 0},  {"q4_k_m", FIX_T_Q4_K, 1},
           {"q5_k_m", FIX_T_Q5_K, 1}};
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    if (!strcasecmp(name, t[i].name)) {
      s->type = t[i].type;
      s->mixed = t[i].mixed;
      return 0;
    }
  return -1;
}

int fix_synth_shape(const char *name, struct fix_synth *s) {
  if (!strcmp(name, "qwen2.5-coder-0.5b")) {
    s->arch = "qwen2", s->n_embd = 896, s->n_layer = 24, s->n_head = 14, s->n_head_kv = 2, s->n_ff = 4864;
    s->n_vocab = 151936, s->rope_theta = 1000000.0f, s->rms_eps = 1e-6f, s->tied = 1, s->n_ctx = 32768;
  } else if (!strcmp(name, "qwen2.5-coder-1.5b")) {
    s->arch = "qwen2", s->n_embd = 1536, s->n_layer = 28, s->n_head = 12, s->n_head_kv = 2, s->n_ff = 8960;
    s->n_vocab = 151936, s->rope_theta = 1000000.0f, s->rms_eps = 1e-6f, s->tied = 1, s->n_ctx = 32768;
  } else if (!strcmp(name, "tiny-llama")) {
    s->arch = "llama", s->n_embd = 256, s->n_layer = 2, s->n_head = 8, s->n_head_kv = 4, s->n_ff = 512;
    s->n_vocab = 0, s->rope_theta = 10000.0f, s->rms_eps = 1e-5f, s->tied = 0, s->n_ctx = 2048;
  } else if (!strcmp(name, "tiny-qwen2")) {
    s->arch = "qwen2", s->n_embd = 256, s->n_layer = 2, s->n_head = 8, s->n_head_kv = 2, s->n_ff = 512;
    s->n_vocab = 0, s->rope_theta = 1000000.0f, s->rms_eps = 1e-6f, s->tied = 1, s->n_ctx = 2048;
  } else {
    return -1;
  }
  return 0;
}

enum fix_status fix_model_synth(const struct fix_synth *s, const struct fix_tokenizer *tok, const char *path,
                                struct fix_err *err) {
  int n_vocab = s->n_vocab > fix_tokenizer_n_vocab(tok) ? s->n_vocab : fix_tokenizer_n_vocab(tok);
  if (s->n_embd <= 0 || s->n_layer <= 0 || s->n_head <= 0 || s->n_head_kv <= 0 || s->n_embd % s->n_head ||
      s->n_head % s->n_head_kv || s->n_ff <= 0)
    return fix_err_set(err, FIX_ERR_ARG, "implausible model shape");
  struct fix_gguf_writer *w = fix_gguf_writer_new();
  if (!w)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  const char *a = s->arch;
  char k[128];
#define KEY(x) (snprintf(k, sizeof k, "%s." x, a), k)
  fix_gguf_set_str(w, "general.architecture", a);
  fix_gguf_set_str(w, "general.name", s->name ? s->name : "fix synthetic model");
  fix_gguf_set_u32(w, "general.alignment", 32);
  fix_gguf_set_u32(w, KEY("context_length"), (uint32_t)(s->n_ctx > 0 ? s->n_ctx : 4096));
  fix_gguf_set_u32(w, KEY("embedding_length"), (uint32_t)s->n_embd);
  fix_gguf_set_u32(w, KEY("block_count"), (uint32_t)s->n_layer);
  fix_gguf_set_u32(w, KEY("feed_forward_length"), (uint32_t)s->n_ff);
  fix_gguf_set_u32(w, KEY("attention.head_count"), (uint32_t)s->n_head);
  fix_gguf_set_u32(w, KEY("attention.head_count_kv"), (uint32_t)s->n_head_kv);
  fix_gguf_set_f32(w, KEY("rope.freq_base"), s->rope_theta > 0 ? s->rope_theta : 10000.0f);
  fix_gguf_set_f32(w, KEY("attention.layer_norm_rms_epsilon"), s->rms_eps > 0 ? s->rms_eps : 1e-5f);
#undef KEY
  /* the vocabulary, padded to the embedding rows with unused tokens as real Qwen files are */
  fix_tokenizer_to_gguf(tok, w);
  if (n_vocab > fix_tokenizer_n_vocab(tok)) {
    const char **texts = calloc((size_t)n_vocab, sizeof *texts);
    int32_t *types = calloc((size_t)n_vocab, sizeof *types);
    char **pads = calloc((size_t)n_vocab, sizeof *pads);
    for (int i = 0; texts && types && pads && i < n_vocab; i++) {
      if (i < fix_tokenizer_n_vocab(tok)) {
        texts[i] = fix_tokenizer_text(tok, i, NULL);
        types[i] = fix_tokenizer_type(tok, i);
      } else {
        pads[i] = fix_asprintf("[PAD%d]", i);
        texts[i] = pads[i];
        types[i] = FIX_TOK_UNUSED;
      }
    }
    if (texts && types && pads) {
      fix_gguf_set_arr_str(w, "tokenizer.ggml.tokens", texts, (size_t)n_vocab);
      fix_gguf_set_arr_i32(w, "tokenizer.ggml.token_type", types, (size_t)n_vocab);
    }
    for (int i = 0; pads && i < n_vocab; i++)
      free(pads[i]);
    free(pads);
    free(texts);
    free(types);
  }
  if (!strcmp(a, "qwen2"))
    fix_gguf_set_str(w, "tokenizer.chat_template",
                     "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
                     "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
                     "{% endif %}");
  uint64_t rng = s->seed ? s->seed : 42;
  int E = s->n_embd, D = s->n_embd / s->n_head, Q = s->n_head * D, KV = s->n_head_kv * D, F = s->n_ff;
  int big = s->mixed ? (s->type == FIX_T_Q5_K ? FIX_T_Q6_K : FIX_T_Q6_K) : s->type;
  /* Structure makes a random model a useful test: an untied output maps each token's embedding to
   * a fixed random successor (logits are peaked yet the text varies), and strong blocks keep a tied
   * model from predicting its input again and again. */
  float *embd = NULL;
  enum fix_status st = add_ex(w, "token_embd.weight", big, E, n_vocab, 1.0f, 0, &rng, NULL, NULL, 0, &embd, err);
  if (!st)
    st = add(w, "output_norm.weight", FIX_T_F32, E, 1, 0.05f, 1.0f, &rng, err);
  if (!st && !s->tied) {
    int32_t *perm = malloc((size_t)n_vocab * sizeof *perm);
    if (!perm)
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    for (int i = 0; perm && i < n_vocab; i++)
      perm[i] = i;
    for (int i = n_vocab - 1; perm && i > 0; i--) {
      int j = (int)(rng_next(&rng) % (uint64_t)(i + 1));
      int32_t t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    if (!st)
      st = add_ex(w, "output.weight", big, E, n_vocab, 1.0f / sqrtf((float)E), 0, &rng, embd, perm,
                  1.0f / sqrtf((float)E), NULL, err);
    free(perm);
  }
  free(embd);
  float block = s->tied ? 2.0f : 1.0f;
  for (int l = 0; !st && l < s->n_layer; l++) {
    char n[64];
    float se = 0.5f / sqrtf((float)E), sf = 0.5f / sqrtf((float)F), sq = 0.5f / sqrtf((float)Q);
#define T(name) (snprintf(n, sizeof n, "blk.%d." name, l), n)
    st = add(w, T("attn_norm.weight"), FIX_T_F32, E, 1, 0.05f, 1.0f, &rng, err);
    if (!st)
      st = add(w, T("attn_q.weight"), s->type, E, Q, se, 0, &rng, err);
    if (!st)
      st = add(w, T("attn_k.weight"), s->type, E, KV, se, 0, &rng, err);
    if (!st)
      st = add(w, T("attn_v.weight"), s->mixed ? big : s->type, E, KV, se, 0, &rng, err);
    if (!st && !strcmp(a, "qwen2"))
      st = add(w, T("attn_q.bias"), FIX_T_F32, Q, 1, 0.1f, 0, &rng, err);
    if (!st && !strcmp(a, "qwen2"))
      st = add(w, T("attn_k.bias"), FIX_T_F32, KV, 1, 0.1f, 0, &rng, err);
    if (!st && !strcmp(a, "qwen2"))
      st = add(w, T("attn_v.bias"), FIX_T_F32, KV, 1, 0.1f, 0, &rng, err);
    if (!st)
      st = add(w, T("attn_output.weight"), s->type, Q, E, sq * block, 0, &rng, err);
    if (!st)
      st = add(w, T("ffn_norm.weight"), FIX_T_F32, E, 1, 0.05f, 1.0f, &rng, err);
    if (!st)
      st = add(w, T("ffn_gate.weight"), s->type, E, F, se * 2, 0, &rng, err);
    if (!st)
      st = add(w, T("ffn_up.weight"), s->type, E, F, se * 2, 0, &rng, err);
    if (!st)
      st = add(w, T("ffn_down.weight"), s->mixed ? big : s->type, F, E, sf * block, 0, &rng, err);
#undef T
  }
  if (!st)
    st = fix_gguf_write(w, path, err);
  fix_gguf_writer_free(w);
  return st;
}
