/* internal.h — private to the language server: its state, shared by the reader loop (server.c),
 * the diagnostics thread (publish.c) and the repair thread (actions.c).
 *
 * Locking: `mu` guards documents, the job queue and the published-diagnostics sets; `out_mu`
 * serialises writes to the client. Work threads copy what they need under `mu` and run the
 * compiler or the model without it. */
#ifndef FIX_LSP_INTERNAL_H
#define FIX_LSP_INTERNAL_H

#include "fix/diag.h"
#include "fix/lsp.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>

/* JSON-RPC and LSP error codes */
enum {
  RPC_PARSE_ERROR = -32700,
  RPC_INVALID_REQUEST = -32600,
  RPC_METHOD_NOT_FOUND = -32601,
  RPC_INVALID_PARAMS = -32602,
  RPC_INTERNAL_ERROR = -32603,
  LSP_SERVER_NOT_INITIALIZED = -32002,
  LSP_REQUEST_FAILED = -32803,
  LSP_CONTENT_MODIFIED = -32801,
  LSP_REQUEST_CANCELLED = -32800,
};

struct doc {
  char *uri;
  char *path;
  struct fix_buf text;
  long version;
  struct fix_diag_list diags; /* the last check's diagnostics of this document (fix-it actions) */
  long diags_version;         /* the version they describe (-1: none) */
  double due;                 /* when a check is due (0: none) */
};

struct job {
  struct job *next;
  cJSON *req_id;      /* the resolve request to answer, or NULL: a command, answered by applyEdit */
  cJSON *action;      /* the action being resolved (sent back with its edit) */
  char *uri;
  long version;       /* of the document when the fix was asked for */
  int line, col;      /* the error: 1-based line, 1-based byte column */
  char *message;      /* and its message, when the client sent it */
  cJSON *token;       /* progress token, or NULL */
  atomic_int cancel;
  int tries;          /* recomputations after the document changed */
};

/* The documents a check published diagnostics for, to clear them when the next check of the
 * same unit finds none there. */
struct published {
  char *key;
  struct fix_strv uris;
};

struct server {
  struct fix_lsp_opts o;
  struct fix_options opt;
  int have_opt;
  char *root;                  /* the workspace folder (NULL: each file's own directory) */
  enum fix_lsp_encoding enc;
  int initialized, shutdown, exited;
  /* what the client can do */
  int cap_resolve, cap_progress, cap_doc_changes, cap_related;
  pthread_mutex_t mu, out_mu;
  struct doc *docs;
  size_t ndocs, capdocs;
  long next_out_id;            /* ids of our requests to the client */
  pthread_t diag_th, fix_th;
  int threads;
  pthread_cond_t diag_cv, fix_cv;
  atomic_int stopping;
  struct job *queue;           /* waiting repairs, oldest first */
  struct job *running;
  struct fix_llm *llm;         /* kept open between repairs */
  struct published *pub;
  size_t npub;
  struct fix_strv refusals;    /* checks refused (a Rust crate not trusted): each said once (under mu) */
};

/* ---- server.c ---- */
/* Sends one message (takes `msg`). */
void lsp_send(struct server *s, cJSON *msg);
void lsp_reply(struct server *s, const cJSON *id, cJSON *result);
void lsp_reply_error(struct server *s, const cJSON *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lsp_notify(struct server *s, const char *method, cJSON *params);
/* A request to the client; the reply is read and ignored. */
void lsp_request(struct server *s, const char *method, cJSON *params);
/* type: 1 error, 2 warning, 3 info */
void lsp_show(struct server *s, int type, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A string member, or NULL; a number member within +-1e15 into *out (0 when absent or not one). */
const char *lsp_str(const cJSON *o, const char *name);
int lsp_num(const cJSON *o, const char *name, long *out);
/* Under mu. NULL when the document is not open. */
struct doc *lsp_doc(struct server *s, const char *uri);

/* A copy of the open buffers (those with a file path), for a check or a repair to run without
 * the lock. */
struct snapshot {
  struct fix_doc *docs;
  long *versions;
  char **uris;
  size_t n;
};
void lsp_snapshot_take(struct server *s, struct snapshot *sn); /* under mu */
void lsp_snapshot_free(struct snapshot *sn);
long lsp_snapshot_find(const struct snapshot *sn, const char *path); /* index or -1 */

/* ---- publish.c ---- */
/* Asks for a check of the document `delay_s` from now (under mu). */
void lsp_schedule_check(struct server *s, struct doc *d, double delay_s);
void *lsp_diag_thread(void *ud);
/* A Range for a diagnostic of `text` (1-based line, byte column; end column exclusive or 0). */
cJSON *lsp_range_json(struct server *s, const char *text, size_t len, int l1, int c1, int l2, int c2);
/* The Range of byte offsets [a, b) of `text`. */
cJSON *lsp_range_of(struct server *s, const char *text, size_t len, size_t a, size_t b);
/* The LSP Diagnostic for d (positions in `text`, the file's text at check time). */
cJSON *lsp_diag_json(struct server *s, const struct fix_diag *d, const char *text, size_t len);

/* ---- actions.c ---- */
void lsp_code_action(struct server *s, const cJSON *id, const cJSON *params);
void lsp_resolve(struct server *s, const cJSON *id, const cJSON *params);
void lsp_execute_command(struct server *s, const cJSON *id, const cJSON *params);
/* $/cancelRequest and window/workDoneProgress/cancel */
void lsp_cancel_request(struct server *s, const cJSON *req_id);
void lsp_cancel_token(struct server *s, const cJSON *token);
void *lsp_fix_thread(void *ud);
void lsp_job_free(struct job *j);

/* ---- text.c ---- */
/* The smallest single replacement turning a into b: a[start, aend) -> b[start, bend). Ends lie on
 * UTF-8 character boundaries of both texts. */
/* Whether the server runs without a model (--backend none), and the repair action's title then. */
int lsp_no_model(const struct server *s);
const char *lsp_repair_title(const struct server *s);
void lsp_min_edit(const char *a, size_t alen, const char *b, size_t blen, size_t *start, size_t *aend, size_t *bend);

#endif
