/* path.c — lexical path arithmetic and project-root containment.
 *
 * Containment is decided on canonical paths: the longest existing prefix of the target is passed
 * through realpath() (so a symlink pointing out of the tree is caught), the rest is appended
 * lexically after rejecting "..". */
#include "fix/base.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

char *fix_path_join(const char *a, const char *b) {
  if (b[0] == '/' || !a || !*a)
    return fix_strdup(b);
  size_t la = strlen(a);
  return fix_asprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *fix_cache_dir(const char *sub) {
  const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
  return x && *x ? fix_asprintf("%s/fix/%s", x, sub) : fix_asprintf("%s/.cache/fix/%s", h && *h ? h : "/tmp", sub);
}

char *fix_state_dir_for(const char *sub, const char *root) {
  const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
  const char *bn = strrchr(root, '/');
  bn = bn && bn[1] ? bn + 1 : "root";
  unsigned long long id = (unsigned long long)fix_hash64(root, strlen(root));
  return x && *x ? fix_asprintf("%s/fix/%s/%016llx-%s", x, sub, id, bn)
                 : fix_asprintf("%s/.local/state/fix/%s/%016llx-%s", h && *h ? h : "/tmp", sub, id, bn);
}

char *fix_path_normalize(const char *path) {
  size_t n = strlen(path);
  char *out = malloc(n + 2);
  if (!out)
    return NULL;
  int abs = path[0] == '/';
  size_t len = 0;
  size_t depth = 0; /* components we may pop with ".." */
  if (abs)
    out[len++] = '/';
  const char *p = path;
  while (*p) {
    while (*p == '/')
      p++;
    if (!*p)
      break;
    const char *e = strchr(p, '/');
    size_t cl = e ? (size_t)(e - p) : strlen(p);
    if (cl == 1 && p[0] == '.') {
      /* skip */
    } else if (cl == 2 && p[0] == '.' && p[1] == '.') {
      if (depth > 0) {
        /* drop last component */
        while (len > (size_t)abs && out[len - 1] != '/')
          len--;
        if (len > (size_t)abs)
          len--; /* the slash */
        depth--;
      } else if (!abs) {
        if (len && out[len - 1] != '/')
          out[len++] = '/';
        memcpy(out + len, "..", 2);
        len += 2;
      }
    } else {
      if (len > (size_t)abs || (!abs && len))
        if (out[len - 1] != '/')
          out[len++] = '/';
      memcpy(out + len, p, cl);
      len += cl;
      depth++;
    }
    p += cl;
  }
  if (len == 0)
    out[len++] = '.';
  out[len] = '\0';
  return out;
}

char *fix_path_dirname(const char *path) {
  const char *s = strrchr(path, '/');
  if (!s)
    return fix_strdup(".");
  if (s == path)
    return fix_strdup("/");
  return fix_strndup(path, (size_t)(s - path));
}

char *fix_path_relative(const char *root, const char *path) {
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    n--;
  if (strncmp(root, path, n) != 0)
    return NULL;
  if (path[n] == '\0')
    return fix_strdup(".");
  if (path[n] != '/' && !(n == 1 && root[0] == '/'))
    return NULL;
  return fix_strdup(path + (path[n] == '/' ? n + 1 : n));
}

enum fix_status fix_path_contain(const char *root, const char *base, const char *path, char **out,
                                 struct fix_err *err) {
  *out = NULL;
  char *joined = base && path[0] != '/' ? fix_path_join(base, path) : fix_strdup(path);
  if (!joined)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  /* A ".." component is refused outright: a fix has no business naming one. */
  for (const char *p = path; (p = strstr(p, "..")); p += 2) {
    int start = p == path || p[-1] == '/';
    int end = p[2] == '\0' || p[2] == '/';
    if (start && end) {
      free(joined);
      return fix_err_set(err, FIX_ERR_OUTSIDE_ROOT, "refusing path with '..': %s", path);
    }
  }
  char *norm = fix_path_normalize(joined);
  free(joined);
  if (!norm)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  /* Find the longest existing prefix and canonicalise it. */
  size_t cut = strlen(norm);
  char resolved[PATH_MAX];
  char *tail = NULL;
  for (;;) {
    char save = norm[cut];
    norm[cut] = '\0';
    char *r = realpath(cut ? norm : "/", resolved);
    norm[cut] = save;
    if (r) {
      tail = norm + cut;
      break;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
      enum fix_status rc = fix_err_errno(err, FIX_ERR_IO, "cannot resolve %s", norm);
      free(norm);
      return rc;
    }
    while (cut > 0 && norm[cut - 1] != '/')
      cut--;
    if (cut == 0)
      break;
    cut--; /* step over the slash */
    if (cut == 0) {
      strcpy(resolved, "/");
      tail = norm;
      break;
    }
  }
  char *canon = tail && *tail ? fix_path_join(resolved, tail + (*tail == '/')) : fix_strdup(resolved);
  free(norm);
  if (!canon)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  char *rel = fix_path_relative(root, canon);
  if (!rel) {
    enum fix_status rc = fix_err_set(err, FIX_ERR_OUTSIDE_ROOT, "%s is outside the project root %s", canon, root);
    free(canon);
    return rc;
  }
  free(rel);
  *out = canon;
  return FIX_OK;
}
