/* workspace.c — the session's view of the project's files, and the only writer of them.
 *
 * Invariants:
 *  - before the first write to a file, its original bytes are in the journal (fsync'd);
 *  - every write is atomic (temp + fsync + rename);
 *  - `cur` of a touched file equals what is on disk (except in dry-run mode, where the disk is never
 *    written and `cur` is the session's private view);
 *  - a mark records the content of every touched file; rollback writes back exactly that.
 * Ownership: the workspace owns every buffer; read() hands out borrowed pointers. */
#include "journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WS_FILE_MAX ((size_t)64 << 20) /* named cap: a source file fix will edit */

struct wfile {
  char *path;
  struct fix_buf orig; /* original bytes (if touched) */
  int existed;
  int touched;         /* written at least once in this session */
  struct fix_buf cur;  /* current bytes */
  int cur_exists;
  size_t jidx;         /* index in the journal */
};

struct saved {
  size_t idx;
  char *data;
  size_t len;
  int exists;
};

struct mark {
  size_t nfiles;
  struct saved *s;
  size_t n;
};

struct fix_workspace {
  struct fix_workspace_opts o;
  char *root;
  char *jdir;
  struct wfile *f;
  size_t nf;
  struct mark *marks;
  size_t nmarks;
  struct journal j;
  int journal_open;
  size_t nwrites;
  const char **changed;
  struct fix_strv dirty_edited;
};

enum fix_status fix_workspace_new(const struct fix_workspace_opts *o, struct fix_workspace **out,
                                  struct fix_err *err) {
  *out = NULL;
  struct fix_workspace *ws = calloc(1, sizeof *ws);
  if (!ws)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  ws->o = *o;
  ws->root = fix_strdup(o->vcs->root);
  ws->jdir = fix_strdup(o->journal_dir);
  if (!ws->root || (o->journal_dir && !ws->jdir)) {
    free(ws->root);
    free(ws->jdir);
    free(ws);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  *out = ws;
  return FIX_OK;
}

static void free_mark(struct mark *m) {
  for (size_t i = 0; i < m->n; i++)
    free(m->s[i].data);
  free(m->s);
}

void fix_workspace_free(struct fix_workspace *ws) {
  if (!ws)
    return;
  for (size_t i = 0; i < ws->nf; i++) {
    free(ws->f[i].path);
    fix_buf_free(&ws->f[i].orig);
    fix_buf_free(&ws->f[i].cur);
  }
  free(ws->f);
  for (size_t i = 0; i < ws->nmarks; i++)
    free_mark(&ws->marks[i]);
  free(ws->marks);
  if (ws->journal_open) {
    snprintf(ws->j.state, sizeof ws->j.state, "done");
    if (journal_save(&ws->j, NULL) != FIX_OK)
      fix_log(FIX_LOG_WARN, "the undo journal could not be closed; 'fix undo' still restores from it");
  }
  journal_free(&ws->j);
  fix_strv_free(&ws->dirty_edited);
  free(ws->changed);
  free(ws->root);
  free(ws->jdir);
  free(ws);
}


/* Finds or loads the state of `path` (canonical). */
static struct wfile *get(struct fix_workspace *ws, const char *path, struct fix_err *err) {
  for (size_t i = 0; i < ws->nf; i++)
    if (!strcmp(ws->f[i].path, path))
      return &ws->f[i];
  struct wfile *v = realloc(ws->f, (ws->nf + 1) * sizeof *v);
  if (!v) {
    fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    return NULL;
  }
  ws->f = v;
  struct wfile *f = &v[ws->nf];
  memset(f, 0, sizeof *f);
  f->path = fix_strdup(path);
  enum fix_status st = fix_file_read(path, WS_FILE_MAX, &f->cur, err);
  if (st == FIX_ERR_NOT_FOUND) {
    fix_buf_init(&f->cur, WS_FILE_MAX);
    fix_buf_append(&f->cur, "", 0);
    f->cur_exists = 0;
  } else if (st) {
    free(f->path);
    return NULL;
  } else {
    f->cur_exists = 1;
  }
  if (!f->path) {
    fix_buf_free(&f->cur);
    fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    return NULL;
  }
  ws->nf++;
  return f;
}

/* The state of `path` after containment; NULL with *st set on refusal or failure. */
static struct wfile *resolve(struct fix_workspace *ws, const char *path, enum fix_status *st, struct fix_err *err) {
  struct fix_err local;
  if (!err)
    err = &local;
  char *c = NULL;
  *st = fix_path_contain(ws->root, ws->root, path, &c, err);
  if (*st)
    return NULL;
  struct wfile *f = get(ws, c, err);
  free(c);
  if (!f)
    *st = err->status ? err->status : FIX_ERR_IO;
  return f;
}

enum fix_status fix_workspace_read(struct fix_workspace *ws, const char *path, const char **data, size_t *len,
                                   struct fix_err *err) {
  enum fix_status st;
  struct wfile *f = resolve(ws, path, &st, err);
  if (!f)
    return st;
  if (!f->cur_exists)
    return fix_err_set(err, FIX_ERR_NOT_FOUND, "%s does not exist", path);
  *data = f->cur.data;
  *len = f->cur.len;
  return FIX_OK;
}

/* cur := data. Nonzero when it does not fit. */
static int replace_cur(struct wfile *f, const char *data, size_t len, int exists) {
  if (data != f->cur.data) {
    struct fix_buf nb;
    fix_buf_init(&nb, WS_FILE_MAX);
    if (fix_buf_append(&nb, data, len)) {
      fix_buf_free(&nb);
      return -1;
    }
    fix_buf_free(&f->cur);
    f->cur = nb;
  }
  f->cur_exists = exists;
  return 0;
}

static enum fix_status editable(struct fix_workspace *ws, struct wfile *f, struct fix_err *err) {
  if (ws->o.dry_run || f->touched)
    return FIX_OK;
  enum fix_status pst = fix_edit_policy(ws->root, f->path, err);
  if (pst)
    return pst;
  if (!ws->o.allow_dirty && fix_vcs_is_dirty(ws->o.vcs, f->path))
    return fix_err_set(err, FIX_ERR_DIRTY, "refusing to edit %s: it has uncommitted changes (commit or stash them, or "
                       "pass --allow-dirty)", f->path);
  struct stat sb;
  if (f->cur_exists && stat(f->path, &sb) == 0) {
    if (!(sb.st_mode & 0222) && !ws->o.allow_readonly)
      return fix_err_set(err, FIX_ERR_REFUSED, "refusing to edit %s: it is read-only (mode %03o; pass --allow-readonly)",
                         f->path, (unsigned)(sb.st_mode & 0777));
    if (access(f->path, W_OK) != 0 && !ws->o.allow_readonly)
      return fix_err_set(err, FIX_ERR_REFUSED, "refusing to edit %s: it is not writable by this user", f->path);
  }
  char *dir = fix_path_dirname(f->path); /* the write is a rename into its directory */
  int dir_ok = dir && access(dir, W_OK | X_OK) == 0;
  free(dir);
  if (!dir_ok)
    return fix_err_set(err, FIX_ERR_REFUSED, "refusing to edit %s: its directory is not writable", f->path);
  return FIX_OK;
}

enum fix_status fix_workspace_editable(struct fix_workspace *ws, const char *path, struct fix_err *err) {
  enum fix_status st;
  struct wfile *f = resolve(ws, path, &st, err);
  return f ? editable(ws, f, err) : st;
}

/* First write to a file: the dirty check, then the original into the journal. */
static enum fix_status touch(struct fix_workspace *ws, struct wfile *f, struct fix_err *err) {
  if (f->touched)
    return FIX_OK;
  /* the last line of defence: the repair loop rejects such candidates before they get here */
  enum fix_status pst = editable(ws, f, err);
  if (pst)
    return pst;
  fix_buf_init(&f->orig, WS_FILE_MAX);
  if (fix_buf_append(&f->orig, f->cur.data, f->cur.len))
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  f->existed = f->cur_exists;
  if (!ws->o.dry_run && fix_vcs_is_dirty(ws->o.vcs, f->path))
    fix_strv_push(&ws->dirty_edited, f->path);
  if (!ws->o.dry_run) {
    if (!ws->journal_open) {
      if (!ws->jdir)
        return fix_err_set(err, FIX_ERR_ARG, "no journal directory: refusing to edit without an undo journal");
      enum fix_status st = journal_begin(&ws->j, ws->jdir, ws->root, err);
      if (st)
        return st;
      ws->journal_open = 1;
    }
    enum fix_status st = journal_add(&ws->j, f->path, f->existed, f->orig.data, f->orig.len, err);
    if (st)
      return st;
    f->jidx = ws->j.n - 1;
  }
  f->touched = 1;
  return FIX_OK;
}

/* Puts bytes on disk (not in dry-run) and into cur. exists=0 removes the file.
 *
 * Write-ahead: the journal records the new content's hash (pending) before the file is replaced,
 * and records it as written after; a crash at any point leaves a file undo recognises. A journal
 * that cannot be saved stops the write (before) or fails it (after: the caller restores), except
 * when the file goes back to its original bytes: that needs no journal to undo. */
static enum fix_status put(struct fix_workspace *ws, struct wfile *f, const char *data, size_t len, int exists,
                           struct fix_err *err) {
  if (!ws->o.dry_run) {
    struct journal_file *jf = &ws->j.files[f->jidx];
    char h[40];
    journal_hash(data, len, h);
    int to_original = exists == f->existed && (!exists || !strcmp(h, jf->orig_hash));
    snprintf(jf->pending_hash, sizeof jf->pending_hash, "%s", exists ? h : "absent");
    enum fix_status st = journal_save(&ws->j, err);
    if (st && !to_original) {
      jf->pending_hash[0] = '\0';
      return st;
    }
    if (exists) {
      st = fix_file_write_atomic(f->path, data, len, err);
    } else if (unlink(f->path) != 0 && errno != ENOENT) {
      st = fix_err_errno(err, FIX_ERR_IO, "cannot remove %s", f->path);
    }
    if (st)
      return st; /* pending stays: the file may or may not have been replaced */
    snprintf(jf->written_hash, sizeof jf->written_hash, "%s", exists && !to_original ? h : "");
    jf->pending_hash[0] = '\0';
    st = journal_save(&ws->j, err);
    if (st && !to_original) {
      /* the file is replaced but the journal does not say so: keep cur in step, report */
      replace_cur(f, data, len, exists);
      return st;
    }
  }
  return replace_cur(f, data, len, exists) ? fix_err_set(err, FIX_ERR_TOO_BIG, "%s would exceed %zu bytes", f->path,
                                                         WS_FILE_MAX)
                                           : FIX_OK;
}

enum fix_status fix_workspace_write(struct fix_workspace *ws, const char *path, const char *data, size_t len,
                                    struct fix_err *err) {
  enum fix_status st;
  struct wfile *f = resolve(ws, path, &st, err);
  if (!f)
    return st;
  if (f->cur_exists && f->cur.len == len && memcmp(f->cur.data, data, len) == 0)
    return FIX_OK;
  st = touch(ws, f, err);
  if (!st)
    st = put(ws, f, data, len, 1, err);
  if (!st) {
    ws->nwrites++;
    ws->j.writes++; /* (saved with the journal's next save) */
  }
  return st;
}

static enum fix_status ws_lookup(void *ud, const char *path, const char **data, size_t *len) {
  return fix_workspace_read(ud, path, data, len, NULL);
}

enum fix_status fix_workspace_apply(struct fix_workspace *ws, const struct fix_edit_list *edits, struct fix_err *err) {
  /* Build every new text first, so a conflict in the last file leaves the first untouched. */
  struct fix_strv files = {0};
  struct fix_buf *texts;
  enum fix_status st = fix_edits_apply_files(edits, ws_lookup, ws, &files, &texts, err);
  if (st)
    return st;
  size_t mark = fix_workspace_mark(ws);
  for (size_t k = 0; k < files.n && !st; k++)
    st = fix_workspace_write(ws, files.v[k], texts[k].data, texts[k].len, err);
  struct fix_err rerr;
  if (st && fix_workspace_rollback(ws, mark, &rerr) != FIX_OK)
    fix_log(FIX_LOG_ERROR, "%s; and putting the files back failed: %s (fix undo restores them)", err ? err->msg : "",
            rerr.msg);
  else if (!st)
    fix_workspace_unmark(ws, mark);
  for (size_t k = 0; k < files.n; k++)
    fix_buf_free(&texts[k]);
  free(texts);
  fix_strv_free(&files);
  return st;
}

size_t fix_workspace_mark(struct fix_workspace *ws) {
  struct mark *v = realloc(ws->marks, (ws->nmarks + 1) * sizeof *v);
  if (!v)
    return (size_t)-1;
  ws->marks = v;
  struct mark *m = &v[ws->nmarks];
  memset(m, 0, sizeof *m);
  m->nfiles = ws->nf;
  m->s = calloc(ws->nf ? ws->nf : 1, sizeof *m->s);
  for (size_t i = 0; m->s && i < ws->nf; i++) {
    if (!ws->f[i].touched)
      continue;
    struct saved *s = &m->s[m->n++];
    s->idx = i;
    s->data = fix_strndup(ws->f[i].cur.data, ws->f[i].cur.len);
    s->len = ws->f[i].cur.len;
    s->exists = ws->f[i].cur_exists;
  }
  return ws->nmarks++;
}

static enum fix_status restore_file(struct fix_workspace *ws, struct wfile *f, const char *data, size_t len,
                                    int exists, struct fix_err *err) {
  if (f->cur_exists == exists && (!exists || (f->cur.len == len && memcmp(f->cur.data, data, len) == 0)))
    return FIX_OK;
  return put(ws, f, data, len, exists, err);
}

enum fix_status fix_workspace_rollback(struct fix_workspace *ws, size_t mark, struct fix_err *err) {
  if (mark >= ws->nmarks)
    return fix_err_set(err, FIX_ERR_ARG, "no such snapshot");
  struct mark *m = &ws->marks[mark];
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < ws->nf; i++) {
    struct wfile *f = &ws->f[i];
    if (!f->touched)
      continue;
    const struct saved *s = NULL;
    for (size_t k = 0; k < m->n; k++)
      if (m->s[k].idx == i)
        s = &m->s[k];
    enum fix_status r = s ? restore_file(ws, f, s->data, s->len, s->exists, err)
                          : restore_file(ws, f, f->orig.data, f->orig.len, f->existed, err);
    if (r && !st)
      st = r;
  }
  while (ws->nmarks > mark)
    free_mark(&ws->marks[--ws->nmarks]);
  return st;
}

void fix_workspace_unmark(struct fix_workspace *ws, size_t mark) {
  while (ws->nmarks > mark)
    free_mark(&ws->marks[--ws->nmarks]);
}

enum fix_status fix_workspace_restore_all(struct fix_workspace *ws, struct fix_err *err) {
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < ws->nf; i++) {
    struct wfile *f = &ws->f[i];
    if (!f->touched)
      continue;
    enum fix_status r = restore_file(ws, f, f->orig.data, f->orig.len, f->existed, err);
    if (r && !st)
      st = r;
  }
  if (ws->journal_open) {
    snprintf(ws->j.state, sizeof ws->j.state, "restored");
    if (journal_save(&ws->j, NULL) != FIX_OK && !st) /* the files are back; only the journal is stale */
      fix_log(FIX_LOG_WARN, "every file is restored, but the undo journal could not record it");
  }
  return st;
}

size_t fix_workspace_changed(struct fix_workspace *ws, const char ***paths) {
  free(ws->changed);
  ws->changed = calloc(ws->nf ? ws->nf : 1, sizeof *ws->changed);
  size_t n = 0;
  for (size_t i = 0; ws->changed && i < ws->nf; i++) {
    struct wfile *f = &ws->f[i];
    if (f->touched && (f->existed != f->cur_exists || f->orig.len != f->cur.len ||
                       memcmp(f->orig.data, f->cur.data, f->cur.len) != 0))
      ws->changed[n++] = f->path;
  }
  *paths = ws->changed;
  return n;
}

const char *fix_workspace_original(struct fix_workspace *ws, const char *path, size_t *len) {
  for (size_t i = 0; i < ws->nf; i++)
    if (ws->f[i].touched && !strcmp(ws->f[i].path, path)) {
      *len = ws->f[i].orig.len;
      return ws->f[i].orig.data;
    }
  return NULL;
}

enum fix_status fix_workspace_diff(struct fix_workspace *ws, int color, struct fix_buf *out) {
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < ws->nf && !st; i++) {
    struct wfile *f = &ws->f[i];
    if (!f->touched)
      continue;
    char *rel = fix_path_relative(ws->root, f->path);
    st = fix_diff_unified(rel ? rel : f->path, f->orig.data, f->orig.len, f->cur.data, f->cur.len, color, out);
    free(rel);
  }
  return st;
}

size_t fix_workspace_nwrites(const struct fix_workspace *ws) { return ws->nwrites; }

const struct fix_strv *fix_workspace_dirty_edited(const struct fix_workspace *ws) { return &ws->dirty_edited; }
