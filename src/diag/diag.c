/* diag.c — the normalized diagnostic model: construction, copies, identities, rendering.
 *
 * Invariant: every pointer inside a fix_diag is owned by it (or NULL); arrays grow one element at a
 * time with realloc, which is fine for the few notes and fix-its a diagnostic has. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void fix_diag_list_init(struct fix_diag_list *l) { memset(l, 0, sizeof *l); }

static void pos_free(struct fix_pos *p) { free(p->file); }

void fix_diag_free(struct fix_diag *d) {
  if (!d)
    return;
  pos_free(&d->pos);
  free(d->message);
  free(d->code);
  for (size_t i = 0; i < d->nspans; i++) {
    pos_free(&d->spans[i].begin);
    pos_free(&d->spans[i].end);
  }
  free(d->spans);
  for (size_t i = 0; i < d->nfixits; i++) {
    pos_free(&d->fixits[i].range.begin);
    pos_free(&d->fixits[i].range.end);
    free(d->fixits[i].text);
  }
  free(d->fixits);
  for (size_t i = 0; i < d->nnotes; i++)
    fix_diag_free(&d->notes[i]);
  free(d->notes);
  for (size_t i = 0; i < d->nctx; i++) {
    pos_free(&d->ctx[i].pos);
    free(d->ctx[i].text);
  }
  free(d->ctx);
  free(d->rendered);
  free(d->explanation);
  memset(d, 0, sizeof *d);
}

void fix_diag_list_free(struct fix_diag_list *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++)
    fix_diag_free(&l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* Grows an array of `size`-byte elements by one zeroed element; returns it or NULL. */
static void *grow1(void **arr, size_t *n, size_t size) {
  void *p = realloc(*arr, (*n + 1) * size);
  if (!p)
    return NULL;
  *arr = p;
  void *e = (char *)p + *n * size;
  memset(e, 0, size);
  (*n)++;
  return e;
}

struct fix_diag *fix_diag_list_push(struct fix_diag_list *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    struct fix_diag *v = realloc(l->v, cap * sizeof *v);
    if (!v)
      return NULL;
    l->v = v;
    l->cap = cap;
  }
  struct fix_diag *d = &l->v[l->n++];
  memset(d, 0, sizeof *d);
  return d;
}

struct fix_diag *fix_diag_push_note(struct fix_diag *d) {
  return grow1((void **)&d->notes, &d->nnotes, sizeof *d->notes);
}

static int set_pos(struct fix_pos *p, const char *file, int line, int col) {
  p->file = file ? strdup(file) : NULL;
  p->line = line;
  p->col = col;
  return file && !p->file ? -1 : 0;
}

enum fix_status fix_diag_push_fixit(struct fix_diag *d, const char *file, int l1, int c1, int l2, int c2,
                                    const char *text, size_t text_len) {
  struct fix_fixit *f = grow1((void **)&d->fixits, &d->nfixits, sizeof *d->fixits);
  if (!f)
    return FIX_ERR_NOMEM;
  if (set_pos(&f->range.begin, file, l1, c1) || set_pos(&f->range.end, file, l2, c2) ||
      !(f->text = fix_strndup(text, text_len)))
    return FIX_ERR_NOMEM;
  return FIX_OK;
}

enum fix_status fix_diag_push_span(struct fix_diag *d, const char *file, int l1, int c1, int l2, int c2) {
  struct fix_span *s = grow1((void **)&d->spans, &d->nspans, sizeof *d->spans);
  if (!s)
    return FIX_ERR_NOMEM;
  if (set_pos(&s->begin, file, l1, c1) || set_pos(&s->end, file, l2, c2))
    return FIX_ERR_NOMEM;
  return FIX_OK;
}

enum fix_status fix_diag_push_ctx(struct fix_diag *d, enum fix_ctx_kind kind, const char *file, int line,
                                  int col, const char *text) {
  struct fix_diag_ctx *c = grow1((void **)&d->ctx, &d->nctx, sizeof *d->ctx);
  if (!c)
    return FIX_ERR_NOMEM;
  c->kind = kind;
  if (set_pos(&c->pos, file, line, col) || (text && !(c->text = strdup(text))))
    return FIX_ERR_NOMEM;
  return FIX_OK;
}

static enum fix_status copy_diag(struct fix_diag *dst, const struct fix_diag *s) {
  memset(dst, 0, sizeof *dst);
  dst->severity = s->severity;
  dst->compiler = s->compiler;
  dst->col_is_display = s->col_is_display;
  if (set_pos(&dst->pos, s->pos.file, s->pos.line, s->pos.col))
    return FIX_ERR_NOMEM;
  if ((s->message && !(dst->message = strdup(s->message))) || (s->code && !(dst->code = strdup(s->code))) ||
      (s->rendered && !(dst->rendered = strdup(s->rendered))) ||
      (s->explanation && !(dst->explanation = strdup(s->explanation))))
    return FIX_ERR_NOMEM;
  for (size_t i = 0; i < s->nspans; i++) {
    const struct fix_span *p = &s->spans[i];
    if (fix_diag_push_span(dst, p->begin.file, p->begin.line, p->begin.col, p->end.line, p->end.col))
      return FIX_ERR_NOMEM;
  }
  for (size_t i = 0; i < s->nfixits; i++) {
    const struct fix_fixit *f = &s->fixits[i];
    if (fix_diag_push_fixit(dst, f->range.begin.file, f->range.begin.line, f->range.begin.col,
                            f->range.end.line, f->range.end.col, f->text, strlen(f->text)))
      return FIX_ERR_NOMEM;
    dst->fixits[dst->nfixits - 1].applicability = f->applicability;
  }
  for (size_t i = 0; i < s->nctx; i++) {
    const struct fix_diag_ctx *c = &s->ctx[i];
    if (fix_diag_push_ctx(dst, c->kind, c->pos.file, c->pos.line, c->pos.col, c->text))
      return FIX_ERR_NOMEM;
  }
  for (size_t i = 0; i < s->nnotes; i++) {
    struct fix_diag *n = fix_diag_push_note(dst);
    if (!n || copy_diag(n, &s->notes[i]))
      return FIX_ERR_NOMEM;
  }
  return FIX_OK;
}

enum fix_status fix_diag_list_copy_in(struct fix_diag_list *l, const struct fix_diag *src) {
  struct fix_diag *d = fix_diag_list_push(l);
  if (!d)
    return FIX_ERR_NOMEM;
  enum fix_status st = copy_diag(d, src);
  if (st) {
    fix_diag_free(d);
    l->n--;
  }
  return st;
}

const char *fix_severity_str(enum fix_severity s) {
  switch (s) {
  case FIX_SEV_NOTE: return "note";
  case FIX_SEV_REMARK: return "remark";
  case FIX_SEV_WARNING: return "warning";
  case FIX_SEV_ERROR: return "error";
  case FIX_SEV_FATAL: return "fatal error";
  }
  return "?";
}

const char *fix_compiler_str(enum fix_compiler c) {
  switch (c) {
  case FIX_CC_GCC: return "gcc";
  case FIX_CC_CLANG: return "clang";
  case FIX_CC_RUSTC: return "rustc";
  case FIX_CC_LINKER: return "ld";
  case FIX_CC_UNKNOWN: break;
  }
  return "unknown";
}

const char *fix_diag_link_object(const struct fix_diag *d) {
  return d->compiler == FIX_CC_LINKER && d->nspans > 0 ? d->spans[0].begin.file : NULL;
}

const char *fix_diag_link_source(const struct fix_diag *d) {
  return d->compiler == FIX_CC_LINKER && d->nspans > 1 ? d->spans[1].begin.file : NULL;
}

size_t fix_diag_list_count(const struct fix_diag_list *l, enum fix_severity at_least) {
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].severity >= at_least && (at_least != FIX_SEV_WARNING || l->v[i].severity == FIX_SEV_WARNING))
      n++;
  return n;
}

char *fix_diag_identity(const struct fix_diag *d) {
  return fix_asprintf("%s|%s|%s|%s", fix_severity_str(d->severity >= FIX_SEV_ERROR ? FIX_SEV_ERROR : d->severity),
                      d->code ? d->code : "", d->message ? d->message : "", d->pos.file ? d->pos.file : "");
}

const char *fix_diag_tu(const struct fix_diag *d) {
  const char *tu = d->pos.file;
  for (size_t i = 0; i < d->nctx; i++)
    if (d->ctx[i].kind == FIX_CTX_INCLUDED_FROM && d->ctx[i].pos.file)
      tu = d->ctx[i].pos.file; /* the last entry is the main file */
  return tu;
}

/* ---- rendering ---- */

static void render_escaped(struct fix_buf *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\\' || *p == '"')
      fix_buf_printf(out, "\\%c", *p);
    else if (*p == '\n')
      fix_buf_puts(out, "\\n");
    else if (*p == '\t')
      fix_buf_puts(out, "\\t");
    else if (*p < 0x20 || *p == 0x7f)
      fix_buf_printf(out, "\\%03o", *p);
    else
      fix_buf_append(out, p, 1);
  }
}

static void render_one(const struct fix_diag *d, struct fix_buf *out, int depth) {
  for (size_t i = 0; i < d->nctx; i++) {
    const struct fix_diag_ctx *c = &d->ctx[i];
    static const char *kinds[] = {"included-from", "function", "macro", "template"};
    fix_buf_printf(out, "%*s[%s] %s:%d:%d %s\n", depth * 2, "", kinds[c->kind], c->pos.file ? c->pos.file : "-",
                   c->pos.line, c->pos.col, c->text ? c->text : "");
  }
  fix_buf_printf(out, "%*s", depth * 2, "");
  if (d->pos.file)
    fix_buf_printf(out, "%s:%d:%d: ", d->pos.file, d->pos.line, d->pos.col);
  fix_buf_printf(out, "%s: %s", fix_severity_str(d->severity), d->message ? d->message : "");
  if (d->code)
    fix_buf_printf(out, " [%s]", d->code);
  fix_buf_puts(out, "\n");
  for (size_t i = 0; i < d->nspans; i++) {
    const struct fix_span *s = &d->spans[i];
    fix_buf_printf(out, "%*s  range %d:%d-%d:%d\n", depth * 2, "", s->begin.line, s->begin.col, s->end.line,
                   s->end.col);
  }
  for (size_t i = 0; i < d->nfixits; i++) {
    const struct fix_fixit *f = &d->fixits[i];
    fix_buf_printf(out, "%*sfix-it:\"%s\":{%d:%d-%d:%d}:\"", depth * 2, "", f->range.begin.file ? f->range.begin.file : "",
                   f->range.begin.line, f->range.begin.col, f->range.end.line, f->range.end.col);
    render_escaped(out, f->text);
    fix_buf_puts(out, "\"\n");
  }
  for (size_t i = 0; i < d->nnotes; i++)
    render_one(&d->notes[i], out, depth + 1);
}

enum fix_status fix_diag_list_render(const struct fix_diag_list *l, struct fix_buf *out) {
  for (size_t i = 0; i < l->n; i++)
    render_one(&l->v[i], out, 0);
  return fix_buf_append(out, "", 0);
}

/* ---- helpers shared by the parsers ---- */

enum fix_severity diag_severity_from_str(const char *s) {
  if (!s)
    return FIX_SEV_NOTE;
  if (!strcmp(s, "fatal error"))
    return FIX_SEV_FATAL;
  if (!strcmp(s, "error"))
    return FIX_SEV_ERROR;
  if (!strcmp(s, "warning"))
    return FIX_SEV_WARNING;
  if (!strcmp(s, "remark"))
    return FIX_SEV_REMARK;
  return FIX_SEV_NOTE;
}

void diag_ascii_quotes(char *s) {
  char *o = s;
  for (char *p = s; *p;) {
    if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x98 || (unsigned char)p[2] == 0x99)) {
      *o++ = '\'';
      p += 3;
    } else {
      *o++ = *p++;
    }
  }
  *o = '\0';
}

int diag_note_is_macro(const char *m) {
  return strstr(m, "in expansion of macro") || strstr(m, "expanded from macro") || strstr(m, "in definition of macro");
}

int diag_note_is_template(const char *m) { return strstr(m, "in instantiation of") || strstr(m, "required from"); }

int fix_diag_make_dir_line(const char *line, size_t n, char **dir) {
  *dir = NULL;
  if (n < 24 || n > 8192)
    return 0;
  const char *e = memmem(line, n, ": Entering directory ", 21);
  const char *l = e ? NULL : memmem(line, n, ": Leaving directory ", 20);
  if (!e && !l)
    return 0;
  const char *p = e ? e + 21 : l + 20;
  const char *end = line + n;
  if (p >= end || (*p != '\'' && *p != '`') || end[-1] != '\'' || end - p < 3)
    return 0;
  *dir = fix_strndup(p + 1, (size_t)(end - 1 - (p + 1)));
  return *dir ? (e ? 1 : -1) : 0;
}

size_t diag_strip_ansi(char *s, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
      i += 2;
      while (i < n && !((s[i] >= '@' && s[i] <= '~')))
        i++;
      continue;
    }
    if (s[i] == '\033' && i + 1 < n && s[i + 1] == ']') { /* OSC (hyperlinks): up to BEL or ST */
      i += 2;
      while (i < n && s[i] != '\a' && !(s[i] == '\033' && i + 1 < n && s[i + 1] == '\\'))
        i++;
      if (i < n && s[i] == '\033')
        i++;
      continue;
    }
    s[o++] = s[i];
  }
  if (o && s[o - 1] == '\r')
    o--;
  s[o] = '\0';
  return o;
}
