/* bench_loop.c — what one repair-loop step costs on a 24-translation-unit C project:
 *   - checking a candidate with the fast check (the TU alone, -fsyntax-only, in the shadow)
 *     against a full rebuild of the project (make -B), which a naive loop would run;
 *   - a whole session of one model step (replay backend, fix-its off, so no model time), split into build,
 *     check, model and fix's own time (everything else: parsing, context, prompt, patching,
 *     journalling), from the --json summary.
 *   - what judging a candidate beyond compiling costs (issue: trustworthy repairs): the check with
 *     the wrong-code warnings enabled against the plain one, and the tree-sitter item comparison of
 *     the edited file before and after (a parsed base per file, an incremental parse per candidate);
 *     and the session's own figure for its judgements (veto_seconds in the summary).
 * Medians of 5 runs. Usage: bench_loop [path/to/fix] */
#include "fix/build.h"
#include "fix/context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTU 24
#define RUNS 5

/* a setup step that must work */
static void must(enum fix_status st) {
  if (st) {
    fprintf(stderr, "bench: setup failed: %s\n", fix_status_str(st));
    exit(1);
  }
}

static char *dir;

/* RUNS fast checks of cmd's unit with `file` (text) put in the shadow: their times into out. */
static void time_checks(struct fix_shadow *sh, const struct fix_compile_cmd *cmd, const char *file,
                        const struct fix_buf *text, double *out) {
  for (int r = 0; r < RUNS; r++) {
    double t0 = fix_now();
    must(fix_shadow_put(sh, file, text->data, text->len, NULL));
    struct fix_diag_list l;
    fix_diag_list_init(&l);
    must(fix_check_tu(sh, cmd, 60, &l, NULL));
    must(fix_shadow_reset(sh, file, NULL));
    out[r] = fix_now() - t0;
    fix_diag_list_free(&l);
  }
}

static void put(const char *rel, const char *text) {
  char *p = fix_path_join(dir, rel);
  char *d = fix_path_dirname(p);
  must(fix_mkdirs(d, NULL));
  must(fix_file_write_atomic(p, text, strlen(text), NULL));
  free(d);
  free(p);
}

static int run(const char *cmd) {
  char *full = fix_asprintf("cd '%s' && %s >/dev/null 2>&1", dir, cmd);
  int rc = system(full);
  free(full);
  return rc;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v) {
  qsort(v, RUNS, sizeof *v, cmp);
  return v[RUNS / 2];
}

static void generate(void) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_puts(&b, "#ifndef COMMON_H\n#define COMMON_H\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                   "struct rec { int id; double v; char name[32]; };\n");
  for (int i = 0; i < NTU; i++)
    fix_buf_printf(&b, "double unit%d(const struct rec *r, int n);\n", i);
  fix_buf_puts(&b, "#endif\n");
  put("include/common.h", b.data);
  fix_buf_clear(&b);
  fix_buf_puts(&b, "CFLAGS = -O2 -Wall -Iinclude\nOBJ =");
  for (int i = 0; i < NTU; i++)
    fix_buf_printf(&b, " src/u%d.o", i);
  fix_buf_puts(&b, " src/main.o\napp: $(OBJ)\n\t$(CC) -o $@ $(OBJ) -lm\n$(OBJ): include/common.h\n");
  put("Makefile", b.data);
  for (int i = 0; i < NTU; i++) {
    fix_buf_clear(&b);
    fix_buf_printf(&b, "#include \"common.h\"\n#include <math.h>\n\n");
    for (int k = 0; k < 30; k++)
      fix_buf_printf(&b, "static double helper%d(const struct rec *r, int n) {\n  double acc = 0;\n"
                         "  for (int i = 0; i < n; i++)\n    acc += sqrt(fabs(r[i].v * %d.0)) + strlen(r[i].name);\n"
                         "  return acc;\n}\n\n", k, k + 1);
    fix_buf_printf(&b, "double unit%d(const struct rec *r, int n) {\n  double s = 0;\n", i);
    for (int k = 0; k < 30; k++)
      fix_buf_printf(&b, "  s += helper%d(r, n);\n", k);
    fix_buf_puts(&b, "  return s;\n}\n");
    char name[32];
    snprintf(name, sizeof name, "src/u%d.c", i);
    put(name, b.data);
  }
  fix_buf_clear(&b);
  fix_buf_puts(&b, "#include \"common.h\"\nint main(void) {\n  struct rec r[2] = {{1, 2.0, \"a\"}, {2, 3.0, \"b\"}};\n"
                   "  double t = 0;\n");
  for (int i = 0; i < NTU; i++)
    fix_buf_printf(&b, "  t += unit%d(r, 2);\n", i);
  fix_buf_puts(&b, "  printf(\"%f\\n\", t);\n  return 0;\n}\n");
  put("src/main.c", b.data);
  fix_buf_free(&b);
}

int main(int argc, char **argv) {
  char real[4096], fixbuf[4096];
  const char *fix = realpath(argc > 1 ? argv[1] : "./fix", fixbuf) ? fixbuf : "fix";
  char *t = fix_mkdtemp("fix-bench-loop");
  if (!t || !realpath(t, real))
    return 1;
  free(t);
  dir = fix_strdup(real);
  generate();
  if (run("git init -q . && git add -A && git -c user.email=b@b -c user.name=b commit -qm gen && make") != 0) {
    fprintf(stderr, "bench_loop: the generated project does not build (needs make, cc, git)\n");
    return 1;
  }
  printf("fix repair-loop step, %d translation units of ~%d lines, median of %d runs\n", NTU + 1, 30 * 6 + 35, RUNS);

  /* the full rebuild a naive loop would run per candidate */
  double full[RUNS];
  for (int r = 0; r < RUNS; r++) {
    double t0 = fix_now();
    run("make -B");
    full[r] = fix_now() - t0;
  }
  /* the fast check of one TU with a candidate in the shadow */
  struct fix_compdb db = {0};
  char *mainc = fix_path_join(dir, "src/u7.c");
  struct fix_compile_cmd cmd = {0};
  cmd.dir = fix_strdup(dir);
  cmd.file = fix_strdup(mainc);
  const char *args[] = {"cc", "-O2", "-Wall", "-Iinclude", "-c", "src/u7.c", "-o", "src/u7.o"};
  for (size_t i = 0; i < sizeof args / sizeof *args; i++)
    fix_strv_push(&cmd.args, args[i]);
  struct fix_shadow *sh;
  double shadow_t0 = fix_now();
  if (fix_shadow_new(dir, &sh, NULL) != FIX_OK)
    return 1;
  double shadow_s = fix_now() - shadow_t0;
  struct fix_buf text;
  must(fix_file_read(mainc, 1 << 20, &text, NULL));
  double fast[RUNS];
  time_checks(sh, &cmd, mainc, &text, fast);
  /* the same check with the wrong-code warnings (a repair session's shadows) */
  fix_shadow_set_strict(sh, 1);
  double strict[RUNS];
  time_checks(sh, &cmd, mainc, &text, strict);
  fix_shadow_free(sh);
  /* the item comparison: the file parsed once, then each candidate (a one-line edit) */
  struct fix_items_base *base = NULL;
  double base_t0 = fix_now();
  must(fix_items_base_new(FIX_LANG_C, text.data, text.len, &base, NULL));
  double base_s = fix_now() - base_t0;
  char *edited = fix_strdup(text.data);
  char *semi = strstr(edited, "return s;");
  if (semi)
    semi[8] = ' '; /* "return s " : the broken line a candidate repairs */
  double items[RUNS];
  for (int r = 0; r < RUNS; r++) {
    double t0 = fix_now();
    for (int k = 0; k < 10; k++) {
      struct fix_items after = {0};
      struct fix_strv said = {0};
      must(fix_items_base_edit(base, edited, strlen(edited), &after, NULL));
      fix_items_destroyed(fix_items_base_items(base), &after, NULL, &said);
      fix_strv_free(&said);
      fix_items_free(&after);
    }
    items[r] = (fix_now() - t0) / 10;
  }
  fix_items_base_free(base);
  free(edited);
  double f = median(full), c = median(fast), cst = median(strict), it = median(items);
  printf("%-44s %8.1f ms\n", "full rebuild (make -B), per candidate", f * 1e3);
  printf("%-44s %8.1f ms  (%.0fx faster)\n", "fast check of the edited TU, per candidate", c * 1e3, f / c);
  printf("%-44s %8.1f ms  (%+.1f%% of the plain check)\n", "  with the wrong-code warnings enabled", cst * 1e3,
         (cst - c) / c * 100);
  printf("%-44s %8.2f ms  (%.1f%% of a check; the file's base: %.1f ms once)\n",
         "item comparison (tree-sitter), per candidate", it * 1e3, it / c * 100, base_s * 1e3);
  printf("%-44s %8.1f ms  (once per session)\n", "shadow tree of the project", shadow_s * 1e3);

  /* a whole one-step session, replay backend: where the time goes */
  const char *reply = "{\"replies\": [\"src/u7.c\\n<<<<<<< SEARCH\\n  return s\\n=======\\n  return s;\\n>>>>>>> REPLACE\\n\"]}";
  put("replay.json", reply);
  double total[RUNS], build[RUNS], check[RUNS], own[RUNS], veto[RUNS];
  for (int r = 0; r < RUNS; r++) {
    run("git checkout -q -- src/u7.c && sed -i 's/  return s;/  return s/' src/u7.c && git commit -qam broken && make");
    char *cmdline = fix_asprintf("cd '%s' && XDG_STATE_HOME='%s/.state' '%s' --json --no-fixits --candidates 1 --replay replay.json -- make "
                                 "2>/dev/null | tail -1",
                                 dir, dir, fix);
    FILE *p = popen(cmdline, "r");
    char line[4096] = "";
    if (p) {
      if (!fgets(line, sizeof line, p))
        line[0] = '\0';
      pclose(p);
    }
    free(cmdline);
    double tt = 0, bs = 0, cs = 0, ms = 0;
    const char *x;
    if ((x = strstr(line, "\"total_seconds\":")))
      tt = atof(x + 16);
    if ((x = strstr(line, "\"build_seconds\":")))
      bs = atof(x + 16);
    if ((x = strstr(line, "\"check_seconds\":")))
      cs = atof(x + 16);
    if ((x = strstr(line, "\"model_seconds\":")))
      ms = atof(x + 16);
    veto[r] = (x = strstr(line, "\"veto_seconds\":")) ? atof(x + 15) : 0;
    if (!strstr(line, "\"exit_code\":0")) {
      fprintf(stderr, "bench_loop: the session did not pass in %s: %s\n", dir, line);
      exit(1);
    }
    total[r] = tt, build[r] = bs, check[r] = cs, own[r] = tt - bs - cs - ms;
    run("git reset -q --hard HEAD~1");
  }
  printf("one-step session (2 builds, replay model): total %.0f ms = builds %.0f + checks %.0f + fix's own %.1f ms\n",
         median(total) * 1e3, median(build) * 1e3, median(check) * 1e3, median(own) * 1e3);
  printf("  of the checks, judging the candidate beyond compiling (warnings by identity, items): %.2f ms\n",
         median(veto) * 1e3);
  fix_buf_free(&text);
  fix_compile_cmd_free(&cmd);
  fix_compdb_free(&db);
  free(mainc);
  fix_rmtree(dir);
  free(dir);
  return 0;
}
