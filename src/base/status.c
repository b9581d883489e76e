/* status.c — status names, error messages, the log sink and interruption flags.
 *
 * The interruption flag is the one piece of global state in the library: a signal can only set a
 * flag, and every long-running operation (spawn, the repair loop) polls it and unwinds cleanly. */
#include "fix/base.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *fix_status_str(enum fix_status s) {
  switch (s) {
  case FIX_OK: return "ok";
  case FIX_ERR_NOMEM: return "out of memory";
  case FIX_ERR_IO: return "i/o error";
  case FIX_ERR_ARG: return "bad argument";
  case FIX_ERR_PARSE: return "parse error";
  case FIX_ERR_TOO_BIG: return "input too large";
  case FIX_ERR_SPAWN: return "cannot run command";
  case FIX_ERR_INTERRUPTED: return "interrupted";
  case FIX_ERR_OUTSIDE_ROOT: return "path outside project root";
  case FIX_ERR_CONFLICT: return "conflicting edit";
  case FIX_ERR_DIRTY: return "uncommitted changes";
  case FIX_ERR_NO_VCS: return "not under version control";
  case FIX_ERR_NOT_FOUND: return "not found";
  case FIX_ERR_TIMEOUT: return "timed out";
  case FIX_ERR_CONFIG: return "invalid configuration";
  case FIX_ERR_UNSUPPORTED: return "unsupported";
  case FIX_ERR_REFUSED: return "refused";
  case FIX_ERR_DEVICE: return "GPU failure";
  }
  return "unknown status";
}

static enum fix_status err_vset(struct fix_err *err, enum fix_status status, int with_errno,
                                const char *fmt, va_list ap) {
  int saved = errno;
  if (!err)
    return status;
  err->status = status;
  int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  if (with_errno && n >= 0 && (size_t)n < sizeof err->msg)
    snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", strerror(saved));
  fix_redact(err->msg);
  return status;
}

enum fix_status fix_err_set(struct fix_err *err, enum fix_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  err_vset(err, status, 0, fmt, ap);
  va_end(ap);
  return status;
}

enum fix_status fix_err_errno(struct fix_err *err, enum fix_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  err_vset(err, status, 1, fmt, ap);
  va_end(ap);
  return status;
}

/* ---- log sink ---- */

static fix_log_fn log_fn;
static void *log_ud;
static enum fix_log_level log_min = FIX_LOG_INFO;

void fix_log_set(fix_log_fn fn, void *ud, enum fix_log_level min_level) {
  log_fn = fn;
  log_ud = ud;
  log_min = min_level;
}

void fix_log(enum fix_log_level level, const char *fmt, ...) {
  if (!log_fn || level < log_min)
    return;
  char line[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fix_redact(line);
  log_fn(log_ud, level, line);
}

/* ---- interruption ---- */

static volatile sig_atomic_t interrupted_sig;

static void on_signal(int sig) { interrupted_sig = sig; }

void fix_interrupt_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* No SA_RESTART: blocking calls return EINTR so loops notice promptly. */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* A thread's cancellation flag (the language server cancels one request without a signal). */
static _Thread_local const atomic_int *cancel_flag;

void fix_cancel_bind(const atomic_int *flag) { cancel_flag = flag; }
const atomic_int *fix_cancel_bound(void) { return cancel_flag; }

int fix_interrupted(void) {
  if (interrupted_sig)
    return interrupted_sig;
  return cancel_flag && atomic_load(cancel_flag) ? SIGINT : 0;
}
void fix_interrupt_raise(int sig) { interrupted_sig = sig; }
void fix_interrupt_clear(void) { interrupted_sig = 0; }

double fix_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
