/* remote_openai.c — any OpenAI-compatible /chat/completions endpoint (OpenAI, llama.cpp's server,
 * vLLM, Ollama's /v1, LM Studio ...), streamed with server-sent events.
 *
 * n candidates are asked for in one request ("n"); servers that return fewer choices than asked
 * get further requests for the rest. A server that ignores "stream" and answers with one JSON
 * object is accepted too. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define MAX_CHOICES 64

struct sse {
  struct fix_buf text[MAX_CHOICES];
  int have[MAX_CHOICES];
  long tokens_in, tokens_out;
  int data_lines;
  int malformed;
  char error[256];
  long chars;                        /* streamed so far, all choices: the progress estimate */
  const struct fix_llm_request *req;
};

static void sse_reset(void *ud) {
  struct sse *s = ud;
  for (int i = 0; i < MAX_CHOICES; i++) {
    fix_buf_free(&s->text[i]);
    fix_buf_init(&s->text[i], FIX_HTTP_MAX);
    s->have[i] = 0;
  }
  s->tokens_in = s->tokens_out = 0;
  s->data_lines = s->malformed = 0;
  s->error[0] = '\0';
}

/* choices[].delta.content (streamed) or choices[].message.content (not streamed), and usage */
static void take_chunk(struct sse *s, const cJSON *j) {
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
  if (e) {
    const cJSON *m = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "message") : e;
    snprintf(s->error, sizeof s->error, "%s", cJSON_IsString(m) ? m->valuestring : "error in reply");
  }
  const cJSON *ch;
  cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(j, "choices")) {
    const cJSON *ix = cJSON_GetObjectItemCaseSensitive(ch, "index");
    int i = cJSON_IsNumber(ix) ? ix->valueint : 0;
    if (i < 0 || i >= MAX_CHOICES)
      continue;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(ch, "delta");
    if (!d)
      d = cJSON_GetObjectItemCaseSensitive(ch, "message");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(d, "content");
    s->have[i] = 1;
    if (cJSON_IsString(c)) {
      fix_buf_puts(&s->text[i], c->valuestring);
      s->chars += (long)strlen(c->valuestring);
      if (s->req && s->req->progress)
        s->req->progress(s->req->progress_ud, fix_llm_estimate_tokens_n(s->chars));
    }
  }
  const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "usage");
  if (cJSON_IsObject(u)) {
    const cJSON *pt = cJSON_GetObjectItemCaseSensitive(u, "prompt_tokens");
    const cJSON *ct = cJSON_GetObjectItemCaseSensitive(u, "completion_tokens");
    if (cJSON_IsNumber(pt))
      s->tokens_in += (long)pt->valuedouble;
    if (cJSON_IsNumber(ct))
      s->tokens_out += (long)ct->valuedouble;
  }
}

static int sse_line(void *ud, const char *line, size_t n) {
  struct sse *s = ud;
  if (n < 5 || strncmp(line, "data:", 5) != 0)
    return 0; /* comments, event names, blank separators */
  const char *p = line + 5;
  size_t len = n - 5;
  while (len && *p == ' ')
    p++, len--;
  s->data_lines++;
  if (len == 6 && !memcmp(p, "[DONE]", 6))
    return 1;
  cJSON *j = cJSON_ParseWithLength(p, len);
  if (!j) {
    s->malformed = 1;
    return 1;
  }
  take_chunk(s, j);
  cJSON_Delete(j);
  return 0;
}

static enum fix_status one_request(struct fix_llm *llm, const struct fix_llm_request *req, int n, struct sse *s,
                                   int *requests, struct fix_err *err) {
  const char *base = llm->cfg.base_url ? llm->cfg.base_url : "https://api.openai.com/v1";
  char *url = fix_url_join(base, "/chat/completions"); /* before a ?api-key=... query */
  char *shown = http_url_shown(url);
  cJSON *body = cJSON_CreateObject();
  cJSON_AddStringToObject(body, "model", llm->cfg.model ? llm->cfg.model : "gpt-4o-mini");
  cJSON_AddItemToObject(body, "messages", llm_messages_json(req));
  if (n > 1)
    cJSON_AddNumberToObject(body, "n", n);
  cJSON_AddNumberToObject(body, "temperature", req->temperature);
  if (req->max_tokens > 0)
    cJSON_AddNumberToObject(body, "max_tokens", req->max_tokens);
  cJSON_AddBoolToObject(body, "stream", 1);
  cJSON_AddItemToObject(body, "stream_options", cJSON_CreateObject());
  cJSON_AddBoolToObject(cJSON_GetObjectItemCaseSensitive(body, "stream_options"), "include_usage", 1);
  char *json = cJSON_PrintUnformatted(body);
  cJSON_Delete(body);
  struct http_result res;
  enum fix_status st = url && json ? http_post_json(llm, "openai", url, json, 1, sse_line, sse_reset, s, &res,
                                                    requests, err)
                                   : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  if (!st && !s->data_lines) {
    /* not streamed: one JSON object */
    cJSON *j = cJSON_ParseWithLength(res.body.data ? res.body.data : "", res.body.len);
    if (!cJSON_IsObject(j))
      s->malformed = 1;
    else
      take_chunk(s, j);
    cJSON_Delete(j);
  }
  if (!st && s->malformed)
    st = fix_err_set(err, FIX_ERR_PARSE, "openai: malformed reply from %s (not the chat completions JSON)", shown);
  else if (!st && s->error[0])
    st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "openai: the server reported an error: %s", s->error);
  if (!st)
    http_result_free(&res);
  else if (st != FIX_ERR_NOMEM)
    http_result_free(&res);
  free(url);
  free(shown);
  free(json);
  return st;
}

static enum fix_status openai_complete(struct fix_llm *llm, const struct fix_llm_request *req,
                                       struct fix_llm_reply *reply, struct fix_err *err) {
  struct sse *s = calloc(1, sizeof *s);
  if (!s)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (int i = 0; i < MAX_CHOICES; i++)
    fix_buf_init(&s->text[i], FIX_HTTP_MAX);
  s->req = req;
  enum fix_status st = FIX_OK;
  int want = req->n > MAX_CHOICES ? MAX_CHOICES : req->n;
  for (int round = 0; !st && (int)reply->texts.n < want && round < want; round++) {
    int requests = 0;
    st = one_request(llm, req, want - (int)reply->texts.n, s, &requests, err);
    reply->requests += requests;
    if (st)
      break;
    int got = 0;
    for (int i = 0; i < MAX_CHOICES && (int)reply->texts.n < want; i++)
      if (s->have[i]) {
        fix_strv_push(&reply->texts, s->text[i].data ? s->text[i].data : "");
        got++;
      }
    reply->tokens_in += s->tokens_in;
    reply->tokens_out += s->tokens_out;
    if (!got)
      st = fix_err_set(err, FIX_ERR_PARSE, "openai: the reply had no choices");
  }
  for (int i = 0; i < MAX_CHOICES; i++)
    fix_buf_free(&s->text[i]);
  free(s);
  return st;
}

const struct fix_llm_vtbl fix_llm_openai = {"openai", 16000, openai_complete, NULL};
