/* spawn.c — run a child with its output streamed live and captured.
 *
 * The child gets its own process group so that a timeout or an interruption can stop the whole
 * build (make and every compiler it started) without signalling fix itself. stdout and stderr are
 * separate pipes, forwarded to the caller's fds as they arrive (so a terminal user sees the build as
 * usual) and appended, interleaved in arrival order, to one capture buffer. Exec failure is reported
 * through a close-on-exec pipe, so "command not found" is an error rather than a mystery exit 127. */
#include "fix/base.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void write_fd(int fd, const char *p, size_t n) {
  while (fd >= 0 && n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return; /* a closed terminal must not stop the build */
    p += w;
    n -= (size_t)w;
  }
}

/* environ with `set` applied ("NAME=value" replaces NAME). Returned array is malloc'd; its strings
 * are borrowed. */
static char **build_env(const char *const *set) {
  size_t n = 0, m = 0;
  while (environ[n])
    n++;
  while (set && set[m])
    m++;
  char **env = calloc(n + m + 1, sizeof *env);
  if (!env)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    int replaced = 0;
    for (size_t j = 0; j < m; j++) {
      const char *eq = strchr(set[j], '=');
      size_t nl = eq ? (size_t)(eq - set[j]) : strlen(set[j]);
      if (!strncmp(environ[i], set[j], nl) && environ[i][nl] == '=')
        replaced = 1;
    }
    if (!replaced)
      env[k++] = environ[i];
  }
  for (size_t j = 0; j < m; j++)
    env[k++] = (char *)set[j];
  env[k] = NULL;
  return env;
}

static void kill_group(pid_t pid, int sig) {
  if (kill(-pid, sig) != 0)
    kill(pid, sig);
}

enum fix_status fix_spawn_run(const struct fix_spawn_opts *o, struct fix_spawn_result *res,
                              struct fix_err *err) {
  memset(res, 0, sizeof *res);
  fix_buf_init(&res->out, o->capture_max ? o->capture_max : FIX_CAPTURE_MAX);
  fix_buf_append(&res->out, "", 0);
  int outp[2] = {-1, -1}, errp[2] = {-1, -1}, execp[2] = {-1, -1};
  char **env = NULL;
  enum fix_status rc = FIX_OK;
  if (!o->argv || !o->argv[0])
    return fix_err_set(err, FIX_ERR_ARG, "empty command");
  if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) || pipe2(execp, O_CLOEXEC)) {
    rc = fix_err_errno(err, FIX_ERR_SPAWN, "pipe");
    goto fail;
  }
  env = build_env(o->env_set);
  if (!env) {
    rc = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    goto fail;
  }
  double t0 = fix_now();
  pid_t pid = fork();
  if (pid < 0) {
    rc = fix_err_errno(err, FIX_ERR_SPAWN, "fork");
    goto fail;
  }
  if (pid == 0) {
    setpgid(0, 0);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    dup2(outp[1], 1);
    dup2(errp[1], 2);
    if (o->stdin_null) {
      int nfd = open("/dev/null", O_RDONLY);
      if (nfd >= 0)
        dup2(nfd, 0);
    }
    int e = 0;
    if (o->cwd && chdir(o->cwd) != 0)
      e = errno;
    if (!e) {
      environ = env;
      execvp(o->argv[0], (char *const *)o->argv);
      e = errno;
    }
    ssize_t ignored = write(execp[1], &e, sizeof e);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid); /* also in the parent, to close the race with an early kill */
  close(outp[1]);
  close(errp[1]);
  close(execp[1]);
  outp[1] = errp[1] = execp[1] = -1;
  free(env);
  env = NULL;

  int child_errno = 0;
  ssize_t got;
  do
    got = read(execp[0], &child_errno, sizeof child_errno);
  while (got < 0 && errno == EINTR);
  close(execp[0]);
  execp[0] = -1;

  struct pollfd fds[2] = {{outp[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
  struct fix_buf pend[2], show;
  fix_buf_init(&pend[0], 1u << 24);
  fix_buf_init(&pend[1], 1u << 24);
  fix_buf_init(&show, 0);
  int open_fds = 2;
  int sent_term = 0;
  double term_at = 0;
  char chunk[65536];
  while (open_fds > 0) {
    int n = poll(fds, 2, 100);
    if (n < 0 && errno != EINTR) {
      rc = fix_err_errno(err, FIX_ERR_IO, "poll");
      break;
    }
    for (int i = 0; n > 0 && i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t r = read(fds[i].fd, chunk, sizeof chunk);
      if (r < 0 && errno == EINTR)
        continue;
      int fd_out = i == 0 ? o->stdout_fd : o->stderr_fd;
      if (r <= 0) {
        if (o->filter && pend[i].len) { /* a last line without a newline */
          fix_buf_clear(&show);
          o->filter(o->filter_ud, i + 1, pend[i].data, pend[i].len, &show);
          write_fd(fd_out, show.data, show.len);
        }
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
        continue;
      }
      if (!o->filter) {
        write_fd(fd_out, chunk, (size_t)r);
      } else {
        /* whole lines go through the filter; an overlong line is passed on as is */
        for (ssize_t k = 0; k < r; k++) {
          if (fix_buf_append(&pend[i], &chunk[k], 1) != FIX_OK) {
            write_fd(fd_out, pend[i].data, pend[i].len);
            fix_buf_clear(&pend[i]);
            fix_buf_append(&pend[i], &chunk[k], 1);
          }
          if (chunk[k] == '\n') {
            fix_buf_clear(&show);
            o->filter(o->filter_ud, i + 1, pend[i].data, pend[i].len, &show);
            write_fd(fd_out, show.data, show.len);
            fix_buf_clear(&pend[i]);
          }
        }
      }
      if (!res->truncated && fix_buf_append(&res->out, chunk, (size_t)r) != FIX_OK)
        res->truncated = 1;
    }
    double now = fix_now();
    if (!sent_term && fix_interrupted()) {
      res->interrupted = 1;
      sent_term = 1;
      term_at = now;
      kill_group(pid, SIGTERM);
    } else if (!sent_term && o->timeout_s > 0 && now - t0 > o->timeout_s) {
      res->timed_out = 1;
      sent_term = 1;
      term_at = now;
      kill_group(pid, SIGTERM);
    } else if (sent_term == 1 && now - term_at > 2.0) {
      sent_term = 2;
      kill_group(pid, SIGKILL);
    }
  }
  for (int i = 0; i < 2; i++)
    if (fds[i].fd >= 0)
      close(fds[i].fd);
  fix_buf_free(&pend[0]);
  fix_buf_free(&pend[1]);
  fix_buf_free(&show);
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, 0);
    if (w == pid)
      break;
    if (w < 0 && errno != EINTR)
      break;
    if (fix_interrupted() && !sent_term) {
      res->interrupted = 1;
      sent_term = 1;
      kill_group(pid, SIGTERM);
    }
  }
  res->wall_s = fix_now() - t0;
  if (WIFEXITED(status)) {
    res->exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    res->term_signal = WTERMSIG(status);
    res->exit_code = 128 + res->term_signal;
  }
  if (child_errno) {
    res->exit_code = 127;
    return fix_err_set(err, FIX_ERR_SPAWN, "cannot run '%s': %s", o->argv[0], strerror(child_errno));
  }
  return rc;
fail:
  for (int i = 0; i < 2; i++) {
    if (outp[i] >= 0)
      close(outp[i]);
    if (errp[i] >= 0)
      close(errp[i]);
    if (execp[i] >= 0)
      close(execp[i]);
  }
  free(env);
  return rc;
}

enum fix_status fix_spawn_quiet(const char *const *argv, const char *cwd, const char *const *env_set,
                                double timeout_s, struct fix_spawn_result *res, struct fix_err *err) {
  struct fix_spawn_opts so = {0};
  so.argv = argv;
  so.cwd = cwd;
  so.env_set = env_set;
  so.stdout_fd = so.stderr_fd = -1;
  so.stdin_null = 1;
  so.timeout_s = timeout_s;
  return fix_spawn_run(&so, res, err);
}
