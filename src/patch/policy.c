/* policy.c — which files an edit may touch, whoever proposes it (a model reply, a compiler's
 * fix-it). Containment (fix_path_contain) keeps edits inside the project; this keeps them to the
 * project's own source code:
 *  - never version-control metadata: a path component named .git, .hg, .svn, .jj, .bzr, _darcs,
 *    CVS, or any directory that is a repository's metadata wherever it lives (a worktree's or a
 *    submodule's `gitdir:` target, a bare repository inside the tree): git runs hooks and
 *    fsmonitor commands from there, including the git commands fix itself runs;
 *  - never what the VCS ignores (build outputs, generated files): `git check-ignore`;
 *  - only C, C++ and Rust sources and headers (by extension), not a build script (build.rs, run by
 *    cargo at build time) and not an executable file: an edit to a Makefile, a CMakeLists.txt, a
 *    shell script, .cargo/config.toml, a CI or editor configuration, or fix's own .fix.json would
 *    run commands of the model's choosing at the next build, or change where fix sends the
 *    user's credentials.
 * Symlinks are resolved by containment first: the target must pass. */
#include "fix/patch.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const vcs_names[] = {".git", ".hg", ".svn", ".jj", ".bzr", "_darcs", "CVS", ".pijul", ".fslckout"};

static int is_vcs_name(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof vcs_names / sizeof *vcs_names; i++)
    if (strlen(vcs_names[i]) == n && !memcmp(vcs_names[i], s, n))
      return 1;
  return 0;
}

static int has(const char *dir, const char *name, int want_dir) {
  char *p = fix_path_join(dir, name);
  struct stat st;
  int ok = p && stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
  free(p);
  return ok;
}

/* A directory holding a repository's metadata, by its contents (whatever its name). */
static int is_repo_dir(const char *d) {
  return (has(d, "HEAD", 0) && has(d, "config", 0) && has(d, "objects", 1) && has(d, "refs", 1)) || /* git */
         (has(d, "requires", 0) && has(d, "store", 1)) ||                                           /* hg */
         has(d, "wc.db", 0);                                                                       /* svn */
}

static int source_ext(const char *p) {
  static const char *ext[] = {".c",   ".h",   ".cc",  ".cpp", ".cxx", ".c++", ".C",   ".hh", ".hpp",
                              ".hxx", ".h++", ".inl", ".ipp", ".tcc", ".tpp", ".m",   ".mm", ".rs"};
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (fix_str_ends(p, ext[i]))
      return 1;
  return 0;
}

/* git check-ignore, cached (the same file is asked about for every candidate). */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fix_strv cache_paths, cache_ignored;

static int git_ignored(const char *root, const char *canon) {
  pthread_mutex_lock(&cache_mu);
  for (size_t i = 0; i < cache_paths.n; i++)
    if (!strcmp(cache_paths.v[i], canon)) {
      int r = cache_ignored.v[i][0] == '1';
      pthread_mutex_unlock(&cache_mu);
      return r;
    }
  pthread_mutex_unlock(&cache_mu);
  char *rel = fix_path_relative(root, canon);
  const char *argv[] = {"git", "-C", root, "-c", "core.fsmonitor=false", "check-ignore", "-q", "--", rel ? rel : canon, NULL};
  const char *env[] = {"LC_ALL=C", "GIT_OPTIONAL_LOCKS=0", NULL};
  struct fix_spawn_result r;
  int ignored = fix_spawn_quiet(argv, NULL, env, 30, &r, NULL) == FIX_OK && r.exit_code == 0;
  fix_buf_free(&r.out);
  free(rel);
  pthread_mutex_lock(&cache_mu);
  if (cache_paths.n < 4096 && !fix_strv_push(&cache_paths, canon))
    fix_strv_push(&cache_ignored, ignored ? "1" : "0");
  pthread_mutex_unlock(&cache_mu);
  return ignored;
}

enum fix_status fix_edit_policy(const char *root, const char *canon, struct fix_err *err) {
  char *rel = fix_path_relative(root, canon);
  if (!rel)
    return fix_err_set(err, FIX_ERR_OUTSIDE_ROOT, "%s is outside the project", canon);
  const char *why = NULL;
  for (const char *c = rel; *c && !why;) {
    size_t n = strcspn(c, "/");
    if (is_vcs_name(c, n))
      why = "it is version-control metadata";
    c += n + (c[n] == '/');
  }
  /* every directory from the file's up to the root: is one of them a repository's metadata? */
  char *d = fix_path_dirname(canon);
  while (!why && d && strlen(d) > strlen(root)) {
    if (is_repo_dir(d))
      why = "it is inside a repository's metadata directory";
    char *up = fix_path_dirname(d);
    free(d);
    d = up;
  }
  free(d);
  const char *base = strrchr(canon, '/');
  base = base ? base + 1 : canon;
  struct stat st;
  if (!why && !strcmp(base, "build.rs"))
    why = "it is a build script (cargo runs it at build time)";
  if (!why && !source_ext(canon))
    why = "only C, C++ and Rust source and header files are edited (not build files, scripts or configuration)";
  if (!why && stat(canon, &st) == 0 && (st.st_mode & 0111) && S_ISREG(st.st_mode)) {
    /* a script run directly (#!/usr/bin/tcc -run); an executable bit alone is what some tarballs
     * give every source (tinyxml2 9.0.0), and the edit keeps the mode */
    char head[2] = {0};
    int fd = open(canon, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || read(fd, head, 2) < 0 || (head[0] == '#' && head[1] == '!'))
      why = "it is an executable script";
    if (fd >= 0)
      close(fd);
  }
  if (!why && (has(root, ".git", 0) || has(root, ".git", 1)) && git_ignored(root, canon))
    why = "git ignores it (a build output or generated file)";
  enum fix_status r = why ? fix_err_set(err, FIX_ERR_REFUSED, "fix does not edit %s: %s", rel, why) : FIX_OK;
  free(rel);
  return r;
}
