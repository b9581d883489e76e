/* options.c — fix's command-line options, in one table: the parser of the setting options reads
 * it, and `fix --help`, the man page (`fix man`, installed as fix.1) and the shell completions
 * (`fix completions bash|zsh|fish`) are printed from it, so they cannot drift apart. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K(k) FIX_CFG_##k
const struct cli_option cli_options[] = {
    /* long, short, arg, setting, value a flag sets, completion, help, section */
    {"-C", NULL, "DIR", -1, NULL, "DIR", "run the build in DIR", 0},
    {"--dry-run", "-n", NULL, -1, NULL, NULL, "change nothing; print the edits fix would make as a unified diff", 0},
    {"--no-fixits", NULL, NULL, K(FIXITS), "false", NULL, "do not apply compiler fix-its", 0},
    {"--no-intent", NULL, NULL, K(INTENT), "false", NULL,
     "do not read your uncommitted change (renames, removed parameters) to complete it", 0},
    {"--no-repairs", NULL, NULL, K(REPAIRS), "false", NULL,
     "no model-free repairs (missing #include, misspelled name, undeclared local, extra argument)", 0},
    {"--no-dirty", NULL, NULL, K(ALLOW_DIRTY), "false", NULL,
     "leave files with uncommitted changes alone (by default fix edits them: their text is in the undo journal)", 0},
    {"--allow-dirty", NULL, NULL, K(ALLOW_DIRTY), "true", NULL, "edit files that have uncommitted changes (the default)", 0},
    {"--no-wait", NULL, NULL, -1, NULL, NULL, "another fix session is running in this project: stop instead of waiting", 0},
    {"--allow-no-vcs", NULL, NULL, K(ALLOW_NO_VCS), "true", NULL, "edit a project that is not under version control", 0},
    {"--allow-readonly", NULL, NULL, K(ALLOW_READONLY), "true", NULL, "edit files that have no write permission (0444), which is refused even as root", 0},
    {"--unsafe-fixes", NULL, NULL, K(UNSAFE_FIXES), "true", NULL,
     "apply fix-its classed unsafe like safe ones (else they only compete with the model's edits)", 0},
    {"--only", NULL, "PATH", -1, NULL, "FILE", "act only on errors in PATH (a file or directory; repeatable)", 0},
    {"--select", NULL, "CODES", K(SELECT), NULL, NULL,
     "act only on these error codes, warning flags or lints (comma-separated; E05 = E05xx)", 0},
    {"--ignore", NULL, "CODES", K(IGNORE), NULL, NULL, "leave diagnostics with these codes, flags or lints alone", 0},
    {"--json", NULL, NULL, -1, NULL, NULL, "write one JSON event per line on stdout (build output goes to stderr)", 0},
    {"--color", NULL, "WHEN", K(COLOR), NULL, "auto always never", "auto (default), always or never; NO_COLOR is honoured", 0},
    {"--max-iterations", NULL, "N", K(MAX_ITERATIONS), NULL, NULL, "rebuilds after the first (default 8)", 0},
    {"--candidates", NULL, "N", K(CANDIDATES), NULL, NULL, "model candidates per error (default 3, at most 16)", 0},
    {"--build-timeout", NULL, "S", K(BUILD_TIMEOUT), NULL, NULL, "give up on a build after S seconds (default: none)", 0},
    {"--check-timeout", NULL, "S", K(CHECK_TIMEOUT), NULL, NULL, "give up on one fast check after S seconds (default 120)", 0},
    {"--compdb", "-p", "PATH", K(COMPDB), NULL, "FILE", "compile_commands.json (file or directory)", 0},
    {"--sarif", NULL, "FILE", -1, NULL, "FILE", "write the session as a SARIF 2.1.0 log (results, fix's edits as fixes)", 0},
    {"--patch", NULL, "FILE", -1, NULL, "FILE", "write the whole repair as one unified diff (git apply; - for stdout)", 0},
    {"--verbose", "-v", NULL, -1, NULL, NULL, "say more", 0},
    {"--help", "-h", NULL, -1, NULL, NULL, "this help", 0},
    {"--version", NULL, NULL, -1, NULL, NULL, "print the version", 0},
    {"--backend", NULL, "NAME", K(BACKEND), NULL, "local openai ollama replay none",
     "local (default), openai, ollama, replay or none", 1},
    {"--model", "-m", "NAME", K(MODEL), NULL, "FILE", "GGUF path or pulled name (local), or model name (remote)", 1},
    {"--base-url", NULL, "URL", K(BASE_URL), NULL, NULL,
     "OpenAI-compatible or Ollama endpoint (else OPENAI_BASE_URL / OLLAMA_HOST)", 1},
    {"--edit-format", NULL, "F", K(EDIT_FORMAT), NULL, "search-replace changelog udiff",
     "search-replace (default), changelog or udiff", 1},
    {"--temperature", NULL, "T", K(TEMPERATURE), NULL, NULL, "sampling temperature for candidates (default 0.4)", 1},
    {"--max-tokens", NULL, "N", K(MAX_TOKENS), NULL, NULL, "longest reply (default 1024)", 1},
    {"--context-tokens", NULL, "N", K(CONTEXT_TOKENS), NULL, NULL, "prompt budget (default: the backend's)", 1},
    {"--attempts", NULL, "N", K(ATTEMPTS), NULL, NULL, "model calls per error group before it is rolled back (default 3)", 1},
    {"--time-budget", NULL, "S", K(TIME_BUDGET), NULL, NULL, "stop after S seconds in all", 1},
    {"--llm-timeout", NULL, "S", K(LLM_TIMEOUT), NULL, NULL, "limit for one model request (default 300)", 1},
    {"--no-constrain", NULL, NULL, K(CONSTRAIN), "false", NULL,
     "local engine: let replies be free text (by default they are decoded to parse and apply)", 1},
    {"--replay", NULL, "FILE", K(REPLAY), NULL, "FILE", "answer from recorded replies (implies --backend replay)", 1},
    {"--gpu", NULL, "WHICH", K(GPU), NULL, "auto none 0 1",
     "local engine: auto (a CUDA device when there is one; default), none, or a device number", 1},
    {"--record", NULL, "FILE", K(RECORD), NULL, "FILE", "record every model reply to FILE (replayable)", 1},
};
#undef K
const size_t cli_noptions = sizeof cli_options / sizeof *cli_options;

static const struct {
  const char *name, *synopsis, *what;
} commands[] = {
    {"undo", "[-C DIR] [--force]", "put back the files of the last session"},
    {"config", "[-C DIR]", "the settings in effect and where each came from"},
    {"trust", "[-C DIR] [--revoke]", "let this project's .fix.json set credentials and paths"},
    {"compdb", "[-o FILE|-] [--append] [--no-keep-going] -- BUILD-COMMAND", "write compile_commands.json for any build"},
    {"run", "-m MODEL.gguf -p PROMPT [--chat] [-n N] ...", "one completion from the local engine (fix run --help)"},
    {"model", "info|synth|pull|list ...", "models for the local engine (fix model)"},
    {"bench", "-m MODEL.gguf [--json] [--quick]", "the local engine's speed"},
    {"lsp", "[options]", "the language server (fix lsp --help)"},
    {"eval", "[CORPUS] [--backend B] [-j N] [--shard I/N]", "fix's accuracy over a corpus (fix eval --help)"},
    {"completions", "bash|zsh|fish", "shell completions"},
    {"man", "", "the manual page (roff)"},
};

static const char intro[] =
    "Runs BUILD-COMMAND (make, cmake --build, ninja, cc ...), reads the compiler's diagnostics,\n"
    "applies the compilers' own fix-its, verifying each with a fast re-check, and rebuilds until\n"
    "the build passes. Every edit is journalled: 'fix undo' restores the files of the last session.\n";

static const char outro[] =
    "settings also come from FIX_* environment variables, ./.fix.json in the project and\n"
    "$XDG_CONFIG_HOME/fix/config.json ('fix config' shows them and where each came from).\n";

static const char *const exits[][2] = {{"0", "the build passes"},
                                       {"1", "the build still fails"},
                                       {"2", "usage, configuration, backend or environment error"},
                                       {"130", "interrupted (SIGINT/SIGTERM); every file fix changed was restored"}};

void cli_print_usage(FILE *f) {
  fprintf(f, "usage: fix [options] -- BUILD-COMMAND [ARGS...]\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    char left[96];
    snprintf(left, sizeof left, "fix %s %s", commands[i].name, commands[i].synopsis);
    fprintf(f, "       %-52s %s\n", left, commands[i].what);
  }
  fprintf(f, "\n%s", intro);
  for (int sec = 0; sec < 2; sec++) {
    fprintf(f, "\n%s\n", sec ? "model backend (for errors no fix-it repairs):" : "options:");
    for (size_t i = 0; i < cli_noptions; i++) {
      const struct cli_option *o = &cli_options[i];
      if (o->section != sec)
        continue;
      char left[64];
      if (o->lng[1] != '-') /* -C: a short option alone */
        snprintf(left, sizeof left, "%s", o->lng);
      else
        snprintf(left, sizeof left, "%s%s%s", o->shrt ? o->shrt : "", o->shrt ? ", " : "    ", o->lng);
      char with_arg[80];
      snprintf(with_arg, sizeof with_arg, "%s%s%s", left, o->arg ? " " : "", o->arg ? o->arg : "");
      fprintf(f, "  %-22s %s\n", with_arg, o->help);
    }
  }
  fprintf(f, "\n%s\nexit status:\n", outro);
  for (size_t i = 0; i < sizeof exits / sizeof *exits; i++)
    fprintf(f, "  %-4s %s\n", exits[i][0], exits[i][1]);
}

/* roff needs its backslashes and leading dots escaped */
static void roff(FILE *f, const char *s) {
  for (const char *p = s; *p; p++) {
    if (*p == '\\')
      fputs("\\e", f);
    else if (*p == '-')
      fputs("\\-", f);
    else if ((*p == '.' || *p == '\'') && (p == s || p[-1] == '\n'))
      fputs("\\&", f), fputc(*p, f);
    else
      fputc(*p, f);
  }
}

void cli_print_man(FILE *f) {
  fputs(".TH FIX 1 \"\" \"fix 0.1.0\" \"User Commands\"\n.SH NAME\nfix \\- repair broken builds\n.SH SYNOPSIS\n", f);
  fputs(".B fix\n[\\fIoptions\\fR] \\-\\- \\fIBUILD-COMMAND\\fR [\\fIARGS\\fR...]\n", f);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    fputs(".br\n.B fix ", f);
    roff(f, commands[i].name);
    fputs("\n", f);
    roff(f, commands[i].synopsis);
    fputs("\n", f);
  }
  fputs(".SH DESCRIPTION\n", f);
  roff(f, intro);
  for (int sec = 0; sec < 2; sec++) {
    fputs(sec ? ".SH MODEL BACKEND\n" : ".SH OPTIONS\n", f);
    for (size_t i = 0; i < cli_noptions; i++) {
      const struct cli_option *o = &cli_options[i];
      if (o->section != sec)
        continue;
      fputs(".TP\n.B ", f);
      if (o->shrt) {
        roff(f, o->shrt);
        fputs(", ", f);
      }
      roff(f, o->lng);
      if (o->arg) {
        fputs(" \\fI", f);
        roff(f, o->arg);
        fputs("\\fR", f);
      }
      fputs("\n", f);
      roff(f, o->help);
      fputs("\n", f);
    }
  }
  fputs(".SH COMMANDS\n", f);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    fputs(".TP\n.B fix ", f);
    roff(f, commands[i].name);
    fputs("\n", f);
    roff(f, commands[i].what);
    fputs("\n", f);
  }
  fputs(".SH ENVIRONMENT\n", f);
  roff(f, outro);
  fputs(".SH EXIT STATUS\n", f);
  for (size_t i = 0; i < sizeof exits / sizeof *exits; i++) {
    fprintf(f, ".TP\n.B %s\n", exits[i][0]);
    roff(f, exits[i][1]);
    fputs("\n", f);
  }
  fputs(".SH SEE ALSO\nREADME.md in fix's sources.\n", f);
}

/* 'text' for fish: a backslash escapes ' and \\ inside single quotes */
static void fish_quoted(FILE *f, const char *s) {
  fputc('\'', f);
  for (const char *p = s; *p; p++) {
    if (*p == '\'' || *p == '\\')
      fputc('\\', f);
    fputc(*p, f);
  }
  fputc('\'', f);
}

int cli_print_completions(const char *shell, FILE *f) {
  if (!shell)
    return -1;
  if (!strcmp(shell, "bash")) {
    fputs("# bash completion for fix (fix completions bash)\n_fix() {\n  local cur prev\n  cur=${COMP_WORDS[COMP_CWORD]}\n"
          "  prev=${COMP_WORDS[COMP_CWORD-1]}\n  local i\n  for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "    [ \"${COMP_WORDS[i]}\" = -- ] && { COMPREPLY=($(compgen -c -- \"$cur\")); return; }\n  done\n"
          "  case $prev in\n", f);
    for (size_t i = 0; i < cli_noptions; i++) {
      const struct cli_option *o = &cli_options[i];
      if (!o->arg)
        continue;
      fprintf(f, "    %s%s%s) ", o->lng, o->shrt ? "|" : "", o->shrt ? o->shrt : "");
      if (o->values && !strcmp(o->values, "FILE"))
        fputs("COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
      else if (o->values && !strcmp(o->values, "DIR"))
        fputs("COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", f);
      else if (o->values)
        fprintf(f, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", o->values);
      else
        fputs("return ;;\n", f);
    }
    fputs("  esac\n  if [ \"$COMP_CWORD\" -eq 1 ] && [[ $cur != -* ]]; then\n    COMPREPLY=($(compgen -W \"", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
      fprintf(f, "%s%s", i ? " " : "", commands[i].name);
    fputs("\" -- \"$cur\"))\n    return\n  fi\n  COMPREPLY=($(compgen -W \"", f);
    for (size_t i = 0; i < cli_noptions; i++)
      fprintf(f, "%s%s%s%s", i ? " " : "", cli_options[i].lng, cli_options[i].shrt ? " " : "",
              cli_options[i].shrt ? cli_options[i].shrt : "");
    fputs(" --\" -- \"$cur\"))\n}\ncomplete -F _fix fix\n", f);
    return 0;
  }
  if (!strcmp(shell, "zsh")) {
    fputs("#compdef fix\n# zsh completion for fix (fix completions zsh)\n_fix() {\n  _arguments -s \\\n", f);
    for (size_t i = 0; i < cli_noptions; i++) {
      const struct cli_option *o = &cli_options[i];
      const char *act = !o->arg ? "" : o->values && !strcmp(o->values, "FILE") ? ":file:_files"
                                      : o->values && !strcmp(o->values, "DIR")   ? ":directory:_files -/"
                                                                                 : NULL;
      char choices[128] = "";
      if (o->arg && !act)
        snprintf(choices, sizeof choices, ":%s:%s%s%s", o->arg, o->values ? "(" : "", o->values ? o->values : "",
                 o->values ? ")" : "");
      char help[128];
      snprintf(help, sizeof help, "%s", o->help);
      for (char *p = help; *p; p++)
        if (*p == '[' || *p == ']' || *p == '\'' || *p == ':')
          *p = ' ';
      if (o->shrt)
        fprintf(f, "    '(%s %s)'{%s,%s}'[%s]%s' \\\n", o->shrt, o->lng, o->shrt, o->lng, help, act ? act : choices);
      else
        fprintf(f, "    '%s[%s]%s' \\\n", o->lng, help, act ? act : choices);
    }
    fputs("    '(-)1:command:(", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
      fprintf(f, "%s%s", i ? " " : "", commands[i].name);
    fputs(")' \\\n    '*::build command:_normal'\n}\n_fix \"$@\"\n", f);
    return 0;
  }
  if (!strcmp(shell, "fish")) {
    fputs("# fish completion for fix (fix completions fish)\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
      fprintf(f, "complete -c fix -n '__fish_use_subcommand' -a %s -d ", commands[i].name);
      fish_quoted(f, commands[i].what);
      fputs("\n", f);
    }
    for (size_t i = 0; i < cli_noptions; i++) {
      const struct cli_option *o = &cli_options[i];
      if (o->lng[1] == '-')
        fprintf(f, "complete -c fix -l %s", o->lng + 2);
      else
        fprintf(f, "complete -c fix -o %s", o->lng + 1);
      if (o->shrt)
        fprintf(f, " -s %s", o->shrt + 1);
      if (o->arg)
        fputs(o->values && (!strcmp(o->values, "FILE") || !strcmp(o->values, "DIR")) ? " -r -F" : " -r -f", f);
      if (o->values && strcmp(o->values, "FILE") && strcmp(o->values, "DIR"))
        fprintf(f, " -a '%s'", o->values);
      fputs(" -d ", f);
      fish_quoted(f, o->help);
      fputs("\n", f);
    }
    return 0;
  }
  return -1;
}
