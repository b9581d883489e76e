/* pool.h — private to src/engine: a persistent thread pool. pool_run() hands task indexes
 * 0..n-1 to the calling thread and the workers (dynamic, an atomic counter) and returns when all
 * are done. */
#ifndef FIX_ENGINE_POOL_H
#define FIX_ENGINE_POOL_H

struct pool;
typedef void (*pool_fn)(void *ctx, int task, int thread);

struct pool *pool_new(int n_threads);
void pool_free(struct pool *p);
int pool_threads(const struct pool *p);
void pool_run(struct pool *p, pool_fn fn, void *ctx, int n_tasks);

#endif
