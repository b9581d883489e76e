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
  const char *gpu;           /* local: "auto" (NULL), "none" or a CUDA device number */
};

struct fix_llm_msg {
  const char *role; /* "system", "user", "assistant" */
  const char *content;
};

struct fix_shown_file; /* fix/patch.h */

/* What a reply must be: an edit in this format to these files (the ones the prompt showed). The
 * local engine decodes under it, so every candidate parses and applies; remote servers cannot be
 * constrained and ignore it. */
struct fix_llm_edit_constraint {
  int format;                          /* enum fix_edit_format */
  const struct fix_shown_file *files;
  size_t nfiles;
};

struct fix_llm_request {
  const struct fix_llm_msg *msgs;
  size_t nmsgs;
  int n;               /* completions wanted (>= 1) */
  double temperature;
  int max_tokens;      /* 0: backend default */
  /* called as the reply grows (may be NULL), with the tokens generated so far over all candidates
   * (a remote server's: estimated from the characters streamed) */
  void (*progress)(void *ud, long tokens);
  void *progress_ud;
  const struct fix_llm_edit_constraint *edit; /* may be NULL: free text */
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

FIX_MUST_USE enum fix_status fix_llm_open(const struct fix_llm_config *c, struct fix_llm **out, struct fix_err *err);
/* A quick check of a configuration the user gave explicitly, before any work: the local model
 * resolves to a GGUF file that opens (every offset validated) and is of a supported architecture;
 * a replay file exists. FIX_ERR_CONFIG with the reason otherwise. Remote backends pass. */
FIX_MUST_USE enum fix_status fix_llm_check_config(const struct fix_llm_config *c, struct fix_err *err);
FIX_MUST_USE enum fix_status fix_llm_complete(struct fix_llm *llm, const struct fix_llm_request *req, struct fix_llm_reply *reply,
                                 struct fix_err *err);
void fix_llm_reply_free(struct fix_llm_reply *r);
void fix_llm_free(struct fix_llm *llm);
const char *fix_llm_name(const struct fix_llm *llm);
/* The prompt budget in tokens (the config's, else the backend's default). */
int fix_llm_context_tokens(const struct fix_llm *llm);
/* Rough token count of text for budgeting (about 3.5 characters a token for code). */
int fix_llm_estimate_tokens(const char *text);
/* The same for a count of characters. */
long fix_llm_estimate_tokens_n(long chars);

/* ---- models for the local backend ---- */

struct fix_known_model {
  const char *name;   /* "qwen2.5-coder-1.5b-instruct" */
  const char *url;
  const char *sha256; /* NULL: taken from the server's X-Linked-ETag (Hugging Face sends the file's SHA-256) */
};

/* The recommended repair models, NULL-terminated. */
const struct fix_known_model *fix_known_models(void);
/* $XDG_CACHE_HOME/fix/models (caller frees). */
char *fix_models_dir(void);
/* A model argument resolved to a file: an existing path, or a known name already pulled (caller
 * frees), or NULL. */
char *fix_model_resolve(const char *name_or_path);
/* Downloads NAME or URL into the models directory (or `out`), resuming a partial download
 * (<file>.part) with HTTP Range, retrying dropped connections, and verifying the SHA-256 (given,
 * known, or announced by the server) before the file takes its name. *path is the result (caller
 * frees). progress(ud, have, total) is called as bytes arrive. */
enum fix_status fix_model_pull(const char *what, const char *sha256, const char *out,
                               void (*progress)(void *ud, uint64_t have, uint64_t total), void *ud, char **path,
                               struct fix_err *err);
/* Hex SHA-256 of a file (65 bytes incl. NUL). */
enum fix_status fix_sha256_file(const char *path, char hex[65], struct fix_err *err);

#endif
