/* publish.c — the diagnostics thread: checks documents with the project's compiler when they are
 * opened and saved, and publishes what it reports.
 *
 * A check is due a little after the event that asked for it (debounce: a burst of saves makes
 * one check); the thread takes the most overdue document, copies the open buffers, checks
 * without holding the lock, and publishes each file's diagnostics with the version of the text
 * they were computed for. Files a previous check of the same document reported on and this one
 * does not are cleared. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void lsp_schedule_check(struct server *s, struct doc *d, double delay_s) {
  if (!d->path || s->o.no_work)
    return;
  d->due = fix_now() + delay_s;
  pthread_cond_signal(&s->diag_cv);
}

static size_t clamp_offset(const char *text, size_t len, int line, int col) {
  if (line < 1)
    return 0;
  long o = fix_text_offset(text, len, line, col < 1 ? 1 : col);
  if (o >= 0)
    return (size_t)o;
  o = fix_text_offset(text, len, line, 1); /* column past the line: its end */
  if (o < 0)
    return len;
  const char *nl = memchr(text + o, '\n', len - (size_t)o);
  return nl ? (size_t)(nl - text) : len;
}

static int ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (c & 0x80);
}

cJSON *lsp_range_json(struct server *s, const char *text, size_t len, int l1, int c1, int l2, int c2) {
  size_t a = clamp_offset(text, len, l1, c1);
  size_t b;
  if (l2 > 0) {
    b = clamp_offset(text, len, l2, c2);
  } else { /* a caret only: the word under it, or one character */
    b = a;
    while (b < len && ident_char(text[b]))
      b++;
    if (b == a && a < len && text[a] != '\n') {
      b++;
      while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80)
        b++;
    }
  }
  return lsp_range_of(s, text, len, a, b);
}

cJSON *lsp_range_of(struct server *s, const char *text, size_t len, size_t a, size_t b) {
  if (b < a)
    b = a;
  long la, ca, lb, cb;
  fix_lsp_position(text, len, a, s->enc, &la, &ca);
  fix_lsp_position(text, len, b, s->enc, &lb, &cb);
  cJSON *r = cJSON_CreateObject();
  cJSON *st = cJSON_AddObjectToObject(r, "start");
  cJSON_AddNumberToObject(st, "line", (double)la);
  cJSON_AddNumberToObject(st, "character", (double)ca);
  cJSON *en = cJSON_AddObjectToObject(r, "end");
  cJSON_AddNumberToObject(en, "line", (double)lb);
  cJSON_AddNumberToObject(en, "character", (double)cb);
  return r;
}

static cJSON *diag_range(struct server *s, const struct fix_diag *d, const char *text, size_t len) {
  for (size_t i = 0; i < d->nspans; i++) {
    const struct fix_span *sp = &d->spans[i];
    if (sp->begin.file && !strcmp(sp->begin.file, d->pos.file) && sp->begin.line == d->pos.line &&
        sp->end.line >= sp->begin.line && sp->end.line > 0) {
      /* rustc's span ends are exclusive; gcc's and clang's highlight ends inclusive */
      int end_col = sp->end.col + (d->compiler == FIX_CC_RUSTC ? 0 : 1);
      return lsp_range_json(s, text, len, sp->begin.line, sp->begin.col, sp->end.line, end_col);
    }
  }
  return lsp_range_json(s, text, len, d->pos.line, d->pos.col, 0, 0);
}

cJSON *lsp_diag_json(struct server *s, const struct fix_diag *d, const char *text, size_t len) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "range", diag_range(s, d, text, len));
  int sev = d->severity >= FIX_SEV_ERROR ? 1 : d->severity == FIX_SEV_WARNING ? 2 : 3;
  cJSON_AddNumberToObject(o, "severity", sev);
  if (d->code)
    cJSON_AddStringToObject(o, "code", d->code);
  cJSON_AddStringToObject(o, "source", d->compiler == FIX_CC_UNKNOWN ? "fix" : fix_compiler_str(d->compiler));
  cJSON_AddStringToObject(o, "message", d->message ? d->message : "");
  if (s->cap_related && d->nnotes) {
    cJSON *rel = cJSON_AddArrayToObject(o, "relatedInformation");
    for (size_t i = 0; i < d->nnotes; i++) {
      const struct fix_diag *n = &d->notes[i];
      if (!n->pos.file || n->pos.line < 1)
        continue;
      struct fix_buf ft;
      if (fix_file_read(n->pos.file, FIX_LSP_DOCUMENT_MAX, &ft, NULL) != FIX_OK)
        continue;
      cJSON *ri = cJSON_CreateObject();
      cJSON *loc = cJSON_AddObjectToObject(ri, "location");
      char *uri = fix_lsp_path_to_uri(n->pos.file);
      cJSON_AddStringToObject(loc, "uri", uri ? uri : "");
      free(uri);
      cJSON_AddItemToObject(loc, "range", lsp_range_json(s, ft.data, ft.len, n->pos.line, n->pos.col, 0, 0));
      cJSON_AddStringToObject(ri, "message", n->message ? n->message : "");
      cJSON_AddItemToArray(rel, ri);
      fix_buf_free(&ft);
    }
  }
  return o;
}

void lsp_snapshot_take(struct server *s, struct snapshot *sn) {
  memset(sn, 0, sizeof *sn);
  sn->docs = calloc(s->ndocs + 1, sizeof *sn->docs);
  sn->versions = calloc(s->ndocs + 1, sizeof *sn->versions);
  sn->uris = calloc(s->ndocs + 1, sizeof *sn->uris);
  if (!sn->docs || !sn->versions || !sn->uris)
    return;
  for (size_t i = 0; i < s->ndocs; i++) {
    if (!s->docs[i].path)
      continue;
    sn->docs[sn->n].path = fix_strdup(s->docs[i].path);
    sn->docs[sn->n].text = fix_strndup(s->docs[i].text.data ? s->docs[i].text.data : "", s->docs[i].text.len);
    sn->docs[sn->n].len = s->docs[i].text.len;
    sn->versions[sn->n] = s->docs[i].version;
    sn->uris[sn->n] = fix_strdup(s->docs[i].uri);
    sn->n++;
  }
}

void lsp_snapshot_free(struct snapshot *sn) {
  for (size_t i = 0; i < sn->n; i++) {
    free((char *)sn->docs[i].path);
    free((char *)sn->docs[i].text);
    free(sn->uris[i]);
  }
  free(sn->docs);
  free(sn->versions);
  free(sn->uris);
}

long lsp_snapshot_find(const struct snapshot *sn, const char *path) {
  for (size_t i = 0; i < sn->n; i++)
    if (!strcmp(sn->docs[i].path, path))
      return (long)i;
  return -1;
}

static struct published *published_for(struct server *s, const char *key) {
  for (size_t i = 0; i < s->npub; i++)
    if (!strcmp(s->pub[i].key, key))
      return &s->pub[i];
  struct published *nv = realloc(s->pub, (s->npub + 1) * sizeof *nv);
  if (!nv)
    return NULL;
  s->pub = nv;
  struct published *p = &s->pub[s->npub++];
  memset(p, 0, sizeof *p);
  p->key = fix_strdup(key);
  return p;
}

/* Publishes the check of `path` (snapshot index `self`). Takes and releases mu. */
static void publish(struct server *s, const struct snapshot *sn, long self, const struct fix_diag_list *l) {
  struct fix_strv files = {0};
  const char *path = sn->docs[self].path;
  fix_strv_push(&files, path);
  for (size_t i = 0; i < l->n; i++) {
    const char *f = l->v[i].pos.file;
    if (!f || f[0] != '/' || fix_strv_contains(&files, f))
      continue;
    char *rel = s->root ? fix_path_relative(s->root, f) : fix_strdup(f);
    if (rel)
      fix_strv_push(&files, f); /* files outside the workspace (system headers) are not ours */
    free(rel);
  }
  pthread_mutex_lock(&s->mu);
  struct published *pub = published_for(s, path);
  struct fix_strv cleared = {0};
  for (size_t i = 0; pub && i < pub->uris.n; i++)
    fix_strv_push(&cleared, pub->uris.v[i]);
  if (pub)
    fix_strv_free(&pub->uris);
  /* every open document this check reports on keeps its diagnostics for the fix-it actions (a Rust
   * crate's check covers its other files: their quick fixes must not depend on which was opened
   * first) */
  for (size_t k = 0; k < files.n; k++) {
    long di = lsp_snapshot_find(sn, files.v[k]);
    struct doc *d = di >= 0 ? lsp_doc(s, sn->uris[di]) : NULL;
    if (!d || (di != self && d->version != sn->versions[di]))
      continue; /* (edited since the snapshot: its own check will come) */
    fix_diag_list_free(&d->diags);
    for (size_t i = 0; i < l->n; i++)
      if (l->v[i].pos.file && !strcmp(l->v[i].pos.file, files.v[k]))
        fix_diag_list_copy_in(&d->diags, &l->v[i]);
    d->diags_version = sn->versions[di];
  }
  pthread_mutex_unlock(&s->mu);

  for (size_t k = 0; k < files.n; k++) {
    long di = lsp_snapshot_find(sn, files.v[k]);
    struct fix_buf disk = {0};
    const char *text;
    size_t len;
    if (di >= 0) {
      text = sn->docs[di].text;
      len = sn->docs[di].len;
    } else if (fix_file_read(files.v[k], FIX_LSP_DOCUMENT_MAX, &disk, NULL) == FIX_OK) {
      text = disk.data;
      len = disk.len;
    } else {
      continue;
    }
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++)
      if (l->v[i].pos.file && !strcmp(l->v[i].pos.file, files.v[k]) && l->v[i].pos.line > 0)
        cJSON_AddItemToArray(arr, lsp_diag_json(s, &l->v[i], text, len));
    fix_buf_free(&disk);
    char *uri = di >= 0 ? fix_strdup(sn->uris[di]) : fix_lsp_path_to_uri(files.v[k]);
    int nonempty = cJSON_GetArraySize(arr) > 0;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", uri);
    if (di >= 0)
      cJSON_AddNumberToObject(p, "version", (double)sn->versions[di]);
    cJSON_AddItemToObject(p, "diagnostics", arr);
    lsp_notify(s, "textDocument/publishDiagnostics", p);
    for (size_t c = 0; c < cleared.n; c++)
      if (!strcmp(cleared.v[c], uri))
        fix_strv_remove(&cleared, c--);
    if (nonempty) {
      pthread_mutex_lock(&s->mu);
      pub = published_for(s, path);
      if (pub)
        fix_strv_push(&pub->uris, uri);
      pthread_mutex_unlock(&s->mu);
    }
    free(uri);
  }
  for (size_t c = 0; c < cleared.n; c++) {
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", cleared.v[c]);
    cJSON_AddArrayToObject(p, "diagnostics");
    lsp_notify(s, "textDocument/publishDiagnostics", p);
  }
  fix_strv_free(&cleared);
  fix_strv_free(&files);
}

static void check(struct server *s, struct snapshot *sn, long self) {
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  struct fix_err err = {0};
  double t0 = fix_now();
  enum fix_status st = fix_repair_diagnose(&s->opt, s->root, sn->docs[self].path, sn->docs, sn->n, &l, &err);
  if (st == FIX_OK) {
    fix_log(FIX_LOG_DEBUG, "lsp: checked %s in %.3f s: %zu diagnostics", sn->docs[self].path, fix_now() - t0, l.n);
    publish(s, sn, self, &l);
  } else if (st == FIX_ERR_REFUSED) {
    /* a check that would run what the project chose (cargo on a crate not trusted: document.c):
     * no diagnostics (those of an earlier, trusted check are cleared), the reason said once per
     * project, not on every open and save */
    pthread_mutex_lock(&s->mu);
    int fresh = !fix_strv_contains(&s->refusals, err.msg);
    if (fresh)
      fix_strv_push(&s->refusals, err.msg);
    pthread_mutex_unlock(&s->mu);
    if (fresh) {
      fix_log(FIX_LOG_WARN, "lsp: %s", err.msg);
      lsp_show(s, 2, "fix: %s", err.msg);
    }
    fix_diag_list_free(&l);
    fix_diag_list_init(&l);
    publish(s, sn, self, &l);
  } else if (st != FIX_ERR_INTERRUPTED) {
    lsp_show(s, 2, "fix: cannot check %s: %s", sn->docs[self].path, err.msg);
  }
  fix_diag_list_free(&l);
}

void *lsp_diag_thread(void *ud) {
  struct server *s = ud;
  fix_cancel_bind(&s->stopping); /* a shutdown stops a running compiler */
  pthread_mutex_lock(&s->mu);
  while (!atomic_load(&s->stopping)) {
    struct doc *next = NULL;
    for (size_t i = 0; i < s->ndocs; i++)
      if (s->docs[i].due > 0 && (!next || s->docs[i].due < next->due))
        next = &s->docs[i];
    if (!next || !s->have_opt) {
      pthread_cond_wait(&s->diag_cv, &s->mu);
      continue;
    }
    double wait = next->due - fix_now();
    if (wait > 0) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      long long ns = (long long)ts.tv_nsec + (long long)(wait * 1e9);
      ts.tv_sec += (time_t)(ns / 1000000000);
      ts.tv_nsec = (long)(ns % 1000000000);
      pthread_cond_timedwait(&s->diag_cv, &s->mu, &ts);
      continue;
    }
    next->due = 0;
    char *uri = fix_strdup(next->uri);
    struct snapshot sn;
    lsp_snapshot_take(s, &sn);
    pthread_mutex_unlock(&s->mu);
    long self = -1;
    for (size_t i = 0; i < sn.n; i++)
      if (!strcmp(sn.uris[i], uri))
        self = (long)i;
    if (self >= 0)
      check(s, &sn, self);
    lsp_snapshot_free(&sn);
    free(uri);
    pthread_mutex_lock(&s->mu);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}
