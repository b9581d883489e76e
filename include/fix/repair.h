/* fix/repair.h — a repair session: build, read diagnostics, apply compiler fix-its (then, with a
 * backend, model edits), rebuild, until the build passes or fix gives up.
 *
 * The session talks to its user through two sinks: `say` for human-readable progress lines and
 * `event` for one JSON object per line (--json). Neither is called concurrently.
 *
 * Ownership: options are borrowed for the duration of fix_repair_run; results are plain values. */
#ifndef FIX_REPAIR_H
#define FIX_REPAIR_H

#include "fix/base.h"
#include "fix/diag.h"

/* Where a setting came from (for `fix config`). */
enum fix_cfg_source { FIX_CFG_DEFAULT = 0, FIX_CFG_USER, FIX_CFG_PROJECT, FIX_CFG_ENV, FIX_CFG_CLI, FIX_CFG_CONVENTION };

/* The most candidate edits one model call asks for (the `candidates` setting refuses more). */
#define FIX_MAX_CANDIDATES 16

struct fix_options {
  int fixits;              /* try the compilers' fix-its first (default on) */
  int dry_run;             /* change nothing; print the edits as a unified diff */
  int allow_dirty;         /* edit files with uncommitted changes (default on: their text is in the undo journal) */
  int no_wait;             /* another session holds the project: refuse instead of waiting */
  int allow_no_vcs;        /* edit a project that is not under version control */
  int json;                /* JSON events on stdout */
  int color;               /* ANSI colours in diffs and messages */
  int verbose;
  int max_iterations;      /* rebuilds after the first (default 8) */
  int candidates;          /* model candidates per error (repair loop; default 3) */
  double build_timeout_s;  /* 0: none */
  double check_timeout_s;  /* per single-TU check (default 120) */
  char *compdb;            /* compile_commands.json path or directory, or NULL */
  char *backend;           /* "local", "openai", "ollama", "replay", "none" */
  char *model;
  char *journal_dir;       /* override of the undo journal location (tests) */
  char *edit_format;       /* "search-replace" (default), "changelog", "udiff" */
  char *base_url;          /* remote backend endpoint */
  char *api_key;           /* remote key (else $OPENAI_API_KEY); never printed */
  double temperature;      /* default 0.4 (several candidates should differ) */
  int max_tokens;          /* per reply (default 1024) */
  double time_budget_s;    /* whole session wall clock; 0: none */
  char *replay;            /* replay backend: recorded replies */
  char *record;            /* record every model reply to this replay file */
  int context_tokens;      /* prompt budget; 0: the backend's */
  int attempts;            /* model attempts per error group before rolling it back (default 3) */
  double llm_timeout_s;    /* one model request (default 300) */
  char *sarif;             /* --sarif FILE: the session as a SARIF 2.1.0 log ("-": stdout) */
  char *patch;             /* --patch FILE: the whole repair as one unified diff ("-": stdout) */
  int unsafe_fixes;        /* apply fix-its classed unsafe as fix-its (else only as candidates beside the model's) */
  int allow_readonly;      /* edit files without write permission (root could) */
  char *select;            /* act only on diagnostics with these codes/flags/lints (comma-separated) */
  char *ignore;            /* never act on diagnostics with these */
  char *only;              /* --only: act only on these files/directories (absolute, newline-separated) */
  int constrain;           /* local engine: decode edit replies so that they parse and apply (default on) */
  int repairs;             /* model-free repairs (missing include, misspelled name ...) (default on) */
  int intent;              /* read the working tree's change against HEAD and complete it (default on) */
  char *gpu;               /* local engine: "auto" (default), "none" or a CUDA device number */
  const char *base_url_var;/* with src FIX_CFG_CONVENTION: the variable base_url came from (static) */
  enum fix_cfg_source src[32]; /* indexed by fix_cfg_key */
};

/* Keys of settings that can come from files and the environment, in `fix config` order. */
enum fix_cfg_key {
  FIX_CFG_FIXITS = 0,
  FIX_CFG_MAX_ITERATIONS,
  FIX_CFG_CANDIDATES,
  FIX_CFG_BUILD_TIMEOUT,
  FIX_CFG_CHECK_TIMEOUT,
  FIX_CFG_COMPDB,
  FIX_CFG_BACKEND,
  FIX_CFG_MODEL,
  FIX_CFG_ALLOW_DIRTY,
  FIX_CFG_ALLOW_NO_VCS,
  FIX_CFG_COLOR,
  FIX_CFG_EDIT_FORMAT,
  FIX_CFG_BASE_URL,
  FIX_CFG_API_KEY,
  FIX_CFG_TEMPERATURE,
  FIX_CFG_MAX_TOKENS,
  FIX_CFG_TIME_BUDGET,
  FIX_CFG_REPLAY,
  FIX_CFG_RECORD,
  FIX_CFG_CONTEXT_TOKENS,
  FIX_CFG_ATTEMPTS,
  FIX_CFG_LLM_TIMEOUT,
  FIX_CFG_UNSAFE_FIXES,
  FIX_CFG_ALLOW_READONLY,
  FIX_CFG_SELECT,
  FIX_CFG_IGNORE,
  FIX_CFG_CONSTRAIN,
  FIX_CFG_REPAIRS,
  FIX_CFG_GPU,
  FIX_CFG_INTENT,
  FIX_CFG_NKEYS
};

void fix_options_defaults(struct fix_options *o);
void fix_options_free(struct fix_options *o);
/* Layers user file, project file and environment over the defaults (command-line values are
 * applied by the caller afterwards, marking src[] as FIX_CFG_CLI). `project_root` may be NULL. */
enum fix_status fix_options_load(struct fix_options *o, const char *project_root, struct fix_err *err);
/* The ecosystem's variables, below all of fix's own settings: with base_url still the default,
 * OPENAI_BASE_URL (the OpenAI SDKs') for the openai backend, OLLAMA_HOST (Ollama's: "host:port",
 * a scheme added when missing) for ollama. Call once every layer is applied. */
void fix_options_conventions(struct fix_options *o);
/* Sets one key from text (as in a file or FIX_* variable); source recorded. */
enum fix_status fix_options_set(struct fix_options *o, enum fix_cfg_key key, const char *value,
                                enum fix_cfg_source src, struct fix_err *err);
const char *fix_cfg_key_name(enum fix_cfg_key k);       /* "max_iterations" */
const char *fix_cfg_env_name(enum fix_cfg_key k);       /* "FIX_MAX_ITERATIONS" */
const char *fix_cfg_source_str(enum fix_cfg_source s);
/* The value as text. Caller frees. */
char *fix_options_get(const struct fix_options *o, enum fix_cfg_key key);
/* Trust in a project's own .fix.json (trust.c): untrusted, it may not set base_url, api_key,
 * allow_dirty or allow_no_vcs, nor record/replay paths outside the project. State: -1 not trusted,
 * 0 trusted, 1 trusted but its .fix.json changed since. fix_project_trust records (trust = 1) or
 * revokes (0) trust in `root` (canonical), for its .fix.json as it is now. */
int fix_project_trust_state(const char *root);
enum fix_status fix_project_trust(const char *root, int trust, struct fix_err *err);

/* Paths of the user and project config files (caller frees; may not exist). */
char *fix_config_user_path(void);
char *fix_config_project_path(const char *root);

/* ---- sessions ---- */

enum fix_outcome {
  FIX_OUTCOME_PASSED = 0,      /* the build passes (perhaps it already did) */
  FIX_OUTCOME_FAILED = 1,      /* it still fails */
  FIX_OUTCOME_ERROR = 2,       /* usage, configuration, backend or environment error */
  FIX_OUTCOME_INTERRUPTED = 130,
};

struct fix_repair_stats {
  int builds;
  double build_s;
  int checks;
  double check_s;       /* checks' durations summed (parallel checks overlap: CPU-like time) */
  double check_wall_s;  /* wall time the session spent waiting on checks */
  int errors_initial;
  int errors_final;
  int fixits_tried;
  int fixits_kept;
  int repairs_tried;  /* model-free repairs generated */
  int repairs_kept;
  int repairs_errors;  /* errors the repair generators were asked about */
  double repairs_s;    /* their time (fix's own, before any check) */
  int vetoes;          /* candidates that compiled but were refused (veto.c: wrong-code warning, item destroyed) */
  double veto_s;       /* the time those judgements took (warning identities, tree-sitter items) */
  int model_calls;
  int candidates;     /* model candidates evaluated */
  int candidates_rejected; /* replies that could not be applied */
  long tokens_in;
  long tokens_out;
  double model_s;
  int groups_fixed;
  int groups_failed;
  int edits;          /* accepted steps */
  int files_changed;
  double total_s;
};

struct fix_repair_sinks {
  void (*say)(void *ud, const char *line);  /* human progress line (no trailing newline) */
  void (*event)(void *ud, const char *json); /* one JSON object, no trailing newline */
  void (*diff)(void *ud, const char *text); /* --dry-run output */
  void *ud;
  int build_stdout_fd;                      /* where the build's output streams */
  int build_stderr_fd;
  /* a status line to show in place while a model call or candidate checks run (NULL: clear it);
   * may be NULL (not a terminal): the session then reports progress only through `say` */
  void (*status)(void *ud, const char *line);
};

/* Runs a whole session for `argv` in `cwd`. Never exits; on return the user's files are either
 * improved (each step verified) or exactly as they were. */
enum fix_outcome fix_repair_run(const struct fix_options *o, const char *const *argv, const char *cwd,
                                const struct fix_repair_sinks *sinks, struct fix_repair_stats *stats);

/* ---- one document at a time (the language server) ----
 *
 * An editor's view of a project: open buffers whose text may differ from the files on disk.
 * Neither function below writes a project file: checks run in a shadow that holds the buffers'
 * text, and repairs come back as new texts for the caller to offer as an edit. */

struct fix_doc {
  const char *path;  /* absolute */
  const char *text;
  size_t len;
};

/* The diagnostics of `path` as the project's compiler reports them for the editor's text: its
 * translation unit checked with the command from compile_commands.json (else a guess), or the
 * crate checked with `cargo check` for a .rs file. `docs` (may be empty) are the open buffers.
 * Diagnostics may name other files of the TU or crate; paths are absolute. `dir` as in
 * fix_doc_request. */
enum fix_status fix_repair_diagnose(const struct fix_options *o, const char *dir, const char *path,
                                    const struct fix_doc *docs, size_t ndocs, struct fix_diag_list *out,
                                    struct fix_err *err);

/* A repair of `path` for an editor: the session runs as a dry run over the buffers' text (fix-its,
 * then the model), starting with the error nearest (line, col) (1-based; 0: the first error), and
 * stops when the file's translation unit or crate compiles or nothing more helps. Each file whose
 * text changed is reported with its new text. */
struct fix_doc_result {
  struct fix_strv paths;  /* absolute */
  struct fix_strv texts;  /* new contents, one per path */
  char *message;          /* why nothing changed or what remains (owned; may be NULL) */
};
void fix_doc_result_free(struct fix_doc_result *r);

struct fix_llm;

struct fix_doc_request {
  const char *dir;            /* where the project is opened from (the editor's workspace folder;
                                 NULL: the file's directory); the root is its git top level */
  const char *path;
  int line, col;
  const struct fix_doc *docs;
  size_t ndocs;
  struct fix_llm **llm;       /* in/out, may be NULL: a backend kept open between requests (the
                                 session uses *llm, or opens one and leaves it there); the caller
                                 frees it with fix_llm_free */
  const char *message;        /* the chosen error's message (may be NULL): it is found by message
                                 first, position second, so an edit above it does not change which */
};
enum fix_outcome fix_repair_document(const struct fix_options *o, const struct fix_doc_request *req,
                                     const struct fix_repair_sinks *sinks, struct fix_repair_stats *stats,
                                     struct fix_doc_result *out);

#endif
