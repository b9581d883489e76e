/* internal.h — private to the repair module: the state of one session and its reporting helpers. */
#ifndef FIX_REPAIR_INTERNAL_H
#define FIX_REPAIR_INTERNAL_H

#include "fix/build.h"
#include "fix/context.h"
#include "fix/llm.h"
#include "fix/intent.h"
#include "fix/patch.h"
#include "fix/prompt.h"
#include "fix/repair.h"

#include <cjson/cJSON.h>

#define MAX_SHADOWS 8 /* candidates checked at once (each in its own shadow); more wait their turn */
/* A candidate affecting more translation units than this is checked on the first ones, and the
 * session says so. */
#define FIX_REPAIR_MAX_TUS 32

/* An error group (RustAssistant): the error being fixed, plus the errors its own edits introduce. */
struct group {
  int active;
  struct fix_strv idents;
  size_t mark;      /* workspace mark at the group's start */
  int steps;        /* edits accepted for this group */
  int attempts;     /* model calls without an accepted edit */
  int edits_at_start, fixits_at_start; /* the session's counts when it began */
  size_t unsafe_at_start;              /* and its number of unsafe fix-its applied */
  char *feedback;   /* why the last attempt failed, for the next prompt */
};

/* The last model step, until the real build confirms it. */
struct pending {
  int active;
  size_t mark;               /* workspace mark before the step */
  struct fix_strv before;    /* error identities before it (the build's) */
  const char *log;           /* the build log before it (which TUs were compiled; the session's) */
  int rust_phase;            /* the latest rustc phase of the build before it (rust_phase_reached) */
  int linked;                /* the build before it reached the link step (it had link errors) */
  size_t unsafe_n;           /* unsafe fix-its applied before it */
};

#define FIX_NO_MODEL_BUDGET_S 600.0 /* a session's time budget without a model, unless one is set */

struct session {
  const struct fix_options *o;
  const struct fix_repair_sinks *sinks;
  struct fix_repair_stats *st;
  const char *const *argv;
  const char *cwd;
  struct fix_vcs vcs;
  struct fix_workspace *ws;
  int lock_fd;               /* the project's lock (fix_journal_lock), -1 when not held */
  struct fix_intent intent;  /* the developer's change against HEAD: session_intent() reads it once */
  int intent_read;
  struct fix_shadow *shadow;          /* == shadows[0] */
  struct fix_shadow *shadows[MAX_SHADOWS];
  int nshadows;
  struct fix_compdb db;
  struct fix_compile_cmd rust;        /* the cargo/rustc check standing for every .rs file */
  struct fix_strv explained;          /* rustc --explain cache: "CODE\ntext" */
  struct fix_strv explained_env;      /* missing libraries and headers already named (explain.c) */
  struct veto_base *veto_bases;       /* parsed files for the item comparison (veto.c), VETO_BASES */
  struct step_rec *steps;             /* every kept step's target and range (steps.c), for SARIF */
  size_t nsteps;
  char *next_target;                  /* commit_target's */
  unsigned veto_next;
  struct fix_err err;
  double t0;
  /* the model loop */
  struct fix_llm *llm;
  int llm_tried;
  struct group group;
  struct pending pending;
  struct fix_strv failed;             /* identities of groups given up on */
  const char *last_log;               /* the latest build's output (borrowed) */
  struct fix_strv states;             /* hashes of the states after each iteration (oscillation) */
  char *prefer_file;                  /* the editor's chosen error: the model starts there */
  int prefer_line, prefer_col;
  char *scope_id;                     /* the editor's chosen error: the only one acted on (with its group) */
  struct fix_strv scope_files;        /* and the files it may edit: the error's own, those its notes and
                                         spans name, and the editor's open buffers (empty: any) */
  struct fix_llm *borrowed_llm;       /* a backend the caller keeps open between sessions */
  char *backend_error;                /* why the backend failed (the model is not asked again) */
  /* how the build really compiles (commands.c) */
  struct fix_intercept *ic;           /* interception of the build's compilers (NULL: none) */
  char **build_argv;                  /* argv with the keep-going flag added (NULL: argv as given) */
  struct fix_diag_list last_build;    /* the latest real build's diagnostics */
  const struct fix_diag_list *build_diags; /* &last_build once a build ran */
  size_t build_writes;                /* workspace writes when that build ran */
  struct fix_strv trust_seen;         /* units whose check was compared with the build */
  struct fix_strv untrusted;          /* units whose check does not reproduce the build */
  struct fix_strv final_ids;          /* identities of the errors left at the end */
  /* what the session may act on (scope.c) */
  struct fix_strv editable, skipped;  /* files checked: editable, or refused (said once) */
  struct fix_err first_refusal;       /* why the first skipped file was refused */
  struct fix_strv unsafe_applied;     /* unsafe fix-its applied ("where: message (why)") */
  struct fix_strv unsafe_left;        /* unsafe fix-its the fix-it pass left to the model */
  struct fix_strv unsafe_left_ids;    /* the identities of their diagnostics */
  struct fix_strv fixits_alone_tried; /* errors whose unsafe fix-its were tried without a model */
  struct fix_strv unsafe_tus;         /* units whose last fix-it pass set unsafe fix-its aside */
  struct fix_strv headers;            /* the project's header files, for model-free repairs */
  int headers_listed;
  struct fix_strv found_dirs, unplaced; /* the build's relative paths placed by a search (run.c) */
  /* the live status line during a model call */
  double status_t0, status_last;
  char *status_what;                  /* what is being repaired ("main.c:6: ...") */
};

/* The workspace, the first shadow and the compile commands of s->vcs.root. */
FIX_MUST_USE enum fix_status session_open_tools(struct session *s);
/* The developer's change against HEAD, read at the first call (empty without git or with --no-intent). */
const struct fix_intent *session_intent(struct session *s);
/* The repair loop from diagnostics `cur` on (taken), rebuilding, or in a dry run rechecking the
 * TUs that had errors in `first`; `log` (taken) is the build log the diagnostics came from. */
enum fix_outcome session_iterate(struct session *s, struct fix_diag_list *cur, const struct fix_diag_list *first,
                                 char *log);
/* Frees everything the session holds (files stay as they are). */
void session_close(struct session *s);

void say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Emits a JSON event {"event": type, ...fields of obj}; takes ownership of obj (may be NULL). */
void emit(struct session *s, const char *type, cJSON *obj);
cJSON *diag_to_json(const struct fix_diag *d);
/* "file:line:col" relative to the project root when inside it. Caller frees. */
char *short_loc(struct session *s, const struct fix_pos *p);

/* Runs a fast check of one TU in the shadow, with timing and stats. */
FIX_MUST_USE enum fix_status session_check(struct session *s, const struct fix_compile_cmd *cmd, struct fix_diag_list *out);

/* ---- scope.c: what the session may act on ---- */

/* 1 when fix may edit `path` (inside --only, not dirty, not read-only); a refused file is said once
 * and remembered. */
int session_may_edit(struct session *s, const char *path);
/* 1 when fix takes on diagnostic `d`: its code passes --select/--ignore and its file may be edited. */
int session_acts_on(struct session *s, const struct fix_diag *d);
/* The errors of `cur` fix leaves alone. */
size_t session_left_alone(struct session *s, const struct fix_diag_list *cur);

/* ---- commands.c: how each file is compiled ---- */

/* The compile command for a TU (from the database, else a guess added to it, said once). Borrowed;
 * valid until the session closes. */
const struct fix_compile_cmd *session_cmd_for(struct session *s, const char *tu);
/* compile_commands.json (found, or -p), else the commands the last fix run recorded. */
void session_load_compdb(struct session *s);
/* What a build showed: its recorded compilers and echoed commands into the database (and the
 * recorded ones saved for `fix lsp`); cargo under another build tool becomes the Rust check. */
void session_learn(struct session *s, const struct fix_build_result *b);
/* A check of cmd's unit on the files as they are: its diagnostics appended to `out`. The first such
 * check after a build also decides whether the check reproduces the build (session_untrusted). */
FIX_MUST_USE enum fix_status session_baseline(struct session *s, const struct fix_compile_cmd *cmd, struct fix_diag_list *out);
/* 1 when cmd's check did not reproduce the build: its candidates are judged by rebuilding. */
int session_untrusted(const struct session *s, const struct fix_compile_cmd *cmd);
/* Plain rustc crates that failed: re-run with JSON diagnostics (rustc's suggestions, the crate's
 * files), which replace the text-parsed diagnostics of those crates in `cur`. */
FIX_MUST_USE enum fix_status session_rust_crates(struct session *s, struct fix_diag_list *cur);
/* Compilers the build ran that failed on a project file whose errors are not in the build's output
 * (cargo's build scripts indent it, a script sends it elsewhere): checked again, and their errors
 * added to `cur`. */
FIX_MUST_USE enum fix_status session_unreported(struct session *s, struct fix_diag_list *cur);
/* Says, without -v, why errors of `cur` cannot be acted on (no location, file not found, outside
 * the project). */
void session_explain(struct session *s, const struct fix_diag_list *cur);
/* sarif.c: the session as a SARIF 2.1.0 log at `path` ("-": standard output): the first build's
 * diagnostics as results, fix's changes as their fixes. */
FIX_MUST_USE enum fix_status session_write_sarif(struct session *s, const struct fix_diag_list *first, const char *path,
                                                 struct fix_err *err);
/* Runs the user's build (with interception and keep-going when available). */
FIX_MUST_USE enum fix_status session_build(struct session *s, struct fix_build_result *b, int quiet);
/* Makes shadow sh's copy of `path` match the workspace: a symlink to the file, or (dry run) the
 * session's own text of it. */
FIX_MUST_USE enum fix_status session_shadow_restore(struct session *s, struct fix_shadow *sh, const char *path,
                                       struct fix_err *err);
/* Makes every shadow's copy of `path` match the workspace (after a commit or a rejected trial). */
FIX_MUST_USE enum fix_status session_shadow_sync(struct session *s, const char *path);

/* New contents for a few files: the unit in which candidates are tried and committed. */
struct fileset {
  struct fix_strv paths;
  struct fix_buf *texts;
};

void fileset_free(struct fileset *f);
/* Text of `path` as `fs` (may be NULL) would leave it, else as the workspace has it. */
enum fix_status text_of(struct session *s, const struct fileset *fs, const char *path, const char **data, size_t *len);
/* `base` (may be NULL) with `edits` applied on top (edits are offsets into text_of(base)). */
FIX_MUST_USE enum fix_status fileset_apply(struct session *s, const struct fileset *base, const struct fix_edit_list *edits,
                              struct fileset *out);
int errors_of(const struct fix_diag_list *l);
int has_error_ident(const struct fix_diag_list *l, const char *id);
/* Kept only when the error count went down and every remaining error was already there. */
int improves(const struct fix_diag_list *before, const struct fix_diag_list *after);
/* rustc reports a phase's errors only once the phases before it pass (borrow checking after type
 * checking; type checking after resolution in rustc < 1.64): rust_phase(d) is d's phase (1 resolve,
 * 2 type check, 3 borrow check), rust_phase_reached(l) the latest phase of l's rustc errors (0: none);
 * exposed_later(before, d) that d appeared because the earlier phase's last error went (wherever it
 * is, it is not the edit's doing), or is a link error a failed compile hid. */
int rust_phase(const struct fix_diag *d);
int rust_phase_reached(const struct fix_diag_list *l);
int exposed_later(const struct fix_diag_list *before, const struct fix_diag *d);
/* 1 when every error of `after` that `before` lacks is in a file `fs` edits. */
int exposed_in(const struct fix_diag_list *before, const struct fix_diag_list *after, const struct fileset *fs);
/* Puts `fs` in the session's shadow, checks cmd's TU, and puts the shadow back; for a unit whose
 * check does not reproduce the build, writes `fs`, rebuilds, and puts the files back instead
 * (`after` is then the whole build's diagnostics). */
FIX_MUST_USE enum fix_status trial(struct session *s, const struct fix_compile_cmd *cmd, const struct fileset *fs,
                      struct fix_diag_list *after);
/* Writes `fs` to the workspace as one step (journalled), syncs the shadows, reports it. */
FIX_MUST_USE enum fix_status commit(struct session *s, const struct fileset *fs, const char *kind, const char *where,
                       const char *label, const char *origin, int before, int after);
/* The common prefix and suffix of a and b (not overlapping): what lies between is what changed. */
void changed_span(const char *a, size_t alen, const char *b, size_t blen, size_t *pre, size_t *suf);
/* What the next commit repairs: the identity of its diagnostic (NULL: not known, several fix-its
 * together), for SARIF's fixes (steps_note). */
void commit_target(struct session *s, const char *ident);
/* Records edits (offsets into the current texts) as repairing the diagnostic `ident`, before a
 * commit of several fix-its together. */
void steps_note_edits(struct session *s, const struct fix_edit_list *edits, const char *ident);

/* One kept step: the diagnostic it repairs and the ranges of the original files it changed. */
struct step_rec {
  char *ident;       /* fix_diag_identity of its target, or NULL */
  char *file;
  size_t a, b;       /* the changed bytes of the file as the session found it */
};

/* One model candidate: its edit, and what checking it showed. */
struct candidate {
  int index;                 /* 1-based, as shown in messages */
  const char *fixit_why;     /* a compiler's unsafe fix-it (why it is unsafe), not the model's */
  char *repair_why;          /* a model-free repair (what it does), not the model's */
  int rank;                  /* a repair's rank among the target's (lower first) */
  int exclusive, evidence;   /* a repair among alternatives only meaning decides (struct repair) */
  int completed;             /* fix-its of the errors it exposed, applied with it */
  int exposed;               /* borrow-checker errors it exposed (not counted in errors) */
  struct fileset fs;         /* empty when the reply was rejected */
  char *rejected;            /* why the reply could not be applied */
  struct fix_diag_list after;
  enum fix_status st;
  int target_gone, errors, new_errors;
  int new_elsewhere;         /* new errors in files the candidate did not edit */
  int new_warnings;          /* warnings it adds, none of a wrong-code class (those veto it) */
  size_t size;               /* bytes changed */
  char *first_new;           /* the first new error, for feedback */
  char *first_new_line;      /* the same on one line, for messages */
  struct fix_shadow *sh;
  const struct fix_compile_cmd **cmds;
  size_t ncmds;
  struct session *s;
  const atomic_int *cancel;  /* the session thread's cancellation flag */
  int checks;
  double check_s;
};

/* candidates.c: replies parsed into candidates (the caller frees them with candidates_free);
 * the TUs they affect and the baseline checked (tus holds FIX_REPAIR_MAX_TUS); every valid one
 * checked and scored against `before`; the best. */
size_t candidates_from_replies(struct session *s, const struct fix_strv *texts, const struct fix_strv *known,
                               struct candidate **out);
FIX_MUST_USE enum fix_status candidates_prepare(struct session *s, const struct fix_compile_cmd *cmd,
                                                const struct fix_diag *target, struct candidate *cs, size_t nc,
                                                const struct fix_compile_cmd **tus, size_t *ntus,
                                                struct fix_diag_list *before, int *by_build);
FIX_MUST_USE enum fix_status candidates_evaluate(struct session *s, struct candidate *cs, size_t nc, const struct fix_diag_list *before,
                                    const char *target_id, const struct fix_diag *target, int by_build);
struct candidate *candidates_best(struct candidate *cs, size_t nc);
/* Candidates that removed the target but exposed errors are tried again together with those
 * errors' fix-its (fixits_complete), up to three rounds, and re-scored when that helps. */
FIX_MUST_USE enum fix_status candidates_complete(struct session *s, struct candidate *cs, size_t nc,
                                                 const struct fix_diag_list *before, const char *target_id,
                                                 const struct fix_diag *target, int by_build);
/* Appends the target's unsafe fix-its to the model's candidates (*cs grows; *nc counts them). */
void candidates_add_fixits(struct session *s, const struct fix_diag *target, struct candidate **cs, size_t *nc);
void candidates_free(struct candidate *cs, size_t n);
/* Appends the target's model-free repairs (repairs.c), ranked (*cs grows; *nc counts them). */
/* A project header (not `besides`) that declares `name` at file scope, or NULL (C and C++). */
/* The name an "unknown name" diagnostic is about, into buf (candidates.c). */
enum { UNKNOWN_NAME = 1, UNKNOWN_IMPLICIT = 2 };
int unknown_name(const struct fix_diag *d, char *buf, size_t cap);
const char *session_header_declaring(struct session *s, const char *name, const char *besides);
void candidates_add_repairs(struct session *s, const struct fix_diag *target, const struct fix_compile_cmd *cmd,
                            struct candidate **cs, size_t *nc);
/* The files under dir (not hidden, not target/) ending in one of exts, at most max. */
void project_files(const char *dir, const char *const *exts, struct fix_strv *out, size_t max, int depth);
/* A compile command's -I/-iquote/-isystem directories, absolute. */
void cmd_include_dirs(const struct fix_compile_cmd *cmd, struct fix_strv *out);
/* The session's view of a file (fix_text_lookup over the workspace). */
enum fix_status session_text_lookup(void *ud, const char *path, const char **data, size_t *len);

/* The model pass: asks the backend for candidate edits for the current error group and keeps
 * the best one that improves the state. *kept = 1 when the files changed (a step was accepted, or
 * a failed group was rolled back). */
FIX_MUST_USE enum fix_status model_pass(struct session *s, const struct fix_diag_list *cur, int *kept);
/* After a rebuild: 1 when the last model step broke something its checks did not see (it is then
 * rolled back and the group is told why); 0 otherwise. */
int model_confirm(struct session *s, const struct fix_diag_list *built);
void model_end(struct session *s);
/* Renders a diagnostic for a prompt or a message: paths relative to the root. Appends. */
void render_diag(struct session *s, const struct fix_diag *d, struct fix_buf *out);

/* The unsafe fix-its of diagnostic `d` (left by the fix-it pass to compete with the model's
 * candidates), each as a file set with why it is unsafe (static text). The caller frees each set
 * and both arrays. */
size_t fixits_unsafe_sets(struct session *s, const struct fix_diag *d, struct fileset **out, const char ***why);

/* The safe fix-its (any, with --unsafe-fixes) of the errors of `after` that neither `before` nor
 * the group has — the errors an edit exposed — applied together on top of `fs` into *out. Returns
 * how many were applied (0: none, *out untouched). */
int fixits_complete(struct session *s, const struct fileset *fs, const struct fix_diag_list *before,
                    const struct fix_diag_list *after, struct fileset *out);

/* ---- explain.c and link.c: the link step, and what lies outside the files fix edits ---- */

/* 1 when d is the linker's (code "link:..."). */
int link_error(const struct fix_diag *d);
/* The undefined symbol of a link error (C++: the function's own name, without scope and
 * parameters) into buf; 0 when d is not an undefined reference. */
int link_undefined_symbol(const struct fix_diag *d, char *buf, size_t cap);
/* Names, once a session, the repairs fix does not make itself: a library the link needs (which
 * flag, where it goes in this build system), a library not found, a header not on the include
 * path (where it is, or that nothing provides it). Returns how many errors of cur it explained. */
int session_explain_env(struct session *s, const struct fix_diag_list *cur);
/* 1 when d is an error session_explain_env names (its repair is in the build files). */
int explain_env_error(const struct fix_diag *d);
/* Model-free repairs of the link step, each judged by rebuilding: a definition whose name is one
 * or two edits from an undefined symbol, and that nothing else names, renamed to it; a call to a
 * misspelled function renamed to the defined one. *kept = steps kept. */
FIX_MUST_USE enum fix_status link_pass(struct session *s, const struct fix_diag_list *cur, int *kept);
/* Link errors without a source position (no -g) placed where the referencing file (the source
 * the linker names, or the one the object is compiled from) uses the symbol, inside the function
 * the linker names: they can then be shown to a model and in the editor. */
void link_locate(struct session *s, struct fix_diag_list *cur);
/* For the model's prompt: the definitions nearest in name to an undefined symbol (a typo, or a
 * rename), as locations (their file names kept in hold). */
size_t link_near_definitions(struct session *s, const struct fix_diag *d, struct fix_ctx_loc *locs, size_t max,
                             struct fix_strv *hold);
/* `fs` written to the project, the build run, the files put back: the whole build's diagnostics. */
FIX_MUST_USE enum fix_status trial_by_build(struct session *s, const struct fileset *fs, struct fix_diag_list *after);

/* ---- veto.c: what compiling does not show ---- */

#define VETO_BASES 8
/* Frees what veto_check keeps between calls. */
void veto_close(struct session *s);
/* 1 when a warning with this code (gcc/clang flag, rustc lint) signals wrong code. */
int veto_wrong_code_class(const char *code);
/* Why `fs` must not be kept although its check (`after`, against `before`) may pass: a wrong-code
 * warning it adds, or an item of an edited file it destroys that none of `about` (the diagnostics it
 * repairs) names. Owned string, or NULL. *new_warnings (may be NULL): the other warnings it adds (for
 * an alternative among exclusive ones, not the unused variables it leaves: dropping an argument
 * does that). */
char *veto_check(struct session *s, const struct fileset *fs, const struct fix_diag_list *before,
                 const struct fix_diag_list *after, const struct fix_diag *const *about, size_t nabout,
                 int *new_warnings, int about_exclusive);

/* The compiler fix-it pass over the TUs that have errors. *kept = number of accepted steps. */
FIX_MUST_USE enum fix_status fixits_pass(struct session *s, const struct fix_diag_list *build_diags, int *kept);

#endif
