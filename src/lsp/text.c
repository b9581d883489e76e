/* text.c — LSP positions over UTF-8 text, file URIs, and edits between two texts.
 *
 * A position is (line, character): lines split at "\n" (a "\r" before it belongs to the line
 * break), characters counted in the negotiated encoding — UTF-8 bytes, UTF-16 code units (a
 * character outside the Basic Multilingual Plane counts 2), or code points. Bytes that are not
 * valid UTF-8 count as one character each, so every byte offset has a position and back. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *fix_lsp_encoding_str(enum fix_lsp_encoding e) {
  return e == FIX_LSP_UTF8 ? "utf-8" : e == FIX_LSP_UTF32 ? "utf-32" : "utf-16";
}

/* Length in bytes of the UTF-8 sequence at p (1 for an invalid or truncated one). */
static size_t seq_len(const unsigned char *p, size_t n) {
  unsigned c = p[0];
  size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (k > n)
    return 1;
  for (size_t i = 1; i < k; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 1;
  return k;
}

static long units(size_t seq, enum fix_lsp_encoding enc) {
  if (enc == FIX_LSP_UTF8)
    return (long)seq;
  if (enc == FIX_LSP_UTF16)
    return seq == 4 ? 2 : 1;
  return 1;
}

/* The end of the line starting at `at` (not counting "\r\n" / "\n"). */
static size_t line_end(const char *text, size_t len, size_t at) {
  const char *nl = memchr(text + at, '\n', len - at);
  size_t e = nl ? (size_t)(nl - text) : len;
  if (e > at && text[e - 1] == '\r')
    e--;
  return e;
}

size_t fix_lsp_offset(const char *text, size_t len, long line, long character, enum fix_lsp_encoding enc) {
  size_t at = 0;
  for (long l = 0; l < line; l++) {
    const char *nl = memchr(text + at, '\n', len - at);
    if (!nl)
      return len;
    at = (size_t)(nl - text) + 1;
  }
  size_t e = line_end(text, len, at);
  long c = 0;
  while (at < e && c < character) {
    size_t k = seq_len((const unsigned char *)text + at, e - at);
    long u = units(k, enc);
    if (c + u > character)
      break; /* inside a surrogate pair: stay before the character */
    c += u;
    at += k;
  }
  return at;
}

void fix_lsp_position(const char *text, size_t len, size_t offset, enum fix_lsp_encoding enc, long *line,
                      long *character) {
  if (offset > len)
    offset = len;
  long l = 0;
  size_t start = 0;
  for (size_t i = 0; i < offset; i++)
    if (text[i] == '\n')
      l++, start = i + 1;
  size_t e = line_end(text, len, start);
  if (offset > e)
    offset = e; /* between "\r" and "\n": the end of the line */
  long c = 0;
  for (size_t at = start; at < offset;) {
    size_t k = seq_len((const unsigned char *)text + at, offset - at);
    c += units(k, enc);
    at += k;
  }
  *line = l;
  *character = c;
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *fix_lsp_uri_to_path(const char *uri) {
  if (!uri || strncmp(uri, "file://", 7) != 0)
    return NULL;
  const char *p = uri + 7;
  if (!strncmp(p, "localhost/", 10))
    p += 9;
  if (*p != '/')
    return NULL; /* file://host/path: not a local file */
  size_t n = strlen(p);
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '?' || p[i] == '#')
      break;
    if (p[i] == '%') {
      int a = i + 2 < n ? hexval(p[i + 1]) : -1;
      int b = a >= 0 ? hexval(p[i + 2]) : -1;
      if (a < 0 || b < 0 || (a == 0 && b == 0)) {
        free(out);
        return NULL;
      }
      out[k++] = (char)(a * 16 + b);
      i += 2;
    } else {
      out[k++] = p[i];
    }
  }
  out[k] = '\0';
  return out;
}

char *fix_lsp_path_to_uri(const char *path) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_puts(&b, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
      fix_buf_append(&b, p, 1);
    else
      fix_buf_printf(&b, "%%%02X", *p);
  }
  return fix_buf_take(&b);
}

static int cont(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

void lsp_min_edit(const char *a, size_t alen, const char *b, size_t blen, size_t *start, size_t *aend, size_t *bend) {
  size_t p = 0;
  while (p < alen && p < blen && a[p] == b[p])
    p++;
  /* both ends on character boundaries of both texts, so positions in any encoding are exact
   * and the new text is whole characters */
  while (p > 0 && ((p < alen && cont(a[p])) || (p < blen && cont(b[p]))))
    p--;
  size_t s = 0;
  while (s < alen - p && s < blen - p && a[alen - 1 - s] == b[blen - 1 - s])
    s++;
  while (s > 0 && (cont(a[alen - s]) || cont(b[blen - s])))
    s--;
  *start = p;
  *aend = alen - s;
  *bend = blen - s;
}
