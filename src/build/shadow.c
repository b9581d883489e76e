/* shadow.c — a symlink mirror of the project where candidate edits are checked.
 *
 * Invariant: for every regular file F under root (outside VCS metadata), shadow/rel(F) is either a
 * symlink to F or a real file holding an edited version of F. Directories are real directories, so
 * the compiler's "directory of the includer" is always inside the shadow. */
#include "fix/build.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fix_shadow {
  char *root;
  char *dir;
  char *cache; /* a persistent per-shadow directory for incremental tools (cargo's target dir) */
  int slot;    /* which cache slot it holds (-1: none) */
  size_t nfiles;
  int strict;  /* checks enable the wrong-code warnings (fix_shadow_set_strict) */
};

/* Cache slots held by live shadows of this process: a long-running process (the language server)
 * makes shadows again and again and must keep reusing the same warm directories. */
static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t slots_held;

static int slot_take(void) {
  pthread_mutex_lock(&slot_mu);
  int k = 0;
  while (k < 63 && (slots_held >> k & 1))
    k++;
  slots_held |= 1ull << k; /* slot 63 is shared by everything beyond 63 live shadows */
  pthread_mutex_unlock(&slot_mu);
  return k;
}

static void slot_give(int k) {
  if (k < 0 || k >= 63)
    return;
  pthread_mutex_lock(&slot_mu);
  slots_held &= ~(1ull << k);
  pthread_mutex_unlock(&slot_mu);
}

#define SHADOW_MAX_FILES 200000

static int skip_name(const char *n) {
  return !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".git") || !strcmp(n, ".hg") || !strcmp(n, ".svn") ||
         !strcmp(n, ".fix");
}

static enum fix_status mirror(struct fix_shadow *sh, const char *src, const char *dst, int depth,
                              struct fix_err *err) {
  if (depth > 64)
    return FIX_OK;
  DIR *d = opendir(src);
  if (!d)
    return FIX_OK; /* unreadable directories are simply not mirrored */
  enum fix_status st = FIX_OK;
  struct dirent *e;
  while (!st && (e = readdir(d))) {
    if (skip_name(e->d_name))
      continue;
    char *s = fix_path_join(src, e->d_name);
    char *t = fix_path_join(dst, e->d_name);
    struct stat stt;
    char *manifest = fix_path_join(src, "Cargo.toml");
    int cargo_dir = manifest && fix_file_exists(manifest);
    free(manifest);
    if (!s || !t) {
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    } else if (cargo_dir && !strcmp(e->d_name, "target")) {
      /* cargo's build output: checks use their own target dir (and must never write into this one) */
    } else if (cargo_dir && !strcmp(e->d_name, "Cargo.lock")) {
      struct fix_buf lock; /* cargo may rewrite it: a copy, not a link */
      if (fix_file_read(s, 64u << 20, &lock, NULL) == FIX_OK) {
        st = fix_file_write_atomic(t, lock.data, lock.len, err);
        fix_buf_free(&lock);
      }
    } else if (lstat(s, &stt) == 0) {
      if (S_ISDIR(stt.st_mode)) {
        if (mkdir(t, 0755) == 0)
          st = mirror(sh, s, t, depth + 1, err);
      } else if (++sh->nfiles > SHADOW_MAX_FILES) {
        st = fix_err_set(err, FIX_ERR_TOO_BIG, "project has more than %d files; cannot mirror it for checks",
                         SHADOW_MAX_FILES);
      } else if (symlink(s, t) != 0) {
        st = fix_err_errno(err, FIX_ERR_IO, "cannot create %s", t);
      }
    }
    free(s);
    free(t);
  }
  closedir(d);
  return st;
}

/* Once a process: the shadows and interception scratch of fix processes that died. */
static void sweep(void) {
  fix_sweep_stale("fix-shadow");
  fix_sweep_stale("fix-intercept");
}

enum fix_status fix_shadow_new(const char *root, struct fix_shadow **out, struct fix_err *err) {
  *out = NULL;
  struct fix_shadow *sh = calloc(1, sizeof *sh);
  if (!sh)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  sh->slot = -1;
  sh->root = fix_strdup(root);
  static pthread_once_t swept = PTHREAD_ONCE_INIT;
  pthread_once(&swept, sweep);
  sh->dir = fix_mkdtemp_owned("fix-shadow");
  if (!sh->root || !sh->dir) {
    fix_shadow_free(sh);
    return fix_err_errno(err, FIX_ERR_IO, "cannot create a scratch directory");
  }
  enum fix_status st = mirror(sh, root, sh->dir, 0, err);
  if (st) {
    fix_shadow_free(sh);
    return st;
  }
  *out = sh;
  return FIX_OK;
}

void fix_shadow_free(struct fix_shadow *sh) {
  if (!sh)
    return;
  if (sh->dir)
    fix_rmtree(sh->dir);
  free(sh->root);
  free(sh->dir);
  free(sh->cache);
  slot_give(sh->slot);
  free(sh);
}

const char *fix_shadow_cache(struct fix_shadow *sh) {
  if (!sh->cache) {
    /* $XDG_CACHE_HOME/fix/shadow/<project>-<n>: kept between sessions so incremental tools stay
     * warm; n is the first slot no other live shadow of this process holds */
    char *base = fix_cache_dir("shadow");
    sh->cache = base ? fix_asprintf("%s/%016llx-%d", base, (unsigned long long)fix_hash64(sh->root, strlen(sh->root)),
                                    sh->slot = slot_take())
                     : NULL;
    free(base);
    if (sh->cache && fix_mkdirs(sh->cache, NULL) != FIX_OK) {
      free(sh->cache); /* no cache: callers fall back to the shadow itself */
      sh->cache = NULL;
    }
  }
  return sh->cache;
}

char *fix_shadow_seed(struct fix_shadow *sh) {
  char *base = fix_cache_dir("shadow");
  char *seed = base ? fix_asprintf("%s/%016llx-seed", base, (unsigned long long)fix_hash64(sh->root, strlen(sh->root))) : NULL;
  free(base);
  return seed;
}

const char *fix_shadow_dir(const struct fix_shadow *sh) { return sh->dir; }

static char *shadow_path(struct fix_shadow *sh, const char *path, struct fix_err *err) {
  char *rel = fix_path_relative(sh->root, path);
  if (!rel) {
    fix_err_set(err, FIX_ERR_OUTSIDE_ROOT, "%s is outside the project root", path);
    return NULL;
  }
  char *p = fix_path_join(sh->dir, rel);
  free(rel);
  return p;
}

enum fix_status fix_shadow_put(struct fix_shadow *sh, const char *path, const char *data, size_t len,
                               struct fix_err *err) {
  char *p = shadow_path(sh, path, err);
  if (!p)
    return err ? err->status : FIX_ERR_OUTSIDE_ROOT;
  char *dir = fix_path_dirname(p);
  enum fix_status st = dir ? fix_mkdirs(dir, err) : FIX_ERR_NOMEM;
  free(dir);
  if (!st) {
    unlink(p); /* never write through the symlink */
    st = fix_file_write_atomic(p, data, len, err);
  }
  free(p);
  return st;
}

enum fix_status fix_shadow_reset(struct fix_shadow *sh, const char *path, struct fix_err *err) {
  char *p = shadow_path(sh, path, err);
  if (!p)
    return err ? err->status : FIX_ERR_OUTSIDE_ROOT;
  unlink(p);
  enum fix_status st = FIX_OK;
  if (fix_file_exists(path) && symlink(path, p) != 0)
    st = fix_err_errno(err, FIX_ERR_IO, "cannot restore %s", p);
  free(p);
  return st;
}

const char *fix_shadow_root(const struct fix_shadow *sh) { return sh->root; }

void fix_shadow_set_strict(struct fix_shadow *sh, int on) { sh->strict = on; }

int fix_shadow_strict(const struct fix_shadow *sh) { return sh->strict; }
