/* fix/patch.h — edits, the session workspace (atomic writes, snapshots, rollback, undo journal),
 * version-control checks and unified diffs.
 *
 * Every change fix makes to a user's file goes through a fix_workspace: it refuses paths outside
 * the project root, refuses files with uncommitted changes (unless allowed), copies each file's
 * original bytes into the undo journal (fsync'd) before the first write, writes atomically, and can
 * restore every file exactly — on rollback, on Ctrl-C, or later with `fix undo`.
 *
 * Ownership: structs own their strings; `_free` releases. Borrowed results are marked. */
#ifndef FIX_PATCH_H
#define FIX_PATCH_H

#include "fix/base.h"

/* Replace bytes [start, end) of `file` (absolute) with `text`. */
struct fix_edit {
  char *file;
  size_t start;
  size_t end;
  char *text;
};

struct fix_edit_list {
  struct fix_edit *v;
  size_t n;
};

void fix_edit_list_free(struct fix_edit_list *l);
enum fix_status fix_edit_list_push(struct fix_edit_list *l, const char *file, size_t start, size_t end,
                                   const char *text);
/* Applies the edits of one file to `text`. Edits are sorted by position; an exact duplicate is
 * applied once; any other overlap is FIX_ERR_CONFLICT (nothing applied). `out` is initialised. */
enum fix_status fix_edits_apply_text(const char *text, size_t len, const struct fix_edit *edits, size_t n,
                                     struct fix_buf *out, struct fix_err *err);

/* Applies a multi-file edit list: `paths` gets each distinct file (first-seen order) and *texts a
 * malloc'd array of their new contents, one per path (free each with fix_buf_free, then the
 * array). All or nothing: on error both are left empty. */
enum fix_status fix_edits_apply_files(const struct fix_edit_list *edits, fix_text_lookup lookup, void *ud,
                                      struct fix_strv *paths, struct fix_buf **texts, struct fix_err *err);

/* ---- model edit formats ---- */

enum fix_edit_format {
  FIX_FMT_CHANGELOG = 0,   /* RustAssistant: ChangeLog:N@file / OriginalCode@a-b / FixedCode@a-c */
  FIX_FMT_SEARCH_REPLACE,  /* aider: file, <<<<<<< SEARCH / ======= / >>>>>>> REPLACE */
  FIX_FMT_UDIFF,           /* unified diff: ---/+++ headers, @@ hunks */
};
const char *fix_edit_format_str(enum fix_edit_format f);       /* "changelog", "search-replace", "udiff" */
int fix_edit_format_from_str(const char *s, enum fix_edit_format *out); /* 0 on success */

/* Turns a model's reply into byte edits of the project's files.
 *
 * Lenient: code fences, CRLF, missing or extra blank lines, trailing whitespace, tabs vs spaces
 * in indentation, drifted line numbers (text is re-anchored by content, nearest to the stated
 * line), a missing final newline, several files in one reply, a/ b/ prefixes, and a path given
 * relative to the project root or as a unique suffix of a file shown in the prompt.
 * Strict: the original text must be found in the file, unambiguously; every path must resolve
 * inside `root`; a reply with no edit, or an edit that changes nothing, is rejected.
 *
 * On rejection returns FIX_ERR_PARSE, FIX_ERR_CONFLICT or FIX_ERR_OUTSIDE_ROOT with a specific
 * reason in err->msg, written to be shown to the model on its next attempt. `known` (may be NULL)
 * lists absolute paths the prompt showed, used to resolve bare file names. */
FIX_MUST_USE enum fix_status fix_reply_parse(enum fix_edit_format fmt, const char *reply, size_t len, const char *root,
                                const struct fix_strv *known, fix_text_lookup lookup, void *ud,
                                struct fix_edit_list *out, struct fix_err *err);

/* ---- which files an edit may touch ---- */

/* FIX_OK when an edit may change `canon` (canonical, from fix_path_contain): a C, C++ or Rust
 * source or header of the project that is not version-control metadata (by name, or inside any
 * directory that holds a repository's metadata), not ignored by git, not a build script and not
 * executable. Else FIX_ERR_REFUSED (or FIX_ERR_OUTSIDE_ROOT) with the reason, written to be shown
 * to a model. Runs `git check-ignore` (cached per path). policy.c says why each rule exists. */
FIX_MUST_USE enum fix_status fix_edit_policy(const char *root, const char *canon, struct fix_err *err);

/* ---- version control ---- */

struct fix_vcs {
  char *root;              /* canonical project root */
  int is_git;
  int is_hg;               /* a Mercurial working copy (read with the repository's own hgrc skipped) */
  struct fix_strv dirty;   /* canonical paths with uncommitted changes (incl. untracked) */
};

/* Finds the project root for `dir`: the git top level if inside a work tree, else the Mercurial
 * root (is_hg), else `dir` itself. Reads the dirty files with `git status` / `hg status`. A
 * repository's own config runs nothing: git gets core.fsmonitor=false, hg HGRCSKIPREPO. */
FIX_MUST_USE enum fix_status fix_vcs_open(const char *dir, struct fix_vcs *v, struct fix_err *err);
void fix_vcs_free(struct fix_vcs *v);
int fix_vcs_is_dirty(const struct fix_vcs *v, const char *path);
/* Runs `hg ARGS` in `dir` with no configuration but Mercurial's own (HGPLAIN, HGRCPATH empty,
 * HGRCSKIPREPO): its output into *out (caller frees). 0 on exit status 0. */
int fix_hg(const char *dir, const char *const *args, struct fix_buf *out);

/* ---- unified diffs ---- */

/* Appends a unified diff (3 lines of context) of a -> b, labelled with `label`, to `out`. Colours
 * with ANSI escapes when `color`. Nothing is appended when the texts are equal. */
enum fix_status fix_diff_unified(const char *label, const char *a, size_t alen, const char *b, size_t blen,
                                 int color, struct fix_buf *out);

/* The changes a -> b of `file` as byte-range replacements of a (whole lines: each run of changed
 * lines one edit), in order and disjoint: applied to a they give b exactly. Appended to `out`. */
enum fix_status fix_diff_regions(const char *file, const char *a, size_t alen, const char *b, size_t blen,
                                 struct fix_edit_list *out);

/* ---- the workspace ---- */

struct fix_workspace; /* opaque */

struct fix_workspace_opts {
  const struct fix_vcs *vcs;   /* borrowed; root and dirty set */
  const char *journal_dir;     /* where this project's undo journal lives (created on first write) */
  int dry_run;                 /* never write the project's files */
  int allow_dirty;
  int allow_readonly;          /* edit files that have no write permission (root can) */
};

FIX_MUST_USE enum fix_status fix_workspace_new(const struct fix_workspace_opts *o, struct fix_workspace **out,
                                  struct fix_err *err);
/* Frees memory only: files stay as they are (call restore_all first to undo). */
void fix_workspace_free(struct fix_workspace *ws);

/* Current content of `path` as the session sees it (edited or on disk). The pointer is borrowed
 * and valid until the next write, rollback or free of the workspace. */
FIX_MUST_USE enum fix_status fix_workspace_read(struct fix_workspace *ws, const char *path, const char **data, size_t *len,
                                   struct fix_err *err);
/* Whether fix may edit `path`: the edit policy, then (not in a dry run) no uncommitted changes
 * unless allow_dirty (FIX_ERR_DIRTY), and writable — a file without any write permission bit is
 * refused even as root unless allow_readonly (FIX_ERR_REFUSED). Files already edited pass. */
FIX_MUST_USE enum fix_status fix_workspace_editable(struct fix_workspace *ws, const char *path, struct fix_err *err);
/* Replaces the content of `path` (journalling its original first). In dry-run mode only the
 * session's view changes. */
FIX_MUST_USE enum fix_status fix_workspace_write(struct fix_workspace *ws, const char *path, const char *data, size_t len,
                                    struct fix_err *err);
/* Applies an edit list (several files) as one step; on any failure nothing is changed. */
FIX_MUST_USE enum fix_status fix_workspace_apply(struct fix_workspace *ws, const struct fix_edit_list *edits,
                                    struct fix_err *err);

/* Snapshots: mark the current state; rollback restores it (files written back atomically). */
size_t fix_workspace_mark(struct fix_workspace *ws);
FIX_MUST_USE enum fix_status fix_workspace_rollback(struct fix_workspace *ws, size_t mark, struct fix_err *err);
/* Forgets marks >= `mark` without changing any file (the step they guarded was kept). */
void fix_workspace_unmark(struct fix_workspace *ws, size_t mark);
/* Restores every touched file to its original bytes (Ctrl-C, failure). */
FIX_MUST_USE enum fix_status fix_workspace_restore_all(struct fix_workspace *ws, struct fix_err *err);

/* Files whose session content differs from the original. Borrowed paths; count returned. */
size_t fix_workspace_changed(struct fix_workspace *ws, const char ***paths);
/* Original bytes of a touched file (borrowed), or NULL if untouched. */
const char *fix_workspace_original(struct fix_workspace *ws, const char *path, size_t *len);
/* Unified diff of every changed file, original -> current, paths relative to the root. */
enum fix_status fix_workspace_diff(struct fix_workspace *ws, int color, struct fix_buf *out);
/* Number of writes made (journalled steps). */
size_t fix_workspace_nwrites(const struct fix_workspace *ws);
/* The files this session edited that had uncommitted changes before it (their text is in the
 * journal). Borrowed. */
const struct fix_strv *fix_workspace_dirty_edited(const struct fix_workspace *ws);

/* ---- the undo journal, after the session ---- */

/* The journal directory for a project root: $XDG_STATE_HOME/fix/journal/<hash>-<basename>.
 * Caller frees. */
char *fix_journal_dir_for(const char *root);
/* The project's undo history (src/patch/history.c): the last sessions that wrote files, oldest
 * first (at most 20 and 256 MiB of originals; older ones are folded into the next, so the user's
 * own text is never lost). */
struct fix_journal_session {
  unsigned seq;         /* its number, in order */
  char *dir;            /* its journal */
  char state[16];       /* active (running, or died), done, undone, damaged */
  double started;       /* seconds since the epoch */
  unsigned writes;      /* file writes it made */
  struct fix_strv files; /* the files it changed (or, undone, had changed) */
};
FIX_MUST_USE enum fix_status fix_journal_list(const char *journal_dir, struct fix_journal_session **out, size_t *n,
                                              struct fix_err *err);
void fix_journal_list_free(struct fix_journal_session *v, size_t n);
/* Restores the files of the newest session not yet undone: each call steps one session back.
 * Refuses (FIX_ERR_CONFLICT) when a file was changed after fix wrote it, unless `force`;
 * FIX_ERR_NOT_FOUND when nothing is left to undo. Lists what it did through fix_log. */
FIX_MUST_USE enum fix_status fix_journal_undo(const char *journal_dir, int force, size_t *restored, struct fix_err *err);
/* One session at a time per project: an exclusive lock on journal_dir/lock (the holder's pid in it).
 * Busy: FIX_ERR_CONFLICT naming the pid, or, with `wait`, `waiting` is called once and the call
 * returns when the lock is free (FIX_ERR_INTERRUPTED on Ctrl-C). *fd is released by
 * fix_journal_unlock (or the process's end). */
FIX_MUST_USE enum fix_status fix_journal_lock(const char *journal_dir, int wait, void (*waiting)(void *ud, long pid),
                                              void *ud, int *fd, struct fix_err *err);
void fix_journal_unlock(int fd);
/* Whether a session holds the project's lock (*pid: its pid, or 0), without creating anything or
 * taking the lock: the language server's probe before it offers an edit. */
int fix_journal_busy(const char *journal_dir, long *pid);



/* ---- automaton.c: the edit formats as byte automata, for constrained decoding ---- */

/* A file the prompt showed: its path as shown, its current text. */
struct fix_shown_file {
  const char *path;
  const char *text;
  size_t len;
};
struct fix_edit_automaton;
/* The replies in format `fmt` that parse and apply to these files: blocks naming a shown path,
 * quoting a run of its lines that occurs exactly once (changelog: exactly the lines it numbers),
 * free replacement text. The automaton copies what it needs. */
FIX_MUST_USE enum fix_status fix_edit_automaton_new(enum fix_edit_format fmt, const struct fix_shown_file *files, size_t n,
                                                    struct fix_edit_automaton **out, struct fix_err *err);
void fix_edit_automaton_free(struct fix_edit_automaton *a);
/* States are plain bytes of this size (copy them freely). */
size_t fix_edit_automaton_state_size(void);
void fix_edit_automaton_start(const struct fix_edit_automaton *a, void *state);
/* 1 when byte c may come next (the state moves on); 0 when not (the state is then spoiled). */
int fix_edit_automaton_step(const struct fix_edit_automaton *a, void *state, unsigned char c);
/* 1 when the reply may end here (after a complete block). */
int fix_edit_automaton_can_end(const struct fix_edit_automaton *a, const void *state);
/* 1 when the state is inside free text to the end of the line: for the next *room bytes every byte
 * but '\n' and NUL is accepted, except that a first non-blank byte flagged in stop[256] (filled)
 * must be checked. */
int fix_edit_automaton_free_line(const struct fix_edit_automaton *a, const void *state, unsigned char *stop,
                                 size_t *room);
/* Bytes that must follow (a marker, a numbered line) or that every candidate run shares next (to
 * the end of the line): drafts for the decoder. Returns how many were written (at most cap). */
size_t fix_edit_automaton_forced(const struct fix_edit_automaton *a, const void *state, char *buf, size_t cap);
/* The shortest bytes that let the reply end from here (closing the block being written): 0 when it
 * may end already, (size_t)-1 when there is no such short ending (the caller then cuts the reply
 * back to its last complete block). */
size_t fix_edit_automaton_finish(const struct fix_edit_automaton *a, const void *state, char *buf, size_t cap);

#endif
