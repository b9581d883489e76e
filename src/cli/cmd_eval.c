/* cmd_eval.c — `fix eval`: run a corpus (or a shard of it) and summarise; `--merge` joins shard
 * results. */
#include "cli.h"

#include "fix/eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char eval_usage[] =
    "usage: fix eval [CORPUS] [--backend NAME ...] [--filter F] [-j N] [--shard I/N] [--out FILE]\n"
    "                [--report FILE.html] [--timeout S] [--baseline cargo-fix] [--oracle] [--cold]\n"
    "       fix eval --merge A.json B.json ... [--out FILE] [--report FILE.html]\n"
    "       fix eval --compare A.json B.json [--report FILE.html]\n"
    "       fix eval [CORPUS] --validate [--filter F] [-j N]   check the cases themselves\n"
    "       fix eval mutate [--seed N] [--cases N] [--classes A,B] [--keep DIR] -- BUILD   a benchmark\n"
    "                       of this tree: seeded mistakes, repaired and scored (fix eval mutate --help)\n"
    "\n"
    "Runs every case of CORPUS (default ./corpus) in its own temporary copy: fix repairs it, then the\n"
    "build, the case's behaviour check and a comparison with the reference decide. A case counts as\n"
    "repaired when the build passes, the check passes, and nothing the reference defines has\n"
    "disappeared. Prints tables by language, category and error code; the last line is\n"
    "'eval: P/N repaired (X%)'.\n"
    "\n"
    "  --filter F       cases whose id contains F, or key=value (language, category, difficulty,\n"
    "                   error, fixits_only); comma-separated alternatives\n"
    "  -j N             cases at once (default: the number of CPUs)\n"
    "  --shard I/N      only the I-th of N interleaved parts (a job array); join with --merge\n"
    "  --out FILE       results as JSON\n"
    "  --report FILE    an HTML report (one file, charts inline); with --compare, A and B side by side\n"
    "  --timeout S      give up on one case's repair after S seconds (default 600)\n"
    "  --baseline cargo-fix   run `cargo fix --broken-code` instead of fix (Rust cases)\n"
    "  --oracle         every model call answered with the case's known-good edit (fixed/ as\n"
    "                   search/replace blocks): measures everything but the model\n"
    "  --cold           build each mutation case from a fresh copy (default: a worker keeps the\n"
    "                   project built and writes each case's file over it, as a developer edits)\n"
    "  setting options (--backend, --model, --replay, --candidates ...) are passed to fix\n";

struct eval_ui {
  int tty;
};

static void progress(void *ud, const struct fix_case_result *r, size_t done, size_t total) {
  struct eval_ui *ui = ud;
  const char *verdict = r->repaired ? "repaired" : r->error ? r->error : !r->build_passed ? "build fails"
                                                 : !r->check_passed                      ? "check fails"
                                                                                          : "deleted code";
  if (ui->tty)
    fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s (%.1f s)", done, total, r->id, verdict, r->total_s);
  else
    fprintf(stderr, "[%zu/%zu] %s: %s (%.1f s)\n", done, total, r->id, verdict, r->total_s);
  if (ui->tty && done == total)
    fputc('\n', stderr);
}

static int write_text(struct cli *c, const char *path, char *text) {
  struct fix_err err;
  int rc = 0;
  if (!text || fix_file_write_atomic(path, text, strlen(text), &err) != FIX_OK) {
    cli_say(c, "error: cannot write %s: %s", path, text ? err.msg : "out of memory");
    rc = -1;
  }
  free(text);
  return rc;
}

/* --out and --report of a run (or of merged shards); -1 when one cannot be written */
static int write_outputs(struct cli *c, const char *out, const char *report, const struct fix_eval_results *r) {
  int rc = out ? write_text(c, out, fix_eval_to_json(r)) : 0;
  if (report) {
    struct fix_buf h;
    fix_buf_init(&h, 0);
    fix_eval_report(r, NULL, &h);
    rc |= write_text(c, report, fix_buf_take(&h));
  }
  return rc;
}

static int load_results(struct cli *c, const char *path, struct fix_eval_results *r) {
  struct fix_buf b;
  struct fix_err err;
  memset(r, 0, sizeof *r);
  enum fix_status st = fix_file_read(path, FIX_EVAL_RESULTS_MAX, &b, &err);
  if (!st) {
    st = fix_eval_from_json(b.data, b.len, path, r, &err);
    fix_buf_free(&b);
  }
  if (st)
    cli_say(c, "error: %s", err.msg);
  return st ? -1 : 0;
}

static int compare(struct cli *c, char **files, int nfiles, const char *report) {
  if (nfiles != 2) {
    cli_say(c, "error: --compare takes two result files (A and B), got %d", nfiles);
    return EXIT_USAGE;
  }
  struct fix_eval_results a, b;
  if (load_results(c, files[0], &a))
    return EXIT_USAGE;
  if (load_results(c, files[1], &b)) {
    fix_eval_results_free(&a);
    return EXIT_USAGE;
  }
  struct fix_buf s;
  fix_buf_init(&s, 0);
  fix_eval_compare(&a, &b, &s);
  fputs(s.data, stdout);
  fix_buf_free(&s);
  int rc = EXIT_PASS;
  if (report) {
    fix_buf_init(&s, 0);
    fix_eval_report(&a, &b, &s);
    rc = write_text(c, report, fix_buf_take(&s)) ? EXIT_USAGE : EXIT_PASS;
  }
  fix_eval_results_free(&a);
  fix_eval_results_free(&b);
  return rc;
}

static int merge(struct cli *c, char **files, int nfiles, const char *out, const char *report) {
  struct fix_eval_results all = {0};
  for (int i = 0; i < nfiles; i++) {
    struct fix_err err;
    struct fix_eval_results one;
    if (load_results(c, files[i], &one)) {
      fix_eval_results_free(&all);
      return EXIT_USAGE;
    }
    enum fix_status st = fix_eval_merge(&all, &one, &err);
    fix_eval_results_free(&one);
    if (st) {
      cli_say(c, "error: %s", err.msg);
      fix_eval_results_free(&all);
      return EXIT_USAGE;
    }
  }
  int rc = write_outputs(c, out, report, &all) ? EXIT_USAGE : EXIT_PASS;
  struct fix_buf s;
  fix_buf_init(&s, 0);
  fix_eval_summary(&all, &s);
  fputs(s.data, stdout);
  fix_buf_free(&s);
  fix_eval_results_free(&all);
  return rc;
}

/* --validate: every selected case is what its case.json says. */
static int validate_cases(struct cli *c, const struct fix_corpus *cp, const size_t *pick, size_t n, int jobs) {
  char **why;
  if (fix_eval_validate(cp, pick, n, jobs, &why) == FIX_ERR_NOMEM) {
    cli_say(c, "error: out of memory");
    return EXIT_USAGE;
  }
  size_t bad = 0, done = 0;
  for (size_t i = 0; i < n; i++) {
    if (why[i] && why[i][0]) {
      printf("invalid: %s: %s\n", cp->v[pick[i]].id, why[i]);
      bad++;
    }
    done += why[i] != NULL;
    free(why[i]);
  }
  free(why);
  printf("validate: %zu of %zu cases are valid%s\n", done - bad, n, done < n ? " (interrupted)" : "");
  return bad || done < n ? EXIT_FAIL : EXIT_PASS;
}

int cmd_eval(struct cli *c, int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "mutate"))
    return cmd_eval_mutate(c, argc - 1, argv + 1);
  const char *corpus = NULL, *filter = NULL, *out = NULL, *baseline = NULL, *report = NULL;
  int oracle = 0, cold = 0;
  int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), shard_i = 1, shard_n = 1, do_merge = 0, do_compare = 0, validate = 0;
  double timeout = 600;
  struct fix_strv fix_args = {0}, merge_files = {0};
  struct cli_kv kvs[CLI_MAX_SETTINGS];
  size_t nkv = 0;
  int rc = EXIT_USAGE;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int start = i;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(eval_usage, stdout);
      rc = EXIT_PASS;
      goto done;
    } else if (!strcmp(a, "--merge")) {
      do_merge = 1;
    } else if (!strcmp(a, "--compare")) {
      do_compare = 1;
    } else if (!strcmp(a, "--report") && i + 1 < argc) {
      report = argv[++i];
    } else if (!strcmp(a, "--validate")) {
      validate = 1;
    } else if (!strcmp(a, "--filter") && i + 1 < argc) {
      filter = argv[++i];
    } else if ((!strcmp(a, "-j") && i + 1 < argc) || (!strncmp(a, "-j", 2) && a[2])) {
      if (cli_int(c, "-j", a[2] ? a + 2 : argv[++i], 1, 256, &jobs))
        goto done;
    } else if (!strcmp(a, "--shard") && i + 1 < argc) {
      if (sscanf(argv[++i], "%d/%d", &shard_i, &shard_n) != 2 || shard_n < 1 || shard_i < 1 || shard_i > shard_n) {
        cli_say(c, "error: --shard takes I/N with 1 <= I <= N (got '%s')", argv[i]);
        goto done;
      }
    } else if (!strcmp(a, "--out") && i + 1 < argc) {
      out = argv[++i];
    } else if (!strcmp(a, "--timeout") && i + 1 < argc) {
      if (cli_double(c, "--timeout", argv[++i], 0, 1e7, &timeout))
        goto done;
    } else if (!strcmp(a, "--oracle")) {
      oracle = 1;
    } else if (!strcmp(a, "--cold")) {
      cold = 1;
    } else if (!strcmp(a, "--baseline") && i + 1 < argc) {
      baseline = argv[++i];
      if (strcmp(baseline, "cargo-fix") != 0) {
        cli_say(c, "error: the only baseline is cargo-fix");
        goto done;
      }
    } else if (a[0] == '-') {
      int k = cli_setting_option(c, argc, argv, &i, kvs, &nkv);
      if (k <= 0) {
        if (k == 0)
          cli_say(c, "error: unknown option '%s' (see fix eval --help)", a);
        goto done;
      }
      for (int t = start; t <= i; t++) /* passed to fix as given */
        fix_strv_push(&fix_args, argv[t]);
    } else if (do_merge || do_compare) {
      fix_strv_push(&merge_files, a);
    } else if (!corpus) {
      corpus = a;
    } else {
      cli_say(c, "error: one corpus at a time ('%s' and '%s')", corpus, a);
      goto done;
    }
  }
  if (do_merge && do_compare) {
    cli_say(c, "error: --merge and --compare are separate commands");
    goto done;
  }
  if (do_compare) {
    rc = compare(c, merge_files.v, (int)merge_files.n, report);
    goto done;
  }
  if (do_merge) {
    if (!merge_files.n) {
      cli_say(c, "error: --merge needs result files");
      goto done;
    }
    rc = merge(c, merge_files.v, (int)merge_files.n, out, report);
    goto done;
  }
  if (jobs < 1)
    jobs = 1;
  cli_log_install(c);
  fix_interrupt_install();
  struct fix_corpus cp;
  struct fix_err err;
  if (fix_corpus_load(corpus ? corpus : "corpus", &cp, &err) != FIX_OK) {
    cli_say(c, "error: %s", err.msg);
    goto done;
  }
  size_t *pick = calloc(cp.n + 1, sizeof *pick), npick = 0, matched = 0;
  for (size_t i = 0; pick && i < cp.n; i++)
    if (fix_case_matches(&cp.v[i], filter) && (int)(matched++ % (size_t)shard_n) == shard_i - 1)
      pick[npick++] = i;
  if (validate) {
    rc = validate_cases(c, &cp, pick, npick, jobs);
    free(pick);
    fix_corpus_free(&cp);
    goto done;
  }
  char self[4096];
  ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
  self[sl > 0 ? sl : 0] = '\0';
  struct eval_ui ui = {isatty(2)};
  struct fix_eval_opts o = {sl > 0 ? self : "fix", (const char *const *)fix_args.v, baseline, jobs, timeout, progress, &ui,
                            oracle, cold};
  if (!fix_args.v)
    o.fix_args = NULL;
  cli_say(c, "eval: %zu case%s%s%s, %d at once", npick, npick == 1 ? "" : "s", shard_n > 1 ? " in this shard" : "",
          filter ? " matching the filter" : "", jobs);
  struct fix_eval_results res;
  enum fix_status st = fix_eval_run(&cp, pick, npick, &o, &res, &err);
  if (st && st != FIX_ERR_INTERRUPTED) {
    cli_say(c, "error: %s", err.msg);
  } else {
    if (st)
      cli_say(c, "%s", err.msg);
    rc = write_outputs(c, out, report, &res) ? EXIT_USAGE : st ? EXIT_INTERRUPTED : EXIT_PASS;
    struct fix_buf s;
    fix_buf_init(&s, 0);
    fix_eval_summary(&res, &s);
    fputs(s.data, stdout);
    fix_buf_free(&s);
  }
  fix_eval_results_free(&res);
  free(pick);
  fix_corpus_free(&cp);
done:
  fix_strv_free(&fix_args);
  fix_strv_free(&merge_files);
  return rc;
}
