/* fix/eval.h — `fix eval`: fix accuracy over a corpus of broken projects.
 *
 * A case is a directory holding case.json, the broken tree (broken/) and the reference fix
 * (fixed/). Each case runs in its own temporary copy: fix (or a baseline tool) repairs it, then
 * the runner rebuilds it, runs its behaviour check, and compares what the tree defines with the
 * reference. A case is repaired when the build passes, the check passes, and no function, type or
 * item of the reference tree has disappeared (a fix must not delete the problem).
 *
 * Ownership: corpora and results own their strings; the _free functions release them. */
#ifndef FIX_EVAL_H
#define FIX_EVAL_H

#include "fix/base.h"

struct fix_case {
  char *id;                /* the case directory relative to the corpus root: "c/quickstart" */
  char *dir;               /* absolute */
  char *language;          /* "c", "cpp", "rust" */
  struct fix_strv build;   /* argv, run in the tree's root */
  struct fix_strv check;   /* argv of the behaviour check (empty: none) */
  char *category;
  char *difficulty;
  char *provenance;
  struct fix_strv errors;  /* codes or message parts the broken tree produces */
  int fixits_only;         /* the compilers' fix-its alone can repair it */
  int multi_file;
  char *base;              /* a tree laid under broken/ and fixed/ (absolute; "base" in case.json, inside the
                              corpus), or NULL: `fix eval mutate` cases keep one mutated file over it */
  char *replies;           /* the case's own recorded model replies ("replies": a file beside case.json),
                              absolute, or NULL: a run with the replay backend and no --replay answers
                              from it */
};

struct fix_corpus {
  struct fix_case *v;
  size_t n;
};

/* Finds every case.json below `root` (cases sorted by id). A malformed case.json is an error
 * naming the file and the field. */
enum fix_status fix_corpus_load(const char *root, struct fix_corpus *out, struct fix_err *err);
void fix_corpus_free(struct fix_corpus *c);
/* Whether a case matches a filter: comma-separated alternatives, each a part of the id, or
 * key=value for language, category, difficulty or error (an error code or message part). */
int fix_case_matches(const struct fix_case *c, const char *filter);

/* Checks a case against its case.json: broken/ fails to build and reports every listed error;
 * fixed/ builds and passes its check. On failure *why (caller frees) says what is wrong. */
enum fix_status fix_case_validate(const struct fix_case *c, char **why);
/* Validates the cases selected by `pick` (NULL: all), `jobs` at once. (*why)[i] (caller frees each
 * and the array) is "" for a valid case, what is wrong otherwise, NULL if never reached
 * (interrupted: FIX_ERR_INTERRUPTED). */
enum fix_status fix_eval_validate(const struct fix_corpus *c, const size_t *pick, size_t npick, int jobs, char ***why);

struct fix_case_result {
  char *id;
  char *language;
  char *category;
  struct fix_strv errors;
  int fixits_only;
  int repaired;           /* build + check + nothing of the reference deleted */
  int build_passed;
  int check_passed;       /* 1 also when the case has no check */
  int items_kept;
  char *missing;          /* the first reference item that disappeared, or NULL */
  int exact;              /* the sources equal the reference (white space aside) */
  char *error;            /* the runner's own trouble (timeout, spawn), or NULL */
  int tool_exit;
  int iterations;         /* rebuilds after the first */
  int model_calls;
  int repairs_kept;       /* fix's own (model-free) repairs kept */
  long tokens_in, tokens_out;
  double total_s;         /* the whole case */
  double tool_s;          /* the repair tool's run */
  double build_s;         /* builds inside the tool, and the runner's verifying build */
  double check_s;         /* fast checks inside the tool, and the behaviour check */
  double model_s;
  double runner_s;        /* the runner's own work: copying, spawning, scoring */
};

struct fix_eval_opts {
  const char *fix_bin;               /* the fix executable */
  const char *const *fix_args;       /* options for fix (NULL-terminated): --backend ... */
  const char *baseline;              /* NULL: fix; "cargo-fix": cargo fix --broken-code */
  int jobs;                          /* cases at once (>= 1) */
  double timeout_s;                  /* one case's repair (0: 600) */
  /* called after each case (from the thread that ran it, serialised) */
  void (*progress)(void *ud, const struct fix_case_result *r, size_t done, size_t total);
  void *ud;
  int oracle;                        /* every model call answered with the case's known-good edit */
  int cold;                          /* mutation cases too from a fresh copy (default: a worker keeps
                                        the base built and writes each case's file over it) */
};

/* ---- fix eval mutate ---- */

struct fix_mutate_opts {
  const char *root;                  /* the tree (its build passes) */
  const char *const *build;          /* the build command, run at the top of the tree's copies */
  unsigned long long seed;
  size_t cases;                      /* how many breaking mutations to keep */
  const char *classes;               /* comma-separated class names, or NULL: every class */
  const char *out;                   /* the corpus written: out/_base and out/<lang>/<class>-<n>/ */
  double timeout_s;                  /* one build */
  void (*progress)(void *ud, const char *id, const char *file, int line, const char *error);
  void *ud;
};

/* The mutation classes, NULL-terminated. */
const char *const *fix_mutate_classes(void);
/* Copies the tree to out/_base and builds it there (FIX_ERR_CONFLICT naming the first error when the
 * build fails), then tries the seeded candidates of each class in turn in a scratch copy and writes
 * each one that breaks the build as a case. *made: how many. Only `out` is written. */
enum fix_status fix_mutate(const struct fix_mutate_opts *o, size_t *made, struct fix_err *err);

/* The known-good edit of the case in `case_dir` (broken/ -> fixed/) as a model's reply:
 * SEARCH/REPLACE blocks, each found once in its file. NULL when the trees' sources are equal.
 * Caller frees. */
char *fix_eval_oracle_reply(const char *case_dir);

struct fix_eval_results {
  struct fix_case_result *v;
  size_t n;
  char *tool;             /* "fix --backend none", "cargo fix --broken-code" */
  double wall_s;
};

void fix_eval_results_free(struct fix_eval_results *r);

/* Runs the cases of `c` selected by `pick` (indexes; NULL: all). */
enum fix_status fix_eval_run(const struct fix_corpus *c, const size_t *pick, size_t npick,
                             const struct fix_eval_opts *o, struct fix_eval_results *out, struct fix_err *err);

/* Named cap on a results file read back. */
#define FIX_EVAL_RESULTS_MAX ((size_t)256 << 20)

/* Results as JSON (a file of `fix eval --out`), and back; merging shards joins their cases (a
 * case in two shards is an error). */
char *fix_eval_to_json(const struct fix_eval_results *r);
enum fix_status fix_eval_from_json(const char *text, size_t len, const char *origin, struct fix_eval_results *out,
                                   struct fix_err *err);
enum fix_status fix_eval_merge(struct fix_eval_results *into, struct fix_eval_results *from, struct fix_err *err);

/* Tables by language, category and error code, then the last line "eval: P/N repaired (X%)". */
void fix_eval_summary(const struct fix_eval_results *r, struct fix_buf *out);

/* A self-contained HTML page (inline CSS and SVG; no scripts, nothing fetched): accuracy by language
 * and category, the time and token distributions, every case. With `b` (NULL: one run), A and B
 * side by side and the cases that improved or regressed from A to B. */
void fix_eval_report(const struct fix_eval_results *a, const struct fix_eval_results *b, struct fix_buf *out);
/* `fix eval --compare A B`: accuracy per language in both runs, the improved and regressed cases,
 * then the last line "compare: I improved, R regressed; A p/n (x%), B p/n (y%)". */
void fix_eval_compare(const struct fix_eval_results *a, const struct fix_eval_results *b, struct fix_buf *out);

#endif
