/* run.c — the user's build: run it as they would, stream it, capture it, parse it. */
#include "fix/build.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* cargo subcommands that take --message-format */
static int cargo_json_subcommand(const char *s) {
  static const char *ok[] = {"build", "b", "check", "c", "test", "t", "bench", "run", "r", "clippy", "rustc", "doc", "d",
                             "fix"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    if (!strcmp(s, ok[i]))
      return 1;
  return 0;
}

/* Index of cargo's subcommand in argv (0 when there is none). */
static size_t cargo_subcommand(const char *const *argv) {
  for (size_t i = 1; argv[i]; i++) {
    const char *a = argv[i];
    if (a[0] == '+')
      continue; /* toolchain */
    if (!strcmp(a, "-Z") || !strcmp(a, "--config") || !strcmp(a, "--color") || !strcmp(a, "-C")) {
      if (argv[i + 1])
        i++;
      continue;
    }
    if (a[0] == '-')
      continue;
    return i;
  }
  return 0;
}

static int has_prefix_arg(const char *const *argv, const char *prefix) {
  for (size_t i = 1; argv[i]; i++) {
    if (!strcmp(argv[i], "--"))
      return 0;
    if (fix_str_starts(argv[i], prefix))
      return 1;
  }
  return 0;
}

/* The user's command with JSON diagnostics asked for, or NULL when it cannot take them. */
static char **json_argv(const char *const *argv, int color) {
  const char *b = strrchr(argv[0], '/');
  b = b ? b + 1 : argv[0];
  size_t n = 0;
  while (argv[n])
    n++;
  char **out = calloc(n + 3, sizeof *out);
  if (!out)
    return NULL;
  if (!strcmp(b, "cargo")) {
    size_t sub = cargo_subcommand(argv);
    if (!sub || !cargo_json_subcommand(argv[sub]) || has_prefix_arg(argv, "--message-format")) {
      free(out);
      return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i <= sub; i++)
      out[k++] = (char *)argv[i];
    out[k++] = (char *)(color ? "--message-format=json-diagnostic-rendered-ansi" : "--message-format=json");
    for (size_t i = sub + 1; i < n; i++)
      out[k++] = (char *)argv[i];
    return out;
  }
  if (!strcmp(b, "rustc") && !has_prefix_arg(argv, "--error-format")) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      out[k++] = (char *)argv[i];
    out[k++] = (char *)"--error-format=json";
    if (color)
      out[k++] = (char *)"--json=diagnostic-rendered-ansi";
    return out;
  }
  free(out);
  return NULL;
}

/* Shows the user the compiler's rendering of each JSON diagnostic, and nothing for cargo's other
 * JSON records (artifacts, build-finished); everything else passes through. */
static void show_rendered(void *ud, int stream, const char *line, size_t n, struct fix_buf *show) {
  if (!n || line[0] != '{') {
    fix_buf_append(show, line, n);
    return;
  }
  cJSON *j = cJSON_ParseWithLength(line, n);
  if (!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    fix_buf_append(show, line, n);
    return;
  }
  const cJSON *reason = cJSON_GetObjectItemCaseSensitive(j, "reason");
  const cJSON *m = cJSON_IsString(reason) ? (!strcmp(reason->valuestring, "compiler-message")
                                                 ? cJSON_GetObjectItemCaseSensitive(j, "message")
                                                 : NULL)
                                          : j;
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(m, "rendered");
  if (cJSON_IsString(r))
    fix_buf_puts(show, r->valuestring);
  else if (!reason && !cJSON_GetObjectItemCaseSensitive(j, "$message_type"))
    fix_buf_append(show, line, n); /* some other JSON the program printed */
  cJSON_Delete(j);
}

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
  char **jargv = o->machine_readable ? json_argv(o->argv, o->color) : NULL;
  so.argv = jargv ? (const char *const *)jargv : o->argv;
  so.cwd = o->cwd;
  so.stdout_fd = o->stdout_fd;
  so.stderr_fd = o->stderr_fd;
  so.timeout_s = o->timeout_s;
  if (jargv) {
    so.filter = show_rendered;
    r->json_diagnostics = 1;
  }
  struct fix_spawn_result sr;
  enum fix_status st = fix_spawn_run(&so, &sr, err);
  free(jargv);
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
