/* edit.c — byte-range edits and their application to one file's text.
 *
 * Overlap rules follow rustfix: an edit identical to one already taken is dropped (two
 * diagnostics often carry the same fix-it); any other overlap rejects the whole set, since applying
 * both would corrupt the text. Two insertions at the same point are kept in the given order. */
#include "fix/patch.h"

#include <stdlib.h>
#include <string.h>

void fix_edit_list_free(struct fix_edit_list *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].file);
    free(l->v[i].text);
  }
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

enum fix_status fix_edit_list_push(struct fix_edit_list *l, const char *file, size_t start, size_t end,
                                   const char *text) {
  struct fix_edit *v = realloc(l->v, (l->n + 1) * sizeof *v);
  if (!v)
    return FIX_ERR_NOMEM;
  l->v = v;
  struct fix_edit *e = &v[l->n];
  e->file = fix_strdup(file);
  e->text = fix_strdup(text);
  e->start = start;
  e->end = end;
  if (!e->file || !e->text) {
    free(e->file);
    free(e->text);
    return FIX_ERR_NOMEM;
  }
  l->n++;
  return FIX_OK;
}

static int cmp_edit(const void *a, const void *b) {
  const struct fix_edit *x = *(const struct fix_edit *const *)a, *y = *(const struct fix_edit *const *)b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x < y ? -1 : x > y; /* stable */
}

enum fix_status fix_edits_apply_text(const char *text, size_t len, const struct fix_edit *edits, size_t n,
                                     struct fix_buf *out, struct fix_err *err) {
  fix_buf_init(out, 0);
  const struct fix_edit **s = malloc((n ? n : 1) * sizeof *s);
  if (!s)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    s[i] = &edits[i];
  qsort(s, n, sizeof *s, cmp_edit);
  enum fix_status st = fix_buf_append(out, "", 0);
  size_t pos = 0;
  const struct fix_edit *prev = NULL;
  for (size_t i = 0; i < n && !st; i++) {
    const struct fix_edit *e = s[i];
    if (e->start > e->end || e->end > len) {
      st = fix_err_set(err, FIX_ERR_CONFLICT, "edit range %zu-%zu is outside %s (%zu bytes)", e->start, e->end,
                       e->file, len);
      break;
    }
    if (prev && e->start == prev->start && e->end == prev->end && !strcmp(e->text, prev->text))
      continue; /* identical duplicate */
    if (e->start < pos || (prev && e->start == prev->start && e->start != e->end && prev->start != prev->end)) {
      st = fix_err_set(err, FIX_ERR_CONFLICT, "overlapping edits at byte %zu of %s", e->start, e->file);
      break;
    }
    st = fix_buf_append(out, text + pos, e->start - pos);
    if (!st)
      st = fix_buf_puts(out, e->text);
    pos = e->end;
    prev = e;
  }
  if (!st)
    st = fix_buf_append(out, text + pos, len - pos);
  free(s);
  if (st) {
    fix_buf_free(out);
    if (st == FIX_ERR_NOMEM)
      fix_err_set(err, st, "out of memory");
  }
  return st;
}

enum fix_status fix_edits_apply_files(const struct fix_edit_list *edits, fix_text_lookup lookup, void *ud,
                                      struct fix_strv *paths, struct fix_buf **texts, struct fix_err *err) {
  *texts = NULL;
  for (size_t i = 0; i < edits->n; i++)
    if (!fix_strv_contains(paths, edits->v[i].file) && fix_strv_push(paths, edits->v[i].file))
      goto nomem;
  *texts = calloc(paths->n ? paths->n : 1, sizeof **texts);
  struct fix_edit *sub = calloc(edits->n ? edits->n : 1, sizeof *sub);
  if (!*texts || !sub) {
    free(sub);
    goto nomem;
  }
  enum fix_status st = FIX_OK;
  size_t done = 0;
  for (; done < paths->n && !st; done++) {
    size_t m = 0;
    for (size_t i = 0; i < edits->n; i++)
      if (!strcmp(edits->v[i].file, paths->v[done]))
        sub[m++] = edits->v[i];
    const char *data;
    size_t len;
    st = lookup(ud, paths->v[done], &data, &len);
    if (st)
      fix_err_set(err, st, "cannot read %s", paths->v[done]);
    else
      st = fix_edits_apply_text(data, len, sub, m, &(*texts)[done], err);
  }
  free(sub);
  if (!st)
    return FIX_OK;
  for (size_t k = 0; k < paths->n; k++)
    fix_buf_free(&(*texts)[k]);
  free(*texts);
  *texts = NULL;
  fix_strv_free(paths);
  return st;
nomem:
  free(*texts);
  *texts = NULL;
  fix_strv_free(paths);
  return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
}
