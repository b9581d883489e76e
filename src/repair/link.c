/* link.c — model-free repairs of the link step. A build that compiles can still fail to link: a
 * definition misspelled (`compute_totl` for the `compute_total` its header declares and its callers
 * call), or a call misspelled where C's implicit declaration let it compile. Only a real build shows
 * either, so each candidate here is judged by rebuilding, and kept only when its undefined
 * reference goes, no error appears, and nothing is destroyed (veto.c) — the rename itself is what
 * the error is about.
 *
 * Candidates, for an undefined symbol S (at least four characters long):
 *   - a function definition N one or two edits from S that nothing else in the project names (no
 *     declaration, no call: the developer's typo or a rename done at the definition only), while
 *     S is defined nowhere: N renamed to S at its definition;
 *   - otherwise a defined function N one or two edits from S, the only one that near: the uses of
 *     S in the file that references it renamed to N.
 * The project's functions come from tree-sitter over its sources (at most 4,000 files, 32 MiB). */
#include "internal.h"
#include "repairs_gen.h" /* fix_ident_char */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 4000
#define MAX_BYTES (32u << 20)

struct fn_def {
  char *name;
  const char *file; /* borrowed from the file list */
  int line;
};

struct project_fns {
  struct fix_strv files;
  struct fn_def *defs;
  size_t n;
};

static void fns_free(struct project_fns *p) {
  for (size_t i = 0; i < p->n; i++)
    free(p->defs[i].name);
  free(p->defs);
  fix_strv_free(&p->files);
}

static void fns_collect(struct session *s, struct project_fns *p) {
  static const char *const exts[] = {".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".hh", NULL};
  project_files(s->vcs.root, exts, &p->files, MAX_FILES, 0);
  size_t bytes = 0, cap = 0;
  for (size_t f = 0; f < p->files.n && bytes < MAX_BYTES; f++) {
    const char *t;
    size_t n;
    enum fix_lang lang = fix_lang_from_path(p->files.v[f]);
    if (lang == FIX_LANG_UNKNOWN || text_of(s, NULL, p->files.v[f], &t, &n) != FIX_OK)
      continue;
    bytes += n;
    struct fix_items it = {0};
    struct fix_err e;
    if (fix_context_items(lang, t, n, &it, &e) == FIX_OK)
      for (size_t i = 0; i < it.n; i++) {
        const struct fix_item *x = &it.v[i];
        if ((strcmp(x->kind, "function") && strcmp(x->kind, "method")) || x->body_lines < 0 || !x->name)
          continue;
        if (p->n == cap) {
          cap = cap ? cap * 2 : 64;
          struct fn_def *g = realloc(p->defs, cap * sizeof *g);
          if (!g)
            break;
          p->defs = g;
        }
        const char *nm = strrchr(x->name, ':'); /* "S::f" -> "f" */
        p->defs[p->n++] = (struct fn_def){fix_strdup(nm ? nm + 1 : x->name), p->files.v[f], x->first};
      }
    fix_items_free(&it);
  }
}

static int counted(void *ud, size_t off) {
  (void)off;
  int *left = ud;
  return --*left <= 0;
}

/* Whole-word occurrences of name in every file of the project (stops counting at `stop`). */
static int mentions(struct session *s, const struct project_fns *p, const char *name, int stop) {
  int left = stop;
  for (size_t f = 0; f < p->files.n && left > 0; f++) {
    const char *t;
    size_t n;
    if (text_of(s, NULL, p->files.v[f], &t, &n) == FIX_OK)
      fix_word_scan(t, n, name, 0, counted, &left);
  }
  return stop - left;
}

static int defined(const struct project_fns *p, const char *name) {
  for (size_t i = 0; i < p->n; i++)
    if (!strcmp(p->defs[i].name, name))
      return 1;
  return 0;
}

struct renaming {
  const char *file, *to;
  size_t base, len;
  struct fix_edit_list *el;
  int first_only;
};

static int rename_one(void *ud, size_t off) {
  struct renaming *r = ud;
  fix_edit_list_push(r->el, r->file, r->base + off, r->base + off + r->len, r->to);
  return r->first_only;
}

/* Edits renaming every whole-word `from` in code (not comments or literals) in [a, b) of text to `to`. */
static void rename_in(const char *file, const char *t, size_t a, size_t b, const char *from, const char *to,
                      struct fix_edit_list *el, int first_only) {
  struct renaming r = {file, to, a, strlen(from), el, first_only};
  fix_word_scan(t + a, b - a, from, 1, rename_one, &r);
}

/* The number of parts of the parenthesised list after `name` at or after t[from] (its first
 * whole-word occurrence followed by '('): a call's arguments, a definition's parameters (`(void)`
 * and `()` count 0); -1 when there is none. */
static int arity_after(const char *t, size_t n, size_t from, const char *name) {
  size_t nl = strlen(name);
  for (const char *q = t + from; q < t + n && (q = memmem(q, n - (size_t)(q - t), name, nl)); q += nl) {
    size_t o = (size_t)(q - t) + nl;
    if ((q > t && fix_ident_char((unsigned char)q[-1])) || (o < n && fix_ident_char((unsigned char)t[o])))
      continue;
    while (o < n && (t[o] == ' ' || t[o] == '\t'))
      o++;
    if (o >= n || t[o] != '(')
      continue;
    size_t as[64], ae[64];
    size_t k = fix_call_args(t, n, o, as, ae, 64);
    if (!k)
      return -1;
    size_t a = as[0], b = ae[0];
    while (a < b && isspace((unsigned char)t[a]))
      a++;
    while (b > a && isspace((unsigned char)t[b - 1]))
      b--;
    if (k == 1 && (a == b || (b - a == 4 && !memcmp(t + a, "void", 4))))
      return 0;
    return (int)k;
  }
  return -1;
}

/* The project source a link error comes from: its position, else the object it names
 * ("main.o" in a span or note) matched to a source with the same stem. */
static const char *referencing_file(const struct fix_diag *d, const struct project_fns *p) {
  if (d->pos.file)
    return d->pos.file;
  const char *obj = fix_diag_link_source(d); /* "main.c" printed without a line */
  if (!obj)
    obj = fix_diag_link_object(d); /* "main.o", "libx.a(y.o)"; a compiler's /tmp/ccX.o matches nothing */
  if (!obj)
    return NULL;
  if (strchr(obj, '('))
    obj = strchr(obj, '(') + 1;
  const char *base = strrchr(obj, '/');
  base = base ? base + 1 : obj;
  size_t stem = strcspn(base, ".");
  const char *found = NULL;
  for (size_t f = 0; f < p->files.n; f++) {
    const char *fb = strrchr(p->files.v[f], '/');
    fb = fb ? fb + 1 : p->files.v[f];
    if (!strncmp(fb, base, stem) && fb[stem] == '.' && fix_is_source_file(fb)) {
      if (found)
        return NULL; /* two sources with that stem: no guess */
      found = p->files.v[f];
    }
  }
  return found;
}

/* Tries one edit by rebuilding; commits it when it removes `target` and improves the build. */
static enum fix_status try_rename(struct session *s, const struct fix_diag_list *cur, const struct fix_diag *target,
                                  struct fix_edit_list *el, const char *from, const char *to, const char *what,
                                  int *kept) {
  struct fileset fs = {0};
  if (!el->n || fileset_apply(s, NULL, el, &fs) != FIX_OK) {
    fileset_free(&fs);
    return FIX_OK;
  }
  struct fix_diag_list after;
  fix_diag_list_init(&after);
  s->st->repairs_tried++;
  enum fix_status st = trial_by_build(s, &fs, &after);
  char *id = fix_diag_identity(target);
  char *msg = fix_asprintf("undefined reference to '%s' (the definition is '%s')", to, from);
  struct fix_diag about = {0};
  about.message = msg;
  const struct fix_diag *ab[2] = {target, &about};
  int ok = !st && id && !has_error_ident(&after, id) && improves(cur, &after);
  char *why = ok ? veto_check(s, &fs, cur, &after, ab, 2, NULL, 0) : NULL;
  char *loc = target->pos.file ? short_loc(s, &target->pos) : fix_strdup("link");
  if (ok && !why) {
    char *label = fix_asprintf("%s; %s", target->message ? target->message : "", what);
    commit_target(s, id);
    st = commit(s, &fs, "repair", loc ? loc : "link", label ? label : what, "fix", errors_of(cur), errors_of(&after));
    free(label);
    if (!st) {
      s->st->repairs_kept++;
      (*kept)++;
    }
  } else if (s->o->verbose) {
    say(s, "  link repair refused (%s): %s", what,
        why ? why : st ? "the build could not be run" : "the rebuild does not show it fixed, or shows new errors");
  }
  free(loc);
  free(why);
  free(msg);
  free(id);
  fix_diag_list_free(&after);
  fileset_free(&fs);
  return st;
}

enum fix_status link_pass(struct session *s, const struct fix_diag_list *cur, int *kept) {
  *kept = 0;
  if (!s->o->repairs)
    return FIX_OK;
  int any = 0;
  char sym[256];
  for (size_t i = 0; i < cur->n && !any; i++)
    any = cur->v[i].severity >= FIX_SEV_ERROR && link_undefined_symbol(&cur->v[i], sym, sizeof sym);
  if (!any)
    return FIX_OK;
  if (s->o->dry_run) {
    if (s->o->verbose)
      say(s, "the link step's errors are judged by rebuilding, which a dry run does not do");
    return FIX_OK;
  }
  double t0 = fix_now();
  struct project_fns p = {0};
  fns_collect(s, &p);
  s->st->repairs_s += fix_now() - t0;
  enum fix_status st = FIX_OK;
  struct fix_strv tried = {0};
  for (size_t i = 0; i < cur->n && !st && !*kept; i++) {
    const struct fix_diag *d = &cur->v[i];
    if (d->severity < FIX_SEV_ERROR || !link_undefined_symbol(d, sym, sizeof sym) || strlen(sym) < 4 ||
        fix_strv_contains(&tried, sym) || defined(&p, sym))
      continue;
    fix_strv_push(&tried, sym);
    s->st->repairs_errors++;
    /* the developer renamed the definition (their change against HEAD): the call follows it, never
     * the other way round */
    const struct fix_intent_change *ic = fix_intent_rename_of(session_intent(s), sym);
    if (ic && defined(&p, ic->to)) {
      /* every file that still says the old name, at once: the link step reports the symbol until
       * the last caller follows (cmark: 26 calls in 8 files) */
      struct fix_edit_list el = {0};
      size_t files = 0;
      const char *one = NULL;
      for (size_t f = 0; f < p.files.n; f++) {
        const char *t;
        size_t n, was = el.n;
        if (text_of(s, NULL, p.files.v[f], &t, &n) == FIX_OK)
          rename_in(p.files.v[f], t, 0, n, sym, ic->to, &el, 0);
        if (el.n > was)
          files++, one = p.files.v[f];
      }
      if (el.n) {
        char what[600];
        char *rel = one ? fix_path_relative(s->vcs.root, one) : NULL, *irel = fix_path_relative(s->vcs.root, ic->file);
        char where[300];
        if (files == 1)
          snprintf(where, sizeof where, "%s", rel ? rel : one);
        else
          snprintf(where, sizeof where, "%zu uses in %zu files", el.n, files);
        snprintf(what, sizeof what, "completes your rename of '%s' to '%s' (%s): %s", sym, ic->to, irel ? irel : ic->file,
                 where);
        free(rel);
        free(irel);
        st = try_rename(s, cur, d, &el, sym, ic->to, what, kept);
      }
      fix_edit_list_free(&el);
      continue; /* not a typo to guess at */
    }
    /* a definition nothing else names (no declaration, no call) whose name starts like the missing
     * one and takes as many parameters as the call passes: the developer renamed it at the
     * definition only (escape_xml -> escape_xml_impl) */
    const struct fn_def *orphan = NULL;
    int orphans = 0;
    size_t sl = strlen(sym);
    const char *ct = NULL, *ot;
    size_t cn = 0, on;
    int args = -2; /* how many arguments the call passes: read once a definition's name is near */
    for (size_t k = 0; k < p.n && orphans < 2 && args != -1; k++) {
      const char *dn = p.defs[k].name;
      size_t pre = 0, dl = strlen(dn);
      while (pre < dl && pre < sl && dn[pre] == sym[pre])
        pre++;
      if (pre < 4 || 2 * pre < (dl < sl ? dl : sl) || (orphan && !strcmp(orphan->name, dn)) ||
          repair_distance(dn, dl, sym, sl, 2) <= 2)
        continue; /* within two edits: the search below */
      if (args == -2) {
        long ca = d->pos.file && text_of(s, NULL, d->pos.file, &ct, &cn) == FIX_OK ? fix_text_offset(ct, cn, d->pos.line, 1)
                                                                                  : -1;
        if ((args = ca >= 0 ? arity_after(ct, cn, (size_t)ca, sym) : -1) < 0)
          break;
      }
      long a = text_of(s, NULL, p.defs[k].file, &ot, &on) == FIX_OK ? fix_text_offset(ot, on, p.defs[k].line, 1) : -1;
      if (a >= 0 && arity_after(ot, on, (size_t)a, dn) == args && mentions(s, &p, dn, 2) == 1)
        orphan = &p.defs[k], orphans++;
    }
    if (orphans == 1 && text_of(s, NULL, orphan->file, &ot, &on) == FIX_OK) {
      struct fix_edit_list el = {0};
      long a = fix_text_offset(ot, on, orphan->line, 1);
      if (a >= 0)
        rename_in(orphan->file, ot, (size_t)a, on, orphan->name, sym, &el, 1);
      char what[600], *rel = fix_path_relative(s->vcs.root, orphan->file);
      snprintf(what, sizeof what, "rename the definition '%s' (%s:%d), which nothing calls, to '%s', the name its "
               "callers use", orphan->name, rel ? rel : orphan->file, orphan->line, sym);
      free(rel);
      int before = *kept;
      st = try_rename(s, cur, d, &el, orphan->name, sym, what, kept);
      fix_edit_list_free(&el);
      if (st || *kept > before)
        continue;
    }
    /* the nearest defined functions */
    size_t best[2];
    int nb = 0, bd = 3;
    for (size_t k = 0; k < p.n; k++) {
      int dist = repair_distance(p.defs[k].name, strlen(p.defs[k].name), sym, strlen(sym), 2);
      if (dist < 1 || dist > 2 || dist > bd)
        continue;
      if (dist < bd)
        nb = 0, bd = dist;
      if (nb < 2 && (!nb || strcmp(p.defs[best[0]].name, p.defs[k].name)))
        best[nb++] = k;
    }
    if (nb != 1)
      continue; /* none near, or two equally near: no guess */
    const struct fn_def *def = &p.defs[best[0]];
    const char *t;
    size_t n;
    struct fix_edit_list el = {0};
    char what[600];
    if (mentions(s, &p, def->name, 2) == 1 && text_of(s, NULL, def->file, &t, &n) == FIX_OK) {
      /* the definition alone names it: its name is the typo */
      long a = fix_text_offset(t, n, def->line, 1);
      if (a >= 0)
        rename_in(def->file, t, (size_t)a, n, def->name, sym, &el, 1);
      char *rel = fix_path_relative(s->vcs.root, def->file);
      snprintf(what, sizeof what, "rename the definition '%s' (%s:%d) to '%s', the name its callers use", def->name,
               rel ? rel : def->file, def->line, sym);
      free(rel);
      st = try_rename(s, cur, d, &el, def->name, sym, what, kept);
    } else {
      const char *ref = NULL; /* from any report of the symbol: a shared library's names no source */
      for (size_t k = i; k < cur->n && !ref; k++) {
        char other[256];
        const struct fix_diag *o = &cur->v[k];
        if (o->severity >= FIX_SEV_ERROR && link_undefined_symbol(o, other, sizeof other) && !strcmp(other, sym))
          ref = referencing_file(o, &p);
      }
      for (size_t k = 0; ref && k < p.n; k++) /* the file's own definition of that name (a static one) */
        if (!strcmp(p.defs[k].file, ref) && !strcmp(p.defs[k].name, def->name))
          def = &p.defs[k];
      if (ref && text_of(s, NULL, ref, &t, &n) == FIX_OK) {
        rename_in(ref, t, 0, n, sym, def->name, &el, 0);
        char *rel = fix_path_relative(s->vcs.root, ref), *drel = fix_path_relative(s->vcs.root, def->file);
        char *mac = fix_asprintf("#define %s(", def->name); /* the file's own macro of that name */
        const char *m = mac ? memmem(t, n, mac, strlen(mac)) : NULL;
        int mline = 1;
        for (const char *q = t; m && q < m; q++)
          mline += *q == '\n';
        if (m)
          snprintf(what, sizeof what, "call '%s', the macro defined at %s:%d, where %s calls '%s'", def->name,
                   rel ? rel : ref, mline, rel ? rel : ref, sym);
        else
          snprintf(what, sizeof what, "call '%s', the function defined at %s:%d, where %s calls '%s'", def->name,
                   drel ? drel : def->file, def->line, rel ? rel : ref, sym);
        free(mac);
        free(rel);
        free(drel);
        st = try_rename(s, cur, d, &el, sym, def->name, what, kept);
      }
    }
    fix_edit_list_free(&el);
  }
  fix_strv_free(&tried);
  fns_free(&p);
  return st;
}

/* The function a link error names in its context ("In function 'main'"), into buf. */
static int link_function(const struct fix_diag *d, char *buf, size_t cap) {
  for (size_t i = 0; i < d->nctx; i++) {
    const char *t = d->ctx[i].kind == FIX_CTX_FUNCTION ? d->ctx[i].text : NULL;
    const char *a = t ? strchr(t, '\'') : NULL;
    const char *b = a ? strchr(a + 1, '\'') : NULL;
    if (b && (size_t)(b - a - 1) < cap && b > a + 1) {
      memcpy(buf, a + 1, (size_t)(b - a - 1));
      buf[b - a - 1] = '\0';
      char *paren = strchr(buf, '('); /* C++: 'f(int)' */
      if (paren)
        *paren = '\0';
      return 1;
    }
  }
  return 0;
}

/* C's "implicit declaration of function 'S'" warning, at the call the link step cannot place
 * (a shared library's undefined reference names no source). */
static const struct fix_diag *implicit_call(const struct fix_diag_list *cur, const char *sym) {
  char nm[256];
  for (size_t k = 0; k < cur->n; k++)
    if (cur->v[k].pos.file && cur->v[k].pos.line >= 1 && unknown_name(&cur->v[k], nm, sizeof nm) == UNKNOWN_IMPLICIT &&
        !strcmp(nm, sym))
      return &cur->v[k];
  return NULL;
}

void link_locate(struct session *s, struct fix_diag_list *cur) {
  struct project_fns p = {0};
  int listed = 0;
  char sym[256], fn[256];
  for (size_t i = 0; i < cur->n; i++) {
    struct fix_diag *d = &cur->v[i];
    if (d->pos.file || d->severity < FIX_SEV_ERROR || !link_undefined_symbol(d, sym, sizeof sym))
      continue;
    const struct fix_diag *call = implicit_call(cur, sym);
    if (call) {
      d->pos.file = fix_strdup(call->pos.file);
      d->pos.line = call->pos.line;
      continue;
    }
    if (!listed++) {
      static const char *const exts[] = {".c", ".cc", ".cpp", ".cxx", NULL};
      project_files(s->vcs.root, exts, &p.files, MAX_FILES, 0);
    }
    const char *src = referencing_file(d, &p);
    const char *t;
    size_t n;
    if (!src || text_of(s, NULL, src, &t, &n) != FIX_OK)
      continue;
    /* the first use of the symbol inside the function that references it (else in the file) */
    size_t from = 0, to = n;
    struct fix_items it = {0};
    struct fix_err e;
    if (link_function(d, fn, sizeof fn) && fix_context_items(fix_lang_from_path(src), t, n, &it, &e) == FIX_OK)
      for (size_t k = 0; k < it.n; k++) {
        const char *nm = it.v[k].name ? strrchr(it.v[k].name, ':') : NULL;
        nm = nm ? nm + 1 : it.v[k].name;
        long a = nm && !strcmp(nm, fn) && it.v[k].body_lines >= 0 ? fix_text_offset(t, n, it.v[k].first, 1) : -1;
        long b = a >= 0 ? fix_text_offset(t, n, it.v[k].last + 1, 1) : -1;
        if (a >= 0) {
          from = (size_t)a, to = b >= 0 ? (size_t)b : n;
          break;
        }
      }
    fix_items_free(&it);
    size_t sl = strlen(sym);
    for (const char *q = t + from; (q = memmem(q, to - (size_t)(q - t), sym, sl)) && (size_t)(q - t) + sl <= to; q += sl) {
      if ((q > t && fix_ident_char((unsigned char)q[-1])) || fix_ident_char((unsigned char)q[sl]))
        continue;
      int line = 1;
      for (const char *c = t; c < q; c++)
        line += *c == '\n';
      d->pos.file = fix_strdup(src);
      d->pos.line = line;
      break;
    }
  }
  fns_free(&p);
}

size_t link_near_definitions(struct session *s, const struct fix_diag *d, struct fix_ctx_loc *locs, size_t max,
                             struct fix_strv *hold) {
  char sym[256];
  if (!link_undefined_symbol(d, sym, sizeof sym))
    return 0;
  struct project_fns p = {0};
  fns_collect(s, &p);
  size_t n = 0, sl = strlen(sym);
  /* within three edits, or sharing a prefix of four or more characters (a rename), nearest first */
  for (int want = 1; want <= 4 && n < max; want++)
    for (size_t k = 0; k < p.n && n < max; k++) {
      size_t nl = strlen(p.defs[k].name), pre = 0;
      while (pre < nl && pre < sl && p.defs[k].name[pre] == sym[pre])
        pre++;
      int dist = repair_distance(p.defs[k].name, nl, sym, sl, 3);
      int rank = dist <= 3 ? dist : pre >= 4 ? 4 : 5;
      if (rank != want || !strcmp(p.defs[k].name, sym))
        continue;
      fix_strv_push(hold, p.defs[k].file);
      locs[n++] = (struct fix_ctx_loc){hold->v[hold->n - 1], p.defs[k].line};
    }
  fns_free(&p);
  return n;
}
