/* repair_names.c — repairs of names: a missing #include, a misspelled name or member, a local
 * never declared, an extra argument. */
#include "repairs_gen.h"

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
  return p + k <= n && !memcmp(t + p, dir, k) && (p + k == n || !fix_ident_char((unsigned char)t[p + k]));
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
        if (i + k < n && !memcmp(t + i, hdr, k) && (t[i + k] == '>' || t[i + k] == '"'))
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
  rp_add(g, g->path, rank, at, at, line, "#include %c%s%c for '%s'", angle ? '<' : '"', hdr, angle ? '>' : '"', name);
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
    if ((i && fix_ident_char((unsigned char)h[i - 1])) || (i + k < n && fix_ident_char((unsigned char)h[i + k])))
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
    if (tag == 2) { /* namespace NAME { */
      if (blen >= 10 && !memcmp(h + i - 10, "namespace ", 10) && (next == '{' || next == '\n' || next == '\r'))
        return 1;
      continue;
    }
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
      if (e < n && (h[e] == ';' || h[e] == '{'))
        return 1; /* a prototype, or a definition a header gives (static inline) */
    }
    if (i >= 2 && h[i - 1] == '*' && h[i - 2] == '(' && !strncmp(before, "typedef", 7))
      return 1; /* typedef T (*NAME)(...); */
  }
  return 0;
}

int repair_header_declares(const char *h, size_t n, const char *name) { return declares(h, n, name, 0); }

static char *path_under(const char *path, const char *dir) {
  size_t k = strlen(dir);
  while (k > 1 && dir[k - 1] == '/')
    k--;
  if (strncmp(path, dir, k) || path[k] != '/')
    return NULL;
  return fix_strdup(path + k + 1);
}

/* The shortest spelling of header h for an #include in the file at `dir`: beside it or under a -I. */
static char *include_spelling(const struct gen *g, const char *dir, const char *h) {
  char *rel = dir ? path_under(h, dir) : NULL;
  for (size_t k = 0; g->env->include_dirs && g->env->include_dirs[k]; k++) {
    char *r = path_under(h, g->env->include_dirs[k]);
    if (r && (!rel || strlen(r) < strlen(rel))) {
      free(rel);
      rel = r;
    } else {
      free(r);
    }
  }
  return rel;
}

void rp_include_project(struct gen *g, int rank, const char *name, int tag) {
  if (!g->env->headers || !g->env->read)
    return;
  char *dir = fix_strdup(g->path);
  char *slash = dir ? strrchr(dir, '/') : NULL;
  if (slash)
    *slash = '\0';
  int found = 0;
  const char *decl[3];
  for (size_t i = 0; g->env->headers[i] && found < 3; i++) {
    const char *h = g->env->headers[i];
    if (!strcmp(h, g->path))
      continue;
    const char *text;
    size_t len;
    if (g->env->read(g->env->ud, h, &text, &len) || !declares(text, len, name, tag))
      continue;
    char *rel = include_spelling(g, dir, h);
    if (rel) {
      add_include(g, rank + found, 0, rel, name);
      decl[found++] = h;
    }
    free(rel);
  }
  /* a project header that includes one of those (libyaml's .c files include yaml_private.h, which
   * includes yaml.h with the rest the file needs): after them */
  int wrap = 0;
  for (size_t i = 0; found && g->env->headers[i] && wrap < 2; i++) {
    const char *h = g->env->headers[i], *text;
    size_t len;
    if (!strcmp(h, g->path) || g->env->read(g->env->ud, h, &text, &len))
      continue;
    int hit = 0;
    for (int f = 0; f < found && !hit; f++) {
      const char *b = strrchr(decl[f], '/');
      b = b ? b + 1 : decl[f];
      if (h == decl[f] || !strcmp(h, decl[f]))
        break;
      hit = memmem(text, len, b, strlen(b)) && has_include(text, len, b);
    }
    char *rel = hit ? include_spelling(g, dir, h) : NULL;
    if (rel) {
      add_include(g, rank + found + wrap, 0, rel, name);
      wrap++;
    }
    free(rel);
  }
  free(dir);
}

void rp_gen_include(struct gen *g, const char *name, int qualified, int tag) {
  const char *h = tag ? NULL : repair_std_header(name, g->cxx, qualified);
  if (h)
    add_include(g, 0, 1, h, name);
  if (!qualified)
    rp_include_project(g, 1, name, tag);
}

/* ---- misspelled names ------------------------------------------------------------------------ */

static const char *const c_keywords[] = {"return", "break", "continue", "while", "for", "if", "else", "sizeof",
                                         "struct", "typedef", "static", "const", "unsigned", "signed", "switch",
                                         "case", "default", "goto", "void", "int", "char", "long", "short",
                                         "double", "float", "enum", "union", "extern", "volatile", NULL};


void rp_count_names(const char *t, size_t n, size_t min, struct namecount **v, size_t *nv) {
  for (size_t i = 0; i < n;) {
    if (!(isalpha((unsigned char)t[i]) || t[i] == '_') || (i && fix_ident_char((unsigned char)t[i - 1]))) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && fix_ident_char((unsigned char)t[j]))
      j++;
    size_t k = j - i;
    if (k >= min && k < 64) {
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
void rp_add_similar(struct gen *g, long at, const char *name, const struct namecount *v, size_t nv,
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
    rp_add(g, g->path, rank, (size_t)at, (size_t)at + k, v[i].name, "'%s' for '%s' (%s)", v[i].name, name, kind);
  }
}

void rp_gen_typo(struct gen *g, const char *name, int base) {
  long at = rp_find_on_line(g->t, g->n, g->off, name);
  if (at < 0)
    return;
  struct namecount *v = NULL;
  size_t nv = 0;
  rp_count_names(g->t, (size_t)at, 2, &v, &nv); /* names used before it */
  rp_count_names(g->t + at + strlen(name), g->n - (size_t)at - strlen(name), 2, &v, &nv);
  /* and the project headers this file includes (by base name) */
  for (size_t i = 0; g->env->headers && g->env->headers[i]; i++) {
    const char *b = strrchr(g->env->headers[i], '/');
    b = b ? b + 1 : g->env->headers[i];
    char pat[300];
    snprintf(pat, sizeof pat, "%s\"", b);
    const char *text;
    size_t len;
    if (strstr(g->t, pat) && !g->env->read(g->env->ud, g->env->headers[i], &text, &len))
      rp_count_names(text, len, 2, &v, &nv);
  }
  for (size_t i = 0; c_keywords[i]; i++) {
      struct namecount *w = realloc(v, (nv + 1) * sizeof *w);
      if (!w)
        break;
      v = w;
      snprintf(v[nv].name, sizeof v[nv].name, "%s", c_keywords[i]);
      v[nv++].n = 1;
    }
  for (size_t i = 0; g->env->unknown && i < nv; i++) /* as unknown as the name it would replace */
    for (size_t k = 0; g->env->unknown[k]; k++)
      if (!strcmp(v[i].name, g->env->unknown[k])) {
        v[i] = v[--nv];
        i--;
        break;
      }
  rp_add_similar(g, at, name, v, nv, "a name in scope", base);
  free(v);
}

/* The member names of `struct tag` (or a typedef of it) declared in text: the last identifier of
 * each declarator between the braces. */
/* The members declared in the body t[j] == '{' .. t[e] == '}': declarators end at ',' or ';' (depth
 * 1), the identifier before any '[' or ':'. */
static void body_members(const char *t, size_t j, size_t e, struct namecount **v, size_t *nv) {
  size_t p = j + 1;
  int depth = 0;
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
    while (end > p && !fix_ident_char((unsigned char)t[end - 1]))
      end--;
    size_t s = end;
    while (s > p && fix_ident_char((unsigned char)t[s - 1]))
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
}

/* The members of `struct tag { ... }` in t. */
static void members_of(const char *t, size_t n, const char *tag, struct namecount **v, size_t *nv) {
  size_t k = strlen(tag);
  for (size_t i = 0; i + k < n; i++) {
    if (memcmp(t + i, tag, k) || (i && fix_ident_char((unsigned char)t[i - 1])) || fix_ident_char((unsigned char)t[i + k]))
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
    if (e < n)
      body_members(t, j, e, v, nv);
    return;
  }
}

/* The members of `typedef struct [tag] { ... } name;` in t (C's anonymous-struct typedefs). */
static void typedef_members_of(const char *t, size_t n, const char *name, struct namecount **v, size_t *nv) {
  size_t k = strlen(name);
  for (const char *q = t; (q = memmem(q, n - (size_t)(q - t), name, k)); q += k) {
    size_t i = (size_t)(q - t), j = i + k, b = i;
    if ((i && fix_ident_char((unsigned char)t[i - 1])) || (j < n && fix_ident_char((unsigned char)t[j])))
      continue;
    while (j < n && (t[j] == ' ' || t[j] == '\t'))
      j++;
    while (b && isspace((unsigned char)t[b - 1]))
      b--;
    if (j >= n || t[j] != ';' || !b || t[b - 1] != '}')
      continue;
    size_t e = b - 1, o = e;
    int depth = 0;
    for (;; o--) {
      depth += t[o] == '}' ? 1 : t[o] == '{' ? -1 : 0;
      if (!depth || !o)
        break;
    }
    if (depth || t[o] != '{')
      continue;
    size_t w = o; /* "typedef struct [tag]" before the body */
    while (w && isspace((unsigned char)t[w - 1]))
      w--;
    size_t ws = w;
    while (ws && (fix_ident_char((unsigned char)t[ws - 1]) || isspace((unsigned char)t[ws - 1])))
      ws--;
    const char *kw = memmem(t + ws, w - ws, "typedef", 7);
    if (kw && (memmem(t + ws, w - ws, "struct", 6) || memmem(t + ws, w - ws, "union", 5))) {
      body_members(t, o, e, v, nv);
      return;
    }
  }
}

void rp_gen_member(struct gen *g, const char *type, const char *member) {
  /* "struct vec" (gcc may add {aka 'struct vec'}): the tag's declaration in the file or a header */
  while (!strncmp(type, "const ", 6) || !strncmp(type, "volatile ", 9))
    type = strchr(type, ' ') + 1;
  const char *tag = strncmp(type, "struct ", 7) == 0 ? type : NULL;
  if (!tag && !strncmp(type, "union ", 6))
    tag = type;
  if (!tag && (!fix_is_ident(type) || strchr(type, '<')))
    return; /* not a typedef name either ("struct <anonymous>") */
  struct namecount *v = NULL;
  size_t nv = 0;
  if (tag)
    members_of(g->t, g->n, tag, &v, &nv);
  else
    typedef_members_of(g->t, g->n, type, &v, &nv);
  for (size_t i = 0; !nv && g->env->headers && g->env->headers[i]; i++) {
    const char *text;
    size_t len;
    if (!g->env->read(g->env->ud, g->env->headers[i], &text, &len)) {
      if (tag)
        members_of(text, len, tag, &v, &nv);
      else
        typedef_members_of(text, len, type, &v, &nv);
    }
  }
  long at = rp_find_on_line(g->t, g->n, g->off, member);
  if (at >= 0)
    rp_add_similar(g, at, member, v, nv, "a member", 0);
  free(v);
}

/* ---- a local variable assigned but not declared ------------------------------------------------ */

/* The declared type of `name` in t before `limit` ("const char", stars): the last declaration-like
 * occurrence (type words, stars, the name, then one of = ; , ) [). */
int rp_type_of(const char *t, size_t limit, const char *name, char *type, size_t cap, int *stars, int *array) {
  size_t k = strlen(name);
  int found = 0;
  for (size_t i = 0; i + k <= limit; i++) {
    if (memcmp(t + i, name, k) || (i && fix_ident_char((unsigned char)t[i - 1])) ||
        (i + k < limit && fix_ident_char((unsigned char)t[i + k])))
      continue;
    size_t j = i + k;
    while (j < limit && (t[j] == ' ' || t[j] == '\t' || t[j] == '\n' || t[j] == '\r'))
      j++; /* a parameter alone on its line: "  QueryState **state_ref\n) {" */
    if (j >= limit || !strchr("=;,)[", t[j]))
      continue;
    size_t p = i;
    int st = 0;
    while (p && (t[p - 1] == ' ' || t[p - 1] == '\t' || t[p - 1] == '*'))
      st += t[--p] == '*';
    size_t e = p;
    while (p && (fix_ident_char((unsigned char)t[p - 1]) || t[p - 1] == ' ' || t[p - 1] == '\t'))
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

/* The return type a declaration or definition of function `fn` in t gives (`static inline Subtree
 * fn(` -> "Subtree ", `const char *fn(` -> "const char *"), into buf: the words before the name on
 * its line, storage classes dropped. */
static int return_type_of(const char *t, size_t n, const char *fn, char *buf, size_t cap) {
  size_t k = strlen(fn);
  for (const char *q = t; (q = memmem(q, n - (size_t)(q - t), fn, k)); q += k) {
    size_t i = (size_t)(q - t), j = i + k;
    if ((i && fix_ident_char((unsigned char)t[i - 1])) || j >= n || t[j] != '(')
      continue;
    size_t ls = rp_line_start(t, i), a = ls;
    while (a < i && (t[a] == ' ' || t[a] == '\t'))
      a++;
    if (a != ls) /* at the top level: a declaration starts its line */
      continue;
    int ok = a < i;
    for (size_t c = a; c < i && ok; c++)
      ok = fix_ident_char((unsigned char)t[c]) || t[c] == ' ' || t[c] == '*' || t[c] == '\t';
    if (!ok)
      continue;
    static const char *const drop[] = {"static ", "inline ", "extern ", "__inline ", "__inline__ ", NULL};
    for (int again = 1; again;) {
      again = 0;
      for (size_t d = 0; drop[d]; d++)
        if ((size_t)(i - a) > strlen(drop[d]) && !strncmp(t + a, drop[d], strlen(drop[d])))
          a += strlen(drop[d]), again = 1;
    }
    size_t len = i - a;
    if (!len || len >= cap || !strncmp(t + a, "return", 6) || !strncmp(t + a, "else", 4) || !strncmp(t + a, "void ", 5) ||
        (len == 4 && !strncmp(t + a, "void", 4)))
      continue;
    memcpy(buf, t + a, len);
    buf[len] = '\0';
    if (buf[len - 1] != ' ' && buf[len - 1] != '*')
      return 0;
    return 1;
  }
  return 0;
}

void rp_gen_declare(struct gen *g, const char *name) {
  long at = rp_find_on_line(g->t, g->n, g->off, name);
  if (at < 0)
    return;
  /* a statement start (or a for's init) followed by a plain '=' (comments before it skipped) */
  size_t p = (size_t)at;
  for (int more = 1; more;) {
    more = 0;
    while (p && (g->t[p - 1] == ' ' || g->t[p - 1] == '\t' || g->t[p - 1] == '\n' || g->t[p - 1] == '\r'))
      p--;
    size_t ls = rp_line_start(g->t, p ? p - 1 : 0), k = ls;
    while (k < p && (g->t[k] == ' ' || g->t[k] == '\t'))
      k++;
    if (p && k + 1 < p && g->t[k] == '/' && g->t[k + 1] == '/') /* a // line */
      p = ls, more = 1;
    else if (p >= 2 && g->t[p - 1] == '/' && g->t[p - 2] == '*') { /* ... */
      const char *c = NULL;
      for (size_t b = p - 2; b >= 1 && !c; b--)
        if (g->t[b - 1] == '/' && g->t[b] == '*')
          c = g->t + b - 1;
      if (c)
        p = (size_t)(c - g->t), more = 1;
    }
  }
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
  while (re < g->n && fix_ident_char((unsigned char)g->t[re]) && re - r < sizeof rhs - 1)
    re++;
  memcpy(rhs, g->t + r, re - r);
  rhs[re - r] = '\0';
  int rank = 0;
  char type[128];
  int stars = 0, array = 0;
  if (fix_is_ident(rhs) && rp_type_of(g->t, (size_t)at, rhs, type, sizeof type, &stars, &array)) {
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
      rp_add(g, g->path, rank++, (size_t)at, (size_t)at, decl, "declare '%s' as %s%s%.*s (the type of '%s%s')", name, ty,
          stars ? " " : "", stars, "********", rhs, indexed ? "[...]" : "");
    }
  }
  /* a call's result: the return type its declaration gives (this file, then the project's headers) */
  size_t x = re;
  while (x < g->n && g->t[x] == ' ')
    x++;
  char ret[128];
  if (fix_is_ident(rhs) && x < g->n && g->t[x] == '(') {
    int got = return_type_of(g->t, g->n, rhs, ret, sizeof ret);
    for (size_t i = 0; !got && g->env->headers && g->env->headers[i]; i++) {
      const char *text;
      size_t len;
      if (!g->env->read(g->env->ud, g->env->headers[i], &text, &len))
        got = return_type_of(text, len, rhs, ret, sizeof ret);
    }
    if (got) {
      size_t rl = strlen(ret);
      rp_add(g, g->path, rank++, (size_t)at, (size_t)at, ret, "declare '%s' as %.*s (what '%s' returns)", name,
             (int)(rl && ret[rl - 1] == ' ' ? rl - 1 : rl), ret, rhs);
    }
  }
  /* a dereference: the pointer's type, one star less */
  if (!rhs[0] && r < g->n && g->t[r] == '*') {
    size_t a = r + 1, b = a;
    while (b < g->n && fix_ident_char((unsigned char)g->t[b]) && b - a < sizeof rhs - 1)
      b++;
    memcpy(rhs, g->t + a, b - a);
    rhs[b - a] = '\0';
    size_t y = b;
    while (y < g->n && g->t[y] == ' ')
      y++;
    if (fix_is_ident(rhs) && y < g->n && g->t[y] == ';' &&
        rp_type_of(g->t, (size_t)at, rhs, type, sizeof type, &stars, &array) && stars >= 1 && !array) {
      char decl[200];
      snprintf(decl, sizeof decl, "%s %.*s", type, stars - 1, "********");
      rp_add(g, g->path, rank++, (size_t)at, (size_t)at, decl, "declare '%s' as %s%s%.*s (the type of '*%s')", name, type,
             stars > 1 ? " " : "", stars - 1, "********", rhs);
    }
  }
  static const char *const fallback[] = {"int ", "double ", "char *", "size_t ", "long ", NULL};
  for (size_t i = 0; fallback[i]; i++)
    rp_add(g, g->path, 10 + rank + (int)i, (size_t)at, (size_t)at, fallback[i], "declare '%s' as %.*s", name,
        (int)strcspn(fallback[i], " "), fallback[i]);
}

/* ---- too many arguments -------------------------------------------------------------------- */

size_t rp_split_args(const char *t, size_t n, size_t open, size_t *starts, size_t *ends, size_t max) {
  return fix_call_args(t, n, open, starts, ends, max);
}

/* The last identifier of t[a, b) when the whole is a name, a member access or an address-of
 * (`x`, `&x`, `s->x`, `s.x`), into buf; 0 otherwise. Writes "" then. */
static int simple_name(const char *t, size_t a, size_t b, char *buf, size_t cap) {
  buf[0] = '\0';
  while (a < b && (isspace((unsigned char)t[a]) || t[a] == '&' || t[a] == '*'))
    a++;
  while (b > a && isspace((unsigned char)t[b - 1]))
    b--;
  size_t last = a;
  for (size_t q = a; q < b; q++) {
    if (fix_ident_char((unsigned char)t[q]))
      continue;
    if (t[q] == '.' || (t[q] == '-' && q + 1 < b && t[q + 1] == '>')) {
      q += t[q] == '-';
      last = q + 1;
      continue;
    }
    return 0;
  }
  if (b <= last || b - last >= cap || isdigit((unsigned char)t[last]))
    return 0;
  memcpy(buf, t + last, b - last);
  buf[b - last] = '\0';
  return 1;
}

/* The shape of an argument t[a, b): identifiers as 'a', numbers as '0', spaces dropped, the
 * rest kept ("n - 1" and "n-2" are both "a-0"). */
static void shape(const char *t, size_t a, size_t b, char *out, size_t cap) {
  size_t k = 0;
  for (size_t q = a; q < b && k + 1 < cap; q++) {
    char c = t[q];
    if (isspace((unsigned char)c))
      continue;
    if (fix_ident_char((unsigned char)c)) {
      char kind = isdigit((unsigned char)c) ? '0' : 'a';
      while (q + 1 < b && fix_ident_char((unsigned char)t[q + 1]))
        q++;
      out[k++] = kind;
      continue;
    }
    out[k++] = c;
  }
  out[k] = '\0';
}

/* A call with one argument too many: each argument dropped is a candidate. Which one the developer
 * removed is read from the names: the declaration's parameter names (its note) against the
 * arguments' (an argument named like the parameter now at its place is evidence; dropping one that
 * names no parameter is too; dropping one that does is evidence against). Candidates with equal
 * evidence are exclusive alternatives: when more than one of them compiles cleanly, none is kept
 * (the judge's rule), since a call that type-checks can still pass the wrong value. */
void rp_gen_drop_arg(struct gen *g, const char *fn) {
  long at = rp_find_on_line(g->t, g->n, g->off, fn);
  if (at < 0)
    return;
  size_t p = (size_t)at + strlen(fn);
  while (p < g->n && isspace((unsigned char)g->t[p]))
    p++;
  if (p >= g->n || g->t[p] != '(')
    return;
  size_t starts[32], ends[32];
  size_t na = rp_split_args(g->t, g->n, p, starts, ends, 32);
  if (na < 2)
    return;
  /* the parameters' names, from the declaration the note shows */
  char params[32][64];
  size_t np = 0;
  const struct fix_diag *note = rp_placed_note(g->d);
  const char *dt;
  size_t dn;
  long doff = note ? rp_note_offset(g, note, 1, &dt, &dn) : -1;
  long dat = doff >= 0 ? rp_find_on_line(dt, dn, (size_t)doff, fn) : -1;
  if (dat >= 0) {
    size_t q = (size_t)dat + strlen(fn), ps[32], pe[32];
    while (q < dn && isspace((unsigned char)dt[q]))
      q++;
    size_t k = q < dn && dt[q] == '(' ? rp_split_args(dt, dn, q, ps, pe, 32) : 0;
    for (size_t i = 0; i < k; i++) { /* the last identifier of each parameter */
      size_t e = pe[i];
      while (e > ps[i] && (isspace((unsigned char)dt[e - 1]) || dt[e - 1] == ']' || dt[e - 1] == '['))
        e--;
      size_t b = e;
      while (b > ps[i] && fix_ident_char((unsigned char)dt[b - 1]))
        b--;
      snprintf(params[np++], sizeof params[0], "%.*s", (int)(e - b < 63 ? e - b : 63), dt + b);
    }
    if (np + 1 != na)
      np = 0; /* not the declaration this call disagrees with by one */
  }
  /* the other calls of fn in the file that have the right count: an argument shaped like theirs at
   * its place (names, numbers and spaces aside: `n - 1` like `n - 2`) is evidence too */
  char sib[8][32][24];
  size_t nsib = 0, near = (size_t)-1; /* only the nearest calls, in lines: the same line's first */
  for (const char *q = g->t; (q = memmem(q, g->n - (size_t)(q - g->t), fn, strlen(fn))); q++) {
    size_t o = (size_t)(q - g->t), e = o + strlen(fn);
    if ((o > 0 && fix_ident_char((unsigned char)g->t[o - 1])) || o == (size_t)at)
      continue;
    while (e < g->n && isspace((unsigned char)g->t[e]))
      e++;
    size_t ss[32], se[32];
    if (e >= g->n || g->t[e] != '(' || rp_split_args(g->t, g->n, e, ss, se, 32) + 1 != na)
      continue;
    size_t lines = 0;
    for (size_t k = o < (size_t)at ? o : (size_t)at; k < (o < (size_t)at ? (size_t)at : o); k++)
      lines += g->t[k] == '\n';
    if (lines > near)
      continue;
    if (lines < near)
      nsib = 0, near = lines;
    if (nsib == 8)
      continue;
    for (size_t k = 0; k + 1 < na; k++)
      shape(g->t, ss[k], se[k], sib[nsib][k], sizeof sib[0][0]);
    nsib++;
  }
  int evidence[32], best = 0;
  for (size_t i = 0; i < na; i++) {
    int ev = 0;
    char name[64];
    for (size_t t = 0, top = 0; t < nsib; t++) {
      int m = 0;
      for (size_t j = 0, k = 0; j < na; j++) {
        if (j == i)
          continue;
        char sh[24];
        shape(g->t, starts[j], ends[j], sh, sizeof sh);
        m += !strcmp(sh, sib[t][k++]);
      }
      if (m > (int)top)
        ev += m - (int)top, top = (size_t)m;
    }
    for (size_t j = 0, k = 0; np && j < na; j++) {
      if (j == i)
        continue;
      if (simple_name(g->t, starts[j], ends[j], name, sizeof name) && !strcmp(name, params[k]))
        ev += 2;
      k++;
    }
    if (np && simple_name(g->t, starts[i], ends[i], name, sizeof name)) {
      int named = 0;
      for (size_t k = 0; k < np; k++)
        named |= !strcmp(name, params[k]);
      ev += named ? -2 : 1;
    }
    /* the same argument twice in a row (`version, version`): one copy is the extra one, and
     * dropping either gives the same call */
    for (size_t j = i ? i - 1 : 1; j <= i + 1 && j < na; j += 2) {
      size_t a0 = starts[i], a1 = ends[i], b0 = starts[j], b1 = ends[j];
      while (a0 < a1 && isspace((unsigned char)g->t[a0]))
        a0++;
      while (a1 > a0 && isspace((unsigned char)g->t[a1 - 1]))
        a1--;
      while (b0 < b1 && isspace((unsigned char)g->t[b0]))
        b0++;
      while (b1 > b0 && isspace((unsigned char)g->t[b1 - 1]))
        b1--;
      if (a1 > a0 && a1 - a0 == b1 - b0 && !memcmp(g->t + a0, g->t + b0, a1 - a0)) {
        ev += 3;
        break;
      }
    }
    /* the developer removed this parameter from the declaration: the strongest evidence there is */
    const struct fix_intent_change *ic = fix_intent_param_removed(g->env->intent, fn, (int)na);
    if (ic && ic->index == (int)i)
      ev += 100;
    evidence[i] = ev;
    if (i == 0 || ev > best)
      best = ev;
  }
  const struct fix_intent_change *removed = fix_intent_param_removed(g->env->intent, fn, (int)na);
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
    size_t before = g->out->n;
    if (removed && removed->index == (int)i)
      rp_add(g, g->path, (best - evidence[i]) * 32 + (int)(na - 1 - i), s, e, "",
             "drop argument %zu ('%s') of %s(): completes your removal of parameter '%s'", i + 1, trim, fn, removed->param);
    else
      rp_add(g, g->path, (best - evidence[i]) * 32 + (int)(na - 1 - i), s, e, "", "drop argument %zu ('%s') of %s()",
             i + 1, trim, fn);
    if (g->out->n > before) {
      g->out->v[before].exclusive = 1;
      g->out->v[before].evidence = evidence[i];
    }
  }
}

