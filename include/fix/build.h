/* fix/build.h — running the user's build, finding compile commands, and fast single-TU checks.
 *
 * Fast checks never touch the user's tree: they run in a "shadow" — a mirror of the project made of
 * symlinks to every file, in which edited files are real files. The compiler sees exactly the
 * include resolution it would see in the project (quote includes search the includer's directory,
 * and the includer is the shadow path), so a check in the shadow is a check of the edited project.
 *
 * Ownership: every struct here owns its strings; the matching _free releases them. */
#ifndef FIX_BUILD_H
#define FIX_BUILD_H

#include "fix/base.h"
#include "fix/diag.h"

#include <stdio.h>

/* ---- compile commands ---- */

enum fix_cmd_kind {
  FIX_CMD_CC = 0, /* a C/C++ compiler invocation for one translation unit */
  FIX_CMD_CARGO,  /* `cargo check ...` for the whole workspace (Rust's unit of checking) */
  FIX_CMD_RUSTC,  /* a plain rustc invocation for one crate */
};

/* Where a command came from, best first: what the build was seen running, a
 * compile_commands.json, the build's echo of its commands, a guess. A better source replaces a
 * worse one's command for the same file. */
enum fix_cmd_source { FIX_SRC_RECORDED = 0, FIX_SRC_COMPDB, FIX_SRC_LOG, FIX_SRC_GUESS };

struct fix_compile_cmd {
  char *dir;             /* absolute working directory */
  char *file;            /* absolute, normalised source path (cargo: the Cargo.toml; rustc: the crate root) */
  struct fix_strv args;  /* full argv, compiler first */
  enum fix_cmd_kind kind;
  enum fix_cmd_source source;
  int failed;            /* recorded: this invocation exited non-zero */
  struct fix_strv deps;  /* rustc: the crate's source files (from its dep-info), once known */
};

/* Entries are allocated one by one: a pointer to one stays valid until fix_compdb_free, however
 * the database grows (a replaced entry keeps its address and takes the better command). */
struct fix_compdb {
  struct fix_compile_cmd **v;
  size_t n;
  char *source;          /* where it came from: a compile_commands.json path, or "build log" */
};

void fix_compdb_free(struct fix_compdb *db);
/* Loads compile_commands.json ("arguments" or "command" entries). Capped at 256 MiB. */
FIX_MUST_USE enum fix_status fix_compdb_load(const char *path, struct fix_compdb *db, struct fix_err *err);
/* Parses compile_commands.json text; `origin` names it in messages. */
enum fix_status fix_compdb_parse(const char *text, size_t len, const char *origin, struct fix_compdb *db,
                                 struct fix_err *err);
/* Looks for compile_commands.json in `root`, then in root/build*, root/out and root/cmake-build-*,
 * and at `extra` (a file or directory, may be NULL). Caller frees the result (NULL: none). */
char *fix_compdb_find(const char *root, const char *extra);
/* Recovers compile commands from a build log: compiler invocations echoed by make (or shown with
 * VERBOSE=1), tracking make's "Entering directory" lines. `cwd` is where the build ran. */
enum fix_status fix_compdb_from_log(const char *log, size_t len, const char *cwd, struct fix_compdb *db,
                                    struct fix_err *err);
/* If `argv` (run in `cwd`) compiles C/C++ sources (cc/gcc/clang/g++..., directly or behind
 * ccache), adds a command for each source file it names (with the other sources left out), as
 * coming from `source`. Response files (@file) are expanded. Returns how many were added. */
int fix_compdb_add_argv(struct fix_compdb *db, const char *const *argv, const char *cwd, enum fix_cmd_source source);
/* The command that compiles `file` (absolute), or NULL: the file's own entry, else (a .rs file)
 * the rustc crate that contains it. */
const struct fix_compile_cmd *fix_compdb_lookup(const struct fix_compdb *db, const char *file);
/* Adds a copy of `cmd` to `db`, or replaces the entry for the same file when `cmd` comes from a
 * better source (the entry keeps its address). Otherwise the first one stays. */
enum fix_status fix_compdb_add(struct fix_compdb *db, const struct fix_compile_cmd *cmd);
/* Writes `db`'s C/C++ entries as compile_commands.json ("directory", "file", "arguments",
 * "output" when the command names one), and with `with_rustc` its rustc crates' checks too (fix's
 * own recorded database; clangd does not read those). Guesses are left out. */
FIX_MUST_USE enum fix_status fix_compdb_write(const struct fix_compdb *db, const char *path, int with_rustc, struct fix_err *err);
/* The same C/C++ entries printed to `f` (`fix compdb -o -`). */
enum fix_status fix_compdb_print(const struct fix_compdb *db, FILE *f, struct fix_err *err);
/* A best-effort command for a file with no known command: the C or C++ compiler of the
 * environment ($CC/$CXX, else cc/c++), -I for the project root and root/include. */
enum fix_status fix_compile_cmd_guess(const char *root, const char *file, struct fix_compile_cmd *out);
void fix_compile_cmd_free(struct fix_compile_cmd *c);
/* The command's arguments for an in-process or syntax-only check: compiler name, output and
 * dependency-file flags, colour flags removed; when `drop_file`, the source file argument too. */
enum fix_status fix_compile_cmd_check_args(const struct fix_compile_cmd *c, int drop_file, struct fix_strv *out);
/* Which compiler a command runs (follows symlinks of argv[0] through PATH; cached). */
enum fix_compiler fix_compile_cmd_compiler(const struct fix_compile_cmd *c);
int fix_is_source_file(const char *path); /* .c .cc .cpp .cxx .c++ .C .m .mm */

/* Commands a repository chose (its compile_commands.json), for a project not trusted with
 * `fix trust`: opening a file must not run anything the repository picked.
 *
 * fix_compiler_trusted: 1 when argv (run in `cwd`) starts a compiler the user installed — its
 * name a C/C++ compiler's or rustc's (gcc, g++, cc, c++, clang, clang++, versioned or
 * cross-prefixed: gcc-12, x86_64-linux-gnu-gcc), optionally behind ccache, sccache, distcc or
 * icecc (the launcher passing the same test), and the program neither in the project tree nor,
 * symlinks followed, resolving into it. A bare name is what PATH finds (as execvp would, relative
 * PATH entries from `cwd`; found nowhere, nothing runs); a path must lie in /usr/bin, /bin,
 * /usr/local/bin, /usr/lib/ccache, /usr/lib64/ccache, under /opt/, in a directory on PATH, or be
 * the very file PATH finds under that name (/usr/lib/llvm-14/bin/clang). `root` is the project.
 *
 * fix_compile_cmd_sanitize: -1 when the command's compiler is refused (its name, or "launcher
 * compiler", goes into `refused` once); else removes the flags that make the compiler load or
 * run other code, or write a file the command names — -wrapper, -B, --prefix, -specs,
 * -fplugin=, -fplugin-arg-*, -fpass-plugin=, -iplugindir=, -Xclang -load/-plugin/-add-plugin,
 * cc1's -load/-plugin, -mllvm -load, --gcc-toolchain, --gcc-install-dir, -ccc-install-dir,
 * --ld-path, -fuse-ld=<a path>, --config (and its directories), @file response files, -Xlinker,
 * -Wl, -Xassembler, -Wa, -Wp/-Xpreprocessor other than -D/-U/-I, clang's other -X<tool> options,
 * -aux-info, -MJ, -dumpdir, -save-temps, -serialize-diagnostics, -ftime-trace=, -fdump-*=FILE,
 * -fdiagnostics-add-output; for rustc -Z, -L, dylib --extern and -C linker/link-arg — naming
 * each kind once in `dropped`, and returns 1 when it removed any (0: unchanged). Headers and
 * libraries stay where the command looks for them (-I, -isystem, --sysroot, -isysroot, -include
 * are kept), and so do -D, -std=, -O, -W, -f and -m options.
 *
 * fix_compdb_sanitize: the same for every FIX_SRC_COMPDB entry of `db`; refused entries are
 * removed (a file without one is checked as if the database had none). Returns how many entries
 * were removed or changed. Run it when the database is loaded: it frees entries. `refused` and
 * `dropped` may be NULL. */
int fix_compiler_trusted(const char *const *argv, const char *cwd, const char *root);
int fix_compile_cmd_sanitize(struct fix_compile_cmd *c, const char *root, struct fix_strv *refused,
                             struct fix_strv *dropped);
size_t fix_compdb_sanitize(struct fix_compdb *db, const char *root, struct fix_strv *refused, struct fix_strv *dropped);

/* Rust: the check that stands for `argv` (a cargo or rustc build command run in `cwd`):
 * `cargo check --message-format=json` with the user's package, feature and target selection
 * (`cargo clippy` stays clippy, `cargo test` checks the tests), or rustc with JSON errors and
 * metadata output only. FIX_ERR_NOT_FOUND when argv is not a Rust build. */
enum fix_status fix_rust_check_cmd(const char *const *argv, const char *cwd, struct fix_compile_cmd *out);

/* ---- seeing every compiler a build runs (interception) ----
 *
 * The build runs with libfix_intercept.so preloaded: every compiler it starts, through any build
 * system, is run by fix-intercept-exec, which records it. The preload library and the wrapper are
 * found beside the fix binary (or in ../lib/fix); FIX_INTERCEPT_LIB / FIX_INTERCEPT_EXEC name
 * them explicitly and FIX_INTERCEPT=0 turns interception off. Interception fails open: when it
 * cannot work, builds run exactly as before and the caller gets one notice. */

struct fix_exec_record {
  char *dir;                 /* the compiler's working directory */
  struct fix_strv argv;      /* compiler first (a launcher such as ccache left out), @files expanded */
  int status;                /* exit status; 128+signal when a signal ended it */
  char *cargo_manifest_dir;  /* rustc started by cargo: the package's directory (else NULL) */
};

struct fix_exec_log {
  struct fix_exec_record *v;
  size_t n;
};
void fix_exec_log_free(struct fix_exec_log *l);
/* Parses the wrapper's records (one JSON object per line; other lines are skipped). Capped. */
enum fix_status fix_exec_log_parse(const char *text, size_t len, struct fix_exec_log *out, struct fix_err *err);
/* Adds every recorded compiler invocation to `db` as FIX_SRC_RECORDED: C/C++ compiles per source
 * file, plain rustc (not under cargo) per crate; failed invocations first, so that a file
 * compiled several times is represented by the invocation that failed. */
void fix_compdb_add_records(struct fix_compdb *db, const struct fix_exec_log *log);

struct fix_intercept; /* opaque */

/* Prepares interception for builds run with `argv`: finds the library and the wrapper, checks
 * that the build tool can load the library (not statically linked, not 32-bit) and that the
 * loader accepts it. NULL when interception cannot work; *notice (caller frees) then says why in
 * one line, or is NULL when it was turned off. */
struct fix_intercept *fix_intercept_new(const char *const *argv, char **notice);
void fix_intercept_free(struct fix_intercept *ic);
/* "NAME=value" strings to add to the build's environment (borrowed; NULL-terminated). */
const char *const *fix_intercept_env(const struct fix_intercept *ic);
/* When argv runs a compiler directly (`fix -- cc -c x.c`), argv for running it through the
 * wrapper (which records it); else NULL. Free with fix_intercept_wrap_free. */
char **fix_intercept_wrap(const struct fix_intercept *ic, const char *const *argv);
void fix_intercept_wrap_free(char **wrapped);
/* Empties the record file (before a build). */
FIX_MUST_USE enum fix_status fix_intercept_reset(struct fix_intercept *ic, struct fix_err *err);
/* Reads what the last build recorded. */
FIX_MUST_USE enum fix_status fix_intercept_collect(struct fix_intercept *ic, struct fix_exec_log *out, struct fix_err *err);

/* The commands of the last `fix` or `fix compdb` run in project `root`, kept for `fix lsp`:
 * $XDG_STATE_HOME/fix/commands/<project>/compile_commands.json. Caller frees. */
char *fix_recorded_compdb_path(const char *root);
/* Merges what a build recorded into that database (best effort: a failure only loses the cache). */
void fix_recorded_compdb_save(const char *root, const struct fix_exec_log *log);

/* ---- the user's build ---- */

enum fix_toolchain { FIX_TC_UNKNOWN = 0, FIX_TC_MAKE, FIX_TC_CMAKE, FIX_TC_NINJA, FIX_TC_CARGO, FIX_TC_CC };
enum fix_toolchain fix_toolchain_detect(const char *const *argv);
/* The build command with the build tool's keep-going flag added, so one build shows every failing
 * file: make -k, ninja -k 0, cargo --keep-going, cmake --build ... -- -k (or -k 0 for a Ninja
 * build tree). NULL when the tool is not known, the user chose (-k, -S, --keep-going, a k in
 * MAKEFLAGS ...), or there is no such flag. *added (borrowed) names what was added. Caller frees
 * the array (its strings are borrowed from argv or static). */
char **fix_build_keep_going(const char *const *argv, const char *cwd, const char **added);

struct fix_build_opts {
  const char *const *argv;
  const char *cwd;
  int stdout_fd, stderr_fd; /* live streaming targets (-1: quiet) */
  double timeout_s;
  /* cargo/rustc: ask for JSON diagnostics (--message-format=json / --error-format=json) and show
   * the user the compiler's own rendering of them, so their output reads as usual */
  int machine_readable;
  int color;                /* with machine_readable: keep the compiler's colours */
  struct fix_intercept *intercept; /* record the compilers the build runs (may be NULL) */
  /* the directories a search below cwd found for relative paths nothing else explained, and the
   * paths it could not place: kept by the caller from one build to the next (may be NULL) */
  struct fix_strv *found_dirs, *unplaced;
};

struct fix_build_result {
  int json_diagnostics;        /* the build was asked for JSON diagnostics */
  int exit_code;
  int interrupted;
  int timed_out;
  double wall_s;
  struct fix_buf log;          /* what the build printed: all of it, or past 64 MiB its first and
                                  last 32 MiB (log_dropped bytes left out between) */
  size_t log_dropped;
  struct fix_diag_list diags;  /* parsed as the output streamed (every line), and normalised; past
                                  50000 errors or 10000 warnings the rest are only counted: */
  size_t errors_dropped, warnings_dropped;
  struct fix_exec_log records; /* the compilers it ran (with interception) */
};

/* Runs the build, captures and parses its output. FIX_OK means it ran (see exit_code). */
FIX_MUST_USE enum fix_status fix_build_run(const struct fix_build_opts *o, struct fix_build_result *r, struct fix_err *err);
void fix_build_result_free(struct fix_build_result *r);

/* ---- shadow trees and fast checks ---- */

struct fix_shadow; /* opaque */

/* Mirrors `root` (canonical) into a fresh temporary directory of symlinks, skipping VCS metadata.
 * Caller frees with fix_shadow_free, which removes the directory. */
FIX_MUST_USE enum fix_status fix_shadow_new(const char *root, struct fix_shadow **out, struct fix_err *err);
void fix_shadow_free(struct fix_shadow *sh);
const char *fix_shadow_dir(const struct fix_shadow *sh);
const char *fix_shadow_root(const struct fix_shadow *sh);
/* Checks in this shadow also enable the warnings that signal wrong code (int-conversion,
 * incompatible pointers, implicit declarations, return-type, format, nonnull, returning a local's
 * address, unused values, uninitialised use, array bounds), so that a repair session can see an
 * edit that compiles but passes the wrong thing. Only where the command has no -Werror (there the
 * build's own warnings are errors already, and new warnings would not reproduce the build). A
 * language server's diagnostics leave it off: it shows what the build shows. */
void fix_shadow_set_strict(struct fix_shadow *sh, int on);
int fix_shadow_strict(const struct fix_shadow *sh);
/* A persistent scratch directory for this shadow (created on first use; cargo's target dir). */
const char *fix_shadow_cache(struct fix_shadow *sh);
/* The project's seed directory beside the shadows' caches ($XDG_CACHE_HOME/fix/shadow/<project>-seed):
 * a copy of the first warm cargo target dir, from which a cold shadow's starts. Caller frees; NULL
 * without a cache directory. */
char *fix_shadow_seed(struct fix_shadow *sh);
/* Makes `path` (absolute, under root) a real file with `data` in the shadow. */
FIX_MUST_USE enum fix_status fix_shadow_put(struct fix_shadow *sh, const char *path, const char *data, size_t len,
                               struct fix_err *err);
/* Points `path` back at the project's file. */
FIX_MUST_USE enum fix_status fix_shadow_reset(struct fix_shadow *sh, const char *path, struct fix_err *err);

/* Compiles cmd's TU with -fsyntax-only inside the shadow (whose edited files are in place), and
 * returns its diagnostics with paths mapped back into the project. */
FIX_MUST_USE enum fix_status fix_check_tu(struct fix_shadow *sh, const struct fix_compile_cmd *cmd, double timeout_s,
                             struct fix_diag_list *out, struct fix_err *err);
/* The same, and for a rustc crate also the crate's source files (its dep-info, project paths)
 * into `files` (may be NULL). */
FIX_MUST_USE enum fix_status fix_check_tu_files(struct fix_shadow *sh, const struct fix_compile_cmd *cmd, double timeout_s,
                                   struct fix_diag_list *out, struct fix_strv *files, struct fix_err *err);

#endif
