/* run.c — the user's build: run it as they would, stream it, capture it, parse it. */
#include "fix/build.h"
#include "stream.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* ---- keep going ---- */

static int makeflags_chose(void);

/* Whether make's arguments or MAKEFLAGS already choose -k or -S. */
static int make_chose(const char *const *argv, size_t from) {
  for (size_t i = from; argv[i]; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--keep-going") || !strcmp(a, "--no-keep-going") || !strcmp(a, "--stop"))
      return 1;
    if (a[0] != '-' || a[1] == '-')
      continue;
    for (const char *p = a + 1; *p; p++) { /* a cluster of short options, up to one taking a value */
      if (*p == 'k' || *p == 'S')
        return 1;
      if (strchr("CfIoWjlOE", *p))
        break;
    }
  }
  return makeflags_chose();
}

/* Whether MAKEFLAGS chooses -k or -S. */
static int makeflags_chose(void) {
  const char *mf = getenv("MAKEFLAGS");
  if (mf) { /* its first word is the single-letter flags, with or without a dash */
    size_t n = strcspn(mf, " ");
    if (memchr(mf, 'k', n) || memchr(mf, 'S', n))
      return 1;
    if (strstr(mf, "--keep-going") || strstr(mf, "--no-keep-going"))
      return 1;
  }
  return 0;
}

static int has_arg(const char *const *argv, size_t from, const char *flag) {
  for (size_t i = from; argv[i]; i++)
    if (!strcmp(argv[i], flag) || (fix_str_starts(argv[i], flag) && argv[i][strlen(flag)] == '='))
      return 1;
  return 0;
}

/* A ninja -k given as "-k N" or "-kN" */
static int ninja_chose(const char *const *argv, size_t from) {
  for (size_t i = from; argv[i]; i++)
    if (fix_str_starts(argv[i], "-k"))
      return 1;
  return 0;
}

/* The generator of a CMake build tree: 1 make, 2 ninja, 0 unknown. */
static int cmake_generator(const char *cwd, const char *bdir) {
  char *d = fix_path_join(cwd, bdir);
  char *cache = d ? fix_path_join(d, "CMakeCache.txt") : NULL;
  free(d);
  struct fix_buf b;
  int g = 0;
  if (cache && fix_file_read(cache, 16u << 20, &b, NULL) == FIX_OK) {
    static const char key[] = "\nCMAKE_GENERATOR:INTERNAL=";
    const char *k = b.data ? strstr(b.data, key) : NULL;
    if (k) {
      k += sizeof key - 1;
      if (fix_str_starts(k, "Unix Makefiles"))
        g = 1;
      else if (fix_str_starts(k, "Ninja"))
        g = 2;
    }
    fix_buf_free(&b);
  }
  free(cache);
  return g;
}

/* argv with `add` (up to 3 words) inserted at `at`. */
static char **insert_words(const char *const *argv, size_t at, const char *const *add) {
  size_t n = 0, m = 0;
  while (argv[n])
    n++;
  while (add[m])
    m++;
  char **out = calloc(n + m + 1, sizeof *out);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < at; i++)
    out[k++] = (char *)argv[i];
  for (size_t i = 0; i < m; i++)
    out[k++] = (char *)add[i];
  for (size_t i = at; i < n; i++)
    out[k++] = (char *)argv[i];
  return out;
}

/* Whether this cargo knows --keep-going (stable since cargo 1.74; Debian 12's is 0.66, which refuses
 * it). Asked once per cargo; an answer that cannot be read counts as no. */
static int cargo_keeps_going(const char *cargo) {
  static char asked[1024];
  static int known = -1;
  if (known >= 0 && !strcmp(asked, cargo))
    return known;
  snprintf(asked, sizeof asked, "%s", cargo);
  const char *argv[] = {cargo, "--version", NULL};
  struct fix_spawn_result r;
  known = 0;
  if (fix_spawn_quiet(argv, NULL, NULL, 20, &r, NULL) == FIX_OK) {
    unsigned major = 0, minor = 0;
    if (r.exit_code == 0 && r.out.data && sscanf(r.out.data, "cargo %u.%u", &major, &minor) == 2)
      known = major > 1 || (major == 1 && minor >= 74);
    fix_buf_free(&r.out);
  }
  return known;
}

char **fix_build_keep_going(const char *const *argv, const char *cwd, const char **added) {
  *added = NULL;
  if (!argv || !argv[0])
    return NULL;
  static const char *const mk[] = {"-k", NULL}, *const nj[] = {"-k", "0", NULL}, *const cg[] = {"--keep-going", NULL};
  static const char *const mk2[] = {"--", "-k", NULL}, *const nj2[] = {"--", "-k", "0", NULL};
  size_t n = 0;
  while (argv[n])
    n++;
  switch (fix_toolchain_detect(argv)) {
  case FIX_TC_MAKE:
    if (make_chose(argv, 1))
      return NULL;
    *added = "-k";
    return insert_words(argv, 1, (const char *const *)mk);
  case FIX_TC_NINJA:
    if (ninja_chose(argv, 1))
      return NULL;
    *added = "-k 0";
    return insert_words(argv, 1, (const char *const *)nj);
  case FIX_TC_CARGO: {
    const char *b = strrchr(argv[0], '/');
    if (strcmp(b ? b + 1 : argv[0], "cargo") != 0)
      return NULL;
    size_t sub = cargo_subcommand(argv);
    static const char *ok[] = {"build", "b", "check", "c", "clippy", "doc", "d", "run", "r", "rustc"};
    int known = 0;
    for (size_t i = 0; sub && i < sizeof ok / sizeof *ok; i++)
      known |= !strcmp(argv[sub], ok[i]);
    size_t end = sub + 1;
    while (argv[end] && strcmp(argv[end], "--") != 0)
      end++;
    if (!known || has_arg(argv, sub + 1, "--keep-going"))
      return NULL;
    for (size_t i = sub + 1; i < end; i++)
      if (!strcmp(argv[i], "--keep-going"))
        return NULL;
    if (!cargo_keeps_going(argv[0]))
      return NULL;
    *added = "--keep-going";
    return insert_words(argv, sub + 1, (const char *const *)cg);
  }
  case FIX_TC_CMAKE: {
    size_t i = 1;
    const char *bdir = NULL;
    for (; argv[i]; i++)
      if (!strcmp(argv[i], "--build") && argv[i + 1]) {
        bdir = argv[i + 1];
        break;
      }
    if (!bdir)
      return NULL;
    int gen = cmake_generator(cwd, bdir);
    size_t dd = 0;
    for (size_t k = 1; argv[k]; k++)
      if (!strcmp(argv[k], "--")) {
        dd = k;
        break;
      }
    if (gen == 1) {
      if (dd && make_chose(argv, dd + 1))
        return NULL;
      if (!dd && makeflags_chose())
        return NULL;
      *added = "-- -k";
      return dd ? insert_words(argv, n, (const char *const *)mk) : insert_words(argv, n, (const char *const *)mk2);
    }
    if (gen == 2) {
      if (dd && ninja_chose(argv, dd + 1))
        return NULL;
      *added = "-- -k 0";
      return dd ? insert_words(argv, n, (const char *const *)nj) : insert_words(argv, n, (const char *const *)nj2);
    }
    return NULL;
  }
  default:
    return NULL;
  }
}

/* A file compiled twice (a library and a tool, two configurations) reports its errors twice:
 * each diagnostic counts once per position (severity, place, code and message alike: the later
 * copies are dropped). A hash of those keys, so a log of 100,000 diagnostics stays linear. */
static void dedupe(struct fix_diag_list *l) {
  if (l->n < 2)
    return;
  size_t cap = 1;
  while (cap < l->n * 2)
    cap <<= 1;
  size_t *slot = calloc(cap, sizeof *slot); /* index + 1 of the first diagnostic with that key */
  if (!slot)
    return;
  size_t w = 0;
  for (size_t i = 0; i < l->n; i++) {
    const struct fix_diag *d = &l->v[i];
    uint64_t h = 1469598103934665603ull;
    const char *parts[3] = {d->pos.file ? d->pos.file : "", d->message ? d->message : "", d->code ? d->code : ""};
    for (int k = 0; k < 3; k++)
      for (const unsigned char *p = (const unsigned char *)parts[k]; ; p++) {
        h = (h ^ *p) * 1099511628211ull;
        if (!*p)
          break;
      }
    h = (h ^ (uint64_t)d->pos.line * 31 ^ (uint64_t)d->pos.col * 7 ^ (uint64_t)d->severity) * 1099511628211ull;
    size_t k = (size_t)h & (cap - 1);
    int dup = 0;
    for (; slot[k]; k = (k + 1) & (cap - 1)) {
      const struct fix_diag *e = &l->v[slot[k] - 1];
      if (e->severity == d->severity && e->pos.line == d->pos.line && e->pos.col == d->pos.col &&
          !strcmp(e->pos.file ? e->pos.file : "", parts[0]) && !strcmp(e->message ? e->message : "", parts[1]) &&
          !strcmp(e->code ? e->code : "", parts[2])) {
        dup = 1;
        break;
      }
    }
    if (dup) {
      fix_diag_free(&l->v[i]);
      continue;
    }
    if (w != i)
      l->v[w] = l->v[i];
    slot[k] = ++w; /* its new index + 1 */
  }
  l->n = w;
  free(slot);
}

/* Files named `name` below `dir` (dot-directories and build trees skipped; at most `*budget`
 * entries looked at): the first in *hit, the count returned (2 means "more than one"). */
static int find_named(const char *dir, const char *name, int depth, int *budget, char **hit) {
  DIR *d = depth < 12 ? opendir(dir) : NULL;
  struct dirent *e;
  int n = 0;
  while (d && n < 2 && (e = readdir(d)) && (*budget)-- > 0) {
    if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules"))
      continue;
    if (depth == 0 && !strcmp(e->d_name, "target")) { /* cargo's output, beside a Cargo.toml */
      char *toml = fix_path_join(dir, "Cargo.toml");
      int cargo = toml && fix_file_exists(toml);
      free(toml);
      if (cargo)
        continue;
    }
    char *p = fix_path_join(dir, e->d_name);
    struct stat st;
    if (p && lstat(p, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        char *cache = fix_path_join(p, "CMakeCache.txt");
        if (cache && !fix_file_exists(cache))
          n += find_named(p, name, depth + 1, budget, n ? NULL : hit);
        free(cache);
      } else if (S_ISREG(st.st_mode) && !strcmp(e->d_name, name)) {
        if (!n++ && hit)
          *hit = fix_strdup(p);
      }
    }
    free(p);
  }
  if (d)
    closedir(d);
  return n;
}

/* A relative file the diagnostics name that exists under none of `dirs` (make -s hides make's
 * "Entering directory", and without the preload nothing says where a compiler ran): when exactly
 * one file below the build's directory ends with that path, its directory joins `dirs`. A path
 * that several files end with joins `unplaced` (when given), and is not searched again (one that
 * none does may be generated later, and is). */
static void find_dirs(const struct fix_diag_list *l, const char *top, struct fix_strv *dirs, struct fix_strv *unplaced) {
  int budget = 50000, asked = 0;
  for (size_t i = 0; i < l->n && asked < 16 && budget > 0; i++) {
    const char *f = l->v[i].pos.file;
    if (!f || !*f || f[0] == '/' || f[0] == '<' || strstr(f, "..") || (unplaced && fix_strv_contains(unplaced, f)))
      continue;
    int found = 0;
    for (size_t k = 0; k < dirs->n && !found; k++) {
      char *j = fix_path_join(dirs->v[k], f);
      found = j && fix_file_exists(j);
      free(j);
    }
    if (found)
      continue;
    asked++;
    const char *slash = strrchr(f, '/');
    char *hit = NULL;
    int n = find_named(top, slash ? slash + 1 : f, 0, &budget, &hit);
    size_t hl = hit ? strlen(hit) : 0, fl = strlen(f);
    if (n == 1 && budget > 0 && hl > fl + 1 && !strcmp(hit + hl - fl, f) && hit[hl - fl - 1] == '/') {
      hit[hl - fl - 1] = '\0';
      if (!fix_strv_contains(dirs, hit)) {
        fix_log(FIX_LOG_DEBUG, "%s: no such file where the build ran; the one below %s is taken", f, hit);
        fix_strv_push(dirs, hit);
      }
    } else if (unplaced && budget > 0 && n >= 2) { /* several: ambiguous in every later build too */
      fix_strv_push(unplaced, f);
    }
    free(hit);
  }
}

enum fix_status fix_build_run(const struct fix_build_opts *o, struct fix_build_result *r, struct fix_err *err) {
  memset(r, 0, sizeof *r);
  fix_diag_list_init(&r->diags);
  if (o->intercept) {
    enum fix_status st = fix_intercept_reset(o->intercept, err);
    if (st)
      return st;
  }
  struct fix_spawn_opts so = {0};
  char **jargv = o->machine_readable ? json_argv(o->argv, o->color) : NULL;
  so.argv = jargv ? (const char *const *)jargv : o->argv;
  /* the build command is a compiler itself: nothing of the build loads the library before it */
  char **wargv = o->intercept ? fix_intercept_wrap(o->intercept, so.argv) : NULL;
  if (wargv)
    so.argv = (const char *const *)wargv;
  so.cwd = o->cwd;
  so.stdout_fd = o->stdout_fd;
  so.stderr_fd = o->stderr_fd;
  so.timeout_s = o->timeout_s;
  so.env_set = fix_intercept_env(o->intercept);
  if (jargv) {
    so.filter = show_rendered;
    r->json_diagnostics = 1;
  }
  struct build_stream bs; /* every line parsed as it comes; the capture keeps its head and tail */
  build_stream_init(&bs, &r->diags);
  so.sink = build_stream_line;
  so.sink_ud = &bs;
  so.keep_tail = 1;
  so.capture_max = FIX_BUILD_CAPTURE_MAX;
  struct fix_spawn_result sr;
  enum fix_status st = fix_spawn_run(&so, &sr, err);
  struct fix_err perr;
  enum fix_status pst = build_stream_finish(&bs, &perr);
  r->errors_dropped = bs.dropped_errors;
  r->warnings_dropped = bs.dropped_warnings;
  r->log_dropped = sr.dropped;
  free(jargv);
  fix_intercept_wrap_free(wargv);
  r->log = sr.out;
  r->exit_code = sr.exit_code;
  r->interrupted = sr.interrupted;
  r->timed_out = sr.timed_out;
  r->wall_s = sr.wall_s;
  if (st)
    return st;
  if (sr.truncated)
    fix_log(FIX_LOG_DEBUG, "the build printed %zu bytes more than the %zu kept (its first and last halves); every "
            "line was read for diagnostics", sr.dropped, FIX_BUILD_CAPTURE_MAX);
  if (o->intercept) {
    struct fix_err e;
    if (fix_intercept_collect(o->intercept, &r->records, &e) != FIX_OK)
      fix_log(FIX_LOG_WARN, "the compilers the build ran could not be read: %s", e.msg);
  }
  if (pst) {
    if (err)
      *err = perr;
    return pst;
  }
  /* relative paths: where make said it was, where the compilers ran (failed ones first), cwd */
  struct fix_strv dirs = {0};
  fix_strv_push(&dirs, o->cwd);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < r->records.n; i++)
      if ((r->records.v[i].status != 0) == (pass == 0) && !fix_strv_contains(&dirs, r->records.v[i].dir))
        fix_strv_push(&dirs, r->records.v[i].dir);
  for (size_t i = 0; o->found_dirs && i < o->found_dirs->n; i++)
    if (!fix_strv_contains(&dirs, o->found_dirs->v[i]))
      fix_strv_push(&dirs, o->found_dirs->v[i]);
  if (o->cwd) {
    size_t had = dirs.n;
    find_dirs(&r->diags, o->cwd, &dirs, o->unplaced);
    for (size_t i = had; o->found_dirs && i < dirs.n; i++)
      fix_strv_push(o->found_dirs, dirs.v[i]);
  }
  fix_diag_list_resolve(&r->diags, (const char *const *)dirs.v, dirs.n);
  fix_strv_free(&dirs);
  dedupe(&r->diags);
  return FIX_OK;
}

void fix_build_result_free(struct fix_build_result *r) {
  if (!r)
    return;
  fix_exec_log_free(&r->records);
  fix_buf_free(&r->log);
  fix_diag_list_free(&r->diags);
}
