/* cmd_mutate.c — `fix eval mutate`: a benchmark of the tree at hand. Seeded single mistakes are
 * made in a scratch copy (src/eval/mutate.c), those that break the build become a corpus, and `fix
 * eval` runs it twice: with the compilers' fix-its alone (the baseline), then with fix as the
 * options say. */
#include "cli.h"

#include "fix/eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char mutate_usage[] =
    "usage: fix eval mutate [-C DIR] [--seed N] [--cases N] [--classes A,B] [--keep DIR] [--no-baseline]\n"
    "                       [fix eval options] -- BUILD...\n"
    "\n"
    "Makes seeded, realistic single mistakes in a scratch copy of the tree (its build must pass), keeps\n"
    "those that break BUILD, and runs fix on each: built (BUILD passes), non-destructive (every\n"
    "function, type, field and method of every file is still there) and exact (the files equal the\n"
    "original) are scored per class, beside the compilers' own fix-its alone. Nothing outside the\n"
    "scratch directory is written; Ctrl-C removes it.\n"
    "\n"
    "  -C DIR          the tree (default: the current directory)\n"
    "  --seed N        the same seed makes the same cases (default 1)\n"
    "  --cases N       how many breaking mutations (default 60)\n"
    "  --classes A,B   only these classes (fix eval mutate --classes list: every class)\n"
    "  --keep DIR      write the cases to DIR (a corpus `fix eval DIR` runs again) and keep them\n"
    "  --no-baseline   skip the fix-its-alone run\n"
    "  other options (--backend, --oracle, -j, --out, --report, --timeout ...) are fix eval's\n";

static void made_one(void *ud, const char *id, const char *file, int line, const char *error) {
  (void)ud;
  fprintf(stderr, "mutate: %s (%s:%d): %s\n", id, file, line, error);
}

int cmd_eval_mutate(struct cli *c, int argc, char **argv) {
  const char *dir = ".", *keep = NULL, *classes = NULL;
  unsigned long long seed = 1;
  int cases = 60, baseline = 1, rc = EXIT_USAGE;
  struct fix_strv pass = {0}, build = {0};
  char *out = NULL, *root = NULL;
  fix_strv_push(&pass, "eval");
  fix_strv_push(&pass, ""); /* the corpus, below */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(mutate_usage, stdout);
      rc = EXIT_PASS;
      goto done;
    } else if (!strcmp(a, "--")) {
      for (i++; i < argc; i++)
        fix_strv_push(&build, argv[i]);
    } else if (!strcmp(a, "-C") && i + 1 < argc) {
      dir = argv[++i];
    } else if (!strcmp(a, "--seed") && i + 1 < argc) {
      double v;
      if (cli_double(c, "--seed", argv[++i], 0, 1e15, &v))
        goto done;
      seed = (unsigned long long)v;
    } else if (!strcmp(a, "--cases") && i + 1 < argc) {
      if (cli_int(c, "--cases", argv[++i], 1, 100000, &cases))
        goto done;
    } else if (!strcmp(a, "--classes") && i + 1 < argc) {
      classes = argv[++i];
      if (!strcmp(classes, "list")) {
        for (const char *const *k = fix_mutate_classes(); *k; k++)
          printf("%s\n", *k);
        rc = EXIT_PASS;
        goto done;
      }
      for (const char *p = classes; *p;) { /* every name known */
        size_t n = strcspn(p, ",");
        int known = 0;
        for (const char *const *k = fix_mutate_classes(); *k && !known; k++)
          known = strlen(*k) == n && !strncmp(*k, p, n);
        if (!known) {
          cli_say(c, "error: no mutation class '%.*s' (fix eval mutate --classes list)", (int)n, p);
          goto done;
        }
        p += n + (p[n] == ',');
      }
    } else if (!strcmp(a, "--keep") && i + 1 < argc) {
      keep = argv[++i];
    } else if (!strcmp(a, "--no-baseline")) {
      baseline = 0;
    } else {
      fix_strv_push(&pass, a);
    }
  }
  if (!build.n) {
    cli_say(c, "error: fix eval mutate needs the build command after '--' (fix eval mutate -- make)");
    goto done;
  }
  root = realpath(dir, NULL);
  if (!root) {
    cli_say(c, "error: cannot resolve %s", dir);
    goto done;
  }
  if (keep) {
    if (fix_dir_exists(keep)) {
      cli_say(c, "error: %s exists: --keep writes a new corpus directory", keep);
      goto done;
    }
    out = fix_mkdirs(keep, NULL) == FIX_OK ? realpath(keep, NULL) : NULL;
  } else {
    out = fix_mkdtemp("fix-mutate");
  }
  if (!out) {
    cli_say(c, "error: cannot make the corpus directory");
    goto done;
  }
  cli_log_install(c);
  fix_interrupt_install();
  struct fix_mutate_opts mo = {root, (const char *const *)build.v, seed, (size_t)cases, classes, out, 600,
                               made_one, NULL};
  size_t made = 0;
  struct fix_err err;
  enum fix_status st = fix_mutate(&mo, &made, &err);
  if (st) {
    cli_say(c, "error: %s", err.msg);
    rc = st == FIX_ERR_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_USAGE;
    fix_rmtree(out); /* nothing left behind, --keep's half-made corpus included */
    goto done;
  }
  if (!made) {
    cli_say(c, "error: no mutation broke the build ('%s' in a copy of %s): does it build this tree's sources? "
               "(a build directory configured elsewhere still builds the original files)", build.v[0], root);
    fix_rmtree(out);
    goto done;
  }
  cli_say(c, "mutate: %zu cases (seed %llu) in %s", made, seed, out);
  free(pass.v[1]);
  pass.v[1] = fix_strdup(out);
  if (baseline) {
    char *b[] = {"eval", out, "--backend", "none", "--no-repairs", NULL, NULL, NULL};
    int nb = 5;
    for (size_t i = 2; i < pass.n; i++) /* the user's -j for this run too */
      if (!strcmp(pass.v[i], "-j") && i + 1 < pass.n && nb == 5)
        b[nb++] = pass.v[i], b[nb++] = pass.v[i + 1];
      else if (!strncmp(pass.v[i], "-j", 2) && pass.v[i][2] && nb == 5)
        b[nb++] = pass.v[i];
    printf("== the compilers' fix-its alone\n");
    fflush(stdout);
    rc = cmd_eval(c, nb, b);
    printf("\n== fix\n");
    fflush(stdout);
  }
  if (!fix_interrupted())
    rc = cmd_eval(c, (int)pass.n, pass.v);
  if (!keep || fix_interrupted())
    fix_rmtree(out);
done:
  free(out);
  free(root);
  fix_strv_free(&pass);
  fix_strv_free(&build);
  return rc;
}
