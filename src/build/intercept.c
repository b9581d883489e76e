/* intercept.c — fix's side of interception: preparing a build to be watched, and reading what
 * was seen.
 *
 * Why fix's own preload library and not Bear (Debian's `bear`): Bear 3 intercepts through the
 * same kind of library, but reports every exec of the build (not only compilers) to a separate
 * collector process over gRPC and keeps no exit status in its output, and fix needs the status
 * ("the invocation that failed"), rustc as well as C compilers, and a wrapper that can be checked
 * before a build and fails open. Ours is ~300 lines that only touch compiler execs.
 *
 * Fail open: a missing or unloadable library, a statically linked or 32-bit build tool, one that
 * carries a sanitizer runtime (ASan must be loaded first), or FIX_INTERCEPT=0 mean no
 * interception (the build runs exactly as it would) and one notice. */
#include "fix/build.h"
#include "intercept/common.h"

#include <cjson/cJSON.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MAX ((size_t)256 << 20)
#define RECORDS_MAX 1000000

struct fix_intercept {
  char *lib, *exec, *dir, *log;
  char *env_strs[3];
  const char *env[4];
};

void fix_exec_log_free(struct fix_exec_log *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].dir);
    fix_strv_free(&l->v[i].argv);
    free(l->v[i].cargo_manifest_dir);
  }
  free(l->v);
  memset(l, 0, sizeof *l);
}

enum fix_status fix_exec_log_parse(const char *text, size_t len, struct fix_exec_log *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  if (len > LOG_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "the compiler records exceed %zu bytes", (size_t)LOG_MAX);
  size_t off = 0, cap = 0;
  while (off < len && out->n < RECORDS_MAX) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    cJSON *j = n && text[off] == '{' ? cJSON_ParseWithLength(text + off, n) : NULL;
    off += n + 1;
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(j, "dir");
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(j, "argv");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(j, "status");
    const cJSON *manifest = cJSON_GetObjectItemCaseSensitive(j, "cargo_manifest_dir");
    if (!cJSON_IsString(dir) || dir->valuestring[0] != '/' || !cJSON_IsArray(argv) || !cJSON_GetArraySize(argv) ||
        !cJSON_IsNumber(status)) {
      cJSON_Delete(j);
      continue;
    }
    if (out->n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      struct fix_exec_record *v = realloc(out->v, nc * sizeof *v);
      if (!v) {
        cJSON_Delete(j);
        fix_exec_log_free(out);
        return fix_err_set(err, FIX_ERR_NOMEM, "out of memory reading the compiler records");
      }
      out->v = v;
      cap = nc;
    }
    struct fix_exec_record *r = &out->v[out->n];
    memset(r, 0, sizeof *r);
    r->dir = fix_path_normalize(dir->valuestring);
    double sv = status->valuedouble;
    r->status = sv >= 0 && sv <= 255 ? (int)sv : 255;
    const cJSON *a;
    int ok = r->dir != NULL;
    cJSON_ArrayForEach(a, argv) ok = ok && cJSON_IsString(a) && fix_strv_push(&r->argv, a->valuestring) == FIX_OK;
    if (cJSON_IsString(manifest) && manifest->valuestring[0])
      r->cargo_manifest_dir = fix_strdup(manifest->valuestring);
    cJSON_Delete(j);
    if (!ok) {
      free(r->dir);
      fix_strv_free(&r->argv);
      free(r->cargo_manifest_dir);
      continue;
    }
    out->n++;
  }
  return FIX_OK;
}

/* ---- preparing a build ---- */

static char *self_dir(void) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  return fix_path_dirname(buf);
}

/* `name` beside the fix binary, else in ../lib/fix. */
static char *find_beside(const char *name) {
  char *dir = self_dir();
  if (!dir)
    return NULL;
  char *p = fix_path_join(dir, name);
  if (p && access(p, R_OK) != 0) {
    free(p);
    char *lib = fix_asprintf("%s/../lib/fix/%s", dir, name);
    p = lib ? fix_path_normalize(lib) : NULL;
    free(lib);
    if (p && access(p, R_OK) != 0) {
      free(p);
      p = NULL;
    }
  }
  free(dir);
  return p;
}

/* The executable `name` runs: itself when it has a '/', else the first match in $PATH. */
static char *which(const char *name) {
  if (strchr(name, '/'))
    return fix_strdup(name);
  const char *pe = getenv("PATH");
  char *pv = fix_strdup(pe ? pe : "/bin:/usr/bin");
  char *found = NULL;
  for (char *save = NULL, *d = pv ? strtok_r(pv, ":", &save) : NULL; d && !found; d = strtok_r(NULL, ":", &save)) {
    char *c = fix_path_join(d, name);
    if (c && access(c, X_OK) == 0)
      found = c;
    else
      free(c);
  }
  free(pv);
  return found;
}

/* Whether the program at `path` (following #! interpreters) can load a 64-bit preload library:
 * NULL when it can, else why not (static string). */
static const char *cannot_preload(const char *path, int depth) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL; /* the build will say what is wrong with it */
  unsigned char h[4096];
  ssize_t n = read(fd, h, sizeof h);
  const char *why = NULL;
  if (n >= 2 && h[0] == '#' && h[1] == '!' && depth < 4) {
    close(fd);
    /* "#!/bin/sh", "#!/usr/bin/env python3" */
    char line[512];
    size_t k = 0;
    for (ssize_t i = 2; i < n && h[i] != '\n' && k + 1 < sizeof line; i++)
      line[k++] = (char)h[i];
    line[k] = '\0';
    struct fix_strv w = {0};
    fix_shell_split(line, &w, NULL);
    if (w.n) {
      const char *interp = w.v[0];
      char *resolved = NULL;
      if (!strcmp(fix_ic_base(interp), "env") && w.n > 1)
        resolved = which(w.v[1][0] == '-' && w.n > 2 ? w.v[2] : w.v[1]);
      why = cannot_preload(resolved ? resolved : interp, depth + 1);
      free(resolved);
    }
    fix_strv_free(&w);
    return why;
  }
  if (n >= (ssize_t)sizeof(Elf64_Ehdr) && !memcmp(h, ELFMAG, SELFMAG)) {
    if (h[EI_CLASS] != ELFCLASS64) {
      why = "is a 32-bit program";
    } else {
      const Elf64_Ehdr *eh = (const Elf64_Ehdr *)h;
      int interp = 0, dynamic = 0;
      for (unsigned i = 0; i < eh->e_phnum && i < 256; i++) {
        Elf64_Phdr ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh->e_phoff + (uint64_t)i * eh->e_phentsize)) != (ssize_t)sizeof ph)
          break;
        interp |= ph.p_type == PT_INTERP;
        dynamic |= ph.p_type == PT_DYNAMIC;
      }
      if (!interp && !dynamic)
        why = "is statically linked";
      else if (fix_ic_links_sanitizer(path))
        why = "carries a sanitizer runtime, which must be the first library loaded";
    }
  }
  close(fd);
  return why;
}

void fix_intercept_free(struct fix_intercept *ic) {
  if (!ic)
    return;
  if (ic->dir)
    fix_rmtree(ic->dir);
  free(ic->lib);
  free(ic->exec);
  free(ic->dir);
  free(ic->log);
  for (int i = 0; i < 3; i++)
    free(ic->env_strs[i]);
  free(ic);
}

struct fix_intercept *fix_intercept_new(const char *const *argv, char **notice) {
  *notice = NULL;
  const char *off = getenv("FIX_INTERCEPT");
  if (off && (!strcmp(off, "0") || !strcmp(off, "off") || !strcmp(off, "no")))
    return NULL;
  struct fix_intercept *ic = calloc(1, sizeof *ic);
  if (!ic)
    return NULL;
  const char *elib = getenv("FIX_INTERCEPT_LIB"), *eexec = getenv("FIX_INTERCEPT_EXEC");
  ic->lib = elib && *elib ? fix_strdup(elib) : find_beside("libfix_intercept.so");
  ic->exec = eexec && *eexec ? fix_strdup(eexec) : find_beside("fix-intercept-exec");
  char *tool = argv && argv[0] ? which(argv[0]) : NULL;
  const char *why = tool ? cannot_preload(tool, 0) : NULL;
  if (!ic->lib || !ic->exec) {
    *notice = fix_asprintf("cannot see the compilers the build runs: %s not found beside fix (reading the build's "
                           "output instead)", !ic->lib ? "libfix_intercept.so" : "fix-intercept-exec");
  } else if (why) {
    *notice = fix_asprintf("cannot see the compilers the build runs: %s %s (reading the build's output instead)",
                           argv[0], why);
  } else {
    char real[PATH_MAX];
    if (realpath(ic->lib, real)) {
      free(ic->lib);
      ic->lib = fix_strdup(real);
    }
    if (realpath(ic->exec, real)) {
      free(ic->exec);
      ic->exec = fix_strdup(real);
    }
    /* the loader must accept the library silently, or every process of the build would print */
    char *pre = fix_asprintf("LD_PRELOAD=%s", ic->lib);
    const char *pargv[] = {ic->exec, "--probe", NULL};
    const char *penv[] = {pre, NULL};
    struct fix_spawn_result r;
    memset(&r, 0, sizeof r);
    int ok = pre && fix_spawn_quiet(pargv, NULL, penv, 10, &r, NULL) == FIX_OK && r.exit_code == 0 && r.out.len == 0;
    if (!ok) {
      char first[200] = "";
      if (r.out.len)
        snprintf(first, sizeof first, ": %.*s", (int)strcspn(r.out.data, "\n"), r.out.data);
      *notice = fix_asprintf("cannot see the compilers the build runs: %s does not load%s (reading the build's "
                             "output instead)", ic->lib, first);
    }
    fix_buf_free(&r.out);
    free(pre);
  }
  free(tool);
  if (*notice) {
    fix_intercept_free(ic);
    return NULL;
  }
  fix_sweep_stale("fix-intercept");
  ic->dir = fix_mkdtemp_owned("fix-intercept");
  ic->log = ic->dir ? fix_path_join(ic->dir, "records.jsonl") : NULL;
  const char *old = getenv("LD_PRELOAD");
  ic->env_strs[0] = old && *old ? fix_asprintf("LD_PRELOAD=%s:%s", ic->lib, old) : fix_asprintf("LD_PRELOAD=%s", ic->lib);
  ic->env_strs[1] = fix_asprintf("%s=%s", FIX_IC_ENV_EXEC, ic->exec);
  ic->env_strs[2] = ic->log ? fix_asprintf("%s=%s", FIX_IC_ENV_LOG, ic->log) : NULL;
  if (!ic->log || !ic->env_strs[0] || !ic->env_strs[1] || !ic->env_strs[2]) {
    *notice = fix_strdup("cannot see the compilers the build runs: no temporary directory (reading the build's "
                         "output instead)");
    fix_intercept_free(ic);
    return NULL;
  }
  for (int i = 0; i < 3; i++)
    ic->env[i] = ic->env_strs[i];
  ic->env[3] = NULL;
  return ic;
}

const char *const *fix_intercept_env(const struct fix_intercept *ic) { return ic ? ic->env : NULL; }

char **fix_intercept_wrap(const struct fix_intercept *ic, const char *const *argv) {
  if (!ic || !argv || !argv[0] || fix_ic_compiler_index(argv[0], (char *const *)argv) < 0)
    return NULL;
  char *path = which(argv[0]);
  if (!path || access(path, X_OK) != 0) {
    free(path);
    return NULL; /* let the spawn say what is wrong */
  }
  size_t n = 0;
  while (argv[n])
    n++;
  char **out = calloc(n + 4, sizeof *out);
  if (!out) {
    free(path);
    return NULL;
  }
  out[0] = ic->exec;
  out[1] = ic->log;
  out[2] = path; /* owned: freed by fix_intercept_wrap_free */
  for (size_t i = 0; i < n; i++)
    out[3 + i] = (char *)argv[i];
  return out;
}

void fix_intercept_wrap_free(char **wrapped) {
  if (!wrapped)
    return;
  free(wrapped[2]);
  free(wrapped);
}

enum fix_status fix_intercept_reset(struct fix_intercept *ic, struct fix_err *err) {
  int fd = open(ic->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return fix_err_errno(err, FIX_ERR_IO, "cannot create %s", ic->log);
  close(fd);
  return FIX_OK;
}

enum fix_status fix_intercept_collect(struct fix_intercept *ic, struct fix_exec_log *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  struct fix_buf b;
  enum fix_status st = fix_file_read(ic->log, LOG_MAX, &b, err);
  if (st == FIX_ERR_NOT_FOUND || (st == FIX_ERR_IO && !fix_file_exists(ic->log)))
    return FIX_OK; /* nothing was compiled */
  if (st)
    return st;
  st = fix_exec_log_parse(b.data ? b.data : "", b.len, out, err);
  fix_buf_free(&b);
  /* a configure step's probes (CMake's TryCompile-*, some failing on purpose) ran in directories
   * it deleted afterwards: no compile commands (a check there could not even start) */
  size_t k = 0;
  for (size_t i = 0; !st && i < out->n; i++) {
    if (out->v[i].dir && !fix_dir_exists(out->v[i].dir)) {
      free(out->v[i].dir);
      fix_strv_free(&out->v[i].argv);
      free(out->v[i].cargo_manifest_dir);
      continue;
    }
    out->v[k++] = out->v[i];
  }
  if (!st)
    out->n = k;
  return st;
}

char *fix_recorded_compdb_path(const char *root) {
  char *dir = fix_state_dir_for("commands", root);
  char *p = dir ? fix_path_join(dir, "compile_commands.json") : NULL;
  free(dir);
  return p;
}

void fix_recorded_compdb_save(const char *root, const struct fix_exec_log *log) {
  if (!log->n)
    return;
  char *path = fix_recorded_compdb_path(root);
  struct fix_compdb db = {0};
  fix_compdb_add_records(&db, log); /* this build's commands win; the last run's fill in the rest */
  if (path && fix_file_exists(path)) {
    struct fix_compdb old = {0};
    if (fix_compdb_load(path, &old, NULL) == FIX_OK)
      for (size_t i = 0; i < old.n; i++)
        fix_compdb_add(&db, old.v[i]);
    fix_compdb_free(&old);
  }
  char *dir = path ? fix_path_dirname(path) : NULL;
  struct fix_err e;
  if (db.n && dir && (fix_mkdirs(dir, &e) != FIX_OK || fix_compdb_write(&db, path, 1, &e) != FIX_OK))
    fix_log(FIX_LOG_DEBUG, "the recorded commands are not kept for fix lsp: %s", e.msg);
  free(dir);
  free(path);
  fix_compdb_free(&db);
}
