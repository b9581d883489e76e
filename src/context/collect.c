/* collect.c — choosing and rendering the context of a diagnostic within a token budget.
 *
 * Invariants: every part lies inside the project root and inside its file; parts are cut whole,
 * least important first (see fix_ctx_prio); the error's own item is never dropped, only narrowed
 * to a window around the error line. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64
#define MAX_DECL_PARTS 16
#define MAX_PER_NAME 3

struct cfile {
  char *path;
  const char *text;
  size_t len;
  enum fix_lang lang;
  int indexed;
  struct decls decls;
};

struct collector {
  const struct fix_ctx_request *req;
  fix_text_lookup lookup;
  void *ud;
  struct cfile files[MAX_FILES];
  int nfiles;
  struct fix_context *out;
  int decl_parts;
};

static struct cfile *file_get(struct collector *c, const char *path) {
  for (int i = 0; i < c->nfiles; i++)
    if (!strcmp(c->files[i].path, path))
      return &c->files[i];
  if (c->nfiles == MAX_FILES)
    return NULL;
  char *rel = fix_path_relative(c->req->root, path);
  if (!rel)
    return NULL; /* never show what lies outside the project */
  free(rel);
  struct cfile *f = &c->files[c->nfiles];
  memset(f, 0, sizeof *f);
  if (c->lookup(c->ud, path, &f->text, &f->len) != FIX_OK)
    return NULL;
  f->path = fix_strdup(path);
  f->lang = fix_lang_from_path(path);
  c->nfiles++;
  return f;
}

static int nlines(const struct cfile *f) {
  int n = 0;
  for (size_t i = 0; i < f->len; i++)
    n += f->text[i] == '\n';
  return n + (f->len && f->text[f->len - 1] != '\n');
}

static void add_part(struct collector *c, const char *file, int first, int last, enum fix_ctx_prio prio,
                     char *why) {
  for (size_t i = 0; i < c->out->n; i++) { /* already shown whole */
    const struct fix_ctx_part *p = &c->out->v[i];
    if (!strcmp(p->file, file) && p->first <= first && p->last >= last) {
      free(why);
      return;
    }
  }
  struct fix_ctx_part *v = realloc(c->out->v, (c->out->n + 1) * sizeof *v);
  if (!v) {
    free(why);
    return;
  }
  c->out->v = v;
  v[c->out->n++] = (struct fix_ctx_part){fix_strdup(file), first, last, prio, why};
}

/* The item around `line`, or a window when the file does not parse or the line is between items. */
static void item_part(struct collector *c, struct cfile *f, int line, enum fix_ctx_prio prio) {
  int win = c->req->window > 0 ? c->req->window : 12;
  int maxl = c->req->max_item_lines > 0 ? c->req->max_item_lines : 80;
  int total = nlines(f);
  int a = 0, b = 0;
  const char *kind = NULL;
  enum fix_status st = f->lang ? fix_context_enclosing(f->lang, f->text, f->len, line, maxl, &a, &b, &kind, NULL)
                               : FIX_ERR_PARSE;
  char *why;
  if (st == FIX_OK && b - a + 1 <= maxl) {
    why = fix_asprintf("%s around line %d", kind, line);
  } else {
    a = line - win, b = line + win;
    why = fix_asprintf("lines around line %d", line);
  }
  if (a < 1)
    a = 1;
  if (b > total)
    b = total;
  if (a <= b)
    add_part(c, f->path, a, b, prio, why);
  else
    free(why);
}

static int keyword(const char *w) {
  static const char *kw[] = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
      "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
      "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
      "true", "false", "class", "public", "private", "protected", "virtual", "override", "template", "typename",
      "namespace", "using", "new", "delete", "this", "nullptr", "operator", "const_cast", "static_cast", "std",
      "fn", "let", "mut", "impl", "trait", "pub", "use", "mod", "self", "Self", "match", "ref", "move", "where",
      "include", "define", "NULL", "size_t", "function", "member", "type", "with", "from", "declared", "here",
      "did", "you", "mean", "of", "to", "in", "is", "not", "a", "an", "the", "and", "or", "for", "no", "named"};
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
    if (!strcmp(w, kw[i]))
      return 1;
  return 0;
}

/* Identifier tokens of `s` (only inside '...' quotes when quoted_only) added to `out`. */
static void identifiers(const char *s, int quoted_only, struct fix_strv *out) {
  int inq = 0;
  for (const char *p = s; *p;) {
    if (*p == '\'' || *p == '`') {
      inq = !inq;
      p++;
      continue;
    }
    if ((isalpha((unsigned char)*p) || *p == '_') && (!quoted_only || inq)) {
      const char *b = p;
      while (isalnum((unsigned char)*p) || *p == '_')
        p++;
      char *w = fix_strndup(b, (size_t)(p - b));
      if (w && strlen(w) > 1 && !keyword(w) && !fix_strv_contains(out, w))
        fix_strv_push_own(out, w);
      else
        free(w);
      continue;
    }
    p++;
  }
}

/* Quoted #include lines of f, resolved: beside f, then the include dirs, then root/include. */
static void includes(struct collector *c, struct cfile *f, struct fix_strv *out, int depth) {
  if (depth > 2 || f->lang == FIX_LANG_RUST)
    return;
  char *dir = fix_path_dirname(f->path);
  for (size_t off = 0; off < f->len;) {
    const char *nl = memchr(f->text + off, '\n', f->len - off);
    size_t n = nl ? (size_t)(nl - (f->text + off)) : f->len - off;
    const char *l = f->text + off;
    off += n + 1;
    size_t i = 0;
    while (i < n && isspace((unsigned char)l[i]))
      i++;
    if (i >= n || l[i] != '#')
      continue;
    const char *q = memchr(l + i, '"', n - i);
    const char *q2 = q ? memchr(q + 1, '"', (size_t)(l + n - q - 1)) : NULL;
    if (!q2 || !memmem(l + i, (size_t)(q - l - (long)i), "include", 7))
      continue;
    char *name = fix_strndup(q + 1, (size_t)(q2 - q - 1));
    char *found = NULL;
    char *cand = fix_path_join(dir, name);
    if (cand && fix_file_exists(cand))
      found = fix_path_normalize(cand);
    free(cand);
    for (size_t k = 0; !found && c->req->include_dirs && c->req->include_dirs[k]; k++) {
      cand = fix_path_join(c->req->include_dirs[k], name);
      if (cand && fix_file_exists(cand))
        found = fix_path_normalize(cand);
      free(cand);
    }
    if (!found) {
      char *inc = fix_path_join(c->req->root, "include");
      cand = inc ? fix_path_join(inc, name) : NULL;
      if (cand && fix_file_exists(cand))
        found = fix_path_normalize(cand);
      free(cand);
      free(inc);
    }
    free(name);
    if (found && !fix_strv_contains(out, found)) {
      fix_strv_push(out, found);
      struct cfile *h = file_get(c, found);
      if (h)
        includes(c, h, out, depth + 1);
    }
    free(found);
  }
  free(dir);
}

static void include_lines(struct collector *c, struct cfile *f) {
  int line = 0;
  for (size_t off = 0; off < f->len;) {
    const char *nl = memchr(f->text + off, '\n', f->len - off);
    size_t n = nl ? (size_t)(nl - (f->text + off)) : f->len - off;
    const char *l = f->text + off;
    off += n + 1;
    line++;
    size_t i = 0;
    while (i < n && isspace((unsigned char)l[i]))
      i++;
    int inc = f->lang == FIX_LANG_RUST ? (n - i > 4 && !strncmp(l + i, "use ", 4))
                                       : (n - i > 8 && l[i] == '#' && memmem(l + i, n - i, "include", 7));
    if (inc)
      add_part(c, f->path, line, line, FIX_CTXP_INCLUDES, fix_strdup("include"));
  }
}

static void declarations(struct collector *c, const struct fix_strv *names, const struct fix_strv *files,
                         enum fix_ctx_prio prio) {
  for (size_t k = 0; k < names->n && c->decl_parts < MAX_DECL_PARTS; k++) {
    int per = 0;
    for (size_t i = 0; i < files->n && per < MAX_PER_NAME; i++) {
      struct cfile *f = file_get(c, files->v[i]);
      if (!f || !f->lang)
        continue;
      if (!f->indexed) {
        f->indexed = 1;
        ctx_index_decls(f->lang, f->text, f->len, &f->decls);
      }
      for (size_t d = 0; d < f->decls.n && per < MAX_PER_NAME; d++) {
        if (strcmp(f->decls.v[d].name, names->v[k]) != 0)
          continue;
        add_part(c, f->path, f->decls.v[d].first, f->decls.v[d].last, prio,
                 fix_asprintf("declaration of '%s' (%s)", names->v[k], f->decls.v[d].kind));
        per++;
        c->decl_parts++;
      }
    }
  }
}

static int part_tokens(struct collector *c, const struct fix_ctx_part *p) {
  struct cfile *f = file_get(c, p->file);
  if (!f)
    return 0;
  size_t chars = 0;
  int line = 1;
  for (size_t i = 0; i < f->len; i++) {
    if (line >= p->first && line <= p->last)
      chars++;
    if (f->text[i] == '\n')
      line++;
  }
  chars += (size_t)(p->last - p->first + 1) * 8; /* "  123 | " */
  return (int)((chars * 2 + 6) / 7);
}

static int total_tokens(struct collector *c) {
  int t = 0;
  for (size_t i = 0; i < c->out->n; i++)
    t += part_tokens(c, &c->out->v[i]);
  return t;
}

static void fit_budget(struct collector *c) {
  int budget = c->req->budget_tokens;
  if (budget <= 0)
    return;
  for (int prio = FIX_CTXP_INCLUDES; prio > FIX_CTXP_ERROR_ITEM && total_tokens(c) > budget; prio--) {
    /* drop this priority's parts, the last chosen (least related) first */
    for (size_t i = c->out->n; i-- > 0 && total_tokens(c) > budget;) {
      if ((int)c->out->v[i].prio != prio)
        continue;
      free(c->out->v[i].file);
      free(c->out->v[i].why);
      memmove(&c->out->v[i], &c->out->v[i + 1], (c->out->n - i - 1) * sizeof *c->out->v);
      c->out->n--;
      c->out->dropped++;
    }
  }
  /* still too big: narrow the error's item to a window around the error line */
  int line = c->req->locs[0].line;
  for (int w = 40; w >= 2 && total_tokens(c) > budget; w = w * 2 / 3) {
    for (size_t i = 0; i < c->out->n; i++) {
      struct fix_ctx_part *p = &c->out->v[i];
      if (p->prio != FIX_CTXP_ERROR_ITEM)
        continue;
      if (p->first < line - w)
        p->first = line - w;
      if (p->last > line + w)
        p->last = line + w;
    }
  }
}

enum fix_status fix_context_collect(const struct fix_ctx_request *req, fix_text_lookup lookup, void *ud,
                                    struct fix_context *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  if (!req->nlocs)
    return fix_err_set(err, FIX_ERR_ARG, "no location to collect context for");
  struct collector c;
  memset(&c, 0, sizeof c);
  c.req = req;
  c.lookup = lookup;
  c.ud = ud;
  c.out = out;
  struct cfile *primary = file_get(&c, req->locs[0].file);
  if (!primary) {
    return fix_err_set(err, FIX_ERR_NOT_FOUND, "cannot read %s (or it is outside the project)", req->locs[0].file);
  }
  item_part(&c, primary, req->locs[0].line, FIX_CTXP_ERROR_ITEM);
  struct fix_strv searched = {0};
  fix_strv_push(&searched, primary->path);
  for (size_t i = 1; i < req->nlocs; i++) {
    struct cfile *f = file_get(&c, req->locs[i].file);
    if (f) {
      item_part(&c, f, req->locs[i].line, FIX_CTXP_NOTE_ITEM);
      if (!fix_strv_contains(&searched, f->path))
        fix_strv_push(&searched, f->path);
    }
  }
  includes(&c, primary, &searched, 0);
  for (size_t i = 0; req->extra_files && req->extra_files[i]; i++)
    if (!fix_strv_contains(&searched, req->extra_files[i]))
      fix_strv_push(&searched, req->extra_files[i]);
  struct fix_strv msg_ids = {0}, line_ids = {0};
  identifiers(req->message ? req->message : "", 1, &msg_ids);
  int ln = 0;
  for (size_t off = 0; off < primary->len;) {
    const char *nl = memchr(primary->text + off, '\n', primary->len - off);
    size_t n = nl ? (size_t)(nl - (primary->text + off)) : primary->len - off;
    if (++ln == req->locs[0].line) {
      char *l = fix_strndup(primary->text + off, n);
      if (l)
        identifiers(l, 0, &line_ids);
      free(l);
      break;
    }
    off += n + 1;
  }
  declarations(&c, &msg_ids, &searched, FIX_CTXP_MESSAGE_DECL);
  declarations(&c, &line_ids, &searched, FIX_CTXP_LINE_DECL);
  include_lines(&c, primary);
  fit_budget(&c);
  out->tokens = total_tokens(&c);
  fix_strv_free(&msg_ids);
  fix_strv_free(&line_ids);
  fix_strv_free(&searched);
  for (int i = 0; i < c.nfiles; i++) {
    free(c.files[i].path);
    ctx_decls_free(&c.files[i].decls);
  }
  return FIX_OK;
}

void fix_context_free(struct fix_context *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].file);
    free(c->v[i].why);
  }
  free(c->v);
  memset(c, 0, sizeof *c);
}

void fix_context_files(const struct fix_context *c, struct fix_strv *out) {
  for (size_t i = 0; i < c->n; i++)
    if (!fix_strv_contains(out, c->v[i].file))
      fix_strv_push(out, c->v[i].file);
}

static int cmp_int(const void *a, const void *b) {
  const int *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

enum fix_status fix_context_render(const struct fix_context *c, const char *root, fix_text_lookup lookup, void *ud,
                                   struct fix_buf *out) {
  struct fix_strv files = {0};
  fix_context_files(c, &files); /* first part's file first: the error's */
  for (size_t fi = 0; fi < files.n; fi++) {
    const char *text;
    size_t len;
    if (lookup(ud, files.v[fi], &text, &len) != FIX_OK)
      continue;
    int (*r)[2] = calloc(c->n, sizeof *r);
    size_t nr = 0;
    for (size_t i = 0; r && i < c->n; i++)
      if (!strcmp(c->v[i].file, files.v[fi])) {
        r[nr][0] = c->v[i].first;
        r[nr][1] = c->v[i].last;
        nr++;
      }
    qsort(r, nr, sizeof *r, cmp_int);
    /* merge overlapping and adjacent ranges */
    size_t m = 0;
    for (size_t i = 0; i < nr; i++) {
      if (m && r[i][0] <= r[m - 1][1] + 2) {
        if (r[i][1] > r[m - 1][1])
          r[m - 1][1] = r[i][1];
      } else {
        r[m][0] = r[i][0];
        r[m][1] = r[i][1];
        m++;
      }
    }
    int width = 1;
    for (int v = m ? r[m - 1][1] : 1; v >= 10; v /= 10)
      width++;
    char *rel = fix_path_relative(root, files.v[fi]);
    fix_buf_printf(out, "%s%s\n", fi ? "\n" : "", rel ? rel : files.v[fi]);
    free(rel);
    size_t k = 0;
    int line = 1;
    for (size_t off = 0; off < len && k < m;) {
      const char *nl = memchr(text + off, '\n', len - off);
      size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
      if (line >= r[k][0] && line <= r[k][1]) {
        size_t shown = n && text[off + n - 1] == '\r' ? n - 1 : n;
        fix_buf_printf(out, "%*d | %.*s\n", width, line, (int)shown, text + off);
        if (line == r[k][1]) {
          k++;
          if (k < m)
            fix_buf_printf(out, "%*s | ...\n", width, "");
        }
      }
      off += n + 1;
      line++;
    }
    free(r);
  }
  fix_strv_free(&files);
  return fix_buf_append(out, "", 0);
}
