/* rpc.c — Content-Length framing of JSON-RPC messages.
 *
 * A header block is "Name: value" lines ended by an empty line (CRLF per the spec; bare LF is
 * accepted). Only Content-Length matters. Anything malformed is skipped up to the next
 * "Content-Length" so one bad message never costs the session; a body over the cap is read and
 * thrown away in pieces, never held. */
#include "fix/lsp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CHUNK 65536

void fix_lsp_reader_init(struct fix_lsp_reader *r, int fd, size_t max) {
  memset(r, 0, sizeof *r);
  r->fd = fd;
  r->max = max ? max : FIX_LSP_MESSAGE_MAX;
  fix_buf_init(&r->in, 0);
}

void fix_lsp_reader_free(struct fix_lsp_reader *r) { fix_buf_free(&r->in); }

enum fix_status fix_lsp_reader_feed(struct fix_lsp_reader *r, const void *p, size_t n) {
  return fix_buf_append(&r->in, p, n);
}

static size_t avail(const struct fix_lsp_reader *r) { return r->in.len - r->pos; }

/* Drops the consumed prefix once it is large, so the buffer does not grow with the session. */
static void compact(struct fix_lsp_reader *r) {
  if (r->pos == 0 || (r->pos < CHUNK && r->pos < r->in.len))
    return;
  memmove(r->in.data, r->in.data + r->pos, r->in.len - r->pos);
  r->in.len -= r->pos;
  r->in.data[r->in.len] = '\0';
  r->pos = 0;
}

/* Reads more bytes. 1: got some; 0: end of input; -1: error. */
static int fill(struct fix_lsp_reader *r) {
  if (r->eof || r->fd < 0) {
    r->eof = 1;
    return 0;
  }
  compact(r);
  if (fix_buf_reserve(&r->in, CHUNK) != FIX_OK)
    return -1;
  for (;;) {
    ssize_t k = read(r->fd, r->in.data + r->in.len, CHUNK);
    if (k < 0 && errno == EINTR) {
      if (fix_interrupted())
        return -1;
      continue;
    }
    if (k < 0)
      return -1;
    if (k == 0) {
      r->eof = 1;
      return 0;
    }
    r->in.len += (size_t)k;
    r->in.data[r->in.len] = '\0';
    return 1;
  }
}

/* The end of the header block at r->pos: index just past the blank line, or 0 when not there. */
static size_t header_end(const struct fix_lsp_reader *r) {
  if (!avail(r))
    return 0;
  const char *p = r->in.data + r->pos;
  size_t n = avail(r);
  for (size_t i = 0; i + 1 < n; i++) {
    if (p[i] != '\n')
      continue;
    if (p[i + 1] == '\n')
      return i + 2;
    if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n')
      return i + 3;
  }
  return 0;
}

/* Skips to the next "Content-Length" at or after the current position (or to the end). It is
 * searched anywhere, not only at line starts: a header follows the previous body directly. */
static void resync(struct fix_lsp_reader *r) {
  if (!avail(r))
    return;
  const char *p = r->in.data + r->pos;
  size_t n = avail(r);
  static const char key[] = "content-length";
  for (size_t i = 0; i + sizeof key - 1 <= n; i++)
    if ((p[i] == 'c' || p[i] == 'C') && !strncasecmp(p + i, key, sizeof key - 1)) {
      r->pos += i;
      return;
    }
  /* keep a tail that may be the start of a split "Content-Length" */
  r->pos += n > sizeof key ? n - sizeof key : 0;
}

/* Parses the header block [p, p+n): the Content-Length, or -1 (missing, malformed or repeated). */
static long long content_length(const char *p, size_t n) {
  long long len = -1;
  size_t i = 0;
  while (i < n) {
    size_t e = i;
    while (e < n && p[e] != '\n')
      e++;
    size_t le = e;
    if (le > i && p[le - 1] == '\r')
      le--;
    if (le > i) {
      const char *colon = memchr(p + i, ':', le - i);
      if (!colon)
        return -1;
      size_t nl = (size_t)(colon - (p + i));
      if (nl == 14 && !strncasecmp(p + i, "content-length", 14)) {
        if (len >= 0)
          return -1;
        const char *v = colon + 1;
        while (v < p + le && (*v == ' ' || *v == '\t'))
          v++;
        if (v == p + le)
          return -1;
        len = 0;
        for (; v < p + le && *v != ' ' && *v != '\t'; v++) {
          if (*v < '0' || *v > '9' || len > (1ll << 40))
            return -1;
          len = len * 10 + (*v - '0');
        }
        for (; v < p + le; v++)
          if (*v != ' ' && *v != '\t')
            return -1;
      }
    }
    i = e + 1;
  }
  return len;
}

enum fix_status fix_lsp_read(struct fix_lsp_reader *r, struct fix_buf *body, struct fix_err *err) {
  fix_buf_clear(body);
  /* the header block */
  size_t he;
  for (;;) {
    /* blank lines between messages are noise, not a header */
    while (avail(r) && (r->in.data[r->pos] == '\r' || r->in.data[r->pos] == '\n'))
      r->pos++;
    he = header_end(r);
    if (he)
      break;
    if (avail(r) > FIX_LSP_HEADER_MAX) {
      r->pos++; /* past this block's start, so the search moves on */
      resync(r);
      return fix_err_set(err, FIX_ERR_PARSE, "a header block longer than %zu bytes without an end was skipped",
                         FIX_LSP_HEADER_MAX);
    }
    int k = fill(r);
    if (k < 0)
      return fix_err_set(err, FIX_ERR_IO, "reading the client's messages failed");
    if (k == 0) {
      if (avail(r) == 0)
        return fix_err_set(err, FIX_ERR_NOT_FOUND, "the client closed the connection");
      return fix_err_set(err, FIX_ERR_IO, "the input ended inside a message header (%zu bytes)", avail(r));
    }
  }
  long long len = content_length(r->in.data + r->pos, he);
  if (len < 0) {
    r->pos += he;
    resync(r);
    return fix_err_set(err, FIX_ERR_PARSE, "a message without a valid Content-Length header was skipped");
  }
  r->pos += he;
  if ((unsigned long long)len > r->max) {
    /* read past the body in pieces, never holding it */
    unsigned long long left = (unsigned long long)len;
    while (left) {
      size_t a = avail(r);
      size_t take = a < left ? a : (size_t)left;
      r->pos += take;
      left -= take;
      compact(r);
      if (left && fill(r) <= 0)
        return fix_err_set(err, FIX_ERR_IO, "the input ended inside an oversized message (%lld bytes)", len);
    }
    return fix_err_set(err, FIX_ERR_TOO_BIG, "a message of %lld bytes (more than the %zu-byte cap) was skipped", len,
                       (size_t)r->max);
  }
  while (avail(r) < (size_t)len) {
    int k = fill(r);
    if (k <= 0)
      return fix_err_set(err, FIX_ERR_IO, "the input ended inside a message: %zu of %lld bytes", avail(r), len);
  }
  enum fix_status st = fix_buf_append(body, r->in.data + r->pos, (size_t)len);
  r->pos += (size_t)len;
  compact(r);
  if (st)
    return fix_err_set(err, st, "out of memory for a message of %lld bytes", len);
  return FIX_OK;
}

enum fix_status fix_lsp_write(int fd, const char *body, size_t len, struct fix_err *err) {
  char head[64];
  int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
  struct {
    const char *p;
    size_t n;
  } parts[2] = {{head, (size_t)hn}, {body, len}};
  for (int i = 0; i < 2; i++) {
    const char *p = parts[i].p;
    size_t n = parts[i].n;
    while (n) {
      ssize_t k = write(fd, p, n);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        return fix_err_errno(err, FIX_ERR_IO, "writing to the client failed");
      p += k;
      n -= (size_t)k;
    }
  }
  return FIX_OK;
}
