/* history.c — the project's undo history: one journal per session (journal.h), the newest last,
 * and the lock that keeps two sessions of one project apart.
 *
 * Layout of a project's journal directory (fix_journal_dir_for):
 *   s-000001/ ... s-NNNNNN/   one session each (journal.json, orig/), numbered in order
 *   lock                      flock()ed by the session that may write (its pid inside)
 * A journal.json directly in the directory (the layout before the history) is moved into s-000000.
 *
 * Bounds: at most HISTORY_MAX sessions and HISTORY_BYTES of original bytes. Beyond them the oldest
 * session is folded into the next one rather than deleted: for a file both touched, the next
 * session's original becomes the older one when the file was not changed in between (so undoing
 * the next session returns the user's text from before both); a file only the oldest touched joins
 * the next session while it is still as fix left it. A user's text is thus never lost: only fix's
 * intermediate versions are. Undone sessions are removed when the next session begins. */
#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define HISTORY_MAX 20
#define HISTORY_BYTES ((uint64_t)256 << 20)

static int by_seq(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

static char *session_dir(const char *jdir, unsigned seq) {
  char name[32];
  snprintf(name, sizeof name, "s-%06u", seq);
  return fix_path_join(jdir, name);
}

/* The journal before the history (journal.json and orig/ in jdir itself) becomes session 0. */
static void migrate_legacy(const char *jdir) {
  char *jj = fix_path_join(jdir, "journal.json"), *orig = fix_path_join(jdir, "orig"), *s0 = session_dir(jdir, 0);
  char *jj0 = s0 ? fix_path_join(s0, "journal.json") : NULL, *orig0 = s0 ? fix_path_join(s0, "orig") : NULL;
  if (jj && orig && jj0 && orig0 && fix_file_exists(jj) && mkdir(s0, 0700) == 0) {
    if (rename(orig, orig0) != 0 && errno != ENOENT)
      fix_log(FIX_LOG_WARN, "cannot move %s into the undo history", orig);
    if (rename(jj, jj0) != 0)
      fix_log(FIX_LOG_WARN, "cannot move %s into the undo history", jj);
  }
  free(jj), free(orig), free(s0), free(jj0), free(orig0);
}

/* The sessions' numbers, oldest first. */
static unsigned *list_seqs(const char *jdir, size_t *n) {
  *n = 0;
  migrate_legacy(jdir);
  DIR *d = opendir(jdir);
  if (!d)
    return NULL;
  unsigned *v = NULL;
  size_t cap = 0;
  for (struct dirent *e; (e = readdir(d));) {
    unsigned seq;
    char tail;
    if (strncmp(e->d_name, "s-", 2) || sscanf(e->d_name + 2, "%u%c", &seq, &tail) != 1 || strlen(e->d_name) != 8)
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      unsigned *nv = realloc(v, cap * sizeof *nv);
      if (!nv)
        break;
      v = nv;
    }
    v[(*n)++] = seq;
  }
  closedir(d);
  if (*n)
    qsort(v, *n, sizeof *v, by_seq);
  return v;
}

static uint64_t orig_bytes(const struct journal *j) {
  uint64_t sum = 0;
  for (size_t i = 0; i < j->n; i++) {
    char *p = fix_path_join(j->dir, j->files[i].orig_name);
    struct stat sb;
    if (p && stat(p, &sb) == 0)
      sum += (uint64_t)sb.st_size;
    free(p);
  }
  return sum;
}

static int file_hash_is(const char *path, const char *want) {
  struct fix_buf b;
  if (fix_file_read(path, 1u << 30, &b, NULL) != FIX_OK)
    return 0;
  char h[40];
  journal_hash(b.data, b.len, h);
  fix_buf_free(&b);
  return !strcmp(h, want);
}

static enum fix_status copy_orig(const struct journal *from, const struct journal_file *ff, const struct journal *to,
                                 const char *to_name, struct fix_err *err) {
  char *src = fix_path_join(from->dir, ff->orig_name), *dst = fix_path_join(to->dir, to_name);
  struct fix_buf b;
  enum fix_status st = src && dst ? fix_file_read(src, 1u << 30, &b, err) : FIX_ERR_NOMEM;
  if (!st) {
    st = fix_file_write_atomic(dst, b.data, b.len, err);
    fix_buf_free(&b);
  }
  free(src), free(dst);
  return st;
}

/* Folds session `old` into `next` (see the header). */
static enum fix_status fold(struct journal *old, struct journal *next, struct fix_err *err) {
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < old->n && !st; i++) {
    const struct journal_file *fa = &old->files[i];
    const char *left = fa->written_hash[0] ? fa->written_hash : fa->pending_hash;
    if (!left[0])
      continue; /* fix put it back, or never wrote it */
    struct journal_file *fb = NULL;
    for (size_t k = 0; k < next->n && !fb; k++)
      if (!strcmp(next->files[k].path, fa->path))
        fb = &next->files[k];
    if (fb) {
      if (strcmp(fb->orig_hash, left) != 0 && !(fa->existed && !fb->existed))
        continue; /* the user changed it between the sessions: their text is next's original */
      st = copy_orig(old, fa, next, fb->orig_name, err);
      if (!st) {
        memcpy(fb->orig_hash, fa->orig_hash, sizeof fb->orig_hash);
        fb->existed = fa->existed;
      }
    } else if (!strcmp(left, "absent") ? !fix_file_exists(fa->path) : file_hash_is(fa->path, left)) {
      st = journal_add_copy(next, fa, old->dir, err);
    }
  }
  if (!st)
    st = journal_save(next, err);
  return st;
}

enum fix_status history_prepare(const char *jdir, unsigned *next_seq, struct fix_err *err) {
  *next_seq = 1;
  size_t n;
  unsigned *seqs = list_seqs(jdir, &n);
  if (n)
    *next_seq = seqs[n - 1] + 1; /* numbers keep rising, undone sessions included */
  /* undone sessions are history no more: their originals are back on disk */
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    char *d = session_dir(jdir, seqs[i]);
    struct journal j;
    int undone = 0, damaged = 0;
    if (d) {
      struct fix_err e;
      enum fix_status ls = journal_load(&j, d, &e);
      damaged = ls == FIX_ERR_PARSE;
      if (!ls) {
        undone = !strcmp(j.state, "undone");
        journal_free(&j);
      }
    }
    if (undone)
      fix_rmtree(d);
    else
      seqs[w++] = seqs[i];
    (void)damaged; /* kept: undo says it is damaged, and nothing is deleted behind the user's back */
    free(d);
  }
  n = w;
  /* within bounds, counting the session about to begin */
  enum fix_status st = FIX_OK;
  while (!st && n >= 2) {
    uint64_t bytes = 0;
    struct journal *js = calloc(n, sizeof *js);
    if (!js) {
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
      break;
    }
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
      char *d = session_dir(jdir, seqs[i]);
      ok = d && journal_load(&js[i], d, NULL) == FIX_OK;
      free(d);
      if (ok)
        bytes += orig_bytes(&js[i]);
    }
    int over = ok && (n + 1 > HISTORY_MAX || bytes > HISTORY_BYTES);
    if (over) {
      st = fold(&js[0], &js[1], err);
      if (!st) {
        fix_rmtree(js[0].dir);
        memmove(seqs, seqs + 1, (n - 1) * sizeof *seqs);
        n--;
      }
    }
    for (size_t i = 0; i < n + (over && !st); i++)
      journal_free(&js[i]);
    free(js);
    if (!over)
      break;
  }
  free(seqs);
  return st;
}

/* ---- listing and undo ---- */

enum fix_status fix_journal_list(const char *jdir, struct fix_journal_session **out, size_t *nout, struct fix_err *err) {
  *out = NULL;
  *nout = 0;
  size_t n;
  unsigned *seqs = list_seqs(jdir, &n);
  struct fix_journal_session *v = n ? calloc(n, sizeof *v) : NULL;
  if (n && !v) {
    free(seqs);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    struct fix_journal_session *s = &v[*nout];
    char *d = session_dir(jdir, seqs[i]);
    struct journal j;
    s->seq = seqs[i];
    s->dir = d;
    if (d && journal_load(&j, d, NULL) == FIX_OK) {
      snprintf(s->state, sizeof s->state, "%s", j.state);
      s->started = j.started;
      s->writes = j.writes;
      for (size_t k = 0; k < j.n; k++)
        if (j.files[k].written_hash[0] || j.files[k].pending_hash[0] || !strcmp(j.state, "undone"))
          fix_strv_push(&s->files, j.files[k].path);
      journal_free(&j);
    } else {
      snprintf(s->state, sizeof s->state, "damaged");
    }
    (*nout)++;
  }
  free(seqs);
  *out = v;
  return FIX_OK;
}

void fix_journal_list_free(struct fix_journal_session *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].dir);
    fix_strv_free(&v[i].files);
  }
  free(v);
}

enum fix_status fix_journal_undo(const char *jdir, int force, size_t *restored, struct fix_err *err) {
  *restored = 0;
  struct fix_journal_session *v;
  size_t n;
  enum fix_status st = fix_journal_list(jdir, &v, &n, err);
  if (st)
    return st;
  size_t i = n;
  while (i > 0 && !strcmp(v[i - 1].state, "undone"))
    i--;
  if (!n)
    st = fix_err_set(err, FIX_ERR_NOT_FOUND, "no fix session to undo for this project");
  else if (!i)
    st = fix_err_set(err, FIX_ERR_NOT_FOUND, "nothing left to undo: the last %zu fix session%s %s already undone", n,
                     n == 1 ? "" : "s", n == 1 ? "was" : "were");
  else
    st = journal_undo_session(v[i - 1].dir, force, restored, err);
  fix_journal_list_free(v, n);
  return st;
}

/* ---- the project lock ---- */

enum fix_status fix_journal_lock(const char *jdir, int wait, void (*waiting)(void *ud, long pid), void *ud, int *fd_out,
                                 struct fix_err *err) {
  *fd_out = -1;
  enum fix_status st = fix_mkdirs(jdir, err);
  if (st)
    return st;
  char *p = fix_path_join(jdir, "lock");
  int fd = p ? open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;
  if (fd < 0) {
    st = fix_err_errno(err, FIX_ERR_IO, "cannot open the project lock %s", p ? p : jdir);
    free(p);
    return st;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = "";
    ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
    long pid = got > 0 ? strtol(buf, NULL, 10) : 0;
    if (!wait) {
      close(fd);
      free(p);
      return pid > 0 ? fix_err_set(err, FIX_ERR_CONFLICT, "another fix session is running in this project (pid %ld)", pid)
                     : fix_err_set(err, FIX_ERR_CONFLICT, "another fix session is running in this project");
    }
    if (waiting)
      waiting(ud, pid);
    /* polled, so that Ctrl-C ends the wait whatever the signal handler's flags */
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if ((errno != EWOULDBLOCK && errno != EINTR) || fix_interrupted()) {
        st = fix_interrupted() ? fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted while waiting for the other session")
                               : fix_err_errno(err, FIX_ERR_IO, "cannot lock %s", p);
        close(fd);
        free(p);
        return st;
      }
      usleep(50 * 1000);
    }
  }
  char buf[32];
  int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)len, 0) != len)
    fix_log(FIX_LOG_DEBUG, "cannot write the pid into %s", p);
  free(p);
  *fd_out = fd;
  return FIX_OK;
}

int fix_journal_busy(const char *jdir, long *pid) {
  *pid = 0;
  char *p = fix_path_join(jdir, "lock");
  int fd = p ? open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1, busy = 0;
  free(p);
  if (fd < 0)
    return 0; /* no lock file: no session ever ran here */
  if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    char buf[32] = "";
    ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
    *pid = got > 0 ? strtol(buf, NULL, 10) : 0;
    busy = 1;
  }
  close(fd); /* a shared lock taken goes with it */
  return busy;
}

void fix_journal_unlock(int fd) {
  if (fd >= 0)
    close(fd); /* the lock goes with the descriptor */
}
