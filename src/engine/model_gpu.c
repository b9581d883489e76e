/* model_gpu.c — choosing where a model runs (--gpu auto|none|N) and handing its weights to the
 * CUDA backend (gpu.h). `auto` takes CUDA device 0 when the build has CUDA, a device is present and
 * the model fits; otherwise the CPU, with the reason kept for fix_model_device. An explicit device
 * that cannot be used is an error naming why (no device, too little memory: the sizes). After the
 * upload the file's pages are dropped from this process (madvise): no second resident copy. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int fix_gpu_parse(const char *s, int *out) {
  if (!s || !*s || !strcmp(s, "auto")) {
    *out = FIX_GPU_AUTO;
    return 0;
  }
  if (!strcmp(s, "none") || !strcmp(s, "cpu")) {
    *out = FIX_GPU_NONE;
    return 0;
  }
  char *end;
  long v = strtol(s, &end, 10);
  if (*s < '0' || *s > '9' || *end || v > 64)
    return -1;
  *out = (int)v;
  return 0;
}

int fix_gpu_count(char *why, size_t n) {
  char w[GPU_WHY] = "";
  int c = gpu_device_count(w);
  if (why && n)
    snprintf(why, n, "%s", w);
  return c;
}

static struct gpu_matrix gm(const struct weight *w) {
  return (struct gpu_matrix){w->data, w->type, w->ne0, w->ne1, w->row};
}

/* the backend's description of m (layers: n_layer entries, owned by the caller) */
static void describe(const struct fix_model *m, struct gpu_model_desc *d, struct gpu_layer_desc *layers) {
  const struct fix_model_hparams *hp = &m->hp;
  *d = (struct gpu_model_desc){hp->n_vocab, hp->n_embd, hp->n_layer, hp->n_head, hp->n_head_kv, hp->head_dim, hp->n_ff,
                               hp->rope_theta, hp->rms_eps, hp->rope_neox, gm(&m->tok_embd), gm(&m->output),
                               m->out_norm, layers};
  for (int l = 0; l < hp->n_layer; l++) {
    const struct layer *L = &m->layers[l];
    layers[l] = (struct gpu_layer_desc){L->attn_norm, L->ffn_norm, L->bq, L->bk, L->bv, gm(&L->wq), gm(&L->wk),
                                        gm(&L->wv), gm(&L->wo), gm(&L->gate), gm(&L->up), gm(&L->down)};
  }
}

enum fix_status model_gpu_status(int rc) {
  switch (rc) {
  case GPU_OK: return FIX_OK;
  case GPU_E_NODEV: return FIX_ERR_CONFIG;
  case GPU_E_MEMORY: return FIX_ERR_TOO_BIG;
  case GPU_E_UNSUPPORTED: return FIX_ERR_UNSUPPORTED;
  case GPU_E_ARG: return FIX_ERR_ARG;
  default: return FIX_ERR_DEVICE;
  }
}

enum fix_status model_gpu_place(struct fix_model *m, int want, struct fix_err *err) {
  char why[GPU_WHY] = "";
  snprintf(m->device, sizeof m->device, "CPU (%s kernels)", fix_engine_kernels());
  if (want == FIX_GPU_NONE)
    return FIX_OK;
  int n = gpu_device_count(why);
  int dev = want == FIX_GPU_AUTO ? 0 : want;
  if (n == 0 || dev >= n) {
    if (want != FIX_GPU_AUTO)
      return n == 0 ? fix_err_set(err, FIX_ERR_CONFIG, "--gpu %d: %s", want, why)
                    : fix_err_set(err, FIX_ERR_CONFIG, "--gpu %d: there %s only %d CUDA device%s (0-%d)", want,
                                  n == 1 ? "is" : "are", n, n == 1 ? "" : "s", n - 1);
    snprintf(m->device + strlen(m->device), sizeof m->device - strlen(m->device), ": %s", why);
    return FIX_OK;
  }
  struct gpu_layer_desc *layers = calloc((size_t)m->hp.n_layer, sizeof *layers);
  if (!layers)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  struct gpu_model_desc d;
  describe(m, &d, layers);
  char desc[200] = "";
  int rc = gpu_device_describe(dev, desc, sizeof desc, NULL, NULL, why);
  double t0 = fix_now();
  if (!rc)
    rc = gpu_model_upload(&d, dev, &m->gpu, why);
  free(layers);
  if (rc) {
    if (want != FIX_GPU_AUTO)
      return fix_err_set(err, model_gpu_status(rc), "--gpu %d: %s", want, why);
    snprintf(m->device + strlen(m->device), sizeof m->device - strlen(m->device), ": CUDA device %d not used: %s", dev,
             why);
    return FIX_OK;
  }
  m->gpu_upload_s = fix_now() - t0;
  snprintf(m->device, sizeof m->device, "CUDA %d: %s", dev, desc);
  /* the weights live on the device now: let the kernel drop the file's pages from this process */
  const struct fix_gguf *g = m->g;
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t lo = ((uintptr_t)g->map + g->data_offset + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
  uintptr_t hi = ((uintptr_t)g->map + g->size) & ~((uintptr_t)page - 1);
  if (page > 0 && hi > lo)
    madvise((void *)lo, hi - lo, MADV_DONTNEED);
  return FIX_OK;
}

const char *fix_model_device(const struct fix_model *m) { return m->device; }
int fix_model_on_gpu(const struct fix_model *m) { return m->gpu != NULL; }
size_t fix_gpu_peak_bytes(void) { return gpu_peak_bytes(); }
