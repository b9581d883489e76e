/* pool.c — the persistent thread pool. Tasks come from a shared atomic counter, so uneven tasks
 * balance themselves. Between jobs the workers spin a little on the job counter before sleeping on
 * a condition variable, and the caller spins a little before sleeping on the job's end: a token's
 * forward pass is a few hundred short jobs, and a futex wake-up per job cost a quarter of the
 * generation time (perf: finish_task_switch and spin-unlock in the kernel). Both sides sleep by
 * the same rule: announce (seq_cst), recheck under the mutex, wait; the other side signals only
 * when it sees the announcement, so no wake-up is lost. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

#define SPINS 20000 /* about 0.1-1 ms of pause instructions before sleeping */

struct pool {
  int n;                 /* threads including the caller */
  pthread_t *th;
  pthread_mutex_t mu;
  pthread_cond_t go, done;
  atomic_uint_fast64_t generation; /* bumped per job */
  atomic_int quit;
  atomic_int sleepers;   /* workers asleep (or about to be) on `go` */
  atomic_int waiting;    /* the caller asleep (or about to be) on `done` */
  pool_fn fn;
  void *ctx;
  int n_tasks;
  atomic_int next;
  atomic_int running;    /* workers still inside the current job */
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
  for (;;) {
    for (int i = 0; i < SPINS && atomic_load(&p->generation) == seen && !atomic_load(&p->quit); i++)
      CPU_RELAX();
    if (atomic_load(&p->generation) == seen && !atomic_load(&p->quit)) {
      pthread_mutex_lock(&p->mu);
      atomic_fetch_add(&p->sleepers, 1);
      while (!atomic_load(&p->quit) && atomic_load(&p->generation) == seen)
        pthread_cond_wait(&p->go, &p->mu);
      atomic_fetch_sub(&p->sleepers, 1);
      pthread_mutex_unlock(&p->mu);
    }
    if (atomic_load(&p->quit))
      break;
    seen = atomic_load(&p->generation);
    work(p, w->id);
    if (atomic_fetch_sub(&p->running, 1) == 1 && atomic_load(&p->waiting)) {
      pthread_mutex_lock(&p->mu);
      pthread_cond_signal(&p->done);
      pthread_mutex_unlock(&p->mu);
    }
  }
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
  atomic_store(&p->quit, 1);
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
  p->fn = fn;
  p->ctx = ctx;
  p->n_tasks = n_tasks;
  atomic_store(&p->next, 0);
  atomic_store(&p->running, p->n - 1);
  atomic_fetch_add(&p->generation, 1); /* publishes the job (seq_cst) */
  if (atomic_load(&p->sleepers)) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
  }
  work(p, 0);
  for (int i = 0; i < SPINS && atomic_load(&p->running) > 0; i++)
    CPU_RELAX();
  if (atomic_load(&p->running) > 0) {
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->waiting, 1);
    while (atomic_load(&p->running) > 0)
      pthread_cond_wait(&p->done, &p->mu);
    atomic_store(&p->waiting, 0);
    pthread_mutex_unlock(&p->mu);
  }
}
