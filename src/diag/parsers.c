/* parsers.c — the table of output parsers, and format sniffing. */
#include "internal.h"

#include <string.h>

static int sniff_text(const char *t, size_t n) { return 10; }

static int sniff_gcc_json(const char *t, size_t n) {
  /* gcc writes `[{"kind": ` at the start of a line */
  for (size_t off = 0; off < n;) {
    const char *nl = memchr(t + off, '\n', n - off);
    size_t len = nl ? (size_t)(nl - (t + off)) : n - off;
    if (len > 10 && !strncmp(t + off, "[{\"kind\": ", 10))
      return 90;
    if (!nl || off > 1 << 20)
      break;
    off += len + 1;
  }
  return 0;
}

static int sniff_rustc_json(const char *t, size_t n) {
  for (size_t off = 0; off < n;) {
    const char *nl = memchr(t + off, '\n', n - off);
    size_t len = nl ? (size_t)(nl - (t + off)) : n - off;
    if (len > 12 && t[off] == '{' &&
        (memmem(t + off, len, "\"reason\":\"compiler-", 20) || memmem(t + off, len, "\"$message_type\":", 16)))
      return 95;
    if (!nl || off > 1 << 20)
      break;
    off += len + 1;
  }
  return 0;
}

static enum fix_status parse_rustc(const char *t, size_t n, enum fix_compiler hint, struct fix_diag_list *out,
                                   struct fix_err *err) {
  return fix_diag_parse_rustc_json(t, n, out, err);
}

static enum fix_status parse_json(const char *t, size_t n, enum fix_compiler hint, struct fix_diag_list *out,
                                  struct fix_err *err) {
  return fix_diag_parse_gcc_json(t, n, out, err);
}

/* A build log in text: gcc and clang lines, and rustc's blocks when there are any (make can run
 * both); each parser skips the other's lines. */
static enum fix_status parse_text_all(const char *t, size_t n, enum fix_compiler hint, struct fix_diag_list *out,
                                      struct fix_err *err) {
  size_t from = out->n;
  enum fix_status st = fix_diag_parse_text(t, n, hint, out, err);
  if (st || !diag_sniff_rustc_text(t, n))
    return st;
  /* rustc's short format looks like gcc's lines; gcc and clang never report on a .rs file */
  size_t w = from;
  for (size_t i = from; i < out->n; i++) {
    if (out->v[i].pos.file && fix_str_ends(out->v[i].pos.file, ".rs"))
      fix_diag_free(&out->v[i]);
    else
      out->v[w++] = out->v[i];
  }
  out->n = w;
  return fix_diag_parse_rustc_text(t, n, out, err);
}

const struct fix_diag_parser fix_diag_parsers[] = {
    {"rustc-json", sniff_rustc_json, parse_rustc},
    {"gcc-json", sniff_gcc_json, parse_json},
    {"text", sniff_text, parse_text_all},
};
const size_t fix_diag_nparsers = sizeof fix_diag_parsers / sizeof fix_diag_parsers[0];

enum fix_status fix_diag_parse_auto(const char *text, size_t len, enum fix_compiler hint, struct fix_diag_list *out,
                                    struct fix_err *err) {
  const struct fix_diag_parser *best = &fix_diag_parsers[fix_diag_nparsers - 1];
  int score = -1;
  for (size_t i = 0; i < fix_diag_nparsers; i++) {
    int s = fix_diag_parsers[i].sniff(text, len);
    if (s > score) {
      score = s;
      best = &fix_diag_parsers[i];
    }
  }
  return best->parse(text, len, hint, out, err);
}
