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
#include "repairs_gen.h"

#include <stdarg.h>



void rp_add(struct gen *g, const char *file, int rank, size_t a, size_t b, const char *text, const char *fmt, ...) {
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
  v[g->out->n++] = (struct repair){fix_strdup(file), a, b, fix_strdup(text), fix_strdup(why), rank, 0, 0};
}

/* The n-th name of the message between two `q` characters, into buf; 0 when there is none. */
int rp_delimited(const char *msg, char q, int nth, char *buf, size_t cap) {
  const char *p = msg;
  for (int k = 0; p && *p; k++) {
    const char *a = strchr(p, q);
    const char *b = a ? strchr(a + 1, q) : NULL;
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

/* Whether `a` is `b` renamed in passing: one a prefix of the other (next / next_impl, skips /
 * skips_v2), or within two edits. */
int rp_near_name(const char *a, const char *b) {
  size_t al = strlen(a), bl = strlen(b), m = al < bl ? al : bl;
  if (!strcmp(a, b))
    return 0;
  return (m >= 3 && !strncmp(a, b, m)) || repair_distance(a, al, b, bl, 2) <= 2;
}

/* Whole-word occurrences of `name` in t. */
int rp_word_count(const char *t, size_t n, const char *name) {
  size_t k = strlen(name);
  int c = 0;
  for (const char *q = t; k && (q = memmem(q, n - (size_t)(q - t), name, k)); q += k)
    c += (q == t || !fix_ident_char((unsigned char)q[-1])) && ((size_t)(q - t) + k >= n || !fix_ident_char((unsigned char)q[k]));
  return c;
}

/* gcc's and clang's 'quoted' names */
int rp_quoted(const char *msg, int nth, char *buf, size_t cap) { return rp_delimited(msg, '\'', nth, buf, cap); }

/* The whole-word occurrence of name at or after `from` on from's line (or the line's first one
 * before it), as a byte offset; -1 when none. */
long rp_find_on_line(const char *t, size_t n, size_t from, const char *name) {
  size_t nl = strlen(name), ls = from, le = from;
  while (ls && t[ls - 1] != '\n')
    ls--;
  while (le < n && t[le] != '\n')
    le++;
  long best = -1;
  for (size_t i = ls; i + nl <= le; i++)
    if (!memcmp(t + i, name, nl) && (i == 0 || !fix_ident_char((unsigned char)t[i - 1])) &&
        (i + nl >= n || !fix_ident_char((unsigned char)t[i + nl]))) {
      if (i >= from)
        return (long)i;
      if (best < 0)
        best = (long)i;
    }
  return best;
}

/* The compiler's own "did you mean 'Y'?" where it attached no fix-it (gcc gives none for a name
 * in a macro's arguments): Y for `name` at the diagnostic, ranked before fix's own guesses. */
static void gen_suggested(struct gen *g, const char *name) {
  const char *m = strstr(g->d->message, "did you mean '");
  char y[128];
  if (!m || g->d->nfixits || !rp_quoted(m, 0, y, sizeof y) || !fix_is_ident(y) || !strcmp(y, name))
    return;
  long at = rp_find_on_line(g->t, g->n, g->off, name);
  if (at >= 0)
    rp_add(g, g->path, 15, (size_t)at, (size_t)at + strlen(name), y, "'%s' for '%s' (the compiler's suggestion)", y, name);
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
/* ---- more C and C++ classes ------------------------------------------------------------------- */

size_t rp_line_start(const char *t, size_t p) {
  while (p && t[p - 1] != '\n')
    p--;
  return p;
}

size_t rp_line_stop(const char *t, size_t n, size_t p) {
  while (p < n && t[p] != '\n')
    p++;
  return p;
}

/* The first note that has a place, or NULL. */
const struct fix_diag *rp_placed_note(const struct fix_diag *d) {
  for (size_t i = 0; i < d->nnotes; i++)
    if (d->notes[i].pos.file && d->notes[i].pos.line > 0)
      return &d->notes[i];
  return NULL;
}

/* The offset of column col of a note's line in its file's text (*t, *n: the file's text, which is
 * the diagnostic's own file or read through the environment), or -1. */
long rp_note_offset(const struct gen *g, const struct fix_diag *note, int col, const char **t, size_t *n) {
  *t = g->t;
  *n = g->n;
  if (strcmp(note->pos.file, g->path) && (!g->env->read || g->env->read(g->env->ud, note->pos.file, t, n)))
    return -1;
  return fix_text_offset(*t, *n, note->pos.line, col);
}

/* The ';' met at bracket depth `level` scanning from t[from] (strings, character literals and
 * comments skipped; brackets of every kind counted from 0): -1 when the depth falls below `level`
 * first, a ';' comes deeper while `nested` is 0, or none within 4 KB. From an open bracket with
 * level 1: the ';' that ends the statement it never closes; from a statement's start with level 0
 * and nested: that statement's end. */
long rp_semicolon_at(const char *t, size_t n, size_t from, int level, int nested) {
  int depth = 0;
  for (size_t p = from; p < n && p < from + 4096; p++) {
    char c = t[p];
    if (c == '"') {
      for (p++; p < n && t[p] != '"' && t[p] != '\n'; p++)
        p += t[p] == '\\';
      continue;
    }
    if (c == '\'' && p + 2 < n && (t[p + 2] == '\'' || (t[p + 1] == '\\' && p + 3 < n && t[p + 3] == '\''))) {
      p += t[p + 1] == '\\' ? 3 : 2; /* 'x', '\n' (a Rust lifetime 'a is left alone) */
      continue;
    }
    if (c == '/' && p + 1 < n && t[p + 1] == '/') {
      while (p < n && t[p] != '\n')
        p++;
      continue;
    }
    if (c == '/' && p + 1 < n && t[p + 1] == '*') {
      const char *e = memmem(t + p + 2, n - p - 2, "*/", 2);
      if (!e)
        return -1;
      p = (size_t)(e - t) + 1;
      continue;
    }
    depth += c == '(' || c == '[' || c == '{' ? 1 : c == ')' || c == ']' || c == '}' ? -1 : 0;
    if (depth < level && p > from)
      return -1;
    if (c == ';' && (depth == level || !nested))
      return depth == level ? (long)p : -1;
  }
  return -1;
}

static long unclosed_until_semicolon(const char *t, size_t n, size_t open) { return rp_semicolon_at(t, n, open, 1, 0); }

/* A close bracket for the one opening at t[open], put before the ';' that ends its statement; and,
 * as alternatives of equal standing, after each operand inside it that an operator or a comma
 * follows (f(a + g(b); may lack its ')' after a or after g(b)): when two of them compile cleanly,
 * the code does not say which is meant, and none is kept. */
static void close_before_semicolon(struct gen *g, size_t open, const char *what) {
  long semi = open < g->n && (g->t[open] == '(' || g->t[open] == '[') ? unclosed_until_semicolon(g->t, g->n, open) : -1;
  if (semi < 0)
    return;
  size_t at = (size_t)semi, first = g->out->n;
  while (at > open + 1 && (g->t[at - 1] == ' ' || g->t[at - 1] == '\t'))
    at--;
  const char *close = g->t[open] == '(' ? ")" : "]";
  rp_add(g, g->path, 0, at, at, close, "the '%s' closing %s, before the ';' that ends its statement", close, what);
  int depth = 0, alts = 0;
  for (size_t p = open; p < at && alts < 3; p++) {
    char c = g->t[p];
    if (c == '"') { /* a string: skipped (the scan that found the ';' skipped it too) */
      for (p++; p < at && g->t[p] != '"'; p++)
        p += g->t[p] == '\\';
      continue;
    }
    depth += c == '(' || c == '[' || c == '{' ? 1 : c == ')' || c == ']' || c == '}' ? -1 : 0;
    if (depth != 1 || p == open || !strchr("+-*/%<>=!&|^?,", c))
      continue;
    size_t e = p;
    while (e > open + 1 && (g->t[e - 1] == ' ' || g->t[e - 1] == '\t'))
      e--;
    char prev = g->t[e - 1];
    int operand_end = fix_ident_char((unsigned char)prev) || prev == ')' || prev == ']' || prev == '"' || prev == '\'';
    int member = (c == '-' && p + 1 < at && g->t[p + 1] == '>') ||
                 (c == '<' && e >= 2 && g->t[e - 1] == ':' && g->t[e - 2] == ':');
    if (operand_end && !member && e > open + 1) {
      rp_add(g, g->path, 0, e, e, close, "the '%s' closing %s, after the operand before '%c'", close, what, c);
      alts++;
    }
    while (p + 1 < at && strchr("+-*/%<>=!&|^?", g->t[p + 1]))
      p++; /* the rest of a two-character operator */
  }
  for (size_t i = first; g->out->n > first + 1 && i < g->out->n; i++)
    g->out->v[i].exclusive = 1;
}

/* gcc's "unterminated argument list invoking macro "M"" (placed at the end of the file): the
 * invocations of M whose argument list a ';' ends before its ')' (at most three). */
static void gen_unterminated_macro(struct gen *g) {
  char m[128];
  if (!rp_delimited(g->d->message, '"', 0, m, sizeof m) || !fix_is_ident(m))
    return;
  size_t ml = strlen(m);
  int found = 0;
  for (const char *q = g->t; found < 3 && (q = memmem(q, g->n - (size_t)(q - g->t), m, ml)); q += ml) {
    size_t at = (size_t)(q - g->t), p = at + ml;
    if ((at > 0 && fix_ident_char((unsigned char)q[-1])) || (p < g->n && fix_ident_char((unsigned char)g->t[p])))
      continue;
    while (p < g->n && (g->t[p] == ' ' || g->t[p] == '\t'))
      p++;
    if (p < g->n && g->t[p] == '(' && unclosed_until_semicolon(g->t, g->n, p) >= 0) {
      char what[160];
      snprintf(what, sizeof what, "the arguments of %s", m);
      close_before_semicolon(g, p, what);
      found++;
    }
  }
}

/* ---- the table --------------------------------------------------------------------------------- */

enum cls {
  UNDECLARED,
  IMPLICIT_FN,
  UNKNOWN_TYPE,
  NAMESPACE,
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
  UNTERMINATED_MACRO,
  OUTOFLINE_RETURN,
  OVERRIDE,
  UNCONST_METHOD,
  CONSTEXPR,
  MOVED,
  DIRECT_INIT,
  PUBLIC_BASE,
  PUBLIC_BASE_CLANG,
  TYPENAME,
  CONST_REF,
  UNUSED,
  RETYPE,
  TOO_FEW,
  TOO_FEW_CALL
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
    {"' is not a namespace-name", NAMESPACE},
    {"expected namespace name", NAMESPACE},
    {"' is not a member of 'std'", STD_MEMBER},
    {"in namespace 'std' does not name", STD_MEMBER},
    {"has no member named '", NO_MEMBER_GCC}, /* before clang's wording, which it contains */
    {"no member named '", NO_MEMBER_CLANG},
    {"has initializer but incomplete type", INCOMPLETE},
    {"storage size of '", INCOMPLETE},
    {"variable has incomplete type '", INCOMPLETE},
    {"too many arguments to function '", TOO_MANY},
    {"too many arguments to function call", TOO_MANY_CALL}, /* clang: at the first extra argument */
    {"too few arguments to function '", TOO_FEW},
    {"too few arguments to function call", TOO_FEW_CALL},
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
    {"unterminated argument list invoking macro \"", UNTERMINATED_MACRO},
    {"no declaration matches '", OUTOFLINE_RETURN},
    {"differs from that in the declaration", OUTOFLINE_RETURN},
    {"does not match any declaration in '", OUTOFLINE_RETURN},
    {"marked 'override', but does not override", OVERRIDE},
    {"marked 'override' hides virtual member function", OVERRIDE},
    {"only virtual member functions can be marked 'override'", OVERRIDE},
    {"in read-only object", UNCONST_METHOD},
    {"within const member function", UNCONST_METHOD},
    {"is not usable in a constant expression", CONSTEXPR},
    {"is not a constant expression", CONSTEXPR},
    {"unique_ptr(const std::unique_ptr", MOVED},
    {"call to deleted constructor of 'std::unique_ptr", MOVED},
    {"no viable conversion from returned value", RETYPE}, /* before the next two, which it contains */
    {"to non-scalar type '", DIRECT_INIT},
    {"no viable conversion from '", DIRECT_INIT},
    {"is an inaccessible base of '", PUBLIC_BASE},
    {"to its private base class '", PUBLIC_BASE_CLANG},
    {"' has not been declared", TYPENAME},
    {"binding reference of type '", CONST_REF},
    {"unused variable '", UNUSED},
    {"initialization of '", RETYPE},
    {"invalid conversion from '", RETYPE},
    {"in initialization", RETYPE},
    {"with an expression of type '", RETYPE},
    {"cannot initialize a variable of type '", RETYPE},
    {"could not convert '", RETYPE},
    {" in return", RETYPE},
    {"returned value of type '", RETYPE},
    {"cannot initialize return object of type '", RETYPE},
};

static int cmp_rank(const void *a, const void *b) {
  const struct repair *x = a, *y = b;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Best first, at most max. */
static void ranked(struct repair_list *out, size_t max) {
  if (out->n > 1)
    qsort(out->v, out->n, sizeof *out->v, cmp_rank);
  while (out->n > max) {
    struct repair *x = &out->v[--out->n];
    free(x->file);
    free(x->text);
    free(x->why);
  }
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
  rp_gen_intent(&g); /* the developer's own rename, completed at this use */
  if (!strcmp(ext, ".rs")) {
    rp_rust_cast(&g);
    rp_rust_typo(&g);
    rp_rust_more(&g);
    rp_rust_question(&g);
    rp_rust_renamed_def(&g);
    /* "mismatched closing delimiter" / "unclosed delimiter": one of rustc's spans is at the bracket
     * left open (its primary position is often the '}' that met it) */
    if (strstr(d->message, "closing delimiter") || strstr(d->message, "unclosed delimiter"))
      for (size_t i = 0; i < d->nspans; i++) {
        const struct fix_pos *b = &d->spans[i].begin;
        long at = b->file && !strcmp(b->file, d->pos.file) ? fix_text_offset(text, len, b->line, b->col) : -1;
        if (at >= 0)
          close_before_semicolon(&g, (size_t)at, "it");
      }
    ranked(out, max);
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
      if (rp_quoted(d->message, 0, name, sizeof name) && fix_is_ident(name)) {
        rp_gen_include(&g, name, 0, 0);
        gen_suggested(&g, name);
        rp_gen_typo(&g, name, 20);
        if (strstr(d->message, "first use in this function") || strstr(d->message, "not declared in this scope") ||
            strstr(d->message, "use of undeclared identifier"))
          rp_gen_declare(&g, name);
      }
      break;
    case IMPLICIT_FN:
      if (rp_quoted(d->message, 0, name, sizeof name) && fix_is_ident(name)) {
        rp_gen_include(&g, name, 0, 0);
        gen_suggested(&g, name);
        rp_gen_typo(&g, name, 20);
      }
      break;
    case UNKNOWN_TYPE:
      if (rp_quoted(d->message, 0, name, sizeof name) && fix_is_ident(name)) {
        if (g.cxx)
          rp_gen_typename(&g);
        rp_gen_include(&g, name, 0, 0);
        gen_suggested(&g, name);
        rp_gen_typo(&g, name, 20);
      }
      break;
    case NAMESPACE: /* using namespace tinyxml2; with the header that opens it not included (clang
                       quotes no name: the one at the position) */
      if (!rp_quoted(d->message, 0, name, sizeof name)) {
        size_t e = g.off;
        while (e < len && fix_ident_char((unsigned char)text[e]) && e - g.off < sizeof name - 1)
          e++;
        snprintf(name, sizeof name, "%.*s", (int)(e - g.off), text + g.off);
      }
      if (fix_is_ident(name))
        rp_include_project(&g, 1, name, 2);
      break;
    case STD_MEMBER:
      if (rp_quoted(d->message, 0, name, sizeof name) && fix_is_ident(name))
        rp_gen_include(&g, name, 1, 0);
      break;
    case NO_MEMBER_CLANG: /* no member named 'X' in 'struct vec' / in namespace 'std' */
      if (rp_quoted(d->message, 0, name, sizeof name) && rp_quoted(d->message, 1, other, sizeof other)) {
        if (!strcmp(other, "std"))
          rp_gen_include(&g, name, 1, 0);
        else
          rp_gen_member(&g, other, name);
      }
      break;
    case NO_MEMBER_GCC: /* 'struct vec' has no member named 'len' (or {aka 'struct vec'}) */
      if (rp_quoted(d->message, 0, other, sizeof other) && rp_quoted(d->message, strstr(d->message, "{aka") ? 2 : 1, name, sizeof name)) {
        char aka[128];
        gen_suggested(&g, name);
        if (strstr(d->message, "{aka") && rp_quoted(d->message, 1, aka, sizeof aka) && !strchr(aka, '<'))
          rp_gen_member(&g, aka, name);
        else
          rp_gen_member(&g, other, name);
      }
      break;
    case INCOMPLETE: { /* the tag is on the line: "struct vec v = ..." */
      size_t ls = g.off, p;
      while (ls && text[ls - 1] != '\n')
        ls--;
      for (p = ls; p + 7 < len && text[p] != '\n'; p++)
        if (!memcmp(text + p, "struct ", 7) && (p == ls || !fix_ident_char((unsigned char)text[p - 1]))) {
          size_t a = p + 7, b = a;
          while (b < len && fix_ident_char((unsigned char)text[b]))
            b++;
          if (b > a && b - a < sizeof name) {
            memcpy(name, text + a, b - a);
            name[b - a] = '\0';
            rp_include_project(&g, 0, name, 1);
          }
          break;
        }
      break;
    }
    case READ_ONLY:
      rp_gen_unconst(&g);
      break;
    case CONST_THIS:
      rp_gen_const_method(&g);
      break;
    case IMPLICIT_INT:
    case VOID_RETURN:
      rp_gen_return(&g, rules[r].cls == IMPLICIT_INT);
      break;
    case MOVED:
      if (g.cxx)
        rp_gen_moved(&g);
      break;
    case DIRECT_INIT:
      if (g.cxx)
        rp_gen_direct_init(&g);
      break;
    case PUBLIC_BASE: /* 'Base' is an inaccessible base of 'Derived' */
      if (rp_quoted(d->message, 0, name, sizeof name) && rp_quoted(d->message, 1, other, sizeof other) && fix_is_ident(name) &&
          fix_is_ident(other))
        rp_gen_public_base(&g, name, other);
      break;
    case PUBLIC_BASE_CLANG: /* cannot cast 'Derived' to its private base class 'Base' */
      if (rp_quoted(d->message, 0, other, sizeof other) && rp_quoted(d->message, 1, name, sizeof name) && fix_is_ident(name) &&
          fix_is_ident(other))
        rp_gen_public_base(&g, name, other);
      break;
    case TYPENAME:
      if (g.cxx)
        rp_gen_typename(&g);
      break;
    case CONST_REF:
      if (g.cxx)
        rp_gen_const_ref(&g);
      break;
    case UNUSED:
      if (rp_quoted(d->message, 0, name, sizeof name) && fix_is_ident(name))
        rp_gen_unused(&g, name);
      break;
    case DEREF:
      rp_gen_deref(&g);
      rp_gen_retype(&g, 1);
      break;
    case TOO_FEW:
    case TOO_FEW_CALL: {
      name[0] = '\0';
      if (rules[r].cls == TOO_FEW && rp_quoted(d->message, 0, name, sizeof name)) {
        char *paren = strchr(name, '('); /* C++: 'double distance(double, ...)' */
        if (paren) {
          *paren = '\0';
          char *sp = strrchr(name, ' ');
          memmove(name, sp ? sp + 1 : name, strlen(sp ? sp + 1 : name) + 1);
        }
      } else if (rules[r].cls == TOO_FEW_CALL) { /* clang: the note names it ('push' declared here) */
        const struct fix_diag *note = rp_placed_note(d);
        if (!note || !note->message || !rp_quoted(note->message, 0, name, sizeof name))
          name[0] = '\0';
      }
      if (fix_is_ident(name))
        rp_gen_missing_arg(&g, name);
      break;
    }
    case RETYPE:
      rp_gen_retype(&g, 0);
      if (g.cxx)
        rp_gen_return_type(&g);
      break;
    case ADDRESS:
      rp_gen_address(&g);
      break;
    case STRING_COMPARE:
      rp_gen_string_compare(&g);
      break;
    case CHAR_FROM_STRING:
      rp_char_literal(&g, g.off, 0);
      rp_gen_retype(&g, 1);
      break;
    case COMMA_INDEX:
      rp_gen_comma_index(&g);
      break;
    case ARRAY_INIT:
      rp_gen_array_init(&g);
      break;
    case CONFLICTING:
      if (rp_quoted(d->message, 0, name, sizeof name) && fix_is_ident(name))
        rp_gen_conflicting(&g, name);
      break;
    case UNTERMINATED_MACRO:
      gen_unterminated_macro(&g);
      break;
    case OUTOFLINE_RETURN:
      rp_gen_outofline_return(&g);
      rp_gen_outofline_renamed(&g);
      break;
    case OVERRIDE:
      rp_gen_override(&g);
      break;
    case UNCONST_METHOD:
      rp_gen_unconst_method(&g);
      break;
    case CONSTEXPR:
      rp_gen_constexpr(&g);
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
      while (b > 0 && fix_ident_char((unsigned char)text[b - 1]))
        b--;
      if (p && e > b && e - b < sizeof name) {
        memcpy(name, text + b, e - b);
        name[e - b] = '\0';
        g.off = b;
        rp_gen_drop_arg(&g, name);
      }
      break;
    }
    case TOO_MANY:
      if (rp_quoted(d->message, 0, name, sizeof name)) {
        char *paren = strchr(name, '('); /* C++: 'int f(int, int)' */
        if (paren) {
          *paren = '\0';
          char *sp = strrchr(name, ' ');
          memmove(name, sp ? sp + 1 : name, strlen(sp ? sp + 1 : name) + 1);
        }
        if (fix_is_ident(name))
          rp_gen_drop_arg(&g, name);
      }
      break;
    }
    break; /* the first rule that matches decides */
  }
  ranked(out, max);
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

