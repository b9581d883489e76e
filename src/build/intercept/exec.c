/* exec.c — fix-intercept-exec: runs one compiler for the preload library and records it.
 *
 *   fix-intercept-exec LOG PATH ARGV0 ARGS...     run PATH with argv ARGV0 ARGS..., record it in LOG
 *   fix-intercept-exec --probe                    exit 0 when libfix_intercept.so is preloaded
 *
 * The compiler runs as a child with the caller's environment minus the interception (its
 * LD_PRELOAD entry and FIX_INTERCEPT_* variables: what a compiler starts — cc1, the linker, a
 * rustup proxy's real rustc, ccache's compiler — is not intercepted again), the same
 * descriptors, directory and process group. The wrapper stands for it (signals passed on, stops
 * mirrored, the compiler killed with the wrapper: see "signals" below), waits, appends one JSON
 * line to LOG (directory, arguments with response files expanded, exit status; one write on an
 * O_APPEND descriptor, so parallel compilers never interleave), and exits with the compiler's
 * status, or dies of the compiler's signal. It never prints: a record that cannot be written is
 * lost, the build is not. */
#include "common.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define RECORD_MAX ((size_t)64 << 20)

/* execve without going through the preload library's execve (the wrapper runs with it loaded) */
static int raw_execve(const char *path, char *const argv[], char *const envp[]) {
  return (int)syscall(SYS_execve, path, argv, envp);
}

/* The environment without the interception. Entries are borrowed from environ or malloc'd. */
static char **clean_env(void) {
  size_t n = 0;
  while (environ[n])
    n++;
  char **env = calloc(n + 1, sizeof *env);
  if (!env)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const char *e = environ[i];
    if (!strncmp(e, "FIX_INTERCEPT_", 14))
      continue;
    if (!strncmp(e, "LD_PRELOAD=", 11)) {
      /* drop our entry, keep the user's */
      size_t cap = strlen(e) + 1;
      char *keep = malloc(cap);
      if (!keep)
        continue;
      memcpy(keep, "LD_PRELOAD=", 11);
      if (fix_ic_preload_without_ours(e + 11, keep + 11, cap - 11))
        env[k++] = keep;
      else
        free(keep);
      continue;
    }
    env[k++] = (char *)e;
  }
  env[k] = NULL;
  return env;
}

struct out {
  char *p;
  size_t n, cap;
  int bad;
};

static void put(struct out *o, const char *s, size_t n) {
  if (o->bad)
    return;
  if (o->n + n + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->n + n + 1)
      cap *= 2;
    char *p = cap <= RECORD_MAX ? realloc(o->p, cap) : NULL;
    if (!p) {
      o->bad = 1;
      return;
    }
    o->p = p;
    o->cap = cap;
  }
  memcpy(o->p + o->n, s, n);
  o->n += n;
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static void put_json(struct out *o, const char *s) {
  put(o, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      put(o, esc, 2);
    } else if (*p < 0x20 || *p == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", *p);
      put(o, esc, 6);
    } else {
      put(o, (const char *)p, 1);
    }
  }
  put(o, "\"", 1);
}

/* `path` is what ran: its name says which compiler (argv[0] is the caller's choice) */
static void record(const char *log, const char *path, char *const argv[], int status) {
  int idx = fix_ic_compiler_index(path, argv);
  if (idx < 0)
    idx = 0;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd))
    return;
  enum fix_ic_kind kind = fix_ic_compiler(idx ? argv[idx] : path);
  char **args = fix_ic_expand_argv(argv + idx, cwd, kind);
  if (!args)
    return;
  struct out o = {0};
  puts_(&o, "{\"dir\":");
  put_json(&o, cwd);
  puts_(&o, ",\"argv\":[");
  for (size_t i = 0; args[i]; i++) {
    if (i)
      put(&o, ",", 1);
    put_json(&o, args[i]);
  }
  char num[64];
  if (WIFSIGNALED(status))
    snprintf(num, sizeof num, "],\"status\":%d,\"signal\":%d", 128 + WTERMSIG(status), WTERMSIG(status));
  else
    snprintf(num, sizeof num, "],\"status\":%d", WIFEXITED(status) ? WEXITSTATUS(status) : 255);
  puts_(&o, num);
  if (idx == 1) {
    puts_(&o, ",\"launcher\":");
    put_json(&o, argv[0]);
  }
  /* rustc started by cargo: cargo knows the crate; fix checks it with cargo */
  const char *manifest = getenv("CARGO_MANIFEST_DIR");
  if (kind == FIX_IC_RUSTC && manifest && *manifest) {
    puts_(&o, ",\"cargo_manifest_dir\":");
    put_json(&o, manifest);
  }
  puts_(&o, "}\n");
  fix_ic_free_argv(args);
  if (!o.bad) {
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ssize_t w;
      do
        w = write(fd, o.p, o.n);
      while (w < 0 && errno == EINTR);
      close(fd);
    }
  }
  free(o.p);
}

/* ---- signals ----
 *
 * The caller knows only this process's id, so what it sends here is what it means for the
 * compiler: every catchable signal sent by another process is passed on, and the wrapper then
 * ends as the compiler does (its exit status, or its signal raised again). Signals the kernel
 * sends to the whole foreground process group (Ctrl-C, Ctrl-Z, a hangup: si_code SI_KERNEL)
 * reached the compiler already and are not sent twice. A fault of the wrapper's own
 * (si_code > 0) is not forwarded: the default action is restored and the fault kills it.
 * SIGKILL cannot be caught: the compiler gets PR_SET_PDEATHSIG(SIGKILL), so it dies with the
 * wrapper instead of running on unseen. When the compiler stops (SIGTSTP forwarded, its own
 * SIGTTOU, a SIGSTOP sent to it), the wrapper stops too, so the shell sees the job stopped;
 * SIGCONT is passed on. A SIGSTOP sent to the wrapper itself cannot be seen (nor forwarded):
 * the compiler runs on until the wrapper is continued.
 * The child is reaped only with every signal blocked, and `child` cleared before they are
 * unblocked, so a handler never signals a recycled process id. */

static volatile pid_t child;
static pid_t self;

static int fault(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
}

static void on_signal(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (sig == SIGCHLD)
    return; /* wakes the wait */
  int sent = si->si_code == SI_USER || si->si_code == SI_QUEUE || si->si_code == SI_TKILL;
  if (sent && si->si_pid == self && sig != SIGCONT)
    sent = 0; /* our own (a broken pipe's SIGPIPE is SI_USER from ourselves) */
  if (sig == SIGCONT || sent) {
    int saved = errno;
    if (child > 0)
      kill(child, sig);
    errno = saved;
    return;
  }
  if (fault(sig) && si->si_code > 0)
    signal(sig, SIG_DFL); /* the faulting instruction runs again, now fatal */
}

static void handle(int sig, struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&sa.sa_mask);
  sigaction(sig, &sa, old);
}

/* In the child, between fork and exec: die with the wrapper. */
static void die_with_parent(pid_t parent) {
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) /* the wrapper died before the line above */
    raise(SIGKILL);
#else
  (void)parent;
#endif
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "--probe")) {
    const int *abi = dlsym(RTLD_DEFAULT, "fix_intercept_abi");
    return abi && *abi == FIX_IC_ABI ? 0 : 3;
  }
  if (argc < 4)
    return 127;
  const char *log = argv[1], *path = argv[2];
  char **cargv = argv + 3;
  char **env = clean_env();
  if (!env)
    env = environ;
  self = getpid();
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  /* before fork: an inherited SIGCHLD=SIG_IGN would reap the compiler and lose its status; the
   * compiler gets the disposition back */
  struct sigaction old_chld;
  handle(SIGCHLD, &old_chld);
  pid_t pid = fork();
  if (pid < 0) { /* cannot watch it: become it */
    sigaction(SIGCHLD, &old_chld, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    raw_execve(path, cargv, env);
    return 127;
  }
  if (pid == 0) {
    sigaction(SIGCHLD, &old_chld, NULL);
    die_with_parent(self);
    sigprocmask(SIG_SETMASK, &old, NULL);
    raw_execve(path, cargv, env);
    if (errno == ENOEXEC) { /* a script without #!, as execvp runs it */
      size_t n = 0;
      while (cargv[n])
        n++;
      char **sh = calloc(n + 2, sizeof *sh);
      if (sh) {
        sh[0] = "/bin/sh";
        sh[1] = (char *)path;
        for (size_t i = 1; i <= n; i++)
          sh[i + 1] = cargv[i];
        raw_execve("/bin/sh", sh, env);
      }
    }
    _exit(errno == ENOENT ? 127 : 126);
  }
  child = pid;
  /* every catchable signal, except those the caller had ignored: the compiler inherited the same
   * SIG_IGN and would not have seen them either */
  for (int sig = 1; sig < NSIG; sig++) {
    struct sigaction cur;
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sigaction(sig, NULL, &cur) != 0 ||
        cur.sa_handler == SIG_IGN)
      continue;
    handle(sig, NULL);
  }
  /* waiting: signals are taken only inside sigsuspend, with SIGCHLD let through even if the
   * caller blocked it */
  sigset_t wait_mask = old;
  sigdelset(&wait_mask, SIGCHLD);
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG | WUNTRACED);
    if (w == pid && WIFSTOPPED(status)) {
      raise(SIGSTOP); /* SIGSTOP cannot be blocked: the wrapper stops here until continued */
      continue;
    }
    if (w == pid)
      break;
    if (w < 0 && errno != EINTR) {
      status = 255 << 8;
      break;
    }
    if (w == 0)
      sigsuspend(&wait_mask);
  }
  child = 0;
  record(log, path, cargv, status);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    return 128 + sig;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}
