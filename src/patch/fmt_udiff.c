/* fmt_udiff.c — unified diffs as models write them: "--- a/x" / "+++ b/x" headers, "@@ -a,b +c,d @@"
 * hunks. Lenient: line counts are not trusted (models miscount), empty lines inside a hunk are
 * blank context lines, "@@ ... @@" without numbers is accepted, and a hunk's start line is only a
 * hint for anchoring. New files (--- /dev/null) are refused: a fix edits existing code. */
#include "reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *header_path(const char *l) {
  const char *p = l + 4;
  while (*p == ' ')
    p++;
  const char *tab = strchr(p, '\t');
  char *raw = tab ? fix_strndup(p, (size_t)(tab - p)) : fix_strdup(p);
  char *c = raw ? clean_path(raw) : NULL;
  free(raw);
  if (c && (!strncmp(c, "a/", 2) || !strncmp(c, "b/", 2)))
    memmove(c, c + 2, strlen(c + 2) + 1);
  return c;
}

enum fix_status fmt_udiff_parse(const struct fix_strv *lines, struct hunks *out, struct fix_err *err) {
  char *file = NULL;
  struct hunk *h = NULL;
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < lines->n && !st; i++) {
    const char *l = lines->v[i];
    if (!strncmp(l, "--- ", 4) && i + 1 < lines->n && !strncmp(lines->v[i + 1], "+++ ", 4)) {
      char *minus = header_path(l), *plus = header_path(lines->v[i + 1]);
      free(file);
      file = NULL;
      if (minus && !strcmp(minus, "/dev/null"))
        st = fix_err_set(err, FIX_ERR_PARSE, "the diff creates a new file (%s); fix the error in the existing files",
                         plus ? plus : "?");
      else if (plus && !strcmp(plus, "/dev/null"))
        st = fix_err_set(err, FIX_ERR_PARSE, "the diff deletes %s; fix the error instead", minus ? minus : "a file");
      else
        file = plus && *plus ? fix_strdup(plus) : fix_strdup(minus);
      free(minus);
      free(plus);
      h = NULL;
      i++;
      continue;
    }
    if (!strncmp(l, "@@", 2)) {
      h = hunks_push(out);
      if (!h) {
        st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
        break;
      }
      h->path = fix_strdup(file);
      h->has_orig = 1;
      const char *m = strchr(l, '-');
      if (m && isdigit((unsigned char)m[1])) {
        h->hint_line = atoi(m + 1);
        h->insert_at = h->hint_line + 1; /* "-a,0": insert after line a */
        const char *comma = m + 1;
        while (isdigit((unsigned char)*comma))
          comma++;
        if (*comma == ',' && atoi(comma + 1) > 0)
          h->insert_at = 0;
      }
      continue;
    }
    if (!h)
      continue; /* prose around the diff */
    if (!strncmp(l, "diff ", 5) || !strncmp(l, "index ", 6)) {
      h = NULL;
      continue;
    }
    if (l[0] == '\\')
      continue; /* "\ No newline at end of file" */
    if (l[0] == '-') {
      st = fix_strv_push(&h->orig, l + 1);
    } else if (l[0] == '+') {
      st = fix_strv_push(&h->repl, l + 1);
    } else {
      const char *ctx = l[0] == ' ' ? l + 1 : l;
      st = fix_strv_push(&h->orig, ctx);
      if (!st)
        st = fix_strv_push(&h->repl, ctx);
    }
  }
  free(file);
  if (st)
    return st;
  /* trailing blank context lines are usually the gap before the next hunk or the prose */
  for (size_t k = 0; k < out->n; k++) {
    struct hunk *x = &out->v[k];
    while (x->orig.n && x->repl.n && !*x->orig.v[x->orig.n - 1] && !*x->repl.v[x->repl.n - 1]) {
      fix_strv_remove(&x->orig, x->orig.n - 1);
      fix_strv_remove(&x->repl, x->repl.n - 1);
    }
    if (x->orig.n)
      x->insert_at = 0;
  }
  return FIX_OK;
}
