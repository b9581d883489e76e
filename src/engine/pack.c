/* pack.c — the row-interleaved weight layout (quant.h: block_q4_0x16, block_q8_0x16): packing a
 * model's matrices at load, reading a row back (the embedding lookup), and the layout's scalar
 * kernels.
 *
 * Why: the file's layout keeps each row's blocks together, so a SIMD kernel multiplies one row at
 * a time and must rescale and sum lane by lane. Interleaving 16 rows puts one row in each 32-bit
 * lane of a 512-bit register: vpdpbusd then forms 16 rows' block products at once against one
 * broadcast activation dword, and each block needs one int->float and one fma for all 16 rows.
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

/* Where byte i (0-31 for Q8_0; 0-15, the nibble pairs, for Q4_0) of row r's block lies in qs. */
static inline int at(int i, int r) { return 64 * (i / 4) + 4 * r + i % 4; }

void pack_group(int type, const void *src, size_t row, void *dst, int64_t n) {
  int nb = (int)(n / QK);
  for (int b = 0; b < nb; b++)
    for (int r = 0; r < PACK_ROWS; r++) {
      const char *x = (const char *)src + (size_t)r * row;
      if (type == FIX_T_Q4_0) {
        const struct block_q4_0 *s = (const struct block_q4_0 *)x + b;
        struct block_q4_0x16 *d = (struct block_q4_0x16 *)dst + b;
        d->d[r] = s->d;
        for (int j = 0; j < 4; j++)
          memcpy(d->qs + at(4 * j, r), s->qs + 4 * j, 4);
      } else {
        const struct block_q8_0 *s = (const struct block_q8_0 *)x + b;
        struct block_q8_0x16 *d = (struct block_q8_0x16 *)dst + b;
        d->d[r] = s->d;
        for (int j = 0; j < 8; j++)
          for (int k = 0; k < 4; k++)
            d->qs[at(4 * j + k, r)] = (uint8_t)(s->qs[4 * j + k] ^ 0x80);
      }
    }
}

void packed_row_to_float(int type, const void *w, int64_t r, float *y, int64_t n) {
  int nb = (int)(n / QK), lane = (int)(r % PACK_ROWS);
  size_t bsz = type == FIX_T_Q4_0 ? sizeof(struct block_q4_0x16) : sizeof(struct block_q8_0x16);
  const char *g = (const char *)w + (size_t)(r / PACK_ROWS) * (size_t)nb * bsz;
  for (int b = 0; b < nb; b++, y += QK) {
    if (type == FIX_T_Q4_0) {
      const struct block_q4_0x16 *x = (const struct block_q4_0x16 *)g + b;
      float d = fix_f16_to_f32(x->d[lane]);
      for (int i = 0; i < 16; i++) {
        uint8_t q = x->qs[at(i, lane)];
        y[i] = (float)((q & 15) - 8) * d;
        y[i + 16] = (float)((q >> 4) - 8) * d;
      }
    } else {
      const struct block_q8_0x16 *x = (const struct block_q8_0x16 *)g + b;
      float d = fix_f16_to_f32(x->d[lane]);
      for (int i = 0; i < QK; i++)
        y[i] = (float)((int)x->qs[at(i, lane)] - 128) * d;
    }
  }
}

/* The scalar kernels: per row and block, the exact integer product (the weights unsigned, minus
 * the zero point times the activations' sum), then one multiply-add in float. */
static void ref_packed(int type, int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {
  int nb = n / QK;
  size_t bsz = type == FIX_T_Q4_0 ? sizeof(struct block_q4_0x16) : sizeof(struct block_q8_0x16);
  for (int g = 0; g < nr / PACK_ROWS; g++)
    for (int t = 0; t < nt; t++) {
      const struct block_q8a *yb = (const struct block_q8a *)((const char *)a + (size_t)t * arow);
      float acc[PACK_ROWS] = {0};
      for (int b = 0; b < nb; b++) {
        const char *blk = (const char *)w + ((size_t)g * (size_t)nb + (size_t)b) * bsz;
        const uint16_t *d = (const uint16_t *)blk;
        const uint8_t *qs = (const uint8_t *)blk + 2 * PACK_ROWS;
        for (int r = 0; r < PACK_ROWS; r++) {
          int s = 0;
          if (type == FIX_T_Q4_0) {
            for (int i = 0; i < 16; i++) {
              uint8_t q = qs[at(i, r)];
              s += (q & 15) * yb[b].qs[i] + (q >> 4) * yb[b].qs[i + 16];
            }
            s -= 8 * yb[b].sum;
          } else {
            for (int i = 0; i < QK; i++)
              s += qs[at(i, r)] * yb[b].qs[i];
            s -= 128 * yb[b].sum;
          }
          acc[r] += fix_f16_to_f32(d[r]) * yb[b].d * (float)s;
        }
      }
      for (int r = 0; r < PACK_ROWS; r++)
        y[(size_t)t * ys + (size_t)(g * PACK_ROWS + r)] = acc[r];
    }
}

void ref_packed_q4_0(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {
  ref_packed(FIX_T_Q4_0, n, nr, nt, w, a, arow, y, ys);
}

void ref_packed_q8_0(int n, int nr, int nt, const void *w, const void *a, size_t arow, float *y, size_t ys) {
  ref_packed(FIX_T_Q8_0, n, nr, nt, w, a, arow, y, ys);
}

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
  return w->data && fix_types[w->type].packed && w->ne1 % PACK_ROWS == 0 && w->ne0 % QK == 0;
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
