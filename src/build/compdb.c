/* compdb.c — compile commands: recorded, compile_commands.json, build logs, and a fallback guess.
 *
 * fix needs the exact flags of a translation unit to re-check it in isolation. The best source is
 * what the build was seen running (intercept.c); next compile_commands.json; next the build's own
 * echo of each compiler invocation (make prints them unless silenced); last, a guess that is
 * usually right for small projects. Entries are allocated one by one so that the pointers the
 * repair loop holds survive the database growing. */
#include "fix/build.h"
#include "intercept/common.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMPDB_MAX ((size_t)256 << 20)

void fix_compile_cmd_free(struct fix_compile_cmd *c) {
  if (!c)
    return;
  free(c->dir);
  free(c->file);
  fix_strv_free(&c->args);
  fix_strv_free(&c->deps);
  memset(c, 0, sizeof *c);
}

void fix_compdb_free(struct fix_compdb *db) {
  if (!db)
    return;
  for (size_t i = 0; i < db->n; i++) {
    fix_compile_cmd_free(db->v[i]);
    free(db->v[i]);
  }
  free(db->v);
  free(db->source);
  memset(db, 0, sizeof *db);
}

int fix_is_source_file(const char *p) {
  static const char *ext[] = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".mm", ".cp"};
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (fix_str_ends(p, ext[i]))
      return 1;
  return 0;
}

static char *abs_norm(const char *dir, const char *p) {
  char *j = fix_path_join(dir, p);
  char *n = j ? fix_path_normalize(j) : NULL;
  free(j);
  return n;
}

static struct fix_compile_cmd *db_push(struct fix_compdb *db) {
  struct fix_compile_cmd **v = realloc(db->v, (db->n + 1) * sizeof *v);
  if (!v)
    return NULL;
  db->v = v;
  struct fix_compile_cmd *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  v[db->n++] = c;
  return c;
}

/* Drops the last entry (db_push's, when filling it failed). */
static void db_pop(struct fix_compdb *db) {
  db->n--;
  fix_compile_cmd_free(db->v[db->n]);
  free(db->v[db->n]);
}

enum fix_status fix_compdb_load(const char *path, struct fix_compdb *db, struct fix_err *err) {
  struct fix_buf b;
  enum fix_status st = fix_file_read(path, COMPDB_MAX, &b, err);
  if (st)
    return st;
  st = fix_compdb_parse(b.data, b.len, path, db, err);
  fix_buf_free(&b);
  return st;
}

enum fix_status fix_compdb_parse(const char *text, size_t len, const char *path, struct fix_compdb *db,
                                 struct fix_err *err) {
  enum fix_status st = FIX_OK;
  cJSON *root = cJSON_ParseWithLength(text, len);
  if (!cJSON_IsArray(root)) {
    cJSON_Delete(root);
    return fix_err_set(err, FIX_ERR_PARSE, "%s: not a JSON array of compile commands", path);
  }
  free(db->source);
  db->source = fix_strdup(path);
  const cJSON *e;
  cJSON_ArrayForEach(e, root) {
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(e, "directory");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(e, "file");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "arguments");
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
    if (!cJSON_IsString(dir) || !cJSON_IsString(file))
      continue;
    struct fix_compile_cmd *c = db_push(db);
    if (!c) {
      st = FIX_ERR_NOMEM;
      break;
    }
    if (!dir->valuestring[0] || !file->valuestring[0]) {
      db_pop(db);
      continue;
    }
    c->source = FIX_SRC_COMPDB;
    c->dir = fix_path_normalize(dir->valuestring);
    c->file = abs_norm(c->dir, file->valuestring);
    if (cJSON_IsArray(args)) {
      const cJSON *a;
      cJSON_ArrayForEach(a, args) if (cJSON_IsString(a)) fix_strv_push(&c->args, a->valuestring);
    } else if (cJSON_IsString(cmd)) {
      if (fix_shell_split(cmd->valuestring, &c->args, NULL) != FIX_OK)
        fix_strv_free(&c->args);
    }
    if (!c->dir || !c->file || c->args.n == 0)
      db_pop(db);
    else if (fix_ic_compiler(c->args.v[0]) == FIX_IC_RUSTC)
      c->kind = FIX_CMD_RUSTC; /* fix's own recorded database keeps rustc crates' checks */
  }
  cJSON_Delete(root);
  if (st)
    return fix_err_set(err, st, "out of memory reading %s", path);
  return FIX_OK;
}

char *fix_compdb_find(const char *root, const char *extra) {
  if (extra) {
    char *p = fix_dir_exists(extra) ? fix_path_join(extra, "compile_commands.json") : fix_strdup(extra);
    if (p && fix_file_exists(p))
      return p;
    free(p);
  }
  char *p = fix_path_join(root, "compile_commands.json");
  if (p && fix_file_exists(p))
    return p;
  free(p);
  DIR *d = opendir(root);
  if (!d)
    return NULL;
  char *found = NULL;
  struct dirent *e;
  while (!found && (e = readdir(d))) {
    const char *n = e->d_name;
    if (!(fix_str_starts(n, "build") || !strcmp(n, "out") || fix_str_starts(n, "cmake-build-")))
      continue;
    char *dir = fix_path_join(root, n);
    char *f = dir ? fix_path_join(dir, "compile_commands.json") : NULL;
    free(dir);
    if (f && fix_file_exists(f))
      found = f;
    else
      free(f);
  }
  closedir(d);
  return found;
}

/* A crate's entry covers `file` when its dep-info lists it, or (dep-info not read yet) when the
 * file lies under the crate root's directory. */
static int crate_has(const struct fix_compile_cmd *c, const char *file) {
  if (c->kind != FIX_CMD_RUSTC || !fix_str_ends(file, ".rs"))
    return 0;
  if (c->deps.n)
    return fix_strv_contains(&c->deps, file);
  char *dir = fix_path_dirname(c->file);
  int in = dir && fix_str_starts(file, dir) && file[strlen(dir)] == '/';
  free(dir);
  return in;
}

const struct fix_compile_cmd *fix_compdb_lookup(const struct fix_compdb *db, const char *file) {
  for (size_t i = 0; i < db->n; i++)
    if (!strcmp(db->v[i]->file, file))
      return db->v[i];
  for (size_t i = 0; i < db->n; i++)
    if (crate_has(db->v[i], file))
      return db->v[i];
  return NULL;
}

static int copy_cmd(struct fix_compile_cmd *dst, const struct fix_compile_cmd *src) {
  memset(dst, 0, sizeof *dst);
  dst->dir = fix_strdup(src->dir);
  dst->file = fix_strdup(src->file);
  dst->kind = src->kind;
  dst->source = src->source;
  dst->failed = src->failed;
  for (size_t i = 0; i < src->args.n; i++)
    if (fix_strv_push(&dst->args, src->args.v[i]))
      return -1;
  for (size_t i = 0; i < src->deps.n; i++)
    if (fix_strv_push(&dst->deps, src->deps.v[i]))
      return -1;
  return dst->dir && dst->file ? 0 : -1;
}

static struct fix_compile_cmd *own_entry(struct fix_compdb *db, const char *file) {
  for (size_t i = 0; i < db->n; i++)
    if (!strcmp(db->v[i]->file, file))
      return db->v[i];
  return NULL;
}

enum fix_status fix_compdb_add(struct fix_compdb *db, const struct fix_compile_cmd *cmd) {
  struct fix_compile_cmd *old = own_entry(db, cmd->file);
  if (old && old->source <= cmd->source)
    return FIX_OK;
  struct fix_compile_cmd c;
  if (copy_cmd(&c, cmd)) {
    fix_compile_cmd_free(&c);
    return FIX_ERR_NOMEM;
  }
  if (old) { /* a better source: same address, better command */
    fix_compile_cmd_free(old);
    *old = c;
    return FIX_OK;
  }
  struct fix_compile_cmd *slot = db_push(db);
  if (!slot) {
    fix_compile_cmd_free(&c);
    return FIX_ERR_NOMEM;
  }
  *slot = c;
  return FIX_OK;
}

/* Flags of gcc and clang whose value is the next argument (so it is not taken for a source). */
static int takes_value(const char *a) {
  static const char *flags[] = {"-o", "-MF", "-MT", "-MQ", "-I", "-include", "-imacros", "-isystem", "-iquote",
                                "-idirafter", "-x", "-D", "-U", "-L", "-l", "-Xlinker", "-Xpreprocessor",
                                "-Xassembler", "-Xclang", "-arch", "-target", "--target", "-isysroot", "--sysroot",
                                "-aux-info", "-T", "-z"};
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
    if (!strcmp(a, flags[i]))
      return 1;
  return 0;
}

static int add_argv(struct fix_compdb *db, const char *const *argv, const char *cwd, enum fix_cmd_source source,
                    int failed) {
  if (!argv[0])
    return 0;
  int idx = fix_ic_compiler_index(argv[0], (char *const *)argv);
  if (idx < 0 || fix_ic_compiler(argv[idx]) != FIX_IC_CC)
    return 0;
  char **ex = fix_ic_expand_argv((char *const *)(argv + idx), cwd, FIX_IC_CC);
  if (!ex)
    return 0;
  /* the sources it compiles, by index; "-E" and "-M" alone do not compile */
  size_t n = 0;
  while (ex[n])
    n++;
  int compiles = 1;
  for (size_t i = 1; i < n; i++)
    if (!strcmp(ex[i], "-E") || !strcmp(ex[i], "-M") || !strcmp(ex[i], "-MM") || !strcmp(ex[i], "--version") ||
        !strcmp(ex[i], "-v") || !strcmp(ex[i], "-dumpversion") || !strcmp(ex[i], "-dumpmachine"))
      compiles = 0;
  int added = 0;
  for (size_t s = 1; compiles && s < n; s++) {
    if (takes_value(ex[s])) {
      s++;
      continue;
    }
    if (ex[s][0] == '-' || !fix_is_source_file(ex[s]))
      continue;
    struct fix_compile_cmd c = {0};
    c.dir = fix_strdup(cwd);
    c.file = abs_norm(cwd, ex[s]);
    c.source = source;
    c.failed = failed;
    for (size_t i = 0; i < n; i++) {
      int other_source = i != s && i > 0 && ex[i][0] != '-' && fix_is_source_file(ex[i]) && !takes_value(ex[i - 1]);
      if (!other_source)
        fix_strv_push(&c.args, ex[i]);
    }
    struct fix_compile_cmd *old = c.dir && c.file ? own_entry(db, c.file) : NULL;
    if (old && old->source == source && failed && !old->failed) {
      /* the invocation that failed stands for the file (same address, its command) */
      struct fix_compile_cmd tmp = *old;
      *old = c;
      memset(&c, 0, sizeof c);
      fix_compile_cmd_free(&tmp);
      added++;
    } else if (c.dir && c.file && (!old || old->source > source) && fix_compdb_add(db, &c) == FIX_OK) {
      added++;
    }
    fix_compile_cmd_free(&c);
  }
  fix_ic_free_argv(ex);
  return added;
}

int fix_compdb_add_argv(struct fix_compdb *db, const char *const *argv, const char *cwd, enum fix_cmd_source source) {
  return add_argv(db, argv, cwd, source, 0);
}

void fix_compdb_add_records(struct fix_compdb *db, const struct fix_exec_log *log) {
  if (log->n) /* a new build: what failed before is no news */
    for (size_t i = 0; i < db->n; i++)
      db->v[i]->failed = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < log->n; i++) {
      const struct fix_exec_record *r = &log->v[i];
      if ((r->status != 0) != (pass == 0) || !r->argv.n)
        continue;
      if (fix_ic_compiler(r->argv.v[0]) == FIX_IC_CC) {
        add_argv(db, (const char *const *)r->argv.v, r->dir, FIX_SRC_RECORDED, r->status != 0);
        continue;
      }
      if (r->cargo_manifest_dir)
        continue; /* cargo's crates are checked with cargo */
      int has_source = 0;
      for (size_t k = 1; k < r->argv.n; k++)
        has_source |= r->argv.v[k][0] != '-' && fix_str_ends(r->argv.v[k], ".rs");
      struct fix_compile_cmd c = {0};
      if (has_source && fix_rust_check_cmd((const char *const *)r->argv.v, r->dir, &c) == FIX_OK) {
        c.source = FIX_SRC_RECORDED;
        c.failed = r->status != 0;
        struct fix_compile_cmd *old = own_entry(db, c.file);
        if (old && old->source == FIX_SRC_RECORDED)
          old->failed |= c.failed;
        else
          fix_compdb_add(db, &c);
      }
      fix_compile_cmd_free(&c);
    }
}

enum fix_status fix_compdb_from_log(const char *log, size_t len, const char *cwd, struct fix_compdb *db,
                                    struct fix_err *err) {
  char *dirstack[64];
  int depth = 0;
  dirstack[0] = fix_strdup(cwd);
  if (!dirstack[0])
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  if (!db->source)
    db->source = fix_strdup("build log");
  size_t off = 0;
  while (off < len) {
    const char *nl = memchr(log + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (log + off)) : len - off;
    char *line = n < 65536 ? fix_strndup(log + off, n) : NULL;
    off += n + (nl != NULL);
    if (!line)
      continue;
    char *dir = NULL;
    int md = fix_diag_make_dir_line(line, n, &dir);
    if (md > 0 && depth < 63) {
      if (dir[0] != '/') { /* ninja -C build says "Entering directory `build'" */
        char *abs = abs_norm(dirstack[depth], dir);
        free(dir);
        dir = abs;
      }
      if (dir)
        dirstack[++depth] = dir;
    } else if (md) {
      if (md < 0 && depth > 0)
        free(dirstack[depth--]);
      free(dir);
    } else if (!strpbrk(line, ";|&`$<>")) {
      struct fix_strv w = {0};
      if (fix_shell_split(line, &w, NULL) == FIX_OK && w.n > 1)
        fix_compdb_add_argv(db, (const char *const *)w.v, dirstack[depth], FIX_SRC_LOG);
      fix_strv_free(&w);
    }
    free(line);
  }
  for (int i = 0; i <= depth; i++)
    free(dirstack[i]);
  return FIX_OK;
}

static int is_cxx(const char *file) {
  return !fix_str_ends(file, ".c") && !fix_str_ends(file, ".m") && !fix_str_ends(file, ".h");
}

enum fix_status fix_compile_cmd_guess(const char *root, const char *file, struct fix_compile_cmd *out) {
  memset(out, 0, sizeof *out);
  const char *cc = is_cxx(file) ? getenv("CXX") : getenv("CC");
  if (!cc || !*cc)
    cc = is_cxx(file) ? "c++" : "cc";
  out->dir = fix_path_dirname(file);
  out->file = fix_strdup(file);
  out->source = FIX_SRC_GUESS;
  char *inc = fix_path_join(root, "include");
  struct fix_strv words = {0};
  fix_shell_split(cc, &words, NULL);
  for (size_t i = 0; i < words.n; i++)
    fix_strv_push(&out->args, words.v[i]);
  fix_strv_free(&words);
  if (out->args.n == 0)
    fix_strv_push(&out->args, "cc");
  fix_strv_push_own(&out->args, fix_asprintf("-I%s", root));
  if (inc && fix_dir_exists(inc))
    fix_strv_push_own(&out->args, fix_asprintf("-I%s", inc));
  free(inc);
  fix_strv_push(&out->args, "-c");
  fix_strv_push(&out->args, file);
  return out->dir && out->file ? FIX_OK : FIX_ERR_NOMEM;
}

enum fix_compiler fix_compile_cmd_compiler(const struct fix_compile_cmd *c) {
  if (c->kind != FIX_CMD_CC)
    return FIX_CC_RUSTC;
  const char *a0 = c->args.n ? c->args.v[0] : "cc";
  char *path = NULL;
  if (strchr(a0, '/')) {
    path = fix_strdup(a0);
  } else {
    const char *pe = getenv("PATH");
    char *pv = fix_strdup(pe ? pe : "/usr/bin:/bin");
    for (char *save = NULL, *d = pv ? strtok_r(pv, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
      char *cand = fix_path_join(d, a0);
      if (cand && access(cand, X_OK) == 0) {
        path = cand;
        break;
      }
      free(cand);
    }
    free(pv);
  }
  char real[PATH_MAX];
  const char *name = a0;
  if (path && realpath(path, real))
    name = real;
  enum fix_compiler cc = strstr(name, "clang") ? FIX_CC_CLANG : (strstr(name, "gcc") || strstr(name, "g++") ||
                                                                strstr(name, "cc") || strstr(name, "c++"))
                                                                   ? FIX_CC_GCC
                                                                   : FIX_CC_UNKNOWN;
  free(path);
  return cc;
}

/* The output file a command names (-o FILE or -oFILE), or NULL. Borrowed. */
static const char *output_of(const struct fix_compile_cmd *c) {
  for (size_t i = 1; i < c->args.n; i++) {
    if (!strcmp(c->args.v[i], "-o") && i + 1 < c->args.n)
      return c->args.v[i + 1];
    if (fix_str_starts(c->args.v[i], "-o") && c->args.v[i][2])
      return c->args.v[i] + 2;
  }
  return NULL;
}

static char *compdb_text(const struct fix_compdb *db, int with_rustc) {
  cJSON *arr = cJSON_CreateArray();
  if (!arr)
    return NULL;
  for (size_t i = 0; i < db->n; i++) {
    const struct fix_compile_cmd *c = db->v[i];
    if ((c->kind != FIX_CMD_CC && !(with_rustc && c->kind == FIX_CMD_RUSTC)) || c->source == FIX_SRC_GUESS)
      continue;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToArray(arr, e);
    cJSON_AddStringToObject(e, "directory", c->dir);
    cJSON_AddStringToObject(e, "file", c->file);
    cJSON *a = cJSON_AddArrayToObject(e, "arguments");
    for (size_t k = 0; k < c->args.n; k++)
      cJSON_AddItemToArray(a, cJSON_CreateString(c->args.v[k]));
    const char *o = output_of(c);
    if (o) {
      char *abs = abs_norm(c->dir, o);
      cJSON_AddStringToObject(e, "output", abs ? abs : o);
      free(abs);
    }
  }
  char *text = cJSON_Print(arr);
  cJSON_Delete(arr);
  return text;
}

enum fix_status fix_compdb_print(const struct fix_compdb *db, FILE *f, struct fix_err *err) {
  char *text = compdb_text(db, 0);
  if (!text)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  int bad = fputs(text, f) < 0 || fputc('\n', f) < 0 || fflush(f) != 0;
  free(text);
  return bad ? fix_err_errno(err, FIX_ERR_IO, "cannot write the compile database") : FIX_OK;
}

enum fix_status fix_compdb_write(const struct fix_compdb *db, const char *path, int with_rustc, struct fix_err *err) {
  char *text = compdb_text(db, with_rustc);
  if (!text)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  size_t len = strlen(text);
  text[len] = '\n'; /* cJSON_Print's terminator becomes the file's last newline */
  enum fix_status st = fix_file_write_atomic(path, text, len + 1, err);
  free(text);
  return st;
}

/* ---- commands a repository chose ----
 *
 * A compile_commands.json in the project is the repository's text, and fix runs it: a language
 * server checks a file as soon as it is opened. Until the project is trusted (`fix trust`), an
 * entry is used only when what it runs is a compiler the user installed — like clangd's
 * --query-driver allowlist — and without the flags that make that compiler load or run other
 * code, or write a file the repository names. */

static int inside(const char *path, const char *dir) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/')
    n--;
  return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0' || (n == 1 && dir[0] == '/'));
}

/* `path` or the file it resolves to lies in the project (root as given or canonical). */
static int in_project(const char *path, const char *root) {
  char real[PATH_MAX], rroot[PATH_MAX];
  const char *rr = realpath(root, rroot) ? rroot : root;
  if (inside(path, root) || inside(path, rr))
    return 1;
  if (realpath(path, real) && (inside(real, root) || inside(real, rr)))
    return 1;
  /* a path that does not exist (yet) may still name the project through a symlinked directory */
  char *d = fix_path_dirname(path);
  int in = d && strcmp(d, path) && realpath(d, real) && (inside(real, root) || inside(real, rr));
  free(d);
  return in;
}

/* What execvp would run for a bare `name` started in `cwd` (relative PATH entries, "" and "."
 * too, are relative to cwd), normalised; NULL when nothing on PATH is called that. */
static char *find_on_path(const char *name, const char *cwd) {
  const char *pe = getenv("PATH");
  char *pv = fix_strdup(pe ? pe : "/usr/bin:/bin");
  char *found = NULL;
  for (char *p = pv, *end; p && !found; p = end ? end + 1 : NULL) {
    end = strchr(p, ':');
    if (end)
      *end = '\0';
    char *dir = p[0] == '/' ? fix_strdup(p) : abs_norm(cwd, p[0] ? p : ".");
    char *cand = dir ? abs_norm(dir, name) : NULL;
    struct stat st;
    if (cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
      found = cand;
    else
      free(cand);
    free(dir);
  }
  free(pv);
  return found;
}

/* `dir` is an absolute entry of PATH. */
static int path_entry(const char *dir) {
  const char *pe = getenv("PATH");
  char *pv = fix_strdup(pe ? pe : "/usr/bin:/bin");
  int hit = 0;
  for (char *p = pv, *end; p && !hit; p = end ? end + 1 : NULL) {
    end = strchr(p, ':');
    if (end)
      *end = '\0';
    char *n = p[0] == '/' ? fix_path_normalize(p) : NULL;
    hit = n && !strcmp(n, dir);
    free(n);
  }
  free(pv);
  return hit;
}

/* Where the system keeps compilers: only an administrator writes there. */
static int system_dir(const char *dir) {
  static const char *dirs[] = {"/usr/bin", "/bin", "/usr/local/bin", "/usr/lib/ccache", "/usr/lib64/ccache"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
    if (!strcmp(dir, dirs[i]))
      return 1;
  return fix_str_starts(dir, "/opt/");
}

/* `argv0` run in `cwd` is a program the user installed, outside the project: a bare name found on
 * PATH (or found nowhere: then nothing runs), or a path in a system directory, in a directory on
 * PATH, or to the very file PATH finds under that name (/usr/lib/llvm-14/bin/clang for clang). */
static int installed(const char *argv0, const char *cwd, const char *root) {
  if (!argv0[0])
    return 0;
  if (!strchr(argv0, '/')) {
    char *p = find_on_path(argv0, cwd);
    int ok = !p || !in_project(p, root);
    free(p);
    return ok;
  }
  char *p = abs_norm(cwd, argv0);
  char *dir = p ? fix_path_dirname(p) : NULL;
  int ok = p && dir && !in_project(p, root);
  if (ok && !system_dir(dir) && !path_entry(dir)) {
    char *same = find_on_path(fix_ic_base(p), cwd);
    char a[PATH_MAX], b[PATH_MAX];
    ok = same && !in_project(same, root) && realpath(p, a) && realpath(same, b) && !strcmp(a, b);
    free(same);
  }
  free(dir);
  free(p);
  return ok;
}

int fix_compiler_trusted(const char *const *argv, const char *cwd, const char *root) {
  if (!argv || !argv[0])
    return 0;
  size_t c = 0;
  if (fix_ic_is_launcher(argv[0])) {
    if (!installed(argv[0], cwd, root) || !argv[1])
      return 0;
    c = 1;
  }
  return fix_ic_compiler(argv[c]) != FIX_IC_NONE && installed(argv[c], cwd, root);
}

/* -Wp,A,B or -Xpreprocessor A that only defines, undefines or adds an include directory. */
static int plain_cpp(const char *parts) {
  char *d = fix_strdup(parts);
  int ok = d != NULL;
  for (char *p = d, *end; ok && p; p = end ? end + 1 : NULL) {
    end = strchr(p, ',');
    if (end)
      *end = '\0';
    ok = fix_str_starts(p, "-D") || fix_str_starts(p, "-U") || (fix_str_starts(p, "-I") && p[2]);
  }
  free(d);
  return ok;
}

/* cc1 options (after -Xclang) that load a plugin or name its argument. */
static int cc1_loads(const char *v) {
  return !strcmp(v, "-load") || !strcmp(v, "-plugin") || !strcmp(v, "-add-plugin") || fix_str_starts(v, "-plugin-arg-") ||
         fix_str_starts(v, "-load=") || fix_str_starts(v, "-plugin=") || fix_str_starts(v, "-add-plugin=") ||
         fix_str_starts(v, "-fpass-plugin=") || fix_str_starts(v, "-fplugin=") || fix_str_starts(v, "-fplugin-arg-") ||
         !strcmp(v, "-mllvm");
}
static int cc1_takes_value(const char *v) {
  return !strcmp(v, "-load") || !strcmp(v, "-plugin") || !strcmp(v, "-add-plugin") ||
         (fix_str_starts(v, "-plugin-arg-") && !strchr(v, '=')) || !strcmp(v, "-mllvm");
}

/* How many arguments from args[i] on an untrusted C/C++ command may not keep (0: keep args[i]);
 * *what names the flag for the notice. */
static size_t unsafe_cc(char *const *a, size_t n, size_t i, const char **what) {
  const char *x = a[i];
  size_t two = i + 1 < n ? 2 : 1;
  static const struct {
    const char *flag;
    int next; /* 1: the flag and the argument after it; 0: a prefix, the flag alone */
    const char *what;
  } rules[] = {
      /* run another program instead of, or around, the compiler's own */
      {"-wrapper", 1, "-wrapper"}, {"-B", 1, "-B"}, {"--prefix", 1, "--prefix"},
      {"-specs", 1, "-specs"}, {"--specs", 1, "-specs"}, {"--gcc-toolchain", 1, "--gcc-toolchain"},
      {"-gcc-toolchain", 1, "--gcc-toolchain"}, {"-ccc-install-dir", 1, "-ccc-install-dir"},
      {"-ccc-gcc-name", 1, "-ccc-gcc-name"}, {"--ld-path", 1, "--ld-path"}, {"--config", 1, "--config"},
      /* load code into the compiler (clang -cc1 spellings too) */
      {"-load", 1, "-load"}, {"-plugin", 1, "-plugin"}, {"-add-plugin", 1, "-add-plugin"},
      /* options for the tools the compiler would start */
      {"-Xlinker", 1, "-Xlinker"}, {"-Xassembler", 1, "-Xassembler"},
      /* write a file the repository names */
      {"-aux-info", 1, "-aux-info"}, {"-MJ", 1, "-MJ"}, {"-dumpdir", 1, "-dumpdir"},
      {"-serialize-diagnostics", 1, "-serialize-diagnostics"}, {"--serialize-diagnostics", 1, "-serialize-diagnostics"},
      /* prefixes */
      {"-wrapper", 0, "-wrapper"}, {"-B", 0, "-B"}, {"--prefix=", 0, "--prefix"}, {"-specs=", 0, "-specs"},
      {"--specs=", 0, "-specs"}, {"--gcc-toolchain=", 0, "--gcc-toolchain"}, {"--gcc-install-dir=", 0, "--gcc-install-dir"},
      {"--ld-path=", 0, "--ld-path"}, {"--config=", 0, "--config"}, {"--config-system-dir=", 0, "--config-system-dir"},
      {"--config-user-dir=", 0, "--config-user-dir"}, {"-fplugin=", 0, "-fplugin"},
      {"-fplugin-arg-", 0, "-fplugin-arg-*"}, {"-iplugindir=", 0, "-iplugindir"}, {"-fpass-plugin=", 0, "-fpass-plugin"},
      {"-plugin-arg-", 0, "-plugin-arg-*"}, {"-Wl,", 0, "-Wl,"}, {"-Wa,", 0, "-Wa,"}, {"-MJ", 0, "-MJ"},
      {"-save-temps", 0, "-save-temps"}, {"-ftime-trace=", 0, "-ftime-trace="},
      {"-fcrash-diagnostics-dir", 0, "-fcrash-diagnostics-dir"}, {"-fdiagnostics-add-output", 0, "-fdiagnostics-add-output"},
      {"-fdiagnostics-set-output", 0, "-fdiagnostics-set-output"},
  };
  if (x[0] == '@') {
    *what = "@file";
    return 1;
  }
  for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
    if (rules[r].next ? !strcmp(x, rules[r].flag) : fix_str_starts(x, rules[r].flag)) {
      *what = rules[r].what;
      return rules[r].next ? two : 1;
    }
  }
  if (fix_str_starts(x, "-fuse-ld=") && strchr(x, '/')) {
    *what = "-fuse-ld=<path>";
    return 1;
  }
  if ((fix_str_starts(x, "-fdump-") || fix_str_starts(x, "-fopt-info")) && strchr(x, '=')) {
    *what = "-fdump-*=<file>";
    return 1;
  }
  if (fix_str_starts(x, "-Wp,") && !plain_cpp(x + 4)) {
    *what = "-Wp,";
    return 1;
  }
  if (!strcmp(x, "-Xpreprocessor")) {
    if (i + 1 < n && plain_cpp(a[i + 1]))
      return 0;
    *what = "-Xpreprocessor";
    return two;
  }
  if (!strcmp(x, "-mllvm") && i + 1 < n && fix_str_starts(a[i + 1], "-load")) {
    *what = "-mllvm -load";
    return 2;
  }
  /* -Xclang V, -Xclang=V: V a cc1 option that loads code; its value is the next -Xclang's */
  const char *v = !strcmp(x, "-Xclang") ? (i + 1 < n ? a[i + 1] : "") : fix_str_starts(x, "-Xclang=") ? x + 8 : NULL;
  if (v) {
    if (!cc1_loads(v))
      return 0;
    *what = "-Xclang -load/-plugin";
    size_t k = !strcmp(x, "-Xclang") ? two : 1;
    if (cc1_takes_value(v) && i + k < n) {
      if (!strcmp(a[i + k], "-Xclang"))
        k += i + k + 1 < n ? 2 : 1;
      else if (fix_str_starts(a[i + k], "-Xclang="))
        k += 1;
    }
    return k;
  }
  /* clang's other -X options hand their argument to the driver for another target or to a tool
   * (-Xarch_x86_64 -fplugin=..., -Xopenmp-target, -Xcuda-ptxas) */
  if (x[0] == '-' && x[1] == 'X' && x[2]) {
    *what = "-X<tool>";
    return two;
  }
  return 0;
}

/* The same for a rustc crate: unstable options (-Z codegen-backend), library directories and
 * dylib --extern crates (where proc macros, code rustc runs, are loaded from), a linker. */
static size_t unsafe_rustc(char *const *a, size_t n, size_t i, const char **what) {
  const char *x = a[i];
  size_t two = i + 1 < n ? 2 : 1;
  if (x[0] == '@') {
    *what = "@file";
    return 1;
  }
  if (!strcmp(x, "-Z") || !strcmp(x, "-L")) {
    *what = x[1] == 'Z' ? "-Z" : "-L";
    return two;
  }
  if (fix_str_starts(x, "-Z") || fix_str_starts(x, "-L")) {
    *what = x[1] == 'Z' ? "-Z" : "-L";
    return 1;
  }
  const char *v = !strcmp(x, "--extern") ? (i + 1 < n ? a[i + 1] : "") : fix_str_starts(x, "--extern=") ? x + 9 : NULL;
  if (v && (strstr(v, ".so") || strstr(v, ".dylib") || strstr(v, ".dll"))) {
    *what = "--extern <dylib>";
    return !strcmp(x, "--extern") ? two : 1;
  }
  v = !strcmp(x, "-C") || !strcmp(x, "--codegen") ? (i + 1 < n ? a[i + 1] : "")
      : fix_str_starts(x, "-C") ? x + 2
      : fix_str_starts(x, "--codegen=") ? x + 10
                                        : NULL;
  if (v && (fix_str_starts(v, "linker") || fix_str_starts(v, "link-arg"))) {
    *what = "-C linker";
    return !strcmp(x, "-C") || !strcmp(x, "--codegen") ? two : 1;
  }
  return 0;
}

static void note_once(struct fix_strv *said, const char *what) {
  if (said && !fix_strv_contains(said, what))
    fix_strv_push(said, what);
}

int fix_compile_cmd_sanitize(struct fix_compile_cmd *c, const char *root, struct fix_strv *refused,
                             struct fix_strv *dropped) {
  if (c->kind == FIX_CMD_CARGO)
    return -1; /* never from a compile database */
  if (!c->args.n || !fix_compiler_trusted((const char *const *)c->args.v, c->dir, root)) {
    if (c->args.n) {
      size_t k = fix_ic_is_launcher(c->args.v[0]) && c->args.n > 1 ? 1 : 0;
      char *w = k ? fix_asprintf("%s %s", c->args.v[0], c->args.v[1]) : fix_strdup(c->args.v[0]);
      note_once(refused, w ? w : c->args.v[0]);
      free(w);
    }
    return -1;
  }
  struct fix_strv keep = {0};
  int changed = 0;
  size_t first = fix_ic_is_launcher(c->args.v[0]) ? 2 : 1;
  for (size_t i = 0; i < c->args.n; i++) {
    const char *what = NULL;
    size_t drop = i < first ? 0
                  : c->kind == FIX_CMD_RUSTC ? unsafe_rustc(c->args.v, c->args.n, i, &what)
                                             : unsafe_cc(c->args.v, c->args.n, i, &what);
    if (drop) {
      note_once(dropped, what);
      changed = 1;
      i += drop - 1;
      continue;
    }
    if (fix_strv_push(&keep, c->args.v[i])) {
      fix_strv_free(&keep);
      return -1;
    }
  }
  fix_strv_free(&c->args);
  c->args = keep;
  return changed;
}

size_t fix_compdb_sanitize(struct fix_compdb *db, const char *root, struct fix_strv *refused, struct fix_strv *dropped) {
  size_t changed = 0, n = 0;
  for (size_t i = 0; i < db->n; i++) {
    struct fix_compile_cmd *c = db->v[i];
    int r = c->source == FIX_SRC_COMPDB ? fix_compile_cmd_sanitize(c, root, refused, dropped) : 0;
    if (r < 0) {
      fix_compile_cmd_free(c);
      free(c);
    } else {
      db->v[n++] = c;
    }
    changed += r != 0;
  }
  db->n = n;
  return changed;
}
