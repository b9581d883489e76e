/* fmt_changelog.c — RustAssistant's line-numbered ChangeLog format:
 *
 *   ChangeLog:1@src/main.c
 *   FixDescription: add the missing semicolon.
 *   OriginalCode@4-5:
 *   [4]   int x = 1
 *   [5]   return x;
 *   FixedCode@4-5:
 *   [4]   int x = 1;
 *   [5]   return x;
 *
 * Lenient: "ChangeLog: 1 @ `file`", sections without the trailing colon, code lines whose "[n]"
 * prefix the model dropped (blank ones are then taken as separators), and an empty OriginalCode
 * section meaning "insert before line a". */
#include "reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int section(const char *l, const char *name, int *a, int *b) {
  while (*l == ' ' || *l == '*')
    l++;
  size_t n = strlen(name);
  if (strncasecmp(l, name, n) != 0)
    return 0;
  l += n;
  while (*l == ' ')
    l++;
  *a = *b = 0;
  if (*l == '@') {
    l++;
    *a = atoi(l);
    while (isdigit((unsigned char)*l))
      l++;
    if (*l == '-')
      *b = atoi(l + 1);
    else
      *b = *a;
  }
  return 1;
}

/* "[12] code" -> code (and *num = 12); NULL when the line has no prefix. */
static const char *numbered(const char *l, int *num) {
  const char *p = l;
  while (*p == ' ')
    p++;
  if (*p != '[' || !isdigit((unsigned char)p[1]))
    return NULL;
  *num = atoi(p + 1);
  p++;
  while (isdigit((unsigned char)*p))
    p++;
  if (*p != ']')
    return NULL;
  p++;
  if (*p == ' ')
    p++;
  return p;
}

enum fix_status fmt_changelog_parse(const struct fix_strv *lines, struct hunks *out, struct fix_err *err) {
  char *file = NULL;
  struct hunk *h = NULL;
  int in = 0; /* 0 none, 1 original, 2 fixed */
  int nlog = 0;
  for (size_t i = 0; i < lines->n; i++) {
    const char *l = lines->v[i];
    const char *t = l;
    while (*t == ' ' || *t == '*' || *t == '#')
      t++;
    int a, b;
    if (!strncasecmp(t, "ChangeLog", 9)) {
      const char *at = strchr(t, '@');
      free(file);
      file = at ? clean_path(at + 1) : NULL;
      in = 0;
      h = NULL;
      nlog++;
      continue;
    }
    if (section(t, "OriginalCode", &a, &b)) {
      if (h && !h->repl.n && in == 1)
        return fix_err_set(err, FIX_ERR_PARSE, "block %d: OriginalCode without a FixedCode section", h->block);
      h = hunks_push(out);
      if (!h)
        return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
      h->path = fix_strdup(file);
      h->hint_line = a;
      h->insert_at = b < a ? a : 0;
      h->has_orig = 1;
      in = 1;
      continue;
    }
    if (section(t, "FixedCode", &a, &b)) {
      if (!h || in != 1)
        return fix_err_set(err, FIX_ERR_PARSE, "block %zu: FixedCode without an OriginalCode section before it",
                           out->n + 1);
      in = 2;
      continue;
    }
    if (!strncasecmp(t, "FixDescription", 14)) {
      in = in == 2 ? 0 : in;
      continue;
    }
    if (!in || !h)
      continue;
    int num;
    const char *code = numbered(l, &num);
    if (!code) {
      if (!*t)
        continue; /* a separator */
      code = l;   /* the model dropped the numbers */
    } else if (in == 1 && h->orig.n == 0) {
      h->hint_line = num; /* the numbers beat the header */
    }
    if (fix_strv_push(in == 1 ? &h->orig : &h->repl, code))
      return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  free(file);
  if (h && in == 1)
    return fix_err_set(err, FIX_ERR_PARSE, "block %d: OriginalCode without a FixedCode section", h->block);
  for (size_t i = 0; i < out->n; i++)
    if (!out->v[i].path)
      return fix_err_set(err, FIX_ERR_PARSE, "block %d: no 'ChangeLog:N@file' line names the file to edit",
                         out->v[i].block);
  if (!out->n && nlog)
    return fix_err_set(err, FIX_ERR_PARSE, "the ChangeLog has no OriginalCode/FixedCode sections");
  return FIX_OK;
}
