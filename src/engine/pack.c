/* pack.c — packing a model's matrices at load into the row-interleaved layouts (pack_layout.c)
 * where this CPU has their kernels.
 *
 * Memory: the packed matrices go to one anonymous mapping, filled in chunks; after each chunk the
 * file pages it came from are dropped from the process (madvise), so the weights are resident
 * once, plus at most one chunk in flight. That mapping is then kept on disk (pack_cache.c), and
 * later loads map the file instead: no packing, no fresh pages to zero, still one copy. */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- packing a model ---- */

struct pack_job {
  const struct weight *src;
  char *dst;
  int64_t g0; /* first group of this chunk */
};

static void pack_task(void *ud, int task, int thread) {
  (void)thread;
  const struct pack_job *j = ud;
  int64_t g = j->g0 + task;
  size_t gbytes = (size_t)PACK_ROWS * j->src->row;
  pack_group(j->src->type, (const char *)j->src->data + (size_t)g * gbytes, j->src->row, j->dst + (size_t)g * gbytes,
             j->src->ne0);
}

static int packable(const struct weight *w) {
  return w->data && fix_types[w->type].packed && w->ne1 % PACK_ROWS == 0 &&
         w->ne0 % (int64_t)fix_types[w->type].blck == 0;
}

/* The i-th matrix of the model (the tied output is the embedding, packed once), or NULL past the end. */
static struct weight *matrix(struct fix_model *m, int i) {
  if (i == 0)
    return &m->tok_embd;
  if (i == 1)
    return m->hp.tied_output ? NULL : &m->output;
  int l = (i - 2) / 7;
  if (l >= m->hp.n_layer)
    return NULL;
  struct layer *L = &m->layers[l];
  struct weight *lw[] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->gate, &L->up, &L->down};
  return lw[(i - 2) % 7];
}

/* Packs matrix w into dst in chunks of about 8 MiB; a file mapping's pages already copied are
 * dropped as it goes (read again, they would come back from the file). */
static void pack_matrix(struct fix_model *m, const struct weight *w, char *dst) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  int64_t groups = w->ne1 / PACK_ROWS, gbytes = (int64_t)PACK_ROWS * (int64_t)w->row;
  int64_t per = (8 << 20) / gbytes > 64 ? (8 << 20) / gbytes : 64;
  uintptr_t base = (uintptr_t)w->data, dropped = (base + page - 1) & ~(page - 1);
  for (int64_t g0 = 0; g0 < groups; g0 += per) {
    int64_t cnt = groups - g0 < per ? groups - g0 : per;
    struct pack_job j = {w, dst, g0};
    pool_run(m->pool, pack_task, &j, (int)cnt);
    uintptr_t hi = (base + (uintptr_t)((g0 + cnt) * gbytes)) & ~(page - 1);
    if (m->g->path && hi > dropped) {
      madvise((void *)dropped, hi - dropped, MADV_DONTNEED);
      dropped = hi;
    }
  }
}

enum fix_status model_pack(struct fix_model *m, struct fix_err *err) {
  (void)err;
  int n = 2 + 7 * m->hp.n_layer;
  size_t total = 0;
  uint64_t shapes = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < n; i++) {
    const struct weight *w = matrix(m, i);
    if (w && packable(w)) {
      total += (size_t)w->ne1 * w->row; /* the packed copy is the file's size */
      int64_t key[3] = {w->type, w->ne0, w->ne1};
      shapes = fix_hash64(key, sizeof key) ^ (shapes * 0x100000001b3ull);
    }
  }
  if (!total)
    return FIX_OK;
  /* a valid cache entry is mapped as it is; otherwise pack into fresh memory (and keep it) */
  char *cache = pack_cache_path(m, total);
  void *mem = cache ? pack_cache_map(m, cache, shapes, total) : NULL;
  int cached = mem != NULL;
  if (!mem) {
    mem = mmap(NULL, PACK_HEADER + total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) { /* the file's layout still works, only slower */
      free(cache);
      return FIX_OK;
    }
#ifdef MADV_HUGEPAGE
    /* Huge pages read ~5-10% faster in generation, but where the kernel compacts memory for them
     * on demand (transparent_hugepage/defrag = madvise, the default) a load can stall for 0.3-0.8 s
     * (measured here): opt in with FIX_HUGEPAGES=1 for long-lived processes. */
    const char *huge = getenv("FIX_HUGEPAGES");
    if (huge && *huge == '1')
      madvise(mem, PACK_HEADER + total, MADV_HUGEPAGE);
#endif
  }
  m->packed = mem;
  m->packed_size = PACK_HEADER + total;
  char *dst = (char *)mem + PACK_HEADER;
  for (int i = 0; i < n; i++) {
    struct weight *w = matrix(m, i);
    if (!w || !packable(w))
      continue;
    if (!cached)
      pack_matrix(m, w, dst);
    w->data = dst;
    w->packed = 1;
    dst += (size_t)w->ne1 * w->row;
  }
  if (m->hp.tied_output)
    m->output = m->tok_embd;
  if (cache && !cached)
    pack_cache_store(m, cache, shapes, mem, total);
  m->hp.packing = cached ? FIX_PACKING_CACHED : FIX_PACKING_BUILT;
  free(cache);
  return FIX_OK;
}

const char *fix_packing_name(int packing) {
  return packing == FIX_PACKING_CACHED ? "packed (cached)" : packing == FIX_PACKING_BUILT ? "packed" : "file layout";
}

void model_unpack_free(struct fix_model *m) {
  if (m->packed)
    munmap(m->packed, m->packed_size);
  m->packed = NULL;
}
