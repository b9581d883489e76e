/* llm.c — opening a backend, the generic parts of a completion (timing, recording), and the
 * token estimate used for prompt budgets. */
#include "internal.h"
#include "fix/gguf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fix_status fix_llm_local_open(struct fix_llm *llm, struct fix_err *err); /* local.c */

static char *dup_or_null(const char *s) { return s && *s ? fix_strdup(s) : NULL; }

enum fix_status fix_llm_open(const struct fix_llm_config *c, struct fix_llm **out, struct fix_err *err) {
  *out = NULL;
  const char *b = c->backend ? c->backend : "local";
  const struct fix_llm_vtbl *v = NULL;
  if (!strcmp(b, "openai"))
    v = &fix_llm_openai;
  else if (!strcmp(b, "ollama"))
    v = &fix_llm_ollama;
  else if (!strcmp(b, "replay"))
    v = &fix_llm_replay;
  else if (strcmp(b, "local") != 0)
    return fix_err_set(err, FIX_ERR_CONFIG, "unknown backend '%s' (choose local, openai, ollama or replay)", b);
  fix_secret_add_url(c->base_url); /* its password and ?api-key= never printed, logged or recorded */
  struct fix_err why;
  if ((v == &fix_llm_openai || v == &fix_llm_ollama) && c->base_url && *c->base_url &&
      fix_url_check(c->base_url, &why) != FIX_OK) /* (OPENAI_BASE_URL, OLLAMA_HOST: not checked before) */
    return fix_err_set(err, FIX_ERR_CONFIG, "%s: invalid base URL '%s': %s", b, c->base_url, why.msg);
  struct fix_llm *llm = calloc(1, sizeof *llm);
  if (!llm)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  llm->cfg = *c;
  llm->cfg.base_url = llm->s_base_url = dup_or_null(c->base_url);
  llm->cfg.model = llm->s_model = dup_or_null(c->model);
  llm->cfg.api_key = llm->s_api_key = dup_or_null(c->api_key);
  fix_secret_add(c->api_key);
  fix_secret_add(getenv("OPENAI_API_KEY"));
  llm->cfg.replay_path = llm->s_replay = dup_or_null(c->replay_path);
  llm->cfg.record_path = llm->s_record = dup_or_null(c->record_path);
  llm->cfg.backend = NULL;
  if (llm->cfg.connect_timeout_s <= 0)
    llm->cfg.connect_timeout_s = 10;
  if (llm->cfg.timeout_s <= 0)
    llm->cfg.timeout_s = 300;
  if (llm->cfg.max_retries < 0)
    llm->cfg.max_retries = 4;
  if (llm->cfg.retry_base_s <= 0)
    llm->cfg.retry_base_s = 1;
  llm->v = v;
  enum fix_status st = FIX_OK;
  if (!v)
    st = fix_llm_local_open(llm, err);
  else if (v == &fix_llm_replay) {
    extern enum fix_status fix_llm_replay_load(struct fix_llm *llm, struct fix_err *err);
    st = fix_llm_replay_load(llm, err);
  }
  if (st) {
    fix_llm_free(llm);
    return st;
  }
  *out = llm;
  return FIX_OK;
}

enum fix_status fix_llm_check_config(const struct fix_llm_config *c, struct fix_err *err) {
  const char *b = c->backend ? c->backend : "local";
  if (!strcmp(b, "none") || !strcmp(b, "openai") || !strcmp(b, "ollama"))
    return FIX_OK; /* a server is only known by asking it */
  if (!strcmp(b, "replay")) {
    if (!c->replay_path || !fix_file_exists(c->replay_path))
      return fix_err_set(err, FIX_ERR_CONFIG, "replay: no file of recorded replies at %s",
                         c->replay_path ? c->replay_path : "(none given: --replay FILE)");
    return FIX_OK;
  }
  if (!c->model)
    return FIX_OK; /* said when the model is needed: the error is the same */
  char *path = fix_model_resolve(c->model);
  if (!path)
    return fix_err_set(err, FIX_ERR_CONFIG, "local: no model file '%s' (and no pulled model of that name: fix model pull %s)",
                       c->model, c->model);
  struct fix_gguf *g = NULL;
  enum fix_status st = fix_gguf_open(path, &g, err); /* every offset and size checked */
  struct fix_gguf_str arch;
  if (!st && fix_gguf_get_str(g, "general.architecture", &arch))
    st = fix_err_set(err, FIX_ERR_PARSE, "%s: general.architecture is missing", path);
  else if (!st && !((arch.n == 5 && !memcmp(arch.p, "llama", 5)) || (arch.n == 5 && !memcmp(arch.p, "qwen2", 5))))
    st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "%s: architecture '%.*s' is not supported (llama and qwen2 are)", path,
                     (int)(arch.n < 32 ? arch.n : 32), arch.p);
  fix_gguf_close(g);
  free(path);
  if (st && err) {
    char why[sizeof err->msg];
    snprintf(why, sizeof why, "%s", err->msg);
    fix_err_set(err, FIX_ERR_CONFIG, "the model cannot be used: %s", why);
  }
  return st ? FIX_ERR_CONFIG : FIX_OK;
}

void fix_llm_free(struct fix_llm *llm) {
  if (!llm)
    return;
  if (llm->v && llm->v->destroy)
    llm->v->destroy(llm);
  free(llm->s_base_url);
  free(llm->s_model);
  free(llm->s_api_key);
  free(llm->s_replay);
  free(llm->s_record);
  free(llm);
}

const char *fix_llm_name(const struct fix_llm *llm) { return llm->v ? llm->v->name : "local"; }

int fix_llm_context_tokens(const struct fix_llm *llm) {
  if (llm->cfg.context_tokens > 0)
    return llm->cfg.context_tokens;
  return llm->v ? llm->v->default_context_tokens : 4096;
}

int fix_llm_estimate_tokens(const char *text) { return (int)fix_llm_estimate_tokens_n((long)strlen(text)); }

long fix_llm_estimate_tokens_n(long chars) { return (chars * 2 + 6) / 7; }

void fix_llm_reply_free(struct fix_llm_reply *r) {
  if (!r)
    return;
  fix_strv_free(&r->texts);
  memset(r, 0, sizeof *r);
}

/* Appends the reply texts to the record file (a replay file: {"replies": [...]}). */
static void record(struct fix_llm *llm, const struct fix_llm_reply *r) {
  struct fix_buf b;
  cJSON *root = NULL;
  if (fix_file_read(llm->cfg.record_path, 64u << 20, &b, NULL) == FIX_OK) {
    root = cJSON_ParseWithLength(b.data, b.len);
    fix_buf_free(&b);
  }
  if (!cJSON_IsObject(root)) {
    cJSON_Delete(root);
    root = cJSON_CreateObject();
  }
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "replies");
  if (!cJSON_IsArray(arr)) {
    cJSON_DeleteItemFromObject(root, "replies");
    arr = cJSON_AddArrayToObject(root, "replies");
  }
  for (size_t i = 0; arr && i < r->texts.n; i++) {
    char *t = fix_strdup(r->texts.v[i]);
    fix_redact(t); /* a reply that quotes a credential is not written down */
    cJSON_AddItemToArray(arr, cJSON_CreateString(t ? t : ""));
    free(t);
  }
  char *text = cJSON_Print(root);
  struct fix_err e;
  if (text && fix_file_write_atomic(llm->cfg.record_path, text, strlen(text), &e) != FIX_OK)
    fix_log(FIX_LOG_WARN, "--record: %s", e.msg);
  free(text);
  cJSON_Delete(root);
}

enum fix_status fix_llm_complete(struct fix_llm *llm, const struct fix_llm_request *req, struct fix_llm_reply *reply,
                                 struct fix_err *err) {
  memset(reply, 0, sizeof *reply);
  if (!req->nmsgs || req->n < 1)
    return fix_err_set(err, FIX_ERR_ARG, "empty model request");
  double t0 = fix_now();
  enum fix_status st = llm->v->complete(llm, req, reply, err);
  reply->seconds = fix_now() - t0;
  if (!st && reply->tokens_in == 0 && reply->tokens_out == 0) {
    reply->tokens_estimated = 1;
    reply->tokens_in = (long)(llm_request_chars(req) * 2 + 6) / 7;
    for (size_t i = 0; i < reply->texts.n; i++)
      reply->tokens_out += fix_llm_estimate_tokens(reply->texts.v[i]);
  }
  if (!st && llm->cfg.record_path)
    record(llm, reply);
  if (st)
    fix_llm_reply_free(reply);
  return st;
}

cJSON *llm_messages_json(const struct fix_llm_request *req) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < req->nmsgs; i++) {
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "role", req->msgs[i].role);
    cJSON_AddStringToObject(m, "content", req->msgs[i].content);
    cJSON_AddItemToArray(a, m);
  }
  return a;
}

size_t llm_request_chars(const struct fix_llm_request *req) {
  size_t n = 0;
  for (size_t i = 0; i < req->nmsgs; i++)
    n += strlen(req->msgs[i].content);
  return n;
}
