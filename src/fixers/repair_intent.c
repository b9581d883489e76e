/* repair_intent.c — the developer's change (src/intent) completed at an error: every use of a
 * renamed item in the file, and every call of a callable whose parameter list gained a parameter
 * (the variable of that name passed at its place) or was reordered (the arguments moved with their
 * parameters). Ranked first and labelled as completing the change; never the other way round. */
#include "repairs_gen.h"

struct hits {
  size_t *v, n, cap;
};

static int hit(void *ud, size_t off) {
  struct hits *h = ud;
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 16;
    size_t *nv = realloc(h->v, cap * sizeof *nv);
    if (!nv)
      return 1;
    h->v = nv, h->cap = cap;
  }
  h->v[h->n++] = off;
  return 0;
}

/* Every whole-word use of `from` in code (not in comments, string or character literals) between
 * the first and the last one, as one edit: [*a, *b) of t and its new text. 0 when there is none. */
static int rename_span(const char *t, size_t n, const char *from, const char *to, size_t *a, size_t *b, struct fix_buf *out) {
  struct hits h = {0};
  fix_word_scan(t, n, from, 1, hit, &h);
  if (!h.n) {
    free(h.v);
    return 0;
  }
  size_t fl = strlen(from), at = h.v[0];
  for (size_t k = 0; k < h.n; k++) {
    fix_buf_append(out, t + at, h.v[k] - at);
    fix_buf_puts(out, to);
    at = h.v[k] + fl;
  }
  *a = h.v[0];
  *b = at;
  free(h.v);
  return (int)h.n;
}

/* A use of a name the developer renamed (their change against HEAD, src/intent): every use of the
 * old name in this file gets the new one at once (gcc reports an undeclared name once a function,
 * so one use at a time would never lower the count), ranked first. Only for a message that quotes
 * the old name. */
static void intent_rename(struct gen *g) {
  const struct fix_intent *it = g->env->intent;
  for (size_t i = 0; it && i < it->n; i++) {
    const struct fix_intent_change *c = &it->v[i];
    if (c->kind != FIX_INTENT_RENAME)
      continue;
    char q1[160], q2[160], q3[160], q4[160];
    snprintf(q1, sizeof q1, "'%s'", c->from);
    snprintf(q2, sizeof q2, "`%s`", c->from);
    snprintf(q3, sizeof q3, "\u2018%s\u2019", c->from);
    snprintf(q4, sizeof q4, "::%s`", c->from); /* rustc: unresolved import `crate::core::display_width` */
    if (!strstr(g->d->message, q1) && !strstr(g->d->message, q2) && !strstr(g->d->message, q3) &&
        !strstr(g->d->message, q4))
      continue;
    if (rp_find_on_line(g->t, g->n, g->off, c->from) < 0)
      continue; /* not a use on the error's line */
    size_t a, b;
    struct fix_buf text;
    fix_buf_init(&text, 0);
    int uses = rename_span(g->t, g->n, c->from, c->to, &a, &b, &text);
    char *rel = fix_path_relative(g->env->root, c->file), more[48] = "";
    if (uses > 1)
      snprintf(more, sizeof more, ", its %d uses in this file", uses);
    if (uses > 0 && text.data)
      rp_add(g, g->path, 0, a, b, text.data, "completes your rename of %s '%s' to '%s' (%s)%s", c->what, c->from, c->to,
             rel ? rel : c->file, more);
    free(rel);
    fix_buf_free(&text);
  }
}


/* ---- calls of a callable whose parameters the developer added or reordered ------------------ */

struct call {
  size_t open, na;     /* the '(' and the number of arguments */
  size_t s[32], e[32]; /* each argument's bounds, spaces included */
  int method;          /* `x.f(...)`: Rust's self is not among the arguments */
};

/* A call of `fn` whose name starts at t[o] (not its declaration or definition). */
static int call_at(const char *t, size_t n, size_t o, const char *fn, struct call *c) {
  size_t p = o + strlen(fn), b = o;
  while (p < n && (t[p] == ' ' || t[p] == '\t'))
    p++;
  if (p >= n || t[p] != '(')
    return 0;
  while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\n'))
    b--;
  if (b > 0 && (fix_ident_char((unsigned char)t[b - 1]) || (t[b - 1] == '*' && b > 1 && t[b - 2] != '*'))) {
    size_t w = b;
    while (w > 0 && fix_ident_char((unsigned char)t[w - 1]))
      w--;
    if (!(b - w == 6 && !memcmp(t + w, "return", 6)))
      return 0; /* `int f(`, `fn f(`, `*f(`: a declaration, or nothing to judge */
  }
  c->method = b > 0 && t[b - 1] == '.';
  c->open = p;
  c->na = rp_split_args(t, n, p, c->s, c->e, 32);
  if (!c->na)
    return 0;
  if (c->na == 1) { /* `f()` has no argument */
    size_t q = c->s[0];
    while (q < c->e[0] && isspace((unsigned char)t[q]))
      q++;
    if (q == c->e[0])
      c->na = 0;
  }
  return 1;
}

/* Whether `name` is declared before t[o] in the function around it: a C declaration (`T name`,
 * a parameter too) or a Rust binding (`let name`, `let mut name`, `name: T`, `for name in`). */
static int declared_before(const char *t, size_t o, const char *name, int rust) {
  size_t fs = 0, k = strlen(name);
  if (rust) {
    for (size_t q = o; q-- > 0;)
      if (!memcmp(t + q, "fn ", 3) && (q == 0 || !fix_ident_char((unsigned char)t[q - 1]))) {
        fs = q;
        break;
      }
    for (size_t q = fs; q + k < o; q++) {
      if (memcmp(t + q, name, k) || (q && fix_ident_char((unsigned char)t[q - 1])) || fix_ident_char((unsigned char)t[q + k]))
        continue;
      size_t a = q + k, b = q;
      while (a < o && t[a] == ' ')
        a++;
      while (b > fs && t[b - 1] == ' ')
        b--;
      if ((t[a] == ':' && t[a + 1] != ':') || (b >= 3 && !memcmp(t + b - 3, "let", 3)) ||
          (b >= 3 && !memcmp(t + b - 3, "mut", 3)) || (b >= 3 && !memcmp(t + b - 3, "for", 3)) || t[b - 1] == '|')
        return 1;
    }
    return 0;
  }
  for (size_t q = rp_line_start(t, o);; q = rp_line_start(t, q - 1)) { /* back to the line that starts the function */
    if (fix_ident_char((unsigned char)t[q])) {
      fs = q;
      break;
    }
    if (!q)
      break;
  }
  char type[128];
  int stars, array;
  return rp_type_of(t + fs, o - fs, name, type, sizeof type, &stars, &array);
}

/* The argument list of call `c` as the changed signature wants it, into out (the text between the
 * parentheses); 0 when this call cannot follow. */
static int rewrite(const struct gen *g, const struct fix_intent_change *ic, const struct call *c, size_t o, int rust,
                   struct fix_buf *out) {
  const char *t = g->t;
  int self = rust && ic->self_param && c->method; /* x.f(a): self is parameter 0 */
  if ((int)c->na + self != ic->nparams)
    return 0;
  size_t inner_a = c->open + 1, inner_b = c->na ? c->e[c->na - 1] : c->s[0];
  if (ic->kind == FIX_INTENT_PARAM_ADDED) {
    int at = ic->index - self;
    if (at < 0 || !declared_before(t, o, ic->param, rust))
      return 0;
    if (!c->na) {
      fix_buf_append(out, t + inner_a, inner_b - inner_a);
      fix_buf_puts(out, ic->param);
    } else if (at < (int)c->na) { /* before argument `at`, after its leading spaces */
      size_t q = c->s[at];
      while (q < c->e[at] && isspace((unsigned char)t[q]))
        q++;
      fix_buf_append(out, t + inner_a, q - inner_a);
      fix_buf_printf(out, "%s, ", ic->param);
      fix_buf_append(out, t + q, inner_b - q);
    } else { /* after the last, before its trailing spaces */
      size_t q = c->e[c->na - 1];
      while (q > c->s[c->na - 1] && isspace((unsigned char)t[q - 1]))
        q--;
      fix_buf_append(out, t + inner_a, q - inner_a);
      fix_buf_printf(out, ", %s", ic->param);
      fix_buf_append(out, t + q, inner_b - q);
    }
    return 1;
  }
  if (ic->kind != FIX_INTENT_PARAMS_REORDERED || (self && ic->order[0] != 0))
    return 0;
  for (size_t j = 0; j < c->na; j++) { /* position j keeps its spaces and comma, takes its new argument */
    size_t from = (size_t)(ic->order[j + (size_t)self] - self);
    size_t ls = c->s[j], le = c->e[j], fs = c->s[from], fe = c->e[from];
    while (ls < le && isspace((unsigned char)t[ls]))
      ls++;
    while (le > ls && isspace((unsigned char)t[le - 1]))
      le--;
    while (fs < fe && isspace((unsigned char)t[fs]))
      fs++;
    while (fe > fs && isspace((unsigned char)t[fe - 1]))
      fe--;
    fix_buf_append(out, t + c->s[j], ls - c->s[j]);
    fix_buf_append(out, t + fs, fe - fs);
    fix_buf_append(out, t + le, c->e[j] - le);
    if (j + 1 < c->na)
      fix_buf_append(out, ",", 1);
  }
  return 1;
}

/* Every call of the callable in this file that still has the old parameter count, rewritten at
 * once, when the call on the error's line is one of them. */
static void intent_calls(struct gen *g) {
  const struct fix_intent *it = g->env->intent;
  int rust = fix_str_ends(g->path, ".rs");
  for (size_t i = 0; it && i < it->n; i++) {
    const struct fix_intent_change *ic = &it->v[i];
    if (ic->kind != FIX_INTENT_PARAM_ADDED && ic->kind != FIX_INTENT_PARAMS_REORDERED)
      continue;
    long here = rp_find_on_line(g->t, g->n, g->off, ic->fn);
    struct call c;
    if (here < 0 || !call_at(g->t, g->n, (size_t)here, ic->fn, &c))
      continue;
    struct hits h = {0};
    fix_word_scan(g->t, g->n, ic->fn, 1, hit, &h);
    struct fix_buf text;
    fix_buf_init(&text, 0);
    size_t first = 0, at = 0, sites = 0;
    int mine = 0;
    for (size_t k = 0; k < h.n; k++) {
      struct fix_buf args;
      fix_buf_init(&args, 0);
      if (call_at(g->t, g->n, h.v[k], ic->fn, &c) && rewrite(g, ic, &c, h.v[k], rust, &args) && args.data) {
        size_t a = c.open + 1, b = c.na ? c.e[c.na - 1] : c.s[0];
        if (!sites)
          first = at = a;
        fix_buf_append(&text, g->t + at, a - at);
        fix_buf_append(&text, args.data, args.len);
        at = b;
        sites++;
        mine |= h.v[k] == (size_t)here;
      }
      fix_buf_free(&args);
    }
    free(h.v);
    if (mine && text.data) {
      char *rel = fix_path_relative(g->env->root, ic->file), more[48] = "";
      if (sites > 1)
        snprintf(more, sizeof more, ", its %zu calls in this file", sites);
      if (ic->kind == FIX_INTENT_PARAM_ADDED)
        rp_add(g, g->path, 0, first, at, text.data, "pass '%s' as argument %d of %s(): completes your new parameter '%s' (%s)%s",
               ic->param, ic->index + 1, ic->fn, ic->param, rel ? rel : ic->file, more);
      else
        rp_add(g, g->path, 0, first, at, text.data, "reorder the arguments of %s(): completes your reordering of its parameters (%s)%s",
               ic->fn, rel ? rel : ic->file, more);
      free(rel);
    }
    fix_buf_free(&text);
  }
}

/* ---- Rust items moved to another module --------------------------------------------------- */

/* The module path of a source file of the crate ("a::b" for src/a/b.rs and src/a/b/mod.rs, "" for
 * src/main.rs and src/lib.rs) and the length of its "…/src/" prefix; NULL outside a src/. */
static char *module_of(const char *path, size_t *prefix) {
  const char *src = NULL;
  for (const char *p = path; (p = strstr(p, "/src/")); p++)
    src = p;
  if (!src || !fix_str_ends(path, ".rs"))
    return NULL;
  *prefix = (size_t)(src - path) + 5;
  char *m = fix_strndup(src + 5, strlen(src + 5) - 3);
  if (!m)
    return NULL;
  size_t n = strlen(m);
  if (n >= 4 && !strcmp(m + n - 4, "/mod"))
    m[n - 4] = '\0';
  if (!strcmp(m, "main") || !strcmp(m, "lib") || !strcmp(m, "mod"))
    m[0] = '\0';
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (const char *c = m; *c; c++)
    c[0] == '/' ? fix_buf_puts(&b, "::") : fix_buf_append(&b, c, 1);
  free(m);
  char *out = b.data ? fix_buf_take(&b) : fix_strdup("");
  fix_buf_free(&b);
  return out;
}

/* The module a use path's prefix names, seen from module `here` ("crate::a", "self::a", "super::a",
 * and 2018's plain "a", relative to here). Caller frees. */
static char *resolve(const char *prefix, const char *here) {
  if (!strncmp(prefix, "crate::", 7))
    return fix_strdup(prefix + 7);
  if (!strcmp(prefix, "crate"))
    return fix_strdup("");
  const char *rest = prefix;
  char *base = fix_strdup(here);
  if (!base)
    return NULL;
  while (!strncmp(rest, "super::", 7) || !strncmp(rest, "self::", 6)) {
    if (rest[1] == 'u') { /* super: up one */
      char *up = strstr(base, "::") ? base + strlen(base) : NULL;
      while (up && up > base && strncmp(up - 2, "::", 2))
        up--;
      if (up && up > base)
        up[-2] = '\0';
      else
        base[0] = '\0';
      rest += 7;
    } else {
      rest += 6;
    }
  }
  char *r = *base ? fix_asprintf("%s::%s", base, rest) : fix_strdup(rest);
  free(base);
  return r;
}

/* How module `dest` is written from module `here`, in the style of `prefix`. */
static char *spell(const char *prefix, const char *here, const char *dest) {
  size_t hl = strlen(here);
  if (strncmp(prefix, "crate", 5) && strncmp(prefix, "super::", 7)) {
    if (!hl)
      return fix_strdup(dest);
    if (!strncmp(dest, here, hl) && !strncmp(dest + hl, "::", 2))
      return fix_asprintf("%s%s", strncmp(prefix, "self::", 6) ? "" : "self::", dest + hl + 2);
  }
  return fix_asprintf("crate::%s", dest);
}

struct use_item {
  size_t a, b;       /* the item's text in the braces, spaces trimmed */
  char name[64];     /* its first word */
  char *dest;        /* the module it moved to (spelled from here), or NULL: it stays */
};

/* `use P::{a, b};` or `use P::a;` around the error: each item that moved from P's module goes to
 * `use DEST::...;`, the rest stay. One edit for the statement. */
static void moved_in_use(struct gen *g, const char *here, size_t prefix_len, const char *srcdir) {
  const char *t = g->t;
  size_t u = (size_t)-1;
  for (size_t q = g->off + 1; q-- > 0;) { /* back to the statement's `use` (no ';' between) */
    if (t[q] == ';')
      return;
    if (q + 4 <= g->n && !memcmp(t + q, "use ", 4) && (q == 0 || !fix_ident_char((unsigned char)t[q - 1]))) {
      u = q;
      break;
    }
  }
  if (u == (size_t)-1)
    return;
  const char *semi = memchr(t + u, ';', g->n - u);
  if (!semi)
    return;
  size_t end = (size_t)(semi - t), p = u + 4;
  while (p < end && isspace((unsigned char)t[p]))
    p++;
  /* the prefix: up to the last "::" before '{' or the end */
  const char *brace = memchr(t + p, '{', end - p);
  size_t plen = 0;
  for (size_t q = p; q + 1 < (brace ? (size_t)(brace - t) : end); q++)
    if (t[q] == ':' && t[q + 1] == ':')
      plen = q - p;
  if (!plen || plen > 200)
    return;
  char prefix[256];
  memcpy(prefix, t + p, plen);
  prefix[plen] = '\0';
  for (size_t q = 0; q < plen; q++)
    if (!fix_ident_char((unsigned char)prefix[q]) && prefix[q] != ':')
      return;
  char *origin = resolve(prefix, here);
  struct use_item items[32];
  size_t ni = 0;
  size_t ia = p + plen + 2, ib = end;
  if (brace) {
    const char *close = memchr(brace, '}', (size_t)(t + end - brace));
    if (!close || memchr(brace + 1, '{', (size_t)(close - brace - 1)))
      goto out; /* nested groups: not here */
    ia = (size_t)(brace - t) + 1, ib = (size_t)(close - t);
  }
  for (size_t q = ia; q <= ib && ni < 32;) {
    size_t e = q;
    while (e < ib && t[e] != ',')
      e++;
    size_t a = q, b = e;
    while (a < b && isspace((unsigned char)t[a]))
      a++;
    while (b > a && isspace((unsigned char)t[b - 1]))
      b--;
    if (b > a) {
      struct use_item *it = &items[ni++];
      it->a = a, it->b = b, it->dest = NULL;
      size_t w = a;
      while (w < b && fix_ident_char((unsigned char)t[w]))
        w++;
      snprintf(it->name, sizeof it->name, "%.*s", (int)(w - a < 63 ? w - a : 63), t + a);
    }
    q = e + 1;
  }
  int moved = 0;
  for (size_t k = 0; origin && k < ni; k++) {
    const struct fix_intent_change *mv = fix_intent_moved(g->env->intent, items[k].name);
    size_t op, dp;
    char *om = mv ? module_of(mv->origin, &op) : NULL, *dm = mv ? module_of(mv->file, &dp) : NULL;
    if (om && dm && op == prefix_len && dp == prefix_len && !strncmp(mv->origin, srcdir, op) &&
        !strncmp(mv->file, srcdir, dp) && !strcmp(om, origin) && *dm) {
      items[k].dest = spell(prefix, here, dm);
      moved += items[k].dest != NULL;
    }
    free(om);
    free(dm);
  }
  if (moved) {
    size_t ls = rp_line_start(t, u);
    struct fix_buf out, names;
    fix_buf_init(&out, 0);
    fix_buf_init(&names, 0);
    const char *lead = t + ls; /* `pub use`, `pub(crate) use` and the indentation repeat */
    size_t leadn = u - ls;
    const char *dests[33] = {NULL}; /* what stays (NULL), then each destination once */
    size_t nd = 1;
    for (size_t k = 0; k < ni; k++) {
      int seen = 0;
      for (size_t j = 1; j < nd && !seen; j++)
        seen = items[k].dest && !strcmp(dests[j], items[k].dest);
      if (items[k].dest && !seen)
        dests[nd++] = items[k].dest;
    }
    int first = 1;
    for (size_t j = 0; j < nd; j++) {
      const char *dest = dests[j];
      size_t count = 0;
      for (size_t k = 0; k < ni; k++)
        count += dest ? (items[k].dest && !strcmp(items[k].dest, dest)) : !items[k].dest;
      if (!count)
        continue;
      if (!first) {
        fix_buf_puts(&out, ";\n");
        fix_buf_append(&out, lead, leadn);
      }
      first = 0;
      fix_buf_printf(&out, "use %s%s", dest ? dest : prefix, count > 1 ? "::{" : "::");
      size_t put = 0;
      for (size_t k = 0; k < ni; k++)
        if (dest ? (items[k].dest && !strcmp(items[k].dest, dest)) : !items[k].dest) {
          if (put++)
            fix_buf_puts(&out, ", ");
          fix_buf_append(&out, t + items[k].a, items[k].b - items[k].a);
          if (dest)
            fix_buf_printf(&names, "%s'%s'", names.len ? ", " : "", items[k].name);
        }
      if (count > 1)
        fix_buf_puts(&out, "}");
    }
    if (out.data && names.data) {
      char *rel = NULL;
      for (size_t k = 0; k < ni && !rel; k++)
        if (items[k].dest)
          rel = fix_path_relative(g->env->root, fix_intent_moved(g->env->intent, items[k].name)->file);
      rp_add(g, g->path, 0, u, end, out.data, "completes your move of %s to %s", names.data, rel ? rel : "another module");
      free(rel);
    }
    fix_buf_free(&out);
    fix_buf_free(&names);
  }
  for (size_t k = 0; k < ni; k++)
    free(items[k].dest);
out:
  free(origin);
}

/* `P::name` on the error's line, P naming the module `name` left: P becomes its new module. */
static void moved_in_path(struct gen *g, const struct fix_intent_change *mv, const char *here, size_t prefix_len,
                          const char *srcdir) {
  long at = rp_find_on_line(g->t, g->n, g->off, mv->from);
  if (at < 2 || g->t[at - 1] != ':' || g->t[at - 2] != ':')
    return;
  size_t e = (size_t)at - 2, b = e;
  while (b > 0 && (fix_ident_char((unsigned char)g->t[b - 1]) || g->t[b - 1] == ':'))
    b--;
  if (e == b || e - b > 200)
    return;
  char prefix[256];
  snprintf(prefix, sizeof prefix, "%.*s", (int)(e - b), g->t + b);
  size_t op, dp;
  char *origin = resolve(prefix, here), *om = module_of(mv->origin, &op), *dm = module_of(mv->file, &dp);
  if (origin && om && dm && *dm && op == prefix_len && dp == prefix_len && !strncmp(mv->origin, srcdir, op) &&
      !strncmp(mv->file, srcdir, dp) && !strcmp(om, origin)) {
    char *to = spell(prefix, here, dm), *rel = fix_path_relative(g->env->root, mv->file);
    if (to)
      rp_add(g, g->path, 0, b, e, to, "completes your move of '%s' to %s", mv->from, rel ? rel : mv->file);
    free(to);
    free(rel);
  }
  free(origin);
  free(om);
  free(dm);
}

/* A Rust error about a name the developer moved to another module: its `use` follows it. */
static void intent_moved_rust(struct gen *g) {
  const struct fix_intent *it = g->env->intent;
  if (!it || !g->d->message || !fix_str_ends(g->path, ".rs"))
    return;
  size_t prefix;
  char *here = module_of(g->path, &prefix), *srcdir = here ? fix_strndup(g->path, prefix) : NULL;
  size_t before = g->out->n;
  for (size_t i = 0; srcdir && i < it->n; i++) {
    if (it->v[i].kind != FIX_INTENT_MOVED)
      continue;
    char q[80], q2[80];
    snprintf(q, sizeof q, "`%s`", it->v[i].from);
    snprintf(q2, sizeof q2, "::%s`", it->v[i].from);
    if (!strstr(g->d->message, q) && !strstr(g->d->message, q2))
      continue;
    if (g->out->n == before)
      moved_in_use(g, here, prefix, srcdir); /* every moved item of the statement at once */
    if (g->out->n == before)
      moved_in_path(g, &it->v[i], here, prefix, srcdir);
  }
  free(srcdir);
  free(here);
}

void rp_gen_intent(struct gen *g) {
  intent_rename(g);
  intent_calls(g);
  intent_moved_rust(g);
}
