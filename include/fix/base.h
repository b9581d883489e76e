/* fix/base.h — status codes, capped buffers, logging, files, processes.
 *
 * Everything else in fix is built on this module. Nothing here prints or exits: errors come back as
 * an `enum fix_status` plus a message in a `struct fix_err`, and log lines go to a callback that the
 * program installs (the CLI prints them; the LSP server forwards them; tests capture them).
 *
 * Ownership: a `struct fix_buf` owns its bytes; `fix_buf_free` releases them. Functions that return
 * `char *` hand ownership to the caller (free with free()); `const char *` results are borrowed. */
#ifndef FIX_BASE_H
#define FIX_BASE_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* ---- status ------------------------------------------------------------------------------ */

/* Append-only: values are part of the JSON event stream and of test expectations. */
enum fix_status {
  FIX_OK = 0,
  FIX_ERR_NOMEM,        /* allocation failed */
  FIX_ERR_IO,           /* a read, write, rename or fsync failed */
  FIX_ERR_ARG,          /* bad argument or usage */
  FIX_ERR_PARSE,        /* input could not be parsed */
  FIX_ERR_TOO_BIG,      /* input exceeded a named cap */
  FIX_ERR_SPAWN,        /* a child process could not be started */
  FIX_ERR_INTERRUPTED,  /* SIGINT/SIGTERM arrived */
  FIX_ERR_OUTSIDE_ROOT, /* a path resolves outside the project root */
  FIX_ERR_CONFLICT,     /* overlapping edits, or text that does not match the file */
  FIX_ERR_DIRTY,        /* uncommitted changes in a file fix would touch */
  FIX_ERR_NO_VCS,       /* the project is not under version control */
  FIX_ERR_NOT_FOUND,    /* a file, journal or setting does not exist */
  FIX_ERR_TIMEOUT,      /* a child process or request ran past its limit */
  FIX_ERR_CONFIG,       /* a configuration file or value is invalid */
  FIX_ERR_UNSUPPORTED,  /* valid input that fix does not handle */
  FIX_ERR_REFUSED,      /* an edit fix never makes: VCS metadata, ignored, configuration or non-source files */
  FIX_ERR_DEVICE,       /* the GPU (CUDA) failed: a launch, a copy, a driver error */
};

const char *fix_status_str(enum fix_status s);

/* Conventions (one per kind of function):
 *  - a function that can fail returns enum fix_status (FIX_OK = 0) and fills a struct fix_err
 *    (NULL accepted only where the caller has nothing to add: it must still act on the status);
 *    the ones whose failure changes what happens next are FIX_MUST_USE;
 *  - a predicate (fix_file_exists, fix_vcs_is_dirty, fix_str_ends ...) returns 1 for true, 0 for false;
 *  - a lookup returns the thing or NULL (fix_compdb_lookup), or 0 on success and -1 when absent
 *    when it fills an out-parameter (fix_gguf_get_*, kept for the engine's C-library style);
 *  - a count returns size_t; a constructor returns its object or NULL and says why elsewhere.
 * Appends to a struct fix_buf are the exception to FIX_MUST_USE: their failure is sticky and is
 * checked once, with fix_buf_status, where the text is used. */
#define FIX_MUST_USE __attribute__((warn_unused_result))

/* An error message buffer passed as an out-parameter. NULL is accepted everywhere and ignored. */
struct fix_err {
  enum fix_status status;
  char msg[1024];
};

/* Records status and a formatted message in `err` (if not NULL); returns `status` so callers can
 * write `return fix_err_set(err, FIX_ERR_IO, "cannot open %s", path);`. */
enum fix_status fix_err_set(struct fix_err *err, enum fix_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like fix_err_set, appending ": strerror(errno)". */
enum fix_status fix_err_errno(struct fix_err *err, enum fix_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- capped growable buffers ------------------------------------------------------------- */

/* Bytes that grow from outside input. `max` is the named cap (0 = no cap); growing past it fails
 * with FIX_ERR_TOO_BIG and leaves the buffer as it was. `data` is always NUL-terminated when
 * non-NULL, so text can be read as a C string.
 *
 * A failed append is sticky (curl's dynbuf): `err` keeps the first failure and every later append
 * returns it without writing, so a text assembled from many appends never has a silent hole in
 * the middle; the code that assembles it checks fix_buf_status once at the end. fix_buf_clear and
 * fix_buf_free reset it. */
struct fix_buf {
  char *data;
  size_t len;
  size_t cap;
  size_t max;
  enum fix_status err; /* the first failed append (sticky), or FIX_OK */
};

void fix_buf_init(struct fix_buf *b, size_t max);
void fix_buf_free(struct fix_buf *b);
void fix_buf_clear(struct fix_buf *b);
enum fix_status fix_buf_reserve(struct fix_buf *b, size_t extra);
enum fix_status fix_buf_append(struct fix_buf *b, const void *p, size_t n);
enum fix_status fix_buf_puts(struct fix_buf *b, const char *s);
enum fix_status fix_buf_printf(struct fix_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum fix_status fix_buf_vprintf(struct fix_buf *b, const char *fmt, va_list ap);
/* FIX_OK, or the first append that failed since the buffer was initialised or cleared. */
enum fix_status fix_buf_status(const struct fix_buf *b);
/* Hands the bytes to the caller (who frees them) and resets the buffer. Never NULL on success. */
char *fix_buf_take(struct fix_buf *b);

/* ---- small string helpers ---------------------------------------------------------------- */

char *fix_strdup(const char *s);               /* NULL-safe; NULL on NULL or no memory */
char *fix_strndup(const char *s, size_t n);
char *fix_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fix_str_starts(const char *s, const char *prefix);
int fix_str_ends(const char *s, const char *suffix);
/* Identifiers of C, C++ and Rust: [A-Za-z0-9_], not starting with a digit. */
static inline int fix_ident_char(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
int fix_is_ident(const char *s);
/* Calls at(ud, offset) for each whole-word occurrence of `word` in t[0, n), in order, until it
 * returns nonzero; with `code`, only those outside comments (line and block) and string and character
 * literals (a Rust lifetime 'a is no literal). Returns how many were reported. The one word scanner
 * of the repairs, the link step and the intent reader. */
size_t fix_word_scan(const char *t, size_t n, const char *word, int code, int (*at)(void *ud, size_t off), void *ud);
/* The top-level comma-separated parts of the parenthesised list opening at t[open] ('('), string and
 * character literals and nested brackets skipped: their bounds (spaces included) into starts/ends, at
 * most max; the count, or 0 when the list does not close. `f()` has one empty part. */
size_t fix_call_args(const char *t, size_t n, size_t open, size_t *starts, size_t *ends, size_t max);
/* 64-bit FNV-1a: identities and journal checksums, not security. */
uint64_t fix_hash64(const void *p, size_t n);

/* A growable array of owned strings, NULL-terminated (usable as an argv). */
struct fix_strv {
  char **v;
  size_t n;
  size_t cap;
};
enum fix_status fix_strv_push(struct fix_strv *sv, const char *s);     /* copies s */
enum fix_status fix_strv_push_own(struct fix_strv *sv, char *s);       /* takes s */
void fix_strv_remove(struct fix_strv *sv, size_t at);
void fix_strv_free(struct fix_strv *sv);
int fix_strv_contains(const struct fix_strv *sv, const char *s);

/* The one number parser of every flag and setting: the whole of `s` as a decimal integer, or a
 * finite number, within [lo, hi]. FIX_ERR_ARG otherwise (empty, trailing text, out of range, NaN);
 * *out is untouched then. */
enum fix_status fix_parse_long(const char *s, long lo, long hi, long *out);
enum fix_status fix_parse_double(const char *s, double lo, double hi, double *out);

/* Splits a shell command line (as echoed by make, or as written in compile_commands.json "command")
 * into words: single and double quotes and backslashes are honoured; no expansion is done. */
enum fix_status fix_shell_split(const char *line, struct fix_strv *out, struct fix_err *err);
/* Quotes one word for display as a shell word. Caller frees. */
char *fix_shell_quote(const char *word);

/* ---- credentials ------------------------------------------------------------------------- */

/* Registers a secret (an API key) to be masked in everything fix prints, logs or records. */
void fix_secret_add(const char *s);
/* Masks, in place, the registered secrets and anything shaped like a credential ("Bearer TOKEN",
 * "sk-..." keys) in a NUL-terminated string; it only gets shorter. fix_err_set and fix_log do this
 * for their messages. */
void fix_redact(char *s);

/* Endpoint URLs (the model server's base_url, a download). What fix_redact also masks, whoever
 * formats the text: a URL's userinfo ("http://user:PASSWORD@host" -> "user:***@", a bare
 * "TOKEN@host" -> "***@") and the values of key-like query parameters ("?api-key=VALUE" ->
 * "?api-key=***"; the names: api-key, api_key, apikey, x-api-key, key, token, access_token,
 * access-token, password, secret, client_secret, subscription-key, sig; any case).
 *
 * fix_secret_add_url registers the URL's password and key-like query values as secrets (a server
 * may echo them in another shape). fix_url_check: FIX_OK for an absolute http:// or https:// URL
 * with a host, an optional port 1-65535, no whitespace or control characters and no #fragment;
 * FIX_ERR_CONFIG naming what is wrong otherwise (no scheme, another scheme, empty host, empty or
 * out-of-range port). fix_url_join: `base` with `path` ("/chat/completions") appended to its path
 * (trailing slashes of base's path dropped) and before its ?query, which stays as it was; caller
 * frees; NULL without memory. */
void fix_secret_add_url(const char *url);
enum fix_status fix_url_check(const char *url, struct fix_err *err);
char *fix_url_join(const char *base, const char *path);

/* ---- logging ----------------------------------------------------------------------------- */

enum fix_log_level { FIX_LOG_DEBUG, FIX_LOG_INFO, FIX_LOG_WARN, FIX_LOG_ERROR };
typedef void (*fix_log_fn)(void *ud, enum fix_log_level level, const char *msg);

/* Installs the process-wide log sink (NULL silences). Not thread-safe against concurrent logging. */
void fix_log_set(fix_log_fn fn, void *ud, enum fix_log_level min_level);
void fix_log(enum fix_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- files and paths --------------------------------------------------------------------- */

/* Reads a whole file into `out` (initialised here, capped at `max` bytes). */
FIX_MUST_USE enum fix_status fix_file_read(const char *path, size_t max, struct fix_buf *out, struct fix_err *err);
/* Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename over
 * the target, fsync of the directory. The target keeps its permission bits (0644 if new). After a
 * crash at any point the path holds either the old bytes or the new ones, never a mix. */
FIX_MUST_USE enum fix_status fix_file_write_atomic(const char *path, const void *data, size_t len,
                                      struct fix_err *err);
/* The same without the fsyncs: readers never see a partly written file, but after a crash the
 * path may hold the new bytes incomplete. For caches that check their content when read. */
FIX_MUST_USE enum fix_status fix_file_replace(const char *path, const void *data, size_t len, struct fix_err *err);
int fix_file_exists(const char *path);
int fix_dir_exists(const char *path);
FIX_MUST_USE enum fix_status fix_mkdirs(const char *path, struct fix_err *err);
/* Removes a directory tree (used for scratch directories only). */
void fix_rmtree(const char *path);
/* A fresh private directory under $TMPDIR (or /tmp). Caller frees the string and removes the dir. */
char *fix_mkdtemp(const char *prefix);
/* The same, with this process's pid and start time in the name ("PREFIX-PID.START-XXXXXX"), so
 * that fix_sweep_stale can tell when its owner is gone. */
char *fix_mkdtemp_owned(const char *prefix);
/* Removes the directories fix_mkdtemp_owned(prefix) made in $TMPDIR whose owning process no longer
 * exists (killed with SIGKILL, crashed): scratch space is never left behind for long. */
void fix_sweep_stale(const char *prefix);

/* Joins `a` and `b` with one '/', unless `b` is absolute. Caller frees. */
char *fix_path_join(const char *a, const char *b);
/* fix's cache directory for `sub`: $XDG_CACHE_HOME/fix/sub, else $HOME/.cache/fix/sub (/tmp without
 * a HOME). Not created here. Caller frees. */
char *fix_cache_dir(const char *sub);
/* fix's state directory for project `root` under `sub`:
 * $XDG_STATE_HOME/fix/sub/<hash of root>-<root's name> (else ~/.local/state/...). Not created
 * here. Caller frees. */
char *fix_state_dir_for(const char *sub, const char *root);
/* Lexically normalises an absolute or relative path: removes "." and "x/.." and doubled slashes.
 * Caller frees. */
char *fix_path_normalize(const char *path);
/* Directory part ("." for a bare name). Caller frees. */
char *fix_path_dirname(const char *path);
/* `path` relative to `root` when inside it (lexically), else NULL. Caller frees. */
char *fix_path_relative(const char *root, const char *path);
/* Resolves `path` (relative to `base` if relative) to a canonical absolute path with every symlink
 * of its existing prefix resolved, and checks that it lies inside `root` (itself canonical). On
 * success *out holds the canonical path (caller frees). The file itself need not exist. */
FIX_MUST_USE enum fix_status fix_path_contain(const char *root, const char *base, const char *path, char **out,
                                 struct fix_err *err);

/* Where a module reads a file's current text: the session's view, which in dry-run mode is not
 * what is on disk. The result is borrowed until the caller's call returns. */
typedef enum fix_status (*fix_text_lookup)(void *ud, const char *path, const char **data, size_t *len);

/* ---- interruption ------------------------------------------------------------------------ */

/* Installs SIGINT/SIGTERM handlers that only record the signal; long operations poll
 * fix_interrupted() and unwind. The CLI calls this once. */
void fix_interrupt_install(void);
/* 0, or the signal number that arrived. */
int fix_interrupted(void);
/* For tests and for the LSP server, which cancels work without a signal. */
void fix_interrupt_raise(int sig);
void fix_interrupt_clear(void);
/* Cancellation of one piece of work without a signal (the language server's $/cancelRequest):
 * while a thread has a flag bound, fix_interrupted() in that thread also reports SIGINT once the
 * flag is set. Threads a library function starts on the caller's behalf bind the caller's flag
 * (fix_cancel_bound) so that everything the work runs stops together. NULL unbinds. */
void fix_cancel_bind(const atomic_int *flag);
const atomic_int *fix_cancel_bound(void);

/* ---- child processes --------------------------------------------------------------------- */

/* Named cap on captured output of one child (a build's whole log). */
#define FIX_CAPTURE_MAX ((size_t)256 << 20)

struct fix_spawn_opts {
  const char *const *argv;   /* argv[0] is looked up in PATH */
  const char *cwd;           /* NULL: inherit */
  const char *const *env_set;/* "NAME=value" strings added to (or replacing in) the environment */
  int stdout_fd;             /* where the child's stdout is streamed live (-1: not streamed) */
  int stderr_fd;             /* where the child's stderr is streamed live (-1: not streamed) */
  int stdin_null;            /* give the child /dev/null as stdin instead of ours */
  size_t capture_max;        /* cap on the captured bytes (0: FIX_CAPTURE_MAX) */
  double timeout_s;          /* 0: none */
  /* Optional: decides what a complete output line shows the user (appending it to `show`);
   * the line is captured unchanged either way. stream is 1 (stdout) or 2 (stderr). */
  void (*filter)(void *ud, int stream, const char *line, size_t n, struct fix_buf *show);
  void *filter_ud;
  /* Optional: every complete output line (with its newline; a last line without one, and the
   * pieces of a line longer than 16 MiB, as they are), as it arrives: a reader that must see all
   * of the output whatever the capture keeps. */
  void (*sink)(void *ud, int stream, const char *line, size_t n);
  void *sink_ud;
  /* Past capture_max, keep the first half and the last half of the output (with a line saying
   * how much was left out between them) instead of only the first capture_max bytes. */
  int keep_tail;
};

struct fix_spawn_result {
  int exit_code;       /* exit status, or 128+signal when killed by a signal */
  int term_signal;     /* signal that killed it, or 0 */
  int timed_out;
  int interrupted;     /* our SIGINT/SIGTERM arrived; the child was stopped */
  int truncated;       /* output exceeded capture_max; the rest (or, with keep_tail, the middle)
                          was streamed but not kept */
  size_t dropped;      /* how many bytes were not kept */
  double wall_s;
  struct fix_buf out;  /* stdout and stderr interleaved in arrival order */
};

/* Runs a child in its own process group with stdout and stderr on pipes, streams them live to the
 * given fds and captures them. Returns FIX_OK when the child ran (whatever its exit code);
 * FIX_ERR_SPAWN when it could not start (e.g. command not found: exit_code 127). On interruption or
 * timeout the child's whole process group is sent SIGTERM, then SIGKILL. The caller frees
 * `res->out` with fix_buf_free. */
FIX_MUST_USE enum fix_status fix_spawn_run(const struct fix_spawn_opts *opts, struct fix_spawn_result *res,
                              struct fix_err *err);
/* fix_spawn_run for a child whose output is only captured (nothing streamed, /dev/null as stdin):
 * checks, git, the evaluator's builds. `cwd` and `env_set` may be NULL; timeout_s 0: none. */
FIX_MUST_USE enum fix_status fix_spawn_quiet(const char *const *argv, const char *cwd, const char *const *env_set,
                                double timeout_s, struct fix_spawn_result *res, struct fix_err *err);

/* ---- fault injection ---------------------------------------------------------------------- */

/* A point just before a durable step (a file replaced, the journal saved). Returns nonzero when the
 * step must fail as an I/O error would (errno is set to ENOSPC); may not return at all (a simulated
 * crash). Inert in fix; the test build fix-faulty honours FIX_FAULT (tests/support/fault_inject.c). */
int fix_fault(const char *point);

/* Monotonic seconds. */
double fix_now(void);

#endif
