/* repairs.c — repairs no compiler offers, generated without a model: for the common error classes
 * the diagnostic and the code already determine a few plausible edits. One table maps messages
 * (gcc's and clang's wording) to generators; each generator proposes ranked single edits, and the
 * session checks them like the compiler's unsafe fix-its (kept only when the error goes and nothing
 * new appears; among equals, the best ranked). Nothing here edits: a wrong guess costs a check.
 *
 * Classes: a missing #include (the standard library table, then the project's headers), a
 * misspelled name (identifiers of the file and the headers it includes, C keywords; members of the
 * struct named), a local variable assigned but never declared (declared there with the type of
 * what it is assigned), and a call with too many arguments (each one dropped, the last first). */
#include "repairs.h"

#include "fix/base.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen {
  const struct repair_env *env;
  const struct fix_diag *d;
  const char *path, *t;
  size_t n;
  size_t off; /* the diagnostic's byte offset */
  int cxx;
  struct repair_list *out;
};

static int ident_char(int c) { return isalnum(c) || c == '_'; }

static void add(struct gen *g, const char *file, int rank, size_t a, size_t b, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static void add(struct gen *g, const char *file, int rank, size_t a, size_t b, const char *text, const char *fmt, ...) {
  for (size_t i = 0; i < g->out->n; i++) /* the same edit twice: keep the better rank */
    if (!strcmp(g->out->v[i].file, file) && g->out->v[i].start == a && g->out->v[i].end == b &&
        !strcmp(g->out->v[i].text, text))
      return;
  struct repair *v = realloc(g->out->v, (g->out->n + 1) * sizeof *v);
  if (!v)
    return;
  g->out->v = v;
  char why[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  v[g->out->n++] = (struct repair){fix_strdup(file), a, b, fix_strdup(text), fix_strdup(why), rank};
}

/* The n-th quoted name of the message ('...'), into buf; 0 when there is none. */
static int quoted(const char *msg, int nth, char *buf, size_t cap) {
  const char *p = msg;
  for (int k = 0; p && *p; k++) {
    const char *a = strchr(p, '\'');
    const char *b = a ? strchr(a + 1, '\'') : NULL;
    if (!b)
      return 0;
    if (k == nth) {
      size_t n = (size_t)(b - a - 1);
      if (!n || n >= cap)
        return 0;
      memcpy(buf, a + 1, n);
      buf[n] = '\0';
      return 1;
    }
    p = b + 1;
  }
  return 0;
}

static int is_ident(const char *s) {
  if (!*s || isdigit((unsigned char)*s))
    return 0;
  for (; *s; s++)
    if (!ident_char((unsigned char)*s))
      return 0;
  return 1;
}

/* The whole-word occurrence of name at or after `from` on from's line (or the line's first one
 * before it), as a byte offset; -1 when none. */
static long find_on_line(const char *t, size_t n, size_t from, const char *name) {
  size_t nl = strlen(name), ls = from, le = from;
  while (ls && t[ls - 1] != '\n')
    ls--;
  while (le < n && t[le] != '\n')
    le++;
  long best = -1;
  for (size_t i = ls; i + nl <= le; i++)
    if (!memcmp(t + i, name, nl) && (i == 0 || !ident_char((unsigned char)t[i - 1])) &&
        (i + nl >= n || !ident_char((unsigned char)t[i + nl]))) {
      if (i >= from)
        return (long)i;
      if (best < 0)
        best = (long)i;
    }
  return best;
}

int repair_distance(const char *a, size_t an, const char *b, size_t bn, int cap) {
  if ((an > bn ? an - bn : bn - an) > (size_t)cap || an > 63 || bn > 63)
    return cap + 1;
  int d[64][64];
  for (size_t i = 0; i <= an; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= bn; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= an; i++)
    for (size_t j = 1; j <= bn; j++) {
      int c = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v)
        v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + c < v)
        v = d[i - 1][j - 1] + c;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[an][bn] > cap ? cap + 1 : d[an][bn];
}

/* ---- missing #include ---------------------------------------------------------------------- */

/* The line starting at p is a preprocessor directive named `dir` ("include", "if" ...). */
static int directive(const char *t, size_t n, size_t p, const char *dir) {
  while (p < n && (t[p] == ' ' || t[p] == '\t'))
    p++;
  if (p >= n || t[p] != '#')
    return 0;
  p++;
  while (p < n && (t[p] == ' ' || t[p] == '\t'))
    p++;
  size_t k = strlen(dir);
  return p + k <= n && !memcmp(t + p, dir, k) && (p + k == n || !ident_char((unsigned char)t[p + k]));
}

static size_t line_end(const char *t, size_t n, size_t p) {
  while (p < n && t[p] != '\n')
    p++;
  return p < n ? p + 1 : n;
}

/* Where `#include <hdr>` (angle) or "hdr" goes: among the file-scope includes before `limit`, in
 * sorted position when that block is sorted, else after the last; with none, after an include
 * guard, else at the top. */
static size_t include_point(const char *t, size_t n, size_t limit, int angle, const char *hdr) {
  int depth = 0, guard = 0;
  size_t after_guard = 0, last = (size_t)-1, sorted_at = (size_t)-1;
  int sorted = 1;
  char prev[256] = "";
  for (size_t p = 0, first = 1; p < n && p <= limit; first = 0) {
    size_t e = line_end(t, n, p);
    if (directive(t, n, p, "ifndef") && first) {
      size_t e2 = line_end(t, n, e);
      if (directive(t, n, e, "define")) {
        guard = 1, after_guard = e2;
        depth = 1;
        p = e2;
        continue;
      }
    }
    if (directive(t, n, p, "if") || directive(t, n, p, "ifdef") || directive(t, n, p, "ifndef"))
      depth++;
    else if (directive(t, n, p, "endif"))
      depth--;
    else if (depth == guard && directive(t, n, p, "include")) {
      const char *q = memchr(t + p, angle ? '<' : '"', e - p);
      if (q) {
        const char *qe = memchr(q + 1, angle ? '>' : '"', (size_t)(t + e - q - 1));
        if (qe && (size_t)(qe - q - 1) < sizeof prev) {
          char cur[256];
          memcpy(cur, q + 1, (size_t)(qe - q - 1));
          cur[qe - q - 1] = '\0';
          if (strcmp(prev, cur) > 0)
            sorted = 0;
          if (sorted_at == (size_t)-1 && strcmp(hdr, cur) < 0)
            sorted_at = p;
          snprintf(prev, sizeof prev, "%s", cur);
        }
      }
      last = e;
    }
    p = e;
  }
  if (last != (size_t)-1)
    return sorted && sorted_at != (size_t)-1 ? sorted_at : last;
  return guard ? after_guard : 0;
}

static int has_include(const char *t, size_t n, const char *hdr) {
  size_t k = strlen(hdr);
  for (size_t p = 0; p < n; p = line_end(t, n, p))
    if (directive(t, n, p, "include")) {
      size_t e = line_end(t, n, p);
      for (size_t i = p; i + k <= e; i++)
        if (!memcmp(t + i, hdr, k) && (t[i + k] == '>' || t[i + k] == '"'))
          return 1;
    }
  return 0;
}

static void add_include(struct gen *g, int rank, int angle, const char *hdr, const char *name) {
  if (has_include(g->t, g->n, hdr))
    return;
  size_t at = include_point(g->t, g->n, g->off, angle, hdr);
  int crlf = memchr(g->t, '\r', g->n < 4096 ? g->n : 4096) != NULL;
  char line[300];
  snprintf(line, sizeof line, "#include %c%s%c%s", angle ? '<' : '"', hdr, angle ? '>' : '"', crlf ? "\r\n" : "\n");
  add(g, g->path, rank, at, at, line, "#include %c%s%c for '%s'", angle ? '<' : '"', hdr, angle ? '>' : '"', name);
}

/* Does header text h declare `name` at file scope: a struct/union/enum tag, a typedef, a macro,
 * a function prototype or an extern variable? */
static int declares(const char *h, size_t n, const char *name, int tag) {
  size_t k = strlen(name);
  for (size_t i = 0; i + k <= n; i++) {
    const char *hit = memmem(h + i, n - i, name, k);
    if (!hit)
      return 0;
    i = (size_t)(hit - h);
    if ((i && ident_char((unsigned char)h[i - 1])) || (i + k < n && ident_char((unsigned char)h[i + k])))
      continue;
    size_t ls = i;
    while (ls && h[ls - 1] != '\n')
      ls--;
    size_t j = i + k;
    while (j < n && (h[j] == ' ' || h[j] == '\t'))
      j++;
    char next = j < n ? h[j] : '\0';
    const char *before = h + ls;
    size_t blen = i - ls;
    if (tag) { /* struct NAME { ... */
      if (blen >= 7 && (!memcmp(h + i - 7, "struct ", 7) || !memcmp(h + i - 6, "union ", 6) ||
                        !memcmp(h + i - 5, "enum ", 5)) && (next == '{' || next == '\n' || next == '\r'))
        return 1;
      if (blen >= 6 && (!memcmp(h + i - 6, "union ", 6) || !memcmp(h + i - 5, "enum ", 5)) && next == '{')
        return 1;
      continue;
    }
    if (blen && before[0] == '#' && strstr(before, "define") && strstr(before, "define") < h + i)
      return 1; /* #define NAME */
    if (next == ';' && (blen >= 2 && (h[i - 2] == '}' || h[i - 1] == ' ' || h[i - 1] == '*')) &&
        (ls == i - blen) && (before[0] == '}' || !strncmp(before, "typedef", 7) || !strncmp(before, "extern", 6)))
      return 1; /* } NAME; typedef ... NAME; extern ... NAME; */
    if (next == '(' && blen && !isspace((unsigned char)before[0]) && before[0] != '#' && before[0] != '/' &&
        !memchr(before, '=', blen) && !memchr(before, '(', blen)) {
      /* a prototype: a file-scope line with a type before the name, ending in ';' */
      size_t e = j;
      int depth = 0;
      while (e < n && !(depth == 0 && (h[e] == ';' || h[e] == '{'))) {
        depth += h[e] == '(' ? 1 : h[e] == ')' ? -1 : 0;
        e++;
      }
      if (e < n && h[e] == ';')
        return 1;
    }
  }
  return 0;
}

static char *path_under(const char *path, const char *dir) {
  size_t k = strlen(dir);
  while (k > 1 && dir[k - 1] == '/')
    k--;
  if (strncmp(path, dir, k) || path[k] != '/')
    return NULL;
  return fix_strdup(path + k + 1);
}

static void include_project(struct gen *g, int rank, const char *name, int tag) {
  if (!g->env->headers || !g->env->read)
    return;
  char *dir = fix_strdup(g->path);
  char *slash = dir ? strrchr(dir, '/') : NULL;
  if (slash)
    *slash = '\0';
  int found = 0;
  for (size_t i = 0; g->env->headers[i] && found < 3; i++) {
    const char *h = g->env->headers[i];
    if (!strcmp(h, g->path))
      continue;
    const char *text;
    size_t len;
    if (g->env->read(g->env->ud, h, &text, &len) || !declares(text, len, name, tag))
      continue;
    char *rel = dir ? path_under(h, dir) : NULL; /* the shortest spelling: beside the file or under a -I */
    for (size_t k = 0; g->env->include_dirs && g->env->include_dirs[k]; k++) {
      char *r = path_under(h, g->env->include_dirs[k]);
      if (r && (!rel || strlen(r) < strlen(rel))) {
        free(rel);
        rel = r;
      } else {
        free(r);
      }
    }
    if (rel) {
      add_include(g, rank + found, 0, rel, name);
      found++;
    }
    free(rel);
  }
  free(dir);
}

static void gen_include(struct gen *g, const char *name, int qualified, int tag) {
  const char *h = tag ? NULL : repair_std_header(name, g->cxx, qualified);
  if (h)
    add_include(g, 0, 1, h, name);
  if (!qualified)
    include_project(g, 1, name, tag);
}

/* ---- misspelled names ------------------------------------------------------------------------ */

static const char *const c_keywords[] = {"return", "break", "continue", "while", "for", "if", "else", "sizeof",
                                         "struct", "typedef", "static", "const", "unsigned", "signed", "switch",
                                         "case", "default", "goto", "void", "int", "char", "long", "short",
                                         "double", "float", "enum", "union", "extern", "volatile", NULL};

struct namecount {
  char name[64];
  int n;
};

static void count_names(const char *t, size_t n, struct namecount **v, size_t *nv) {
  for (size_t i = 0; i < n;) {
    if (!(isalpha((unsigned char)t[i]) || t[i] == '_') || (i && ident_char((unsigned char)t[i - 1]))) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && ident_char((unsigned char)t[j]))
      j++;
    size_t k = j - i;
    if (k >= 2 && k < 64) {
      size_t f = 0;
      while (f < *nv && (strlen((*v)[f].name) != k || memcmp((*v)[f].name, t + i, k)))
        f++;
      if (f == *nv) {
        struct namecount *w = realloc(*v, (*nv + 1) * sizeof *w);
        if (!w)
          return;
        *v = w;
        memcpy(w[f].name, t + i, k);
        w[f].name[k] = '\0';
        w[f].n = 0;
        (*nv)++;
      }
      (*v)[f].n++;
    }
    i = j;
  }
}

/* Candidates for `name` among `names`: distance <= 1 (names up to 4 bytes) or 2, or one a prefix
 * of the other (len for length); ranked by distance, then how often the name is used. */
static void add_similar(struct gen *g, long at, const char *name, const struct namecount *v, size_t nv,
                        const char *kind, int base) {
  size_t k = strlen(name);
  int cap = k <= 4 ? 1 : 2;
  for (size_t i = 0; i < nv; i++) {
    if (!strcmp(v[i].name, name))
      continue;
    size_t m = strlen(v[i].name);
    int d = repair_distance(name, k, v[i].name, m, cap);
    int prefix = k >= 3 && m >= 3 && (!strncmp(name, v[i].name, k < m ? k : m));
    if (d > cap && !prefix)
      continue;
    int rank = base + (d <= cap ? d : cap + 1) * 100 - (v[i].n > 50 ? 50 : v[i].n);
    add(g, g->path, rank, (size_t)at, (size_t)at + k, v[i].name, "'%s' for '%s' (%s)", v[i].name, name, kind);
  }
}

static void gen_typo(struct gen *g, const char *name, int base) {
  long at = find_on_line(g->t, g->n, g->off, name);
  if (at < 0)
    return;
  struct namecount *v = NULL;
  size_t nv = 0;
  count_names(g->t, (size_t)at, &v, &nv); /* names used before it */
  count_names(g->t + at + strlen(name), g->n - (size_t)at - strlen(name), &v, &nv);
  /* and the project headers this file includes (by base name) */
  for (size_t i = 0; g->env->headers && g->env->headers[i]; i++) {
    const char *b = strrchr(g->env->headers[i], '/');
    b = b ? b + 1 : g->env->headers[i];
    char pat[300];
    snprintf(pat, sizeof pat, "%s\"", b);
    const char *text;
    size_t len;
    if (strstr(g->t, pat) && !g->env->read(g->env->ud, g->env->headers[i], &text, &len))
      count_names(text, len, &v, &nv);
  }
  for (size_t i = 0; c_keywords[i]; i++) {
      struct namecount *w = realloc(v, (nv + 1) * sizeof *w);
      if (!w)
        break;
      v = w;
      snprintf(v[nv].name, sizeof v[nv].name, "%s", c_keywords[i]);
      v[nv++].n = 1;
    }
  add_similar(g, at, name, v, nv, "a name in scope", base);
  free(v);
}

/* The member names of `struct tag` (or a typedef of it) declared in text: the last identifier of
 * each declarator between the braces. */
static void members_of(const char *t, size_t n, const char *tag, struct namecount **v, size_t *nv) {
  size_t k = strlen(tag);
  for (size_t i = 0; i + k < n; i++) {
    if (memcmp(t + i, tag, k) || (i && ident_char((unsigned char)t[i - 1])) || ident_char((unsigned char)t[i + k]))
      continue;
    size_t j = i + k;
    while (j < n && isspace((unsigned char)t[j]))
      j++;
    if (j >= n || t[j] != '{')
      continue;
    int depth = 0;
    size_t e = j;
    for (; e < n; e++) {
      depth += t[e] == '{' ? 1 : t[e] == '}' ? -1 : 0;
      if (!depth)
        break;
    }
    /* declarators end at ',' or ';' (depth 1): the identifier before any '[' or ':' */
    size_t p = j + 1;
    depth = 0;
    for (size_t q = j + 1; q < e; q++) {
      if (t[q] == '{' || t[q] == '(')
        depth++;
      else if (t[q] == '}' || t[q] == ')')
        depth--;
      if (depth || (t[q] != ',' && t[q] != ';'))
        continue;
      size_t end = q;
      for (size_t r = p; r < q; r++)
        if (t[r] == '[' || t[r] == ':') {
          end = r;
          break;
        }
      while (end > p && !ident_char((unsigned char)t[end - 1]))
        end--;
      size_t s = end;
      while (s > p && ident_char((unsigned char)t[s - 1]))
        s--;
      if (end > s && end - s < 64) {
        struct namecount *w = realloc(*v, (*nv + 1) * sizeof *w);
        if (!w)
          return;
        *v = w;
        memcpy(w[*nv].name, t + s, end - s);
        w[*nv].name[end - s] = '\0';
        w[(*nv)++].n = 1;
      }
      p = q + 1;
    }
    return;
  }
}

static void gen_member(struct gen *g, const char *type, const char *member) {
  /* "struct vec" (gcc may add {aka 'struct vec'}): the tag's declaration in the file or a header */
  while (!strncmp(type, "const ", 6) || !strncmp(type, "volatile ", 9))
    type = strchr(type, ' ') + 1;
  const char *tag = strncmp(type, "struct ", 7) == 0 ? type : NULL;
  if (!tag && !strncmp(type, "union ", 6))
    tag = type;
  if (!tag)
    return;
  struct namecount *v = NULL;
  size_t nv = 0;
  members_of(g->t, g->n, tag, &v, &nv);
  for (size_t i = 0; !nv && g->env->headers && g->env->headers[i]; i++) {
    const char *text;
    size_t len;
    if (!g->env->read(g->env->ud, g->env->headers[i], &text, &len))
      members_of(text, len, tag, &v, &nv);
  }
  long at = find_on_line(g->t, g->n, g->off, member);
  if (at >= 0)
    add_similar(g, at, member, v, nv, "a member", 0);
  free(v);
}

/* ---- a local variable assigned but not declared ------------------------------------------------ */

/* The declared type of `name` in t before `limit` ("const char", stars): the last declaration-like
 * occurrence (type words, stars, the name, then one of = ; , ) [). */
static int type_of(const char *t, size_t limit, const char *name, char *type, size_t cap, int *stars, int *array) {
  size_t k = strlen(name);
  int found = 0;
  for (size_t i = 0; i + k <= limit; i++) {
    if (memcmp(t + i, name, k) || (i && ident_char((unsigned char)t[i - 1])) || ident_char((unsigned char)t[i + k]))
      continue;
    size_t j = i + k;
    while (j < limit && (t[j] == ' ' || t[j] == '\t'))
      j++;
    if (j >= limit || !strchr("=;,)[", t[j]))
      continue;
    size_t p = i;
    int st = 0;
    while (p && (t[p - 1] == ' ' || t[p - 1] == '\t' || t[p - 1] == '*'))
      st += t[--p] == '*';
    size_t e = p;
    while (p && (ident_char((unsigned char)t[p - 1]) || t[p - 1] == ' ' || t[p - 1] == '\t'))
      p--;
    while (p < e && (t[p] == ' ' || t[p] == '\t'))
      p++;
    if (e <= p || e - p >= cap)
      continue;
    char words[128];
    memcpy(words, t + p, e - p);
    words[e - p] = '\0';
    if (!strncmp(words, "return", 6) || !strncmp(words, "else", 4) || !strncmp(words, "case", 4) ||
        !strncmp(words, "goto", 4) || !isalpha((unsigned char)words[0]))
      continue;
    snprintf(type, cap, "%s", words);
    *stars = st;
    *array = t[j] == '[';
    found = 1;
  }
  return found;
}

static void gen_declare(struct gen *g, const char *name) {
  long at = find_on_line(g->t, g->n, g->off, name);
  if (at < 0)
    return;
  /* a statement start (or a for's init) followed by a plain '=' */
  size_t p = (size_t)at;
  while (p && (g->t[p - 1] == ' ' || g->t[p - 1] == '\t' || g->t[p - 1] == '\n' || g->t[p - 1] == '\r'))
    p--;
  int stmt = p == 0 || strchr(";{}", g->t[p - 1]);
  int for_init = p && g->t[p - 1] == '(' && p >= 4 && !memcmp(g->t + p - 4, "for", 3);
  if (!stmt && !for_init)
    return;
  size_t q = (size_t)at + strlen(name);
  while (q < g->n && (g->t[q] == ' ' || g->t[q] == '\t'))
    q++;
  if (q >= g->n || g->t[q] != '=' || (q + 1 < g->n && g->t[q + 1] == '='))
    return;
  /* the type of what it is assigned: the first identifier of the right side, declared earlier */
  size_t r = q + 1;
  while (r < g->n && isspace((unsigned char)g->t[r]))
    r++;
  char rhs[64] = "";
  size_t re = r;
  while (re < g->n && ident_char((unsigned char)g->t[re]) && re - r < sizeof rhs - 1)
    re++;
  memcpy(rhs, g->t + r, re - r);
  rhs[re - r] = '\0';
  int rank = 0;
  char type[128];
  int stars = 0, array = 0;
  if (is_ident(rhs) && type_of(g->t, (size_t)at, rhs, type, sizeof type, &stars, &array)) {
    size_t x = re;
    while (x < g->n && g->t[x] == ' ')
      x++;
    int indexed = x < g->n && g->t[x] == '[';
    if (indexed) { /* an element: one star or the array less */
      if (stars)
        stars--;
      else if (!array)
        indexed = -1;
    }
    char *ty = type;
    if (indexed && !stars && !strncmp(ty, "const ", 6))
      ty += 6; /* a copied element need not stay const */
    if (indexed >= 0) {
      char decl[200];
      snprintf(decl, sizeof decl, "%s %.*s", ty, stars, "********");
      add(g, g->path, rank++, (size_t)at, (size_t)at, decl, "declare '%s' as %s%s%.*s (the type of '%s%s')", name, ty,
          stars ? " " : "", stars, "********", rhs, indexed ? "[...]" : "");
    }
  }
  static const char *const fallback[] = {"int ", "double ", "char *", "size_t ", "long ", NULL};
  for (size_t i = 0; fallback[i]; i++)
    add(g, g->path, 10 + rank + (int)i, (size_t)at, (size_t)at, fallback[i], "declare '%s' as %.*s", name,
        (int)strcspn(fallback[i], " "), fallback[i]);
}

/* ---- too many arguments -------------------------------------------------------------------- */

static void gen_drop_arg(struct gen *g, const char *fn) {
  long at = find_on_line(g->t, g->n, g->off, fn);
  if (at < 0)
    return;
  size_t p = (size_t)at + strlen(fn);
  while (p < g->n && isspace((unsigned char)g->t[p]))
    p++;
  if (p >= g->n || g->t[p] != '(')
    return;
  size_t starts[32], ends[32], na = 0, a = p + 1;
  int depth = 0;
  for (size_t q = p + 1; q < g->n && na < 32; q++) {
    char c = g->t[q];
    if (c == '"' || c == '\'') { /* skip a literal */
      for (q++; q < g->n && g->t[q] != c; q++)
        q += g->t[q] == '\\';
      continue;
    }
    if (c == '(' || c == '[' || c == '{')
      depth++;
    else if ((c == ')' || c == ']' || c == '}') && depth)
      depth--;
    else if (!depth && (c == ',' || c == ')')) {
      starts[na] = a, ends[na++] = q;
      a = q + 1;
      if (c == ')')
        break;
    }
  }
  if (na < 2)
    return;
  for (size_t i = na; i-- > 0;) {
    /* drop argument i with the comma before it (the first: with the comma after it) */
    size_t s = i ? ends[i - 1] : starts[0], e = i ? ends[i] : starts[1];
    while (i == 0 && e < g->n && g->t[e] == ' ')
      e++;
    char arg[64];
    size_t al = ends[i] - starts[i];
    snprintf(arg, sizeof arg, "%.*s", (int)(al < 60 ? al : 60), g->t + starts[i]);
    char *trim = arg;
    while (*trim == ' ')
      trim++;
    add(g, g->path, (int)(na - 1 - i), s, e, "", "drop argument %zu ('%s') of %s()", i + 1, trim, fn);
  }
}

/* ---- const, return types ---------------------------------------------------------------------- */

static int type_word(const char *w, size_t n) {
  static const char *const ws[] = {"sizetype", "long", "unsigned", "int", "char", "short", "signed", "const",
                                   "double", "float", "struct", NULL};
  for (size_t i = 0; ws[i]; i++)
    if (strlen(ws[i]) == n && !memcmp(ws[i], w, n))
      return 1;
  return 0;
}

/* The first identifier of s[0..n) that is not a type word. */
static int first_ident(const char *s, size_t n, char *buf, size_t cap) {
  for (size_t i = 0; i < n; i++) {
    if (!(isalpha((unsigned char)s[i]) || s[i] == '_') || (i && ident_char((unsigned char)s[i - 1])))
      continue;
    size_t j = i;
    while (j < n && ident_char((unsigned char)s[j]))
      j++;
    if (!type_word(s + i, j - i) && j - i < cap) {
      memcpy(buf, s + i, j - i);
      buf[j - i] = '\0';
      return 1;
    }
    i = j;
  }
  return 0;
}

/* "assignment of read-only location '*s'": the const of the declaration written through dropped. */
static void gen_unconst(struct gen *g) {
  char name[64], q[256];
  int ok = quoted(g->d->message, 0, q, sizeof q) && first_ident(q, strlen(q), name, sizeof name);
  if (!ok) { /* clang names nothing: the target left of the operator at the position */
    size_t ls = g->off;
    while (ls && g->t[ls - 1] != '\n')
      ls--;
    ok = first_ident(g->t + ls, g->off - ls, name, sizeof name);
  }
  if (!ok)
    return;
  size_t k = strlen(name);
  for (size_t i = g->off; i-- > 0;) { /* the nearest declaration before it that says const */
    if (memcmp(g->t + i, name, k) || (i && ident_char((unsigned char)g->t[i - 1])) ||
        ident_char((unsigned char)g->t[i + k]))
      continue;
    size_t b = i;
    while (b && !strchr("(,;{}", g->t[b - 1]))
      b--;
    for (size_t c = b; c + 6 <= i; c++)
      if (!memcmp(g->t + c, "const", 5) && (c == 0 || !ident_char((unsigned char)g->t[c - 1])) &&
          !ident_char((unsigned char)g->t[c + 5])) {
        size_t e = c + 5;
        while (e < i && g->t[e] == ' ')
          e++;
        add(g, g->path, 0, c, e, "", "drop the const of '%s' (it is written through)", name);
        return;
      }
  }
}

/* "passing 'const T' as 'this' argument discards qualifiers": const on the member function the
 * note points at. */
static void gen_const_method(struct gen *g) {
  char name[128];
  const struct fix_diag *note = NULL;
  for (size_t i = 0; i < g->d->nnotes && !note; i++)
    if (g->d->notes[i].pos.file && g->d->notes[i].pos.line > 0)
      note = &g->d->notes[i];
  if (!note)
    return;
  if (strstr(g->d->message, "member function '")) {
    if (!quoted(strstr(g->d->message, "member function '"), 0, name, sizeof name))
      return;
  } else if (!note->message || !quoted(note->message, 0, name, sizeof name)) {
    return;
  } else { /* 'int C::total()' */
    char *paren = strchr(name, '(');
    if (!paren)
      return;
    *paren = '\0';
    char *c = strrchr(name, ':');
    char *sp = strrchr(name, ' ');
    char *start = c ? c + 1 : sp ? sp + 1 : name;
    memmove(name, start, strlen(start) + 1);
  }
  if (!is_ident(name))
    return;
  const char *t = g->t;
  size_t n = g->n;
  if (strcmp(note->pos.file, g->path) && (!g->env->read || g->env->read(g->env->ud, note->pos.file, &t, &n)))
    return;
  long off = fix_text_offset(t, n, note->pos.line, note->pos.col > 0 ? note->pos.col : 1);
  if (off < 0)
    return;
  long at = find_on_line(t, n, (size_t)off, name);
  if (at < 0)
    return;
  size_t p = (size_t)at + strlen(name);
  while (p < n && isspace((unsigned char)t[p]))
    p++;
  if (p >= n || t[p] != '(')
    return;
  int depth = 0;
  for (; p < n; p++) {
    depth += t[p] == '(' ? 1 : t[p] == ')' ? -1 : 0;
    if (!depth)
      break;
  }
  if (p >= n)
    return;
  add(g, note->pos.file, 0, p + 1, p + 1, " const", "'%s' made const (it is called on a const object)", name);
}

static void gen_return(struct gen *g, int implicit_int) {
  if (implicit_int) { /* "return type defaults to 'int'": at the function's name */
    long at = g->off;
    if (at >= 0 && ident_char((unsigned char)g->t[at]))
      add(g, g->path, 0, (size_t)at, (size_t)at, "int ", "the return type 'int' written out");
    return;
  }
  /* "'return' with a value, in function returning void": the value dropped */
  long at = find_on_line(g->t, g->n, g->off, "return");
  if (at < 0)
    return;
  size_t e = (size_t)at + 6;
  while (e < g->n && g->t[e] != ';' && g->t[e] != '\n')
    e++;
  if (e < g->n && g->t[e] == ';')
    add(g, g->path, 0, (size_t)at, e + 1, "return;", "the value returned from a void function dropped");
}

/* ---- more C and C++ classes ------------------------------------------------------------------- */

static size_t line_start(const char *t, size_t p) {
  while (p && t[p - 1] != '\n')
    p--;
  return p;
}

static size_t line_stop(const char *t, size_t n, size_t p) {
  while (p < n && t[p] != '\n')
    p++;
  return p;
}

/* The first note that has a place, or NULL. */
static const struct fix_diag *placed_note(const struct fix_diag *d) {
  for (size_t i = 0; i < d->nnotes; i++)
    if (d->notes[i].pos.file && d->notes[i].pos.line > 0)
      return &d->notes[i];
  return NULL;
}

/* "assignment to 'int *' from 'int' makes pointer from integer": the pointer's target written */
static void gen_deref(struct gen *g) {
  size_t ls = line_start(g->t, g->off), p = g->off;
  while (p > ls && g->t[p] != '=') /* the '=' at or before the position */
    p--;
  if (g->t[p] != '=')
    return;
  size_t e = p;
  while (e > ls && isspace((unsigned char)g->t[e - 1]))
    e--;
  size_t b = e;
  while (b > ls && (ident_char((unsigned char)g->t[b - 1]) || g->t[b - 1] == '.' || g->t[b - 1] == '>' ||
                    (g->t[b - 1] == '-' && b < e && g->t[b] == '>')))
    b--;
  if (b == e || !(isalpha((unsigned char)g->t[b]) || g->t[b] == '_'))
    return;
  add(g, g->path, 0, b, b, "*", "'*%.*s = ...' (the pointer's target assigned)", (int)(e - b), g->t + b);
}

/* "format '%d' expects argument of type 'int *', but argument 3 has type 'int'": its address */
static void gen_address(struct gen *g) {
  if (!strstr(g->d->message, " *'") && !strstr(g->d->message, " *',"))
    return;
  size_t p = g->off;
  const char *an = strstr(g->d->message, "but argument ");
  if (an) { /* gcc points into the format: argument N of the call around it */
    int want = atoi(an + 13), depth = 0;
    while (p > 0 && !(g->t[p - 1] == '(' && depth == 0)) {
      p--;
      depth += g->t[p] == ')' ? 1 : g->t[p] == '(' ? -1 : 0;
    }
    if (!p || want < 1)
      return;
    int k = 1;
    depth = 0;
    for (; p < g->n && k < want; p++) {
      char c = g->t[p];
      if (c == '"') {
        for (p++; p < g->n && g->t[p] != '"'; p++)
          p += g->t[p] == '\\';
        continue;
      }
      depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
      if (depth < 0)
        return;
      if (!depth && c == ',')
        k++;
    }
    while (p < g->n && g->t[p] == ' ')
      p++;
  }
  if (p >= g->n || !(isalpha((unsigned char)g->t[p]) || g->t[p] == '_'))
    return;
  size_t e = p;
  while (e < g->n && (ident_char((unsigned char)g->t[e]) || g->t[e] == '.' || g->t[e] == '[' || g->t[e] == ']'))
    e++;
  add(g, g->path, 0, p, p, "&", "'&%.*s' (the format wants a pointer)", (int)(e - p), g->t + p);
}

/* A string literal of one character ("x", "\0") on the line from `from`: its range. */
static int one_char_literal(const char *t, size_t n, size_t from, size_t *a, size_t *b) {
  size_t le = line_stop(t, n, from);
  for (size_t p = from; p < le; p++)
    if (t[p] == '"') {
      size_t q = p + 1;
      if (q < le && t[q] == '\\')
        q++;
      if (q + 1 < le && t[q + 1] == '"' && t[q] != '"') {
        *a = p, *b = q + 2;
        return 1;
      }
      return 0;
    }
  return 0;
}

static void char_literal(struct gen *g, size_t from, int rank) {
  size_t a, b;
  if (!one_char_literal(g->t, g->n, from, &a, &b))
    return;
  char lit[8];
  snprintf(lit, sizeof lit, "'%.*s'", (int)(b - a - 2), g->t + a + 1);
  add(g, g->path, rank, a, b, lit, "%s for %.*s (a character, not a string)", lit, (int)(b - a), g->t + a);
}

/* "comparison with string literal": a character, or strcmp */
static void gen_string_compare(struct gen *g) {
  size_t ls = line_start(g->t, g->off), le = line_stop(g->t, g->n, g->off);
  size_t op = (size_t)-1;
  for (size_t p = g->off > ls + 4 ? g->off - 4 : ls; p + 1 < le; p++)
    if ((g->t[p] == '=' || g->t[p] == '!') && g->t[p + 1] == '=') {
      op = p;
      break;
    }
  if (op == (size_t)-1)
    return;
  char_literal(g, op, 0);
  /* strcmp(lhs, "lit") == 0: the left operand back to an opening or an assignment */
  size_t e = op;
  while (e > ls && g->t[e - 1] == ' ')
    e--;
  size_t b = e;
  while (b > ls && (ident_char((unsigned char)g->t[b - 1]) || strchr(".[]>-", g->t[b - 1])))
    b--;
  size_t r = op + 2;
  while (r < le && g->t[r] == ' ')
    r++;
  if (b == e || r >= le || g->t[r] != '"')
    return;
  size_t re = r + 1;
  while (re < le && g->t[re] != '"')
    re += g->t[re] == '\\' ? 2 : 1;
  if (re >= le)
    return;
  re++;
  char *x = fix_asprintf("strcmp(%.*s, %.*s) %c= 0", (int)(e - b), g->t + b, (int)(re - r), g->t + r, g->t[op]);
  if (x)
    add(g, g->path, 1, b, re, x, "'%s' (strings compared by content)", x);
  free(x);
}

/* "left-hand operand of comma expression has no effect" inside [i, j]: m[i][j] */
static void gen_comma_index(struct gen *g) {
  size_t ls = line_start(g->t, g->off), le = line_stop(g->t, g->n, g->off);
  size_t open = g->off + 1;
  while (open > ls && g->t[open - 1] != '[' && g->t[open - 1] != ']')
    open--;
  if (open <= ls || g->t[open - 1] != '[')
    return;
  for (size_t p = open; p < le && g->t[p] != ']'; p++)
    if (g->t[p] == ',') {
      size_t e = p + 1;
      while (e < le && g->t[e] == ' ')
        e++;
      add(g, g->path, 0, p, e, "][", "'[..][..]' for '[.., ..]' (one index per bracket)");
      return;
    }
}

/* "excess elements in scalar initializer": the variable made an array */
static void gen_array_init(struct gen *g) {
  size_t ls = line_start(g->t, g->off), p = g->off;
  while (p > ls && g->t[p] != '{')
    p--;
  while (p > ls && g->t[p] != '=')
    p--;
  if (g->t[p] != '=')
    return;
  size_t e = p;
  while (e > ls && g->t[e - 1] == ' ')
    e--;
  if (e == ls || !ident_char((unsigned char)g->t[e - 1]))
    return;
  add(g, g->path, 0, e, e, "[]", "an array, for its brace-enclosed list");
}

/* "conflicting types for 'f'": the definition's head made the declaration's (the note's) */
static void gen_conflicting(struct gen *g, const char *name) {
  const struct fix_diag *note = placed_note(g->d);
  if (!note)
    return;
  const char *t = g->t;
  size_t n = g->n;
  if (strcmp(note->pos.file, g->path) && (!g->env->read || g->env->read(g->env->ud, note->pos.file, &t, &n)))
    return;
  long no = fix_text_offset(t, n, note->pos.line, 1), at = find_on_line(g->t, g->n, g->off, name);
  long dn = no < 0 ? -1 : find_on_line(t, n, (size_t)no, name);
  if (dn < 0 || at < 0)
    return;
  /* each head: from its line's start to the ')' closing the parameters */
  size_t heads[2][2];
  const char *texts[2] = {t, g->t};
  size_t lens[2] = {n, g->n}, names[2] = {(size_t)dn, (size_t)at};
  for (int k = 0; k < 2; k++) {
    size_t p = names[k] + strlen(name);
    while (p < lens[k] && texts[k][p] == ' ')
      p++;
    if (p >= lens[k] || texts[k][p] != '(')
      return;
    int depth = 0;
    for (; p < lens[k]; p++) {
      depth += texts[k][p] == '(' ? 1 : texts[k][p] == ')' ? -1 : 0;
      if (!depth)
        break;
    }
    if (p >= lens[k])
      return;
    heads[k][0] = line_start(texts[k], names[k]);
    heads[k][1] = p + 1;
  }
  size_t hl = heads[0][1] - heads[0][0];
  char *head = malloc(hl + 1);
  if (!head)
    return;
  memcpy(head, t + heads[0][0], hl);
  head[hl] = '\0';
  if (!strchr(head, '\n') && !strchr(head, ';'))
    add(g, g->path, 0, heads[1][0], heads[1][1], head, "the definition of '%s' made to agree with its declaration", name);
  free(head);
}

/* "marked 'override', but does not override": const added, or the name of a virtual it misspells */
static void gen_override(struct gen *g) {
  size_t le = line_stop(g->t, g->n, g->off);
  long ov = -1;
  for (size_t p = line_start(g->t, g->off); p + 8 <= le; p++)
    if (!memcmp(g->t + p, "override", 8) && (p + 8 >= g->n || !ident_char((unsigned char)g->t[p + 8])) &&
        p >= g->off - (g->off > 200 ? 200 : g->off)) {
      if (p + 8 > g->off || ov < 0)
        ov = (long)p;
      if ((size_t)ov >= g->off)
        break;
    }
  if (ov < 0)
    return;
  size_t q = (size_t)ov;
  while (q > 0 && g->t[q - 1] == ' ')
    q--;
  int has_const = q >= 5 && !memcmp(g->t + q - 5, "const", 5);
  size_t close = has_const ? q - 5 : q;
  while (close > 0 && g->t[close - 1] == ' ')
    close--;
  if (!close || g->t[close - 1] != ')')
    return;
  if (!has_const)
    add(g, g->path, 0, close, close, " const", "const, as the virtual it overrides");
  /* the name before the '(' matching that ')' */
  int depth = 0;
  size_t p = close - 1;
  for (;; p--) {
    depth += g->t[p] == ')' ? 1 : g->t[p] == '(' ? -1 : 0;
    if (!depth || !p)
      break;
  }
  size_t e = p;
  while (e > 0 && g->t[e - 1] == ' ')
    e--;
  size_t b = e;
  while (b > 0 && ident_char((unsigned char)g->t[b - 1]))
    b--;
  if (e == b || e - b >= 64)
    return;
  char name[64];
  memcpy(name, g->t + b, e - b);
  name[e - b] = '\0';
  /* virtuals declared in this file and its project headers */
  struct namecount *v = NULL;
  size_t nv = 0;
  const char *texts[2] = {g->t, NULL};
  size_t lens[2] = {g->n, 0};
  for (int k = 0; k < 1; k++)
    for (const char *h = texts[k]; (h = memmem(h, (size_t)(texts[k] + lens[k] - h), "virtual ", 8)); h += 8) {
      const char *paren = memchr(h, '(', (size_t)(texts[k] + lens[k] - h));
      if (!paren || memchr(h, ';', (size_t)(paren - h)) || memchr(h, '{', (size_t)(paren - h)))
        continue;
      const char *ne = paren;
      while (ne > h && ne[-1] == ' ')
        ne--;
      const char *nb = ne;
      while (nb > h && ident_char((unsigned char)nb[-1]))
        nb--;
      if (ne > nb && ne - nb < 64) {
        struct namecount *w = realloc(v, (nv + 1) * sizeof *w);
        if (!w)
          break;
        v = w;
        memcpy(v[nv].name, nb, (size_t)(ne - nb));
        v[nv].name[ne - nb] = '\0';
        v[nv++].n = 1;
      }
    }
  add_similar(g, (long)b, name, v, nv, "a virtual of the base", 10);
  free(v);
}

/* "assignment of member 'C::t' in read-only object": the const of the member function dropped */
static void gen_unconst_method(struct gen *g) {
  for (size_t p = g->off; p-- > 0;) {
    if (g->t[p] != ')')
      continue;
    size_t q = p + 1;
    while (q < g->n && g->t[q] == ' ')
      q++;
    if (q + 5 <= g->n && !memcmp(g->t + q, "const", 5) && !ident_char((unsigned char)g->t[q + 5])) {
      size_t r = q + 5;
      while (r < g->n && (g->t[r] == ' ' || g->t[r] == '\n'))
        r++;
      if (r < g->n && g->t[r] == '{') {
        add(g, g->path, 0, p + 1, q + 5, "", "the member function made non-const (it changes the object)");
        return;
      }
    }
    if (p + 1 < g->off && g->t[p + 1] == '\n' && p > 0 && g->t[p - 1] == '}')
      return;
  }
}

/* "the value of 'k' is not usable in a constant expression": the variable made constexpr */
static void gen_constexpr(struct gen *g) {
  const struct fix_diag *note = NULL; /* the one at the declaration (gcc: "is not const", clang: "declared here") */
  for (size_t i = 0; i < g->d->nnotes && !note; i++)
    if (g->d->notes[i].pos.file && g->d->notes[i].message &&
        (strstr(g->d->notes[i].message, "is not const") || strstr(g->d->notes[i].message, "declared here")))
      note = &g->d->notes[i];
  if (!note || strcmp(note->pos.file, g->path))
    return;
  long no = fix_text_offset(g->t, g->n, note->pos.line, note->pos.col > 0 ? note->pos.col : 1);
  if (no < 0)
    return;
  size_t b = line_start(g->t, (size_t)no);
  while (b < g->n && (g->t[b] == ' ' || g->t[b] == '\t'))
    b++;
  add(g, g->path, 0, b, b, "constexpr ", "the variable made constexpr (it is used as a constant)");
  add(g, g->path, 1, b, b, "const ", "the variable made const (it is used as a constant)");
}

/* ---- C++: ownership, conversions, access, templates; unused variables ------------------------------- */

/* The range-for on the position's line: its '(' + 1 and the loop variable's name start. */
static int range_for(const char *t, size_t n, size_t off, size_t *decl, size_t *name, size_t *colon) {
  size_t ls = line_start(t, off), le = line_stop(t, n, off);
  for (size_t p = ls; p + 4 < le; p++)
    if (!memcmp(t + p, "for", 3) && (p == ls || !ident_char((unsigned char)t[p - 1]))) {
      size_t q = p + 3;
      while (q < le && t[q] == ' ')
        q++;
      if (q >= le || t[q] != '(')
        continue;
      size_t d = q + 1;
      while (d < le && t[d] == ' ')
        d++;
      size_t c = d;
      int depth = 0;
      while (c < le && !(depth == 0 && t[c] == ':' && t[c + 1] != ':' && (c == 0 || t[c - 1] != ':'))) {
        depth += t[c] == '(' || t[c] == '<' ? 1 : t[c] == ')' || t[c] == '>' ? -1 : 0;
        c++;
      }
      if (c >= le)
        return 0;
      size_t e = c;
      while (e > d && t[e - 1] == ' ')
        e--;
      size_t b = e;
      while (b > d && ident_char((unsigned char)t[b - 1]))
        b--;
      if (b == e || b == d)
        return 0;
      *decl = d, *name = b, *colon = c;
      return 1;
    }
  return 0;
}

/* "use of deleted function 'std::unique_ptr<...>::unique_ptr(const ...&)'": moved, or the loop
 * variable made a reference */
static void gen_moved(struct gen *g) {
  size_t d, nm, colon;
  if (range_for(g->t, g->n, g->off, &d, &nm, &colon) && g->off >= d && g->off <= colon + 64) {
    add(g, g->path, 0, d, nm, "const auto &", "the loop variable made a reference (a unique_ptr cannot be copied)");
    return;
  }
  size_t p = g->off;
  if (p < g->n && g->t[p] == '(')
    p++;
  while (p > 0 && ident_char((unsigned char)g->t[p - 1]) && ident_char((unsigned char)g->t[p]))
    p--;
  size_t e = p;
  while (e < g->n && ident_char((unsigned char)g->t[e]))
    e++;
  if (e == p || !(isalpha((unsigned char)g->t[p]) || g->t[p] == '_') || (e < g->n && g->t[e] == '('))
    return;
  char *x = fix_asprintf("std::move(%.*s)", (int)(e - p), g->t + p);
  if (x)
    add(g, g->path, 0, p, e, x, "'%s' (a unique_ptr is moved, not copied)", x);
  free(x);
}

/* "conversion from 'double' to non-scalar type 'T' requested": T x = v; as T x(v); */
static void gen_direct_init(struct gen *g) {
  size_t ls = line_start(g->t, g->off), le = line_stop(g->t, g->n, g->off);
  size_t eq = (size_t)-1;
  for (size_t p = g->off + 1; p-- > ls;)
    if (g->t[p] == '=' && g->t[p + 1] != '=' && (p == ls || !strchr("=!<>+-*/", g->t[p - 1]))) {
      eq = p;
      break;
    }
  if (eq == (size_t)-1)
    for (size_t p = g->off; p < le; p++)
      if (g->t[p] == '=' && g->t[p + 1] != '=') {
        eq = p;
        break;
      }
  if (eq == (size_t)-1)
    return;
  size_t semi = eq;
  int depth = 0;
  while (semi < le && !(depth == 0 && g->t[semi] == ';')) {
    depth += g->t[semi] == '(' || g->t[semi] == '{' ? 1 : g->t[semi] == ')' || g->t[semi] == '}' ? -1 : 0;
    semi++;
  }
  size_t ne = eq;
  while (ne > ls && g->t[ne - 1] == ' ')
    ne--;
  size_t nb = ne;
  while (nb > ls && ident_char((unsigned char)g->t[nb - 1]))
    nb--;
  size_t tb = nb;
  while (tb > ls && g->t[tb - 1] == ' ')
    tb--;
  if (semi >= le || nb == ne || tb == ls || !(ident_char((unsigned char)g->t[tb - 1]) || g->t[tb - 1] == '>'))
    return; /* not "TYPE NAME = EXPR;" */
  size_t vb = eq + 1;
  while (vb < semi && g->t[vb] == ' ')
    vb++;
  char *x = fix_asprintf("(%.*s)", (int)(semi - vb), g->t + vb);
  if (x)
    add(g, g->path, 0, ne, semi, x, "'%.*s(...)' (initialised directly: the conversion is explicit)", (int)(ne - nb),
        g->t + nb);
  free(x);
}

/* "'Base' is an inaccessible base of 'Derived'": public inheritance */
static void gen_public_base(struct gen *g, const char *base, const char *derived) {
  const char *texts[1] = {g->t};
  size_t lens[1] = {g->n};
  char pat[200];
  for (int kw = 0; kw < 2; kw++) {
    snprintf(pat, sizeof pat, "%s %s", kw ? "struct" : "class", derived);
    size_t k = strlen(pat);
    for (const char *h = texts[0]; (h = memmem(h, (size_t)(texts[0] + lens[0] - h), pat, k)); h += k) {
      const char *q = h + k;
      if (q < texts[0] + lens[0] && ident_char((unsigned char)*q))
        continue;
      while (q < texts[0] + lens[0] && *q == ' ')
        q++;
      if (q >= texts[0] + lens[0] || *q != ':')
        continue;
      const char *b = memmem(q, (size_t)(texts[0] + lens[0] - q), base, strlen(base));
      const char *brace = memchr(q, '{', (size_t)(texts[0] + lens[0] - q));
      if (!b || (brace && b > brace))
        continue;
      add(g, g->path, 0, (size_t)(b - texts[0]), (size_t)(b - texts[0]), "public ", "public inheritance of '%s'", base);
      return;
    }
  }
}

/* "'T' has not been declared" in a template parameter list: typename */
static void gen_typename(struct gen *g) {
  size_t ls = line_start(g->t, g->off), p = g->off;
  while (p > ls && g->t[p - 1] == ' ')
    p--;
  if (p == ls || (g->t[p - 1] != '<' && g->t[p - 1] != ','))
    return;
  for (size_t q = p; q-- > ls;)
    if (q + 8 <= g->off && !memcmp(g->t + q, "template", 8)) {
      add(g, g->path, 0, g->off, g->off, "typename ", "a template type parameter");
      return;
    }
}

/* "binding reference of type 'Item&' to 'const Item'": the range-for's reference made const */
static void gen_const_ref(struct gen *g) {
  size_t d, nm, colon;
  if (range_for(g->t, g->n, g->off, &d, &nm, &colon) && memcmp(g->t + d, "const", 5))
    add(g, g->path, 0, d, d, "const ", "the loop's reference made const (the range is const)");
}

/* "unused variable 'x'" whose initializer is a constant: its declarator removed */
static void gen_unused(struct gen *g, const char *name) {
  long at = find_on_line(g->t, g->n, g->off, name);
  if (at < 0)
    return;
  size_t ls = line_start(g->t, (size_t)at), le = line_stop(g->t, g->n, (size_t)at);
  size_t e = (size_t)at + strlen(name);
  while (e < le && g->t[e] != ',' && g->t[e] != ';') {
    char c = g->t[e];
    if (!(isdigit((unsigned char)c) || strchr(" =.'-{}xXabcdefABCDEFuUlL\"", c)))
      return; /* a call or a variable: it may have effects */
    e++;
  }
  if (e >= le)
    return;
  size_t b = (size_t)at;
  while (b > ls && g->t[b - 1] == ' ')
    b--;
  if (g->t[b - 1] == ',') { /* not the first: ", x = 0" */
    add(g, g->path, 0, b - 1, e, "", "the unused variable '%s' removed", name);
  } else if (g->t[e] == ',') { /* the first of several: "x = 0, " */
    size_t f = e + 1;
    while (f < le && g->t[f] == ' ')
      f++;
    add(g, g->path, 0, (size_t)at, f, "", "the unused variable '%s' removed", name);
  } else { /* alone: the whole line, when it holds nothing else */
    size_t f = e + 1;
    while (f < le && (g->t[f] == ' ' || g->t[f] == '\t'))
      f++;
    if (f == le && le < g->n)
      add(g, g->path, 0, ls, le + 1, "", "the unused variable '%s' removed", name);
  }
}

/* ---- Rust: numeric casts, misspelled names ------------------------------------------------------ */

/* The n-th `quoted` name of a rustc message. */
static int bquoted(const char *msg, int nth, char *buf, size_t cap) {
  const char *p = msg;
  for (int k = 0; p && *p; k++) {
    const char *a = strchr(p, '`');
    const char *b = a ? strchr(a + 1, '`') : NULL;
    if (!b)
      return 0;
    if (k == nth) {
      size_t n = (size_t)(b - a - 1);
      if (!n || n >= cap)
        return 0;
      memcpy(buf, a + 1, n);
      buf[n] = '\0';
      return 1;
    }
    p = b + 1;
  }
  return 0;
}

static int numeric(const char *t) {
  static const char *const ts[] = {"i8",  "i16", "i32", "i64", "i128", "isize", "u8",  "u16",
                                   "u32", "u64", "u128", "usize", "f32", "f64", NULL};
  for (size_t i = 0; ts[i]; i++)
    if (!strcmp(t, ts[i]))
      return 1;
  return 0;
}

/* The end of the postfix expression starting at p (a path, literal or group, then .field,
 * .method(...), [...], ?): where ` as T` goes. p itself when there is none. */
static size_t postfix_end(const char *t, size_t n, size_t p) {
  while (p < n && (t[p] == ' ' || t[p] == '&' || t[p] == '*' || t[p] == '-'))
    p++;
  size_t q = p;
  for (;;) {
    if (q < n && (ident_char((unsigned char)t[q]))) {
      while (q < n && ident_char((unsigned char)t[q]))
        q++;
    } else if (q < n && (t[q] == '(' || t[q] == '[')) {
      int depth = 0;
      for (; q < n; q++) {
        depth += t[q] == '(' || t[q] == '[' ? 1 : t[q] == ')' || t[q] == ']' ? -1 : 0;
        if (!depth)
          break;
      }
      if (q >= n)
        return p;
      q++;
    } else {
      return q;
    }
    /* what may follow: .name, ::name, (args), [index], ? */
    while (q < n && t[q] == '?')
      q++;
    if (q + 1 < n && t[q] == '.' && t[q + 1] != '.')
      q++;
    else if (q + 2 < n && t[q] == ':' && t[q + 1] == ':')
      q += 2;
    else if (q < n && (t[q] == '(' || t[q] == '['))
      continue;
    else
      return q;
  }
}

static void rust_cast(struct gen *g) {
  const struct fix_diag *d = g->d;
  char want[32], have[32];
  const char *r = d->rendered ? strstr(d->rendered, "expected `") : NULL;
  if (d->code && !strcmp(d->code, "E0308") && r && bquoted(r, 0, want, sizeof want) && strstr(r, "found `") &&
      bquoted(strstr(r, "found `"), 0, have, sizeof have) && numeric(want) && numeric(have)) {
    /* the primary span is the expression */
    for (size_t i = 0; i < d->nspans; i++) {
      const struct fix_span *sp = &d->spans[i];
      if (sp->begin.line != d->pos.line || sp->begin.col != d->pos.col || !sp->begin.file ||
          strcmp(sp->begin.file, d->pos.file))
        continue;
      long a = fix_text_offset(g->t, g->n, sp->begin.line, sp->begin.col);
      long b = fix_text_offset(g->t, g->n, sp->end.line, sp->end.col);
      if (a < 0 || b <= a)
        break;
      int simple = 1;
      for (long k = a; k < b; k++)
        simple &= ident_char((unsigned char)g->t[k]) || g->t[k] == '.' || g->t[k] == '(' || g->t[k] == ')' ||
                  g->t[k] == '[' || g->t[k] == ']' || g->t[k] == ':';
      char cast[48];
      snprintf(cast, sizeof cast, " as %s", want);
      if (simple) {
        add(g, g->path, 0, (size_t)b, (size_t)b, cast, "'%.*s as %s' (%s to %s)", (int)(b - a), g->t + a, want, have, want);
      } else {
        char close[64];
        snprintf(close, sizeof close, ")%s", cast);
        /* two edits would be needed: one replacement of the whole expression instead */
        size_t el = (size_t)(b - a);
        char *x = malloc(el + strlen(close) + 2);
        if (x) {
          x[0] = '(';
          memcpy(x + 1, g->t + a, el);
          strcpy(x + 1 + el, close);
          add(g, g->path, 0, (size_t)a, (size_t)b, x, "'(...) as %s' (%s to %s)", want, have, want);
          free(x);
        }
      }
      break;
    }
    return;
  }
  /* E0277 "cannot divide `f64` by `usize`", "cannot add `u32` to `i64`": the right operand cast */
  char x[32], y[32];
  if (!d->message || strncmp(d->message, "cannot ", 7) || !bquoted(d->message, 0, x, sizeof x) ||
      !bquoted(d->message, 1, y, sizeof y) || !numeric(x) || !numeric(y))
    return;
  int by = strstr(d->message, "` by `") != NULL;
  const char *lhs = by ? x : y, *rhs = by ? y : x;
  size_t p = g->off; /* the operator */
  while (p < g->n && strchr("+-*/%=", g->t[p]))
    p++;
  size_t e = postfix_end(g->t, g->n, p);
  size_t s0 = p;
  while (s0 < e && g->t[s0] == ' ')
    s0++;
  if (e <= s0)
    return;
  char cast[48];
  snprintf(cast, sizeof cast, " as %s", lhs);
  add(g, g->path, 0, e, e, cast, "'%.*s as %s' (%s to %s)", (int)(e - s0), g->t + s0, lhs, rhs, lhs);
}

/* Names declared in Rust text after `kw ` (fn, struct fields, enum variants): the identifiers of
 * the items inside `enum NAME {` or `struct NAME {` (variant/field names: the first identifier of
 * each comma-separated entry), or every `fn NAME`. */
static void rust_items(const char *t, size_t n, const char *kw, const char *owner, struct namecount **v, size_t *nv) {
  char pat[160];
  snprintf(pat, sizeof pat, "%s %s", kw, owner ? owner : "");
  size_t k = strlen(pat);
  for (const char *h = t; (h = memmem(h, (size_t)(t + n - h), pat, k)); h += k) {
    if (h > t && ident_char((unsigned char)h[-1]))
      continue;
    const char *q = h + k;
    if (!owner) { /* fn NAME */
      const char *e = q;
      while (e < t + n && ident_char((unsigned char)*e))
        e++;
      if (e > q && e - q < 64) {
        struct namecount *w = realloc(*v, (*nv + 1) * sizeof *w);
        if (!w)
          return;
        *v = w;
        memcpy(w[*nv].name, q, (size_t)(e - q));
        w[*nv].name[e - q] = '\0';
        w[(*nv)++].n = 1;
      }
      continue;
    }
    if (q < t + n && ident_char((unsigned char)*q))
      continue; /* a longer name */
    while (q < t + n && *q != '{' && *q != ';' && *q != '(')
      q++;
    if (q >= t + n || *q != '{')
      continue;
    int depth = 0, start = 1;
    for (const char *c = q; c < t + n; c++) {
      if (*c == '{' || *c == '(' || *c == '[' || *c == '<')
        depth++;
      else if (*c == '}' || *c == ')' || *c == ']' || *c == '>')
        depth--;
      if (!depth)
        break;
      if (depth == 1 && *c == ',') {
        start = 1;
        continue;
      }
      if (depth == 1 && start && ident_char((unsigned char)*c) && !(c[-1] == '#')) {
        const char *e = c;
        while (e < t + n && ident_char((unsigned char)*e))
          e++;
        if (e - c < 64 && strncmp(c, "pub", 3)) {
          struct namecount *w = realloc(*v, (*nv + 1) * sizeof *w);
          if (!w)
            return;
          *v = w;
          memcpy(w[*nv].name, c, (size_t)(e - c));
          w[*nv].name[e - c] = '\0';
          w[(*nv)++].n = 1;
          start = 0;
        }
        c = e - 1;
      }
    }
    return;
  }
}

static void rust_typo(struct gen *g) {
  const struct fix_diag *d = g->d;
  char name[64], owner[96];
  const char *kw = NULL;
  const char *own = NULL;
  if (!d->message || !bquoted(d->message, 0, name, sizeof name) || !is_ident(name))
    return;
  if (strstr(d->message, "no variant or associated item named") && bquoted(d->message, 1, owner, sizeof owner))
    kw = "enum", own = owner;
  else if (strstr(d->message, "has no field named") && bquoted(d->message, 0, owner, sizeof owner) &&
           bquoted(d->message, 1, name, sizeof name))
    kw = "struct", own = owner;
  else if (strstr(d->message, "no field `") && bquoted(d->message, 1, owner, sizeof owner))
    kw = "struct", own = owner;
  else if (strstr(d->message, "no method named") || strstr(d->message, "cannot find function"))
    kw = "fn";
  else if (!strstr(d->message, "cannot find value"))
    return;
  if (own) { /* Type<T> -> Type; &Type -> Type */
    char *lt = strchr(owner, '<');
    if (lt)
      *lt = '\0';
    while (owner[0] == '&')
      memmove(owner, owner + 1, strlen(owner));
  }
  struct namecount *v = NULL;
  size_t nv = 0;
  if (kw) {
    rust_items(g->t, g->n, kw, own, &v, &nv);
    for (size_t i = 0; g->env->headers && g->env->headers[i]; i++) {
      const char *text;
      size_t len;
      if (strcmp(g->env->headers[i], g->path) && !g->env->read(g->env->ud, g->env->headers[i], &text, &len))
        rust_items(text, len, kw, own, &v, &nv);
    }
  } else {
    count_names(g->t, g->n, &v, &nv);
  }
  long at = find_on_line(g->t, g->n, g->off, name);
  if (at >= 0)
    add_similar(g, at, name, v, nv, kw && own ? (strcmp(kw, "enum") ? "a field" : "a variant") : "a name in scope", 0);
  free(v);
}

/* Rust: E0061 (an extra argument: the call around the position), E0063 (a missing field given its
 * default), E0603 (a private item made pub), E0308 (a number written as a string). */
static void rust_more(struct gen *g) {
  const struct fix_diag *d = g->d;
  if (!d->code || !d->message)
    return;
  if (!strcmp(d->code, "E0061")) {
    int want = 0, have = 0;
    const char *t = strstr(d->message, "takes ");
    const char *u = strstr(d->message, "but ");
    if (t && u && sscanf(t, "takes %d", &want) == 1 && sscanf(u, "but %d", &have) == 2 - 1 && have > want) {
      int depth = 0;
      size_t p = g->off, q = g->off;
      while (q < g->n && ident_char((unsigned char)g->t[q]))
        q++;
      if (q > g->off && q < g->n && g->t[q] == '(') { /* at the function's name */
        p = q + 1;
      } else { /* at an argument: back to the call's '(' */
        while (p > 0 && !(g->t[p - 1] == '(' && depth == 0)) {
          p--;
          depth += g->t[p] == ')' ? 1 : g->t[p] == '(' ? -1 : 0;
        }
      }
      size_t e = p ? p - 1 : 0, b = e;
      while (b > 0 && ident_char((unsigned char)g->t[b - 1]))
        b--;
      if (p && e > b && e - b < 64) {
        char fn[64];
        memcpy(fn, g->t + b, e - b);
        fn[e - b] = '\0';
        g->off = b;
        gen_drop_arg(g, fn);
      }
    }
  } else if (!strcmp(d->code, "E0063")) { /* missing field `done` (or fields `a`, `b` and `c`) */
    char field[64];
    if (!bquoted(d->message, 0, field, sizeof field) || !is_ident(field) || strstr(d->message, "fields"))
      return;
    size_t p = g->off;
    while (p < g->n && g->t[p] != '{' && g->t[p] != ';')
      p++;
    if (p >= g->n || g->t[p] != '{')
      return;
    int depth = 0;
    size_t q = p;
    for (; q < g->n; q++) {
      depth += g->t[q] == '{' || g->t[q] == '(' || g->t[q] == '[' ? 1 : g->t[q] == '}' || g->t[q] == ')' || g->t[q] == ']' ? -1 : 0;
      if (!depth)
        break;
    }
    if (q >= g->n)
      return;
    size_t e = q;
    while (e > p + 1 && isspace((unsigned char)g->t[e - 1]))
      e--;
    int comma = g->t[e - 1] == ',' || e == p + 1;
    char ins[128];
    snprintf(ins, sizeof ins, "%s%s: Default::default()", comma ? (e == p + 1 ? " " : " ") : ", ", field);
    add(g, g->path, 0, e, e, ins, "'%s: Default::default()' for the missing field", field);
  } else if (!strcmp(d->code, "E0603")) { /* the note is at the definition */
    const struct fix_diag *note = NULL;
    for (size_t i = 0; i < d->nnotes && !note; i++)
      if (d->notes[i].pos.file && d->notes[i].pos.line > 0 && d->notes[i].message &&
          strstr(d->notes[i].message, "defined here"))
        note = &d->notes[i];
    if (!note)
      return;
    const char *t = g->t;
    size_t n = g->n;
    if (strcmp(note->pos.file, g->path) && (!g->env->read || g->env->read(g->env->ud, note->pos.file, &t, &n)))
      return;
    long no = fix_text_offset(t, n, note->pos.line, 1);
    if (no < 0)
      return;
    size_t b = (size_t)no;
    while (b < n && (t[b] == ' ' || t[b] == '\t'))
      b++;
    if (b + 4 <= n && !memcmp(t + b, "pub", 3))
      return;
    add(g, note->pos.file, 0, b, b, "pub ", "made pub (it is used outside its module)");
  } else if (!strcmp(d->code, "E0308") && d->rendered && strstr(d->rendered, "found `&str`") &&
             strstr(d->rendered, "expected `")) { /* "8" where a number is expected */
    char want[32];
    if (!bquoted(strstr(d->rendered, "expected `"), 0, want, sizeof want) || !numeric(want) || g->off >= g->n ||
        g->t[g->off] != '"')
      return;
    size_t q = g->off + 1;
    while (q < g->n && (isdigit((unsigned char)g->t[q]) || g->t[q] == '.' || g->t[q] == '-'))
      q++;
    if (q == g->off + 1 || q >= g->n || g->t[q] != '"')
      return;
    char num[64];
    snprintf(num, sizeof num, "%.*s", (int)(q - g->off - 1), g->t + g->off + 1);
    add(g, g->path, 0, g->off, q + 1, num, "the number %s, not the string \"%s\"", num, num);
  }
}

/* ---- the table --------------------------------------------------------------------------------- */

enum cls {
  UNDECLARED,
  IMPLICIT_FN,
  UNKNOWN_TYPE,
  STD_MEMBER,
  INCOMPLETE,
  NO_MEMBER_GCC,
  NO_MEMBER_CLANG,
  TOO_MANY,
  TOO_MANY_CALL,
  READ_ONLY,
  CONST_THIS,
  IMPLICIT_INT,
  VOID_RETURN,
  DEREF,
  ADDRESS,
  STRING_COMPARE,
  CHAR_FROM_STRING,
  COMMA_INDEX,
  ARRAY_INIT,
  CONFLICTING,
  OVERRIDE,
  UNCONST_METHOD,
  CONSTEXPR,
  MOVED,
  DIRECT_INIT,
  PUBLIC_BASE,
  PUBLIC_BASE_CLANG,
  TYPENAME,
  CONST_REF,
  UNUSED
};

static const struct rule {
  const char *needle;
  enum cls cls;
} rules[] = {
    {"' undeclared", UNDECLARED},
    {"' was not declared in this scope", UNDECLARED},
    {"use of undeclared identifier '", UNDECLARED},
    {"implicit declaration of function '", IMPLICIT_FN},
    {"call to undeclared function '", IMPLICIT_FN},
    {"unknown type name '", UNKNOWN_TYPE},
    {"' does not name a type", UNKNOWN_TYPE},
    {"' is not a member of 'std'", STD_MEMBER},
    {"in namespace 'std' does not name", STD_MEMBER},
    {"has no member named '", NO_MEMBER_GCC}, /* before clang's wording, which it contains */
    {"no member named '", NO_MEMBER_CLANG},
    {"has initializer but incomplete type", INCOMPLETE},
    {"storage size of '", INCOMPLETE},
    {"variable has incomplete type '", INCOMPLETE},
    {"too many arguments to function '", TOO_MANY},
    {"too many arguments to function call", TOO_MANY_CALL}, /* clang: at the first extra argument */
    {"assignment of read-only location", READ_ONLY},
    {"read-only variable is not assignable", READ_ONLY},
    {"as 'this' argument discards qualifiers", CONST_THIS},
    {"but function is not marked const", CONST_THIS},
    {"return type defaults to 'int'", IMPLICIT_INT},
    {"type specifier missing, defaults to 'int'", IMPLICIT_INT},
    {"'return' with a value, in function returning void", VOID_RETURN},
    {"should not return a value", VOID_RETURN},
    {"makes pointer from integer without a cast", DEREF},
    {"incompatible integer to pointer conversion assigning", DEREF},
    {"makes integer from pointer without a cast", CHAR_FROM_STRING},
    {"incompatible pointer to integer conversion", CHAR_FROM_STRING},
    {"' expects argument of type '", ADDRESS},
    {"format specifies type '", ADDRESS},
    {"comparison with string literal", STRING_COMPARE},
    {"comparison against a string literal", STRING_COMPARE},
    {"left-hand operand of comma expression has no effect", COMMA_INDEX},
    {"left operand of comma operator has no effect", COMMA_INDEX},
    {"excess elements in scalar initializer", ARRAY_INIT},
    {"conflicting types for '", CONFLICTING},
    {"marked 'override', but does not override", OVERRIDE},
    {"marked 'override' hides virtual member function", OVERRIDE},
    {"only virtual member functions can be marked 'override'", OVERRIDE},
    {"in read-only object", UNCONST_METHOD},
    {"within const member function", UNCONST_METHOD},
    {"is not usable in a constant expression", CONSTEXPR},
    {"is not a constant expression", CONSTEXPR},
    {"unique_ptr(const std::unique_ptr", MOVED},
    {"call to deleted constructor of 'std::unique_ptr", MOVED},
    {"to non-scalar type '", DIRECT_INIT},
    {"no viable conversion from '", DIRECT_INIT},
    {"is an inaccessible base of '", PUBLIC_BASE},
    {"to its private base class '", PUBLIC_BASE_CLANG},
    {"' has not been declared", TYPENAME},
    {"binding reference of type '", CONST_REF},
    {"unused variable '", UNUSED},
};

static int cmp_rank(const void *a, const void *b) {
  const struct repair *x = a, *y = b;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

void repairs_generate(const struct repair_env *env, const struct fix_diag *d, const char *text, size_t len,
                      size_t max, struct repair_list *out) {
  out->v = NULL;
  out->n = 0;
  if (!d->message || !d->pos.file || d->pos.line <= 0 || !text)
    return;
  const char *ext = strrchr(d->pos.file, '.');
  if (!ext)
    return;
  long off = fix_text_offset(text, len, d->pos.line, d->pos.col > 0 ? d->pos.col : 1);
  if (off < 0)
    return;
  struct gen g = {env, d, d->pos.file, text, len, (size_t)off, 0, out};
  if (!strcmp(ext, ".rs")) {
    rust_cast(&g);
    rust_typo(&g);
    rust_more(&g);
    qsort(out->v, out->n, sizeof *out->v, cmp_rank);
    while (out->n > max) {
      struct repair *x = &out->v[--out->n];
      free(x->file);
      free(x->text);
      free(x->why);
    }
    return;
  }
  g.cxx = strcmp(ext, ".c") && strcmp(ext, ".h") ? 1 : 0;
  const char *tu = fix_diag_tu(d); /* a header is C++ when the unit including it is */
  if (!strcmp(ext, ".h") && tu && (tu = strrchr(tu, '.')) && strcmp(tu, ".c") && strcmp(tu, ".h"))
    g.cxx = 1;
  char name[128], other[128];
  for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
    if (!strstr(d->message, rules[r].needle))
      continue;
    switch (rules[r].cls) {
    case UNDECLARED:
      if (quoted(d->message, 0, name, sizeof name) && is_ident(name)) {
        gen_include(&g, name, 0, 0);
        gen_typo(&g, name, 20);
        if (strstr(d->message, "first use in this function") || strstr(d->message, "not declared in this scope") ||
            strstr(d->message, "use of undeclared identifier"))
          gen_declare(&g, name);
      }
      break;
    case IMPLICIT_FN:
      if (quoted(d->message, 0, name, sizeof name) && is_ident(name)) {
        gen_include(&g, name, 0, 0);
        gen_typo(&g, name, 20);
      }
      break;
    case UNKNOWN_TYPE:
      if (quoted(d->message, 0, name, sizeof name) && is_ident(name)) {
        if (g.cxx)
          gen_typename(&g);
        gen_include(&g, name, 0, 0);
        gen_typo(&g, name, 20);
      }
      break;
    case STD_MEMBER:
      if (quoted(d->message, 0, name, sizeof name) && is_ident(name))
        gen_include(&g, name, 1, 0);
      break;
    case NO_MEMBER_CLANG: /* no member named 'X' in 'struct vec' / in namespace 'std' */
      if (quoted(d->message, 0, name, sizeof name) && quoted(d->message, 1, other, sizeof other)) {
        if (!strcmp(other, "std"))
          gen_include(&g, name, 1, 0);
        else
          gen_member(&g, other, name);
      }
      break;
    case NO_MEMBER_GCC: /* 'struct vec' has no member named 'len' (or {aka 'struct vec'}) */
      if (quoted(d->message, 0, other, sizeof other) && quoted(d->message, strstr(d->message, "{aka") ? 2 : 1, name, sizeof name)) {
        char aka[128];
        if (strstr(d->message, "{aka") && quoted(d->message, 1, aka, sizeof aka))
          gen_member(&g, aka, name);
        else
          gen_member(&g, other, name);
      }
      break;
    case INCOMPLETE: { /* the tag is on the line: "struct vec v = ..." */
      size_t ls = g.off, p;
      while (ls && text[ls - 1] != '\n')
        ls--;
      for (p = ls; p + 7 < len && text[p] != '\n'; p++)
        if (!memcmp(text + p, "struct ", 7) && (p == ls || !ident_char((unsigned char)text[p - 1]))) {
          size_t a = p + 7, b = a;
          while (b < len && ident_char((unsigned char)text[b]))
            b++;
          if (b > a && b - a < sizeof name) {
            memcpy(name, text + a, b - a);
            name[b - a] = '\0';
            include_project(&g, 0, name, 1);
          }
          break;
        }
      break;
    }
    case READ_ONLY:
      gen_unconst(&g);
      break;
    case CONST_THIS:
      gen_const_method(&g);
      break;
    case IMPLICIT_INT:
    case VOID_RETURN:
      gen_return(&g, rules[r].cls == IMPLICIT_INT);
      break;
    case MOVED:
      if (g.cxx)
        gen_moved(&g);
      break;
    case DIRECT_INIT:
      if (g.cxx)
        gen_direct_init(&g);
      break;
    case PUBLIC_BASE: /* 'Base' is an inaccessible base of 'Derived' */
      if (quoted(d->message, 0, name, sizeof name) && quoted(d->message, 1, other, sizeof other) && is_ident(name) &&
          is_ident(other))
        gen_public_base(&g, name, other);
      break;
    case PUBLIC_BASE_CLANG: /* cannot cast 'Derived' to its private base class 'Base' */
      if (quoted(d->message, 0, other, sizeof other) && quoted(d->message, 1, name, sizeof name) && is_ident(name) &&
          is_ident(other))
        gen_public_base(&g, name, other);
      break;
    case TYPENAME:
      if (g.cxx)
        gen_typename(&g);
      break;
    case CONST_REF:
      if (g.cxx)
        gen_const_ref(&g);
      break;
    case UNUSED:
      if (quoted(d->message, 0, name, sizeof name) && is_ident(name))
        gen_unused(&g, name);
      break;
    case DEREF:
      gen_deref(&g);
      break;
    case ADDRESS:
      gen_address(&g);
      break;
    case STRING_COMPARE:
      gen_string_compare(&g);
      break;
    case CHAR_FROM_STRING:
      char_literal(&g, g.off, 0);
      break;
    case COMMA_INDEX:
      gen_comma_index(&g);
      break;
    case ARRAY_INIT:
      gen_array_init(&g);
      break;
    case CONFLICTING:
      if (quoted(d->message, 0, name, sizeof name) && is_ident(name))
        gen_conflicting(&g, name);
      break;
    case OVERRIDE:
      gen_override(&g);
      break;
    case UNCONST_METHOD:
      gen_unconst_method(&g);
      break;
    case CONSTEXPR:
      gen_constexpr(&g);
      break;
    case TOO_MANY_CALL: { /* the call around the position: back to its unmatched '(' */
      int depth = 0;
      size_t p = g.off;
      while (p > 0 && !(text[p - 1] == '(' && depth == 0)) {
        p--;
        depth += text[p] == ')' ? 1 : text[p] == '(' ? -1 : 0;
      }
      size_t e = p ? p - 1 : 0;
      while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t'))
        e--;
      size_t b = e;
      while (b > 0 && ident_char((unsigned char)text[b - 1]))
        b--;
      if (p && e > b && e - b < sizeof name) {
        memcpy(name, text + b, e - b);
        name[e - b] = '\0';
        g.off = b;
        gen_drop_arg(&g, name);
      }
      break;
    }
    case TOO_MANY:
      if (quoted(d->message, 0, name, sizeof name)) {
        char *paren = strchr(name, '('); /* C++: 'int f(int, int)' */
        if (paren) {
          *paren = '\0';
          char *sp = strrchr(name, ' ');
          memmove(name, sp ? sp + 1 : name, strlen(sp ? sp + 1 : name) + 1);
        }
        if (is_ident(name))
          gen_drop_arg(&g, name);
      }
      break;
    }
    break; /* the first rule that matches decides */
  }
  qsort(out->v, out->n, sizeof *out->v, cmp_rank);
  while (out->n > max) {
    struct repair *x = &out->v[--out->n];
    free(x->file);
    free(x->text);
    free(x->why);
  }
}

void repair_list_free(struct repair_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].file);
    free(l->v[i].text);
    free(l->v[i].why);
  }
  free(l->v);
  l->v = NULL;
  l->n = 0;
}
