/* fmt_search_replace.c — aider's SEARCH/REPLACE blocks:
 *
 *   src/main.c
 *   <<<<<<< SEARCH
 *     int x = 1
 *   =======
 *     int x = 1;
 *   >>>>>>> REPLACE
 *
 * The file name is the nearest non-empty line before the block (or the previous block's file).
 * Lenient: 5 to 9 marker characters, the SEARCH/REPLACE words optional, "File:" and markdown
 * decorations around the name. */
#include "reply.h"

#include <stdlib.h>
#include <string.h>

static int marker(const char *l, char c) {
  while (*l == ' ')
    l++;
  int n = 0;
  while (l[n] == c)
    n++;
  if (n < 5 || n > 9)
    return 0;
  const char *r = l + n;
  while (*r == ' ')
    r++;
  if (c == '<')
    return !*r || !strncasecmp(r, "SEARCH", 6) || !strncasecmp(r, "ORIGINAL", 8);
  if (c == '>')
    return !*r || !strncasecmp(r, "REPLACE", 7) || !strncasecmp(r, "UPDATED", 7);
  return !*r;
}

enum fix_status fmt_search_replace_parse(const struct fix_strv *lines, struct hunks *out, struct fix_err *err) {
  char *file = NULL;
  for (size_t i = 0; i < lines->n; i++) {
    if (!marker(lines->v[i], '<'))
      continue;
    /* the file name: nearest non-empty, non-marker line above */
    for (size_t k = i; k-- > 0;) {
      const char *l = lines->v[k];
      while (*l == ' ')
        l++;
      if (!*l)
        continue;
      if (marker(l, '>') || marker(l, '=') || marker(l, '<'))
        break;
      char *c = clean_path(l);
      if (c && *c && !strchr(c, ' ')) {
        free(file);
        file = c;
      } else {
        free(c);
      }
      break;
    }
    struct hunk *h = hunks_push(out);
    if (!h) {
      free(file);
      return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    }
    h->path = fix_strdup(file);
    h->has_orig = 1;
    size_t j = i + 1;
    while (j < lines->n && !marker(lines->v[j], '='))
      fix_strv_push(&h->orig, lines->v[j++]);
    if (j == lines->n) {
      free(file);
      return fix_err_set(err, FIX_ERR_PARSE, "block %d: missing ======= after the SEARCH section", h->block);
    }
    j++;
    while (j < lines->n && !marker(lines->v[j], '>'))
      fix_strv_push(&h->repl, lines->v[j++]);
    if (j == lines->n) {
      free(file);
      return fix_err_set(err, FIX_ERR_PARSE, "block %d: missing >>>>>>> REPLACE at the end of the block", h->block);
    }
    if (!h->orig.n) {
      free(file);
      return fix_err_set(err, FIX_ERR_PARSE, "block %d: the SEARCH section is empty; quote the lines to replace",
                         h->block);
    }
    if (!h->path) {
      free(file);
      return fix_err_set(err, FIX_ERR_PARSE, "block %d: no file name on the line before <<<<<<< SEARCH", h->block);
    }
    i = j;
  }
  free(file);
  return FIX_OK;
}
