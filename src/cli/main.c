/* main.c — `fix`: argument parsing and dispatch. Thin by design: everything real is in the library. */
#include "cli.h"

#include "fix/engine.h"

#include <time.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The status line (cli_status): shown on stderr, rewritten in place, cleared before any other line. */
static int status_shown;

void cli_status(struct cli *c, const char *line) {
  if (!line) {
    if (status_shown)
      fputs("\r\033[K", stderr);
    status_shown = 0;
    fflush(stderr);
    return;
  }
  struct winsize ws;
  int cols = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10 ? ws.ws_col : 80;
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", line);
  fix_redact(buf);
  fprintf(stderr, "\r\033[K%sfix:%s %.*s", c->opt.color > 0 ? "\033[1;36m" : "", c->opt.color > 0 ? "\033[0m" : "",
          cols - 6, buf);
  fflush(stderr);
  status_shown = 1;
}

int cli_status_wanted(const struct cli *c) {
  const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
  return isatty(1) && isatty(2) && !c->opt.json && !(term && !strcmp(term, "dumb")) && !(nc && *nc);
}

void cli_say(struct cli *c, const char *fmt, ...) {
  char line[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fix_redact(line);
  if (status_shown) { /* a real line replaces the status line; the next progress redraws it */
    fputs("\r\033[K", stderr);
    status_shown = 0;
  }
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

int cli_gpu(struct cli *c, const char *text, int *out) {
  if (fix_gpu_parse(text, out)) {
    cli_say(c, "error: --gpu takes auto, none or a CUDA device number (got '%s')", text ? text : "");
    return -1;
  }
  return 0;
}

double cli_process_start(void) {
  /* field 22 of /proc/self/stat: the start in clock ticks since boot; CLOCK_BOOTTIME is the same
   * clock, so the age of the process is now_boot - start, and fix_now() - age is its start */
  char buf[1024];
  FILE *f = fopen("/proc/self/stat", "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f)
    fclose(f);
  buf[n] = 0;
  const char *p = strrchr(buf, ')');
  unsigned long long start = 0;
  int field = 2;
  for (; p && *p && field < 22; p++)
    if (*p == ' ')
      field++;
  struct timespec ts;
  if (!p || sscanf(p, "%llu", &start) != 1 || clock_gettime(CLOCK_BOOTTIME, &ts))
    return fix_now();
  double age = (double)ts.tv_sec + ts.tv_nsec / 1e9 - (double)start / (double)sysconf(_SC_CLK_TCK);
  return fix_now() - age;
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
    cli_print_usage(stderr);
    return EXIT_USAGE;
  }
  int rc;
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    cli_print_usage(stdout);
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
  } else if (!strcmp(argv[1], "completions")) {
    rc = cli_print_completions(argc > 2 ? argv[2] : NULL, stdout) ? EXIT_USAGE : EXIT_PASS;
    if (rc)
      cli_say(&c, "error: completions for bash, zsh or fish (got '%s')", argc > 2 ? argv[2] : "");
  } else if (!strcmp(argv[1], "man")) {
    cli_print_man(stdout);
    rc = EXIT_PASS;
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
