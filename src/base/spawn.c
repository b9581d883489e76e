/* spawn.c — run a child with its output streamed live and captured.
 *
 * The child gets its own process group so that a timeout or an interruption can stop the whole
 * build (make and every compiler it started) without signalling fix itself. stdout and stderr are
 * separate pipes, forwarded to the caller's fds as they arrive (so a terminal user sees the build as
 * usual) and appended, interleaved in arrival order, to one capture buffer (bounded: its head, or
 * its head and tail), while an optional sink reads every line of both as it arrives. Exec failure is reported
 * through a close-on-exec pipe, so "command not found" is an error rather than a mystery exit 127. */
#include "fix/base.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
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

/* What is kept of the output: all of it up to `max`; with keep_tail, the first half and a ring of
 * the last half. */
struct capture {
  struct fix_buf *out;
  size_t max, head_max;
  int keep_tail;
  char *ring;
  size_t ring_cap, ring_pos, ring_len;
  size_t dropped;
  int truncated;
};

static void capture_add(struct capture *c, const char *p, size_t n) {
  if (!c->keep_tail) {
    if (!c->truncated && fix_buf_append(c->out, p, n) != FIX_OK) {
      c->truncated = 1;
      c->dropped += n;
    } else if (c->truncated) {
      c->dropped += n;
    }
    return;
  }
  if (c->out->len < c->head_max) {
    size_t take = c->head_max - c->out->len < n ? c->head_max - c->out->len : n;
    if (fix_buf_append(c->out, p, take) != FIX_OK)
      take = 0, c->head_max = c->out->len; /* no memory: the rest goes to the ring */
    p += take;
    n -= take;
  }
  if (!n)
    return;
  if (!c->ring) {
    c->ring_cap = c->max - c->head_max;
    c->ring = c->ring_cap ? malloc(c->ring_cap) : NULL;
    if (!c->ring) {
      c->truncated = 1;
      c->dropped += n;
      c->ring_cap = 0;
      return;
    }
  }
  c->truncated = 1;
  if (n >= c->ring_cap) { /* only the last ring_cap bytes of this piece survive */
    c->dropped += c->ring_len + (n - c->ring_cap);
    memcpy(c->ring, p + (n - c->ring_cap), c->ring_cap);
    c->ring_pos = 0;
    c->ring_len = c->ring_cap;
    return;
  }
  for (size_t done = 0; done < n;) {
    size_t room = c->ring_cap - c->ring_pos, k = n - done < room ? n - done : room;
    memcpy(c->ring + c->ring_pos, p + done, k);
    c->ring_pos = (c->ring_pos + k) % c->ring_cap;
    done += k;
  }
  if (c->ring_len + n > c->ring_cap) {
    c->dropped += c->ring_len + n - c->ring_cap;
    c->ring_len = c->ring_cap;
  } else {
    c->ring_len += n;
  }
}

/* The head, a line saying what was left out, and the tail from its first whole line. */
static void capture_finish(struct capture *c) {
  if (c->ring && c->ring_len) {
    size_t start = c->ring_len < c->ring_cap ? 0 : c->ring_pos, skip = 0;
    if (c->dropped) /* the tail starts mid-line: from the next line on */
      for (; skip < c->ring_len && c->ring[(start + skip) % c->ring_cap] != '\n'; skip++)
        ;
    if (skip < c->ring_len && c->dropped)
      skip++;
    c->dropped += skip;
    char note[128];
    int k = snprintf(note, sizeof note, "%s[fix: %zu bytes of the build's output were not kept here]\n",
                     c->out->len && c->out->data[c->out->len - 1] != '\n' ? "\n" : "", c->dropped);
    fix_buf_append(c->out, note, (size_t)k);
    size_t first = (start + skip) % c->ring_cap, n = c->ring_len - skip;
    size_t a = first + n <= c->ring_cap ? n : c->ring_cap - first;
    fix_buf_append(c->out, c->ring + first, a);
    fix_buf_append(c->out, c->ring, n - a);
  }
  free(c->ring);
  c->ring = NULL;
}

/* One complete line of stream i: to the sink, and through the filter to the user. */
static void line_out(const struct fix_spawn_opts *o, int i, const char *line, size_t n, int fd_out,
                     struct fix_buf *show) {
  if (o->sink)
    o->sink(o->sink_ud, i + 1, line, n);
  if (o->filter) {
    fix_buf_clear(show);
    o->filter(o->filter_ud, i + 1, line, n, show);
    write_fd(fd_out, show->data, show->len);
  }
}

static void kill_group(pid_t pid, int sig) {
  if (kill(-pid, sig) != 0)
    kill(pid, sig);
}

enum fix_status fix_spawn_run(const struct fix_spawn_opts *o, struct fix_spawn_result *res,
                              struct fix_err *err) {
  memset(res, 0, sizeof *res);
  size_t cmax = o->capture_max ? o->capture_max : FIX_CAPTURE_MAX;
  fix_buf_init(&res->out, o->keep_tail ? cmax + 256 : cmax);
  fix_buf_append(&res->out, "", 0);
  struct capture cap = {&res->out, cmax, o->keep_tail ? cmax / 2 : cmax, o->keep_tail, NULL, 0, 0, 0, 0, 0};
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
        if ((o->filter || o->sink) && pend[i].len) /* a last line without a newline */
          line_out(o, i, pend[i].data, pend[i].len, fd_out, &show);
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
        continue;
      }
      if (!o->filter)
        write_fd(fd_out, chunk, (size_t)r);
      if (o->filter || o->sink) {
        /* whole lines go through the sink and the filter; an overlong line in pieces */
        for (size_t k = 0; k < (size_t)r;) {
          const char *nl = memchr(chunk + k, '\n', (size_t)r - k);
          size_t seg = nl ? (size_t)(nl - (chunk + k)) + 1 : (size_t)r - k;
          if (fix_buf_append(&pend[i], chunk + k, seg) != FIX_OK) {
            line_out(o, i, pend[i].data, pend[i].len, fd_out, &show);
            fix_buf_clear(&pend[i]);
            fix_buf_append(&pend[i], chunk + k, seg);
          }
          k += seg;
          if (nl) {
            line_out(o, i, pend[i].data, pend[i].len, fd_out, &show);
            fix_buf_clear(&pend[i]);
          }
        }
      }
      capture_add(&cap, chunk, (size_t)r);
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
  capture_finish(&cap);
  res->truncated = cap.truncated;
  res->dropped = cap.dropped;
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
