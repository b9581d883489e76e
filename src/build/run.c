/* run.c — the user's build: run it as they would, stream it, capture it, parse it. */
#include "fix/build.h"

#include <string.h>

enum fix_toolchain fix_toolchain_detect(const char *const *argv) {
  if (!argv || !argv[0])
    return FIX_TC_UNKNOWN;
  const char *b = strrchr(argv[0], '/');
  b = b ? b + 1 : argv[0];
  if (!strcmp(b, "make") || !strcmp(b, "gmake") || !strcmp(b, "bmake"))
    return FIX_TC_MAKE;
  if (!strcmp(b, "cmake"))
    return FIX_TC_CMAKE;
  if (!strcmp(b, "ninja"))
    return FIX_TC_NINJA;
  if (!strcmp(b, "cargo") || !strcmp(b, "rustc"))
    return FIX_TC_CARGO;
  if (strstr(b, "cc") || strstr(b, "++") || strstr(b, "clang"))
    return FIX_TC_CC;
  return FIX_TC_UNKNOWN;
}

const char *fix_toolchain_str(enum fix_toolchain t) {
  static const char *names[] = {"unknown", "make", "cmake", "ninja", "cargo", "compiler"};
  return names[t];
}

enum fix_status fix_build_run(const struct fix_build_opts *o, struct fix_build_result *r, struct fix_err *err) {
  memset(r, 0, sizeof *r);
  fix_diag_list_init(&r->diags);
  struct fix_spawn_opts so = {0};
  so.argv = o->argv;
  so.cwd = o->cwd;
  so.stdout_fd = o->stdout_fd;
  so.stderr_fd = o->stderr_fd;
  so.timeout_s = o->timeout_s;
  struct fix_spawn_result sr;
  enum fix_status st = fix_spawn_run(&so, &sr, err);
  r->log = sr.out;
  r->exit_code = sr.exit_code;
  r->interrupted = sr.interrupted;
  r->timed_out = sr.timed_out;
  r->wall_s = sr.wall_s;
  if (st)
    return st;
  if (sr.truncated)
    fix_log(FIX_LOG_WARN, "build output exceeded %zu bytes; diagnostics after that point were not read",
            (size_t)FIX_CAPTURE_MAX);
  st = fix_diag_parse_auto(r->log.data, r->log.len, FIX_CC_UNKNOWN, &r->diags, err);
  if (st)
    return st;
  fix_diag_list_normalize(&r->diags, o->cwd);
  return FIX_OK;
}

void fix_build_result_free(struct fix_build_result *r) {
  if (!r)
    return;
  fix_buf_free(&r->log);
  fix_diag_list_free(&r->diags);
}
