/* fix/llm.h — language model backends behind one interface.
 *
 * Backends: "openai" (any OpenAI-compatible /chat/completions endpoint, SSE streaming), "ollama"
 * (/api/chat, NDJSON streaming), "replay" (recorded replies from a file: tests, and reproducing a
 * reported session), "local" (fix's own engine; see the engine issues) and "none".
 *
 * Remote calls retry on 408/409/429/5xx and dropped connections with exponential backoff,
 * honouring Retry-After; every other failure is one clear line in err->msg. The API key is never
 * logged or put in an error message. Calls poll fix_interrupted() and stop promptly.
 *
 * Ownership: fix_llm_open copies the config's strings; replies own their texts
 * (fix_llm_reply_free). A fix_llm is used by one thread at a time. */
#ifndef FIX_LLM_H
#define FIX_LLM_H

#include "fix/base.h"

/* Named cap on one HTTP reply body (all streamed chunks together). */
#define FIX_HTTP_MAX ((size_t)16 << 20)

struct fix_llm_config {
  const char *backend;       /* "openai", "ollama", "replay", "local", "none" */
  const char *base_url;      /* NULL: https://api.openai.com/v1 or http://127.0.0.1:11434 */
  const char *model;         /* model name (remote) or GGUF path (local) */
  const char *api_key;       /* NULL: $OPENAI_API_KEY (openai only; may be absent for local servers) */
  const char *replay_path;   /* replay: the recorded replies (JSON) */
  const char *record_path;   /* any backend: append every reply to this replay file */
  double connect_timeout_s;  /* 0: 10 s */
  double timeout_s;          /* whole request; 0: 300 s */
  int max_retries;           /* <0: 4 */
  double retry_base_s;       /* first backoff; 0: 1 s */
  int context_tokens;        /* prompt budget for this backend; 0: backend default */
};

struct fix_llm_msg {
  const char *role; /* "system", "user", "assistant" */
  const char *content;
};

struct fix_llm_request {
  const struct fix_llm_msg *msgs;
  size_t nmsgs;
  int n;               /* completions wanted (>= 1) */
  double temperature;
  int max_tokens;      /* 0: backend default */
};

struct fix_llm_reply {
  struct fix_strv texts; /* n completions (fewer only on error) */
  long tokens_in;
  long tokens_out;
  int tokens_estimated;  /* the server reported no usage; counts are chars/4 */
  int requests;          /* HTTP requests made, retries included */
  double seconds;
};

struct fix_llm; /* opaque */

enum fix_status fix_llm_open(const struct fix_llm_config *c, struct fix_llm **out, struct fix_err *err);
enum fix_status fix_llm_complete(struct fix_llm *llm, const struct fix_llm_request *req, struct fix_llm_reply *reply,
                                 struct fix_err *err);
void fix_llm_reply_free(struct fix_llm_reply *r);
void fix_llm_free(struct fix_llm *llm);
const char *fix_llm_name(const struct fix_llm *llm);
/* The prompt budget in tokens (the config's, else the backend's default). */
int fix_llm_context_tokens(const struct fix_llm *llm);
/* Rough token count of text for budgeting (about 3.5 characters a token for code). */
int fix_llm_estimate_tokens(const char *text);

#endif
