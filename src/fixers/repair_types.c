/* repair_types.c — repairs of types and declarations in C and C++: const, return types, pointers
 * and strings, initializers, overrides, ownership, access, templates, arguments missing. */
#include "repairs_gen.h"

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
    if (!(isalpha((unsigned char)s[i]) || s[i] == '_') || (i && fix_ident_char((unsigned char)s[i - 1])))
      continue;
    size_t j = i;
    while (j < n && fix_ident_char((unsigned char)s[j]))
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
void rp_gen_unconst(struct gen *g) {
  char name[64], q[256];
  int ok = rp_quoted(g->d->message, 0, q, sizeof q) && first_ident(q, strlen(q), name, sizeof name);
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
    if (i + k > g->n || memcmp(g->t + i, name, k) || (i && fix_ident_char((unsigned char)g->t[i - 1])) ||
        fix_ident_char((unsigned char)g->t[i + k]))
      continue;
    size_t b = i;
    while (b && !strchr("(,;{}", g->t[b - 1]))
      b--;
    for (size_t c = b; c + 6 <= i; c++)
      if (!memcmp(g->t + c, "const", 5) && (c == 0 || !fix_ident_char((unsigned char)g->t[c - 1])) &&
          !fix_ident_char((unsigned char)g->t[c + 5])) {
        size_t e = c + 5;
        while (e < i && g->t[e] == ' ')
          e++;
        rp_add(g, g->path, 0, c, e, "", "drop the const of '%s' (it is written through)", name);
        return;
      }
  }
}

/* "passing 'const T' as 'this' argument discards qualifiers": const on the member function the
 * note points at. */
void rp_gen_const_method(struct gen *g) {
  char name[128];
  const struct fix_diag *note = NULL;
  for (size_t i = 0; i < g->d->nnotes && !note; i++)
    if (g->d->notes[i].pos.file && g->d->notes[i].pos.line > 0)
      note = &g->d->notes[i];
  if (!note)
    return;
  if (strstr(g->d->message, "member function '")) {
    if (!rp_quoted(strstr(g->d->message, "member function '"), 0, name, sizeof name))
      return;
  } else if (!note->message || !rp_quoted(note->message, 0, name, sizeof name)) {
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
  if (!fix_is_ident(name))
    return;
  const char *t;
  size_t n;
  long off = rp_note_offset(g, note, note->pos.col > 0 ? note->pos.col : 1, &t, &n);
  if (off < 0)
    return;
  long at = rp_find_on_line(t, n, (size_t)off, name);
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
  rp_add(g, note->pos.file, 0, p + 1, p + 1, " const", "'%s' made const (it is called on a const object)", name);
}

void rp_gen_return(struct gen *g, int implicit_int) {
  if (implicit_int) { /* "return type defaults to 'int'": at the function's name */
    long at = g->off;
    if (at >= 0 && fix_ident_char((unsigned char)g->t[at]))
      rp_add(g, g->path, 0, (size_t)at, (size_t)at, "int ", "the return type 'int' written out");
    return;
  }
  /* "'return' with a value, in function returning void": the value dropped */
  long at = rp_find_on_line(g->t, g->n, g->off, "return");
  if (at < 0)
    return;
  size_t e = (size_t)at + 6;
  while (e < g->n && g->t[e] != ';' && g->t[e] != '\n')
    e++;
  if (e < g->n && g->t[e] == ';')
    rp_add(g, g->path, 0, (size_t)at, e + 1, "return;", "the value returned from a void function dropped");
}
void rp_gen_deref(struct gen *g) {
  size_t ls = rp_line_start(g->t, g->off), p = g->off;
  while (p > ls && g->t[p] != '=') /* the '=' at or before the position */
    p--;
  if (g->t[p] != '=')
    return;
  size_t e = p;
  while (e > ls && isspace((unsigned char)g->t[e - 1]))
    e--;
  size_t b = e;
  while (b > ls && (fix_ident_char((unsigned char)g->t[b - 1]) || g->t[b - 1] == '.' || g->t[b - 1] == '>' ||
                    (g->t[b - 1] == '-' && b < e && g->t[b] == '>')))
    b--;
  if (b == e || !(isalpha((unsigned char)g->t[b]) || g->t[b] == '_'))
    return;
  rp_add(g, g->path, 0, b, b, "*", "'*%.*s = ...' (the pointer's target assigned)", (int)(e - b), g->t + b);
}

/* "format '%d' expects argument of type 'int *', but argument 3 has type 'int'": its address */
void rp_gen_address(struct gen *g) {
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
  while (e < g->n && (fix_ident_char((unsigned char)g->t[e]) || g->t[e] == '.' || g->t[e] == '[' || g->t[e] == ']'))
    e++;
  rp_add(g, g->path, 0, p, p, "&", "'&%.*s' (the format wants a pointer)", (int)(e - p), g->t + p);
}

/* A string literal of one character ("x", "\0") on the line from `from`: its range. */
static int one_char_literal(const char *t, size_t n, size_t from, size_t *a, size_t *b) {
  size_t le = rp_line_stop(t, n, from);
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

void rp_char_literal(struct gen *g, size_t from, int rank) {
  size_t a, b;
  if (!one_char_literal(g->t, g->n, from, &a, &b))
    return;
  char lit[8];
  snprintf(lit, sizeof lit, "'%.*s'", (int)(b - a - 2), g->t + a + 1);
  rp_add(g, g->path, rank, a, b, lit, "%s for %.*s (a character, not a string)", lit, (int)(b - a), g->t + a);
}

/* "comparison with string literal": a character, or strcmp */
void rp_gen_string_compare(struct gen *g) {
  size_t ls = rp_line_start(g->t, g->off), le = rp_line_stop(g->t, g->n, g->off);
  size_t op = (size_t)-1;
  for (size_t p = g->off > ls + 4 ? g->off - 4 : ls; p + 1 < le; p++)
    if ((g->t[p] == '=' || g->t[p] == '!') && g->t[p + 1] == '=') {
      op = p;
      break;
    }
  if (op == (size_t)-1)
    return;
  rp_char_literal(g, op, 0);
  /* strcmp(lhs, "lit") == 0: the left operand back to an opening or an assignment */
  size_t e = op;
  while (e > ls && g->t[e - 1] == ' ')
    e--;
  size_t b = e;
  while (b > ls && (fix_ident_char((unsigned char)g->t[b - 1]) || strchr(".[]>-", g->t[b - 1])))
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
    rp_add(g, g->path, 1, b, re, x, "'%s' (strings compared by content)", x);
  free(x);
}

/* "left-hand operand of comma expression has no effect" inside [i, j]: m[i][j] */
void rp_gen_comma_index(struct gen *g) {
  size_t ls = rp_line_start(g->t, g->off), le = rp_line_stop(g->t, g->n, g->off);
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
      rp_add(g, g->path, 0, p, e, "][", "'[..][..]' for '[.., ..]' (one index per bracket)");
      return;
    }
}

/* "excess elements in scalar initializer": the variable made an array */
void rp_gen_array_init(struct gen *g) {
  size_t ls = rp_line_start(g->t, g->off), p = g->off;
  while (p > ls && g->t[p] != '{')
    p--;
  while (p > ls && g->t[p] != '=')
    p--;
  if (g->t[p] != '=')
    return;
  size_t e = p;
  while (e > ls && g->t[e - 1] == ' ')
    e--;
  if (e == ls || !fix_ident_char((unsigned char)g->t[e - 1]))
    return;
  rp_add(g, g->path, 0, e, e, "[]", "an array, for its brace-enclosed list");
}

/* The length of the storage-class, inline and (C++) virtual/explicit/friend/constexpr words, with
 * their blanks, that open a function head. */
static size_t storage_words(const char *s, size_t n) {
  static const char *const words[] = {"static",   "extern",  "inline", "__inline",  "__inline__", "_Noreturn",
                                      "virtual",  "explicit", "friend", "constexpr", "consteval",  NULL};
  size_t at = 0;
  for (int more = 1; more;) {
    more = 0;
    for (size_t i = 0; words[i]; i++) {
      size_t l = strlen(words[i]);
      if (at + l < n && !memcmp(s + at, words[i], l) && (s[at + l] == ' ' || s[at + l] == '\t')) {
        at += l;
        while (at < n && (s[at] == ' ' || s[at] == '\t'))
          at++;
        more = 1;
        break;
      }
    }
  }
  return at;
}

/* Whether the developer retyped the definition: its head's line (at fline of the diagnostic's file)
 * is a '+' line of their change and the declaration's (at pline of pt) is not. Then the declaration
 * follows the definition, never the other way round. */
static int developer_retyped(const struct gen *g, const char *pt, size_t pn, size_t pline, size_t fline) {
  if (!g->env->intent || !g->env->intent->diff)
    return 0;
  char *line_d = fix_strndup(g->t + fline, rp_line_stop(g->t, g->n, fline) - fline);
  char *line_p = fix_strndup(pt + pline, rp_line_stop(pt, pn, pline) - pline);
  char *pd = line_d ? fix_asprintf("\n+%s\n", line_d) : NULL, *pp = line_p ? fix_asprintf("\n+%s\n", line_p) : NULL;
  int mine = pd && pp && strstr(g->env->intent->diff, pd) && !strstr(g->env->intent->diff, pp);
  free(pd), free(pp), free(line_d), free(line_p);
  return mine;
}

/* "conflicting types for 'f'": the definition's head made the declaration's (the note's) */
void rp_gen_conflicting(struct gen *g, const char *name) {
  const struct fix_diag *note = rp_placed_note(g->d);
  if (!note)
    return;
  const char *t;
  size_t n;
  long no = rp_note_offset(g, note, 1, &t, &n), at = rp_find_on_line(g->t, g->n, g->off, name);
  long dn = no < 0 ? -1 : rp_find_on_line(t, n, (size_t)no, name);
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
    heads[k][0] = rp_line_start(texts[k], names[k]);
    heads[k][1] = p + 1;
  }
  /* the developer retyped the definition (its head is a '+' line of their change, the declaration's
   * is not): the declaration follows it, never the other way round */
  if (developer_retyped(g, t, n, heads[0][0], heads[1][0])) {
    if (names[1] > heads[1][0] && names[0] > heads[0][0]) {
      size_t ol = names[0] - heads[0][0];
      int ext = ol >= 7 && !strncmp(t + heads[0][0], "extern ", 7);
      char *ret = fix_strndup(g->t + heads[1][0], names[1] - heads[1][0]);
      const char *r = ret && !strncmp(ret, "static ", 7) ? ret + 7 : ret;
      char *with = r ? fix_asprintf("%s%s", ext ? "extern " : "", r) : NULL;
      if (with && !strchr(with, '\n') && !strchr(with, ';'))
        rp_add(g, rp_placed_note(g->d)->pos.file, 0, heads[0][0], names[0], with,
               "the declaration of '%s' made to return what your changed definition returns", name);
      free(with);
      free(ret);
    }
    return;
  }
  /* the return type alone (what comes before the name), the definition's own parameter names kept:
   * a header's prototype often names none (void f(Pool *, Array *)). The definition keeps its own
   * storage class and inline: a type repair must not change linkage. */
  const char *dp = t + heads[0][0], *fp = g->t + heads[1][0];
  size_t dk = storage_words(dp, names[0] - heads[0][0]), fk = storage_words(fp, names[1] - heads[1][0]);
  size_t dl = names[0] - heads[0][0] - dk;
  dp += dk;
  if (dl && !memchr(dp, '\n', dl) && !memchr(dp, ';', dl) &&
      (names[1] - heads[1][0] - fk != dl || memcmp(fp + fk, dp, dl))) {
    char *ret = fix_strndup(dp, dl);
    if (ret)
      rp_add(g, g->path, 0, heads[1][0] + fk, names[1], ret, "the return type of '%s' made to agree with its declaration",
             name);
    free(ret);
  }
  char *head = fix_asprintf("%.*s%.*s", (int)fk, fp, (int)(heads[0][1] - heads[0][0] - dk), dp);
  if (head && !strchr(head, '\n') && !strchr(head, ';'))
    rp_add(g, g->path, 1, heads[1][0], heads[1][1], head, "the definition of '%s' made to agree with its declaration", name);
  free(head);
}

/* The start of the (qualified) name that ends at `end` (Widget::size before its '('). */
static size_t qualified_start(const char *t, size_t end) {
  while (end > 0 && (fix_ident_char((unsigned char)t[end - 1]) || t[end - 1] == ':' || t[end - 1] == '~'))
    end--;
  return end;
}

/* The return type before a head's name at `name` (its line's indentation and specifier words left
 * out): [*a, *b) of t; 0 when the line holds no plain type there. */
static int head_type(const char *t, size_t name, size_t *a, size_t *b) {
  size_t ls = rp_line_start(t, name);
  while (ls < name && (t[ls] == ' ' || t[ls] == '\t'))
    ls++;
  ls += storage_words(t + ls, name - ls);
  if (ls >= name)
    return 0;
  for (size_t p = ls; p < name; p++)
    if (strchr("(){};=#,", t[p]))
      return 0;
  if (name - ls >= 4 && !strncmp(t + ls, "auto", 4) && !fix_ident_char((unsigned char)t[ls + 4]))
    return 0; /* a trailing return type */
  *a = ls;
  *b = name;
  return 1;
}

/* The signature in a quoted "R C::f(P) const" from its qualified name on: where only the return
 * types of two differ. NULL when there is no '('. */
static const char *from_name(const char *sig) {
  const char *par = strchr(sig, '(');
  return par ? sig + qualified_start(sig, (size_t)(par - sig)) : NULL;
}

/* An out-of-line member definition whose return type is not the declaration's: gcc's "no
 * declaration matches 'long int W::size() const'" with its one "candidate is:" note, clang's
 * "return type of out-of-line definition of 'W::size' differs from that in the declaration". The
 * definition's return type made the declaration's; where the developer retyped the definition,
 * the declaration's made the definition's. Parameters, qualifiers and specifiers are never touched. */
void rp_gen_outofline_return(struct gen *g) {
  const struct fix_diag *note = rp_placed_note(g->d);
  if (!note || !note->message)
    return;
  if (strstr(g->d->message, "no declaration matches")) {
    char have[512], cand[512];
    const char *h, *c;
    if (!strstr(note->message, "candidate is:") || !rp_quoted(g->d->message, 0, have, sizeof have) ||
        !rp_quoted(note->message, 0, cand, sizeof cand) || !(h = from_name(have)) || !(c = from_name(cand)) ||
        strcmp(h, c) || h == have || c == cand)
      return; /* several candidates, or more than the return type differs */
  } else if (!strstr(note->message, "previous declaration is here")) {
    return;
  }
  const char *t;
  size_t n;
  long no = rp_note_offset(g, note, note->pos.col > 0 ? note->pos.col : 1, &t, &n);
  size_t dpar = g->off, ppar = no < 0 ? 0 : (size_t)no;
  while (dpar < g->n && g->t[dpar] != '(' && g->t[dpar] != '\n')
    dpar++;
  while (no >= 0 && ppar < n && t[ppar] != '(' && t[ppar] != '\n')
    ppar++;
  if (no < 0 || dpar >= g->n || g->t[dpar] != '(' || ppar >= n || t[ppar] != '(')
    return;
  size_t da, db, pa, pb;
  if (!head_type(g->t, qualified_start(g->t, dpar), &da, &db) || !head_type(t, qualified_start(t, ppar), &pa, &pb))
    return;
  if (db - da == pb - pa && !memcmp(g->t + da, t + pa, db - da))
    return;
  char *ret;
  if (developer_retyped(g, t, n, rp_line_start(t, pa), rp_line_start(g->t, da))) {
    if ((ret = fix_strndup(g->t + da, db - da)))
      rp_add(g, note->pos.file, 0, pa, pb, ret, "the declaration made to return what your changed definition returns");
  } else if ((ret = fix_strndup(t + pa, pb - pa))) {
    rp_add(g, g->path, 0, da, db, ret, "the definition's return type made the declaration's");
  }
  free(ret);
}

/* The member functions the body of class `cls` declares (at its top level) in t, near `name`:
 * how many distinct names, the first into near[] and its offset into *at. */
static int class_members_near(const char *t, size_t n, const char *cls, const char *name, char *near, size_t cap,
                              size_t *at) {
  static const char *const kws[] = {"class ", "struct ", NULL};
  size_t cl = strlen(cls);
  int found = 0;
  for (size_t k = 0; kws[k]; k++)
    for (const char *q = t; (q = memmem(q, n - (size_t)(q - t), kws[k], strlen(kws[k]))); q++) {
      size_t p = (size_t)(q - t) + strlen(kws[k]), w = p;
      while (w < n && fix_ident_char((unsigned char)t[w]))
        w++;
      if (w < n && t[w] == ' ' && (w - p != cl || memcmp(t + p, cls, cl))) { /* class EXPORT_MACRO Name */
        while (w < n && t[w] == ' ')
          w++;
        p = w;
      }
      if ((q > t && fix_ident_char((unsigned char)q[-1])) || p + cl > n || memcmp(t + p, cls, cl) ||
          (p + cl < n && fix_ident_char((unsigned char)t[p + cl])))
        continue;
      p += cl;
      while (p < n && t[p] != '{' && t[p] != ';' && t[p] != '(')
        p++;
      if (p >= n || t[p] != '{')
        continue; /* a declaration, or a function returning the class */
      int depth = 0;
      for (size_t r = p; r < n; r++) {
        depth += t[r] == '{' || t[r] == '(' ? 1 : t[r] == '}' || t[r] == ')' ? -1 : 0;
        if (!depth)
          return found;
        if (depth != 1 || !fix_ident_char((unsigned char)t[r]) || fix_ident_char((unsigned char)t[r - 1]))
          continue;
        size_t e = r;
        while (e < n && fix_ident_char((unsigned char)t[e]))
          e++;
        size_t f = e;
        while (f < n && t[f] == ' ')
          f++;
        if (f < n && t[f] == '(' && e - r < cap) {
          char m[128];
          snprintf(m, sizeof m, "%.*s", (int)(e - r), t + r);
          if (rp_near_name(m, name) && (!found || strcmp(m, near)))
            found++, memcpy(near, m, e - r + 1), *at = r;
        }
        r = e - 1;
      }
      return found;
    }
  return 0;
}

/* An out-of-line member definition named like none of the class's members ("no declaration
 * matches 'void El::SetText_impl(double)'", "out-of-line definition of 'SetText_impl' does not
 * match any declaration in 'El'"): renamed to the one member named near it. Where the developer's
 * change wrote the definition's line, the declaration takes the new name instead. */
void rp_gen_outofline_renamed(struct gen *g) {
  char sig[512], cls[128], name[128], near[128];
  const char *m = g->d->message;
  if (strstr(m, "no declaration matches")) {
    const char *par, *sep;
    for (size_t i = 0; i < g->d->nnotes; i++)
      if (g->d->notes[i].message && strstr(g->d->notes[i].message, "candidate"))
        return; /* a member of this name stands: another signature, not another name */
    if (!rp_quoted(m, 0, sig, sizeof sig) || !(par = strchr(sig, '(')))
      return;
    size_t qs = qualified_start(sig, (size_t)(par - sig));
    char *qn = fix_strndup(sig + qs, (size_t)(par - sig) - qs);
    if (!qn || !(sep = strstr(qn, "::"))) {
      free(qn);
      return;
    }
    const char *last = qn;
    for (const char *x = qn; (x = strstr(x, "::")); x += 2)
      sep = x;
    for (const char *x = qn; x < sep; x++)
      if (x[0] == ':' && x[1] == ':')
        last = x + 2;
    snprintf(cls, sizeof cls, "%.*s", (int)(sep - last), last);
    snprintf(name, sizeof name, "%s", sep + 2);
    free(qn);
  } else if (!rp_quoted(m, 0, name, sizeof name) || !rp_quoted(m, 1, cls, sizeof cls)) {
    return;
  }
  if (!fix_is_ident(name) || !fix_is_ident(cls))
    return;
  long def = rp_find_on_line(g->t, g->n, g->off, name);
  if (def < 0)
    return;
  const char *path = g->path, *t = g->t;
  size_t n = g->n, at = 0;
  int found = class_members_near(t, n, cls, name, near, sizeof near, &at);
  for (size_t i = 0; !found && g->env->headers && g->env->headers[i]; i++)
    if (strcmp(g->env->headers[i], g->path) && !g->env->read(g->env->ud, (path = g->env->headers[i]), &t, &n))
      found = class_members_near(t, n, cls, name, near, sizeof near, &at);
  if (found != 1)
    return; /* none, or several: no guess */
  /* the definition's name is named nowhere else (no call, no other declaration): else it may be a
   * new member whose declaration is missing, not a rename */
  int uses = rp_word_count(g->t, g->n, name);
  for (size_t i = 0; uses == 1 && g->env->headers && g->env->headers[i]; i++) {
    const char *ht;
    size_t hn;
    if (strcmp(g->env->headers[i], g->path) && !g->env->read(g->env->ud, g->env->headers[i], &ht, &hn))
      uses += rp_word_count(ht, hn, name);
  }
  if (uses != 1)
    return;
  if (developer_retyped(g, t, n, rp_line_start(t, at), rp_line_start(g->t, (size_t)def))) {
    /* their change renamed it (a '-' line of the diff defined the old name): the lone declaration
     * follows; a definition they added anew is no rename, and left alone */
    char *old = fix_asprintf("::%s(", near);
    const char *dl = g->env->intent->diff, *hit = NULL;
    for (const char *q = dl; old && !hit && (q = strstr(q, "\n-")); q += 2) {
      const char *e = strchr(q + 1, '\n'), *o = strstr(q, old);
      hit = o && (!e || o < e) ? o : NULL;
    }
    free(old);
    if (hit && rp_word_count(t, n, near) == 1) /* one declaration of it: no overload to choose from */
      rp_add(g, path, 0, at, at + strlen(near), name, "the declaration renamed to '%s', as your changed definition is",
             name);
    return;
  }
  rp_add(g, g->path, 0, (size_t)def, (size_t)def + strlen(name), near,
         "the definition renamed back to '%s', the member of '%s' named near it", near, cls);
}

/* "marked 'override', but does not override": const added, or the name of a virtual it misspells */
void rp_gen_override(struct gen *g) {
  size_t le = rp_line_stop(g->t, g->n, g->off);
  long ov = -1;
  for (size_t p = rp_line_start(g->t, g->off); p + 8 <= le; p++)
    if (!memcmp(g->t + p, "override", 8) && (p + 8 >= g->n || !fix_ident_char((unsigned char)g->t[p + 8])) &&
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
    rp_add(g, g->path, 0, close, close, " const", "const, as the virtual it overrides");
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
  while (b > 0 && fix_ident_char((unsigned char)g->t[b - 1]))
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
      while (nb > h && fix_ident_char((unsigned char)nb[-1]))
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
  rp_add_similar(g, (long)b, name, v, nv, "a virtual of the base", 10);
  free(v);
}

/* "assignment of member 'C::t' in read-only object": the const of the member function dropped */
void rp_gen_unconst_method(struct gen *g) {
  for (size_t p = g->off; p-- > 0;) {
    if (g->t[p] != ')')
      continue;
    size_t q = p + 1;
    while (q < g->n && g->t[q] == ' ')
      q++;
    if (q + 5 <= g->n && !memcmp(g->t + q, "const", 5) && !fix_ident_char((unsigned char)g->t[q + 5])) {
      size_t r = q + 5;
      while (r < g->n && (g->t[r] == ' ' || g->t[r] == '\n'))
        r++;
      if (r < g->n && g->t[r] == '{') {
        rp_add(g, g->path, 0, p + 1, q + 5, "", "the member function made non-const (it changes the object)");
        return;
      }
    }
    if (p + 1 < g->off && g->t[p + 1] == '\n' && p > 0 && g->t[p - 1] == '}')
      return;
  }
}

/* "the value of 'k' is not usable in a constant expression": the variable made constexpr */
void rp_gen_constexpr(struct gen *g) {
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
  size_t b = rp_line_start(g->t, (size_t)no);
  while (b < g->n && (g->t[b] == ' ' || g->t[b] == '\t'))
    b++;
  rp_add(g, g->path, 0, b, b, "constexpr ", "the variable made constexpr (it is used as a constant)");
  rp_add(g, g->path, 1, b, b, "const ", "the variable made const (it is used as a constant)");
}

/* ---- C++: ownership, conversions, access, templates; unused variables ------------------------------- */

/* The range-for on the position's line: its '(' + 1 and the loop variable's name start. */
static int range_for(const char *t, size_t n, size_t off, size_t *decl, size_t *name, size_t *colon) {
  size_t ls = rp_line_start(t, off), le = rp_line_stop(t, n, off);
  for (size_t p = ls; p + 4 < le; p++)
    if (!memcmp(t + p, "for", 3) && (p == ls || !fix_ident_char((unsigned char)t[p - 1]))) {
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
      while (b > d && fix_ident_char((unsigned char)t[b - 1]))
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
void rp_gen_moved(struct gen *g) {
  size_t d, nm, colon;
  if (range_for(g->t, g->n, g->off, &d, &nm, &colon) && g->off >= d && g->off <= colon + 64) {
    rp_add(g, g->path, 0, d, nm, "const auto &", "the loop variable made a reference (a unique_ptr cannot be copied)");
    return;
  }
  size_t p = g->off;
  if (p < g->n && g->t[p] == '(')
    p++;
  while (p > 0 && fix_ident_char((unsigned char)g->t[p - 1]) && fix_ident_char((unsigned char)g->t[p]))
    p--;
  size_t e = p;
  while (e < g->n && fix_ident_char((unsigned char)g->t[e]))
    e++;
  if (e == p || !(isalpha((unsigned char)g->t[p]) || g->t[p] == '_') || (e < g->n && g->t[e] == '('))
    return;
  char *x = fix_asprintf("std::move(%.*s)", (int)(e - p), g->t + p);
  if (x)
    rp_add(g, g->path, 0, p, e, x, "'%s' (a unique_ptr is moved, not copied)", x);
  free(x);
}

/* "conversion from 'double' to non-scalar type 'T' requested": T x = v; as T x(v); */
void rp_gen_direct_init(struct gen *g) {
  size_t ls = rp_line_start(g->t, g->off), le = rp_line_stop(g->t, g->n, g->off);
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
  while (nb > ls && fix_ident_char((unsigned char)g->t[nb - 1]))
    nb--;
  size_t tb = nb;
  while (tb > ls && g->t[tb - 1] == ' ')
    tb--;
  if (semi >= le || nb == ne || tb == ls || !(fix_ident_char((unsigned char)g->t[tb - 1]) || g->t[tb - 1] == '>'))
    return; /* not "TYPE NAME = EXPR;" */
  size_t vb = eq + 1;
  while (vb < semi && g->t[vb] == ' ')
    vb++;
  char *x = fix_asprintf("(%.*s)", (int)(semi - vb), g->t + vb);
  if (x)
    rp_add(g, g->path, 0, ne, semi, x, "'%.*s(...)' (initialised directly: the conversion is explicit)", (int)(ne - nb),
        g->t + nb);
  free(x);
}

/* "'Base' is an inaccessible base of 'Derived'": public inheritance */
void rp_gen_public_base(struct gen *g, const char *base, const char *derived) {
  const char *texts[1] = {g->t};
  size_t lens[1] = {g->n};
  char pat[200];
  for (int kw = 0; kw < 2; kw++) {
    snprintf(pat, sizeof pat, "%s %s", kw ? "struct" : "class", derived);
    size_t k = strlen(pat);
    for (const char *h = texts[0]; (h = memmem(h, (size_t)(texts[0] + lens[0] - h), pat, k)); h += k) {
      const char *q = h + k;
      if (q < texts[0] + lens[0] && fix_ident_char((unsigned char)*q))
        continue;
      while (q < texts[0] + lens[0] && *q == ' ')
        q++;
      if (q >= texts[0] + lens[0] || *q != ':')
        continue;
      const char *b = memmem(q, (size_t)(texts[0] + lens[0] - q), base, strlen(base));
      const char *brace = memchr(q, '{', (size_t)(texts[0] + lens[0] - q));
      if (!b || (brace && b > brace))
        continue;
      rp_add(g, g->path, 0, (size_t)(b - texts[0]), (size_t)(b - texts[0]), "public ", "public inheritance of '%s'", base);
      return;
    }
  }
}

/* "'T' has not been declared" in a template parameter list: typename */
void rp_gen_typename(struct gen *g) {
  size_t ls = rp_line_start(g->t, g->off), p = g->off;
  while (p > ls && g->t[p - 1] == ' ')
    p--;
  if (p == ls || (g->t[p - 1] != '<' && g->t[p - 1] != ','))
    return;
  for (size_t q = p; q-- > ls;)
    if (q + 8 <= g->off && !memcmp(g->t + q, "template", 8)) {
      rp_add(g, g->path, 0, g->off, g->off, "typename ", "a template type parameter");
      return;
    }
}

/* "binding reference of type 'Item&' to 'const Item'": the range-for's reference made const */
void rp_gen_const_ref(struct gen *g) {
  size_t d, nm, colon;
  if (range_for(g->t, g->n, g->off, &d, &nm, &colon) && (d + 5 > g->n || memcmp(g->t + d, "const", 5)))
    rp_add(g, g->path, 0, d, d, "const ", "the loop's reference made const (the range is const)");
}

/* "unused variable 'x'" whose initializer is a constant: its declarator removed */
void rp_gen_unused(struct gen *g, const char *name) {
  long at = rp_find_on_line(g->t, g->n, g->off, name);
  if (at < 0)
    return;
  size_t ls = rp_line_start(g->t, (size_t)at), le = rp_line_stop(g->t, g->n, (size_t)at);
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
  if (b > 0 && g->t[b - 1] == ',') { /* not the first: ", x = 0" */
    rp_add(g, g->path, 0, b - 1, e, "", "the unused variable '%s' removed", name);
  } else if (g->t[e] == ',') { /* the first of several: "x = 0, " */
    size_t f = e + 1;
    while (f < le && g->t[f] == ' ')
      f++;
    rp_add(g, g->path, 0, (size_t)at, f, "", "the unused variable '%s' removed", name);
  } else { /* alone: the whole line, when it holds nothing else */
    size_t f = e + 1;
    while (f < le && (g->t[f] == ' ' || g->t[f] == '\t'))
      f++;
    if (f == le && le < g->n)
      rp_add(g, g->path, 0, ls, le + 1, "", "the unused variable '%s' removed", name);
  }
}

/* ---- a declared type that contradicts its initializer ----------------------------------------------- */

/* The type the message says the initializer has: gcc "initialization of 'A' from 'B'", g++ "invalid
 * conversion from 'B' to 'A'" / "cannot convert 'B' to 'A' in initialization", clang "initializing 'A'
 * with an expression of type 'B'" / "a variable of type 'A' with an lvalue of type 'B'". */
static int initializer_type(const char *msg, char *buf, size_t cap) {
  int nth = -1;
  if (strstr(msg, "initialization of '"))
    nth = 1;
  else if (strstr(msg, "invalid conversion from '") || (strstr(msg, "cannot convert '") && strstr(msg, "in initialization")))
    nth = 0;
  else if (strstr(msg, "initializing '") && strstr(msg, "with an expression of type '"))
    nth = 1;
  else if (strstr(msg, "cannot initialize a variable of type '"))
    nth = 1;
  if (nth < 0 || !rp_quoted(msg, nth, buf, cap))
    return 0;
  char *br = strchr(buf, '['); /* char[6] -> char * */
  if (br) {
    size_t k = (size_t)(br - buf);
    while (k && buf[k - 1] == ' ')
      k--;
    snprintf(buf + k, cap - k, " *");
  }
  return buf[0] && !strchr(buf, '(') && !strstr(buf, "<lambda");
}

/* "TYPE NAME = init;" on the position's line: the declared type replaced by the initializer's */
void rp_gen_retype(struct gen *g, int rank) {
  char ty[160];
  if (!initializer_type(g->d->message, ty, sizeof ty))
    return;
  size_t ls = rp_line_start(g->t, g->off), le = rp_line_stop(g->t, g->n, g->off), p = g->off;
  while (p < le && g->t[p] != '=' && g->t[p] != ';') /* clang: at the variable, the '=' follows */
    p++;
  if (p >= le || g->t[p] != '=') { /* gcc: at the initializer, the '=' precedes */
    p = g->off;
    while (p > ls && g->t[p] != '=')
      p--;
  }
  if (p >= le || g->t[p] != '=' || (p + 1 < g->n && g->t[p + 1] == '='))
    return;
  size_t ne = p;
  while (ne > ls && g->t[ne - 1] == ' ')
    ne--;
  size_t nb = ne;
  while (nb > ls && fix_ident_char((unsigned char)g->t[nb - 1]))
    nb--;
  size_t tb = nb; /* the type: back over stars, blanks and words to the statement's start */
  while (tb > ls && (fix_ident_char((unsigned char)g->t[tb - 1]) || strchr(" \t*:<>", g->t[tb - 1])))
    tb--;
  while (tb < nb && (g->t[tb] == ' ' || g->t[tb] == '\t'))
    tb++;
  if (nb == ne || tb == nb || (tb > ls && !strchr(";{(,", g->t[tb - 1]) && g->t[tb - 1] != ' '))
    return;
  if (!strncmp(g->t + tb, "return", 6))
    return;
  size_t tl = strlen(ty);
  char repl[170];
  snprintf(repl, sizeof repl, "%s%s", ty, ty[tl - 1] == '*' ? "" : " ");
  rp_add(g, g->path, rank, tb, nb, repl, "'%s%.*s' (declared with its initializer's type)", repl, (int)(ne - nb), g->t + nb);
}

/* ---- too few arguments: the missing last one from a variable in scope --------------------------------- */

/* "words" and stars of a type text, const dropped, blanks collapsed */
static void norm_type(const char *a, size_t n, char *words, size_t cap, int *stars) {
  size_t w = 0;
  *stars = 0;
  for (size_t i = 0; i < n && w + 2 < cap;) {
    if (a[i] == '*') {
      (*stars)++;
      i++;
      continue;
    }
    if (!fix_ident_char((unsigned char)a[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && fix_ident_char((unsigned char)a[j]))
      j++;
    if (!(j - i == 5 && !memcmp(a + i, "const", 5)) && w + (j - i) + 2 < cap) {
      if (w)
        words[w++] = ' ';
      memcpy(words + w, a + i, j - i);
      w += j - i;
    }
    i = j;
  }
  words[w] = '\0';
}

void rp_gen_missing_arg(struct gen *g, const char *fn) {
  const struct fix_diag *note = rp_placed_note(g->d);
  if (!note || strcmp(note->pos.file, g->path))
    return;
  long no = fix_text_offset(g->t, g->n, note->pos.line, 1), dn = no < 0 ? -1 : rp_find_on_line(g->t, g->n, (size_t)no, fn);
  long at = rp_find_on_line(g->t, g->n, g->off, fn);
  if (dn < 0 || at < 0 || dn == at)
    return;
  /* the parameters */
  size_t p = (size_t)dn + strlen(fn);
  if (p >= g->n || g->t[p] != '(')
    return;
  size_t ps[16], pe[16], np = 0, a = p + 1;
  int depth = 0;
  for (size_t q = p; q < g->n && np < 16; q++) {
    depth += g->t[q] == '(' ? 1 : g->t[q] == ')' ? -1 : 0;
    if ((depth == 1 && g->t[q] == ',') || (depth == 0 && g->t[q] == ')')) {
      ps[np] = a, pe[np++] = q;
      a = q + 1;
      if (!depth)
        break;
    }
  }
  /* the call's arguments */
  size_t c = (size_t)at + strlen(fn);
  if (c >= g->n || g->t[c] != '(')
    return;
  size_t close = c, nargs = 0;
  int empty = 1;
  depth = 0;
  for (; close < g->n; close++) {
    char ch = g->t[close];
    depth += ch == '(' || ch == '[' ? 1 : ch == ')' || ch == ']' ? -1 : 0;
    if (depth == 1 && ch == ',')
      nargs++;
    if (depth >= 1 && close > c && !isspace((unsigned char)ch) && !(depth == 1 && ch == ','))
      empty = 0;
    if (!depth)
      break;
  }
  nargs = empty ? 0 : nargs + 1;
  if (close >= g->n || np != nargs + 1)
    return; /* exactly one missing, the last */
  /* its type and name */
  size_t e = pe[np - 1];
  while (e > ps[np - 1] && !fix_ident_char((unsigned char)g->t[e - 1]))
    e--;
  size_t nb = e;
  while (nb > ps[np - 1] && fix_ident_char((unsigned char)g->t[nb - 1]))
    nb--;
  char pname[64], pwords[128];
  int pstars;
  if (e == nb || e - nb >= sizeof pname)
    return;
  memcpy(pname, g->t + nb, e - nb);
  pname[e - nb] = '\0';
  norm_type(g->t + ps[np - 1], nb - ps[np - 1], pwords, sizeof pwords, &pstars);
  /* the enclosing function: back to a line that starts at column 0 */
  size_t fs = rp_line_start(g->t, g->off);
  while (fs > 0) {
    size_t prev = rp_line_start(g->t, fs - 1);
    fs = prev;
    if (fix_ident_char((unsigned char)g->t[prev]))
      break;
  }
  struct namecount *v = NULL;
  size_t nv = 0;
  rp_count_names(g->t + fs, g->off - fs, 1, &v, &nv);
  for (size_t i = 0; i < nv; i++) {
    char ty[128], words[128];
    int stars = 0, array = 0, ws;
    if (!rp_type_of(g->t, g->off, v[i].name, ty, sizeof ty, &stars, &array))
      continue;
    norm_type(ty, strlen(ty), words, sizeof words, &ws);
    if (strcmp(words, pwords))
      continue;
    int total = stars + ws + array; /* an array passes as a pointer */
    int d = repair_distance(v[i].name, strlen(v[i].name), pname, strlen(pname), 3);
    /* not one the call passes already; names like the parameter's first, then the nearest */
    long used = rp_find_on_line(g->t, close, c, v[i].name);
    if (used >= 0 && (size_t)used < close)
      continue;
    size_t last = 0, k = strlen(v[i].name);
    for (size_t q = fs; q + k <= g->off; q++)
      if (!memcmp(g->t + q, v[i].name, k) && !fix_ident_char((unsigned char)g->t[q + k]) &&
          (q == 0 || !fix_ident_char((unsigned char)g->t[q - 1])))
        last = q;
    int rank = (d <= 2 ? d : 10) * 100000 + (int)((g->off - last) < 99999 ? g->off - last : 99999);
    char ins[80];
    if (total == pstars)
      snprintf(ins, sizeof ins, "%s%s", nargs ? ", " : "", v[i].name);
    else if (total + 1 == pstars && !array)
      snprintf(ins, sizeof ins, "%s&%s", nargs ? ", " : "", v[i].name);
    else
      continue;
    rp_add(g, g->path, rank, close, close, ins, "'%s' for the missing argument '%s'", ins + (nargs ? 2 : 0), pname);
  }
  free(v);
}

/* ---- a return whose type disagrees with the function's: the declared return type changed ---------- */

/* The type of the returned expression, from g++ "could not convert 'e' from 'X' to 'Y'" / "invalid
 * conversion from 'X' to 'Y'", clang "returned value of type 'X'" / "return object of type 'Y' with an
 * lvalue of type 'X'". */
static int returned_type(const char *msg, char *buf, size_t cap) {
  int nth = -1;
  if (strstr(msg, "could not convert '") && strstr(msg, "' from '"))
    nth = 1;
  else if (strstr(msg, "invalid conversion from '") || strstr(msg, "returned value of type '") ||
           (strstr(msg, "cannot convert '") && strstr(msg, " in return")))
    nth = 0;
  else if (strstr(msg, "return object of type '"))
    nth = 1;
  if (nth < 0 || !rp_quoted(msg, nth, buf, cap))
    return 0;
  /* libstdc++'s spelling of std::string, as users write it */
  static const char *const long_name[] = {"std::__cxx11::basic_string<char>",
                                          "std::basic_string<char, std::char_traits<char>, std::allocator<char>>",
                                          "basic_string<char, std::char_traits<char>, std::allocator<char>>",
                                          "std::basic_string<char>", NULL};
  for (size_t k = 0; long_name[k]; k++)
    for (char *h; (h = strstr(buf, long_name[k]));) {
      size_t ln = strlen(long_name[k]);
      memcpy(h, "std::string", 11);
      memmove(h + 11, h + ln, strlen(h + ln) + 1);
    }
  for (char *h; (h = strstr(buf, " >"));) /* C++03 spacing */
    memmove(h, h + 1, strlen(h + 1) + 1);
  char *br = strchr(buf, '['); /* a string literal's const char[4]: a pointer */
  if (br) {
    size_t k = (size_t)(br - buf);
    while (k && buf[k - 1] == ' ')
      k--;
    snprintf(buf + k, cap - k, " *");
  }
  return buf[0] && !strchr(buf, '(') && !strstr(buf, "<lambda") && !strstr(buf, "<brace-enclosed");
}

void rp_gen_return_type(struct gen *g) {
  char ty[160];
  if (!returned_type(g->d->message, ty, sizeof ty))
    return;
  size_t ls = rp_line_start(g->t, g->off);
  long r = rp_find_on_line(g->t, g->n, ls, "return");
  if (r < 0 || (size_t)r > g->off + 1)
    return;
  /* the function's opening brace */
  int depth = 0;
  size_t p = (size_t)r;
  while (p > 0) {
    p--;
    if (g->t[p] == '}')
      depth++;
    else if (g->t[p] == '{' && depth-- == 0)
      break;
  }
  if (g->t[p] != '{')
    return;
  /* back over qualifiers (const, noexcept, override) to the ')' of the parameters, then its '(' */
  size_t q = p;
  while (q > 0 && g->t[q - 1] != ')' && (fix_ident_char((unsigned char)g->t[q - 1]) || isspace((unsigned char)g->t[q - 1])))
    q--;
  if (!q || g->t[q - 1] != ')')
    return;
  depth = 0;
  size_t o = q - 1;
  for (;; o--) {
    depth += g->t[o] == ')' ? 1 : g->t[o] == '(' ? -1 : 0;
    if (!depth || !o)
      break;
  }
  if (g->t[o] != '(')
    return;
  size_t ne = o;
  while (ne > 0 && g->t[ne - 1] == ' ')
    ne--;
  size_t nb = ne; /* the name, with any Class:: before it */
  while (nb > 0 && (fix_ident_char((unsigned char)g->t[nb - 1]) || g->t[nb - 1] == ':'))
    nb--;
  size_t te = nb;
  while (te > 0 && g->t[te - 1] == ' ')
    te--;
  size_t tb = rp_line_start(g->t, te);
  while (tb < te && (g->t[tb] == ' ' || g->t[tb] == '\t'))
    tb++;
  static const char *const specs[] = {"static ", "inline ", "virtual ", "constexpr ", "extern ", NULL};
  for (int again = 1; again;) {
    again = 0;
    for (size_t k = 0; specs[k]; k++)
      if (te - tb > strlen(specs[k]) && !memcmp(g->t + tb, specs[k], strlen(specs[k]))) {
        tb += strlen(specs[k]);
        again = 1;
      }
  }
  if (te <= tb || nb == ne)
    return;
  char old[160];
  snprintf(old, sizeof old, "%.*s", (int)(te - tb), g->t + tb);
  if (!strcmp(old, ty) || strchr(old, ';') || strchr(old, '}'))
    return;
  rp_add(g, g->path, 1, tb, te, ty, "the return type '%s' for '%s' (what the function returns)", ty, old);
}
