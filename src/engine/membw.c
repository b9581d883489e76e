/* membw.c — the machine's memory read bandwidth, measured the way token generation reads weights:
 * every thread streams its share of a buffer far larger than the caches. */
#include "fix/engine.h"
#include "pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bw {
  const uint64_t *p;
  size_t n;
  int tasks;
  uint64_t sums[64];
};

static void bw_task(void *ud, int task, int thread) {
  struct bw *b = ud;
  size_t per = b->n / (size_t)b->tasks, lo = per * (size_t)task, hi = lo + per;
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (size_t i = lo; i + 4 <= hi; i += 4) {
    s0 += b->p[i];
    s1 += b->p[i + 1];
    s2 += b->p[i + 2];
    s3 += b->p[i + 3];
  }
  b->sums[task & 63] += s0 + s1 + s2 + s3;
}

double fix_engine_read_bandwidth(int n_threads, size_t bytes) {
  if (n_threads <= 0)
    n_threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  struct pool *p = pool_new(n_threads);
  uint64_t *buf = malloc(bytes);
  if (!p || !buf) {
    pool_free(p);
    free(buf);
    return 0;
  }
  memset(buf, 1, bytes); /* fault the pages in */
  struct bw b = {buf, bytes / sizeof *buf, pool_threads(p), {0}};
  double best = 0;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = fix_now();
    pool_run(p, bw_task, &b, b.tasks);
    double dt = fix_now() - t0;
    if (dt > 0 && (double)bytes / dt > best)
      best = (double)bytes / dt;
  }
  volatile uint64_t sink = b.sums[0];
  (void)sink;
  free(buf);
  pool_free(p);
  return best;
}
