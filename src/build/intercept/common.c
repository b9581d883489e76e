/* common.c — compiler names and response files, shared by the preload library, the exec wrapper
 * and fix (see common.h). The name tests run inside other programs' exec calls, possibly in a
 * vfork child: they only read their arguments. */
#include "common.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RSP_MAX ((size_t)16 << 20)
#define RSP_DEPTH 8

const char *fix_ic_base(const char *p) {
  const char *b = strrchr(p, '/');
  return b ? b + 1 : p;
}

/* "" or "-" followed by digits and dots */
static int version_suffix(const char *s) {
  if (!*s)
    return 1;
  if (*s != '-' || !s[1])
    return 0;
  return strspn(s + 1, "0123456789.") == strlen(s + 1);
}

enum fix_ic_kind fix_ic_compiler(const char *name) {
  if (!name)
    return FIX_IC_NONE;
  const char *b = fix_ic_base(name);
  static const struct {
    const char *stem;
    enum fix_ic_kind kind;
  } stems[] = {{"clang++", FIX_IC_CC}, {"clang", FIX_IC_CC}, {"g++", FIX_IC_CC}, {"gcc", FIX_IC_CC},
               {"c++", FIX_IC_CC},     {"cc", FIX_IC_CC},    {"rustc", FIX_IC_RUSTC}};
  for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
    size_t sl = strlen(stems[i].stem);
    for (const char *hit = strstr(b, stems[i].stem); hit; hit = strstr(hit + 1, stems[i].stem))
      if ((hit == b || hit[-1] == '-') && version_suffix(hit + sl))
        return stems[i].kind;
  }
  return FIX_IC_NONE;
}

int fix_ic_is_launcher(const char *name) {
  if (!name)
    return 0;
  const char *b = fix_ic_base(name);
  return !strcmp(b, "ccache") || !strcmp(b, "sccache") || !strcmp(b, "distcc") || !strcmp(b, "icecc");
}

int fix_ic_compiler_index(const char *path, char *const argv[]) {
  if (!argv || !argv[0])
    return -1;
  if (fix_ic_compiler(path) || fix_ic_compiler(argv[0]))
    return 0;
  if ((fix_ic_is_launcher(path) || fix_ic_is_launcher(argv[0])) && argv[1] && fix_ic_compiler(argv[1]))
    return 1;
  return -1;
}

/* ---- response files ---- */

struct vec {
  char **v;
  size_t n, cap;
  int nomem;
};

static void push(struct vec *a, char *s) {
  if (!s) {
    a->nomem = 1;
    return;
  }
  if (a->n + 2 > a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 16;
    char **v = realloc(a->v, cap * sizeof *v);
    if (!v) {
      free(s);
      a->nomem = 1;
      return;
    }
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = s;
  a->v[a->n] = NULL;
}

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

static char *read_file(const char *cwd, const char *name, size_t *len) {
  char *path = NULL;
  if (name[0] != '/' && cwd) {
    size_t a = strlen(cwd), b = strlen(name);
    path = malloc(a + b + 2);
    if (!path)
      return NULL;
    memcpy(path, cwd, a);
    path[a] = '/';
    memcpy(path + a + 1, name, b + 1);
  }
  int fd = open(path ? path : name, O_RDONLY | O_CLOEXEC);
  free(path);
  if (fd < 0)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf)
      break;
    if (n + 1 >= cap) {
      if (cap >= RSP_MAX) {
        free(buf);
        buf = NULL;
        break;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0) {
      free(buf);
      buf = NULL;
      break;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  close(fd);
  if (buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

/* libiberty's buildargv: whitespace separates; ' and " group; a backslash escapes any byte. */
static void split_gcc(const char *t, size_t n, struct vec *out) {
  size_t i = 0;
  char *w = malloc(n + 1);
  if (!w) {
    out->nomem = 1;
    return;
  }
  while (i < n) {
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\f' || t[i] == '\v'))
      i++;
    if (i >= n)
      break;
    size_t k = 0;
    int sq = 0, dq = 0;
    for (; i < n; i++) {
      char c = t[i];
      if (!sq && !dq && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'))
        break;
      if (c == '\\' && i + 1 < n) {
        w[k++] = t[++i];
      } else if (c == '\'' && !dq) {
        sq = !sq;
      } else if (c == '"' && !sq) {
        dq = !dq;
      } else {
        w[k++] = c;
      }
    }
    push(out, dupn(w, k));
  }
  free(w);
}

/* rustc: one argument per line */
static void split_lines(const char *t, size_t n, struct vec *out) {
  size_t i = 0;
  while (i < n) {
    const char *nl = memchr(t + i, '\n', n - i);
    size_t len = nl ? (size_t)(nl - (t + i)) : n - i;
    push(out, dupn(t + i, len));
    i += len + 1;
  }
}

static void expand(char *const argv[], const char *cwd, enum fix_ic_kind kind, int depth, struct vec *out) {
  for (size_t i = 0; argv[i] && !out->nomem; i++) {
    const char *a = argv[i];
    if (i == 0 && depth == 0) {
      push(out, strdup(a));
      continue;
    }
    if (a[0] != '@' || !a[1] || depth >= RSP_DEPTH) {
      push(out, strdup(a));
      continue;
    }
    int shell = kind == FIX_IC_RUSTC && !strncmp(a + 1, "shell:", 6);
    const char *name = shell ? a + 7 : a + 1;
    size_t len = 0;
    char *text = read_file(cwd, name, &len);
    if (!text) {
      push(out, strdup(a));
      continue;
    }
    struct vec words = {0};
    if (kind == FIX_IC_RUSTC && !shell)
      split_lines(text, len, &words);
    else
      split_gcc(text, len, &words);
    free(text);
    if (words.nomem) {
      out->nomem = 1;
    } else if (words.v) {
      if (kind == FIX_IC_RUSTC) { /* rustc's argfiles do not nest */
        for (size_t k = 0; k < words.n; k++)
          push(out, strdup(words.v[k]));
      } else {
        expand(words.v, cwd, kind, depth + 1, out);
      }
    }
    fix_ic_free_argv(words.v);
  }
}

char **fix_ic_expand_argv(char *const argv[], const char *cwd, enum fix_ic_kind kind) {
  struct vec out = {0};
  expand(argv, cwd, kind, 0, &out);
  if (out.nomem || !out.v) {
    fix_ic_free_argv(out.v);
    return NULL;
  }
  return out.v;
}

void fix_ic_free_argv(char **argv) {
  for (size_t i = 0; argv && argv[i]; i++)
    free(argv[i]);
  free(argv);
}
