/* cmd_lsp.c — `fix lsp [options]`: the language server on stdin/stdout. */
#include "cli.h"

#include "fix/lsp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char lsp_usage[] =
    "usage: fix lsp [--backend NAME] [-m MODEL] [--replay FILE] [other setting options] [-v]\n"
    "\n"
    "Serves the Language Server Protocol on stdin/stdout: diagnostics from the project's compiler\n"
    "(compile_commands.json or cargo) on open and save, the compilers' fix-its and \"Fix with AI\"\n"
    "as quick fixes. Settings come from the workspace's config files, FIX_* variables, the\n"
    "client's initializationOptions (same names as in .fix.json), then these options.\n"
    "Log lines go to stderr. editors/ has ready configurations for VS Code, Neovim, Emacs and Helix.\n";

int cmd_lsp(struct cli *c, int argc, char **argv) {
  struct cli_kv kvs[CLI_MAX_SETTINGS];
  size_t nkv = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(lsp_usage, stdout);
      return EXIT_PASS;
    }
    if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
      c->opt.verbose = 1;
      continue;
    }
    if (!strcmp(argv[i], "--stdio"))
      continue; /* what VS Code's client passes */
    int k = cli_setting_option(c, argc, argv, &i, kvs, &nkv);
    if (k < 0)
      return EXIT_USAGE;
    if (k == 0) {
      cli_say(c, "error: unknown option '%s' (see fix lsp --help)", argv[i]);
      return EXIT_USAGE;
    }
  }
  struct fix_cfg_setting set[CLI_MAX_SETTINGS];
  for (size_t i = 0; i < nkv; i++)
    set[i] = (struct fix_cfg_setting){kvs[i].key, kvs[i].value};
  c->stderr_tty = 0;
  cli_log_install(c);
  signal(SIGPIPE, SIG_IGN); /* a client that went away is an error to report, not a crash */
  fix_interrupt_install();  /* SIGTERM/SIGINT: stop the work threads and remove the shadows */
  struct fix_lsp_opts o = {0};
  o.cli = set;
  o.ncli = nkv;
  o.in_fd = 0;
  o.out_fd = 1;
  return fix_lsp_serve(&o);
}
