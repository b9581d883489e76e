/* main.c — `fix`: argument parsing and dispatch. Thin by design: everything real is in the library. */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: fix [options] -- BUILD-COMMAND [ARGS...]\n"
    "       fix undo [-C DIR] [--force]\n"
    "       fix config [-C DIR]\n"
    "       fix trust [-C DIR] [--revoke]                         let this project's .fix.json set credentials and paths\n"
    "       fix compdb [-o FILE] [--append] -- BUILD-COMMAND      write compile_commands.json for any build\n"
    "       fix run -m MODEL.gguf -p PROMPT [--chat] [-n N] ...   (fix run --help)\n"
    "       fix model info|synth|pull|list ...                    (fix model)\n"
    "       fix bench -m MODEL.gguf [--json] [--quick]            the local engine's speed\n"
    "       fix lsp [options]                                     language server (fix lsp --help)\n"
    "       fix eval [CORPUS] [--backend B] [-j N] [--shard I/N]  fix accuracy over a corpus (fix eval --help)\n"
    "\n"
    "Runs BUILD-COMMAND (make, cmake --build, ninja, cc ...), reads the compiler's diagnostics,\n"
    "applies the compilers' own fix-its, verifying each with a fast re-check, and rebuilds until\n"
    "the build passes. Every edit is journalled: 'fix undo' restores the files of the last session.\n"
    "\n"
    "options:\n"
    "  -C DIR               run the build in DIR\n"
    "  -n, --dry-run        change nothing; print the edits fix would make as a unified diff\n"
    "      --no-fixits      do not apply compiler fix-its\n"
    "      --allow-dirty    edit files that have uncommitted changes\n"
    "      --allow-no-vcs   edit a project that is not under version control\n"
    "      --json           write one JSON event per line on stdout (build output goes to stderr)\n"
    "      --color=WHEN     auto (default), always or never; NO_COLOR is honoured\n"
    "      --max-iterations N   rebuilds after the first (default 8)\n"
    "      --candidates N   model candidates per error (default 3)\n"
    "      --build-timeout S    give up on a build after S seconds (default: none)\n"
    "      --check-timeout S    give up on one fast check after S seconds (default 120)\n"
    "  -p, --compdb PATH    compile_commands.json (file or directory)\n"
    "      --sarif FILE     write the session as a SARIF 2.1.0 log (results, and fix's edits as fixes)\n"
    "      --patch FILE     write the whole repair as one unified diff (git apply; - for stdout)\n"
    "\n"
    "model backend (for errors no fix-it repairs):\n"
    "      --backend NAME   local (default), openai, ollama, replay or none\n"
    "  -m, --model NAME     GGUF path (local) or model name (remote)\n"
    "      --base-url URL   OpenAI-compatible or Ollama endpoint (key: $OPENAI_API_KEY or api_key)\n"
    "      --edit-format F  search-replace (default), changelog or udiff\n"
    "      --temperature T  sampling temperature for candidates (default 0.4)\n"
    "      --max-tokens N   longest reply (default 1024)\n"
    "      --context-tokens N   prompt budget (default: the backend's)\n"
    "      --attempts N     model calls per error group before it is rolled back (default 3)\n"
    "      --time-budget S  stop after S seconds in all\n"
    "      --llm-timeout S  limit for one model request (default 300)\n"
    "      --replay FILE    answer from recorded replies (implies --backend replay)\n"
    "      --record FILE    record every model reply to FILE (replayable)\n"
    "  -v, --verbose        say more\n"
    "  -h, --help           this help\n"
    "      --version        print the version\n"
    "\n"
    "settings also come from FIX_* environment variables, ./.fix.json in the project and\n"
    "$XDG_CONFIG_HOME/fix/config.json ('fix config' shows them and where each came from).\n"
    "\n"
    "exit status:\n"
    "  0    the build passes\n"
    "  1    the build still fails\n"
    "  2    usage, configuration, backend or environment error\n"
    "  130  interrupted (SIGINT/SIGTERM); every file fix changed was restored\n";

void cli_say(struct cli *c, const char *fmt, ...) {
  char line[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fix_redact(line);
  if (c->stderr_tty && c->opt.color != 0)
    fprintf(stderr, "\033[1;36mfix:\033[0m %s\n", line);
  else
    fprintf(stderr, "fix: %s\n", line);
}

int cli_int(struct cli *c, const char *flag, const char *text, long lo, long hi, int *out) {
  long v;
  if (fix_parse_long(text, lo, hi, &v)) {
    cli_say(c, "error: %s takes a whole number from %ld to %ld (got '%s')", flag, lo, hi, text ? text : "");
    return -1;
  }
  *out = (int)v;
  return 0;
}

int cli_seed(struct cli *c, const char *text, uint64_t *out) {
  long v;
  if (fix_parse_long(text, 0, LONG_MAX, &v)) {
    cli_say(c, "error: --seed takes a whole number (got '%s')", text ? text : "");
    return -1;
  }
  *out = (uint64_t)v;
  return 0;
}

int cli_double(struct cli *c, const char *flag, const char *text, double lo, double hi, double *out) {
  if (fix_parse_double(text, lo, hi, out)) {
    cli_say(c, "error: %s takes a number from %g to %g (got '%s')", flag, lo, hi, text ? text : "");
    return -1;
  }
  return 0;
}

static void log_sink(void *ud, enum fix_log_level level, const char *msg) {
  struct cli *c = ud;
  static const char *lv[] = {"debug: ", "", "warning: ", "error: "};
  cli_say(c, "%s%s", lv[level], msg);
}

void cli_log_install(struct cli *c) {
  fix_log_set(log_sink, c, c->opt.verbose ? FIX_LOG_DEBUG : FIX_LOG_INFO);
}

char *cli_workdir(struct cli *c) {
  char buf[PATH_MAX];
  if (c->dir)
    return realpath(c->dir, buf) ? fix_strdup(buf) : NULL;
  return getcwd(buf, sizeof buf) ? fix_strdup(buf) : NULL;
}

int main(int argc, char **argv) {
  struct cli c;
  memset(&c, 0, sizeof c);
  fix_options_defaults(&c.opt);
  c.color_flag = -1;
  c.stderr_tty = isatty(2);
  if (argc < 2) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  int rc;
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    fputs(usage, stdout);
    rc = EXIT_PASS;
  } else if (!strcmp(argv[1], "--version")) {
    printf("fix 0.1.0\n");
    rc = EXIT_PASS;
  } else if (!strcmp(argv[1], "undo")) {
    rc = cmd_undo(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "config")) {
    rc = cmd_config(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "run")) {
    rc = cmd_run(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "model")) {
    rc = cmd_model(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "bench")) {
    rc = cmd_bench(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "eval")) {
    rc = cmd_eval(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "trust")) {
    rc = cmd_trust(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "compdb")) {
    rc = cmd_compdb(&c, argc - 1, argv + 1);
  } else if (!strcmp(argv[1], "lsp")) {
    rc = cmd_lsp(&c, argc - 1, argv + 1);
  } else {
    rc = cmd_repair(&c, argc, argv);
  }
  fix_options_free(&c.opt);
  return rc;
}
