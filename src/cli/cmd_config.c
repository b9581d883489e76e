/* cmd_config.c — `fix config`: the effective settings and where each came from; `fix trust`: let
 * a project's own .fix.json make the settings an untrusted one may not (src/repair/trust.c). */
#include "cli.h"

#include "fix/prompt.h"

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
  char *root = cli_config_root(workdir);
  int trust = root ? fix_project_trust_state(root) : -1;
  char *tmpl = NULL, *origin = NULL;
  if (fix_prompt_load("c-search-replace", &tmpl, &origin, NULL) == FIX_OK && origin) {
    char *dir = fix_path_dirname(origin);
    printf("# prompts:        %s\n", dir ? dir : origin);
    free(dir);
  }
  free(tmpl);
  free(origin);
  printf("# project config: %s/.fix.json (%s)\n", root ? root : "?",
         trust == 0 ? "trusted" : trust > 0 ? "changed since trusted: 'fix trust' again" : "not trusted: see 'fix trust'");
  free(root);
  for (int k = 0; k < FIX_CFG_NKEYS; k++) {
    char *v = fix_options_get(&c->opt, (enum fix_cfg_key)k);
    fix_redact(v); /* base_url's user:password@ and ?api-key= (printf is not cli_say) */
    if (c->opt.src[k] == FIX_CFG_CONVENTION)
      printf("%-16s = %-24s # environment (%s, below %s)\n", fix_cfg_key_name((enum fix_cfg_key)k), v ? v : "",
             c->opt.base_url_var ? c->opt.base_url_var : "?", fix_cfg_env_name((enum fix_cfg_key)k));
    else
      printf("%-16s = %-24s # %s (%s)\n", fix_cfg_key_name((enum fix_cfg_key)k), v ? v : "",
             fix_cfg_source_str(c->opt.src[k]), fix_cfg_env_name((enum fix_cfg_key)k));
    free(v);
  }
  free(workdir);
  return EXIT_PASS;
}

int cmd_trust(struct cli *c, int argc, char **argv) {
  int revoke = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-C") && i + 1 < argc)
      c->dir = argv[++i];
    else if (!strcmp(argv[i], "--revoke"))
      revoke = 1;
    else {
      cli_say(c, "error: unknown argument '%s' (usage: fix trust [-C DIR] [--revoke])", argv[i]);
      return EXIT_USAGE;
    }
  }
  cli_log_install(c);
  char *workdir = cli_workdir(c);
  char *root = workdir ? cli_config_root(workdir) : NULL;
  struct fix_err err = {0};
  int rc = EXIT_PASS;
  if (!root) {
    cli_say(c, "error: cannot use directory '%s'", c->dir ? c->dir : ".");
    rc = EXIT_USAGE;
  } else if (fix_project_trust(root, !revoke, &err) != FIX_OK) {
    cli_say(c, "error: %s", err.msg);
    rc = EXIT_USAGE;
  } else {
    cli_say(c, revoke ? "%s is no longer trusted" : "%s is trusted: its .fix.json may set base_url, api_key, "
                                                   "allow_dirty, allow_no_vcs and paths outside it (until it changes)",
            root);
  }
  free(root);
  free(workdir);
  return rc;
}
