/* stream.c — a build's output parsed as it streams, so that memory stays bounded however long the
 * log: lines gather into pieces of about 1 MiB, cut only where a new diagnostic starts (not after
 * a context line such as "In function 'f':" or "In file included from a.c:3,"); each piece is
 * parsed on its own (its format sniffed: cargo's JSON, gcc's JSON, or text) and its diagnostics
 * kept up to FIX_BUILD_MAX_ERRORS errors and FIX_BUILD_MAX_WARNINGS warnings, the rest counted.
 * The capture of the log itself is bounded separately (its head and tail, spawn.c). */
#include "stream.h"

#include <string.h>

#define PIECE ((size_t)1 << 20)

void build_stream_init(struct build_stream *s, struct fix_diag_list *out) {
  memset(s, 0, sizeof *s);
  fix_buf_init(&s->piece, 4 * PIECE + (1u << 24));
  s->out = out;
}

/* A line where a new diagnostic (or a JSON record) begins. */
static int starts_diag(const char *l, size_t n) {
  if (!n || l[0] == ' ' || l[0] == '\t' || l[0] == '\n' || l[0] == '\r')
    return 0;
  if (l[0] == '{' || l[0] == '[')
    return 1;
  if ((n >= 5 && !memcmp(l, "error", 5)) || (n >= 7 && !memcmp(l, "warning", 7)))
    return 1; /* rustc's human format */
  return memmem(l, n, ": error: ", 9) || memmem(l, n, ": warning: ", 11) || memmem(l, n, ": fatal error: ", 15);
}

static void parse_piece(struct build_stream *s) {
  if (!s->piece.len)
    return;
  struct fix_diag_list tmp;
  fix_diag_list_init(&tmp);
  struct fix_err e;
  enum fix_status st = fix_diag_parse_auto(s->piece.data, s->piece.len, FIX_CC_UNKNOWN, &tmp, &e);
  if (st && !s->st) {
    s->st = st;
    s->err = e;
  }
  for (size_t i = 0; i < tmp.n; i++) {
    struct fix_diag *d = &tmp.v[i];
    int error = d->severity >= FIX_SEV_ERROR;
    size_t *kept = error ? &s->errors : &s->warnings;
    struct fix_diag *slot = *kept < (error ? FIX_BUILD_MAX_ERRORS : FIX_BUILD_MAX_WARNINGS) ? fix_diag_list_push(s->out)
                                                                                           : NULL;
    if (slot) {
      *slot = *d; /* moved: the kept list owns it now */
      (*kept)++;
    } else {
      fix_diag_free(d);
      (*(error ? &s->dropped_errors : &s->dropped_warnings))++;
    }
  }
  tmp.n = 0;
  fix_diag_list_free(&tmp);
  fix_buf_clear(&s->piece);
}

void build_stream_line(void *ud, int stream, const char *line, size_t n) {
  struct build_stream *s = ud;
  if (s->piece.len >= PIECE && !s->prev_ctx && starts_diag(line, n))
    parse_piece(s);
  if (fix_buf_append(&s->piece, line, n) != FIX_OK) { /* no cut for 4 MiB (or no memory): cut here */
    parse_piece(s);
    if (fix_buf_append(&s->piece, line, n) != FIX_OK)
      fix_buf_clear(&s->piece); /* a single line beyond the cap: not a diagnostic */
  }
  size_t k = n;
  while (k && (line[k - 1] == '\n' || line[k - 1] == '\r'))
    k--;
  s->prev_ctx = k && (line[k - 1] == ':' || line[k - 1] == ',');
}

enum fix_status build_stream_finish(struct build_stream *s, struct fix_err *err) {
  parse_piece(s);
  fix_buf_free(&s->piece);
  if (s->st && err)
    *err = s->err;
  return s->st;
}
