/* destroyed.c — what an edit destroyed, from the items of a file before and after it, judged as a
 * reviewer would: a function removed, renamed, emptied or re-signed, a field or a prototype gone.
 *
 * Items are matched by kind and name, never by place (a moved function is the same function). In
 * a group of one kind and name, items pair up first with an equal parameter list (C++ overloads,
 * duplicates), then in file order; definitions pair with definitions, declarations with
 * declarations. What stays unpaired is destroyed unless something else in the file still stands
 * for it: a twin in `before` that did pair (a removed duplicate) or, for a declaration, a
 * definition with its parameters. This runs on every candidate edit: items are sorted once per
 * side and each group is small. Ownership: sentences are appended to the caller's strv. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SHRINK_MIN_LINES 3 /* a body this long that loses half of its lines or more is reported (a body
                              * of six statements replaced by `return 0;`) */

static int callable(const char *k) {
  return !strcmp(k, "function") || !strcmp(k, "method") || !strcmp(k, "fn") || !strcmp(k, "impl_fn") ||
         !strcmp(k, "trait_fn");
}

/* Kinds whose body may be elsewhere: a bodiless one is a declaration (a trait's method without a
 * default body is simply a required method). */
static int declarable(const char *k) {
  return (callable(k) && strcmp(k, "trait_fn")) || !strcmp(k, "struct") || !strcmp(k, "union") || !strcmp(k, "class") ||
         !strcmp(k, "enum") || !strcmp(k, "mod");
}

static int is_def(const struct fix_item *it) { return it->body_lines >= 0; }

static const char *word(const char *kind) {
  static const char *const w[][2] = {
      {"fn", "function"}, {"impl_fn", "method"}, {"trait_fn", "trait method"}, {"enum_constant", "enum constant"}};
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    if (!strcmp(kind, w[i][0]))
      return w[i][1];
  return kind;
}

/* The last component of a qualified name: "bump" of "app::Counter::bump", "qty" of "struct order.qty". */
static const char *last_part(const char *name) {
  const char *r = name;
  for (const char *p = name; *p; p++) {
    if (p[0] == ':' && p[1] == ':')
      r = p + 2;
    else if (p[0] == '.')
      r = p + 1;
  }
  return r;
}

static int exempt(const char *name, const char *const *allowed) {
  size_t ln = strlen(name);
  for (size_t i = 0; allowed && allowed[i]; i++) {
    size_t la = strlen(allowed[i]);
    if (!la)
      continue;
    if (!strcmp(name, allowed[i]))
      return 1;
    if (la < ln && !strcmp(name + ln - la, allowed[i]) && strchr(":. ", name[ln - la - 1]))
      return 1;
  }
  return 0;
}

static int same_types(const struct fix_item *a, const struct fix_item *b) {
  if (!a->params != !b->params || a->param_types.n != b->param_types.n)
    return 0;
  for (size_t i = 0; i < a->param_types.n; i++)
    if (strcmp(a->param_types.v[i], b->param_types.v[i]))
      return 0;
  return 1;
}

static int key_cmp(const struct fix_item *a, const struct fix_item *b) {
  int c = strcmp(a->kind, b->kind);
  return c ? c : strcmp(a->name, b->name);
}

static int by_key(const void *x, const void *y) {
  const struct fix_item *a = *(const struct fix_item *const *)x, *b = *(const struct fix_item *const *)y;
  int c = key_cmp(a, b);
  return c ? c : (a > b) - (a < b); /* file order within a group */
}

/* The items sorted by kind and name (NULL for none or no memory: then nothing matches). */
static const struct fix_item **sorted(const struct fix_items *it) {
  if (!it || !it->n)
    return NULL;
  const struct fix_item **s = malloc(it->n * sizeof *s);
  if (!s)
    return NULL;
  for (size_t i = 0; i < it->n; i++)
    s[i] = &it->v[i];
  qsort(s, it->n, sizeof *s, by_key);
  return s;
}

/* The range [*lo, *hi) of s holding items with x's kind and name. */
static void group(const struct fix_item **s, size_t n, const struct fix_item *x, size_t *lo, size_t *hi) {
  size_t a = 0, b = n;
  while (a < b) {
    size_t m = (a + b) / 2;
    if (key_cmp(s[m], x) < 0)
      a = m + 1;
    else
      b = m;
  }
  *lo = a;
  while (a < n && !key_cmp(s[a], x))
    a++;
  *hi = a;
}

struct cmp {
  const struct fix_items *b, *a;
  const char *const *allowed;
  struct fix_strv *out;
  size_t start;
  int *pair;           /* per before item: the after item it pairs with, -1 */
  unsigned char *used; /* per after item: paired or taken by a rename */
};

static void say(struct cmp *c, char *s) {
  if (!s)
    return;
  for (size_t i = c->start; i < c->out->n; i++)
    if (!strcmp(c->out->v[i], s)) { /* the prototype and the definition lose the same parameter */
      free(s);
      return;
    }
  if (fix_strv_push_own(c->out, s) != FIX_OK)
    free(s);
}

static long distance(const struct fix_item *b, const struct fix_item *a) {
  long d = labs((long)b->body_lines - a->body_lines) * 100000L + labs((long)b->first - a->first);
  return d;
}

/* Pairs the before items [blo, bhi) of one group with the after items [alo, ahi), closest first;
 * with same_params, only items with equal parameter types. */
static void pair_group(struct cmp *c, const struct fix_item **sb, size_t blo, size_t bhi, const struct fix_item **sa,
                       size_t alo, size_t ahi, int same_params) {
  for (;;) {
    long best = -1;
    size_t bi = 0, ai = 0;
    for (size_t i = blo; i < bhi; i++) {
      size_t ib = (size_t)(sb[i] - c->b->v);
      if (c->pair[ib] >= 0)
        continue;
      for (size_t j = alo; j < ahi; j++) {
        size_t ia = (size_t)(sa[j] - c->a->v);
        if (c->used[ia] || is_def(sb[i]) != is_def(sa[j]) || (same_params && !same_types(sb[i], sa[j])))
          continue;
        long d = distance(sb[i], sa[j]);
        if (best < 0 || d < best) {
          best = d;
          bi = ib;
          ai = ia;
        }
      }
    }
    if (best < 0)
      return;
    c->pair[bi] = (int)ai;
    c->used[ai] = 1;
  }
}

/* The parameters a re-signed callable lost, or that it changed them. */
static void params_changed(struct cmp *c, const struct fix_item *b, const struct fix_item *a) {
  const char *what = strcmp(b->kind, "variant") ? "parameter" : "field";
  size_t nb = b->param_types.n, na = a->param_types.n;
  if (na < nb) {
    /* after's parameters a subsequence of before's: name and type first, then type alone */
    for (int by_name = 1; by_name >= 0; by_name--) {
      unsigned char gone[64] = {0};
      size_t j = 0;
      for (size_t i = 0; i < nb && i < 64; i++) {
        if (j < na && !strcmp(b->param_types.v[i], a->param_types.v[j]) &&
            (!by_name || !strcmp(b->param_names.v[i], a->param_names.v[j])))
          j++;
        else
          gone[i] = 1;
      }
      if (j != na || nb > 64)
        continue;
      for (size_t i = 0; i < nb; i++) {
        if (!gone[i])
          continue;
        if (*b->param_names.v[i])
          say(c, fix_asprintf("removes %s '%s' of '%s'", what, b->param_names.v[i], b->name));
        else
          say(c, fix_asprintf("removes %s %zu ('%s') of '%s'", what, i + 1, b->param_types.v[i], b->name));
      }
      return;
    }
  }
  say(c, fix_asprintf("changes the %ss of '%s' from '%s' to '%s'", what, b->name, b->params ? b->params : "",
                      a->params ? a->params : ""));
}

static void compare(struct cmp *c, const struct fix_item *b, const struct fix_item *a) {
  if ((b->params || a->params) && !same_types(b, a))
    params_changed(c, b, a);
  if (!callable(b->kind) || !is_def(b) || !is_def(a))
    return;
  if (!b->empty_body && a->empty_body)
    say(c, fix_asprintf("empties the body of '%s'", b->name));
  else if (b->body_lines >= SHRINK_MIN_LINES && a->body_lines * 2 <= b->body_lines)
    say(c,
        fix_asprintf("removes most of the body of '%s' (%d of %d lines left)", b->name, a->body_lines, b->body_lines));
}

/* A new callable (a name `before` lacks) that is `b` under another name: same kind, parameter
 * types and kind of body, a body of about the same size; the nearest. -1 when none. */
static int renamed_as(struct cmp *c, const struct fix_item *b, const unsigned char *fresh) {
  if (!callable(b->kind))
    return -1;
  int best = -1;
  long bd = 0;
  for (size_t j = 0; j < c->a->n; j++) {
    const struct fix_item *a = &c->a->v[j];
    if (!fresh[j] || c->used[j] || strcmp(a->kind, b->kind) || is_def(a) != is_def(b) || !same_types(a, b))
      continue;
    int slack = b->body_lines / 4 > 2 ? b->body_lines / 4 : 2;
    if (is_def(b) && abs(a->body_lines - b->body_lines) > slack)
      continue;
    long d = labs((long)a->first - b->first);
    if (best < 0 || d < bd) {
      best = (int)j;
      bd = d;
    }
  }
  return best;
}

static void removed(struct cmp *c, const struct fix_item *b, const struct fix_item **sa, size_t alo, size_t ahi) {
  const struct fix_item *p = b->parent >= 0 && (size_t)b->parent < c->b->n ? &c->b->v[b->parent] : NULL;
  if (p && (!strcmp(b->kind, "field") || !strcmp(b->kind, "enum_constant") || !strcmp(b->kind, "variant"))) {
    say(c, fix_asprintf("removes %s '%s' of %s '%s'", word(b->kind), last_part(b->name), word(p->kind), p->name));
    return;
  }
  if (alo < ahi) { /* others of the name remain */
    int defs = 0;
    for (size_t j = alo; j < ahi; j++)
      defs += is_def(sa[j]);
    if (is_def(b) && !defs)
      say(c, fix_asprintf("removes the definition of %s '%s'", word(b->kind), b->name));
    else
      say(c, fix_asprintf("removes %s '%s%s'", word(b->kind), b->name, b->params ? b->params : ""));
    return;
  }
  if (!is_def(b) && declarable(b->kind))
    say(c, fix_asprintf("removes the declaration of %s '%s'", word(b->kind), b->name));
  else
    say(c, fix_asprintf("removes %s '%s'", word(b->kind), b->name));
}

int fix_items_destroyed(const struct fix_items *before, const struct fix_items *after, const char *const *allowed,
                        struct fix_strv *out) {
  static const struct fix_items none = {NULL, 0};
  if (!before || !before->n)
    return 0;
  if (!after)
    after = &none;
  struct cmp c = {before, after, allowed, out, out->n, NULL, NULL};
  const struct fix_item **sb = sorted(before), **sa = sorted(after);
  c.pair = malloc(before->n * sizeof *c.pair);
  c.used = calloc(after->n + 1, 1);
  unsigned char *missing = calloc(before->n, 1), *gone = calloc(before->n, 1), *fresh = calloc(after->n + 1, 1);
  if (!sb || (after->n && !sa) || !c.pair || !c.used || !missing || !gone || !fresh)
    goto fail;
  for (size_t i = 0; i < before->n; i++)
    c.pair[i] = -1;
  for (size_t j = 0; j < after->n; j++) {
    size_t lo, hi;
    group(sb, before->n, &after->v[j], &lo, &hi);
    fresh[j] = lo == hi;
  }
  /* pair each group; what stays unpaired and stands for nothing else is missing */
  for (size_t g = 0; g < before->n;) {
    size_t bhi = g + 1, alo = 0, ahi = 0;
    while (bhi < before->n && !key_cmp(sb[bhi], sb[g]))
      bhi++;
    if (sa)
      group(sa, after->n, sb[g], &alo, &ahi);
    pair_group(&c, sb, g, bhi, sa, alo, ahi, 1);
    pair_group(&c, sb, g, bhi, sa, alo, ahi, 0);
    for (size_t i = g; i < bhi; i++) {
      size_t ib = (size_t)(sb[i] - before->v);
      if (c.pair[ib] >= 0)
        continue;
      int stands = 0;
      for (size_t k = g; k < bhi && !stands; k++) /* a duplicate whose twin stays */
        stands = k != i && c.pair[sb[k] - before->v] >= 0 && is_def(sb[k]) == is_def(sb[i]) && same_types(sb[k], sb[i]);
      for (size_t j = alo; j < ahi && !stands && !is_def(sb[i]); j++) /* a declaration whose definition stays */
        stands = is_def(sa[j]) && same_types(sa[j], sb[i]);
      missing[ib] = !stands;
    }
    g = bhi;
  }
  /* a method of a name that stood before but paired with none of that name's old items is new too:
   * an out-of-line definition renamed onto an overload's name (El::SetText_impl(double) back to
   * El::SetText, beside El::SetText(int)) is a rename, not a removal. Methods only: a member
   * definition must match the class's declaration, so no call changes overload by it; a free
   * function renamed onto an overload's name could take calls from the one that stood. */
  unsigned char *taken = calloc(after->n + 1, 1);
  for (size_t i = 0; taken && i < before->n; i++)
    if (c.pair[i] >= 0)
      taken[c.pair[i]] = 1;
  for (size_t j = 0; taken && j < after->n; j++)
    if (!taken[j] && !fresh[j] && !strcmp(after->v[j].kind, "method"))
      fresh[j] = 1;
  free(taken);
  /* in file order, so that a parent is judged before its members */
  for (size_t i = 0; i < before->n; i++) {
    const struct fix_item *b = &before->v[i];
    if (b->parent >= 0 && (size_t)b->parent < i && gone[b->parent]) {
      gone[i] = 1; /* said with its parent */
      continue;
    }
    if (missing[i]) {
      gone[i] = 1;
      int r = renamed_as(&c, b, fresh);
      if (r >= 0)
        c.used[r] = 1;
      if (exempt(b->name, allowed))
        continue;
      if (r >= 0) {
        say(&c, fix_asprintf("renames %s '%s' to '%s'", word(b->kind), b->name, after->v[r].name));
      } else {
        size_t alo = 0, ahi = 0;
        if (sa)
          group(sa, after->n, b, &alo, &ahi);
        removed(&c, b, sa, alo, ahi);
      }
    } else if (c.pair[i] >= 0 && !exempt(b->name, allowed)) {
      compare(&c, b, &after->v[c.pair[i]]);
    }
  }
fail:
  free(sb);
  free(sa);
  free(c.pair);
  free(c.used);
  free(missing);
  free(gone);
  free(fresh);
  return (int)(out->n - c.start);
}
