/* cli.h — shared by the subcommand files of the command-line front end. */
#ifndef FIX_CLI_H
#define FIX_CLI_H

#include "fix/repair.h"

#include <stdio.h>

/* Exit codes, as documented in `fix --help` and README.md. */
enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

struct cli {
  struct fix_options opt;
  const char *dir;        /* -C */
  int force;              /* undo --force */
  int color_flag;         /* -1 unset */
  int stderr_tty;
};

/* A setting given on the command line, applied over files and environment. */
struct cli_kv {
  enum fix_cfg_key key;
  const char *value;
};

#define CLI_MAX_SETTINGS 48

/* One command-line option (options.c): the table the parser, --help, the man page and the shell
 * completions all read. */
struct cli_option {
  const char *lng;     /* "--max-iterations" (or "-C": a short option alone) */
  const char *shrt;    /* "-m", or NULL */
  const char *arg;     /* the value's name ("N", "FILE"), or NULL for a flag */
  int key;             /* the enum fix_cfg_key it sets, or -1 (handled by the command) */
  const char *value;   /* a flag that sets a key: the value it sets */
  const char *values;  /* completion: the choices ("local openai ..."), "FILE", "DIR", or NULL */
  const char *help;
  int section;         /* 0: options, 1: the model backend */
};
extern const struct cli_option cli_options[];
extern const size_t cli_noptions;
void cli_print_usage(FILE *f);
void cli_print_man(FILE *f);
/* 0, or -1 for a shell it does not know (bash, zsh, fish). */
int cli_print_completions(const char *shell, FILE *f);

/* A setting option shared by the repair command and `fix lsp` (--backend, --model, --replay ...)
 * at argv[*i]: 1 when it was one (appended to kvs, *i moved past its value), 0 when not, -1 on
 * error (said). */
int cli_setting_option(struct cli *c, int argc, char **argv, int *i, struct cli_kv *kvs, size_t *nkv);

/* The project root for configuration: the nearest ancestor of `dir` with .git, else `dir`. Caller
 * frees. */
char *cli_config_root(const char *dir);

/* Loads user/project/environment settings for `workdir`, then the command-line ones. */
int cli_load_settings(struct cli *c, const char *workdir, const struct cli_kv *kvs, size_t nkv);

/* A number option's value, strictly (fix_parse_long/double): 0, or -1 after saying what is wrong. */
int cli_int(struct cli *c, const char *flag, const char *text, long lo, long hi, int *out);
/* --gpu's value: auto, none or a device number (FIX_GPU_* or the index) */
int cli_gpu(struct cli *c, const char *text, int *out);
/* fix_now()'s clock at the moment this process started (from /proc; fix_now() at the first call
 * where that cannot be read) */
double cli_process_start(void);
int cli_double(struct cli *c, const char *flag, const char *text, double lo, double hi, double *out);
int cli_seed(struct cli *c, const char *text, uint64_t *out);

/* The live status line at a terminal (NULL clears it), and whether to show one: stdout and stderr
 * terminals, not --json, not TERM=dumb or NO_COLOR. */
void cli_status(struct cli *c, const char *line);
int cli_status_wanted(const struct cli *c);

void cli_say(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_log_install(struct cli *c);
/* Resolves -C (or the current directory) to an absolute path. Caller frees. */
char *cli_workdir(struct cli *c);

int cmd_repair(struct cli *c, int argc, char **argv);
int cmd_undo(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_model(struct cli *c, int argc, char **argv);
int cmd_bench(struct cli *c, int argc, char **argv);
int cmd_lsp(struct cli *c, int argc, char **argv);
int cmd_eval(struct cli *c, int argc, char **argv);
int cmd_eval_mutate(struct cli *c, int argc, char **argv);
int cmd_compdb(struct cli *c, int argc, char **argv);
int cmd_trust(struct cli *c, int argc, char **argv);

#endif
