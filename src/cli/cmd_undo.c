/* cmd_undo.c — `fix undo`: put back the files of the last session. */
#include "cli.h"

#include "fix/patch.h"

#include <stdlib.h>
#include <string.h>

int cmd_undo(struct cli *c, int argc, char **argv) {
  const char *jdir_opt = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-C") && i + 1 < argc)
      c->dir = argv[++i];
    else if (!strcmp(argv[i], "--force"))
      c->force = 1;
    else if (!strncmp(argv[i], "--journal-dir=", 14))
      jdir_opt = argv[i] + 14;
    else {
      cli_say(c, "error: unknown argument '%s' (usage: fix undo [-C DIR] [--force])", argv[i]);
      return EXIT_USAGE;
    }
  }
  cli_log_install(c);
  char *workdir = cli_workdir(c);
  struct fix_vcs vcs;
  struct fix_err err = {0};
  if (!workdir || fix_vcs_open(workdir, &vcs, &err) != FIX_OK) {
    cli_say(c, "error: %s", workdir ? err.msg : "cannot resolve the directory");
    free(workdir);
    return EXIT_USAGE;
  }
  char *jdir = jdir_opt ? fix_strdup(jdir_opt) : fix_journal_dir_for(vcs.root);
  size_t n = 0;
  enum fix_status st = fix_journal_undo(jdir, c->force, &n, &err);
  if (st)
    cli_say(c, "error: %s", err.msg);
  else
    cli_say(c, "undo: restored %zu file%s", n, n == 1 ? "" : "s");
  free(jdir);
  free(workdir);
  fix_vcs_free(&vcs);
  return st ? (st == FIX_ERR_CONFLICT ? EXIT_FAIL : EXIT_USAGE) : EXIT_PASS;
}
