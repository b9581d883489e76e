/* cuda/backend.cu — the CUDA backend's host side (gpu.h): devices, the weights' upload, the KV
 * cache, and the forward pass as a sequence of launches on one stream. A step of at most
 * MV_MAX_TOK tokens (decoding) is captured once per shape into a CUDA graph and replayed: one
 * launch a token instead of about ten a layer. The step's inputs go through pinned host buffers that the
 * graph's first node copies in; the logits rows come back through pinned memory the last node fills. */
#include "../gpu.h"
#include "kernels.cuh"

#include <atomic>

#include "blocks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 256    /* tokens a call, as forward.c's */
#define SPLIT_TOK 32 /* tokens a launch of the split attention (its partials' buffer is sized for these) */

/* device bytes allocated now and at most, over every model of the process (the language server loads
 * models on worker threads: atomics) */
static std::atomic<size_t> g_live, g_peak;

static int fail(char *why, int code, const char *fmt, ...) {
  if (why) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, GPU_WHY, fmt, ap);
    va_end(ap);
  }
  return code;
}

#define CU(call)                                                                                                       \
  do {                                                                                                                 \
    cudaError_t e_ = (call);                                                                                           \
    if (e_ != cudaSuccess)                                                                                             \
      return fail(why, e_ == cudaErrorMemoryAllocation ? GPU_E_MEMORY : GPU_E_CUDA, "CUDA: %s: %s", #call,            \
                  cudaGetErrorString(e_));                                                                             \
  } while (0)

/* device allocations counted for gpu_peak_bytes (sizes kept in a header before the block would
 * break alignment, so each is remembered by the caller) */
static cudaError_t dalloc(void **p, size_t n) {
  cudaError_t e = cudaMalloc(p, n);
  if (e == cudaSuccess) {
    size_t now = g_live.fetch_add(n) + n, peak = g_peak.load();
    while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
    }
  }
  return e;
}
static void dfree(void *p, size_t n) {
  if (p) {
    cudaFree(p);
    g_live -= n;
  }
}

extern "C" size_t gpu_peak_bytes(void) { return g_peak.load(); }

extern "C" int gpu_device_count(char *why) {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    cudaGetLastError();
    fail(why, GPU_E_NODEV, "%s", e == cudaErrorInsufficientDriver ? "no CUDA driver on this machine (or one older than "
                                                                    "this build's CUDA 13 runtime)"
                                 : e == cudaErrorNoDevice ? "no CUDA device"
                                                          : cudaGetErrorString(e));
    return 0;
  }
  if (n == 0)
    fail(why, GPU_E_NODEV, "no CUDA device");
  return n;
}

extern "C" int gpu_device_describe(int dev, char *desc, size_t n, size_t *free_b, size_t *total_b, char *why) {
  cudaDeviceProp p;
  CU(cudaGetDeviceProperties(&p, dev));
  CU(cudaSetDevice(dev));
  size_t fr = 0, tot = 0;
  CU(cudaMemGetInfo(&fr, &tot));
  if (desc)
    snprintf(desc, n, "%s (sm_%d%d, %.1f GiB, %d SMs)", p.name, p.major, p.minor, (double)tot / (1 << 30),
             p.multiProcessorCount);
  if (free_b)
    *free_b = fr;
  if (total_b)
    *total_b = tot;
  if (p.major < 8)
    return fail(why, GPU_E_UNSUPPORTED, "%s has compute capability %d.%d; fix's CUDA kernels need 8.0 or newer", p.name,
                p.major, p.minor);
  return GPU_OK;
}

/* ---- the model ---- */

struct dlayer {
  float *attn_norm, *ffn_norm, *bq, *bk, *bv;
  dmat wq, wk, wv, wo, gate, up, down;
};

struct gpu_model {
  int dev;
  struct gpu_model_desc hp; /* pointers in it are the host's: not used after upload */
  uint8_t *arena;           /* every weight, one allocation */
  size_t arena_size;
  dmat tok_embd, output;
  float *out_norm;
  dlayer *layers;
};

static size_t align256(size_t n) { return (n + 255) & ~(size_t)255; }
static size_t mat_bytes(const struct gpu_matrix *m) { return align256(m->row * (size_t)m->ne1); }

static int type_ok(int t) {
  switch (t) {
  case BLK_F32: case BLK_F16: case BLK_BF16: case BLK_Q4_0: case BLK_Q4_1: case BLK_Q5_0: case BLK_Q5_1:
  case BLK_Q8_0: case BLK_Q4_K: case BLK_Q5_K: case BLK_Q6_K: return 1;
  default: return 0;
  }
}

extern "C" int gpu_model_supported(const struct gpu_model_desc *d, char *why) {
  int G = d->n_head / d->n_head_kv;
  if (d->head_dim > 256 || d->head_dim % 8)
    return fail(why, GPU_E_UNSUPPORTED, "head size %d (the CUDA kernels take multiples of 8 up to 256)", d->head_dim);
  if (G > 16)
    return fail(why, GPU_E_UNSUPPORTED, "%d query heads per KV head (the CUDA kernels take up to 16)", G);
  if (d->n_embd % 32 || d->n_ff % 32 || (d->n_head * d->head_dim) % 32)
    return fail(why, GPU_E_UNSUPPORTED, "row lengths must be multiples of 32 on the GPU (embedding %d, feed-forward %d)",
                d->n_embd, d->n_ff);
  const struct gpu_matrix *ms[2] = {&d->tok_embd, &d->output};
  for (int i = 0; i < 2; i++)
    if (!type_ok(ms[i]->type))
      return fail(why, GPU_E_UNSUPPORTED, "weight type %d has no CUDA kernel", ms[i]->type);
  for (int l = 0; l < d->n_layer; l++) {
    const struct gpu_layer_desc *L = &d->layers[l];
    const struct gpu_matrix *lm[7] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->gate, &L->up, &L->down};
    for (int i = 0; i < 7; i++)
      if (!type_ok(lm[i]->type))
        return fail(why, GPU_E_UNSUPPORTED, "layer %d: weight type %d has no CUDA kernel", l, lm[i]->type);
  }
  return GPU_OK;
}

static size_t vec_bytes(int n) { return align256((size_t)n * sizeof(float)); }

extern "C" size_t gpu_model_bytes(const struct gpu_model_desc *d) {
  int Q = d->n_head * d->head_dim, KV = d->n_head_kv * d->head_dim;
  size_t n = mat_bytes(&d->tok_embd) + (d->output.data == d->tok_embd.data ? 0 : mat_bytes(&d->output)) +
             vec_bytes(d->n_embd);
  for (int l = 0; l < d->n_layer; l++) {
    const struct gpu_layer_desc *L = &d->layers[l];
    n += mat_bytes(&L->wq) + mat_bytes(&L->wk) + mat_bytes(&L->wv) + mat_bytes(&L->wo) + mat_bytes(&L->gate) +
         mat_bytes(&L->up) + mat_bytes(&L->down) + 2 * vec_bytes(d->n_embd);
    if (L->bq)
      n += vec_bytes(Q) + 2 * vec_bytes(KV);
  }
  return n;
}

/* The upload: host bytes gathered into two pinned staging buffers in turn, each copied to the
 * device asynchronously while the other fills (the first touch of the file's pages overlaps the
 * copy engine's transfer). */
#define STAGE (64u << 20)
struct uploader {
  uint8_t *stage[2];
  cudaEvent_t done[2];
  cudaStream_t s;
  int cur;
  size_t fill;
  uint8_t *dst; /* device address of stage[cur]'s first byte */
};

static int up_flush(struct uploader *u, char *why) {
  if (!u->fill)
    return GPU_OK;
  CU(cudaMemcpyAsync(u->dst, u->stage[u->cur], u->fill, cudaMemcpyHostToDevice, u->s));
  CU(cudaEventRecord(u->done[u->cur], u->s));
  u->cur ^= 1;
  u->fill = 0;
  u->dst = NULL;
  CU(cudaEventSynchronize(u->done[u->cur])); /* the other buffer's copy has finished: it may be refilled */
  return GPU_OK;
}

/* bytes of host memory to device address dst (contiguous calls keep filling one staging buffer) */
static int up_put(struct uploader *u, uint8_t *dst, const void *src, size_t n, char *why) {
  const uint8_t *p = (const uint8_t *)src;
  while (n) {
    if (u->fill && u->dst + u->fill != dst) {
      int rc = up_flush(u, why);
      if (rc)
        return rc;
    }
    if (!u->fill)
      u->dst = dst;
    size_t k = STAGE - u->fill < n ? STAGE - u->fill : n;
    memcpy(u->stage[u->cur] + u->fill, p, k);
    u->fill += k, p += k, dst += k, n -= k;
    if (u->fill == STAGE) {
      int rc = up_flush(u, why);
      if (rc)
        return rc;
    }
  }
  return GPU_OK;
}

static int up_mat(struct uploader *u, uint8_t **at, const struct gpu_matrix *m, dmat *out, char *why) {
  out->data = *at;
  out->type = m->type;
  out->ne0 = (int)m->ne0;
  out->ne1 = (int)m->ne1;
  out->row = m->row;
  int rc = up_put(u, *at, m->data, m->row * (size_t)m->ne1, why);
  *at += mat_bytes(m);
  return rc;
}

static int up_vec(struct uploader *u, uint8_t **at, const float *v, int n, float **out, char *why) {
  *out = (float *)*at;
  int rc = up_put(u, *at, v, (size_t)n * sizeof(float), why);
  *at += vec_bytes(n);
  return rc;
}

static int upload_all(struct gpu_model *g, const struct gpu_model_desc *d, struct uploader *u, char *why) {
  int Q = d->n_head * d->head_dim, KV = d->n_head_kv * d->head_dim, rc;
  uint8_t *at = g->arena;
  if ((rc = up_mat(u, &at, &d->tok_embd, &g->tok_embd, why)))
    return rc;
  if (d->output.data == d->tok_embd.data)
    g->output = g->tok_embd;
  else if ((rc = up_mat(u, &at, &d->output, &g->output, why)))
    return rc;
  if ((rc = up_vec(u, &at, d->out_norm, d->n_embd, &g->out_norm, why)))
    return rc;
  for (int l = 0; l < d->n_layer; l++) {
    const struct gpu_layer_desc *L = &d->layers[l];
    dlayer *D = &g->layers[l];
    if ((rc = up_vec(u, &at, L->attn_norm, d->n_embd, &D->attn_norm, why)) ||
        (rc = up_vec(u, &at, L->ffn_norm, d->n_embd, &D->ffn_norm, why)) ||
        (rc = up_mat(u, &at, &L->wq, &D->wq, why)) || (rc = up_mat(u, &at, &L->wk, &D->wk, why)) ||
        (rc = up_mat(u, &at, &L->wv, &D->wv, why)) || (rc = up_mat(u, &at, &L->wo, &D->wo, why)) ||
        (rc = up_mat(u, &at, &L->gate, &D->gate, why)) || (rc = up_mat(u, &at, &L->up, &D->up, why)) ||
        (rc = up_mat(u, &at, &L->down, &D->down, why)))
      return rc;
    if (L->bq && ((rc = up_vec(u, &at, L->bq, Q, &D->bq, why)) || (rc = up_vec(u, &at, L->bk, KV, &D->bk, why)) ||
                  (rc = up_vec(u, &at, L->bv, KV, &D->bv, why))))
      return rc;
  }
  if ((rc = up_flush(u, why)))
    return rc;
  CU(cudaStreamSynchronize(u->s));
  return GPU_OK;
}

extern "C" void gpu_model_free(struct gpu_model *g) {
  if (!g)
    return;
  dfree(g->arena, g->arena_size);
  free(g->layers);
  free(g);
}

extern "C" int gpu_model_upload(const struct gpu_model_desc *d, int dev, struct gpu_model **out, char *why) {
  *out = NULL;
  int rc = gpu_model_supported(d, why);
  if (rc)
    return rc;
  size_t fr = 0, tot = 0;
  char name[160];
  if ((rc = gpu_device_describe(dev, name, sizeof name, &fr, &tot, why)))
    return rc;
  size_t need = gpu_model_bytes(d);
  if (need > fr)
    return fail(why, GPU_E_MEMORY, "the model's weights need %.0f MiB of GPU memory; %s has %.0f MiB free of %.0f MiB "
                "(splitting layers between the GPU and the CPU is not supported yet: use --gpu none, or a smaller or "
                "more quantized model)", (double)need / (1 << 20), name, (double)fr / (1 << 20), (double)tot / (1 << 20));
  struct gpu_model *g = (struct gpu_model *)calloc(1, sizeof *g);
  if (!g || !(g->layers = (dlayer *)calloc((size_t)d->n_layer, sizeof(dlayer)))) {
    free(g);
    return fail(why, GPU_E_MEMORY, "out of host memory");
  }
  g->dev = dev;
  g->hp = *d;
  g->hp.layers = NULL;
  struct uploader u = {};
  cudaError_t e = dalloc((void **)&g->arena, need);
  if (e == cudaSuccess)
    g->arena_size = need;
  rc = e != cudaSuccess ? fail(why, GPU_E_MEMORY, "cannot allocate %.0f MiB on the GPU: %s", (double)need / (1 << 20),
                               cudaGetErrorString(e))
                        : GPU_OK;
  for (int i = 0; !rc && i < 2; i++) {
    if (cudaMallocHost((void **)&u.stage[i], STAGE) != cudaSuccess || cudaEventCreate(&u.done[i]) != cudaSuccess)
      rc = fail(why, GPU_E_MEMORY, "cannot allocate pinned staging memory");
  }
  if (!rc && cudaStreamCreateWithFlags(&u.s, cudaStreamNonBlocking) != cudaSuccess)
    rc = fail(why, GPU_E_CUDA, "cannot create a CUDA stream");
  if (!rc)
    rc = upload_all(g, d, &u, why);
  for (int i = 0; i < 2; i++) {
    if (u.stage[i])
      cudaFreeHost(u.stage[i]);
    if (u.done[i])
      cudaEventDestroy(u.done[i]);
  }
  if (u.s)
    cudaStreamDestroy(u.s);
  if (rc) {
    gpu_model_free(g);
    return rc;
  }
  *out = g;
  return GPU_OK;
}

/* ---- contexts ---- */

#define NGRAPH (MV_MAX_TOK * 2)

struct gpu_ctx {
  struct gpu_model *g;
  int n_ctx, n_seq;
  attn_geom geo;
  cudaStream_t s;
  __half *kc, *vc;
  size_t kv_bytes;
  /* activations for CHUNK tokens */
  float *x, *xn, *q, *k, *v, *attn, *gt, *u, *opart;
  float2 *ml;
  int8_t *xq;
  float *xd;
  size_t act_bytes;
  void *act; /* one allocation holding the above */
  int *d_in; /* tokens, seqs, positions: 3 x CHUNK */
  int *h_in; /* pinned */
  float *d_logits, *h_logits; /* logit_rows rows */
  int logit_rows;
  cudaGraphExec_t graph[NGRAPH]; /* decode steps: index (n - 1) * 2 + (logits wanted) */
  int no_fa;                     /* FIX_GPU_NO_FA: prompts through the split kernel too (tests compare) */
};

static int n_split_for(int n_ctx, int *split_len) {
  int ns = (n_ctx + 255) / 256;
  ns = ns > 32 ? 32 : ns;
  int len = (n_ctx + ns - 1) / ns;
  *split_len = len;
  return ns;
}

extern "C" size_t gpu_ctx_bytes(const struct gpu_model_desc *d, int n_ctx, int n_seq) {
  size_t kvd = (size_t)d->n_head_kv * d->head_dim;
  return 2 * (size_t)d->n_layer * (size_t)n_seq * (size_t)n_ctx * kvd * sizeof(__half);
}

extern "C" void gpu_ctx_free(struct gpu_ctx *c) {
  if (!c)
    return;
  for (int i = 0; i < NGRAPH; i++)
    if (c->graph[i])
      cudaGraphExecDestroy(c->graph[i]);
  dfree(c->kc, c->kv_bytes / 2);
  dfree(c->vc, c->kv_bytes / 2);
  dfree(c->act, c->act_bytes);
  dfree(c->d_in, 3 * CHUNK * sizeof(int));
  dfree(c->d_logits, (size_t)c->logit_rows * c->g->hp.n_vocab * sizeof(float));
  if (c->h_in)
    cudaFreeHost(c->h_in);
  if (c->h_logits)
    cudaFreeHost(c->h_logits);
  if (c->s)
    cudaStreamDestroy(c->s);
  free(c);
}

/* room for `rows` logits rows on both sides (grown outside graph capture only) */
static int logits_room(struct gpu_ctx *c, int rows, char *why) {
  if (rows <= c->logit_rows)
    return GPU_OK;
  int want = rows < 8 ? 8 : rows;
  size_t nv = (size_t)c->g->hp.n_vocab;
  for (int i = 0; i < NGRAPH; i++) /* the graphs copy into the old buffers */
    if (c->graph[i]) {
      cudaGraphExecDestroy(c->graph[i]);
      c->graph[i] = NULL;
    }
  dfree(c->d_logits, (size_t)c->logit_rows * nv * sizeof(float));
  if (c->h_logits)
    cudaFreeHost(c->h_logits);
  c->d_logits = NULL, c->h_logits = NULL, c->logit_rows = 0;
  CU(dalloc((void **)&c->d_logits, (size_t)want * nv * sizeof(float)));
  CU(cudaMallocHost((void **)&c->h_logits, (size_t)want * nv * sizeof(float)));
  c->logit_rows = want;
  return GPU_OK;
}

extern "C" int gpu_ctx_new(struct gpu_model *g, int n_ctx, int n_seq, struct gpu_ctx **out, char *why) {
  *out = NULL;
  const struct gpu_model_desc *d = &g->hp;
  CU(cudaSetDevice(g->dev));
  size_t fr = 0, tot = 0;
  CU(cudaMemGetInfo(&fr, &tot));
  size_t kvb = gpu_ctx_bytes(d, n_ctx, n_seq);
  if (kvb > fr)
    return fail(why, GPU_E_MEMORY, "a KV cache of %d tokens x %d sequences needs %.0f MiB of GPU memory; %.0f MiB are "
                "free", n_ctx, n_seq, (double)kvb / (1 << 20), (double)fr / (1 << 20));
  struct gpu_ctx *c = (struct gpu_ctx *)calloc(1, sizeof *c);
  if (!c)
    return fail(why, GPU_E_MEMORY, "out of host memory");
  c->g = g;
  c->n_ctx = n_ctx;
  c->n_seq = n_seq;
  c->no_fa = getenv("FIX_GPU_NO_FA") != NULL;
  attn_geom *a = &c->geo;
  a->n_head = d->n_head, a->n_head_kv = d->n_head_kv, a->head_dim = d->head_dim, a->n_ctx = n_ctx, a->n_seq = n_seq;
  a->rope_theta = d->rope_theta, a->rope_neox = d->rope_neox;
  a->n_split = n_split_for(n_ctx, &a->split_len);
  int rc = GPU_OK;
#define TRY(call)                                                                                                      \
  do {                                                                                                                 \
    cudaError_t e_ = (call);                                                                                           \
    if (!rc && e_ != cudaSuccess)                                                                                      \
      rc = fail(why, e_ == cudaErrorMemoryAllocation ? GPU_E_MEMORY : GPU_E_CUDA, "CUDA: %s: %s", #call,              \
                cudaGetErrorString(e_));                                                                               \
  } while (0)
  TRY(cudaStreamCreateWithFlags(&c->s, cudaStreamNonBlocking));
  c->kv_bytes = kvb;
  if (!rc)
    TRY(dalloc((void **)&c->kc, kvb / 2));
  if (!rc)
    TRY(dalloc((void **)&c->vc, kvb / 2));
  size_t E = (size_t)d->n_embd, F = (size_t)d->n_ff, Q = (size_t)d->n_head * d->head_dim,
         KV = (size_t)d->n_head_kv * d->head_dim, W = E > F ? E : F;
  W = W > Q ? W : Q;
  size_t sizes[11] = {CHUNK * E * 4, CHUNK * W * 4, CHUNK * Q * 4, CHUNK * KV * 4, CHUNK * KV * 4, CHUNK * Q * 4,
                      CHUNK * F * 4, CHUNK * F * 4, (size_t)SPLIT_TOK * d->n_head * a->n_split * d->head_dim * 4,
                      (size_t)SPLIT_TOK * d->n_head * a->n_split * sizeof(float2), CHUNK * W + CHUNK * (W / 32) * 4};
  size_t tot_act = 0;
  for (int i = 0; i < 11; i++)
    tot_act += align256(sizes[i]);
  c->act_bytes = tot_act;
  if (!rc)
    TRY(dalloc(&c->act, tot_act));
  if (!rc) {
    uint8_t *p = (uint8_t *)c->act;
    float **fs[8] = {&c->x, &c->xn, &c->q, &c->k, &c->v, &c->attn, &c->gt, &c->u};
    for (int i = 0; i < 8; i++)
      *fs[i] = (float *)p, p += align256(sizes[i]);
    c->opart = (float *)p, p += align256(sizes[8]);
    c->ml = (float2 *)p, p += align256(sizes[9]);
    c->xq = (int8_t *)p;
    c->xd = (float *)(p + align256(CHUNK * W));
  }
  if (!rc)
    TRY(dalloc((void **)&c->d_in, 3 * CHUNK * sizeof(int)));
  if (!rc)
    TRY(cudaMallocHost((void **)&c->h_in, 3 * CHUNK * sizeof(int)));
  if (!rc)
    rc = logits_room(c, MV_MAX_TOK, why);
#undef TRY
  if (rc) {
    gpu_ctx_free(c);
    return rc;
  }
  *out = c;
  return GPU_OK;
}

extern "C" int gpu_seq_copy(struct gpu_ctx *c, int src, int dst, int n, char *why) {
  if (src == dst || n <= 0)
    return GPU_OK;
  size_t kvd = (size_t)c->g->hp.n_head_kv * c->g->hp.head_dim;
  for (int l = 0; l < c->g->hp.n_layer; l++) {
    size_t from = (((size_t)l * c->n_seq + src) * c->n_ctx) * kvd, to = (((size_t)l * c->n_seq + dst) * c->n_ctx) * kvd;
    CU(cudaMemcpyAsync(c->kc + to, c->kc + from, (size_t)n * kvd * sizeof(__half), cudaMemcpyDeviceToDevice, c->s));
    CU(cudaMemcpyAsync(c->vc + to, c->vc + from, (size_t)n * kvd * sizeof(__half), cudaMemcpyDeviceToDevice, c->s));
  }
  CU(cudaStreamSynchronize(c->s));
  return GPU_OK;
}

/* y (+)= W x for n tokens of x (f32 rows of W's ne0); quantized: x's int8 form in xq/xd (quant()) */
static void mm(struct gpu_ctx *c, const dmat &w, const float *x, int n, float *y, int ldy, int acc) {
  launch_matmul(c->s, w, x, w.ne0, c->xq, c->xd, n, y, ldy, acc);
}

static int wants_int8(int n, const dmat *a, const dmat *b, const dmat *d) {
  return n <= MV_MAX_TOK && (!blk_is_float(a->type) || (b && !blk_is_float(b->type)) || (d && !blk_is_float(d->type)));
}

/* x's int8 form for the one-token kernels, when one of the matrices it meets wants it */
static void quant(struct gpu_ctx *c, const float *x, int n, int ne, const dmat *a, const dmat *b, const dmat *d) {
  if (wants_int8(n, a, b, d))
    launch_quant_q8(c->s, x, ne, n, ne, c->xq, c->xd);
}

/* RMSNorm into xn, with xn's int8 form in the same pass when the matrices it meets want it */
static void norm(struct gpu_ctx *c, const float *x, const float *w, int n, const dmat *a, const dmat *b) {
  const struct gpu_model_desc *d = &c->g->hp;
  if (wants_int8(n, a, b, NULL))
    launch_rmsnorm_q8(c->s, x, w, n, d->n_embd, d->rms_eps, c->xn, c->xq, c->xd);
  else
    launch_rmsnorm(c->s, x, w, n, d->n_embd, d->rms_eps, c->xn);
}

/* Everything of one step after the inputs are on the device; no allocation, no synchronization.
 * A decode step is 10 launches a layer: norm (+ int8), q/k/v, bias + RoPE + cache, attention
 * (split, combine + int8), output projection (+ residual), norm (+ int8), gate/up/SwiGLU, int8,
 * down projection (+ residual). */
static void enqueue_forward(struct gpu_ctx *c, int n, int first, int logits, int prompt) {
  const struct gpu_model *g = c->g;
  const struct gpu_model_desc *d = &g->hp;
  int E = d->n_embd, F = d->n_ff, Q = d->n_head * d->head_dim, KV = d->n_head_kv * d->head_dim;
  const int32_t *tok = c->d_in;
  const int *seq = c->d_in + CHUNK, *pos = c->d_in + 2 * CHUNK;
  cudaStream_t s = c->s;
  size_t layer_kv = (size_t)c->n_seq * c->n_ctx * KV;
  launch_embed(s, g->tok_embd, tok, n, c->x);
  for (int l = 0; l < d->n_layer; l++) {
    const dlayer *L = &g->layers[l];
    norm(c, c->x, L->attn_norm, n, &L->wq, &L->wk);
    if (wants_int8(n, &L->wv, NULL, NULL) && !wants_int8(n, &L->wq, &L->wk, NULL))
      launch_quant_q8(s, c->xn, E, n, E, c->xq, c->xd);
    dmat w3[3] = {L->wq, L->wk, L->wv};
    float *y3[3] = {c->q, c->k, c->v};
    int ld3[3] = {Q, KV, KV};
    launch_matmul3(s, w3, y3, ld3, c->xn, E, c->xq, c->xd, n);
    launch_qkv_post(s, c->geo, n, c->q, c->k, c->v, L->bq, L->bk, L->bv, seq, pos, c->kc + l * layer_kv,
                    c->vc + l * layer_kv);
    int fuse = wants_int8(n, &L->wo, NULL, NULL) && d->head_dim % 32 == 0;
    if (!prompt || c->no_fa ||
        launch_attention_prompt(s, c->geo, n, c->q, seq, pos, c->kc + l * layer_kv, c->vc + l * layer_kv, c->attn))
      for (int off = 0; off < n; off += SPLIT_TOK) { /* candidates and drafts: SPLIT_TOK tokens a launch */
        int m = n - off < SPLIT_TOK ? n - off : SPLIT_TOK;
        size_t at = (size_t)off * Q;
        launch_attention(s, c->geo, m, c->q + at, seq + off, pos + off, c->kc + l * layer_kv, c->vc + l * layer_kv,
                         c->opart, c->ml, c->attn + at, fuse ? c->xq + at : NULL, c->xd + at / 32);
      }
    if (!fuse)
      quant(c, c->attn, n, Q, &L->wo, NULL, NULL);
    mm(c, L->wo, c->attn, n, c->x, E, 1);
    norm(c, c->x, L->ffn_norm, n, &L->gate, &L->up);
    if (n <= MV_MAX_TOK && L->gate.type == L->up.type) {
      launch_matmul_glu(s, L->gate, L->up, c->xn, E, c->xq, c->xd, n, c->gt, F);
    } else {
      mm(c, L->gate, c->xn, n, c->gt, F, 0);
      mm(c, L->up, c->xn, n, c->u, F, 0);
      launch_swiglu(s, c->gt, c->u, (long)n * F);
    }
    quant(c, c->gt, n, F, &L->down, NULL, NULL);
    mm(c, L->down, c->gt, n, c->x, E, 1);
  }
  if (!logits)
    return;
  int rows = n - first;
  norm(c, c->x + (size_t)first * E, g->out_norm, rows, &g->output, NULL);
  mm(c, g->output, c->xn, rows, c->d_logits, d->n_vocab, 0);
  cudaMemcpyAsync(c->h_logits, c->d_logits, (size_t)rows * d->n_vocab * sizeof(float), cudaMemcpyDeviceToHost, s);
}

static void enqueue_step(struct gpu_ctx *c, int n, int first, int logits, int prompt) {
  cudaMemcpyAsync(c->d_in, c->h_in, 3 * CHUNK * sizeof(int), cudaMemcpyHostToDevice, c->s);
  enqueue_forward(c, n, first, logits, prompt);
}

extern "C" int gpu_eval(struct gpu_ctx *c, const int *seq, const int *pos, const int32_t *tokens, int n, int first,
                        float *logits, char *why) {
  if (n <= 0 || n > CHUNK || first < 0 || first >= n)
    return fail(why, GPU_E_ARG, "bad batch: %d tokens", n);
  const struct gpu_model_desc *d = &c->g->hp;
  CU(cudaSetDevice(c->g->dev));
  int want = logits != NULL, rows = n - first;
  if (want) {
    int rc = logits_room(c, rows, why);
    if (rc)
      return rc;
  }
  memcpy(c->h_in, tokens, (size_t)n * sizeof(int));
  memcpy(c->h_in + CHUNK, seq, (size_t)n * sizeof(int));
  memcpy(c->h_in + 2 * CHUNK, pos, (size_t)n * sizeof(int));
  /* a prompt: more tokens than the one-token kernels take, one sequence, consecutive positions */
  int prompt = n > MV_MAX_TOK;
  for (int i = 1; prompt && i < n; i++)
    prompt = seq[i] == seq[0] && pos[i] == pos[0] + i;
  /* a decode-sized step with one logits row per token (or none) replays its graph */
  int gi = n <= MV_MAX_TOK && (!want || first == 0) && !getenv("FIX_GPU_NO_GRAPH") ? (n - 1) * 2 + want : -1;
  if (gi >= 0 && !c->graph[gi]) {
    cudaGraph_t graph;
    CU(cudaStreamBeginCapture(c->s, cudaStreamCaptureModeThreadLocal));
    enqueue_step(c, n, first, want, 0);
    cudaError_t e = cudaStreamEndCapture(c->s, &graph);
    if (e != cudaSuccess)
      return fail(why, GPU_E_CUDA, "CUDA: capturing a decode step: %s", cudaGetErrorString(e));
    e = cudaGraphInstantiate(&c->graph[gi], graph, 0);
    cudaGraphDestroy(graph);
    if (e != cudaSuccess) {
      c->graph[gi] = NULL;
      return fail(why, GPU_E_CUDA, "CUDA: instantiating a decode step's graph: %s", cudaGetErrorString(e));
    }
  }
  if (gi >= 0)
    CU(cudaGraphLaunch(c->graph[gi], c->s));
  else
    enqueue_step(c, n, first, want, prompt);
  CU(cudaGetLastError());
  CU(cudaStreamSynchronize(c->s));
  if (want)
    memcpy(logits, c->h_logits, (size_t)rows * d->n_vocab * sizeof(float));
  return GPU_OK;
}

/* ---- single kernels for the tests ---- */

extern "C" int gpu_test_matmul(const struct gpu_matrix *w, const float *x, int nt, float *y, char *why) {
  size_t wb = w->row * (size_t)w->ne1, xb = (size_t)nt * w->ne0 * sizeof(float), yb = (size_t)nt * w->ne1 * sizeof(float);
  uint8_t *dw = NULL;
  float *dx = NULL, *dy = NULL, *xd = NULL;
  int8_t *xq = NULL;
  int rc = GPU_OK;
  if (cudaMalloc((void **)&dw, wb) || cudaMalloc((void **)&dx, xb) || cudaMalloc((void **)&dy, yb) ||
      cudaMalloc((void **)&xq, (size_t)nt * w->ne0) || cudaMalloc((void **)&xd, (size_t)nt * (w->ne0 / 32) * 4))
    rc = fail(why, GPU_E_MEMORY, "cannot allocate the test's device memory");
  if (!rc && (cudaMemcpy(dw, w->data, wb, cudaMemcpyHostToDevice) || cudaMemcpy(dx, x, xb, cudaMemcpyHostToDevice) ||
              cudaMemset(dy, 0xff, yb))) /* poison: NaN wherever the kernel writes nothing */
    rc = fail(why, GPU_E_CUDA, "cannot copy the test's data to the device");
  if (!rc) {
    dmat m = {dw, w->type, (int)w->ne0, (int)w->ne1, w->row};
    if (nt <= MV_MAX_TOK && !blk_is_float(w->type))
      launch_quant_q8(0, dx, (int)w->ne0, nt, (int)w->ne0, xq, xd);
    launch_matmul(0, m, dx, (int)w->ne0, xq, xd, nt, dy, (int)w->ne1, 0);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
      e = cudaDeviceSynchronize();
    if (e == cudaSuccess)
      e = cudaMemcpy(y, dy, yb, cudaMemcpyDeviceToHost);
    if (e != cudaSuccess)
      rc = fail(why, GPU_E_CUDA, "CUDA: matmul: %s", cudaGetErrorString(e));
  }
  cudaFree(dw);
  cudaFree(dx);
  cudaFree(dy);
  cudaFree(xq);
  cudaFree(xd);
  return rc;
}

/* device copies of host arrays for the tests (freed by test_free) */
static void *test_up(const void *h, size_t n) {
  void *d = NULL;
  if (cudaMalloc(&d, n ? n : 1) != cudaSuccess)
    return NULL;
  if (h)
    cudaMemcpy(d, h, n, cudaMemcpyHostToDevice);
  else
    cudaMemset(d, 0xff, n); /* poison */
  return d;
}

extern "C" int gpu_test_attention(int n_head, int n_head_kv, int D, int n, int npos, int prompt, const float *q,
                                  const uint16_t *k, const uint16_t *v, float *out, int *used, char *why) {
  attn_geom g = {};
  g.n_head = n_head, g.n_head_kv = n_head_kv, g.head_dim = D, g.n_ctx = npos, g.n_seq = 1;
  g.n_split = n_split_for(npos, &g.split_len);
  size_t qd = (size_t)n_head * D, kvd = (size_t)n_head_kv * D;
  int *hseq = (int *)calloc((size_t)n, sizeof(int)), *hpos = (int *)malloc((size_t)n * sizeof(int));
  for (int i = 0; i < n && hpos; i++)
    hpos[i] = npos - n + i;
  float *dq = (float *)test_up(q, (size_t)n * qd * 4), *dout = (float *)test_up(NULL, (size_t)n * qd * 4);
  __half *dk = (__half *)test_up(k, (size_t)npos * kvd * 2), *dv = (__half *)test_up(v, (size_t)npos * kvd * 2);
  int *dseq = (int *)test_up(hseq, (size_t)n * 4), *dpos = (int *)test_up(hpos, (size_t)n * 4);
  float *opart = (float *)test_up(NULL, (size_t)SPLIT_TOK * qd * g.n_split * 4);
  float2 *ml = (float2 *)test_up(NULL, (size_t)SPLIT_TOK * n_head * g.n_split * sizeof(float2));
  int rc = !hseq || !hpos || !dq || !dout || !dk || !dv || !dseq || !dpos || !opart || !ml
               ? fail(why, GPU_E_MEMORY, "cannot allocate the test's memory")
               : GPU_OK;
  *used = 0;
  if (!rc) {
    if (prompt && launch_attention_prompt(0, g, n, dq, dseq, dpos, dk, dv, dout) == 0)
      *used = 1;
    else
      for (int off = 0; off < n; off += SPLIT_TOK) {
        int m = n - off < SPLIT_TOK ? n - off : SPLIT_TOK;
        launch_attention(0, g, m, dq + (size_t)off * qd, dseq + off, dpos + off, dk, dv, opart, ml,
                         dout + (size_t)off * qd, NULL, NULL);
      }
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
      e = cudaDeviceSynchronize();
    if (e == cudaSuccess)
      e = cudaMemcpy(out, dout, (size_t)n * qd * 4, cudaMemcpyDeviceToHost);
    if (e != cudaSuccess)
      rc = fail(why, GPU_E_CUDA, "CUDA: attention: %s", cudaGetErrorString(e));
  }
  void *all[] = {dq, dout, dk, dv, dseq, dpos, opart, ml};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    cudaFree(all[i]);
  free(hseq);
  free(hpos);
  return rc;
}

extern "C" int gpu_test_norm_rope(int n, int E, float eps, float *x, const float *w, int H, int KV, int D,
                                  float theta, int neox, const int *pos, float *q, float *k, const float *bq,
                                  const float *bk, char *why) {
  size_t qd = (size_t)H * D, kvd = (size_t)KV * D;
  attn_geom g = {};
  g.n_head = H, g.n_head_kv = KV, g.head_dim = D, g.rope_theta = theta, g.rope_neox = neox, g.n_seq = 1;
  int maxpos = 0;
  for (int i = 0; i < n; i++)
    maxpos = pos[i] > maxpos ? pos[i] : maxpos;
  g.n_ctx = maxpos + 1;
  float *dx = (float *)test_up(x, (size_t)n * E * 4), *dw = (float *)test_up(w, (size_t)E * 4);
  float *dn = (float *)test_up(NULL, (size_t)n * E * 4), *dq = (float *)test_up(q, (size_t)n * qd * 4);
  float *dk = (float *)test_up(k, (size_t)n * kvd * 4), *dv = (float *)test_up(k, (size_t)n * kvd * 4);
  float *dbq = bq ? (float *)test_up(bq, qd * 4) : NULL, *dbk = bq ? (float *)test_up(bk, kvd * 4) : NULL;
  float *dbv = bq ? (float *)test_up(bk, kvd * 4) : NULL;
  int *hseq = (int *)calloc((size_t)n, sizeof(int));
  int *dseq = (int *)test_up(hseq, (size_t)n * 4), *dpos = (int *)test_up(pos, (size_t)n * 4);
  __half *kc = (__half *)test_up(NULL, (size_t)g.n_ctx * kvd * 2), *vc = (__half *)test_up(NULL, (size_t)g.n_ctx * kvd * 2);
  int rc = !dx || !dw || !dn || !dq || !dk || !dv || !hseq || !dseq || !dpos || !kc || !vc || (bq && (!dbq || !dbk || !dbv))
               ? fail(why, GPU_E_MEMORY, "cannot allocate the test's memory")
               : GPU_OK;
  if (!rc) {
    launch_rmsnorm(0, dx, dw, n, E, eps, dn);
    launch_qkv_post(0, g, n, dq, dk, dv, dbq, dbk, dbv, dseq, dpos, kc, vc);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
      e = cudaDeviceSynchronize();
    if (e == cudaSuccess)
      e = cudaMemcpy(x, dn, (size_t)n * E * 4, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess)
      e = cudaMemcpy(q, dq, (size_t)n * qd * 4, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess)
      e = cudaMemcpy(k, dk, (size_t)n * kvd * 4, cudaMemcpyDeviceToHost);
    if (e != cudaSuccess)
      rc = fail(why, GPU_E_CUDA, "CUDA: norm/rope: %s", cudaGetErrorString(e));
  }
  void *all[] = {dx, dw, dn, dq, dk, dv, dbq, dbk, dbv, dseq, dpos, kc, vc};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    cudaFree(all[i]);
  free(hseq);
  return rc;
}
