/* gpu_none.c — the CUDA backend of a build without CUDA (FIX_CUDA off, or no nvcc at build time):
 * there are no devices, and nothing else is ever called. */
#include "gpu.h"

#include <stdio.h>

static int none(char *why) {
  if (why)
    snprintf(why, GPU_WHY, "this fix was built without CUDA (configure with -DFIX_CUDA=ON where nvcc is installed)");
  return GPU_E_NODEV;
}

int gpu_device_count(char *why) {
  none(why);
  return 0;
}
int gpu_device_describe(int dev, char *desc, size_t n, size_t *free_bytes, size_t *total_bytes, char *why) {
  return none(why);
}
int gpu_model_supported(const struct gpu_model_desc *d, char *why) { return none(why); }
size_t gpu_model_bytes(const struct gpu_model_desc *d) { return 0; }
int gpu_model_upload(const struct gpu_model_desc *d, int dev, struct gpu_model **out, char *why) {
  *out = NULL;
  return none(why);
}
void gpu_model_free(struct gpu_model *g) {}
size_t gpu_ctx_bytes(const struct gpu_model_desc *d, int n_ctx, int n_seq) { return 0; }
int gpu_ctx_new(struct gpu_model *g, int n_ctx, int n_seq, struct gpu_ctx **out, char *why) {
  *out = NULL;
  return none(why);
}
void gpu_ctx_free(struct gpu_ctx *c) {}
int gpu_eval(struct gpu_ctx *c, const int *seq, const int *pos, const int32_t *tokens, int n, int first, float *logits,
             char *why) {
  return none(why);
}
int gpu_seq_copy(struct gpu_ctx *c, int src, int dst, int n, char *why) { return none(why); }
size_t gpu_peak_bytes(void) { return 0; }
int gpu_test_matmul(const struct gpu_matrix *w, const float *x, int nt, float *y, char *why) { return none(why); }
int gpu_test_attention(int n_head, int n_head_kv, int D, int n, int npos, int prompt, const float *q, const uint16_t *k,
                       const uint16_t *v, float *out, int *used, char *why) {
  return none(why);
}
int gpu_test_norm_rope(int n, int E, float eps, float *x, const float *w, int H, int KV, int D, float theta, int neox,
                       const int *pos, float *q, float *k, const float *bq, const float *bk, char *why) {
  return none(why);
}
