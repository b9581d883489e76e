/* repair_rust.c — repairs of rustc errors: numeric casts, misspelled variants, fields and
 * functions, an extra argument, a missing field, a private item, a number written as a string, a
 * `?` left out. */
#include "repairs_gen.h"

/* ---- Rust: numeric casts, misspelled names ------------------------------------------------------ */

/* rustc's `quoted` names */
static int bquoted(const char *msg, int nth, char *buf, size_t cap) { return rp_delimited(msg, '`', nth, buf, cap); }

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
    if (q < n && (fix_ident_char((unsigned char)t[q]))) {
      while (q < n && fix_ident_char((unsigned char)t[q]))
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

void rp_rust_cast(struct gen *g) {
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
        simple &= fix_ident_char((unsigned char)g->t[k]) || g->t[k] == '.' || g->t[k] == '(' || g->t[k] == ')' ||
                  g->t[k] == '[' || g->t[k] == ']' || g->t[k] == ':';
      char cast[48];
      snprintf(cast, sizeof cast, " as %s", want);
      if (simple) {
        rp_add(g, g->path, 0, (size_t)b, (size_t)b, cast, "'%.*s as %s' (%s to %s)", (int)(b - a), g->t + a, want, have, want);
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
          rp_add(g, g->path, 0, (size_t)a, (size_t)b, x, "'(...) as %s' (%s to %s)", want, have, want);
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
  rp_add(g, g->path, 0, e, e, cast, "'%.*s as %s' (%s to %s)", (int)(e - s0), g->t + s0, lhs, rhs, lhs);
}

/* Names declared in Rust text after `kw ` (fn, struct fields, enum variants): the identifiers of
 * the items inside `enum NAME {` or `struct NAME {` (variant/field names: the first identifier of
 * each comma-separated entry), or every `fn NAME`. */
static void rust_items(const char *t, size_t n, const char *kw, const char *owner, struct namecount **v, size_t *nv) {
  char pat[160];
  snprintf(pat, sizeof pat, "%s %s", kw, owner ? owner : "");
  size_t k = strlen(pat);
  for (const char *h = t; (h = memmem(h, (size_t)(t + n - h), pat, k)); h += k) {
    if (h > t && fix_ident_char((unsigned char)h[-1]))
      continue;
    const char *q = h + k;
    if (!owner) { /* fn NAME */
      const char *e = q;
      while (e < t + n && fix_ident_char((unsigned char)*e))
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
    if (q < t + n && fix_ident_char((unsigned char)*q))
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
      if (depth == 1 && start && fix_ident_char((unsigned char)*c) && !(c[-1] == '#')) {
        const char *e = c;
        while (e < t + n && fix_ident_char((unsigned char)*e))
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

void rp_rust_typo(struct gen *g) {
  const struct fix_diag *d = g->d;
  char name[64], owner[96];
  const char *kw = NULL;
  const char *own = NULL;
  if (!d->message || !bquoted(d->message, 0, name, sizeof name) || !fix_is_ident(name))
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
    rp_count_names(g->t, g->n, 2, &v, &nv);
  }
  long at = rp_find_on_line(g->t, g->n, g->off, name);
  if (at >= 0)
    rp_add_similar(g, at, name, v, nv, kw && own ? (strcmp(kw, "enum") ? "a field" : "a variant") : "a name in scope", 0);
  free(v);
}

/* Rust: E0061 (an extra argument: the call around the position), E0063 (a missing field given its
 * default), E0603 (a private item made pub), E0308 (a number written as a string). */
void rp_rust_more(struct gen *g) {
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
      /* (a path: `shapes::combine(`, `Self::new(`) */
      while (q < g->n && (fix_ident_char((unsigned char)g->t[q]) || (g->t[q] == ':' && q + 1 < g->n && g->t[q + 1] == ':') ||
                          (g->t[q] == ':' && q > 0 && g->t[q - 1] == ':')))
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
      while (b > 0 && fix_ident_char((unsigned char)g->t[b - 1]))
        b--;
      if (p && e > b && e - b < 64) {
        char fn[64];
        memcpy(fn, g->t + b, e - b);
        fn[e - b] = '\0';
        g->off = b;
        rp_gen_drop_arg(g, fn);
      }
    }
  } else if (!strcmp(d->code, "E0063")) { /* missing field `done` (or fields `a`, `b` and `c`) */
    char field[64];
    if (!bquoted(d->message, 0, field, sizeof field) || !fix_is_ident(field) || strstr(d->message, "fields"))
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
    snprintf(ins, sizeof ins, "%s%s: Default::default()", comma ? " " : ", ", field);
    rp_add(g, g->path, 0, e, e, ins, "'%s: Default::default()' for the missing field", field);
  } else if (!strcmp(d->code, "E0603")) { /* the note is at the definition */
    const struct fix_diag *note = NULL;
    for (size_t i = 0; i < d->nnotes && !note; i++)
      if (d->notes[i].pos.file && d->notes[i].pos.line > 0 && d->notes[i].message &&
          strstr(d->notes[i].message, "defined here"))
        note = &d->notes[i];
    if (!note)
      return;
    const char *t;
    size_t n;
    long no = rp_note_offset(g, note, 1, &t, &n);
    if (no < 0)
      return;
    size_t b = (size_t)no;
    while (b < n && (t[b] == ' ' || t[b] == '\t'))
      b++;
    if (b + 4 <= n && !memcmp(t + b, "pub", 3))
      return;
    rp_add(g, note->pos.file, 0, b, b, "pub ", "made pub (it is used outside its module)");
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
    rp_add(g, g->path, 0, g->off, q + 1, num, "the number %s, not the string \"%s\"", num, num);
  }
}


/* ---- Rust: a `?` left out ------------------------------------------------------------------------ */

/* '?' before the ';' that ends the statement starting at `from` (blanks before the ';' kept after
 * it), unless the expression already ends with one. */
static void question_before_semicolon(struct gen *g, size_t from, const char *why) {
  long semi = rp_semicolon_at(g->t, g->n, from, 0, 1);
  if (semi < 0)
    return;
  size_t at = (size_t)semi;
  while (at > from && isspace((unsigned char)g->t[at - 1]))
    at--;
  if (at > from && g->t[at - 1] != '?')
    rp_add(g, g->path, 0, at, at, "?", "%s", why);
}

/* The `let` that binds `name` last before `use`, in the same function: the offset of its '=' (-1
 * when none, or a `fn` comes between). */
static long let_binding(const char *t, size_t use, const char *name) {
  size_t nl = strlen(name);
  for (size_t p = use; p-- > 0;) {
    if (p + 3 <= use && !memcmp(t + p, "fn ", 3) && (p == 0 || !fix_ident_char((unsigned char)t[p - 1])))
      return -1;
    if (p + 4 > use || memcmp(t + p, "let ", 4) || (p > 0 && fix_ident_char((unsigned char)t[p - 1])))
      continue;
    size_t q = p + 4;
    if (!strncmp(t + q, "mut ", 4))
      q += 4;
    if (q + nl > use || memcmp(t + q, name, nl) || fix_ident_char((unsigned char)t[q + nl]))
      continue;
    q += nl;
    while (q < use && t[q] != '=' && t[q] != ';')
      q++;
    return q < use && t[q] == '=' ? (long)q : -1;
  }
  return -1;
}

/* rustc's "use the `?` operator" at a use of a local (`f(x?)`) while the `?` was left out where the
 * local is bound (`let x = y.ok_or(E);`): the '?' goes there. And "cannot add-assign `Option<T>`
 * to `T`" (`pos += f(...);`): the '?' after the right-hand side. */
void rp_rust_question(struct gen *g) {
  const struct fix_diag *d = g->d;
  if (!d->code)
    return;
  if (!strcmp(d->code, "E0277") && strstr(d->message, "-assign `") &&
      (strstr(d->message, "`Option<") || strstr(d->message, "`Result<"))) {
    size_t p = g->off;
    while (p + 1 < g->n && !(g->t[p + 1] == '=' && strchr("+-*/%", g->t[p])))
      if (g->t[p++] == '\n')
        return;
    if (p + 1 < g->n)
      question_before_semicolon(g, p + 2, "'?' after the right-hand side, which is an Option or Result");
    return;
  }
  if (strcmp(d->code, "E0308"))
    return;
  for (size_t i = 0; i < d->nnotes; i++)
    for (size_t k = 0; k < d->notes[i].nfixits; k++) {
      const struct fix_fixit *f = &d->notes[i].fixits[k];
      if (!f->text || strcmp(f->text, "?") || !f->range.begin.file || strcmp(f->range.begin.file, g->path))
        continue;
      long at = fix_text_offset(g->t, g->n, f->range.begin.line, f->range.begin.col);
      size_t b = at > 0 ? (size_t)at : 0;
      while (b > 0 && fix_ident_char((unsigned char)g->t[b - 1]))
        b--;
      if (at <= 0 || (size_t)at - b >= 64 || (size_t)at == b || isdigit((unsigned char)g->t[b]) ||
          (b > 0 && (g->t[b - 1] == '.' || g->t[b - 1] == ':')))
        continue; /* a field or a path, not a local */
      char name[64];
      memcpy(name, g->t + b, (size_t)at - b);
      name[(size_t)at - b] = '\0';
      long eq = let_binding(g->t, b, name);
      if (eq >= 0) {
        char why[160];
        snprintf(why, sizeof why, "'?' where '%s' is bound, as rustc suggests at its use", name);
        question_before_semicolon(g, (size_t)eq + 1, why);
      }
    }
}

/* ---- Rust: an item renamed at its definition only ----------------------------------------------- */

/* How often the crate's files (and this one) name `name`, whole word. */
static int crate_mentions(const struct gen *g, const char *name) {
  int c = rp_word_count(g->t, g->n, name);
  for (size_t i = 0; g->env->headers && g->env->headers[i]; i++) {
    const char *t;
    size_t n;
    if (strcmp(g->env->headers[i], g->path) && !g->env->read(g->env->ud, g->env->headers[i], &t, &n))
      c += rp_word_count(t, n, name);
  }
  return c;
}

/* The developer's own change wrote the line at p (a '+' line of their diff): completed, not undone. */
static int changed_by_developer(const struct gen *g, const char *t, size_t n, size_t p) {
  if (!g->env->intent || !g->env->intent->diff)
    return 0;
  size_t a = rp_line_start(t, p);
  char *line = fix_strndup(t + a, rp_line_stop(t, n, a) - a), *pat = line ? fix_asprintf("\n+%s\n", line) : NULL;
  int mine = pat && strstr(g->env->intent->diff, pat);
  free(line);
  free(pat);
  return mine;
}

/* The one name declared at depth 1 of the block [open, close) by `kw` ("fn ") or as a field
 * ("name:"), near `want` and named nowhere else in the crate: its offset, or -1. */
static long renamed_in_block(const struct gen *g, const char *t, size_t open, size_t close, const char *want, int fields,
                             char *got, size_t cap) {
  long hit = -1;
  int depth = 0, hits = 0;
  for (size_t p = open; p < close; p++) {
    depth += t[p] == '{' || t[p] == '(' || t[p] == '[' ? 1 : t[p] == '}' || t[p] == ')' || t[p] == ']' ? -1 : 0;
    if (depth != 1 || (p > open && fix_ident_char((unsigned char)t[p - 1])) || !fix_ident_char((unsigned char)t[p]))
      continue;
    size_t a = p;
    if (!fields) {
      if (close - p < 4 || memcmp(t + p, "fn ", 3))
        continue;
      a = p + 3;
      while (a < close && t[a] == ' ')
        a++;
    }
    size_t b = a;
    while (b < close && fix_ident_char((unsigned char)t[b]))
      b++;
    size_t c = b;
    while (c < close && t[c] == ' ')
      c++;
    int decl = fields ? c < close && t[c] == ':' && (c + 1 >= close || t[c + 1] != ':')
                      : c < close && (t[c] == '(' || t[c] == '<');
    if (b == a || b - a >= cap || !decl)
      continue;
    char name[128];
    memcpy(name, t + a, b - a);
    name[b - a] = '\0';
    p = b - 1; /* t[b] (a '(' or '<') is counted next */
    if (!rp_near_name(name, want))
      continue;
    size_t ls = rp_line_start(t, a);
    const char *pub = memmem(t + ls, a - ls, "pub", 3);
    if (pub && (pub == t + ls || !fix_ident_char((unsigned char)pub[-1])) && !fix_ident_char((unsigned char)pub[3]))
      return -2; /* public: a caller outside the crate may use it; never renamed */
    if (++hits > 1)
      return -1; /* two candidates: no guess */
    memcpy(got, name, b - a + 1);
    hit = (long)a;
  }
  return hit >= 0 && crate_mentions(g, got) == 1 ? hit : hit >= 0 ? -2 : -1;
}

/* The block a '{' at or after `from` opens: [*open, *close). */
static int block_after(const char *t, size_t n, size_t from, size_t *open, size_t *close) {
  size_t p = from;
  while (p < n && t[p] != '{' && t[p] != ';')
    p++;
  if (p >= n || t[p] != '{')
    return 0;
  int depth = 0;
  for (size_t q = p; q < n; q++) {
    depth += t[q] == '{' ? 1 : t[q] == '}' ? -1 : 0;
    if (!depth) {
      *open = p;
      *close = q;
      return 1;
    }
  }
  return 0;
}

/* E0046 "not all trait items implemented, missing: `next`" where the impl defines one method the
 * trait does not have, named near it (next_impl) and called nowhere: that method renamed back.
 * E0560/E0609 "no field named `depth`" where the struct has one field named near it (depth_v2)
 * and named nowhere else: that field renamed back; E0599 "no method named `len` found for struct
 * `S`" the same for a method of S's own impl blocks. Never where the developer's change renamed it. */
void rp_rust_renamed_def(struct gen *g) {
  const struct fix_diag *d = g->d;
  char want[128], got[128], type[256];
  if (!d->code)
    return;
  if (!strcmp(d->code, "E0046")) {
    size_t open, close;
    const char *m = strstr(d->message, "missing: `");
    if (!m || !bquoted(m, 0, want, sizeof want) || !fix_is_ident(want) || strstr(m, "`, `") ||
        !block_after(g->t, g->n, g->off, &open, &close))
      return;
    long at = renamed_in_block(g, g->t, open, close, want, 0, got, sizeof got);
    if (at >= 0 && !changed_by_developer(g, g->t, g->n, (size_t)at))
      rp_add(g, g->path, 0, (size_t)at, (size_t)at + strlen(got), want,
             "the method '%s' renamed back to '%s', the trait's (nothing calls '%s')", got, want, got);
    return;
  }
  int e560 = !strcmp(d->code, "E0560"), e599 = !strcmp(d->code, "E0599");
  if ((!e560 && !e599 && strcmp(d->code, "E0609")) || !bquoted(d->message, e560 ? 1 : 0, want, sizeof want) ||
      !fix_is_ident(want) || !bquoted(d->message, e560 ? 0 : 1, type, sizeof type) ||
      (e599 && !strstr(d->message, "no method named")))
    return;
  /* `&mut NestLimiter<'p, 's, P>`: the type's own name */
  char *ty = type;
  while (*ty == '&' || *ty == ' ' || !strncmp(ty, "mut ", 4))
    ty += *ty == 'm' ? 4 : 1;
  ty[strcspn(ty, "<")] = '\0';
  if (strrchr(ty, ':'))
    ty = strrchr(ty, ':') + 1;
  if (!fix_is_ident(ty))
    return;
  size_t tl = strlen(ty);
  /* the use is the developer's new code: what it names may be meant to be new; and a method a trait
   * not in scope provides is no rename at all */
  if (changed_by_developer(g, g->t, g->n, g->off) || (d->rendered && strstr(d->rendered, "in scope") &&
                                                       strstr(d->rendered, "trait")))
    return;
  const char *hit_path = NULL;
  long hit = -1;
  int hits = 0;
  char one[128] = "";
  for (size_t i = 0; hits < 2 && (i == 0 || (g->env->headers && g->env->headers[i - 1])); i++) {
    const char *t = g->t, *path = g->path;
    size_t n = g->n, open, close;
    if (i && (!strcmp(g->env->headers[i - 1], g->path) ||
              g->env->read(g->env->ud, (path = g->env->headers[i - 1]), &t, &n)))
      continue;
    /* fields: `struct S`; methods: every inherent `impl<..> S<..>`; all of them, in every file */
    const char *kw = e599 ? "impl" : "struct";
    size_t kl = strlen(kw);
    for (const char *q = t; hits < 2 && (q = memmem(q, n - (size_t)(q - t), kw, kl)); q++) {
      size_t e = (size_t)(q - t) + kl;
      if ((q > t && fix_ident_char((unsigned char)q[-1])) || e >= n || fix_ident_char((unsigned char)t[e]))
        continue;
      if (t[e] == '<') { /* impl<A: Array> */
        int depth = 0;
        for (; e < n; e++) {
          depth += t[e] == '<' ? 1 : t[e] == '>' ? -1 : 0;
          if (!depth)
            break;
        }
        e++;
      }
      while (e < n && t[e] == ' ')
        e++;
      if (e + tl > n || memcmp(t + e, ty, tl) || (e + tl < n && fix_ident_char((unsigned char)t[e + tl])) ||
          !block_after(t, n, e + tl, &open, &close) || (e599 && memmem(t + e, open - e, " for ", 5)))
        continue;
      long at = renamed_in_block(g, t, open, close, want, !e599, got, sizeof got);
      if (at == -2)
        return; /* a public or still-named candidate: no guess */
      if (at >= 0 && (!hits || strcmp(one, got) || at != hit || path != hit_path)) {
        hits++;
        hit = at;
        hit_path = path;
        snprintf(one, sizeof one, "%s", got);
        if (changed_by_developer(g, t, n, (size_t)at))
          return;
      }
    }
  }
  if (hits == 1)
    rp_add(g, hit_path, 0, (size_t)hit, (size_t)hit + strlen(one), want,
           "the %s '%s' renamed back to '%s', the name its uses have ('%s' is named nowhere else)",
           e599 ? "method" : "field", one, want, one);
}
