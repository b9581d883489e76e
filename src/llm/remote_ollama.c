/* remote_ollama.c — Ollama's /api/chat, streamed as NDJSON: one object per line with
 * message.content, the last with "done": true and the token counts. Candidates are separate
 * requests (the API has no "n"). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

struct nd {
  struct fix_buf text;
  long tokens_in, tokens_out;
  int done, malformed, lines;
  char error[256];
  long chars, chars_before;          /* this candidate's, and the ones before it: progress */
  const struct fix_llm_request *req;
};

static void nd_reset(void *ud) {
  struct nd *s = ud;
  fix_buf_clear(&s->text);
  s->tokens_in = s->tokens_out = 0;
  s->done = s->malformed = s->lines = 0;
  s->chars = 0;
  s->error[0] = '\0';
}

static int nd_line(void *ud, const char *line, size_t n) {
  struct nd *s = ud;
  if (!n)
    return 0;
  s->lines++;
  cJSON *j = cJSON_ParseWithLength(line, n);
  if (!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    s->malformed = 1;
    return 1;
  }
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
  if (cJSON_IsString(e))
    snprintf(s->error, sizeof s->error, "%s", e->valuestring);
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "content");
  if (cJSON_IsString(c)) {
    fix_buf_puts(&s->text, c->valuestring);
    s->chars += (long)strlen(c->valuestring);
    if (s->req && s->req->progress)
      s->req->progress(s->req->progress_ud, fix_llm_estimate_tokens_n(s->chars_before + s->chars));
  }
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "done"))) {
    s->done = 1;
    const cJSON *pe = cJSON_GetObjectItemCaseSensitive(j, "prompt_eval_count");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(j, "eval_count");
    if (cJSON_IsNumber(pe))
      s->tokens_in = (long)pe->valuedouble;
    if (cJSON_IsNumber(ec))
      s->tokens_out = (long)ec->valuedouble;
  }
  cJSON_Delete(j);
  return s->done;
}

static enum fix_status ollama_complete(struct fix_llm *llm, const struct fix_llm_request *req,
                                       struct fix_llm_reply *reply, struct fix_err *err) {
  const char *base = llm->cfg.base_url ? llm->cfg.base_url : "http://127.0.0.1:11434";
  char *url = fix_url_join(base, "/api/chat"); /* before a query, if the URL has one */
  char *shown = http_url_shown(url);
  struct nd s = {0};
  s.req = req;
  fix_buf_init(&s.text, FIX_HTTP_MAX);
  enum fix_status st = url ? FIX_OK : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (int i = 0; !st && i < req->n; i++) {
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "model", llm->cfg.model ? llm->cfg.model : "qwen2.5-coder:1.5b");
    cJSON_AddItemToObject(body, "messages", llm_messages_json(req));
    cJSON_AddBoolToObject(body, "stream", 1);
    cJSON *opt = cJSON_AddObjectToObject(body, "options");
    cJSON_AddNumberToObject(opt, "temperature", req->temperature);
    if (req->max_tokens > 0)
      cJSON_AddNumberToObject(opt, "num_predict", req->max_tokens);
    if (i > 0)
      cJSON_AddNumberToObject(opt, "seed", i); /* different candidates, reproducibly */
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    struct http_result res;
    int requests = 0;
    st = json ? http_post_json(llm, "ollama", url, json, 0, nd_line, nd_reset, &s, &res, &requests, err)
              : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    free(json);
    reply->requests += requests;
    if (!st && s.malformed)
      st = fix_err_set(err, FIX_ERR_PARSE, "ollama: malformed reply from %s (not NDJSON chat messages)", shown);
    else if (!st && s.error[0])
      st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "ollama: %s", s.error);
    else if (!st && !s.done)
      st = fix_err_set(err, FIX_ERR_IO, "ollama: the reply from %s ended before \"done\"", shown);
    if (!st) {
      s.chars_before += s.chars;
      fix_strv_push(&reply->texts, s.text.data ? s.text.data : "");
      reply->tokens_in += s.tokens_in;
      reply->tokens_out += s.tokens_out;
    }
    http_result_free(&res);
  }
  fix_buf_free(&s.text);
  free(url);
  free(shown);
  return st;
}

const struct fix_llm_vtbl fix_llm_ollama = {"ollama", 8000, ollama_complete, NULL};
