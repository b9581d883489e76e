/* buf.c — capped growable byte buffers.
 *
 * Invariant: data is NULL (empty, never grown) or NUL-terminated with len < cap. A failed append
 * leaves the buffer unchanged. */
#include "fix/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fix_buf_init(struct fix_buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
  b->err = FIX_OK;
}

void fix_buf_free(struct fix_buf *b) {
  if (!b)
    return;
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->err = FIX_OK;
}

void fix_buf_clear(struct fix_buf *b) {
  b->len = 0;
  b->err = FIX_OK;
  if (b->data)
    b->data[0] = '\0';
}

enum fix_status fix_buf_status(const struct fix_buf *b) { return b->err; }

enum fix_status fix_buf_reserve(struct fix_buf *b, size_t extra) {
  if (b->err)
    return b->err;
  if (extra > SIZE_MAX / 2 - b->len)
    return b->err = FIX_ERR_TOO_BIG;
  size_t need = b->len + extra + 1;
  if (b->max && b->len + extra > b->max)
    return b->err = FIX_ERR_TOO_BIG;
  if (need <= b->cap)
    return FIX_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need)
    cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p)
    return b->err = FIX_ERR_NOMEM;
  if (!b->data)
    p[0] = '\0';
  b->data = p;
  b->cap = cap;
  return FIX_OK;
}

enum fix_status fix_buf_append(struct fix_buf *b, const void *p, size_t n) {
  enum fix_status st = fix_buf_reserve(b, n);
  if (st)
    return st;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return FIX_OK;
}

enum fix_status fix_buf_puts(struct fix_buf *b, const char *s) { return fix_buf_append(b, s, strlen(s)); }

enum fix_status fix_buf_vprintf(struct fix_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (b->err)
    return b->err;
  if (n < 0)
    return b->err = FIX_ERR_ARG;
  enum fix_status st = fix_buf_reserve(b, (size_t)n);
  if (st)
    return st;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return FIX_OK;
}

enum fix_status fix_buf_printf(struct fix_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  enum fix_status st = fix_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return st;
}

char *fix_buf_take(struct fix_buf *b) {
  if (!b->data && fix_buf_reserve(b, 0))
    return NULL;
  char *p = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  b->err = FIX_OK;
  return p;
}
