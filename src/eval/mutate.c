/* mutate.c — `fix eval mutate`: seeded, realistic single mistakes in a copy of a tree that builds,
 * kept when they break the build, written as a corpus that `fix eval` runs (fix/eval.h).
 *
 * Each class is one entry of `classes` below: a name, the languages it applies to, and a
 * generator that proposes (offset, length, replacement) edits of one file's text. Sites come from
 * tree-sitter (fix_context_items: the functions' bodies, the project's functions, fields and types)
 * and the text of the body's lines. Selection is deterministic for a seed: every candidate of a
 * class is listed in file and offset order, the lists shuffled with the seed, and the classes taken
 * in turn; a candidate is kept when the build fails with it (an incremental build in one scratch
 * copy, the file restored after each try). The corpus is out/_base (the tree as it is, no build
 * outputs: a CMake tree copied elsewhere would build the original's sources) and
 * out/<lang>/<class>-<n>/{broken,fixed}/ holding the one mutated file and its original;
 * case.json's "base" lays the case over _base. */
#include "fix/context.h"
#include "fix/eval.h"

#include "groups.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cand {
  const char *cls;
  char *file; /* relative */
  size_t at, len;
  char *text;
  int line;
};

struct cands {
  struct cand *v;
  size_t n, cap;
};

static void add(struct cands *c, const char *cls, const char *file, size_t at, size_t len, const char *text, int line) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 256;
    struct cand *v = realloc(c->v, cap * sizeof *v);
    if (!v)
      return;
    c->v = v, c->cap = cap;
  }
  c->v[c->n++] = (struct cand){cls, fix_strdup(file), at, len, fix_strdup(text), line};
}

/* the project's names, by what they are */
struct names {
  struct fix_strv fns, fields, types;
};

static int is_kw(const char *w, size_t n) {
  static const char *const kw[] = {"return", "if", "else", "for", "while", "do", "switch", "case", "sizeof", "struct",
                                   "const", "static", "unsigned", "signed", "int", "char", "long", "short", "double",
                                   "float", "void", "let", "mut", "fn", "match", "loop", "break", "continue", "new",
                                   "delete", "auto", "enum", "union", "goto", "default", "self", "Self", "true",
                                   "false", "NULL", "nullptr", "pub", "impl", "use", "mod", "in", "as", "ref", NULL};
  for (size_t i = 0; kw[i]; i++)
    if (strlen(kw[i]) == n && !memcmp(kw[i], w, n))
      return 1;
  return 0;
}

static int has(const struct fix_strv *v, const char *w, size_t n) {
  for (size_t i = 0; i < v->n; i++)
    if (strlen(v->v[i]) == n && !memcmp(v->v[i], w, n))
      return 1;
  return 0;
}

static const char *last_part(const char *name) {
  const char *p = name, *q;
  if ((q = strrchr(p, '.')))
    p = q + 1;
  while ((q = strstr(p, "::")))
    p = q + 2;
  if ((q = strrchr(p, ' ')))
    p = q + 1;
  return p;
}

static void collect_names(enum fix_lang lang, const char *t, size_t n, struct names *nm) {
  struct fix_items it = {0};
  struct fix_err err;
  if (fix_context_items(lang, t, n, &it, &err) != FIX_OK)
    return;
  for (size_t i = 0; i < it.n; i++) {
    const char *k = it.v[i].kind, *w = last_part(it.v[i].name);
    struct fix_strv *to = !strcmp(k, "function") || !strcmp(k, "fn") || !strcmp(k, "method") || !strcmp(k, "impl_fn")
                              ? &nm->fns
                          : !strcmp(k, "field") ? &nm->fields
                          : !strcmp(k, "struct") || !strcmp(k, "typedef") || !strcmp(k, "class") || !strcmp(k, "type") ||
                                  !strcmp(k, "enum")
                              ? &nm->types
                              : NULL;
    if (to && strlen(w) >= 3 && fix_is_ident(w) && !fix_strv_contains(to, w))
      fix_strv_push(to, w);
  }
  fix_items_free(&it);
}

/* A misspelling a hand makes: two middle letters swapped, or (when they are equal) one dropped. */
static char *typo(const char *w, size_t n) {
  char *s = fix_strndup(w, n);
  if (!s || n < 4)
    return s;
  size_t k = n / 2;
  if (s[k] != s[k - 1] && isalpha((unsigned char)s[k]) && isalpha((unsigned char)s[k - 1])) {
    char c = s[k];
    s[k] = s[k - 1], s[k - 1] = c;
  } else {
    memmove(s + k, s + k + 1, n - k);
  }
  return s;
}

/* The arguments of the call whose '(' is at t[open] on one line (t[open, end)): their bounds without
 * leading spaces; the count (0 for `f()`), or -1 when the list does not close on the line. */
static int args_of(const char *t, size_t open, size_t end, size_t *as, size_t *ae, int max) {
  size_t n = fix_call_args(t, end, open, as, ae, (size_t)max);
  if (!n)
    return -1;
  for (size_t i = 0; i < n; i++)
    while (as[i] < ae[i] && isspace((unsigned char)t[as[i]]))
      as[i]++;
  return n == 1 && as[0] == ae[0] ? 0 : (int)n;
}

/* the candidates of one body line t[ls, le) */
static void line_cands(enum fix_lang lang, const char *file, const char *t, size_t ls, size_t le, int line,
                       const struct names *nm, const struct fix_strv *locals, struct cands *out) {
  size_t s = ls, e = le;
  while (s < e && isspace((unsigned char)t[s]))
    s++;
  while (e > s && isspace((unsigned char)t[e - 1]))
    e--;
  if (e - s < 2 || t[s] == '#' || !strncmp(t + s, "//", 2) || !strncmp(t + s, "/*", 2) || t[s] == '*')
    return;
  int rust = lang == FIX_LANG_RUST, cxx = lang == FIX_LANG_CPP;
  if (t[e - 1] == ';' && strncmp(t + s, "for", 3))
    add(out, "missing-semicolon", file, e - 1, 1, "", line);
  if (e - s > 3 && t[e - 1] == ';' && t[e - 2] == ')')
    add(out, "missing-paren", file, e - 2, 1, "", line);
  if (e - s == 1 && t[s] == '}')
    add(out, "missing-brace", file, s, 1, "", line);
  /* a local declaration with an initializer: its type removed (C, C++), its let (Rust) */
  if (rust && !strncmp(t + s, "let ", 4) && t[e - 1] == ';' && memchr(t + s, '=', e - s)) {
    size_t k = s + 4 + (strncmp(t + s + 4, "mut ", 4) ? 0 : 4);
    add(out, "removed-local-decl", file, s, k - s, "", line);
  } else if (!rust && t[e - 1] == ';' && isalpha((unsigned char)t[s]) && strncmp(t + s, "return", 6) &&
             strncmp(t + s, "else", 4) && strncmp(t + s, "case", 4) && strncmp(t + s, "goto", 4)) {
    const char *eq = memchr(t + s, '=', e - s);
    size_t q = s;
    while (q < e && (fix_ident_char((unsigned char)t[q]) || t[q] == ' ' || t[q] == '*' || t[q] == ':'))
      q++;
    if (eq && t + q == eq && eq[1] != '=') { /* `T name = ...;`: the words before the name are the type */
      size_t ne = (size_t)(eq - t);
      while (ne > s && t[ne - 1] == ' ')
        ne--;
      size_t nb = ne;
      while (nb > s && fix_ident_char((unsigned char)t[nb - 1]))
        nb--;
      size_t tb = nb;
      while (tb > s && (t[tb - 1] == ' ' || t[tb - 1] == '*'))
        tb--;
      if (tb > s && nb < ne)
        add(out, "removed-local-decl", file, s, nb - s, "", line);
    }
  }
  if (rust) {
    const char *p;
    if ((p = memmem(t + s, e - s, "let mut ", 8)))
      add(out, "mut-removed", file, (size_t)(p - t) + 4, 4, "", line);
    if ((p = memmem(t + s, e - s, ".clone()", 8)))
      add(out, "clone-removed", file, (size_t)(p - t), 8, "", line);
    if ((p = memmem(t + s, e - s, "?;", 2)))
      add(out, "question-removed", file, (size_t)(p - t), 1, "", line);
    for (size_t q = s + 1; q + 1 < e; q++)
      if (t[q] == '&' && (t[q - 1] == '(' || t[q - 1] == ' ') && fix_ident_char((unsigned char)t[q + 1]) &&
          strncmp(t + q + 1, "mut ", 4) && (q < s + 2 || t[q - 2] != '&')) {
        add(out, "ref-removed", file, q, 1, "", line);
        break;
      }
    if ((p = memmem(t + s, e - s, ": String", 8)))
      add(out, "string-str", file, (size_t)(p - t) + 2, 6, "&str", line);
    else if ((p = memmem(t + s, e - s, ": &str", 6)))
      add(out, "string-str", file, (size_t)(p - t) + 2, 4, "String", line);
  }
  if (cxx) {
    const char *p = memmem(t + s, e - s, "std::", 5);
    if (p)
      add(out, "std-removed", file, (size_t)(p - t), 5, "", line);
  }
  if (!rust) {
    const char *p = memmem(t + s, e - s, "->", 2);
    if (p && p > t + s && fix_ident_char((unsigned char)p[-1]) && fix_ident_char((unsigned char)p[2]))
      add(out, "dot-arrow", file, (size_t)(p - t), 2, ".", line);
    for (size_t q = s + 1; q + 1 < e; q++)
      if (t[q] == '.' && fix_ident_char((unsigned char)t[q - 1]) && !isdigit((unsigned char)t[q - 1]) &&
          isalpha((unsigned char)t[q + 1]) && has(&nm->fields, t + q + 1, strspn(t + q + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))) {
        add(out, "dot-arrow", file, q, 1, "->", line);
        break;
      }
  }
  /* identifiers: functions called, members, types, locals */
  int in_str = 0;
  for (size_t q = s; q < e; q++) {
    char c = t[q];
    if (c == '"' && (q == s || t[q - 1] != '\\'))
      in_str = !in_str;
    if (in_str || !(isalpha((unsigned char)c) || c == '_') || (q > s && fix_ident_char((unsigned char)t[q - 1])))
      continue;
    size_t w = q;
    while (w < e && fix_ident_char((unsigned char)t[w]))
      w++;
    size_t n = w - q;
    if (n < 4 || is_kw(t + q, n)) {
      q = w - 1;
      continue;
    }
    const char *cls = NULL;
    int member = q >= 1 && (t[q - 1] == '.' || (q >= 2 && t[q - 1] == '>' && t[q - 2] == '-'));
    if (w < e && t[w] == '(' && has(&nm->fns, t + q, n)) {
      cls = "typo-function";
      size_t as[16], ae[16];
      int na = args_of(t, w, e, as, ae, 16);
      if (na >= 1) {
        char *last = fix_strndup(t + as[na - 1], ae[na - 1] - as[na - 1]);
        char *dup = last ? fix_asprintf(", %s", last) : NULL;
        while (dup && strlen(dup) > 2 && isspace((unsigned char)dup[strlen(dup) - 1]))
          dup[strlen(dup) - 1] = '\0';
        size_t end_last = ae[na - 1];
        while (end_last > as[na - 1] && isspace((unsigned char)t[end_last - 1]))
          end_last--;
        if (dup)
          add(out, "arg-extra", file, end_last, 0, dup, line);
        free(last), free(dup);
        if (na == 1)
          add(out, "arg-missing", file, as[0], end_last - as[0], "", line);
        else
          add(out, "arg-missing", file, ae[na - 2], end_last - ae[na - 2], "", line);
        if (na >= 3)
          add(out, "arg-missing-middle", file, as[na / 2], as[na / 2 + 1] - as[na / 2], "", line);
      }
    } else if (member && has(&nm->fields, t + q, n)) {
      cls = "typo-member";
    } else if (has(&nm->types, t + q, n)) {
      cls = "typo-type";
    } else if (has(locals, t + q, n)) {
      cls = "typo-local";
    }
    if (cls) {
      char *ty = typo(t + q, n);
      if (ty && strlen(ty) && strncmp(ty, t + q, n))
        add(out, cls, file, q, n, ty, line);
      free(ty);
    }
    q = w - 1;
  }
}

/* Every candidate mutation of one file. */
static void file_cands(enum fix_lang lang, const char *file, const char *t, size_t n, const struct names *nm,
                       struct cands *out) {
  struct fix_items it = {0};
  struct fix_err err;
  if (fix_context_items(lang, t, n, &it, &err) != FIX_OK)
    return;
  /* line offsets */
  size_t nl = 1;
  for (size_t i = 0; i < n; i++)
    nl += t[i] == '\n';
  size_t *lo = calloc(nl + 2, sizeof *lo);
  if (!lo) {
    fix_items_free(&it);
    return;
  }
  size_t k = 1;
  lo[1] = 0;
  for (size_t i = 0; i < n && k + 1 <= nl; i++)
    if (t[i] == '\n')
      lo[++k] = i + 1;
  lo[nl + 1] = n;
#define LINE_END(l) ((l) < nl ? lo[(l) + 1] - 1 : n)
  for (size_t i = 0; i < it.n; i++) {
    const struct fix_item *x = &it.v[i];
    int fn = !strcmp(x->kind, "function") || !strcmp(x->kind, "fn") || !strcmp(x->kind, "method") ||
             !strcmp(x->kind, "impl_fn");
    if (fn && x->body_lines > 0 && x->first >= 1 && (size_t)x->last <= nl && x->last > x->first + 1) {
      /* the function's locals: `T name =` / `let name` in its body */
      struct fix_strv locals = {0};
      for (int l = x->first + 1; l < x->last; l++) {
        size_t a = lo[l], b = LINE_END((size_t)l);
        const char *eq = memchr(t + a, '=', b - a);
        if (!eq || eq[1] == '=')
          continue;
        size_t ne = (size_t)(eq - t);
        while (ne > a && t[ne - 1] == ' ')
          ne--;
        size_t nb = ne;
        while (nb > a && fix_ident_char((unsigned char)t[nb - 1]))
          nb--;
        if (nb < ne && nb > a && (t[nb - 1] == ' ' || t[nb - 1] == '*') && ne - nb >= 4) {
          char *w = fix_strndup(t + nb, ne - nb);
          if (w && fix_is_ident(w) && !is_kw(w, strlen(w)) && !fix_strv_contains(&locals, w))
            fix_strv_push(&locals, w);
          free(w);
        }
      }
      for (int l = x->first + 1; l < x->last; l++)
        line_cands(lang, file, t, lo[l], LINE_END((size_t)l), l, nm, &locals, out);
      fix_strv_free(&locals);
      /* the definition renamed at its definition only, and (C, C++) its return type changed */
      const char *name = last_part(x->name);
      size_t a = lo[x->first], b = LINE_END((size_t)x->first);
      const char *p = memmem(t + a, b - a, name, strlen(name));
      if (p && strlen(name) >= 4 && p[strlen(name)] == '(') {
        char *to = fix_asprintf("%s_impl", name);
        add(out, "def-renamed", file, (size_t)(p - t), strlen(name), to, x->first);
        free(to);
      }
      static const char *const swaps[][2] = {{"int ", "long "}, {"long ", "int "}, {"void ", "int "},
                                             {"double ", "float "}, {"size_t ", "int "}, {"bool ", "int "}};
      for (size_t sw = 0; lang != FIX_LANG_RUST && sw < sizeof swaps / sizeof *swaps; sw++)
        if (!strncmp(t + a, swaps[sw][0], strlen(swaps[sw][0])) ||
            (!strncmp(t + a, "static ", 7) && !strncmp(t + a + 7, swaps[sw][0], strlen(swaps[sw][0])))) {
          size_t at = a + (strncmp(t + a, "static ", 7) ? 0 : 7);
          add(out, "return-type", file, at, strlen(swaps[sw][0]), swaps[sw][1], x->first);
          break;
        }
    } else if (!strcmp(x->kind, "field") && x->first >= 1 && (size_t)x->first <= nl) {
      const char *name = last_part(x->name);
      size_t a = lo[x->first], b = LINE_END((size_t)x->first);
      const char *p = name && strlen(name) >= 3 ? memmem(t + a, b - a, name, strlen(name)) : NULL;
      while (p && ((p > t + a && fix_ident_char((unsigned char)p[-1])) || fix_ident_char((unsigned char)p[strlen(name)])))
        p = memmem(p + 1, (size_t)(t + b - p - 1), name, strlen(name));
      if (p) {
        char *to = fix_asprintf("%s_v2", name);
        add(out, "def-renamed", file, (size_t)(p - t), strlen(name), to, x->first);
        free(to);
      }
    }
  }
  /* includes and uses of the project's own files */
  for (size_t l = 1; l <= nl; l++) {
    size_t a = lo[l], b = LINE_END(l);
    if (lang != FIX_LANG_RUST && b - a > 10 && !strncmp(t + a, "#include \"", 10))
      add(out, "remove-include", file, a, b < n ? b + 1 - a : b - a, "", (int)l);
    if (lang == FIX_LANG_RUST && b - a > 10 && (!strncmp(t + a, "use crate::", 11) || !strncmp(t + a, "use super::", 11)) &&
        t[b - 1] == ';')
      add(out, "remove-include", file, a, b < n ? b + 1 - a : b - a, "", (int)l);
  }
#undef LINE_END
  free(lo);
  fix_items_free(&it);
}

/* ---- the classes, and choosing the cases ----------------------------------------------------- */

static const char *const class_names[] = {
    "typo-local", "typo-function", "typo-member", "typo-type", "remove-include", "missing-semicolon",
    "missing-paren", "missing-brace", "dot-arrow", "arg-extra", "arg-missing", "arg-missing-middle",
    "return-type", "removed-local-decl", "std-removed", "mut-removed", "ref-removed", "clone-removed",
    "question-removed", "string-str", "def-renamed", NULL};

const char *const *fix_mutate_classes(void) { return class_names; }

static uint64_t next_rand(uint64_t *x) { /* xorshift64* */
  *x ^= *x >> 12;
  *x ^= *x << 25;
  *x ^= *x >> 27;
  return *x * 2685821657736338717ull;
}

static int listed(const char *list, const char *name) {
  if (!list || !*list)
    return 1;
  size_t n = strlen(name);
  for (const char *p = list; p && *p;) {
    const char *c = strchr(p, ',');
    size_t k = c ? (size_t)(c - p) : strlen(p);
    if (k == n && !strncmp(p, name, n))
      return 1;
    p = c ? c + 1 : NULL;
  }
  return 0;
}

static int run_build(const char *const *argv, const char *cwd, double timeout, struct fix_buf *out) {
  struct fix_spawn_result r;
  const char *env[] = {"LC_ALL=C", "NO_COLOR=1", "CARGO_TERM_COLOR=never", NULL};
  fix_buf_init(out, 0);
  if (fix_spawn_quiet(argv, cwd, env, timeout, &r, NULL) != FIX_OK)
    return -1;
  *out = r.out;
  return r.timed_out ? -1 : r.exit_code;
}

/* The first error of a build's output, as its message ("expected ';' before 'return'"). */
static char *first_error(const char *log) {
  for (const char *l = log; l && *l;) {
    const char *e = strchr(l, '\n');
    size_t n = e ? (size_t)(e - l) : strlen(l);
    const char *m = memmem(l, n, "error: ", 7), *r = memmem(l, n, "error[E", 7);
    const char *u = memmem(l, n, "undefined reference to", 22);
    if (r && r == l) { /* rustc: error[E0425]: message */
      const char *c = memmem(r, n - (size_t)(r - l), "]: ", 3);
      if (c)
        return fix_strndup(c + 3, n - (size_t)(c + 3 - l) > 120 ? 120 : n - (size_t)(c + 3 - l));
    }
    if (m && !(m >= l + 2 && m[-2] == 'k' && m[-1] == ' ')) /* not make's "make: *** ... Error" */
      return fix_strndup(m + 7, n - (size_t)(m + 7 - l) > 120 ? 120 : n - (size_t)(m + 7 - l));
    if (u)
      return fix_strndup(u, n - (size_t)(u - l) > 120 ? 120 : n - (size_t)(u - l));
    l = e ? e + 1 : NULL;
  }
  return NULL;
}

static int copy_into(const char *from, const char *to) {
  const char *cp[] = {"cp", "-a", from, to, NULL};
  struct fix_spawn_result r;
  if (fix_spawn_quiet(cp, NULL, NULL, 600, &r, NULL) != FIX_OK)
    return -1;
  fix_buf_free(&r.out);
  return r.exit_code == 0 ? 0 : -1;
}

static int put(const char *dir, const char *rel, const char *text, size_t n) {
  char *p = fix_path_join(dir, rel), *slash = p ? strrchr(p, '/') : NULL;
  int ok = 0;
  if (slash) {
    *slash = '\0';
    ok = fix_mkdirs(p, NULL) == FIX_OK;
    *slash = '/';
    ok = ok && fix_file_write_atomic(p, text, n, NULL) == FIX_OK;
  }
  free(p);
  return ok ? 0 : -1;
}

/* Whether `path` is `dir` or below it (both resolved). */
static int inside(const char *path, const char *dir) {
  char *a = realpath(path, NULL), *b = realpath(dir, NULL);
  size_t bl = b ? strlen(b) : 0;
  int in = a && b && !strncmp(a, b, bl) && (a[bl] == '\0' || a[bl] == '/');
  free(a), free(b);
  return in;
}

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

enum fix_status fix_mutate(const struct fix_mutate_opts *o, size_t *made, struct fix_err *err) {
  *made = 0;
  char *base = fix_path_join(o->out, "_base"), *work = fix_path_join(o->out, "_work");
  enum fix_status st = base && work ? fix_mkdirs(base, err) : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  struct fix_strv files = {0}, texts = {0};
  struct names nm = {0};
  struct cands cs = {0};
  struct fix_buf log = {0};
  /* the tree's sources and build files, not its version control or build outputs */
  DIR *d = st ? NULL : opendir(o->root);
  if (!st && !d)
    st = fix_err_errno(err, FIX_ERR_NOT_FOUND, "cannot read %s", o->root);
  for (struct dirent *e; !st && d && (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git") || !strcmp(e->d_name, ".hg") ||
        !strcmp(e->d_name, ".jj") || !strcmp(e->d_name, ".svn"))
      continue;
    char *p = fix_path_join(o->root, e->d_name);
    if (p && inside(p, o->out))
      ; /* the corpus being written, when it is inside the tree */
    else if (p && !(fix_dir_exists(p) && eval_build_output(p)) && copy_into(p, base))
      st = fix_err_set(err, FIX_ERR_IO, "cannot copy %s into %s", p, base);
    free(p);
  }
  if (d)
    closedir(d);
  if (!st && copy_into(base, work)) /* base stays as the tree is: every case builds from it */
    st = fix_err_set(err, FIX_ERR_IO, "cannot copy %s", base);
  if (!st) {
    int rc = run_build(o->build, work, o->timeout_s, &log);
    if (rc != 0) {
      char *e = first_error(log.data);
      st = fix_err_set(err, FIX_ERR_CONFLICT, "the tree does not build with '%s'%s%s: mutations need a tree whose build passes",
                       o->build[0], e ? ": " : "", e ? e : "");
      free(e);
    }
    fix_buf_free(&log);
  }
  if (!st) {
    eval_sources(base, "", &files, 0);
    if (files.n)
      qsort(files.v, files.n, sizeof *files.v, by_str);
    for (size_t i = 0; i < files.n; i++) {
      char *p = fix_path_join(base, files.v[i]);
      struct fix_buf b;
      if (p && fix_file_read(p, 4u << 20, &b, NULL) == FIX_OK) {
        fix_strv_push_own(&texts, b.data ? fix_buf_take(&b) : fix_strdup(""));
        fix_buf_free(&b);
      } else {
        fix_strv_push(&texts, "");
      }
      free(p);
      collect_names(fix_lang_from_path(files.v[i]), texts.v[i], strlen(texts.v[i]), &nm);
    }
    for (size_t i = 0; i < files.n; i++)
      file_cands(fix_lang_from_path(files.v[i]), files.v[i], texts.v[i], strlen(texts.v[i]), &nm, &cs);
  }
  /* per class, shuffled with the seed; the classes in turn */
  size_t ncls = 0;
  while (class_names[ncls])
    ncls++;
  size_t *order = cs.n ? malloc(cs.n * sizeof *order) : NULL, *start = calloc(ncls + 1, sizeof *start),
         *next = calloc(ncls + 1, sizeof *next);
  if (!st && (!start || !next || (cs.n && !order)))
    st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  size_t k = 0;
  for (size_t c = 0; !st && c < ncls; c++) {
    start[c] = k;
    size_t first = k;
    for (size_t i = 0; listed(o->classes, class_names[c]) && i < cs.n; i++)
      if (!strcmp(cs.v[i].cls, class_names[c]))
        order[k++] = i;
    uint64_t x = (o->seed ^ fix_hash64(class_names[c], strlen(class_names[c]))) | 1;
    for (size_t i = k; i > first + 1; i--) {
      size_t j = first + (size_t)(next_rand(&x) % (i - first));
      size_t t = order[i - 1];
      order[i - 1] = order[j], order[j] = t;
    }
    next[c] = first;
  }
  if (!st)
    start[ncls] = k;
  size_t tries = 0, max_tries = o->cases * 8 + 16;
  int progress = 1;
  while (!st && *made < o->cases && progress && tries < max_tries && !fix_interrupted()) {
    progress = 0;
    for (size_t c = 0; c < ncls && *made < o->cases && tries < max_tries && !fix_interrupted(); c++) {
      while (next[c] < start[c + 1]) { /* this class's next candidate that breaks the build */
        const struct cand *m = &cs.v[order[next[c]++]];
        size_t fi = 0;
        while (fi < files.n && strcmp(files.v[fi], m->file))
          fi++;
        const char *orig = texts.v[fi];
        size_t on = strlen(orig);
        struct fix_buf mut;
        fix_buf_init(&mut, on + 64);
        fix_buf_append(&mut, orig, m->at);
        fix_buf_puts(&mut, m->text);
        fix_buf_append(&mut, orig + m->at + m->len, on - m->at - m->len);
        tries++;
        progress = 1;
        int rc = put(work, m->file, mut.data, mut.len) ? -2 : run_build(o->build, work, o->timeout_s, &log);
        if (put(work, m->file, orig, on))
          st = fix_err_set(err, FIX_ERR_IO, "cannot restore %s in %s", m->file, work);
        char *e = rc > 0 ? first_error(log.data) : NULL;
        fix_buf_free(&log);
        if (e) {
          enum fix_lang lang = fix_lang_from_path(m->file);
          const char *ls = lang == FIX_LANG_RUST ? "rust" : lang == FIX_LANG_CPP ? "cpp" : "c";
          char *id = fix_asprintf("%s/%s-%03zu", ls, m->cls, *made + 1);
          char *dir = id ? fix_path_join(o->out, id) : NULL;
          char *broken = dir ? fix_path_join(dir, "broken") : NULL, *fixed = dir ? fix_path_join(dir, "fixed") : NULL;
          cJSON *j = cJSON_CreateObject(), *b = cJSON_AddArrayToObject(j, "build"), *es;
          cJSON_AddStringToObject(j, "language", ls);
          for (size_t i = 0; o->build[i]; i++)
            cJSON_AddItemToArray(b, cJSON_CreateString(o->build[i]));
          cJSON_AddStringToObject(j, "category", m->cls);
          es = cJSON_AddArrayToObject(j, "errors");
          cJSON_AddItemToArray(es, cJSON_CreateString(e));
          cJSON_AddStringToObject(j, "base", "../../_base");
          char *prov = fix_asprintf("fix eval mutate --seed %llu: %s:%d", (unsigned long long)o->seed, m->file, m->line);
          cJSON_AddStringToObject(j, "provenance", prov ? prov : "fix eval mutate");
          cJSON_AddStringToObject(j, "difficulty", "mutation");
          free(prov);
          char *json = cJSON_Print(j);
          char *cj = dir ? fix_path_join(dir, "case.json") : NULL;
          if (!json || !cj || put(broken, m->file, mut.data, mut.len) || put(fixed, m->file, orig, on) ||
              fix_file_write_atomic(cj, json, strlen(json), NULL) != FIX_OK)
            st = fix_err_set(err, FIX_ERR_IO, "cannot write the case %s", id ? id : "?");
          else
            (*made)++;
          if (o->progress && !st)
            o->progress(o->ud, id, m->file, m->line, e);
          cJSON_Delete(j);
          free(json), free(cj), free(id), free(dir), free(broken), free(fixed);
        }
        free(e);
        fix_buf_free(&mut);
        if (e || st || rc == -2)
          break; /* the next class */
      }
    }
  }
  if (!st && fix_interrupted())
    st = fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted");
  if (work && fix_dir_exists(work))
    fix_rmtree(work);
  for (size_t i = 0; i < cs.n; i++)
    free(cs.v[i].file), free(cs.v[i].text);
  free(cs.v);
  free(order), free(start), free(next);
  fix_strv_free(&files), fix_strv_free(&texts);
  fix_strv_free(&nm.fns), fix_strv_free(&nm.fields), fix_strv_free(&nm.types);
  free(base), free(work);
  return st;
}
