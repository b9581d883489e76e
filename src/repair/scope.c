/* scope.c — what a session may act on: the files it may edit (not dirty, not read-only, inside
 * --only) and the diagnostics it takes on (--select / --ignore). A file fix may not edit is skipped
 * with one notice and its errors are left alone, instead of ending the session. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* "-Werror=implicit-int", "-Wimplicit-int", "implicit-int" are one flag; rustc's codes and lints
 * as they are. */
static const char *flag_name(const char *c) {
  if (!strncmp(c, "-Werror=", 8))
    return c + 8;
  if (!strncmp(c, "-W", 2))
    return c + 2;
  return c;
}

/* An entry of a comma-separated list matches `code`: the same name, or an error-code prefix (E05
 * matches E0502, like ruff's rule prefixes). */
static int list_matches(const char *list, const char *code) {
  if (!list || !code)
    return 0;
  const char *name = flag_name(code);
  for (const char *p = list; *p;) {
    while (*p == ',' || *p == ' ')
      p++;
    const char *e = p;
    while (*e && *e != ',' && *e != ' ')
      e++;
    if (e > p) {
      char *entry = fix_strndup(p, (size_t)(e - p));
      const char *en = entry ? flag_name(entry) : "";
      size_t n = strlen(en);
      int upper = n > 0;
      for (size_t i = 0; i < n; i++)
        upper &= (en[i] >= 'A' && en[i] <= 'Z') || (en[i] >= '0' && en[i] <= '9');
      int hit = !strcmp(en, name) || (upper && !strncmp(en, name, n));
      free(entry);
      if (hit)
        return 1;
    }
    p = e;
  }
  return 0;
}

static int under_only(const struct fix_options *o, const char *path) {
  if (!o->only)
    return 1;
  for (const char *p = o->only; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n && !strncmp(path, p, n) && (path[n] == '\0' || path[n] == '/' || p[n - 1] == '/'))
      return 1;
    p += n + (e ? 1 : 0);
  }
  return 0;
}

int session_may_edit(struct session *s, const char *path) {
  if (!path || fix_strv_contains(&s->editable, path))
    return 1;
  if (fix_strv_contains(&s->skipped, path))
    return 0;
  char *inside = s->vcs.root ? fix_path_relative(s->vcs.root, path) : NULL;
  free(inside);
  if (!inside)
    return 0; /* outside the project (a system header): never fix's to edit, nothing to say */
  struct fix_err e = {0};
  enum fix_status st = FIX_OK;
  if (!under_only(s->o, path))
    st = fix_err_set(&e, FIX_ERR_REFUSED, "outside --only");
  else if (s->scope_files.n && !fix_strv_contains(&s->scope_files, path))
    st = fix_err_set(&e, FIX_ERR_REFUSED, "outside the chosen error"); /* not open, not named by it */
  else if (s->ws)
    st = fix_workspace_editable(s->ws, path, &e);
  if (!st) {
    fix_strv_push(&s->editable, path);
    return 1;
  }
  fix_strv_push(&s->skipped, path);
  if (!s->first_refusal.status && (st == FIX_ERR_REFUSED || st == FIX_ERR_DIRTY))
    s->first_refusal = e;
  if ((st == FIX_ERR_REFUSED || st == FIX_ERR_DIRTY) && strncmp(e.msg, "outside ", 8) != 0) {
    char *rel = fix_path_relative(s->vcs.root, path);
    say(s, "skipping %s: %s; its errors are left alone", rel ? rel : path,
        strstr(e.msg, ": ") ? strstr(e.msg, ": ") + 2 : e.msg);
    free(rel);
  }
  return 0;
}

int session_acts_on(struct session *s, const struct fix_diag *d) {
  if (s->scope_id) { /* an editor asked about one error: that one, and what its edits expose */
    char *id = fix_diag_identity(d);
    int in = id && (!strcmp(id, s->scope_id) || fix_strv_contains(&s->group.idents, id));
    free(id);
    if (!in)
      return 0;
  }
  if (s->o->select && !list_matches(s->o->select, d->code))
    return 0;
  if (s->o->ignore && list_matches(s->o->ignore, d->code))
    return 0;
  return !d->pos.file || session_may_edit(s, d->pos.file);
}

size_t session_left_alone(struct session *s, const struct fix_diag_list *cur) {
  size_t n = 0;
  for (size_t i = 0; i < cur->n; i++)
    n += cur->v[i].severity >= FIX_SEV_ERROR && !session_acts_on(s, &cur->v[i]);
  return n;
}
