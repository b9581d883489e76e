/* columns.c — display columns vs byte columns, and absolute paths, for parsed diagnostics.
 *
 * gcc (since 11) prints display columns: a tab advances to the next multiple of the tab stop and a
 * wide character (CJK, most emoji) counts 2. Edits need byte offsets, so every display column is
 * converted by walking the named source line. Files are read once per normalize call. */
#include "fix/diag.h"

#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence; returns its length (1 for invalid bytes, which count as one column). */
static int utf8_decode(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || (size_t)len > n) {
    *cp = c;
    return 1;
  }
  unsigned v = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      *cp = c;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3f);
  }
  *cp = v;
  return len;
}

static int char_width(unsigned cp) {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp == 0xfe0f)
    return 0;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff) ||
      (cp >= 0x20000 && cp <= 0x3fffd))
    return 2;
  return 1;
}

int fix_display_to_byte_col(const char *line, size_t len, int display_col, int tabstop) {
  if (display_col <= 1)
    return display_col;
  int disp = 1; /* display column of the character at byte i */
  size_t i = 0;
  while (i < len && line[i] != '\n') {
    if (disp >= display_col)
      return (int)i + 1;
    unsigned cp;
    int n;
    if (line[i] == '\t') {
      n = 1;
      disp = ((disp - 1) / tabstop + 1) * tabstop + 1;
    } else {
      n = utf8_decode((const unsigned char *)line + i, len - i, &cp);
      disp += char_width(cp);
    }
    if (disp > display_col) /* the column falls inside a wide char or tab: point at its start */
      return (int)i + 1;
    i += (size_t)n;
  }
  return (int)i + 1 + (display_col - disp);
}

long fix_text_offset(const char *text, size_t len, int line, int col) {
  if (line < 1 || col < 1)
    return -1;
  size_t off = 0;
  for (int l = 1; l < line; l++) {
    const char *nl = memchr(text + off, '\n', len - off);
    if (!nl)
      return -1;
    off = (size_t)(nl - text) + 1;
  }
  const char *nl = memchr(text + off, '\n', len - off);
  size_t line_len = nl ? (size_t)(nl - (text + off)) : len - off;
  if ((size_t)(col - 1) > line_len)
    return -1;
  return (long)(off + (size_t)col - 1);
}

/* ---- normalize ---- */

struct src_cache {
  char *path[32];
  struct fix_buf text[32];
  int ok[32];
  int n;
};

static const struct fix_buf *cache_get(struct src_cache *c, const char *path) {
  for (int i = 0; i < c->n; i++)
    if (!strcmp(c->path[i], path))
      return c->ok[i] ? &c->text[i] : NULL;
  if (c->n == 32)
    return NULL;
  int i = c->n++;
  c->path[i] = strdup(path);
  c->ok[i] = c->path[i] && fix_file_read(path, 64u << 20, &c->text[i], NULL) == FIX_OK;
  return c->ok[i] ? &c->text[i] : NULL;
}

static void fix_col(struct src_cache *c, struct fix_pos *p) {
  if (!p->file || p->line < 1 || p->col < 2)
    return;
  const struct fix_buf *b = cache_get(c, p->file);
  if (!b)
    return;
  long off = fix_text_offset(b->data, b->len, p->line, 1);
  if (off < 0)
    return;
  p->col = fix_display_to_byte_col(b->data + off, b->len - (size_t)off, p->col, 8);
}

/* Every position of d: its own, its spans', its fix-its', its context lines', and with `notes`
 * its notes' (recursively). */
static void walk(struct fix_diag *d, void (*fn)(struct fix_pos *, const void *), const void *arg, int notes) {
  fn(&d->pos, arg);
  for (size_t i = 0; i < d->nspans; i++) {
    fn(&d->spans[i].begin, arg);
    fn(&d->spans[i].end, arg);
  }
  for (size_t i = 0; i < d->nfixits; i++) {
    fn(&d->fixits[i].range.begin, arg);
    fn(&d->fixits[i].range.end, arg);
  }
  for (size_t i = 0; i < d->nctx; i++)
    fn(&d->ctx[i].pos, arg);
  for (size_t i = 0; notes && i < d->nnotes; i++)
    walk(&d->notes[i], fn, arg, 1);
}

/* Directories a relative path may be relative to, best first; with `fallback`, a file that
 * exists in none of them is taken as relative to the first. */
struct dirs {
  const char *const *v;
  size_t n;
  int fallback;
};

static char *joined(const char *dir, const char *file) {
  char *j = fix_path_join(dir, file);
  char *n = j ? fix_path_normalize(j) : NULL;
  free(j);
  return n;
}

/* Makes p->file absolute: against the first directory where the file exists (one directory with
 * a fallback needs no look). */
static void absolutize(struct fix_pos *p, const void *arg) {
  const struct dirs *ds = arg;
  if (!p->file || !ds->n || p->file[0] == '/' || p->file[0] == '<' || !*p->file)
    return;
  char *best = NULL;
  for (size_t i = 0; i < ds->n && !best; i++) {
    char *n = joined(ds->v[i], p->file);
    if (n && ((ds->n == 1 && ds->fallback) || fix_file_exists(n)))
      best = n;
    else
      free(n);
  }
  if (!best && ds->fallback)
    best = joined(ds->v[0], p->file);
  if (best) {
    free(p->file);
    p->file = best;
  }
}

static void normalize_diag(struct fix_diag *d, struct src_cache *c, const struct dirs *cwd) {
  walk(d, absolutize, cwd, 0);
  if (d->col_is_display) {
    fix_col(c, &d->pos);
    for (size_t i = 0; i < d->nspans; i++) {
      fix_col(c, &d->spans[i].begin);
      fix_col(c, &d->spans[i].end);
    }
    d->col_is_display = 0;
  }
  for (size_t i = 0; i < d->nnotes; i++)
    normalize_diag(&d->notes[i], c, cwd);
}

void diag_absolutize_in(struct fix_diag *d, const char *dir) {
  struct dirs one = {&dir, 1, 0};
  walk(d, absolutize, &one, 1);
}

void fix_diag_list_normalize(struct fix_diag_list *l, const char *cwd) {
  fix_diag_list_resolve(l, cwd ? &cwd : NULL, cwd ? 1 : 0);
}

void fix_diag_list_resolve(struct fix_diag_list *l, const char *const *dirs, size_t ndirs) {
  struct src_cache c;
  memset(&c, 0, sizeof c);
  struct dirs ds = {dirs, ndirs, 1};
  for (size_t i = 0; i < l->n; i++)
    normalize_diag(&l->v[i], &c, &ds);
  for (int i = 0; i < c.n; i++) {
    free(c.path[i]);
    fix_buf_free(&c.text[i]);
  }
}

/* ---- path prefix mapping (shadow tree -> project) ---- */

struct prefix_map {
  const char *from, *to;
  size_t fl;
};

static void map_pos(struct fix_pos *p, const void *arg) {
  const struct prefix_map *m = arg;
  if (!p->file || strncmp(p->file, m->from, m->fl) != 0 || (p->file[m->fl] != '/' && p->file[m->fl] != '\0'))
    return;
  char *n = fix_asprintf("%s%s", m->to, p->file + m->fl);
  if (n) {
    free(p->file);
    p->file = n;
  }
}

void fix_diag_list_map_prefix(struct fix_diag_list *l, const char *from, const char *to) {
  struct prefix_map m = {from, to, strlen(from)};
  for (size_t i = 0; i < l->n; i++)
    walk(&l->v[i], map_pos, &m, 1);
}
