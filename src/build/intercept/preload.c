/* preload.c — libfix_intercept.so: seeing every compiler a build starts.
 *
 * fix runs the user's build with this library in LD_PRELOAD. It interposes the exec family
 * (execve, execv, execvp, execvpe, execl, execle, execlp) and posix_spawn/posix_spawnp. When the
 * program about to run is a compiler (common.h: gcc, clang, cc, c++ ..., rustc, or one behind
 * ccache/sccache/distcc/icecc), the call runs fix's exec wrapper instead, with the original path
 * and argv; the wrapper runs the compiler, records its directory, arguments and exit status, and
 * exits as the compiler did. Every other exec passes through untouched, except one: a program
 * that carries a sanitizer runtime (AddressSanitizer, ThreadSanitizer, MemorySanitizer, HWASan;
 * common.h says how it is told) runs without this library in its LD_PRELOAD (and without
 * FIX_INTERCEPT_*), as it would without fix: ASan aborts when another library is loaded before its
 * runtime. What such a program starts is not seen.
 *
 * Invariants:
 * - fail open: if the wrapper cannot be executed, the original call is made as if fix were not
 *   there; nothing here prints; errno is what the real call leaves;
 * - nothing here allocates from the heap: exec may be called in a vfork child (make, shells),
 *   where malloc could deadlock on another thread's lock. Argument and environment arrays live on
 *   the stack, or in an anonymous mapping when they are large; the sanitizer test reads the
 *   program's ELF headers with pread into the stack;
 * - the real functions are looked up once, in the constructor (dlsym may allocate). */
#include "common.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

extern char **environ;

typedef int (*execve_fn)(const char *, char *const[], char *const[]);
typedef int (*execvpe_fn)(const char *, char *const[], char *const[]);
typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                        char *const[], char *const[]);

static execve_fn real_execve;
static execvpe_fn real_execvpe;
static spawn_fn real_spawn, real_spawnp;
static char wrapper[PATH_MAX];
static char logpath[PATH_MAX];
static int active, loaded;

/* fix's probe looks this up to know the library really is loaded */
EXPORT const int fix_intercept_abi = FIX_IC_ABI;

__attribute__((constructor)) static void init(void) {
  real_execve = (execve_fn)dlsym(RTLD_NEXT, "execve");
  real_execvpe = (execvpe_fn)dlsym(RTLD_NEXT, "execvpe");
  real_spawn = (spawn_fn)dlsym(RTLD_NEXT, "posix_spawn");
  real_spawnp = (spawn_fn)dlsym(RTLD_NEXT, "posix_spawnp");
  loaded = real_execve && real_execvpe && real_spawn && real_spawnp;
  const char *w = getenv(FIX_IC_ENV_EXEC), *l = getenv(FIX_IC_ENV_LOG);
  if (w && l && w[0] == '/' && l[0] == '/' && strlen(w) < sizeof wrapper && strlen(l) < sizeof logpath &&
      real_execve && real_execvpe && real_spawn && real_spawnp) {
    strcpy(wrapper, w);
    strcpy(logpath, l);
    active = 1;
  }
}

/* A scratch array of n pointers: the stack for the usual sizes, else an anonymous mapping. */
#define STACK_ARGS 512
struct args {
  char **v;
  size_t map_len;
  char *stack[STACK_ARGS];
};

static int args_alloc(struct args *a, size_t n) {
  a->map_len = 0;
  if (n <= STACK_ARGS) {
    a->v = a->stack;
    return 0;
  }
  a->map_len = n * sizeof(char *);
  void *m = mmap(NULL, a->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return -1;
  a->v = m;
  return 0;
}

static void args_release(struct args *a) {
  if (a->map_len)
    munmap(a->v, a->map_len);
}

/* [wrapper, log, path, argv..., NULL] */
static int wrapped_argv(struct args *a, const char *path, char *const argv[]) {
  size_t n = 0;
  while (argv[n])
    n++;
  if (args_alloc(a, n + 4))
    return -1;
  a->v[0] = wrapper;
  a->v[1] = logpath;
  a->v[2] = (char *)path;
  for (size_t i = 0; i <= n; i++)
    a->v[3 + i] = argv[i];
  return 0;
}

static int wants(const char *path, char *const argv[]) {
  return active && path && argv && argv[0] && fix_ic_compiler_index(path, argv) >= 0 && access(path, X_OK) == 0;
}

/* The environment without this library: its LD_PRELOAD entry (the user's stay) and FIX_INTERCEPT_*
 * dropped. The array is a struct args; the rewritten LD_PRELOAD lives on the stack, or in an
 * anonymous mapping when long. */
struct env_copy {
  struct args a;
  size_t pre_map;
  char *pre;
  char pre_stack[PATH_MAX];
};

static int env_without_us(struct env_copy *c, char *const envp[]) {
  size_t n = 0;
  while (envp && envp[n])
    n++;
  c->pre = NULL;
  c->pre_map = 0;
  if (args_alloc(&c->a, n + 1))
    return -1;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const char *e = envp[i];
    if (!strncmp(e, "FIX_INTERCEPT_", 14))
      continue;
    if (!strncmp(e, "LD_PRELOAD=", 11)) {
      size_t len = strlen(e) + 1;
      if (c->pre) { /* a second definition: kept only when it does not name us */
        if (!strstr(e, "libfix_intercept.so"))
          c->a.v[k++] = (char *)e;
        continue;
      }
      char *buf = c->pre_stack;
      if (len > sizeof c->pre_stack) {
        void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
          args_release(&c->a);
          return -1;
        }
        buf = m;
        c->pre_map = len;
      }
      c->pre = buf;
      memcpy(buf, "LD_PRELOAD=", 11);
      if (fix_ic_preload_without_ours(e + 11, buf + 11, len - 11))
        c->a.v[k++] = buf;
      continue;
    }
    c->a.v[k++] = (char *)e;
  }
  c->a.v[k] = NULL;
  return 0;
}

static void env_release(struct env_copy *c) {
  if (c->pre_map)
    munmap(c->pre, c->pre_map);
  args_release(&c->a);
}

/* Whether the program at `path` must run without this library (see the header): it carries a
 * sanitizer runtime, or it is 32-bit (the loader could not load us, and would say so on its stderr). */
static int sanitized(const char *path) {
  return loaded && path && fix_ic_without_preload(path);
}

/* execvp's search, into buf: the first executable `file` in $PATH. 0 when found. */
static int search_path(const char *file, char *buf, size_t size) {
  const char *p = getenv("PATH");
  if (!p)
    p = "/bin:/usr/bin";
  size_t fl = strlen(file);
  while (*p) {
    const char *end = strchr(p, ':');
    size_t dl = end ? (size_t)(end - p) : strlen(p);
    if (dl == 0) { /* an empty entry is the current directory */
      if (fl + 1 <= size) {
        memcpy(buf, file, fl + 1);
        if (access(buf, X_OK) == 0)
          return 0;
      }
    } else if (dl + 1 + fl + 1 <= size) {
      memcpy(buf, p, dl);
      buf[dl] = '/';
      memcpy(buf + dl + 1, file, fl + 1);
      if (access(buf, X_OK) == 0)
        return 0;
    }
    if (!end)
      break;
    p = end + 1;
  }
  return -1;
}

static int run_wrapped(const char *path, char *const argv[], char *const envp[]) {
  struct args a;
  if (wrapped_argv(&a, path, argv) == 0) {
    int saved = errno;
    real_execve(wrapper, a.v, envp);
    errno = saved; /* the wrapper could not run: make the original call */
    args_release(&a);
  }
  return real_execve(path, argv, envp);
}

EXPORT int execve(const char *path, char *const argv[], char *const envp[]) {
  if (!real_execve) {
    errno = ENOSYS;
    return -1;
  }
  if (wants(path, argv))
    return run_wrapped(path, argv, envp);
  if (sanitized(path)) {
    struct env_copy c;
    if (env_without_us(&c, envp) == 0) {
      int r = real_execve(path, argv, c.a.v);
      int saved = errno;
      env_release(&c);
      errno = saved;
      return r;
    }
  }
  return real_execve(path, argv, envp);
}

EXPORT int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
  if (!real_execvpe) {
    errno = ENOSYS;
    return -1;
  }
  if (file && strchr(file, '/'))
    return execve(file, argv, envp);
  char buf[PATH_MAX];
  if (active && file && *file && argv && argv[0] && fix_ic_compiler_index(file, argv) >= 0) {
    if (search_path(file, buf, sizeof buf) == 0)
      return run_wrapped(buf, argv, envp);
  } else if (loaded && file && *file && search_path(file, buf, sizeof buf) == 0 && sanitized(buf)) {
    struct env_copy c;
    if (env_without_us(&c, envp) == 0) {
      int r = real_execvpe(file, argv, c.a.v);
      int saved = errno;
      env_release(&c);
      errno = saved;
      return r;
    }
  }
  return real_execvpe(file, argv, envp);
}

EXPORT int execvp(const char *file, char *const argv[]) { return execvpe(file, argv, environ); }

/* The variadic forms (execl, execlp, execle): the arguments into an array, then the forms above. */
static int exec_list(const char *target, const char *arg, va_list ap, int search, int with_env) {
  va_list cnt;
  va_copy(cnt, ap);
  size_t n = 1;
  while (va_arg(cnt, char *))
    n++;
  va_end(cnt);
  struct args a;
  if (args_alloc(&a, n + 1)) {
    errno = E2BIG;
    return -1;
  }
  a.v[0] = (char *)arg;
  for (size_t i = 1; i <= n; i++) /* the last one read is the terminating NULL */
    a.v[i] = va_arg(ap, char *);
  char **envp = with_env ? va_arg(ap, char **) : environ;
  int r = search ? execvpe(target, a.v, envp) : execve(target, a.v, envp);
  args_release(&a);
  return r;
}

EXPORT int execl(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = exec_list(path, arg, ap, 0, 0);
  va_end(ap);
  return r;
}

EXPORT int execlp(const char *file, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = exec_list(file, arg, ap, 1, 0);
  va_end(ap);
  return r;
}

EXPORT int execle(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = exec_list(path, arg, ap, 0, 1);
  va_end(ap);
  return r;
}

static int spawn_wrapped(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                         const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  struct args a;
  if (wrapped_argv(&a, path, argv) == 0) {
    int r = real_spawn(pid, wrapper, fa, attr, a.v, envp);
    args_release(&a);
    if (r == 0)
      return 0;
  }
  return real_spawn(pid, path, fa, attr, argv, envp);
}

EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                       const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  if (!real_spawn)
    return ENOSYS;
  if (wants(path, argv))
    return spawn_wrapped(pid, path, fa, attr, argv, envp);
  if (sanitized(path)) {
    struct env_copy c;
    if (env_without_us(&c, envp) == 0) {
      int r = real_spawn(pid, path, fa, attr, argv, c.a.v);
      env_release(&c);
      return r;
    }
  }
  return real_spawn(pid, path, fa, attr, argv, envp);
}

EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                        const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  if (!real_spawnp)
    return ENOSYS;
  if (file && strchr(file, '/'))
    return posix_spawn(pid, file, fa, attr, argv, envp);
  char buf[PATH_MAX];
  if (active && file && *file && argv && argv[0] && fix_ic_compiler_index(file, argv) >= 0) {
    if (search_path(file, buf, sizeof buf) == 0)
      return spawn_wrapped(pid, buf, fa, attr, argv, envp);
  } else if (loaded && file && *file && search_path(file, buf, sizeof buf) == 0 && sanitized(buf)) {
    struct env_copy c;
    if (env_without_us(&c, envp) == 0) {
      int r = real_spawnp(pid, file, fa, attr, argv, c.a.v);
      env_release(&c);
      return r;
    }
  }
  return real_spawnp(pid, file, fa, attr, argv, envp);
}
