/* bench_diag.c — how fast the diagnostic parsers are, on real compiler output.
 *
 * Builds a 100,000-line log by repeating the golden gcc 12 and clang 14 outputs (plus make's
 * chatter between translation units, as a real build log has), then times:
 *   - the text parser with the compiler known and unknown (sniffed from the output),
 *   - the gcc JSON parser on the same diagnostics in JSON form,
 *   - normalisation (display -> byte columns), which reads the source lines.
 * Prints lines/s and MB/s, the median of 7 runs, and compares with the bar: 100,000
 * lines "in well under a second". */
#include "fix/diag.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append_dir(struct fix_buf *out, const char *dir, const char *ext, size_t *lines, size_t want) {
  DIR *d = opendir(dir);
  struct dirent *e;
  struct fix_buf all;
  fix_buf_init(&all, 0);
  fix_buf_append(&all, "", 0);
  while (d && (e = readdir(d))) {
    if (!fix_str_ends(e->d_name, ext))
      continue;
    char *p = fix_path_join(dir, e->d_name);
    struct fix_buf b;
    if (fix_file_read(p, 1 << 22, &b, NULL) == FIX_OK) {
      fix_buf_printf(&all, "make[1]: Entering directory '/proj'\ncc -Wall -c %s\n", e->d_name);
      fix_buf_append(&all, b.data, b.len);
      fix_buf_free(&b);
    }
    free(p);
  }
  if (d)
    closedir(d);
  size_t per = 0;
  for (size_t i = 0; i < all.len; i++)
    per += all.data[i] == '\n';
  while (per && *lines < want) {
    fix_buf_append(out, all.data, all.len);
    *lines += per;
  }
  fix_buf_free(&all);
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef enum fix_status (*parse_fn)(const char *, size_t, enum fix_compiler, struct fix_diag_list *, struct fix_err *);

static enum fix_status json_parse(const char *t, size_t n, enum fix_compiler cc, struct fix_diag_list *l,
                                  struct fix_err *e) {
  return fix_diag_parse_gcc_json(t, n, l, e);
}

static double run(const char *name, parse_fn fn, const struct fix_buf *in, size_t lines, enum fix_compiler cc,
                  const char *normalize_dir) {
  double t[7];
  size_t ndiag = 0;
  for (int r = 0; r < 7; r++) {
    struct fix_diag_list l;
    fix_diag_list_init(&l);
    double t0 = fix_now();
    fn(in->data, in->len, cc, &l, NULL);
    if (normalize_dir)
      fix_diag_list_normalize(&l, normalize_dir);
    t[r] = fix_now() - t0;
    ndiag = l.n;
    fix_diag_list_free(&l);
  }
  qsort(t, 7, sizeof *t, cmp);
  double med = t[3];
  printf("%-34s %8zu lines %7.1f MB %7zu diags  %7.1f ms  %9.0f lines/s  %6.1f MB/s\n", name, lines,
         (double)in->len / 1e6, ndiag, med * 1e3, (double)lines / med, (double)in->len / 1e6 / med);
  return med;
}

int main(void) {
  const char *root = FIX_TEST_DATA "/golden";
  char *gcc = fix_path_join(root, "gcc"), *clang = fix_path_join(root, "clang"), *json = fix_path_join(root, "gcc-json");
  char *src = fix_path_join(root, "src");
  struct fix_buf text, jtext;
  fix_buf_init(&text, 0);
  fix_buf_init(&jtext, 0);
  size_t lines = 0, jlines = 0;
  append_dir(&text, gcc, ".txt", &lines, 50000);
  size_t half = lines;
  append_dir(&text, clang, ".txt", &lines, half + 50000);
  append_dir(&jtext, json, ".json", &jlines, 2000);
  printf("fix diagnostic parsing, median of 7 runs (golden gcc 12 + clang 14 output, repeated)\n");
  double a = run("text, compiler known", fix_diag_parse_text, &text, lines, FIX_CC_GCC, NULL);
  run("text, compiler sniffed", fix_diag_parse_text, &text, lines, FIX_CC_UNKNOWN, NULL);
  run("text + column normalisation", fix_diag_parse_text, &text, lines, FIX_CC_GCC, src);
  run("gcc JSON (one array per line)", json_parse, &jtext, jlines, FIX_CC_GCC, NULL);
  printf("target: 100,000 lines well under 1 s -> %.0f ms for %zu lines (%.0fx under)\n", a * 1e3, lines, 1.0 / a);
  fix_buf_free(&text);
  fix_buf_free(&jtext);
  free(gcc);
  free(clang);
  free(json);
  free(src);
  return 0;
}
