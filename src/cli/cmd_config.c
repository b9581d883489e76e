/* cmd_config.c — `fix config`: the effective settings and where each came from. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_config(struct cli *c, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-C") && i + 1 < argc)
      c->dir = argv[++i];
    else {
      cli_say(c, "error: unknown argument '%s' (usage: fix config [-C DIR])", argv[i]);
      return EXIT_USAGE;
    }
  }
  cli_log_install(c);
  char *workdir = cli_workdir(c);
  if (!workdir) {
    cli_say(c, "error: cannot use directory '%s'", c->dir);
    return EXIT_USAGE;
  }
  if (cli_load_settings(c, workdir, NULL, 0) != 0) {
    free(workdir);
    return EXIT_USAGE;
  }
  char *user = fix_config_user_path();
  printf("# user config:    %s\n", user ? user : "-");
  free(user);
  for (int k = 0; k < FIX_CFG_NKEYS; k++) {
    char *v = fix_options_get(&c->opt, (enum fix_cfg_key)k);
    printf("%-16s = %-24s # %s (%s)\n", fix_cfg_key_name((enum fix_cfg_key)k), v ? v : "",
           fix_cfg_source_str(c->opt.src[k]), fix_cfg_env_name((enum fix_cfg_key)k));
    free(v);
  }
  free(workdir);
  return EXIT_PASS;
}
