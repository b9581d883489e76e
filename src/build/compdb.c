/* compdb.c — compile commands: compile_commands.json, build logs, and a fallback guess.
 *
 * fix needs the exact flags of a translation unit to re-check it in isolation. The best source is
 * compile_commands.json; next best is the build's own echo of each compiler invocation (make prints
 * them unless silenced); last, a guess that is usually right for small projects. */
#include "fix/build.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMPDB_MAX ((size_t)256 << 20)

void fix_compile_cmd_free(struct fix_compile_cmd *c) {
  if (!c)
    return;
  free(c->dir);
  free(c->file);
  fix_strv_free(&c->args);
  memset(c, 0, sizeof *c);
}

void fix_compdb_free(struct fix_compdb *db) {
  if (!db)
    return;
  for (size_t i = 0; i < db->n; i++)
    fix_compile_cmd_free(&db->v[i]);
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
  struct fix_compile_cmd *v = realloc(db->v, (db->n + 1) * sizeof *v);
  if (!v)
    return NULL;
  db->v = v;
  memset(&v[db->n], 0, sizeof *v);
  return &v[db->n++];
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
      db->n--;
      continue;
    }
    c->dir = fix_path_normalize(dir->valuestring);
    c->file = abs_norm(c->dir, file->valuestring);
    if (cJSON_IsArray(args)) {
      const cJSON *a;
      cJSON_ArrayForEach(a, args) if (cJSON_IsString(a)) fix_strv_push(&c->args, a->valuestring);
    } else if (cJSON_IsString(cmd)) {
      if (fix_shell_split(cmd->valuestring, &c->args, NULL) != FIX_OK)
        fix_strv_free(&c->args);
    }
    if (!c->dir || !c->file || c->args.n == 0) {
      fix_compile_cmd_free(c);
      db->n--;
    }
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

const struct fix_compile_cmd *fix_compdb_lookup(const struct fix_compdb *db, const char *file) {
  for (size_t i = 0; i < db->n; i++)
    if (!strcmp(db->v[i].file, file))
      return &db->v[i];
  return NULL;
}

static int copy_cmd(struct fix_compile_cmd *dst, const struct fix_compile_cmd *src) {
  memset(dst, 0, sizeof *dst);
  dst->dir = fix_strdup(src->dir);
  dst->file = fix_strdup(src->file);
  for (size_t i = 0; i < src->args.n; i++)
    if (fix_strv_push(&dst->args, src->args.v[i]))
      return -1;
  return dst->dir && dst->file ? 0 : -1;
}

enum fix_status fix_compdb_add(struct fix_compdb *db, const struct fix_compile_cmd *cmd) {
  if (fix_compdb_lookup(db, cmd->file))
    return FIX_OK;
  struct fix_compile_cmd *c = db_push(db);
  if (!c)
    return FIX_ERR_NOMEM;
  if (copy_cmd(c, cmd)) {
    fix_compile_cmd_free(c);
    db->n--;
    return FIX_ERR_NOMEM;
  }
  return FIX_OK;
}

/* cc, gcc, g++, c++, clang, clang++, with optional target prefix and version suffix. */
static int is_compiler_name(const char *argv0) {
  const char *b = strrchr(argv0, '/');
  b = b ? b + 1 : argv0;
  static const char *names[] = {"c++", "g++", "clang++", "cc", "gcc", "clang"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    const char *hit = strstr(b, names[i]);
    if (!hit)
      continue;
    /* prefix must end in '-' (x86_64-linux-gnu-gcc), suffix be empty or -N / -N.M */
    if (hit != b && hit[-1] != '-')
      continue;
    const char *s = hit + strlen(names[i]);
    if (*s == '\0')
      return 1;
    if (*s == '-' && strspn(s + 1, "0123456789.") == strlen(s + 1) && s[1])
      return 1;
  }
  return 0;
}

int fix_compdb_add_argv(struct fix_compdb *db, const char *const *argv, const char *cwd) {
  if (!argv[0] || !is_compiler_name(argv[0]))
    return 0;
  const char *src = NULL;
  int nsrc = 0;
  for (size_t i = 1; argv[i]; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-o") || !strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-MQ") || !strcmp(a, "-I") ||
        !strcmp(a, "-include") || !strcmp(a, "-isystem") || !strcmp(a, "-x")) {
      if (argv[i + 1])
        i++;
      continue;
    }
    if (a[0] != '-' && fix_is_source_file(a)) {
      src = a;
      nsrc++;
    }
  }
  /* "cc -o app main.c" compiles one TU too; with several sources, each is its own TU */
  if (!src || nsrc > 1)
    return 0;
  struct fix_compile_cmd c = {0};
  c.dir = fix_strdup(cwd);
  c.file = abs_norm(cwd, src);
  for (size_t i = 0; argv[i]; i++)
    fix_strv_push(&c.args, argv[i]);
  int added = 0;
  if (c.dir && c.file && !fix_compdb_lookup(db, c.file)) {
    struct fix_compile_cmd *slot = db_push(db);
    if (slot) {
      *slot = c;
      memset(&c, 0, sizeof c);
      added = 1;
    }
  }
  fix_compile_cmd_free(&c);
  return added;
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
    const char *ent = strstr(line, ": Entering directory '");
    const char *lev = strstr(line, ": Leaving directory '");
    if (ent && depth < 63) {
      const char *s = ent + 22;
      const char *q = strrchr(s, '\'');
      if (q && q > s)
        dirstack[++depth] = fix_strndup(s, (size_t)(q - s));
      if (!dirstack[depth])
        depth--;
    } else if (lev && depth > 0) {
      free(dirstack[depth--]);
    } else if (!strpbrk(line, ";|&`$<>")) {
      struct fix_strv w = {0};
      if (fix_shell_split(line, &w, NULL) == FIX_OK && w.n > 1)
        fix_compdb_add_argv(db, (const char *const *)w.v, dirstack[depth]);
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
