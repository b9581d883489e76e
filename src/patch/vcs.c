/* vcs.c — the project root and its uncommitted files, from git or Mercurial.
 *
 * fix refuses to edit a file with uncommitted changes (the user's own work could not be told apart
 * from fix's in `git diff`, and `fix undo` would be the only way back). */
#include "fix/patch.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_git(const char *dir, const char *const *args, struct fix_buf *out) {
  const char *argv[16];
  size_t n = 0;
  argv[n++] = "git";
  argv[n++] = "-C";
  argv[n++] = dir;
  argv[n++] = "-c"; /* a repository's own config must not run a program when fix (or its language server) asks */
  argv[n++] = "core.fsmonitor=false";
  for (size_t i = 0; args[i] && n < 15; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  struct fix_spawn_result r;
  const char *env[] = {"LC_ALL=C", "GIT_OPTIONAL_LOCKS=0", NULL};
  enum fix_status st = fix_spawn_quiet(argv, NULL, env, 60, &r, NULL);
  *out = r.out;
  return st == FIX_OK && r.exit_code == 0 ? 0 : -1;
}

int fix_hg(const char *dir, const char *const *args, struct fix_buf *out) {
  size_t na = 0;
  while (args[na])
    na++;
  const char **argv = calloc(na + 4, sizeof *argv);
  fix_buf_init(out, 0);
  if (!argv)
    return -1;
  argv[0] = "hg", argv[1] = "--cwd", argv[2] = dir;
  memcpy(argv + 3, args, na * sizeof *args);
  struct fix_spawn_result r;
  const char *env[] = {"LC_ALL=C", "HGPLAIN=1", "HGRCPATH=", "HGRCSKIPREPO=1", NULL};
  enum fix_status st = fix_spawn_quiet(argv, NULL, env, 60, &r, NULL);
  free(argv);
  if (st != FIX_OK)
    return -1;
  *out = r.out;
  return r.exit_code == 0 ? 0 : -1;
}

/* `hg root` and `hg status`'s files (modified, added, removed, deleted, untracked) */
static enum fix_status open_hg(const char *real, struct fix_vcs *v, struct fix_err *err) {
  int found = 0; /* a .hg above: only then start Mercurial (a Python program: ~0.1 s) */
  char up[PATH_MAX];
  snprintf(up, sizeof up, "%s", real);
  for (char *slash; !found;) {
    char *hg = fix_path_join(up, ".hg");
    found = hg && fix_dir_exists(hg);
    free(hg);
    if (!(slash = strrchr(up, '/')) || slash == up)
      break;
    *slash = '\0';
  }
  if (!found)
    return FIX_ERR_NOT_FOUND;
  struct fix_buf out;
  const char *root[] = {"root", NULL};
  if (fix_hg(real, root, &out) || !out.len) {
    fix_buf_free(&out);
    return FIX_ERR_NOT_FOUND;
  }
  while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == '\r'))
    out.data[--out.len] = '\0';
  char rtop[PATH_MAX];
  v->root = fix_strdup(realpath(out.data, rtop) ? rtop : out.data);
  fix_buf_free(&out);
  if (!v->root)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  v->is_hg = 1;
  const char *status[] = {"status", "-mardu", "-n", "-0", NULL}; /* paths relative to --cwd: the root */
  if (fix_hg(v->root, status, &out)) {
    fix_buf_free(&out);
    return fix_err_set(err, FIX_ERR_NO_VCS, "hg status failed in %s", v->root);
  }
  for (size_t off = 0; off < out.len;) {
    const char *rec = out.data + off;
    off += strlen(rec) + 1;
    char *p = *rec ? fix_path_join(v->root, rec) : NULL;
    char *np = p ? fix_path_normalize(p) : NULL;
    free(p);
    if (np)
      fix_strv_push_own(&v->dirty, np);
  }
  fix_buf_free(&out);
  return FIX_OK;
}

enum fix_status fix_vcs_open(const char *dir, struct fix_vcs *v, struct fix_err *err) {
  memset(v, 0, sizeof *v);
  char real[PATH_MAX];
  if (!realpath(dir, real))
    return fix_err_errno(err, FIX_ERR_NOT_FOUND, "cannot resolve %s", dir);
  struct fix_buf out;
  const char *top[] = {"rev-parse", "--show-toplevel", NULL};
  if (run_git(real, top, &out) == 0 && out.len > 0) {
    while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == '\r'))
      out.data[--out.len] = '\0';
    char rtop[PATH_MAX];
    v->root = fix_strdup(realpath(out.data, rtop) ? rtop : out.data);
    v->is_git = 1;
  } else {
    fix_buf_free(&out);
    enum fix_status hs = open_hg(real, v, err);
    if (hs == FIX_OK || hs != FIX_ERR_NOT_FOUND)
      return hs;
    v->root = fix_strdup(real);
  }
  fix_buf_free(&out);
  if (!v->root)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  if (!v->is_git)
    return FIX_OK;
  const char *status[] = {"status", "--porcelain=v1", "-z", "--untracked-files=all", NULL};
  if (run_git(v->root, status, &out) != 0) {
    fix_buf_free(&out);
    return fix_err_set(err, FIX_ERR_NO_VCS, "git status failed in %s", v->root);
  }
  /* records: "XY path\0" and, for renames/copies, a second "orig\0" */
  size_t off = 0;
  while (off + 3 < out.len) {
    const char *rec = out.data + off;
    size_t rl = strlen(rec);
    char x = rec[0];
    if (rl > 3) {
      char *p = fix_path_join(v->root, rec + 3);
      char *np = p ? fix_path_normalize(p) : NULL;
      free(p);
      if (np)
        fix_strv_push_own(&v->dirty, np);
    }
    off += rl + 1;
    if (x == 'R' || x == 'C')
      off += strlen(out.data + off) + 1;
  }
  fix_buf_free(&out);
  return FIX_OK;
}

void fix_vcs_free(struct fix_vcs *v) {
  if (!v)
    return;
  free(v->root);
  fix_strv_free(&v->dirty);
  memset(v, 0, sizeof *v);
}

int fix_vcs_is_dirty(const struct fix_vcs *v, const char *path) { return fix_strv_contains(&v->dirty, path); }
