/* actions.c — quick fixes: the compilers' fix-its (edits at once) and "Fix with AI" (a repair
 * session on the repair thread).
 *
 * Two ways to deliver a repair, because clients differ:
 *  - clients that resolve code actions lazily (Neovim 0.7+) get the action without an edit; its
 *    codeAction/resolve request is answered when the repair is done;
 *  - clients that never resolve (Emacs eglot 1.9, which also gives up on a request after 10 s)
 *    get a command; workspace/executeCommand is answered at once, and the edit follows as a
 *    workspace/applyEdit request.
 * Either way the edit names the document versions it was computed for. A repair whose document
 * changed while it ran is computed again on the new text (twice at most), never sent for text
 * it was not computed on. $/cancelRequest and window/workDoneProgress/cancel stop a repair. */
#include "internal.h"

#include "fix/patch.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lsp_job_free(struct job *j) {
  if (!j)
    return;
  cJSON_Delete(j->req_id);
  cJSON_Delete(j->action);
  cJSON_Delete(j->token);
  free(j->uri);
  free(j->message);
  free(j);
}

/* Byte offset of an LSP position object in d's text; -1 when malformed. */
static long pos_offset(struct server *s, const struct doc *d, const cJSON *pos) {
  long line, ch;
  if (!lsp_num(pos, "line", &line) || !lsp_num(pos, "character", &ch) || line < 0 || ch < 0)
    return -1;
  return (long)fix_lsp_offset(d->text.data ? d->text.data : "", d->text.len, line, ch, s->enc);
}

/* 1-based line and byte column of a byte offset. */
static void line_col(const char *text, size_t off, int *line, int *col) {
  int l = 1;
  size_t start = 0;
  for (size_t i = 0; i < off; i++)
    if (text[i] == '\n')
      l++, start = i + 1;
  *line = l;
  *col = (int)(off - start) + 1;
}

static cJSON *text_edit(struct server *s, const char *text, size_t len, size_t a, size_t b, const char *new_text,
                        size_t nlen) {
  cJSON *e = cJSON_CreateObject();
  cJSON_AddItemToObject(e, "range", lsp_range_of(s, text, len, a, b));
  char *t = fix_strndup(new_text, nlen);
  cJSON_AddStringToObject(e, "newText", t ? t : "");
  free(t);
  return e;
}

/* A WorkspaceEdit for one document's edits (takes `edits`). version < 0: not open. */
static cJSON *workspace_edit(struct server *s, cJSON *we, const char *uri, long version, cJSON *edits) {
  if (!we)
    we = cJSON_CreateObject();
  if (s->cap_doc_changes) {
    cJSON *dc = cJSON_GetObjectItemCaseSensitive(we, "documentChanges");
    if (!dc)
      dc = cJSON_AddArrayToObject(we, "documentChanges");
    cJSON *tde = cJSON_CreateObject();
    cJSON *td = cJSON_AddObjectToObject(tde, "textDocument");
    cJSON_AddStringToObject(td, "uri", uri);
    if (version >= 0)
      cJSON_AddNumberToObject(td, "version", (double)version);
    else
      cJSON_AddNullToObject(td, "version");
    cJSON_AddItemToObject(tde, "edits", edits);
    cJSON_AddItemToArray(dc, tde);
  } else {
    cJSON *ch = cJSON_GetObjectItemCaseSensitive(we, "changes");
    if (!ch)
      ch = cJSON_AddObjectToObject(we, "changes");
    cJSON_AddItemToObject(ch, uri, edits);
  }
  return we;
}

/* ---- textDocument/codeAction ---- */

int lsp_no_model(const struct server *s) {
  return s->have_opt && (!s->opt.backend || !strcmp(s->opt.backend, "none"));
}

const char *lsp_repair_title(const struct server *s) {
  return lsp_no_model(s) ? "Fix with the compilers' fix-its" : "Fix with AI";
}

static int wants_quickfix(const cJSON *params) {
  const cJSON *only = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(params, "context"), "only");
  if (!cJSON_IsArray(only))
    return 1;
  const cJSON *it;
  cJSON_ArrayForEach(it, only) if (cJSON_IsString(it) && (!strcmp(it->valuestring, "quickfix") ||
                                                           !strcmp(it->valuestring, ""))) return 1;
  return 0;
}

/* One suggestion (the fix-its of `src`, the diagnostic `g` itself or one of its notes) as a quick
 * fix, placed and classed as the command line does (fix_fixit_place, fix_fixit_unsafe): preferred
 * when safe. NULL when it does not apply to this document. */
static cJSON *fixit_action(struct server *s, struct doc *d, const struct fix_diag *g, const struct fix_diag *src,
                           int nalt) {
  const char *text = d->text.data ? d->text.data : "";
  int rust = g->compiler == FIX_CC_RUSTC || fix_str_ends(d->path, ".rs");
  long at = fix_text_offset(text, d->text.len, g->pos.line, g->pos.col > 0 ? g->pos.col : 1);
  const char *unsafe = fix_fixit_unsafe(src, rust, nalt);
  cJSON *edits = cJSON_CreateArray();
  for (size_t k = 0; k < src->nfixits; k++) {
    const struct fix_fixit *f = &src->fixits[k];
    long a = f->range.begin.file && !strcmp(f->range.begin.file, d->path)
                 ? fix_text_offset(text, d->text.len, f->range.begin.line, f->range.begin.col)
                 : -1;
    long b = a >= 0 ? fix_text_offset(text, d->text.len, f->range.end.line, f->range.end.col) : -1;
    if (f->applicability == FIX_APPLY_PLACEHOLDERS || a < 0 || b < a) {
      cJSON_Delete(edits);
      return NULL;
    }
    size_t ua = (size_t)a, ub = (size_t)b;
    if (!rust) {
      const char *why = fix_fixit_place(text, d->text.len, f->text, &ua, &ub, at);
      if (!unsafe)
        unsafe = why;
    }
    cJSON_AddItemToArray(edits, text_edit(s, text, d->text.len, ua, ub, f->text ? f->text : "",
                                          f->text ? strlen(f->text) : 0));
  }
  cJSON *a = cJSON_CreateObject();
  char title[400];
  const char *what = src != g && src->message && *src->message ? src->message : g->message ? g->message : "";
  snprintf(title, sizeof title, "Apply fix-it: %.250s%s%s%s", what, unsafe ? " (unsafe: " : "", unsafe ? unsafe : "",
           unsafe ? ")" : "");
  cJSON_AddStringToObject(a, "title", title);
  cJSON_AddStringToObject(a, "kind", "quickfix");
  cJSON *dl = cJSON_AddArrayToObject(a, "diagnostics");
  cJSON_AddItemToArray(dl, lsp_diag_json(s, g, text, d->text.len));
  cJSON_AddBoolToObject(a, "isPreferred", unsafe == NULL);
  cJSON_AddItemToObject(a, "edit", workspace_edit(s, NULL, d->uri, d->version, edits));
  return a;
}

/* The compilers' suggestions for diagnostics that touch lines [l1, l2] (d's diagnostics are
 * current): the diagnostic's own fix-its and each note's (gcc's "#include <stdio.h>", rustc's
 * help: children). */
static void fixit_actions(struct server *s, struct doc *d, int l1, int l2, cJSON *out) {
  for (size_t i = 0; i < d->diags.n; i++) {
    const struct fix_diag *g = &d->diags.v[i];
    int nalt = fix_diag_suggestions(g);
    if (!nalt || g->pos.line < l1 || g->pos.line > l2)
      continue;
    for (size_t k = 0; k <= g->nnotes; k++) {
      const struct fix_diag *src = k ? &g->notes[k - 1] : g;
      cJSON *a = fix_diag_has_suggestion(src) ? fixit_action(s, d, g, src, nalt) : NULL;
      if (a)
        cJSON_AddItemToArray(out, a);
    }
  }
}

void lsp_code_action(struct server *s, const cJSON *id, const cJSON *params) {
  const char *uri = lsp_str(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  const cJSON *range = cJSON_GetObjectItemCaseSensitive(params, "range");
  const cJSON *ctx_diags =
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(params, "context"), "diagnostics");
  if (!uri || !cJSON_IsObject(range)) {
    lsp_reply_error(s, id, RPC_INVALID_PARAMS, "codeAction needs textDocument.uri and range");
    return;
  }
  cJSON *out = cJSON_CreateArray();
  pthread_mutex_lock(&s->mu);
  struct doc *d = lsp_doc(s, uri);
  long a = d ? pos_offset(s, d, cJSON_GetObjectItemCaseSensitive(range, "start")) : -1;
  long b = d ? pos_offset(s, d, cJSON_GetObjectItemCaseSensitive(range, "end")) : -1;
  if (d && d->path && a >= 0 && b >= 0 && wants_quickfix(params)) {
    const char *text = d->text.data ? d->text.data : "";
    int l1, c1, l2, c2;
    line_col(text, (size_t)(a < b ? a : b), &l1, &c1);
    line_col(text, (size_t)(a < b ? b : a), &l2, &c2);
    if (d->diags_version == d->version)
      fixit_actions(s, d, l1, l2, out);
    /* "Fix with AI" for the first error the client sent, else the first known error in range */
    const cJSON *target = NULL;
    const cJSON *it;
    const cJSON *sent = cJSON_IsArray(ctx_diags) ? ctx_diags : NULL;
    cJSON_ArrayForEach(it, sent) {
      long sev = 1;
      lsp_num(it, "severity", &sev);
      if (sev == 1 && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(it, "range"))) {
        target = it;
        break;
      }
    }
    long at = -1;
    cJSON *diag_json = NULL;
    if (target) {
      at = pos_offset(s, d, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(target, "range"),
                                                             "start"));
      diag_json = cJSON_Duplicate(target, 1);
    } else if (d->diags_version == d->version) {
      for (size_t i = 0; i < d->diags.n && at < 0; i++) {
        const struct fix_diag *g = &d->diags.v[i];
        if (g->severity >= FIX_SEV_ERROR && g->pos.line >= l1 && g->pos.line <= l2) {
          long o = fix_text_offset(text, d->text.len, g->pos.line, g->pos.col > 0 ? g->pos.col : 1);
          if (o >= 0) {
            at = o;
            diag_json = lsp_diag_json(s, g, text, d->text.len);
          }
        }
      }
    }
    if (at >= 0) {
      int line, col;
      line_col(text, (size_t)at, &line, &col);
      cJSON *act = cJSON_CreateObject();
      cJSON_AddStringToObject(act, "title", lsp_repair_title(s));
      cJSON_AddStringToObject(act, "kind", "quickfix");
      cJSON *dl = cJSON_AddArrayToObject(act, "diagnostics");
      cJSON_AddItemToArray(dl, diag_json);
      cJSON *data = cJSON_CreateObject();
      cJSON_AddStringToObject(data, "uri", uri);
      cJSON_AddNumberToObject(data, "version", (double)d->version);
      cJSON_AddNumberToObject(data, "line", line);
      cJSON_AddNumberToObject(data, "col", col);
      const char *msg = lsp_str(diag_json, "message");
      if (msg)
        cJSON_AddStringToObject(data, "message", msg);
      if (s->cap_resolve) {
        cJSON_AddItemToObject(act, "data", data);
      } else {
        cJSON *cmd = cJSON_AddObjectToObject(act, "command");
        cJSON_AddStringToObject(cmd, "title", lsp_repair_title(s));
        cJSON_AddStringToObject(cmd, "command", "fix.repair");
        cJSON *args = cJSON_AddArrayToObject(cmd, "arguments");
        cJSON_AddItemToArray(args, data);
      }
      cJSON_AddItemToArray(out, act);
    } else {
      cJSON_Delete(diag_json);
    }
  }
  pthread_mutex_unlock(&s->mu);
  lsp_reply(s, id, out);
}

/* ---- queueing repairs ---- */

static struct job *job_from(const cJSON *data) {
  const char *uri = lsp_str(data, "uri");
  long version, line, col;
  if (!uri || !lsp_num(data, "version", &version) || !lsp_num(data, "line", &line) || !lsp_num(data, "col", &col) ||
      line < 1 || col < 1 || line > (1L << 30) || col > (1L << 30))
    return NULL;
  struct job *j = calloc(1, sizeof *j);
  if (!j)
    return NULL;
  j->uri = fix_strdup(uri);
  const char *msg = lsp_str(data, "message");
  j->message = msg ? fix_strndup(msg, strnlen(msg, 4096)) : NULL; /* fix_strndup copies exactly n bytes */
  j->version = version;
  j->line = (int)line;
  j->col = (int)col;
  atomic_init(&j->cancel, 0);
  return j;
}

static void enqueue(struct server *s, struct job *j) {
  pthread_mutex_lock(&s->mu);
  struct job **p = &s->queue;
  while (*p)
    p = &(*p)->next;
  *p = j;
  pthread_cond_signal(&s->fix_cv);
  pthread_mutex_unlock(&s->mu);
}

void lsp_resolve(struct server *s, const cJSON *id, const cJSON *params) {
  struct job *j = job_from(cJSON_GetObjectItemCaseSensitive(params, "data"));
  if (!j) { /* not one of ours, or already complete: give it back as it is */
    lsp_reply(s, id, cJSON_Duplicate(params, 1));
    return;
  }
  if (s->o.no_work) {
    lsp_reply_error(s, id, LSP_REQUEST_FAILED, "this server does no work");
    lsp_job_free(j);
    return;
  }
  j->req_id = cJSON_Duplicate(id, 1);
  j->action = cJSON_Duplicate(params, 1);
  cJSON_DeleteItemFromObjectCaseSensitive(j->action, "data");
  enqueue(s, j);
}

void lsp_execute_command(struct server *s, const cJSON *id, const cJSON *params) {
  const char *cmd = lsp_str(params, "command");
  const cJSON *args = cJSON_GetObjectItemCaseSensitive(params, "arguments");
  if (!cmd || strcmp(cmd, "fix.repair") != 0) {
    lsp_reply_error(s, id, RPC_INVALID_PARAMS, "unknown command %s", cmd ? cmd : "(none)");
    return;
  }
  struct job *j = job_from(cJSON_IsArray(args) ? cJSON_GetArrayItem(args, 0) : NULL);
  if (!j) {
    lsp_reply_error(s, id, RPC_INVALID_PARAMS, "fix.repair needs one argument {uri, version, line, col}");
    return;
  }
  const cJSON *tok = cJSON_GetObjectItemCaseSensitive(params, "workDoneToken");
  if (cJSON_IsString(tok) || cJSON_IsNumber(tok))
    j->token = cJSON_Duplicate(tok, 1);
  lsp_reply(s, id, NULL); /* at once: the edit follows as workspace/applyEdit */
  if (s->o.no_work)
    lsp_job_free(j);
  else
    enqueue(s, j);
}

/* Removes queued jobs matching (id or token) and cancels the running one. */
static void cancel_matching(struct server *s, const cJSON *req_id, const cJSON *token) {
  struct job *dropped = NULL;
  pthread_mutex_lock(&s->mu);
  for (struct job **p = &s->queue; *p;) {
    struct job *j = *p;
    if ((req_id && j->req_id && cJSON_Compare(j->req_id, req_id, 1)) ||
        (token && j->token && cJSON_Compare(j->token, token, 1))) {
      *p = j->next;
      j->next = dropped;
      dropped = j;
    } else {
      p = &j->next;
    }
  }
  struct job *r = s->running;
  if (r && ((req_id && r->req_id && cJSON_Compare(r->req_id, req_id, 1)) ||
            (token && r->token && cJSON_Compare(r->token, token, 1))))
    atomic_store(&r->cancel, 1);
  pthread_mutex_unlock(&s->mu);
  while (dropped) {
    struct job *j = dropped;
    dropped = j->next;
    if (j->req_id)
      lsp_reply_error(s, j->req_id, LSP_REQUEST_CANCELLED, "cancelled");
    lsp_job_free(j);
  }
}

void lsp_cancel_request(struct server *s, const cJSON *req_id) {
  if (cJSON_IsNumber(req_id) || cJSON_IsString(req_id))
    cancel_matching(s, req_id, NULL);
}

void lsp_cancel_token(struct server *s, const cJSON *token) {
  if (cJSON_IsNumber(token) || cJSON_IsString(token))
    cancel_matching(s, NULL, token);
}

/* ---- the repair thread ---- */

static void progress(struct server *s, struct job *j, const char *kind, const char *message) {
  if (!j->token)
    return;
  cJSON *p = cJSON_CreateObject();
  cJSON_AddItemToObject(p, "token", cJSON_Duplicate(j->token, 1));
  cJSON *v = cJSON_AddObjectToObject(p, "value");
  cJSON_AddStringToObject(v, "kind", kind);
  if (!strcmp(kind, "begin")) {
    cJSON_AddStringToObject(v, "title", lsp_repair_title(s));
    cJSON_AddBoolToObject(v, "cancellable", 1);
  }
  if (message)
    cJSON_AddStringToObject(v, "message", message);
  lsp_notify(s, "$/progress", p);
}

struct say_ctx {
  struct server *s;
  struct job *j;
};

static void say_progress(void *ud, const char *line) {
  struct say_ctx *c = ud;
  fix_log(FIX_LOG_DEBUG, "lsp: %s", line);
  progress(c->s, c->j, "report", line);
}

/* The edit for a finished repair, against the texts it was computed from. */
static cJSON *result_edit(struct server *s, const struct snapshot *sn, const struct fix_doc_result *r) {
  cJSON *we = NULL;
  for (size_t i = 0; i < r->paths.n; i++) {
    long di = lsp_snapshot_find(sn, r->paths.v[i]);
    struct fix_buf disk = {0};
    const char *old;
    size_t olen;
    if (di >= 0) {
      old = sn->docs[di].text;
      olen = sn->docs[di].len;
    } else if (fix_file_read(r->paths.v[i], FIX_LSP_DOCUMENT_MAX, &disk, NULL) == FIX_OK) {
      old = disk.data;
      olen = disk.len;
    } else {
      continue;
    }
    const char *nt = r->texts.v[i];
    size_t nlen = strlen(nt);
    /* one text edit per changed run of lines (not one spanning everything between the first and
     * the last change), each trimmed to the characters that differ */
    struct fix_edit_list regions = {0};
    cJSON *edits = cJSON_CreateArray();
    if (fix_diff_regions(r->paths.v[i], old, olen, nt, nlen, &regions) == FIX_OK) {
      for (size_t k = 0; k < regions.n; k++) {
        const struct fix_edit *e = &regions.v[k];
        const char *rt = e->text ? e->text : "";
        size_t rlen = strlen(rt), a, aend, bend;
        lsp_min_edit(old + e->start, e->end - e->start, rt, rlen, &a, &aend, &bend);
        cJSON_AddItemToArray(edits, text_edit(s, old, olen, e->start + a, e->start + aend, rt + a, bend - a));
      }
    } else {
      size_t a, aend, bend;
      lsp_min_edit(old, olen, nt, nlen, &a, &aend, &bend);
      cJSON_AddItemToArray(edits, text_edit(s, old, olen, a, aend, nt + a, bend - a));
    }
    fix_edit_list_free(&regions);
    char *uri = di >= 0 ? fix_strdup(sn->uris[di]) : fix_lsp_path_to_uri(r->paths.v[i]);
    we = workspace_edit(s, we, uri, di >= 0 ? sn->versions[di] : -1, edits);
    free(uri);
    fix_buf_free(&disk);
  }
  return we;
}

/* Whether every open document the repair read is still at the version it read (under mu). */
static int still_current(struct server *s, const struct snapshot *sn) {
  for (size_t i = 0; i < sn->n; i++) {
    struct doc *d = lsp_doc(s, sn->uris[i]);
    if (d && d->version != sn->versions[i])
      return 0;
  }
  return 1;
}

/* Whether a fix session (the command line's) holds the lock of the project that `uri` is in: its
 * files are changing on disk, so an edit computed from them is not offered. The lock is probed
 * without waiting and let go at once (the editor, not the server, writes what it applies). */
static int project_busy(const char *uri, char *why, size_t cap) {
  char *path = uri ? fix_lsp_uri_to_path(uri) : NULL;
  char *dir = path ? fix_strdup(path) : NULL;
  int busy = 0;
  for (char *slash; dir && (slash = strrchr(dir, '/')) && slash != dir;) {
    *slash = '\0';
    char *git = fix_path_join(dir, ".git"), *hg = fix_path_join(dir, ".hg");
    int top = (git && (fix_dir_exists(git) || fix_file_exists(git))) || (hg && fix_dir_exists(hg));
    free(git), free(hg);
    if (!top)
      continue;
    char real[PATH_MAX]; /* the command line's project root is canonical */
    char *jdir = fix_journal_dir_for(realpath(dir, real) ? real : dir);
    long pid = 0;
    if (jdir && fix_journal_busy(jdir, &pid))
      busy = (pid > 0 ? snprintf(why, cap, "another fix session is running in this project (pid %ld): try again when it "
                                 "ends", pid)
                      : snprintf(why, cap, "another fix session is running in this project: try again when it ends")) > 0;
    free(jdir);
    break;
  }
  free(dir);
  free(path);
  return busy;
}

static void finish(struct server *s, struct job *j, int code, const char *msg, cJSON *edit) {
  char busy[300];
  if (edit && project_busy(j->uri, busy, sizeof busy)) {
    cJSON_Delete(edit);
    edit = NULL;
    msg = busy;
    code = LSP_REQUEST_FAILED;
  }
  if (!msg)
    msg = edit ? "done" : "no edit was found";
  progress(s, j, "end", edit ? "done" : msg);
  if (j->req_id) {
    if (edit) {
      cJSON *act = j->action ? cJSON_Duplicate(j->action, 1) : cJSON_CreateObject();
      cJSON_DeleteItemFromObjectCaseSensitive(act, "edit");
      cJSON_AddItemToObject(act, "edit", edit);
      lsp_reply(s, j->req_id, act);
    } else {
      lsp_reply_error(s, j->req_id, code, "fix: %s", msg);
    }
  } else if (edit) {
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "label", lsp_repair_title(s));
    cJSON_AddItemToObject(p, "edit", edit);
    lsp_request(s, "workspace/applyEdit", p);
  } else if (code != LSP_REQUEST_CANCELLED) {
    lsp_show(s, 2, "fix: %s", msg);
  }
}

/* Runs one repair; returns 1 when it must run again (the document changed under it). */
static int run_job(struct server *s, struct job *j, struct snapshot *sn) {
  long self = -1;
  for (size_t i = 0; i < sn->n; i++)
    if (!strcmp(sn->uris[i], j->uri))
      self = (long)i;
  if (self < 0) {
    finish(s, j, LSP_REQUEST_FAILED, "the document is not open", NULL);
    return 0;
  }
  struct say_ctx sc = {s, j};
  struct fix_repair_sinks sinks = {0};
  sinks.say = say_progress;
  sinks.ud = &sc;
  sinks.build_stdout_fd = sinks.build_stderr_fd = -1;
  struct fix_doc_request req = {s->root, sn->docs[self].path, j->line, j->col, sn->docs, sn->n, &s->llm, j->message};
  struct fix_repair_stats stats;
  struct fix_doc_result res;
  fix_cancel_bind(&j->cancel);
  enum fix_outcome oc = fix_repair_document(&s->opt, &req, &sinks, &stats, &res);
  fix_cancel_bind(NULL);
  fix_log(FIX_LOG_INFO, "lsp: repair of %s: %zu file%s changed, %d model call%s, %.2f s", sn->docs[self].path,
          res.paths.n, res.paths.n == 1 ? "" : "s", stats.model_calls, stats.model_calls == 1 ? "" : "s",
          stats.total_s);
  int again = 0;
  if (oc == FIX_OUTCOME_INTERRUPTED || atomic_load(&j->cancel)) {
    finish(s, j, LSP_REQUEST_CANCELLED, "cancelled", NULL);
  } else if (!res.paths.n) {
    finish(s, j, LSP_REQUEST_FAILED, res.message ? res.message : "no edit found", NULL);
  } else {
    pthread_mutex_lock(&s->mu);
    int current = still_current(s, sn);
    pthread_mutex_unlock(&s->mu);
    if (!current && j->tries < 2) {
      j->tries++;
      progress(s, j, "report", "the document changed; repairing the new text");
      again = 1;
    } else if (!current) {
      finish(s, j, LSP_CONTENT_MODIFIED, "the document kept changing while fix worked on it; try again", NULL);
    } else {
      finish(s, j, 0, NULL, result_edit(s, sn, &res));
    }
  }
  fix_doc_result_free(&res);
  return again;
}

void *lsp_fix_thread(void *ud) {
  struct server *s = ud;
  pthread_mutex_lock(&s->mu);
  while (!atomic_load(&s->stopping)) {
    struct job *j = s->queue;
    if (!j || !s->have_opt) {
      pthread_cond_wait(&s->fix_cv, &s->mu);
      continue;
    }
    s->queue = j->next;
    j->next = NULL;
    s->running = j;
    struct snapshot sn;
    lsp_snapshot_take(s, &sn);
    int create = !j->token && s->cap_progress; /* a progress bar of our own, which the client can cancel */
    if (create) {
      static long next_token;
      char tok[48];
      snprintf(tok, sizeof tok, "fix-repair-%ld", ++next_token);
      j->token = cJSON_CreateString(tok);
    }
    pthread_mutex_unlock(&s->mu);
    if (create) {
      cJSON *p = cJSON_CreateObject();
      cJSON_AddItemToObject(p, "token", cJSON_Duplicate(j->token, 1));
      lsp_request(s, "window/workDoneProgress/create", p);
    }
    if (j->tries == 0)
      progress(s, j, "begin", lsp_no_model(s) ? "trying the compilers' fix-its (no model backend)" : "asking the model");
    int again = atomic_load(&j->cancel) ? (finish(s, j, LSP_REQUEST_CANCELLED, "cancelled", NULL), 0)
                                        : run_job(s, j, &sn);
    lsp_snapshot_free(&sn);
    pthread_mutex_lock(&s->mu);
    s->running = NULL;
    if (again) {
      j->next = s->queue;
      s->queue = j;
    } else {
      lsp_job_free(j);
    }
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}
