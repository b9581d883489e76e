/* pool.c — the persistent thread pool. Workers sleep on a condition variable between jobs and
 * take tasks from a shared atomic counter, so uneven tasks balance themselves. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

struct pool {
  int n;                 /* threads including the caller */
  pthread_t *th;
  pthread_mutex_t mu;
  pthread_cond_t go, done;
  uint64_t generation;   /* bumped per job */
  int quit;
  pool_fn fn;
  void *ctx;
  int n_tasks;
  atomic_int next;
  int running;           /* workers still inside the current job */
};

struct worker {
  struct pool *p;
  int id;
};

static void work(struct pool *p, int id) {
  for (;;) {
    int t = atomic_fetch_add(&p->next, 1);
    if (t >= p->n_tasks)
      break;
    p->fn(p->ctx, t, id);
  }
}

static void *main_loop(void *ud) {
  struct worker *w = ud;
  struct pool *p = w->p;
  uint64_t seen = 0;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->quit && p->generation == seen)
      pthread_cond_wait(&p->go, &p->mu);
    if (p->quit)
      break;
    seen = p->generation;
    pthread_mutex_unlock(&p->mu);
    work(p, w->id);
    pthread_mutex_lock(&p->mu);
    if (--p->running == 0)
      pthread_cond_signal(&p->done);
  }
  pthread_mutex_unlock(&p->mu);
  free(w);
  return NULL;
}

struct pool *pool_new(int n_threads) {
  struct pool *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->n = n_threads < 1 ? 1 : n_threads;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->go, NULL);
  pthread_cond_init(&p->done, NULL);
  p->th = calloc((size_t)p->n, sizeof *p->th);
  for (int i = 1; p->th && i < p->n; i++) {
    struct worker *w = malloc(sizeof *w);
    if (!w)
      break;
    w->p = p;
    w->id = i;
    if (pthread_create(&p->th[i], NULL, main_loop, w) != 0) {
      free(w);
      p->n = i;
      break;
    }
  }
  return p;
}

void pool_free(struct pool *p) {
  if (!p)
    return;
  pthread_mutex_lock(&p->mu);
  p->quit = 1;
  pthread_cond_broadcast(&p->go);
  pthread_mutex_unlock(&p->mu);
  for (int i = 1; p->th && i < p->n; i++)
    pthread_join(p->th[i], NULL);
  free(p->th);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->go);
  pthread_cond_destroy(&p->done);
  free(p);
}

int pool_threads(const struct pool *p) { return p->n; }

void pool_run(struct pool *p, pool_fn fn, void *ctx, int n_tasks) {
  if (p->n == 1 || n_tasks <= 1) {
    for (int t = 0; t < n_tasks; t++)
      fn(ctx, t, 0);
    return;
  }
  pthread_mutex_lock(&p->mu);
  p->fn = fn;
  p->ctx = ctx;
  p->n_tasks = n_tasks;
  atomic_store(&p->next, 0);
  p->running = p->n - 1;
  p->generation++;
  pthread_cond_broadcast(&p->go);
  pthread_mutex_unlock(&p->mu);
  work(p, 0);
  pthread_mutex_lock(&p->mu);
  while (p->running > 0)
    pthread_cond_wait(&p->done, &p->mu);
  pthread_mutex_unlock(&p->mu);
}
