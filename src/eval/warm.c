/* warm.c — a built tree kept between the mutation cases one worker runs.
 *
 * Cases made by `fix eval mutate` share a base tree and differ in one file. Copying the base and
 * building it from nothing for each case costs a whole build (cmark: 6 s, jq: a minute); here a
 * worker copies the base once to a fixed path, builds it there, and for each case writes the case's
 * file over it with a new time (the build recompiles it), runs the case, then puts back every file
 * that differs from the base and removes sources the repair added. A case then costs what a
 * developer's own edit-build cycle costs: one translation unit and a link. */
#include "warm.h"

#include "groups.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every regular file below root/rel (relative paths). */
static void all_files(const char *root, const char *rel, struct fix_strv *out, int depth) {
  char *dir = rel[0] ? fix_path_join(root, rel) : fix_strdup(root);
  DIR *d = dir ? opendir(dir) : NULL;
  struct dirent *e;
  while (d && depth < 16 && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char *r = rel[0] ? fix_asprintf("%s/%s", rel, e->d_name) : fix_strdup(e->d_name);
    char *p = r ? fix_path_join(root, r) : NULL;
    struct stat st;
    if (p && lstat(p, &st) == 0) {
      if (S_ISDIR(st.st_mode))
        all_files(root, r, out, depth + 1);
      else if (S_ISREG(st.st_mode))
        fix_strv_push(out, r);
    }
    free(p);
    free(r);
  }
  if (d)
    closedir(d);
  free(dir);
}

void eval_warm_drop(struct eval_warm *w) {
  if (w->scratch)
    fix_rmtree(w->scratch);
  free(w->scratch);
  free(w->work);
  free(w->base);
  fix_strv_free(&w->files);
  fix_strv_free(&w->built);
  memset(w, 0, sizeof *w);
}

int eval_warm_ready(struct eval_warm *w, const char *base) {
  if (w->base && !strcmp(w->base, base))
    return 0;
  eval_warm_drop(w);
  w->scratch = fix_mkdtemp("fix-eval");
  w->work = w->scratch ? fix_path_join(w->scratch, "work") : NULL;
  w->base = fix_strdup(base);
  char *src = fix_asprintf("%s/.", base);
  const char *cp[] = {"cp", "-a", src, w->work, NULL};
  struct fix_spawn_result res = {0};
  int ok = w->work && w->base && src && fix_mkdirs(w->work, NULL) == FIX_OK &&
           fix_spawn_quiet(cp, NULL, NULL, 600, &res, NULL) == FIX_OK && res.exit_code == 0;
  fix_buf_free(&res.out);
  free(src);
  if (ok)
    all_files(base, "", &w->files, 0);
  if (!ok || !w->files.n) {
    eval_warm_drop(w);
    return -1;
  }
  return 1;
}

void eval_warm_built(struct eval_warm *w) {
  fix_strv_free(&w->built);
  eval_sources(w->work, "", &w->built, 0);
}

/* Whether work/rel equals base/rel: the same size and time (untouched since the copy) or the same
 * bytes. */
static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0 || !S_ISREG(sb.st_mode) || sa.st_size != sb.st_size)
    return 0;
  if (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec == sb.st_mtim.tv_nsec)
    return 1;
  struct fix_buf x, y;
  int same = 0;
  if (fix_file_read(a, 1u << 30, &x, NULL) == FIX_OK) {
    if (fix_file_read(b, 1u << 30, &y, NULL) == FIX_OK) {
      same = x.len == y.len && (!x.len || !memcmp(x.data, y.data, x.len));
      fix_buf_free(&y);
    }
    fix_buf_free(&x);
  }
  return same;
}

int eval_warm_reset(struct eval_warm *w) {
  int ok = 1;
  for (size_t i = 0; ok && i < w->files.n; i++) {
    char *a = fix_path_join(w->base, w->files.v[i]), *b = fix_path_join(w->work, w->files.v[i]);
    if (!a || !b) {
      ok = 0;
    } else if (!same_file(a, b)) {
      struct fix_buf t;
      ok = fix_file_read(a, 1u << 30, &t, NULL) == FIX_OK;
      if (ok) {
        char *dir = fix_path_dirname(b);
        ok = dir && fix_mkdirs(dir, NULL) == FIX_OK && fix_file_replace(b, t.data ? t.data : "", t.len, NULL) == FIX_OK;
        free(dir);
        fix_buf_free(&t);
      }
    }
    free(a);
    free(b);
  }
  /* sources a repair added (a new header): neither the base nor its first build has it */
  struct fix_strv now = {0};
  eval_sources(w->work, "", &now, 0);
  for (size_t i = 0; ok && i < now.n; i++) {
    if (fix_strv_contains(&w->files, now.v[i]) || fix_strv_contains(&w->built, now.v[i]))
      continue;
    char *p = fix_path_join(w->work, now.v[i]);
    ok = p && unlink(p) == 0;
    free(p);
  }
  fix_strv_free(&now);
  return ok;
}
