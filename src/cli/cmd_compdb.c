/* cmd_compdb.c — `fix compdb -- BUILD`: any build gets a compile_commands.json.
 *
 * The build runs as the user would run it (same directory, output streamed, exit status kept),
 * with interception: every compiler it starts is recorded, and the C and C++ compiles are written
 * in the format clangd and clang-tidy read. --append merges with an existing file (a file
 * compiled again takes the new command), like Bear's --append. The commands are also kept for
 * `fix lsp` (see fix_recorded_compdb_path). */
#include "cli.h"

#include "fix/build.h"
#include "fix/patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: fix compdb [-C DIR] [-o FILE] [--append] [--no-keep-going] -- BUILD-COMMAND [ARGS...]\n"
    "\n"
    "Runs the build, records every compiler it starts and writes compile_commands.json (default: in the\n"
    "build's directory). The build tool's keep-going flag is added (make -k, ninja -k 0, ...) so that a\n"
    "failing file does not hide the others; --no-keep-going runs the command exactly as given.\n";

int cmd_compdb(struct cli *c, int argc, char **argv) {
  const char *out_opt = NULL;
  int append = 0, keep_going = 1, i = 1;
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "--")) {
      i++;
      break;
    }
    if (!strcmp(argv[i], "-C") && i + 1 < argc)
      c->dir = argv[++i];
    else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
      out_opt = argv[++i];
    else if (!strcmp(argv[i], "--append"))
      append = 1;
    else if (!strcmp(argv[i], "--no-keep-going"))
      keep_going = 0;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage, stdout);
      return EXIT_PASS;
    } else {
      cli_say(c, "error: unknown argument '%s'", argv[i]);
      fputs(usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (i >= argc) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  cli_log_install(c);
  char *workdir = cli_workdir(c);
  if (!workdir) {
    cli_say(c, "error: cannot resolve the directory %s", c->dir ? c->dir : ".");
    return EXIT_USAGE;
  }
  /* "-o -": standard output */
  char *out = out_opt ? (!strcmp(out_opt, "-") || out_opt[0] == '/' ? fix_strdup(out_opt) : fix_path_join(workdir, out_opt))
                      : fix_path_join(workdir, "compile_commands.json");
  const char *const *bargv = (const char *const *)(argv + i);
  char *notice = NULL;
  struct fix_intercept *ic = fix_intercept_new(bargv, &notice);
  if (!ic) {
    cli_say(c, "error: %s", notice ? notice : "interception is turned off (FIX_INTERCEPT)");
    free(notice);
    free(out);
    free(workdir);
    return EXIT_USAGE;
  }
  const char *added = NULL;
  char **kg = keep_going ? fix_build_keep_going(bargv, workdir, &added) : NULL;
  if (kg && added)
    cli_say(c, "building with '%s' added, so that every file is compiled (--no-keep-going: as given)", added);
  fix_interrupt_install();
  struct fix_build_opts bo = {kg ? (const char *const *)kg : bargv, workdir, 1, 2, 0, 0, 0, ic, NULL, NULL};
  struct fix_build_result r;
  struct fix_err err = {0};
  enum fix_status st = fix_build_run(&bo, &r, &err);
  int rc = EXIT_USAGE;
  if (st) {
    cli_say(c, "error: %s", err.msg);
  } else if (r.interrupted) {
    cli_say(c, "interrupted; %s not written", out);
    rc = EXIT_INTERRUPTED;
  } else {
    struct fix_compdb db = {0};
    fix_compdb_add_records(&db, &r.records);
    size_t recorded = db.n;
    int to_stdout = !strcmp(out, "-");
    if (append && !to_stdout && fix_file_exists(out)) {
      struct fix_compdb old = {0};
      if (fix_compdb_load(out, &old, &err) != FIX_OK) {
        cli_say(c, "error: --append: %s", err.msg);
        fix_compdb_free(&old);
        fix_compdb_free(&db);
        goto done;
      }
      for (size_t k = 0; k < old.n; k++)
        fix_compdb_add(&db, old.v[k]);
      fix_compdb_free(&old);
    }
    size_t cc = 0;
    for (size_t k = 0; k < db.n; k++)
      cc += db.v[k]->kind == FIX_CMD_CC;
    if (to_stdout ? fix_compdb_print(&db, stdout, &err) : fix_compdb_write(&db, out, 0, &err)) {
      cli_say(c, "error: %s", err.msg);
    } else {
      cli_say(c, "compdb: %zu translation unit%s recorded, %zu in %s", recorded, recorded == 1 ? "" : "s", cc,
              to_stdout ? "standard output" : out);
      struct fix_vcs vcs;
      if (fix_vcs_open(workdir, &vcs, NULL) == FIX_OK) {
        fix_recorded_compdb_save(vcs.root, &r.records);
        fix_vcs_free(&vcs);
      }
      rc = r.exit_code > 255 ? 1 : r.exit_code; /* the build's own status */
    }
    fix_compdb_free(&db);
  }
done:
  free(kg);
  fix_build_result_free(&r);
  fix_intercept_free(ic);
  free(notice);
  free(out);
  free(workdir);
  return rc;
}
