/* cmd_repair.c — `fix [options] -- BUILD...`: options, sinks, exit codes. */
#include "cli.h"

#include "fix/llm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *cli_config_root(const char *dir) {
  char *d = fix_strdup(dir);
  while (d && strcmp(d, "/") != 0) {
    char *g = fix_path_join(d, ".git");
    int found = g && (fix_dir_exists(g) || fix_file_exists(g));
    free(g);
    if (found)
      return d;
    char *up = fix_path_dirname(d);
    free(d);
    d = up;
  }
  free(d);
  return fix_strdup(dir);
}

static void say_sink(void *ud, const char *line) { cli_say(ud, "%s", line); }

static void event_sink(void *ud, const char *json) {
  char *copy = fix_strdup(json);
  fix_redact(copy);
  fputs(copy ? copy : json, stdout);
  free(copy);
  fputc('\n', stdout);
  fflush(stdout);
}

static void status_sink(void *ud, const char *line) { cli_status(ud, line); }

static void diff_sink(void *ud, const char *text) {
  fputs(text, stdout);
  fflush(stdout);
}

/* Reads "--name=value" or "--name value"; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
    return argv[*i] + n + 1;
  if (!strcmp(argv[*i], name) && *i + 1 < argc)
    return argv[++*i];
  return NULL;
}

int cli_load_settings(struct cli *c, const char *workdir, const struct cli_kv *kvs, size_t nkv) {
  struct fix_err err = {0};
  cli_log_install(c); /* what loading says (a setting ignored, an unknown key) is seen */
  char *root = cli_config_root(workdir);
  enum fix_status st = fix_options_load(&c->opt, root, &err);
  free(root);
  for (size_t i = 0; !st && i < nkv; i++)
    st = fix_options_set(&c->opt, kvs[i].key, kvs[i].value, FIX_CFG_CLI, &err);
  if (st) {
    cli_say(c, "error: %s", err.msg);
    return -1;
  }
  if (getenv("NO_COLOR") && getenv("NO_COLOR")[0] && c->opt.src[FIX_CFG_COLOR] != FIX_CFG_CLI)
    c->opt.color = 0;
  fix_options_conventions(&c->opt);
  return 0;
}

int cli_setting_option(struct cli *c, int argc, char **argv, int *ip, struct cli_kv *kvs, size_t *nkv) {
  const char *a = argv[*ip];
  if (*nkv >= CLI_MAX_SETTINGS - 2) {
    cli_say(c, "error: too many options");
    return -1;
  }
  if (!strcmp(a, "--fixits")) { /* the opposite of --no-fixits, for scripts */
    kvs[(*nkv)++] = (struct cli_kv){FIX_CFG_FIXITS, "true"};
    return 1;
  }
  if (!strcmp(a, "--color")) { /* --color alone means always */
    kvs[(*nkv)++] = (struct cli_kv){FIX_CFG_COLOR, "always"};
    return 1;
  }
  for (size_t k = 0; k < cli_noptions; k++) {
    const struct cli_option *o = &cli_options[k];
    if (o->key < 0)
      continue;
    const char *v = NULL;
    if (!o->arg) {
      if (strcmp(a, o->lng) != 0 && !(o->shrt && !strcmp(a, o->shrt)))
        continue;
      v = o->value;
    } else if (!(v = opt_value(argc, argv, ip, o->lng)) && !(o->shrt && (v = opt_value(argc, argv, ip, o->shrt)))) {
      continue;
    }
    kvs[(*nkv)++] = (struct cli_kv){(enum fix_cfg_key)o->key, v};
    if (o->key == FIX_CFG_REPLAY) { /* --replay FILE alone means the replay backend */
      int backend_given = 0;
      for (size_t i = 0; i < *nkv; i++)
        backend_given |= kvs[i].key == FIX_CFG_BACKEND;
      if (!backend_given)
        kvs[(*nkv)++] = (struct cli_kv){FIX_CFG_BACKEND, "replay"};
    }
    return 1;
  }
  return 0;
}

int cmd_repair(struct cli *c, int argc, char **argv) {
  struct cli_kv kvs[CLI_MAX_SETTINGS];
  size_t nkv = 0;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (a[0] != '-')
      break; /* `fix make` works too */
    int k = cli_setting_option(c, argc, argv, &i, kvs, &nkv);
    if (k < 0)
      return EXIT_USAGE;
    if (k > 0)
      continue;
    if (!strcmp(a, "-C") && i + 1 < argc)
      c->dir = argv[++i];
    else if (!strcmp(a, "-n") || !strcmp(a, "--dry-run"))
      c->opt.dry_run = 1;
    else if (!strcmp(a, "--no-wait"))
      c->opt.no_wait = 1;
    else if (!strcmp(a, "--json"))
      c->opt.json = 1;
    else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
      c->opt.verbose = 1;
    else if ((v = opt_value(argc, argv, &i, "--only"))) {
      /* relative to where fix was started; several with commas or by repeating --only */
      char cwd[4096];
      char *list = fix_strdup(v), *save = NULL;
      for (char *t = list ? strtok_r(list, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
        char *abs = t[0] == '/' || !getcwd(cwd, sizeof cwd) ? fix_strdup(t) : fix_path_join(cwd, t);
        char *norm = abs ? fix_path_normalize(abs) : NULL;
        char *joined = fix_asprintf("%s%s%s", c->opt.only ? c->opt.only : "", c->opt.only ? "\n" : "", norm ? norm : t);
        free(c->opt.only);
        c->opt.only = joined;
        free(abs);
        free(norm);
      }
      free(list);
    } else if ((v = opt_value(argc, argv, &i, "--journal-dir")))
      c->opt.journal_dir = fix_strdup(v);
    else if ((v = opt_value(argc, argv, &i, "--sarif")) || (v = opt_value(argc, argv, &i, "--patch"))) {
      /* a file named here is relative to where fix was started, not to -C */
      char cwd[4096];
      char *abs = !strcmp(v, "-") || v[0] == '/' || !getcwd(cwd, sizeof cwd) ? fix_strdup(v) : fix_path_join(cwd, v);
      char **slot = fix_str_starts(a, "--sarif") ? &c->opt.sarif : &c->opt.patch;
      free(*slot);
      *slot = abs;
    } else {
      cli_say(c, "error: unknown option '%s' (see fix --help)", a);
      return EXIT_USAGE;
    }
  }
  if (i >= argc) {
    cli_say(c, "error: no build command given: fix [options] -- BUILD-COMMAND [ARGS...]");
    return EXIT_USAGE;
  }
  char *workdir = cli_workdir(c);
  if (!workdir) {
    cli_say(c, "error: cannot use directory '%s'", c->dir ? c->dir : ".");
    return EXIT_USAGE;
  }
  if (cli_load_settings(c, workdir, kvs, nkv) != 0) {
    free(workdir);
    return EXIT_USAGE;
  }
  if (c->opt.color < 0)
    c->opt.color = isatty(c->opt.json || c->opt.dry_run ? 1 : 2) && !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]);
  cli_log_install(c);
  /* a model or backend the user chose that cannot work is a configuration error, said before the
   * build (not a session that silently goes on with fix-its alone) */
  if (c->opt.src[FIX_CFG_MODEL] != FIX_CFG_DEFAULT || c->opt.src[FIX_CFG_BACKEND] != FIX_CFG_DEFAULT ||
      c->opt.src[FIX_CFG_REPLAY] != FIX_CFG_DEFAULT) {
    struct fix_llm_config lc = {0};
    lc.backend = c->opt.backend;
    lc.model = c->opt.model;
    lc.replay_path = c->opt.replay;
    struct fix_err err = {0};
    if (fix_llm_check_config(&lc, &err) != FIX_OK) {
      cli_say(c, "error: %s", err.msg);
      free(workdir);
      return EXIT_USAGE;
    }
  }
  fix_interrupt_install();

  struct fix_repair_sinks sinks = {0};
  sinks.say = say_sink;
  sinks.event = c->opt.json ? event_sink : NULL;
  sinks.diff = diff_sink;
  sinks.ud = c;
  /* keep stdout for what fix writes there: JSON events, the dry run's diff, --patch - / --sarif - */
  int stdout_is_fix = c->opt.json || c->opt.dry_run || (c->opt.patch && !strcmp(c->opt.patch, "-")) ||
                      (c->opt.sarif && !strcmp(c->opt.sarif, "-"));
  sinks.build_stdout_fd = stdout_is_fix ? 2 : 1;
  if (cli_status_wanted(c))
    sinks.status = status_sink;
  sinks.build_stderr_fd = 2;
  struct fix_repair_stats stats;
  enum fix_outcome oc = fix_repair_run(&c->opt, (const char *const *)argv + i, workdir, &sinks, &stats);
  free(workdir);
  switch (oc) {
  case FIX_OUTCOME_PASSED: return EXIT_PASS;
  case FIX_OUTCOME_FAILED: return EXIT_FAIL;
  case FIX_OUTCOME_INTERRUPTED: return EXIT_INTERRUPTED;
  case FIX_OUTCOME_ERROR: break;
  }
  return EXIT_USAGE;
}
