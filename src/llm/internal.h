/* internal.h — private to src/llm: the backend vtable and the shared HTTP layer. */
#ifndef FIX_LLM_INTERNAL_H
#define FIX_LLM_INTERNAL_H

#include "fix/llm.h"

#include <cjson/cJSON.h>

struct fix_llm_vtbl {
  const char *name;
  int default_context_tokens;
  enum fix_status (*complete)(struct fix_llm *llm, const struct fix_llm_request *req, struct fix_llm_reply *reply,
                              struct fix_err *err);
  void (*destroy)(struct fix_llm *llm);
};

struct fix_llm {
  const struct fix_llm_vtbl *v;
  /* the config, with owned copies of its strings */
  struct fix_llm_config cfg;
  char *s_base_url, *s_model, *s_api_key, *s_replay, *s_record;
  void *impl;
};

extern const struct fix_llm_vtbl fix_llm_openai, fix_llm_ollama, fix_llm_replay;

/* One streamed POST of a JSON body. Each complete line of the body is passed to on_line (without
 * the newline); on_line returns non-zero to stop reading. */
struct http_result {
  long status;
  char content_type[128];
  double retry_after_s; /* from Retry-After, or -1 */
  struct fix_buf body;  /* the whole body (capped at FIX_HTTP_MAX) */
};

typedef int (*http_line_fn)(void *ud, const char *line, size_t n);
typedef void (*http_reset_fn)(void *ud); /* before each attempt: drop what a failed one streamed */

/* POSTs `json` to `url` with retries (see fix/llm.h). `who` names the backend in messages.
 * Returns FIX_OK with a 2xx status; otherwise a one-line error. *requests counts attempts. */
enum fix_status http_post_json(struct fix_llm *llm, const char *who, const char *url, const char *json,
                               int with_key, http_line_fn on_line, http_reset_fn reset, void *ud,
                               struct http_result *res, int *requests, struct fix_err *err);
void http_result_free(struct http_result *r);
/* `url` as messages show it: its password and ?api-key=... masked (fix_redact) before it is
 * formatted, so a message cut at its cap cannot end inside a credential. Caller frees. */
char *http_url_shown(const char *url);

/* Messages as a JSON array [{"role":..,"content":..}]. */
cJSON *llm_messages_json(const struct fix_llm_request *req);
/* Characters of all messages. */
size_t llm_request_chars(const struct fix_llm_request *req);

#endif
