/* intent.c — the developer's change (fix/intent.h): `git diff HEAD`'s files, each compared item by
 * item (fix_context_items) before and after.
 *
 * A rename: an item of the old text that is gone, and exactly one new item of the same kind, the
 * same container (the struct of a field, the class of a method) and, for callables, the same
 * parameter types. A removed parameter: a callable on both sides whose parameter list lost one
 * entry, at the one position that explains the rest (by type and name); one that gained a named
 * entry, the same way; one whose named parameters came back in another order, each with its type.
 * A parameter whose type alone changed is not derived (no repair can know the value to pass; the
 * prompt's diff shows it to a model). Anything less clear
 * is no intent at all: the repairs then fall back to what they do without one. */
#include "fix/intent.h"
#include "fix/patch.h"

#include <stdlib.h>
#include <string.h>

#define DIFF_MAX (64u << 10)
#define FILES_MAX 256         /* modified files compared item by item (a branch switch is no refactor) */
#define FILE_MAX (2u << 20)   /* and the largest compared (generated sources are no refactor either) */

static const char *last_component(const char *name) {
  const char *p = name, *q;
  if ((q = strrchr(p, '.')))
    p = q + 1;
  while ((q = strstr(p, "::")))
    p = q + 2;
  const char *sp = strrchr(p, ' '); /* "struct order" */
  return sp ? sp + 1 : p;
}

static int same_strv(const struct fix_strv *a, const struct fix_strv *b) {
  if (a->n != b->n)
    return 0;
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i]))
      return 0;
  return 1;
}

static const char *parent_name(const struct fix_items *it, const struct fix_item *x) {
  return x->parent >= 0 && (size_t)x->parent < it->n ? it->v[x->parent].name : "";
}

/* the container part of a qualified name: "app::S" of "app::S::f", "struct order" of "struct order.qty" */
static size_t scope_len(const char *name) {
  const char *last = last_component(name);
  size_t n = (size_t)(last - name);
  while (n && (name[n - 1] == '.' || name[n - 1] == ':'))
    n--;
  return n;
}

static int find(const struct fix_items *it, const struct fix_item *x) {
  for (size_t i = 0; i < it->n; i++)
    if (!strcmp(it->v[i].kind, x->kind) && !strcmp(it->v[i].name, x->name))
      return (int)i;
  return -1;
}

static int is_header(const char *path) {
  const char *dot = strrchr(path, '.');
  return dot && dot[1] == 'h'; /* .h .hh .hpp .hxx */
}

static int push(struct fix_intent *it, struct fix_intent_change c) {
  for (size_t i = 0; i < it->n; i++) { /* the header's and the source's change are one */
    const struct fix_intent_change *o = &it->v[i];
    if (o->kind == c.kind && c.kind == FIX_INTENT_RENAME && !strcmp(o->from, c.from) && !strcmp(o->to, c.to))
      goto drop;
    if (o->kind == c.kind && c.kind == FIX_INTENT_MOVED && !strcmp(o->from, c.from)) {
      if (is_header(c.file) && !is_header(o->file)) { /* the declaration's move is the one to include */
        struct fix_intent_change *w = &it->v[i];
        char *f = w->file, *g = w->origin;
        w->file = c.file, w->origin = c.origin, w->what = c.what;
        c.file = f, c.origin = g;
      }
      goto drop;
    }
    if (o->kind == c.kind && c.fn && !strcmp(o->fn, c.fn) && o->index == c.index &&
        o->nparams == c.nparams &&
        (c.kind != FIX_INTENT_PARAMS_REORDERED || !memcmp(o->order, c.order, (size_t)c.nparams * sizeof *c.order)))
      goto drop;
  }
  struct fix_intent_change *v = realloc(it->v, (it->n + 1) * sizeof *v);
  if (!v)
    goto drop;
  it->v = v;
  it->v[it->n++] = c;
  return 0;
drop:
  free(c.from), free(c.to), free(c.fn), free(c.param), free(c.type), free(c.order), free(c.file), free(c.origin);
  return -1;
}

static void renames(const struct fix_items *b, const struct fix_items *a, const char *file, struct fix_intent *it) {
  for (size_t i = 0; i < b->n; i++) {
    const struct fix_item *g = &b->v[i];
    if (find(a, g) >= 0)
      continue;
    int match = -1, count = 0;
    for (size_t k = 0; k < a->n; k++) {
      const struct fix_item *x = &a->v[k];
      if (strcmp(x->kind, g->kind) || find(b, x) >= 0)
        continue; /* not new */
      size_t gs = scope_len(g->name), xs = scope_len(x->name);
      if (gs != xs || strncmp(g->name, x->name, gs) || strcmp(parent_name(b, g), parent_name(a, x)))
        continue; /* another container */
      if ((g->params || x->params) && !(g->params && x->params && same_strv(&g->param_types, &x->param_types)))
        continue;
      match = (int)k;
      count++;
    }
    if (count != 1)
      continue;
    const char *from = last_component(g->name), *to = last_component(a->v[match].name);
    if (!fix_is_ident(from) || !fix_is_ident(to) || !strcmp(from, to))
      continue;
    push(it, (struct fix_intent_change){.kind = FIX_INTENT_RENAME, .what = g->kind, .from = fix_strdup(from),
                                        .to = fix_strdup(to), .file = fix_strdup(file)});
  }
}

/* The one position r of `longer` whose parameter, left out, makes its types and names those of
 * `shorter`; -1 when none or more than one does ((int a, int b) -> (int c): which one went?). */
static int odd_one(const struct fix_item *longer, const struct fix_item *shorter) {
  int at = -1, ways = 0;
  for (size_t r = 0; r < longer->param_types.n; r++) {
    int same = 1;
    for (size_t j = 0, m = 0; j < longer->param_types.n && same; j++) {
      if (j == r)
        continue;
      same = !strcmp(longer->param_types.v[j], shorter->param_types.v[m]) && j < longer->param_names.n &&
             m < shorter->param_names.n && !strcmp(longer->param_names.v[j], shorter->param_names.v[m]);
      m++;
    }
    if (same)
      at = (int)r, ways++;
  }
  return ways == 1 ? at : -1;
}

/* The same named parameters in another order: order[j] = old position of the new j-th. Every name
 * must be present and unique, and its type unchanged. */
static int *reordering(const struct fix_item *b, const struct fix_item *a) {
  size_t n = b->param_types.n;
  if (n < 2 || a->param_types.n != n || b->param_names.n != n || a->param_names.n != n)
    return NULL;
  int *order = calloc(n, sizeof *order), moved = 0;
  for (size_t j = 0; order && j < n; j++) {
    int found = -1;
    for (size_t k = 0; k < n; k++)
      if (*a->param_names.v[j] && !strcmp(a->param_names.v[j], b->param_names.v[k])) {
        if (found >= 0 || strcmp(a->param_types.v[j], b->param_types.v[k]))
          found = -2;
        else if (found == -1)
          found = (int)k;
      }
    if (found < 0) {
      free(order);
      return NULL;
    }
    order[j] = found;
    moved |= found != (int)j;
  }
  if (!moved) {
    free(order);
    return NULL;
  }
  return order;
}

/* Parameter lists that lost one entry, gained one, or were reordered. */
static void signatures(const struct fix_items *b, const struct fix_items *a, const char *file, struct fix_intent *it) {
  for (size_t i = 0; i < b->n; i++) {
    const struct fix_item *x = &b->v[i];
    int k = x->params ? find(a, x) : -1;
    if (k < 0)
      continue;
    const struct fix_item *y = &a->v[k];
    const char *fn = last_component(x->name);
    int nb = (int)x->param_types.n, at, self = nb > 0 && strstr(x->param_types.v[0], "self") != NULL;
    if (x->param_types.n == y->param_types.n + 1 && (at = odd_one(x, y)) >= 0)
      push(it, (struct fix_intent_change){.kind = FIX_INTENT_PARAM_REMOVED, .what = x->kind, .fn = fix_strdup(fn),
                                          .index = at, .nparams = nb, .self_param = self, .file = fix_strdup(file),
                                          .param = fix_strdup((size_t)at < x->param_names.n ? x->param_names.v[at] : "")});
    else if (y->param_types.n == x->param_types.n + 1 && (at = odd_one(y, x)) >= 0 && (size_t)at < y->param_names.n &&
             fix_is_ident(y->param_names.v[at]))
      push(it, (struct fix_intent_change){.kind = FIX_INTENT_PARAM_ADDED, .what = x->kind, .fn = fix_strdup(fn),
                                          .index = at, .nparams = nb, .param = fix_strdup(y->param_names.v[at]),
                                          .type = fix_strdup(y->param_types.v[at]), .self_param = self,
                                          .file = fix_strdup(file)});
    else if (x->param_types.n == y->param_types.n) {
      int *order = reordering(x, y);
      if (order)
        push(it, (struct fix_intent_change){.kind = FIX_INTENT_PARAMS_REORDERED, .what = x->kind,
                                            .fn = fix_strdup(fn), .nparams = nb, .order = order, .self_param = self,
                                            .file = fix_strdup(file)});
    }
  }
}

/* The top-level items of `x` that `y` lacks (by kind and name), as "kind\tname\tfile" into out. */
static void top_level_changes(const struct fix_items *x, const struct fix_items *y, const char *file, struct fix_strv *out) {
  for (size_t i = 0; i < x->n && out->n < 4096; i++) {
    const struct fix_item *v = &x->v[i];
    if (v->parent >= 0 || find(y, v) >= 0 || !fix_is_ident(v->name) || !strcmp(v->kind, "impl") || !strcmp(v->kind, "mod"))
      continue;
    char *e = fix_asprintf("%s\t%s\t%s", v->kind, v->name, file);
    if (e && !fix_strv_contains(out, e))
      fix_strv_push(out, e);
    free(e);
  }
}

/* kind and name of an entry of gone/added, and whether two entries name the same item */
/* Two entries name the same item, in files of one sort (a prototype moves header to header, its
 * definition source to source). */
static int same_item(const char *a, const char *b) {
  const char *ta = strchr(a, '\t'), *tb = strchr(b, '\t');
  ta = ta ? strchr(ta + 1, '\t') : NULL, tb = tb ? strchr(tb + 1, '\t') : NULL;
  return ta && tb && ta - a == tb - b && !memcmp(a, b, (size_t)(ta - a)) && is_header(ta + 1) == is_header(tb + 1);
}

void fix_intent_moves(struct fix_intent *it) {
  for (size_t i = 0; i < it->gone.n; i++) {
    const char *g = it->gone.v[i];
    int match = -1, count = 0, again = 0;
    for (size_t k = 0; k < it->added.n; k++)
      if (same_item(g, it->added.v[k]))
        match = (int)k, count++;
    for (size_t k = 0; k < it->gone.n; k++)
      again += same_item(g, it->gone.v[k]);
    if (count != 1 || again != 1)
      continue; /* put in two places, or taken from two: no telling */
    const char *name = strchr(g, '\t') + 1, *gfile = strchr(name, '\t') + 1;
    const char *afile = strchr(strchr(it->added.v[match], '\t') + 1, '\t') + 1;
    if (!strcmp(gfile, afile))
      continue;
    static const char *const kinds[] = {"function", "struct", "class", "union", "enum", "typedef", "type", "macro",
                                        "global", "fn", "trait", "const", "static", NULL};
    const char *what = NULL;
    for (size_t k = 0; kinds[k] && !what; k++)
      if (!strncmp(g, kinds[k], strlen(kinds[k])) && g[strlen(kinds[k])] == '\t')
        what = kinds[k];
    if (!what)
      continue;
    push(it, (struct fix_intent_change){.kind = FIX_INTENT_MOVED, .what = what,
                                        .from = fix_strndup(name, (size_t)(gfile - 1 - name)),
                                        .file = fix_strdup(afile), .origin = fix_strdup(gfile)});
  }
}

enum fix_status fix_intent_compare(enum fix_lang lang, const char *file, const char *before, size_t blen,
                                   const char *after, size_t alen, struct fix_intent *it, struct fix_err *err) {
  struct fix_items b = {0}, a = {0};
  enum fix_status st = fix_context_items(lang, before, blen, &b, err);
  if (!st)
    st = fix_context_items(lang, after, alen, &a, err);
  if (!st) {
    renames(&b, &a, file, it);
    signatures(&b, &a, file, it);
    top_level_changes(&b, &a, file, &it->gone);
    top_level_changes(&a, &b, file, &it->added);
  }
  fix_items_free(&b);
  fix_items_free(&a);
  return st;
}

/* The version control commands the reader needs, for git and Mercurial. A repository's own
 * configuration runs nothing: git without fsmonitor, external diff or textconv; hg without any hgrc. */
struct vcs {
  int hg;
  const char *const *changed, *const *untracked, *const *diff;
};

static const char *const git_changed[] = {"diff", "HEAD", "--no-ext-diff", "--no-textconv", "--no-renames",
                                          "--diff-filter=AMD", "--name-only", "-z", NULL};
static const char *const git_untracked[] = {"ls-files", "--others", "--exclude-standard", "-z", NULL};
static const char *const git_diff[] = {"diff", "HEAD", "--no-ext-diff", "--no-textconv", "--no-color", "-U2", NULL};
static const char *const hg_changed[] = {"status", "-maru", "-0", NULL}; /* "M path", "? path": split below */
static const char *const hg_diff[] = {"diff", "--git", "-U", "2", NULL};

static int run(const char *root, const struct vcs *v, const char *const *args, struct fix_buf *out) {
  if (v->hg)
    return fix_hg(root, args, out) ? (fix_buf_free(out), -1) : 0;
  const char *argv[20] = {"git", "-C", root, "-c", "core.fsmonitor=false", "-c", "diff.external=", NULL};
  size_t n = 7;
  for (size_t i = 0; args[i] && n < 19; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  struct fix_spawn_result r;
  if (fix_spawn_quiet(argv, root, NULL, 30, &r, NULL) != FIX_OK)
    return -1;
  if (r.exit_code != 0) {
    fix_buf_free(&r.out);
    return -1;
  }
  *out = r.out;
  return 0;
}

enum fix_status fix_intent_read(const char *root, struct fix_intent *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  char *hgdir = fix_path_join(root, ".hg");
  struct vcs v = {0, git_changed, git_untracked, git_diff};
  if (hgdir && fix_dir_exists(hgdir))
    v = (struct vcs){1, hg_changed, NULL, hg_diff};
  free(hgdir);
  struct fix_buf names;
  if (run(root, &v, v.changed, &names))
    return FIX_OK; /* no repository, no last commit: no intent */
  struct fix_buf untracked;
  if (v.hg) { /* one `hg status`: the tracked files' paths first, then the untracked ones' */
    struct fix_buf tr, un;
    fix_buf_init(&tr, 0), fix_buf_init(&un, 0);
    for (size_t off = 0; off < names.len; off += strlen(names.data + off) + 1) {
      const char *rec = names.data + off;
      if (strlen(rec) > 2)
        fix_buf_append(rec[0] == '?' ? &un : &tr, rec + 2, strlen(rec + 2) + 1);
    }
    fix_buf_free(&names);
    names = tr;
    untracked = un;
  }
  size_t tracked = names.len;
  if (v.hg || !run(root, &v, v.untracked, &untracked)) { /* new sources not added yet: a moved item's new home */
    if (untracked.len)
      fix_buf_append(&names, untracked.data, untracked.len);
    fix_buf_free(&untracked);
  }
  char *cats = NULL; /* hg: every changed file at the last commit, written by one `hg cat` (~0.2 s a run) */
  if (v.hg && tracked) {
    cats = fix_mkdtemp("fix-intent");
    char *tmpl = cats ? fix_path_join(cats, "%p") : NULL;
    struct fix_strv av = {0};
    const char *head[] = {"cat", "-r", ".", "-o", tmpl, NULL};
    for (size_t i = 0; tmpl && head[i]; i++)
      fix_strv_push(&av, head[i]);
    for (size_t off = 0, k = 0; tmpl && off < tracked && k < FILES_MAX; off += strlen(names.data + off) + 1)
      if (fix_lang_from_path(names.data + off) != FIX_LANG_UNKNOWN) {
        char *spec = fix_asprintf("path:%s", names.data + off);
        if (spec)
          fix_strv_push_own(&av, spec), k++;
      }
    struct fix_buf ignored;
    if (tmpl)
      (void)run(root, &v, (const char *const *)av.v, &ignored); /* a file added since is missing: exit 1 */
    fix_buf_free(&ignored);
    fix_strv_free(&av);
    free(tmpl);
  }
  enum fix_status st = FIX_OK;
  size_t compared = 0;
  for (size_t off = 0; names.data && off < names.len && !st && compared < FILES_MAX;) {
    const char *rel = names.data + off;
    off += strlen(rel) + 1;
    enum fix_lang lang = fix_lang_from_path(rel);
    if (lang == FIX_LANG_UNKNOWN)
      continue;
    char *spec = v.hg ? fix_path_join(cats, rel) : fix_asprintf("HEAD:%s", rel), *abs = fix_path_join(root, rel);
    const char *show[] = {"show", spec, NULL};
    struct fix_buf before, after;
    int is_new = (size_t)(rel - names.data) >= tracked;
    if (spec && abs &&
        (is_new || (v.hg ? fix_file_read(spec, FILE_MAX + 1, &before, NULL) != FIX_OK : run(root, &v, show, &before) != 0)))
      fix_buf_init(&before, 0); /* added, untracked: nothing before */
    if (spec && abs) {
      if (fix_file_read(abs, FILE_MAX, &after, NULL) != FIX_OK)
        fix_buf_init(&after, 0); /* deleted: nothing after */
      if (before.len <= FILE_MAX && (before.len || after.len)) {
        struct fix_err e;
        compared++;
        if (fix_intent_compare(lang, abs, before.data ? before.data : "", before.len, after.data ? after.data : "",
                               after.len, out, &e) == FIX_ERR_NOMEM)
          st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
      }
      fix_buf_free(&after);
      fix_buf_free(&before);
    }
    free(spec);
    free(abs);
  }
  fix_buf_free(&names);
  if (cats)
    fix_rmtree(cats);
  free(cats);
  fix_intent_moves(out);
  struct fix_buf d;
  if (!st && !run(root, &v, v.diff, &d)) {
    if (d.len > DIFF_MAX) {
      d.data[DIFF_MAX] = '\0';
      d.len = DIFF_MAX;
    }
    out->diff = d.len ? fix_buf_take(&d) : NULL;
    fix_buf_free(&d);
  }
  return st;
}

static int stop_at_first(void *ud, size_t off) {
  (void)ud, (void)off;
  return 1;
}

static int mentions_word(const char *t, size_t n, const char *w) {
  return fix_word_scan(t, n, w, 0, stop_at_first, NULL) > 0;
}

size_t fix_intent_hunks(const struct fix_intent *it, const char *const *names, size_t max, struct fix_buf *out) {
  if (!it || !it->diff || !names || !names[0])
    return 0;
  const char *d = it->diff, *end = d + strlen(d), *header = NULL;
  size_t header_len = 0, kept = 0, used = 0;
  const char *printed = NULL; /* the header last printed */
  for (const char *p = d; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *next = nl ? nl + 1 : end;
    if (!strncmp(p, "diff --git ", 11)) { /* a file: its header runs to the first hunk */
      header = p;
      const char *h = strstr(p, "\n@@"), *other = strstr(p + 1, "\ndiff --git ");
      if (h && other && other < h)
        h = NULL; /* a file without hunks (binary, mode only): its header alone */
      header_len = h && h < end ? (size_t)(h + 1 - p) : (size_t)(next - p);
      p = header + header_len;
      continue;
    }
    if (!strncmp(p, "@@", 2)) { /* a hunk: up to the next hunk or file */
      const char *e = next;
      while (e < end && strncmp(e, "@@", 2) && strncmp(e, "diff --git ", 11)) {
        const char *l = memchr(e, '\n', (size_t)(end - e));
        e = l ? l + 1 : end;
      }
      int hit = 0;
      for (size_t i = 0; names[i] && !hit; i++)
        hit = mentions_word(p, (size_t)(e - p), names[i]);
      size_t need = (size_t)(e - p) + (printed != header ? header_len : 0);
      if (hit && used + need <= max) {
        if (printed != header && header) {
          fix_buf_append(out, header, header_len);
          printed = header;
        }
        fix_buf_append(out, p, (size_t)(e - p));
        used += need;
        kept++;
      }
      p = e;
      continue;
    }
    p = next;
  }
  return kept;
}

void fix_intent_free(struct fix_intent *it) {
  if (!it)
    return;
  for (size_t i = 0; i < it->n; i++) {
    free(it->v[i].from), free(it->v[i].to), free(it->v[i].fn), free(it->v[i].param), free(it->v[i].type);
    free(it->v[i].order), free(it->v[i].file), free(it->v[i].origin);
  }
  free(it->v);
  free(it->diff);
  fix_strv_free(&it->gone);
  fix_strv_free(&it->added);
  memset(it, 0, sizeof *it);
}

const struct fix_intent_change *fix_intent_rename_of(const struct fix_intent *it, const char *from) {
  for (size_t i = 0; it && from && i < it->n; i++)
    if (it->v[i].kind == FIX_INTENT_RENAME && !strcmp(it->v[i].from, from))
      return &it->v[i];
  return NULL;
}

const struct fix_intent_change *fix_intent_param_removed(const struct fix_intent *it, const char *fn, int nparams) {
  for (size_t i = 0; it && fn && i < it->n; i++)
    if (it->v[i].kind == FIX_INTENT_PARAM_REMOVED && !strcmp(it->v[i].fn, fn) && it->v[i].nparams == nparams)
      return &it->v[i];
  return NULL;
}

const struct fix_intent_change *fix_intent_signature(const struct fix_intent *it, const char *fn, int nparams) {
  for (size_t i = 0; it && fn && i < it->n; i++)
    if (it->v[i].fn && !strcmp(it->v[i].fn, fn) && it->v[i].nparams == nparams)
      return &it->v[i];
  return NULL;
}

const struct fix_intent_change *fix_intent_moved(const struct fix_intent *it, const char *name) {
  for (size_t i = 0; it && name && i < it->n; i++)
    if (it->v[i].kind == FIX_INTENT_MOVED && !strcmp(it->v[i].from, name))
      return &it->v[i];
  return NULL;
}
