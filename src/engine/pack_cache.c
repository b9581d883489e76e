/* pack_cache.c — the packed matrices (pack.c) kept on disk, so later loads of a model map them
 * instead of packing again.
 *
 * Why: packing the 0.5B model takes ~0.15-0.25 s here, nearly all of it the kernel zeroing fresh
 * anonymous pages (perf: clear_page_erms), most of the 0.3 s budget from process start to the
 * first token. A file in the page cache maps with no zeroing and no copy, and it is then the only
 * resident copy of those weights (the GGUF's pages for them are never touched).
 *
 * Where: the directory $FIX_PACK_CACHE, else fix_cache_dir("packed"); FIX_PACK_CACHE=0 turns it
 * off. One file per model path (named by a hash of the canonical path), and only for models
 * whose packed matrices reach FIX_PACK_CACHE_MIN bytes (default 64 MiB: smaller ones pack in a
 * few milliseconds). Writing an entry removes entries whose model file is gone or changed, and
 * temporary files a killed writer left more than an hour ago.
 *
 * Trust: a file is used only if its header names this layout version, this model file (size,
 * modification time, inode, device), the same matrices (type and shape, in order) and the data's
 * checksum matches; anything else is a miss, and the entry is rewritten. Written with
 * fix_file_replace (temporary file, rename) without an fsync - it cost 1.2 s for the 0.5B model
 * here - since the checksum catches what a crash could leave half written. */
#include "model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "FIXPACK"
#define VERSION 2u /* bump when a packed block layout changes (2: Q4_K and Q6_K packed) */
#define SUM_CHUNK ((size_t)4 << 20)

struct header {
  char magic[8];
  uint32_t version, pad;
  uint64_t src_size, src_dev, src_ino;
  int64_t src_mtime_ns;
  uint64_t shapes; /* the packed matrices' types and shapes, hashed in order */
  uint64_t data_size, data_sum;
  uint64_t header_sum; /* of the fields above */
  char src_path[PACK_HEADER - 80];
};
_Static_assert(sizeof(struct header) == PACK_HEADER, "the header fills the first page");

static uint64_t mix64(uint64_t x) { /* splitmix64's finaliser */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* ---- the data checksum: Fletcher-style sums over 8-byte words, 4 MiB chunks on the pool's
 * threads, chunk sums combined in order (so the result does not depend on the thread count) ---- */

struct sum_job {
  const uint8_t *p;
  size_t n;
  uint64_t *out;
};

static void sum_task(void *ud, int task, int thread) {
  (void)thread;
  const struct sum_job *j = ud;
  size_t off = (size_t)task * SUM_CHUNK, n = j->n - off < SUM_CHUNK ? j->n - off : SUM_CHUNK;
  const uint8_t *p = j->p + off;
  uint64_t a[4] = {0}, b[4] = {0}, w[4];
  size_t k = 0;
  for (; k + 32 <= n; k += 32) {
    memcpy(w, p + k, 32);
    for (int l = 0; l < 4; l++) {
      a[l] += w[l];
      b[l] += a[l];
    }
  }
  for (; k < n; k++) { /* the tail, byte by byte */
    a[0] += p[k];
    b[0] += a[0];
  }
  uint64_t h = (uint64_t)n;
  for (int l = 0; l < 4; l++)
    h = mix64(h ^ a[l]) + mix64(b[l] + (uint64_t)l);
  j->out[task] = h;
}

uint64_t pack_checksum(struct pool *pool, const void *p, size_t n) {
  int chunks = (int)((n + SUM_CHUNK - 1) / SUM_CHUNK);
  uint64_t *out = calloc((size_t)chunks + 1, sizeof *out), h = mix64(n);
  if (!out)
    return 0;
  struct sum_job j = {p, n, out};
  pool_run(pool, sum_task, &j, chunks);
  for (int i = 0; i < chunks; i++)
    h = mix64(h ^ out[i]);
  free(out);
  return h;
}

/* ---- entries ---- */

static uint64_t header_sum(const struct header *h) { return fix_hash64(h, offsetof(struct header, header_sum)); }

static int env_off(const char *v) { return v && (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "no")); }

char *pack_cache_path(const struct fix_model *m, size_t data_size) {
  const char *env = getenv("FIX_PACK_CACHE"), *min = getenv("FIX_PACK_CACHE_MIN");
  size_t floor = min && *min ? (size_t)strtoull(min, NULL, 10) : (size_t)64 << 20;
  if (env_off(env) || !m->g->path || data_size < floor)
    return NULL;
  char *real = realpath(m->g->path, NULL);
  if (!real)
    return NULL;
  char *dir = env && *env ? fix_strdup(env) : fix_cache_dir("packed");
  const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
  char *path = dir ? fix_asprintf("%s/%016llx-%.64s.pack", dir, (unsigned long long)fix_hash64(real, strlen(real)), base)
                   : NULL;
  free(dir);
  free(real);
  return path;
}

static void fill_header(struct header *h, const struct fix_model *m, uint64_t shapes, size_t data_size) {
  memset(h, 0, sizeof *h);
  memcpy(h->magic, MAGIC, sizeof MAGIC);
  h->version = VERSION;
  h->src_size = m->g->size;
  h->src_dev = m->g->file_dev;
  h->src_ino = m->g->file_ino;
  h->src_mtime_ns = m->g->file_mtime_ns;
  h->shapes = shapes;
  h->data_size = data_size;
}

void *pack_cache_map(const struct fix_model *m, const char *path, uint64_t shapes, size_t data_size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat st;
  struct header want, *h;
  fill_header(&want, m, shapes, data_size);
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && (size_t)st.st_size == PACK_HEADER + data_size)
    map = mmap(NULL, PACK_HEADER + data_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED)
    return NULL;
  h = map;
  if (memcmp(h, &want, offsetof(struct header, data_sum)) || h->header_sum != header_sum(h) ||
      h->data_sum != pack_checksum(m->pool, (const char *)map + PACK_HEADER, data_size)) {
    fix_log(FIX_LOG_INFO, "packed-weights cache %s is stale or damaged: packing again", path);
    munmap(map, PACK_HEADER + data_size);
    return NULL;
  }
  return map;
}

/* Removes entries of `dir` whose model file is gone or changed (other than `keep`), and temporary
 * files older than an hour (a writer killed mid-write). */
static void prune(const char *dir, const char *keep) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  time_t now = time(NULL);
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    char *p = fix_path_join(dir, e->d_name);
    struct stat st;
    if (!p || lstat(p, &st) != 0 || !S_ISREG(st.st_mode) || !strcmp(p, keep)) {
      free(p);
      continue;
    }
    if (e->d_name[0] == '.' && strstr(e->d_name, ".pack.fix-")) {
      if (now - st.st_mtime > 3600)
        unlink(p);
    } else if (n > 5 && !strcmp(e->d_name + n - 5, ".pack")) {
      struct header h;
      struct stat src;
      int fd = open(p, O_RDONLY | O_CLOEXEC), stale = 1;
      if (fd >= 0 && pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h && !memcmp(h.magic, MAGIC, sizeof MAGIC) &&
          h.version == VERSION && h.header_sum == header_sum(&h)) {
        h.src_path[sizeof h.src_path - 1] = 0;
        stale = stat(h.src_path, &src) != 0 || (uint64_t)src.st_size != h.src_size || (uint64_t)src.st_ino != h.src_ino ||
                (int64_t)src.st_mtim.tv_sec * 1000000000 + src.st_mtim.tv_nsec != h.src_mtime_ns;
      }
      if (fd >= 0)
        close(fd);
      if (stale)
        unlink(p);
    }
    free(p);
  }
  closedir(d);
}

void pack_cache_store(const struct fix_model *m, const char *path, uint64_t shapes, void *mem, size_t data_size) {
  struct header *h = mem;
  fill_header(h, m, shapes, data_size);
  char *real = realpath(m->g->path, NULL);
  snprintf(h->src_path, sizeof h->src_path, "%s", real ? real : "");
  free(real);
  h->data_sum = pack_checksum(m->pool, (const char *)mem + PACK_HEADER, data_size);
  h->header_sum = header_sum(h);
  char *dir = fix_path_dirname(path);
  struct fix_err err = {0};
  if (!dir || fix_mkdirs(dir, &err) || fix_file_replace(path, mem, PACK_HEADER + data_size, &err))
    fix_log(FIX_LOG_INFO, "cannot keep the packed weights in %s: %s", path, err.msg[0] ? err.msg : "out of memory");
  else
    prune(dir, path);
  free(dir);
}
