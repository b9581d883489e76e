/* common.h — what the interception pieces agree on: which programs are compilers, and how a
 * compiler's response files (@file) expand. Plain libc, no allocation surprises: this code is
 * compiled into the preload library (where it runs inside other programs, even in a vfork
 * child), into the exec wrapper, and into fix itself, so the three always agree.
 *
 * Ownership: fix_ic_expand_argv returns a malloc'd NULL-terminated array of malloc'd strings
 * (fix_ic_free_argv frees it). The name tests, the LD_PRELOAD filter and the sanitizer test
 * allocate nothing (the preload library calls them in exec hooks). */
#ifndef FIX_INTERCEPT_COMMON_H
#define FIX_INTERCEPT_COMMON_H

#include <stddef.h>

/* The environment variables the preload library reads (the wrapper strips them, with the
 * library's LD_PRELOAD entry, from the compiler's environment). */
#define FIX_IC_ENV_EXEC "FIX_INTERCEPT_EXEC"
#define FIX_IC_ENV_LOG "FIX_INTERCEPT_LOG"
#define FIX_IC_ABI 1

enum fix_ic_kind { FIX_IC_NONE = 0, FIX_IC_CC, FIX_IC_RUSTC };

/* The last path component of `p`. */
const char *fix_ic_base(const char *p);
/* Whether a program name (a path or a bare name) is a compiler fix records: cc, c++, gcc, g++,
 * clang, clang++ with an optional target prefix (x86_64-linux-gnu-gcc) and version suffix
 * (gcc-12, clang-14, clang++-14.0), and rustc. */
enum fix_ic_kind fix_ic_compiler(const char *name);
/* Whether the program is a compiler launcher (ccache, sccache, distcc, icecc) whose first
 * argument is the compiler. */
int fix_ic_is_launcher(const char *name);
/* The index in argv of the compiler an invocation runs (0, or 1 behind a launcher), or -1 when
 * `path` (what is executed) and argv do not run a compiler. The executable's name decides, never
 * argv[0], which the caller chooses (`exec -a gcc /bin/echo` runs echo); behind a launcher
 * (path names ccache, sccache, distcc, icecc) argv[1] names the compiler. */
int fix_ic_compiler_index(const char *path, char *const argv[]);

/* Whether `item` (len bytes, one LD_PRELOAD entry) names fix's preload library. */
int fix_ic_is_our_preload(const char *item, size_t len);
/* LD_PRELOAD's value `value` without fix's library (entries separated by ':' or ' '; the kept
 * ones joined by ':') into out, which holds cap >= strlen(value) + 1 bytes. Returns the length
 * written. */
size_t fix_ic_preload_without_ours(const char *value, char *out, size_t cap);
/* Whether the ELF executable at `path` carries a sanitizer runtime that must be the first
 * library the loader maps (ASan, TSan, MSan, HWASan: a DT_NEEDED libasan/libtsan/libmsan/
 * libhwasan or libclang_rt.{asan,tsan,msan,hwasan}*, or, for a runtime linked statically as
 * clang does, __asan_init/__tsan_init/__msan_init/__hwasan_init among its dynamic symbols' names).
 * Only open, pread and close: safe in a vfork child. 0 for anything unreadable or not 64-bit ELF. */
int fix_ic_links_sanitizer(const char *path);
/* Whether `path` is a 32-bit ELF program: the 64-bit preload library cannot load into it (the loader
 * would print "wrong ELF class" on the program's stderr). Only open, read and close. */
int fix_ic_elf32(const char *path);
/* Either of the two, with one open and one header read: what the preload asks at every exec. */
int fix_ic_without_preload(const char *path);

/* argv with every "@file" argument replaced by the file's arguments (read relative to `cwd`,
 * nested files too, up to a depth of 8): gcc/clang's quoting rules (whitespace separates;
 * quotes and backslashes group), rustc's one argument per line ("@shell:file" splits like a
 * shell). An @file that cannot be read, or that is not a regular file (a named pipe the build
 * feeds once, a device: reading it again would block or consume what the compiler should have
 * had), stays as it is. NULL when out of memory. */
char **fix_ic_expand_argv(char *const argv[], const char *cwd, enum fix_ic_kind kind);
void fix_ic_free_argv(char **argv);

#endif
