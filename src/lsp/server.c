/* server.c — `fix lsp`: the reader loop, the lifecycle, and the documents.
 *
 * The reader loop never waits for a compiler or a model: requests are answered from the state at
 * hand, or queued for the diagnostics and repair threads, which answer later. Messages that break
 * the protocol get the JSON-RPC error the spec names (or, for notifications, a log line) and the
 * session goes on; only the end of input or `exit` ends it.
 *
 * Invariants: a document's text only changes here, under mu, with its version; versions only
 * grow (a change with an older version is dropped). */
#include "internal.h"

#include "fix/llm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- output ---- */

void lsp_send(struct server *s, cJSON *msg) {
  if (!msg)
    return;
  cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
  char *text = cJSON_PrintUnformatted(msg);
  cJSON_Delete(msg);
  if (!text)
    return;
  pthread_mutex_lock(&s->out_mu);
  struct fix_err e;
  if (s->o.out_fd >= 0 && fix_lsp_write(s->o.out_fd, text, strlen(text), &e) != FIX_OK)
    fix_log(FIX_LOG_ERROR, "lsp: %s", e.msg);
  pthread_mutex_unlock(&s->out_mu);
  free(text);
}

void lsp_reply(struct server *s, const cJSON *id, cJSON *result) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
  cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
  lsp_send(s, m);
}

void lsp_reply_error(struct server *s, const cJSON *id, int code, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cJSON *m = cJSON_CreateObject();
  cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
  cJSON *e = cJSON_AddObjectToObject(m, "error");
  cJSON_AddNumberToObject(e, "code", code);
  cJSON_AddStringToObject(e, "message", msg);
  lsp_send(s, m);
}

void lsp_notify(struct server *s, const char *method, cJSON *params) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params ? params : cJSON_CreateObject());
  lsp_send(s, m);
}

void lsp_request(struct server *s, const char *method, cJSON *params) {
  cJSON *m = cJSON_CreateObject();
  pthread_mutex_lock(&s->out_mu);
  long id = ++s->next_out_id;
  pthread_mutex_unlock(&s->out_mu);
  char sid[32];
  snprintf(sid, sizeof sid, "fix-%ld", id);
  cJSON_AddStringToObject(m, "id", sid);
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params ? params : cJSON_CreateObject());
  lsp_send(s, m);
}

void lsp_show(struct server *s, int type, const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "type", type);
  cJSON_AddStringToObject(p, "message", msg);
  lsp_notify(s, "window/showMessage", p);
}

/* ---- documents ---- */

struct doc *lsp_doc(struct server *s, const char *uri) {
  for (size_t i = 0; uri && i < s->ndocs; i++)
    if (!strcmp(s->docs[i].uri, uri))
      return &s->docs[i];
  return NULL;
}

static void doc_free(struct doc *d) {
  free(d->uri);
  free(d->path);
  fix_buf_free(&d->text);
  fix_diag_list_free(&d->diags);
}

const char *lsp_str(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

int lsp_num(const cJSON *o, const char *name, long *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  if (!cJSON_IsNumber(v) || v->valuedouble < -1e15 || v->valuedouble > 1e15)
    return 0;
  *out = (long)v->valuedouble;
  return 1;
}

static void did_open(struct server *s, const cJSON *p) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(p, "textDocument");
  const char *uri = lsp_str(td, "uri");
  const char *text = lsp_str(td, "text");
  long version = 0;
  if (!uri || !text || !lsp_num(td, "version", &version)) {
    fix_log(FIX_LOG_WARN, "lsp: didOpen without uri, text or version: ignored");
    return;
  }
  size_t len = strlen(text);
  if (len > FIX_LSP_DOCUMENT_MAX) {
    lsp_show(s, 2, "fix: %s is larger than %zu bytes; fix does not check it", uri, FIX_LSP_DOCUMENT_MAX);
    return;
  }
  pthread_mutex_lock(&s->mu);
  struct doc *d = lsp_doc(s, uri);
  if (!d) {
    if (s->ndocs == s->capdocs) {
      size_t nc = s->capdocs ? s->capdocs * 2 : 8;
      struct doc *nv = realloc(s->docs, nc * sizeof *nv);
      if (!nv) {
        pthread_mutex_unlock(&s->mu);
        return;
      }
      s->docs = nv;
      s->capdocs = nc;
    }
    d = &s->docs[s->ndocs++];
    memset(d, 0, sizeof *d);
    d->uri = fix_strdup(uri);
    d->path = fix_lsp_uri_to_path(uri);
    fix_buf_init(&d->text, FIX_LSP_DOCUMENT_MAX);
    fix_diag_list_init(&d->diags);
    d->diags_version = -1;
  }
  fix_buf_clear(&d->text);
  fix_buf_append(&d->text, text, len);
  d->version = version;
  lsp_schedule_check(s, d, 0);
  pthread_mutex_unlock(&s->mu);
}

/* Applies one contentChange to d (under mu). */
static int apply_change(struct server *s, struct doc *d, const cJSON *ch) {
  const char *text = lsp_str(ch, "text");
  if (!text)
    return 0;
  const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
  if (!range) {
    fix_buf_clear(&d->text);
    return fix_buf_puts(&d->text, text) == FIX_OK;
  }
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(range, "start");
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(range, "end");
  long l1, c1, l2, c2;
  if (!lsp_num(a, "line", &l1) || !lsp_num(a, "character", &c1) || !lsp_num(b, "line", &l2) ||
      !lsp_num(b, "character", &c2) || l1 < 0 || c1 < 0 || l2 < 0 || c2 < 0)
    return 0;
  size_t o1 = fix_lsp_offset(d->text.data ? d->text.data : "", d->text.len, l1, c1, s->enc);
  size_t o2 = fix_lsp_offset(d->text.data ? d->text.data : "", d->text.len, l2, c2, s->enc);
  if (o2 < o1) {
    size_t t = o1;
    o1 = o2, o2 = t;
  }
  size_t tl = strlen(text);
  if (d->text.len - (o2 - o1) + tl > FIX_LSP_DOCUMENT_MAX)
    return 0;
  struct fix_buf nb;
  fix_buf_init(&nb, FIX_LSP_DOCUMENT_MAX);
  fix_buf_append(&nb, d->text.data, o1);
  fix_buf_append(&nb, text, tl);
  fix_buf_append(&nb, d->text.data + o2, d->text.len - o2);
  fix_buf_free(&d->text);
  d->text = nb;
  return 1;
}

static void did_change(struct server *s, const cJSON *p) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(p, "textDocument");
  const char *uri = lsp_str(td, "uri");
  long version = 0;
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(p, "contentChanges");
  if (!uri || !lsp_num(td, "version", &version) || !cJSON_IsArray(changes)) {
    fix_log(FIX_LOG_WARN, "lsp: didChange without uri, version or contentChanges: ignored");
    return;
  }
  pthread_mutex_lock(&s->mu);
  struct doc *d = lsp_doc(s, uri);
  if (!d) {
    fix_log(FIX_LOG_WARN, "lsp: didChange for %s, which is not open: ignored", uri);
  } else if (version <= d->version) {
    fix_log(FIX_LOG_WARN, "lsp: didChange for %s with version %ld after version %ld: ignored", uri, version,
            d->version);
  } else {
    const cJSON *ch;
    int ok = 1;
    cJSON_ArrayForEach(ch, changes) ok &= apply_change(s, d, ch);
    if (!ok)
      fix_log(FIX_LOG_WARN, "lsp: a change to %s was malformed or too large; part of it was ignored", uri);
    d->version = version;
  }
  pthread_mutex_unlock(&s->mu);
}

static void did_save(struct server *s, const cJSON *p) {
  const char *uri = lsp_str(cJSON_GetObjectItemCaseSensitive(p, "textDocument"), "uri");
  pthread_mutex_lock(&s->mu);
  struct doc *d = lsp_doc(s, uri);
  if (d)
    lsp_schedule_check(s, d, s->o.debounce_s);
  pthread_mutex_unlock(&s->mu);
}

static void did_close(struct server *s, const cJSON *p) {
  const char *uri = lsp_str(cJSON_GetObjectItemCaseSensitive(p, "textDocument"), "uri");
  pthread_mutex_lock(&s->mu);
  struct doc *d = lsp_doc(s, uri);
  if (d) {
    doc_free(d);
    *d = s->docs[--s->ndocs];
  }
  pthread_mutex_unlock(&s->mu);
  if (d) { /* its diagnostics go with it */
    cJSON *pp = cJSON_CreateObject();
    cJSON_AddStringToObject(pp, "uri", uri);
    cJSON_AddArrayToObject(pp, "diagnostics");
    lsp_notify(s, "textDocument/publishDiagnostics", pp);
  }
}

/* ---- lifecycle ---- */

static int has_string(const cJSON *arr, const char *v) {
  const cJSON *it;
  cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it) && !strcmp(it->valuestring, v)) return 1;
  return 0;
}

static const cJSON *path_get(const cJSON *o, const char *const *names) {
  for (; *names && o; names++)
    o = cJSON_GetObjectItemCaseSensitive(o, *names);
  return o;
}

/* Settings: defaults, config files, environment, then the client's initializationOptions, then
 * the command line. A bad value is reported to the user and skipped. */
static void load_settings(struct server *s, const cJSON *init) {
  if (s->have_opt)
    fix_options_free(&s->opt);
  fix_options_defaults(&s->opt);
  s->have_opt = 1;
  struct fix_err e;
  if (fix_options_load(&s->opt, s->root, &e) != FIX_OK)
    lsp_show(s, 2, "fix: %s", e.msg);
  const cJSON *it;
  const cJSON *inits = cJSON_IsObject(init) ? init : NULL;
  cJSON_ArrayForEach(it, inits) {
    int k = 0;
    while (k < FIX_CFG_NKEYS && strcmp(fix_cfg_key_name((enum fix_cfg_key)k), it->string))
      k++;
    char num[64];
    const char *v = cJSON_IsString(it) ? it->valuestring : NULL;
    if (cJSON_IsBool(it))
      v = cJSON_IsTrue(it) ? "true" : "false";
    else if (cJSON_IsNumber(it))
      snprintf(num, sizeof num, "%.17g", it->valuedouble), v = num;
    if (k == FIX_CFG_NKEYS || !v) {
      lsp_show(s, 2, "fix: initializationOptions.%s is not a fix setting; ignored", it->string);
      continue;
    }
    if (fix_options_set(&s->opt, (enum fix_cfg_key)k, v, FIX_CFG_CLI, &e) != FIX_OK)
      lsp_show(s, 2, "fix: %s", e.msg);
  }
  for (size_t i = 0; i < s->o.ncli; i++)
    if (fix_options_set(&s->opt, s->o.cli[i].key, s->o.cli[i].value, FIX_CFG_CLI, &e) != FIX_OK)
      lsp_show(s, 2, "fix: %s", e.msg);
  fix_options_conventions(&s->opt);
  s->opt.color = 0;
}

static void initialize(struct server *s, const cJSON *id, const cJSON *p) {
  if (s->initialized) {
    lsp_reply_error(s, id, RPC_INVALID_REQUEST, "initialize was already sent");
    return;
  }
  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(p, "capabilities");
  /* position encoding: utf-8 when the client offers it (LSP 3.17 positionEncodings, or clangd's
   * offsetEncoding extension that Neovim 0.7 sends), else utf-16, which every client speaks */
  static const char *const pe[] = {"general", "positionEncodings", NULL};
  const cJSON *encs = path_get(caps, pe);
  const cJSON *offenc = cJSON_GetObjectItemCaseSensitive(caps, "offsetEncoding");
  const cJSON *offered = cJSON_IsArray(encs) ? encs : offenc;
  s->enc = FIX_LSP_UTF16;
  if (has_string(offered, "utf-8"))
    s->enc = FIX_LSP_UTF8;
  else if (cJSON_IsArray(offered) && !has_string(offered, "utf-16") && has_string(offered, "utf-32"))
    s->enc = FIX_LSP_UTF32;
  static const char *const rs[] = {"textDocument", "codeAction", "resolveSupport", "properties", NULL};
  s->cap_resolve = has_string(path_get(caps, rs), "edit");
  static const char *const wp[] = {"window", "workDoneProgress", NULL};
  s->cap_progress = cJSON_IsTrue(path_get(caps, wp));
  static const char *const dc[] = {"workspace", "workspaceEdit", "documentChanges", NULL};
  s->cap_doc_changes = cJSON_IsTrue(path_get(caps, dc));
  static const char *const ri[] = {"textDocument", "publishDiagnostics", "relatedInformation", NULL};
  s->cap_related = cJSON_IsTrue(path_get(caps, ri));

  const cJSON *folders = cJSON_GetObjectItemCaseSensitive(p, "workspaceFolders");
  const char *root_uri = cJSON_IsArray(folders) && cJSON_GetArraySize(folders) > 0
                             ? lsp_str(cJSON_GetArrayItem(folders, 0), "uri")
                             : lsp_str(p, "rootUri");
  free(s->root);
  s->root = root_uri ? fix_lsp_uri_to_path(root_uri) : fix_strdup(lsp_str(p, "rootPath"));
  if (s->root && !fix_dir_exists(s->root)) {
    free(s->root);
    s->root = NULL;
  }
  load_settings(s, cJSON_GetObjectItemCaseSensitive(p, "initializationOptions"));

  cJSON *r = cJSON_CreateObject();
  cJSON *c = cJSON_AddObjectToObject(r, "capabilities");
  cJSON_AddStringToObject(c, "positionEncoding", fix_lsp_encoding_str(s->enc));
  cJSON *sync = cJSON_AddObjectToObject(c, "textDocumentSync");
  cJSON_AddBoolToObject(sync, "openClose", 1);
  cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
  cJSON_AddObjectToObject(sync, "save");
  cJSON *ca = cJSON_AddObjectToObject(c, "codeActionProvider");
  cJSON_AddItemToObject(ca, "codeActionKinds", cJSON_CreateStringArray((const char *[]){"quickfix"}, 1));
  cJSON_AddBoolToObject(ca, "resolveProvider", 1);
  cJSON *ec = cJSON_AddObjectToObject(c, "executeCommandProvider");
  cJSON_AddItemToObject(ec, "commands", cJSON_CreateStringArray((const char *[]){"fix.repair"}, 1));
  cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
  cJSON_AddStringToObject(info, "name", "fix");
  cJSON_AddStringToObject(info, "version", "0.1.0");
  if (cJSON_IsArray(offenc) && !cJSON_IsArray(encs))
    cJSON_AddStringToObject(r, "offsetEncoding", fix_lsp_encoding_str(s->enc));
  s->initialized = 1;
  lsp_reply(s, id, r);
}

static void cancel_all(struct server *s) {
  pthread_mutex_lock(&s->mu);
  for (struct job *j = s->queue; j; j = j->next)
    atomic_store(&j->cancel, 1);
  if (s->running)
    atomic_store(&s->running->cancel, 1);
  pthread_mutex_unlock(&s->mu);
}

void fix_lsp_server_handle(struct fix_lsp_server *srv, const char *body, size_t len) {
  struct server *s = (struct server *)srv;
  cJSON *m = cJSON_ParseWithLength(body, len);
  if (!m) {
    lsp_reply_error(s, NULL, RPC_PARSE_ERROR, "the message is not valid JSON");
    return;
  }
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
  const cJSON *method = cJSON_GetObjectItemCaseSensitive(m, "method");
  const cJSON *params = cJSON_GetObjectItemCaseSensitive(m, "params");
  int is_request = id && (cJSON_IsNumber(id) || cJSON_IsString(id));
  if (!cJSON_IsObject(m) || (id && !is_request && !cJSON_IsNull(id))) {
    lsp_reply_error(s, NULL, RPC_INVALID_REQUEST, "a message must be an object with a number or string id");
    goto done;
  }
  if (!cJSON_IsString(method)) {
    if (!cJSON_GetObjectItemCaseSensitive(m, "result") && !cJSON_GetObjectItemCaseSensitive(m, "error"))
      lsp_reply_error(s, id, RPC_INVALID_REQUEST, "a request needs a method");
    goto done; /* a reply to one of our requests: nothing waits on it */
  }
  const char *name = method->valuestring;
  if (!strcmp(name, "exit")) {
    s->exited = 1;
    goto done;
  }
  if (!s->initialized && strcmp(name, "initialize") != 0) {
    if (is_request)
      lsp_reply_error(s, id, LSP_SERVER_NOT_INITIALIZED, "the server is not initialized yet");
    goto done;
  }
  if (s->shutdown && is_request) {
    lsp_reply_error(s, id, RPC_INVALID_REQUEST, "the server has shut down");
    goto done;
  }
  if (!is_request) {
    if (!strcmp(name, "textDocument/didOpen"))
      did_open(s, params);
    else if (!strcmp(name, "textDocument/didChange"))
      did_change(s, params);
    else if (!strcmp(name, "textDocument/didSave"))
      did_save(s, params);
    else if (!strcmp(name, "textDocument/didClose"))
      did_close(s, params);
    else if (!strcmp(name, "$/cancelRequest"))
      lsp_cancel_request(s, cJSON_GetObjectItemCaseSensitive(params, "id"));
    else if (!strcmp(name, "window/workDoneProgress/cancel"))
      lsp_cancel_token(s, cJSON_GetObjectItemCaseSensitive(params, "token"));
    /* initialized, $/setTrace, didChangeConfiguration ...: nothing to do */
    goto done;
  }
  if (!strcmp(name, "initialize"))
    initialize(s, id, params);
  else if (!strcmp(name, "shutdown")) {
    s->shutdown = 1;
    cancel_all(s);
    lsp_reply(s, id, NULL);
  } else if (!strcmp(name, "textDocument/codeAction"))
    lsp_code_action(s, id, params);
  else if (!strcmp(name, "codeAction/resolve"))
    lsp_resolve(s, id, params);
  else if (!strcmp(name, "workspace/executeCommand"))
    lsp_execute_command(s, id, params);
  else
    lsp_reply_error(s, id, RPC_METHOD_NOT_FOUND, "fix does not implement %s", name);
done:
  cJSON_Delete(m);
}

int fix_lsp_server_done(const struct fix_lsp_server *srv) { return ((const struct server *)srv)->exited; }

enum fix_status fix_lsp_server_new(const struct fix_lsp_opts *o, struct fix_lsp_server **out, struct fix_err *err) {
  struct server *s = calloc(1, sizeof *s);
  if (!s)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  s->o = *o;
  if (s->o.debounce_s <= 0)
    s->o.debounce_s = 0.15;
  pthread_mutex_init(&s->mu, NULL);
  pthread_mutex_init(&s->out_mu, NULL);
  pthread_cond_init(&s->diag_cv, NULL);
  pthread_cond_init(&s->fix_cv, NULL);
  atomic_init(&s->stopping, 0);
  if (!o->no_work) {
    if (pthread_create(&s->diag_th, NULL, lsp_diag_thread, s) != 0) {
      free(s);
      return fix_err_set(err, FIX_ERR_NOMEM, "cannot start the diagnostics thread");
    }
    if (pthread_create(&s->fix_th, NULL, lsp_fix_thread, s) != 0) {
      atomic_store(&s->stopping, 1);
      pthread_cond_broadcast(&s->diag_cv);
      pthread_join(s->diag_th, NULL);
      free(s);
      return fix_err_set(err, FIX_ERR_NOMEM, "cannot start the repair thread");
    }
    s->threads = 1;
  }
  *out = (struct fix_lsp_server *)s;
  return FIX_OK;
}

void fix_lsp_server_free(struct fix_lsp_server *srv) {
  struct server *s = (struct server *)srv;
  if (!s)
    return;
  cancel_all(s);
  pthread_mutex_lock(&s->mu);
  atomic_store(&s->stopping, 1);
  pthread_cond_broadcast(&s->diag_cv);
  pthread_cond_broadcast(&s->fix_cv);
  pthread_mutex_unlock(&s->mu);
  if (s->threads) {
    pthread_join(s->diag_th, NULL);
    pthread_join(s->fix_th, NULL);
  }
  while (s->queue) {
    struct job *j = s->queue;
    s->queue = j->next;
    lsp_job_free(j);
  }
  for (size_t i = 0; i < s->ndocs; i++)
    doc_free(&s->docs[i]);
  free(s->docs);
  for (size_t i = 0; i < s->npub; i++) {
    free(s->pub[i].key);
    fix_strv_free(&s->pub[i].uris);
  }
  free(s->pub);
  fix_strv_free(&s->refusals);
  fix_llm_free(s->llm);
  if (s->have_opt)
    fix_options_free(&s->opt);
  free(s->root);
  pthread_mutex_destroy(&s->mu);
  pthread_mutex_destroy(&s->out_mu);
  pthread_cond_destroy(&s->diag_cv);
  pthread_cond_destroy(&s->fix_cv);
  free(s);
}

int fix_lsp_serve(const struct fix_lsp_opts *o) {
  struct fix_lsp_server *srv;
  struct fix_err err;
  if (fix_lsp_server_new(o, &srv, &err) != FIX_OK) {
    fix_log(FIX_LOG_ERROR, "lsp: %s", err.msg);
    return 1;
  }
  struct server *s = (struct server *)srv;
  struct fix_lsp_reader r;
  fix_lsp_reader_init(&r, o->in_fd, 0);
  struct fix_buf body;
  fix_buf_init(&body, 0);
  while (!s->exited) {
    enum fix_status st = fix_lsp_read(&r, &body, &err);
    if (st == FIX_OK) {
      fix_lsp_server_handle(srv, body.data, body.len);
      continue;
    }
    if (st == FIX_ERR_PARSE || st == FIX_ERR_TOO_BIG) {
      fix_log(FIX_LOG_WARN, "lsp: %s", err.msg);
      continue;
    }
    if (st != FIX_ERR_NOT_FOUND)
      fix_log(FIX_LOG_ERROR, "lsp: %s", err.msg);
    break;
  }
  int rc = s->exited && s->shutdown ? 0 : 1;
  fix_buf_free(&body);
  fix_lsp_reader_free(&r);
  fix_lsp_server_free(srv);
  return rc;
}
