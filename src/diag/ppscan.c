/* ppscan.c — where a byte of a C or C++ file sits among its conditional-compilation branches
 * (#if/#ifdef/#ifndef ... #elif/#else ... #endif), for classing compiler fix-its: an edit in a
 * branch the diagnostic is not in changes code the compiler did not compile for this
 * configuration, and an #include inserted inside a platform branch is missing on the others.
 *
 * A line-based scan: directives are lines whose first non-blank character is '#' outside a block
 * comment. An include guard (the file's first directive `#ifndef X` followed by `#define X`) is not
 * a branch. Branches are named by the offset of the directive that opens them. */
#include "fix/diag.h"

#include <string.h>

struct scan {
  const char *t;
  size_t len;
  size_t stack[FIX_PP_MAX_DEPTH]; /* open branches, outermost first */
  size_t depth, lost;             /* lost: nesting beyond the stack */
  size_t guard;                   /* branch id of the include guard, or SIZE_MAX */
  int ndirectives;
  char guard_name[128];
  int in_comment;
};

static int is_ident(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* The directive on the line starting at `a` (ending at `e`): its name into dir, argument start. */
static const char *directive(struct scan *s, size_t a, size_t e, char *dir, size_t cap) {
  const char *p = s->t + a, *end = s->t + e;
  int was_comment = s->in_comment;
  /* track block comments across the line (strings are rare enough around directives to ignore) */
  for (const char *q = p; q + 1 < end; q++) {
    if (!s->in_comment && q[0] == '/' && q[1] == '/')
      break;
    if (!s->in_comment && q[0] == '/' && q[1] == '*')
      s->in_comment = 1, q++;
    else if (s->in_comment && q[0] == '*' && q[1] == '/')
      s->in_comment = 0, q++;
  }
  if (was_comment)
    return NULL;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p >= end || *p != '#')
    return NULL;
  p++;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  size_t n = 0;
  while (p < end && is_ident(*p) && n + 1 < cap)
    dir[n++] = *p++;
  dir[n] = '\0';
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

static void word(const char *p, const char *end, char *out, size_t cap) {
  size_t n = 0;
  while (p < end && is_ident(*p) && n + 1 < cap)
    out[n++] = *p++;
  out[n] = '\0';
}

/* Applies the directive on line [a, e). Returns 1 for an #include. */
static int step(struct scan *s, size_t a, size_t e) {
  char dir[16];
  const char *arg = directive(s, a, e, dir, sizeof dir);
  if (!arg)
    return 0;
  const char *end = s->t + e;
  int first = s->ndirectives++ == 0;
  if (!strcmp(dir, "if") || !strcmp(dir, "ifdef") || !strcmp(dir, "ifndef")) {
    if (s->depth < FIX_PP_MAX_DEPTH)
      s->stack[s->depth++] = a;
    else
      s->lost++;
    if (first && !strcmp(dir, "ifndef")) /* maybe an include guard: confirmed by the next directive */
      word(arg, end, s->guard_name, sizeof s->guard_name);
  } else if (!strcmp(dir, "elif") || !strcmp(dir, "else") || !strcmp(dir, "elifdef") || !strcmp(dir, "elifndef")) {
    if (!s->lost && s->depth)
      s->stack[s->depth - 1] = a;
  } else if (!strcmp(dir, "endif")) {
    if (s->lost)
      s->lost--;
    else if (s->depth)
      s->depth--;
  } else if (!strcmp(dir, "define") && s->ndirectives == 2 && s->guard_name[0] && s->depth == 1) {
    char name[128];
    word(arg, end, name, sizeof name);
    if (!strcmp(name, s->guard_name))
      s->guard = s->stack[0];
  }
  if (s->ndirectives >= 2 && s->guard == (size_t)-1)
    s->guard_name[0] = '\0';
  return !strcmp(dir, "include") || !strcmp(dir, "import");
}

/* The open branches now, without the guard. */
static size_t branches(const struct scan *s, size_t *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s->depth; i++)
    if (s->stack[i] != s->guard && n < cap)
      out[n++] = s->stack[i];
  return n;
}

static void scan_init(struct scan *s, const char *text, size_t len) {
  memset(s, 0, sizeof *s);
  s->t = text;
  s->len = len;
  s->guard = (size_t)-1;
}

size_t fix_pp_branches(const char *text, size_t len, size_t off, size_t *out, size_t cap) {
  struct scan s;
  scan_init(&s, text, len);
  if (off > len)
    off = len;
  for (size_t a = 0; a < off;) {
    const char *nl = memchr(text + a, '\n', len - a);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (e >= off && a != off) {
      /* `off` is on this line: a directive line counts only once it is over */
      break;
    }
    step(&s, a, e);
    a = e + 1;
  }
  return branches(&s, out, cap);
}

size_t fix_pp_include_point(const char *text, size_t len, size_t off) {
  struct scan s;
  scan_init(&s, text, len);
  if (off > len)
    off = len;
  size_t best = (size_t)-1;
  size_t tmp[FIX_PP_MAX_DEPTH];
  for (size_t a = 0; a < off;) {
    const char *nl = memchr(text + a, '\n', len - a);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (e >= off && a != off)
      break;
    int inc = step(&s, a, e);
    if (inc && branches(&s, tmp, FIX_PP_MAX_DEPTH) == 0 && !s.lost)
      best = nl ? e + 1 : e; /* the start of the next line */
    a = e + 1;
  }
  if (branches(&s, tmp, FIX_PP_MAX_DEPTH) == 0 && !s.lost)
    return off; /* already at file scope */
  return best != (size_t)-1 ? best : off;
}

/* ---- fix-its placed and classed ---- */

static int is_include_text(const char *t) {
  while (*t == ' ' || *t == '\t')
    t++;
  if (*t++ != '#')
    return 0;
  while (*t == ' ' || *t == '\t')
    t++;
  return !strncmp(t, "include", 7);
}

const char *fix_fixit_place(const char *text, size_t len, const char *new_text, size_t *a, size_t *b, long diag_off) {
  if (*a == *b && new_text && is_include_text(new_text))
    *a = *b = fix_pp_include_point(text, len, *a);
  size_t eb[FIX_PP_MAX_DEPTH], db[FIX_PP_MAX_DEPTH];
  size_t ne = fix_pp_branches(text, len, *a, eb, FIX_PP_MAX_DEPTH);
  if (!ne)
    return NULL;
  static const char why[] = "it edits inside an #if branch the diagnostic is not in";
  if (diag_off < 0)
    return why; /* a branch of another file than the diagnostic's */
  size_t nd = fix_pp_branches(text, len, (size_t)diag_off, db, FIX_PP_MAX_DEPTH);
  if (ne > nd)
    return why;
  for (size_t i = 0; i < ne; i++)
    if (eb[i] != db[i])
      return why;
  return NULL;
}

int fix_diag_has_suggestion(const struct fix_diag *d) {
  if (!d->nfixits)
    return 0;
  for (size_t i = 0; i < d->nfixits; i++)
    if (d->fixits[i].applicability == FIX_APPLY_PLACEHOLDERS)
      return 0;
  return 1;
}

int fix_diag_suggestions(const struct fix_diag *d) {
  int n = fix_diag_has_suggestion(d);
  for (size_t k = 0; k < d->nnotes; k++)
    n += fix_diag_has_suggestion(&d->notes[k]);
  return n;
}

const char *fix_fixit_unsafe(const struct fix_diag *src, int rust, int nalt) {
  for (size_t i = 0; rust && i < src->nfixits; i++)
    if (src->fixits[i].applicability != FIX_APPLY_MACHINE)
      return src->fixits[i].applicability == FIX_APPLY_MAYBE ? "rustc marks it MaybeIncorrect"
                                                             : "rustc does not say it is MachineApplicable";
  return nalt > 1 ? "the compiler offers alternatives" : NULL;
}
