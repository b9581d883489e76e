/* forward.c — the transformer forward pass over a batch of tokens, with a KV cache for several
 * sequences. A batch's tokens may belong to different sequences (the candidates decoded together,
 * so each weight is read once per step) or to one (a prompt, or a token and its drafts); each token
 * is appended to its sequence and attends to that sequence only.
 *
 * Shapes (per chunk of B tokens): x, xn [B][E]; q, attn [B][H*D]; k, v [B][KV*D]; g, u [B][F].
 * Cache: k and v as f16 [layer][seq][pos][KV*D] (as llama.cpp's default cache). RoPE rotates (2i, 2i+1) pairs for llama and
 * (i, i+D/2) pairs for qwen2 (NeoX), with theta_i = pos * base^(-2i/D). Attention is causal within
 * the chunk and over everything cached before it; GQA maps head h to KV head h / (H/KV). */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 256
#define AQ 4 /* query tokens per attention task */

struct fix_ctx {
  struct fix_model *m;
  int n_ctx, n_seq;
  uint16_t *k, *v;   /* f16 [layer][seq][pos][kvd] */
  int *len;          /* tokens cached per sequence */
  int32_t *toks;     /* [seq][pos]: the cached tokens (prefix reuse) */
  /* scratch for a chunk */
  float *x, *xn, *q, *kk, *vv, *attn, *tmp, *g, *u, *scores, *qh, *atmp;
  int *anp;
  void *aq;
  struct gpu_ctx *gpu; /* the model is on a CUDA device: the cache and the work are there */
};

static size_t kv_index(const struct fix_ctx *c, int layer, int seq, int pos) {
  size_t kvd = (size_t)c->m->hp.n_head_kv * (size_t)c->m->hp.head_dim;
  return (((size_t)layer * (size_t)c->n_seq + (size_t)seq) * (size_t)c->n_ctx + (size_t)pos) * kvd;
}

enum fix_status fix_ctx_new(struct fix_model *m, int n_ctx, int n_seq, struct fix_ctx **out, struct fix_err *err) {
  *out = NULL;
  if (n_ctx <= 0 || n_seq <= 0 || n_seq > 64 || n_ctx > (1 << 20))
    return fix_err_set(err, FIX_ERR_ARG, "bad context size %d x %d sequences", n_ctx, n_seq);
  const struct fix_model_hparams *hp = &m->hp;
  struct fix_ctx *c = calloc(1, sizeof *c);
  if (!c)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  c->m = m;
  c->n_ctx = n_ctx;
  c->n_seq = n_seq;
  if (m->gpu) {
    char why[GPU_WHY];
    int rc = gpu_ctx_new(m->gpu, n_ctx, n_seq, &c->gpu, why);
    c->len = calloc((size_t)n_seq, sizeof *c->len);
    c->toks = malloc((size_t)n_seq * (size_t)n_ctx * sizeof *c->toks);
    if (rc || !c->len || !c->toks) {
      fix_ctx_free(c);
      return rc ? fix_err_set(err, model_gpu_status(rc), "GPU: %s", why)
                : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    }
    *out = c;
    return FIX_OK;
  }
  size_t kvd = (size_t)hp->n_head_kv * (size_t)hp->head_dim, qd = (size_t)hp->n_head * (size_t)hp->head_dim;
  size_t cache = (size_t)hp->n_layer * (size_t)n_seq * (size_t)n_ctx * kvd;
  c->k = malloc(cache * sizeof(uint16_t));
  c->v = malloc(cache * sizeof(uint16_t));
  c->len = calloc((size_t)n_seq, sizeof *c->len);
  c->toks = malloc((size_t)n_seq * (size_t)n_ctx * sizeof *c->toks);
  size_t E = (size_t)hp->n_embd, F = (size_t)hp->n_ff;
  c->x = malloc(CHUNK * E * sizeof(float));
  c->xn = malloc(CHUNK * (E > F ? E : F) * sizeof(float));
  c->q = malloc(CHUNK * qd * sizeof(float));
  c->kk = malloc(CHUNK * kvd * sizeof(float));
  c->vv = malloc(CHUNK * kvd * sizeof(float));
  c->attn = malloc(CHUNK * qd * sizeof(float));
  c->tmp = malloc(CHUNK * E * sizeof(float));
  c->g = malloc(CHUNK * F * sizeof(float));
  c->u = malloc(CHUNK * F * sizeof(float));
  size_t G = (size_t)(hp->n_head / hp->n_head_kv), nth = (size_t)pool_threads(m->pool);
  c->scores = malloc(nth * AQ * G * (size_t)n_ctx * sizeof(float));
  c->qh = malloc(nth * AQ * G * (size_t)hp->head_dim * sizeof(float));
  c->atmp = malloc(nth * ATT_CH * (size_t)hp->head_dim * sizeof(float));
  c->anp = malloc(nth * AQ * G * sizeof(int));
  /* the largest activation row: E or F values, the widest block format */
  size_t amax = act_row_size(ACT_F32, (int64_t)(E > F ? E : F)) + 1024;
  c->aq = malloc(CHUNK * amax);
  if (!c->k || !c->v || !c->len || !c->toks || !c->x || !c->xn || !c->q || !c->kk || !c->vv || !c->attn || !c->tmp || !c->g ||
      !c->u || !c->scores || !c->qh || !c->atmp || !c->anp || !c->aq) {
    fix_ctx_free(c);
    return fix_err_set(err, FIX_ERR_NOMEM, "not enough memory for a %d-token context (%zu MiB of cache)", n_ctx,
                       cache * 4 >> 20);
  }
  *out = c;
  return FIX_OK;
}

void fix_ctx_free(struct fix_ctx *c) {
  if (!c)
    return;
  gpu_ctx_free(c->gpu);
  free(c->k);
  free(c->v);
  free(c->len);
  free(c->toks);
  free(c->x);
  free(c->xn);
  free(c->q);
  free(c->kk);
  free(c->vv);
  free(c->attn);
  free(c->tmp);
  free(c->g);
  free(c->u);
  free(c->scores);
  free(c->qh);
  free(c->atmp);
  free(c->anp);
  free(c->aq);
  free(c);
}

struct fix_model *ctx_model(const struct fix_ctx *c) { return c->m; }

int fix_ctx_n_ctx(const struct fix_ctx *c) { return c->n_ctx; }

int fix_ctx_seq_len(const struct fix_ctx *c, int seq) { return seq >= 0 && seq < c->n_seq ? c->len[seq] : 0; }

int fix_ctx_common_prefix(const struct fix_ctx *c, int seq, const int32_t *tokens, int n) {
  if (seq < 0 || seq >= c->n_seq)
    return 0;
  const int32_t *have = c->toks + (size_t)seq * (size_t)c->n_ctx;
  int k = 0;
  while (k < n && k < c->len[seq] && have[k] == tokens[k])
    k++;
  return k;
}

void fix_ctx_seq_truncate(struct fix_ctx *c, int seq, int n) {
  if (seq >= 0 && seq < c->n_seq && n >= 0 && n < c->len[seq])
    c->len[seq] = n;
}

enum fix_status fix_ctx_seq_copy(struct fix_ctx *c, int src, int dst, int n, struct fix_err *err) {
  if (src < 0 || dst < 0 || src >= c->n_seq || dst >= c->n_seq || n > c->len[src] || n < 0)
    return fix_err_set(err, FIX_ERR_ARG, "bad sequence copy");
  if (src != dst && c->gpu) {
    char why[GPU_WHY];
    int rc = gpu_seq_copy(c->gpu, src, dst, n, why);
    if (rc)
      return fix_err_set(err, model_gpu_status(rc), "GPU: %s", why);
  } else if (src != dst) {
    size_t kvd = (size_t)c->m->hp.n_head_kv * (size_t)c->m->hp.head_dim;
    for (int l = 0; l < c->m->hp.n_layer; l++) {
      memcpy(&c->k[kv_index(c, l, dst, 0)], &c->k[kv_index(c, l, src, 0)], (size_t)n * kvd * sizeof(uint16_t));
      memcpy(&c->v[kv_index(c, l, dst, 0)], &c->v[kv_index(c, l, src, 0)], (size_t)n * kvd * sizeof(uint16_t));
    }
  }
  if (src != dst)
    memcpy(c->toks + (size_t)dst * (size_t)c->n_ctx, c->toks + (size_t)src * (size_t)c->n_ctx, (size_t)n * sizeof *c->toks);
  c->len[dst] = n;
  return FIX_OK;
}

static void rmsnorm(float *out, const float *x, const float *w, int n, float eps) {
  double ss = 0;
  for (int i = 0; i < n; i++)
    ss += (double)x[i] * x[i];
  float s = 1.0f / sqrtf((float)(ss / n) + eps);
  for (int i = 0; i < n; i++)
    out[i] = x[i] * s * w[i];
}

static void rope(float *x, int n_heads, int d, int pos, float base, int neox) {
  for (int h = 0; h < n_heads; h++) {
    float *v = x + (size_t)h * (size_t)d;
    for (int i = 0; i < d / 2; i++) {
      float theta = (float)pos * powf(base, -2.0f * (float)i / (float)d);
      float cs = cosf(theta), sn = sinf(theta);
      int a = neox ? i : 2 * i, b = neox ? i + d / 2 : 2 * i + 1;
      float x0 = v[a], x1 = v[b];
      v[a] = x0 * cs - x1 * sn;
      v[b] = x0 * sn + x1 * cs;
    }
  }
}

struct attn_job {
  struct fix_ctx *c;
  int layer;
  const int *seq, *pos;   /* per token */
  const int *tile;        /* first token of each tile: up to AQ consecutive positions of one sequence */
};

/* One task = one tile of query tokens x one KV head, with every query head that shares it (GQA):
 * each cached K and V row is read once for up to AQ * H/KV queries. Per query the arithmetic is
 * the one-query computation's, in the same order (scores by the f16 kernel against q rounded to
 * half precision, softmax weights rounded to half precision as ggml's f16 cache path does, V rows
 * summed in position order), so a prompt evaluated at once equals one evaluated token by token. */
static void attn_task(void *ud, int task, int thread) {
  struct attn_job *j = ud;
  struct fix_ctx *c = j->c;
  const struct fix_model_hparams *hp = &c->m->hp;
  int H = hp->n_head, D = hp->head_dim, KV = hp->n_head_kv, G = H / KV;
  int tile = task / KV, g = task % KV;
  int t0 = j->tile[tile], m = j->tile[tile + 1] - t0, nq = m * G;
  size_t kvd = (size_t)KV * (size_t)D;
  float *sc = c->scores + (size_t)thread * (size_t)AQ * (size_t)G * (size_t)c->n_ctx;
  float *qh = c->qh + (size_t)thread * (size_t)AQ * (size_t)G * (size_t)D;
  const uint16_t *kbase = &c->k[kv_index(c, j->layer, j->seq[t0], 0)] + (size_t)g * (size_t)D;
  const uint16_t *vbase = &c->v[kv_index(c, j->layer, j->seq[t0], 0)] + (size_t)g * (size_t)D;
  float scale = 1.0f / sqrtf((float)D);
  /* query qi = token t0 + qi / G, head g * G + qi % G */
  for (int qi = 0; qi < nq; qi++) {
    const float *q = c->q + (size_t)(t0 + qi / G) * (size_t)H * (size_t)D + (size_t)(g * G + qi % G) * (size_t)D;
    memcpy(qh + (size_t)qi * (size_t)D, q, (size_t)D * sizeof *q);
    fix_round_f16(qh + (size_t)qi * (size_t)D, D);
  }
  int last = j->pos[t0 + m - 1], *np = c->anp + (size_t)thread * AQ * (size_t)G;
  float *tmp = c->atmp + (size_t)thread * ATT_CH * (size_t)D;
  fix_attn_scores(D, nq, qh, kbase, kvd, last + 1, scale, sc, (size_t)c->n_ctx, tmp);
  for (int qi = 0; qi < nq; qi++) {
    int lq = j->pos[t0 + qi / G];
    np[qi] = lq + 1;
    fix_softmax_f16(sc + (size_t)qi * (size_t)c->n_ctx, lq + 1); /* weights meet V at half precision */
  }
  /* the outputs go where the queries were (qh), then to their heads */
  fix_attn_values(D, nq, sc, (size_t)c->n_ctx, np, vbase, kvd, qh, tmp);
  for (int qi = 0; qi < nq; qi++)
    memcpy(c->attn + (size_t)(t0 + qi / G) * (size_t)H * (size_t)D + (size_t)(g * G + qi % G) * (size_t)D,
           qh + (size_t)qi * (size_t)D, (size_t)D * sizeof(float));
}

/* the tokens of a chunk evaluated: now part of their sequences */
static void chunk_done(struct fix_ctx *c, const int *seq, const int *pos, const int32_t *tokens, int n) {
  for (int t = 0; t < n; t++) {
    c->toks[(size_t)seq[t] * (size_t)c->n_ctx + (size_t)pos[t]] = tokens[t];
    if (pos[t] + 1 > c->len[seq[t]])
      c->len[seq[t]] = pos[t] + 1;
  }
}

/* Token t goes to sequence seq[t] at position pos[t] (positions of one sequence increasing). */
static enum fix_status eval_chunk(struct fix_ctx *c, const int *seq, const int *pos, const int32_t *tokens, int n,
                                  int all_logits, float *logits, struct fix_err *err) {
  struct fix_model *m = c->m;
  const struct fix_model_hparams *hp = &m->hp;
  int E = hp->n_embd, H = hp->n_head, D = hp->head_dim, KV = hp->n_head_kv, F = hp->n_ff;
  size_t qd = (size_t)H * (size_t)D, kvd = (size_t)KV * (size_t)D;
  for (int t = 0; t < n; t++) {
    if (tokens[t] < 0 || tokens[t] >= hp->n_vocab)
      return fix_err_set(err, FIX_ERR_ARG, "token id %d is outside the vocabulary", tokens[t]);
    if (!c->gpu)
      weight_row_to_float(&m->tok_embd, tokens[t], c->x + (size_t)t * (size_t)E);
  }
  if (c->gpu) {
    char why[GPU_WHY];
    int rc = gpu_eval(c->gpu, seq, pos, tokens, n, all_logits ? 0 : n - 1, logits, why);
    if (rc)
      return fix_err_set(err, model_gpu_status(rc), "GPU: %s", why);
    chunk_done(c, seq, pos, tokens, n);
    return FIX_OK;
  }
  int tile[CHUNK + 1], ntiles = 0;
  for (int t = 0; t < n; t++)
    if (t == 0 || t - tile[ntiles - 1] == AQ || seq[t] != seq[t - 1] || pos[t] != pos[t - 1] + 1)
      tile[ntiles++] = t;
  tile[ntiles] = n;
  for (int l = 0; l < hp->n_layer; l++) {
    const struct layer *L = &m->layers[l];
    for (int t = 0; t < n; t++)
      rmsnorm(c->xn + (size_t)t * (size_t)E, c->x + (size_t)t * (size_t)E, L->attn_norm, E, hp->rms_eps);
    matmul(m->pool, &L->wq, c->xn, n, c->q, c->aq);
    matmul(m->pool, &L->wk, c->xn, n, c->kk, c->aq);
    matmul(m->pool, &L->wv, c->xn, n, c->vv, c->aq);
    for (int t = 0; t < n; t++) {
      float *q = c->q + (size_t)t * qd, *k = c->kk + (size_t)t * kvd, *v = c->vv + (size_t)t * kvd;
      if (L->bq)
        for (size_t i = 0; i < qd; i++)
          q[i] += L->bq[i];
      if (L->bk)
        for (size_t i = 0; i < kvd; i++)
          k[i] += L->bk[i];
      if (L->bv)
        for (size_t i = 0; i < kvd; i++)
          v[i] += L->bv[i];
      rope(q, H, D, pos[t], hp->rope_theta, hp->rope_neox);
      rope(k, KV, D, pos[t], hp->rope_theta, hp->rope_neox);
      uint16_t *kc = &c->k[kv_index(c, l, seq[t], pos[t])], *vc = &c->v[kv_index(c, l, seq[t], pos[t])];
      for (size_t i = 0; i < kvd; i++) {
        kc[i] = fix_f32_to_f16(k[i]);
        vc[i] = fix_f32_to_f16(v[i]);
      }
    }
    struct attn_job j = {c, l, seq, pos, tile};
    pool_run(m->pool, attn_task, &j, ntiles * KV);
    matmul(m->pool, &L->wo, c->attn, n, c->tmp, c->aq);
    for (size_t i = 0; i < (size_t)n * (size_t)E; i++)
      c->x[i] += c->tmp[i];
    for (int t = 0; t < n; t++)
      rmsnorm(c->xn + (size_t)t * (size_t)E, c->x + (size_t)t * (size_t)E, L->ffn_norm, E, hp->rms_eps);
    matmul(m->pool, &L->gate, c->xn, n, c->g, c->aq);
    matmul(m->pool, &L->up, c->xn, n, c->u, c->aq);
    fix_swiglu(c->g, c->u, (int64_t)n * F);
    matmul(m->pool, &L->down, c->g, n, c->tmp, c->aq);
    for (size_t i = 0; i < (size_t)n * (size_t)E; i++)
      c->x[i] += c->tmp[i];
  }
  int first = all_logits ? 0 : n - 1;
  for (int t = first; t < n; t++)
    rmsnorm(c->xn + (size_t)(t - first) * (size_t)E, c->x + (size_t)t * (size_t)E, m->out_norm, E, hp->rms_eps);
  if (logits)
    matmul(m->pool, &m->output, c->xn, n - first, logits, c->aq);
  chunk_done(c, seq, pos, tokens, n);
  return FIX_OK;
}

enum fix_status fix_ctx_eval(struct fix_ctx *c, int seq, const int32_t *tokens, int n, int all_logits, float *logits,
                             struct fix_err *err) {
  if (seq < 0 || seq >= c->n_seq)
    return fix_err_set(err, FIX_ERR_ARG, "no sequence %d", seq);
  if (n <= 0)
    return FIX_OK;
  if (c->len[seq] + n > c->n_ctx)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "the context is full: %d + %d tokens > %d", c->len[seq], n, c->n_ctx);
  size_t nv = (size_t)c->m->hp.n_vocab;
  int seqs[CHUNK], pos[CHUNK];
  for (int off = 0; off < n;) {
    int b = n - off > CHUNK ? CHUNK : n - off;
    int last_chunk = off + b == n;
    float *out = !logits ? NULL : all_logits ? logits + (size_t)off * nv : last_chunk ? logits : NULL;
    for (int i = 0; i < b; i++)
      seqs[i] = seq, pos[i] = c->len[seq] + i;
    enum fix_status st = eval_chunk(c, seqs, pos, tokens + off, b, all_logits, out, err);
    if (st)
      return st;
    off += b;
  }
  return FIX_OK;
}

enum fix_status fix_ctx_eval_batch(struct fix_ctx *c, const int *seq, const int32_t *tokens, int n, float *logits,
                                   struct fix_err *err) {
  if (n <= 0)
    return FIX_OK;
  if (n > CHUNK)
    return fix_err_set(err, FIX_ERR_ARG, "a batch of %d tokens (at most %d)", n, CHUNK);
  int pos[CHUNK], added[64] = {0};
  for (int i = 0; i < n; i++) {
    if (seq[i] < 0 || seq[i] >= c->n_seq)
      return fix_err_set(err, FIX_ERR_ARG, "no sequence %d", seq[i]);
    pos[i] = c->len[seq[i]] + added[seq[i]]++;
    if (pos[i] >= c->n_ctx)
      return fix_err_set(err, FIX_ERR_TOO_BIG, "the context is full: %d tokens in sequence %d", c->n_ctx, seq[i]);
  }
  return eval_chunk(c, seq, pos, tokens, n, 1, logits, err);
}
