/* oracle.c — a case's known-good edit as a model's reply (fix/eval.h): every source file that
 * differs between broken/ and fixed/, each run of changed lines a SEARCH/REPLACE block (fix's
 * default edit format) with as many lines of context as make it occur once in the file. `fix eval
 * --oracle` answers every model call with it: a figure for everything but the model (the prompt's
 * context, the edit's parsing and application, the checks, the ranking, the safety rules). */
#include "fix/eval.h"
#include "fix/patch.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int source_file(const char *name) {
  static const char *const exts[] = {".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".rs", NULL};
  for (size_t i = 0; exts[i]; i++)
    if (fix_str_ends(name, exts[i]))
      return 1;
  return 0;
}

/* How many times t[a, b) occurs in t (stops at 2). */
static int occurrences(const char *t, size_t n, size_t a, size_t b) {
  size_t k = b - a;
  int c = 0;
  for (const char *p = t; k && c < 2 && (p = memmem(p, n - (size_t)(p - t), t + a, k)); p++)
    c++;
  return c;
}

static size_t line_before(const char *t, size_t p) { /* start of the line before the one at p */
  if (!p)
    return 0;
  p--;
  while (p && t[p - 1] != '\n')
    p--;
  return p;
}

static size_t line_after(const char *t, size_t n, size_t p) { /* end of the line at p */
  while (p < n && t[p] != '\n')
    p++;
  return p < n ? p + 1 : n;
}

/* The blocks turning broken text `a` into fixed text `b`, for `rel`, appended to out. */
static void blocks(const char *rel, const char *a, size_t an, const char *b, size_t bn, struct fix_buf *out) {
  struct fix_edit_list el = {0};
  if (fix_diff_regions(rel, a, an, b, bn, &el) != FIX_OK)
    return;
  for (size_t i = 0; i < el.n;) {
    /* one region, or several whose context would touch: [s, e) of a, the edits in it */
    size_t first = i, last = i, s = el.v[i].start, e = el.v[i].end;
    for (;;) {
      while (s == e || occurrences(a, an, s, e) != 1) {
        size_t ns = line_before(a, s), ne = line_after(a, an, e);
        if (ns == s && ne == e)
          break; /* the whole file */
        s = ns, e = ne;
      }
      if (last + 1 < el.n && el.v[last + 1].start <= e) { /* the next region is inside: take it too */
        last++;
        if (el.v[last].end > e)
          e = el.v[last].end;
        continue;
      }
      break;
    }
    fix_buf_printf(out, "%s\n<<<<<<< SEARCH\n", rel);
    fix_buf_append(out, a + s, e - s);
    if (e > s && a[e - 1] != '\n')
      fix_buf_puts(out, "\n");
    fix_buf_puts(out, "=======\n");
    size_t at = s;
    struct fix_buf rep;
    fix_buf_init(&rep, 0);
    for (size_t k = first; k <= last; k++) {
      fix_buf_append(&rep, a + at, el.v[k].start - at);
      fix_buf_puts(&rep, el.v[k].text ? el.v[k].text : "");
      at = el.v[k].end;
    }
    fix_buf_append(&rep, a + at, e - at);
    if (rep.len) {
      fix_buf_append(out, rep.data, rep.len);
      if (rep.data[rep.len - 1] != '\n')
        fix_buf_puts(out, "\n");
    }
    fix_buf_free(&rep);
    fix_buf_puts(out, ">>>>>>> REPLACE\n\n");
    i = last + 1;
  }
  fix_edit_list_free(&el);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk(const char *broken, const char *fixed, const char *rel, int depth, struct fix_buf *out) {
  char *dir = *rel ? fix_path_join(fixed, rel) : fix_strdup(fixed);
  DIR *d = dir && depth < 16 ? opendir(dir) : NULL;
  if (!d) {
    free(dir);
    return;
  }
  struct fix_strv names = {0};
  for (struct dirent *e; (e = readdir(d));)
    if (e->d_name[0] != '.' && strcmp(e->d_name, "target"))
      fix_strv_push(&names, e->d_name);
  closedir(d);
  if (names.n)
    qsort(names.v, names.n, sizeof *names.v, by_name);
  for (size_t i = 0; i < names.n; i++) {
    char *r = *rel ? fix_asprintf("%s/%s", rel, names.v[i]) : fix_strdup(names.v[i]);
    char *f = r ? fix_path_join(fixed, r) : NULL, *bk = r ? fix_path_join(broken, r) : NULL;
    if (f && fix_dir_exists(f)) {
      walk(broken, fixed, r, depth + 1, out);
    } else if (f && bk && source_file(r)) {
      struct fix_buf a, b;
      if (fix_file_read(bk, 4u << 20, &a, NULL) == FIX_OK) {
        if (fix_file_read(f, 4u << 20, &b, NULL) == FIX_OK) {
          if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
            blocks(r, a.data ? a.data : "", a.len, b.data ? b.data : "", b.len, out);
          fix_buf_free(&b);
        }
        fix_buf_free(&a);
      }
    }
    free(r), free(f), free(bk);
  }
  fix_strv_free(&names);
  free(dir);
}

char *fix_eval_oracle_reply(const char *case_dir) {
  char *broken = fix_path_join(case_dir, "broken"), *fixed = fix_path_join(case_dir, "fixed");
  struct fix_buf out;
  fix_buf_init(&out, 0);
  if (broken && fixed)
    walk(broken, fixed, "", 0, &out);
  free(broken);
  free(fixed);
  char *r = out.len ? fix_buf_take(&out) : NULL;
  fix_buf_free(&out);
  return r;
}
