/* parsers.c — the table of output parsers, and format sniffing. */
#include "internal.h"

#include <stdlib.h>
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
        (memmem(t + off, len, "\"reason\":\"compiler-message\"", 27) || memmem(t + off, len, "\"$message_type\":", 16) ||
         /* rustc before 1.64 (Debian 12's 1.63) writes no $message_type */
         (!strncmp(t + off, "{\"message\":", 11) && memmem(t + off, len, "\"level\":", 8) &&
          memmem(t + off, len, "\"spans\":", 8))))
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

/* A build log in text: gcc and clang lines, the linker's, and rustc's blocks when there are any
 * (make can run both); each parser skips the others' lines. The linker's lines are taken out
 * before the compiler parser reads the log (it would report some of them a second time, and the
 * driver's "ld returned 1 exit status" as one more error); its diagnostics come after the
 * compiler's, as the link step comes after compiling. */
static enum fix_status parse_text_all(const char *t, size_t n, enum fix_compiler hint, struct fix_diag_list *out,
                                      struct fix_err *err) {
  size_t from = out->n;
  struct fix_diag_list link;
  fix_diag_list_init(&link);
  char *rest = NULL;
  size_t rest_len = 0;
  enum fix_status st = diag_parse_link(t, n, &link, &rest, &rest_len, err);
  if (!st)
    st = fix_diag_parse_text(rest ? rest : t, rest ? rest_len : n, hint, out, err);
  free(rest);
  for (size_t i = 0; i < link.n; i++) {
    struct fix_diag *d = st ? NULL : fix_diag_list_push(out);
    if (d) {
      *d = link.v[i]; /* moved */
    } else {
      fix_diag_free(&link.v[i]);
      if (!st)
        st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    }
  }
  link.n = 0;
  fix_diag_list_free(&link);
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
