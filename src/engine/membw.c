/* membw.c — the machine's memory read bandwidth, measured the way token generation reads weights:
 * the model's own matrices, in generation's order, each split among the pool's threads in runs of
 * rows as matmul splits them, read with plain loads. The memory is the model's (already resident
 * or mapped), so the measurement adds nothing to the process's peak RSS. */
#include "model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bw {
  const char *p;
  size_t bytes;
  int tasks;
  uint64_t sums[64];
};

/* One 64-byte line at a time (SSE2 adds, the x86-64 baseline), with a software prefetch 4 KiB
 * ahead as the packed weight kernels do: the hardware prefetchers stop at page boundaries, and
 * without it this read ~25% less than generation then reached. */
typedef uint64_t v2u64 __attribute__((vector_size(16)));
static void bw_task(void *ud, int task, int thread) {
  (void)thread;
  struct bw *b = ud;
  size_t per = (b->bytes / (size_t)b->tasks) & ~(size_t)63, lo = per * (size_t)task;
  size_t hi = task == b->tasks - 1 ? b->bytes : lo + per; /* the last task takes the rest: all is read */
  v2u64 s0 = {0, 0}, s1 = {0, 0};
  for (size_t i = lo; i + 64 <= hi; i += 64) {
    __builtin_prefetch(b->p + i + 4096);
    v2u64 a, c, d, e;
    memcpy(&a, b->p + i, 16);
    memcpy(&c, b->p + i + 16, 16);
    memcpy(&d, b->p + i + 32, 16);
    memcpy(&e, b->p + i + 48, 16);
    s0 += a + c;
    s1 += d + e;
  }
  s0 += s1;
  b->sums[task & 63] += s0[0] + s0[1];
}

static double stream(struct fix_model *m, const struct weight *w, struct bw *b) {
  b->p = w->data;
  b->bytes = (size_t)w->ne1 * w->row;
  b->tasks = pool_threads(m->pool) * 8;
  pool_run(m->pool, bw_task, b, b->tasks);
  return (double)b->bytes;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double fix_model_read_bandwidth(struct fix_model *m, int reps) {
  double r[16];
  if (reps < 1)
    reps = 1;
  if (reps > 16)
    reps = 16;
  struct bw b = {0};
  for (int k = 0; k < reps; k++) {
    double t0 = fix_now(), bytes = 0;
    for (int l = 0; l < m->hp.n_layer; l++) {
      const struct layer *L = &m->layers[l];
      const struct weight *lw[] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->gate, &L->up, &L->down};
      for (int i = 0; i < 7; i++)
        bytes += stream(m, lw[i], &b);
    }
    bytes += stream(m, &m->output, &b);
    double dt = fix_now() - t0;
    r[k] = dt > 0 ? bytes / dt : 0;
  }
  volatile uint64_t sink = b.sums[0];
  (void)sink;
  qsort(r, (size_t)reps, sizeof r[0], cmp_double);
  return r[reps / 2];
}
