/* vcs.c — the project root and its uncommitted files, from git.
 *
 * fix refuses to edit a file with uncommitted changes (the user's own work could not be told apart
 * from fix's in `git diff`, and `fix undo` would be the only way back). */
#include "fix/patch.h"

#include <limits.h>
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
