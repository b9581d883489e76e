/* veto.c — what compiling does not show. An edit that makes the build pass can still be wrong: it
 * passes an int where a pointer goes (only a warning), calls a function it never declared, or
 * deletes the function that holds the error. Every candidate — a compiler's fix-it, a model-free
 * repair, a model's edit — is judged here after its check, against the same check before it:
 *
 *   - a warning of a wrong-code class that the edit adds (by identity, counted: the same warning
 *     twice before and three times after is one new) refuses it, with the warning as the reason;
 *   - any other new warning is counted, and ranks the candidate below those without one;
 *   - an item of an edited file (function, method, type, field, global, macro, Rust item) that the
 *     edit removes, renames, empties or re-signs, and that the diagnostics it repairs do not name,
 *     refuses it (tree-sitter items before and after, fix_items_destroyed).
 *
 * Ownership: the reason is the caller's to free. */
#include "internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Warning classes whose appearance means the code is wrong, not merely untidy: gcc and clang
 * flags (without -W, -Werror= or a trailing =N), and rustc lints. */
static const char *const wrong_code[] = {
    "int-conversion", "incompatible-pointer-types", "implicit-function-declaration", "implicit-int",
    "return-type", "uninitialized", "maybe-uninitialized", "sometimes-uninitialized", "format", "format-extra-args",
    "format-security", "format-overflow", "format-truncation", "nonnull", "return-local-addr", "return-stack-address",
    "unused-value", "array-bounds", "dangling", "dangling-pointer", "dangling-gsl", "int-to-pointer-cast",
    "pointer-to-int-cast", "discarded-qualifiers", "incompatible-function-pointer-types", "overflow",
    "constant-conversion", "sizeof-pointer-memaccess", "stringop-overflow", "free-nonheap-object",
    "builtin-declaration-mismatch", "incompatible-library-redeclaration", "shift-count-overflow", "div-by-zero",
    "address", "bool-compare", "tautological-compare", "self-assign", "uninitialized-const-reference",
    "unsequenced", "sequence-point",
    /* rustc */
    "unused_must_use", "unreachable_code", "unused_variables", "dead_code", "unconditional_recursion",
    "overflowing_literals", "unused_assignments", "unreachable_patterns", NULL};

/* The class of a warning's code: "-Werror=format=" -> "format", "-Wformat-security" ->
 * "format-security". Writes into buf; "" when there is none. */
static const char *warning_class(const char *code, char *buf, size_t cap) {
  buf[0] = '\0';
  if (!code)
    return buf;
  if (!strncmp(code, "-Werror=", 8))
    code += 8;
  else if (!strncmp(code, "-W", 2))
    code += 2;
  size_t n = strcspn(code, "=,]");
  if (n >= cap)
    n = cap - 1;
  memcpy(buf, code, n);
  buf[n] = '\0';
  return buf;
}

int veto_wrong_code_class(const char *code) {
  char buf[64];
  const char *c = warning_class(code, buf, sizeof buf);
  for (size_t i = 0; *c && wrong_code[i]; i++)
    if (!strcmp(c, wrong_code[i]))
      return 1;
  return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The warnings of `l` (identities), sorted. */
static void warning_ids(const struct fix_diag_list *l, struct fix_strv *out) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].severity == FIX_SEV_WARNING)
      fix_strv_push_own(out, fix_diag_identity(&l->v[i]));
  if (out->n > 1)
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

/* The warnings `after` has more of than `before` (by identity, counted), as indices into after. */
static size_t added_warnings(const struct fix_diag_list *before, const struct fix_diag_list *after, size_t *idx,
                             size_t cap) {
  struct fix_strv b = {0}, a = {0};
  warning_ids(before, &b);
  warning_ids(after, &a);
  size_t n = 0;
  /* identities whose count grew: walk both sorted lists */
  struct fix_strv grown = {0};
  size_t i = 0, j = 0;
  while (j < a.n) {
    int c = i < b.n ? strcmp(b.v[i], a.v[j]) : 1;
    if (c < 0)
      i++;
    else if (c == 0)
      i++, j++;
    else
      fix_strv_push(&grown, a.v[j++]);
  }
  /* the last occurrences of a grown identity in `after` are the new ones */
  for (size_t k = after->n; k-- > 0 && grown.n && n < cap;) {
    if (after->v[k].severity != FIX_SEV_WARNING)
      continue;
    char *id = fix_diag_identity(&after->v[k]);
    for (size_t g = 0; id && g < grown.n; g++)
      if (!strcmp(grown.v[g], id)) {
        idx[n++] = k;
        fix_strv_remove(&grown, g);
        break;
      }
    free(id);
  }
  fix_strv_free(&grown);
  fix_strv_free(&a);
  fix_strv_free(&b);
  return n;
}

/* Names a diagnostic is about: what its message and notes quote ('x', `x`, 'S::f', 'int f(int)':
 * the identifiers in it). */
static void names_of(const struct fix_diag *d, struct fix_strv *out) {
  for (size_t k = 0; d && k <= d->nnotes; k++) {
    const char *m = k == 0 ? d->message : d->notes[k - 1].message;
    for (const char *p = m; p && *p; p++) {
      if (*p != '\'' && *p != '`')
        continue;
      const char *e = strchr(p + 1, *p == '`' ? '`' : '\'');
      if (!e)
        break;
      for (const char *q = p + 1; q < e;) { /* each identifier inside the quotes */
        while (q < e && !(isalnum((unsigned char)*q) || *q == '_'))
          q++;
        const char *w = q;
        while (q < e && (isalnum((unsigned char)*q) || *q == '_'))
          q++;
        if (q > w && !isdigit((unsigned char)*w)) {
          char *name = fix_strndup(w, (size_t)(q - w));
          if (name && !fix_strv_contains(out, name))
            fix_strv_push_own(out, name);
          else
            free(name);
        }
      }
      p = e;
    }
  }
}

/* The items of a file's text as the session has it, parsed once while that text stands: a
 * candidate then costs an incremental parse (fix_items_base_edit). A few files at a time; the
 * slot of a changed text is parsed again. */
struct veto_base {
  char *path;
  size_t len;
  uint64_t hash;
  struct fix_items_base *base;
  int broken; /* the text does not parse cleanly: its items cannot be trusted */
};

static struct veto_base *base_for(struct session *s, const char *path, enum fix_lang lang, const char *t, size_t n) {
  uint64_t h = fix_hash64(t, n);
  struct veto_base *slots = s->veto_bases, *v = NULL;
  for (int i = 0; i < VETO_BASES; i++)
    if (slots[i].path && !strcmp(slots[i].path, path) && slots[i].len == n && slots[i].hash == h)
      return &slots[i];
  v = &slots[s->veto_next++ % VETO_BASES];
  free(v->path);
  fix_items_base_free(v->base);
  memset(v, 0, sizeof *v);
  struct fix_err e;
  if (fix_items_base_new(lang, t, n, &v->base, &e) != FIX_OK)
    return NULL;
  v->path = fix_strdup(path);
  v->len = n;
  v->hash = h;
  v->broken = fix_items_base_broken(v->base);
  return v;
}

void veto_close(struct session *s) {
  for (int i = 0; s->veto_bases && i < VETO_BASES; i++) {
    free(s->veto_bases[i].path);
    fix_items_base_free(s->veto_bases[i].base);
  }
  free(s->veto_bases);
  s->veto_bases = NULL;
}

/* Whether a sentence of fix_items_destroyed is the repair's business: it changes an item the
 * error names (its first quoted name, or that name's last part: 'S::f' -> f, 'struct s.x' -> x) —
 * a rename or new parameters of the function the error is about. Never a definition removed or
 * emptied: deleting the code that holds the error is no repair, whatever the error names. */
static int exempt(const char *sentence, const char *const *allowed, const struct fix_strv *enclosing) {
  /* the signature of the function that holds the error is the repair's to change (a lifetime, a
   * const, a parameter's type), not to remove a parameter from */
  if (!strncmp(sentence, "changes the parameters of '", 27)) {
    const char *e = strchr(sentence + 27, '\'');
    for (size_t i = 0; e && i < enclosing->n; i++)
      if ((size_t)(e - sentence - 27) == strlen(enclosing->v[i]) && !strncmp(sentence + 27, enclosing->v[i], strlen(enclosing->v[i])))
        return 1;
  }
  static const char *const never[] = {"removes function", "removes method", "removes fn", "removes impl_fn",
                                      "removes the definition", "empties the body", "removes most of the body", NULL};
  for (size_t i = 0; never[i]; i++)
    if (!strncmp(sentence, never[i], strlen(never[i])))
      return 0;
  /* the item's name is quoted, and may hold a lifetime's quotes ('<Iter<'h> as Iterator>::next'):
   * its closing quote is the first one no name character follows */
  const char *a = strchr(sentence, '\''), *b = a;
  while (b && (b = strchr(b + 1, '\'')) && (isalnum((unsigned char)b[1]) || b[1] == '_'))
    ;
  if (!b)
    return 0;
  /* a name the error quotes, as a whole word of the item's name ('S::f', 'struct s.x',
   * '<Square as Shap>') */
  for (size_t i = 0; allowed && allowed[i]; i++) {
    size_t n = strlen(allowed[i]);
    for (const char *q = a + 1; n && q + n <= b; q++)
      if (!strncmp(q, allowed[i], n) && (q == a + 1 || !(isalnum((unsigned char)q[-1]) || q[-1] == '_')) &&
          (q + n == b || !(isalnum((unsigned char)q[n]) || q[n] == '_')))
        return 1;
  }
  return 0;
}

/* What `fs` destroys in the files it edits, one sentence each, into out. A file whose text before
 * the edit does not parse cleanly (the error is a syntax error) is not judged: its items are
 * tree-sitter's guesses, and a right repair of a missing brace would read as a rename. */
static void destroyed(struct session *s, const struct fileset *fs, const struct fix_strv *allowed,
                      const struct fix_diag *const *about, size_t nabout, struct fix_strv *out) {
  if (!s->veto_bases && !(s->veto_bases = calloc(VETO_BASES, sizeof *s->veto_bases)))
    return;
  const char **al = calloc(allowed->n + 1, sizeof *al);
  for (size_t i = 0; al && i < allowed->n; i++)
    al[i] = allowed->v[i];
  for (size_t k = 0; al && k < fs->paths.n; k++) {
    enum fix_lang lang = fix_lang_from_path(fs->paths.v[k]);
    const char *old;
    size_t olen;
    if (lang == FIX_LANG_UNKNOWN || text_of(s, NULL, fs->paths.v[k], &old, &olen) != FIX_OK)
      continue;
    struct veto_base *vb = base_for(s, fs->paths.v[k], lang, old, olen);
    if (!vb || vb->broken)
      continue;
    struct fix_strv enclosing = {0}; /* the callables around the errors in this file */
    const struct fix_items *bi = fix_items_base_items(vb->base);
    for (size_t a = 0; a < nabout; a++)
      for (size_t i = 0; about[a]->pos.file && !strcmp(about[a]->pos.file, fs->paths.v[k]) && i < bi->n; i++)
        if (bi->v[i].params && bi->v[i].first <= about[a]->pos.line && about[a]->pos.line <= bi->v[i].last)
          fix_strv_push(&enclosing, bi->v[i].name);
    struct fix_items b = {0};
    struct fix_err e;
    if (fix_items_base_edit(vb->base, fs->texts[k].data ? fs->texts[k].data : "", fs->texts[k].len, &b, &e) == FIX_OK) {
      struct fix_strv said = {0};
      fix_items_destroyed(fix_items_base_items(vb->base), &b, NULL, &said);
      char *rel = fix_path_relative(s->vcs.root, fs->paths.v[k]);
      for (size_t i = 0; i < said.n; i++)
        if (!exempt(said.v[i], al, &enclosing))
          fix_strv_push_own(out, fix_asprintf("%s in %s", said.v[i], rel ? rel : fs->paths.v[k]));
      free(rel);
      fix_strv_free(&said);
    }
    fix_strv_free(&enclosing);
    fix_items_free(&b);
  }
  free(al);
}

/* The lines of fs's text of file k that differ from the session's (first and last, 1-based, in the
 * new text): between the common prefix and the common suffix. 0 when the file is not edited. */
static int changed_lines(struct session *s, const struct fileset *fs, const char *file, int *first, int *last) {
  for (size_t k = 0; file && k < fs->paths.n; k++) {
    if (strcmp(fs->paths.v[k], file))
      continue;
    const char *old, *nw = fs->texts[k].data ? fs->texts[k].data : "";
    size_t olen, nlen = fs->texts[k].len;
    if (text_of(s, NULL, file, &old, &olen) != FIX_OK)
      return 0;
    size_t pre, suf;
    changed_span(old, olen, nw, nlen, &pre, &suf);
    size_t end = nlen - suf > pre ? nlen - suf - 1 : pre;
    *first = *last = 1;
    for (size_t i = 0; i < end && i < nlen; i++)
      if (nw[i] == '\n') {
        *last += 1;
        *first += i < pre;
      }
    return 1;
  }
  return 0;
}

char *veto_check(struct session *s, const struct fileset *fs, const struct fix_diag_list *before,
                 const struct fix_diag_list *after, const struct fix_diag *const *about, size_t nabout,
                 int *new_warnings, int about_exclusive) {
  double t0 = fix_now();
  char *why = NULL;
  size_t idx[64];
  size_t n = added_warnings(before, after, idx, sizeof idx / sizeof *idx);
  /* rustc runs its lints (unused, dead_code, unreachable) only on a crate that type-checks: after
   * the last error goes they appear whoever wrote them, so only the lines the edit wrote count */
  int lints_hidden = 0;
  for (size_t i = 0; i < before->n; i++)
    lints_hidden |= before->v[i].severity >= FIX_SEV_ERROR && before->v[i].compiler == FIX_CC_RUSTC;
  int others = 0;
  for (size_t i = n; i-- > 0;) { /* idx runs backwards: the first new one in the output last */
    const struct fix_diag *d = &after->v[idx[i]];
    if (lints_hidden && d->compiler == FIX_CC_RUSTC)
      continue;
    if (!veto_wrong_code_class(d->code)) {
      /* a variable or parameter left unused is what dropping an argument does: not counted */
      char cls[64];
      warning_class(d->code, cls, sizeof cls);
      others += !(about_exclusive && (!strncmp(cls, "unused-", 7) || !strcmp(cls, "unused_variables")));
      continue;
    }
    if (!why) {
      char *loc = short_loc(s, &d->pos);
      why = fix_asprintf("it adds a warning that signals wrong code: %s: warning: %s [%s]", loc ? loc : "?",
                         d->message ? d->message : "", d->code);
      free(loc);
    }
  }
  /* a wrong-code warning on a line the edit wrote is its own, even when the same warning stood
   * there before (gcc reports a call's argument types along with its wrong argument count: a
   * repair that leaves one of them did not fix the call) */
  for (size_t i = 0; !why && i < after->n; i++) {
    const struct fix_diag *d = &after->v[i];
    int a, b;
    if (d->severity != FIX_SEV_WARNING || !veto_wrong_code_class(d->code) ||
        !changed_lines(s, fs, d->pos.file, &a, &b) || d->pos.line < a || d->pos.line > b)
      continue;
    char *loc = short_loc(s, &d->pos);
    why = fix_asprintf("it leaves a warning that signals wrong code on a line it wrote: %s: warning: %s [%s]",
                       loc ? loc : "?", d->message ? d->message : "", d->code);
    free(loc);
  }
  if (new_warnings)
    *new_warnings = others;
  if (!why) {
    struct fix_strv allowed = {0}, lost = {0};
    for (size_t i = 0; i < nabout; i++)
      names_of(about[i], &allowed);
    destroyed(s, fs, &allowed, about, nabout, &lost);
    if (lost.n) {
      struct fix_buf b;
      fix_buf_init(&b, 0);
      fix_buf_printf(&b, "it %s", lost.v[0]);
      for (size_t i = 1; i < lost.n && i < 3; i++)
        fix_buf_printf(&b, "; %s", lost.v[i]);
      if (lost.n > 3)
        fix_buf_printf(&b, " (and %zu more)", lost.n - 3);
      fix_buf_puts(&b, ", which the error is not about");
      why = fix_buf_take(&b);
    }
    fix_strv_free(&allowed);
    fix_strv_free(&lost);
  }
  s->st->veto_s += fix_now() - t0;
  s->st->vetoes += why != NULL;
  return why;
}
