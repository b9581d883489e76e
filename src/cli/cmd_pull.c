/* cmd_pull.c — `fix model pull` and `fix model list`: downloads with resume and verification. */
#include "cli.h"

#include "fix/llm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void progress(void *ud, uint64_t have, uint64_t total) {
  struct cli *c = ud;
  if (!c->stderr_tty)
    return;
  if (total)
    fprintf(stderr, "\rfix: %.1f / %.1f MiB (%.0f%%)", (double)have / 1048576.0, (double)total / 1048576.0,
            100.0 * (double)have / (double)total);
  else
    fprintf(stderr, "\rfix: %.1f MiB", (double)have / 1048576.0);
}

int cmd_model_pull(struct cli *c, int argc, char **argv) {
  if (!strcmp(argv[0], "list")) {
    const struct fix_known_model *k = fix_known_models();
    for (; k->name; k++)
      printf("%-28s %s\n", k->name, k->url);
    char *dir = fix_models_dir();
    printf("# cache: %s\n", dir ? dir : "-");
    free(dir);
    return EXIT_PASS;
  }
  const char *what = NULL, *sha = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--sha256") && i + 1 < argc)
      sha = argv[++i];
    else if (!strcmp(argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else if (!what)
      what = argv[i];
  }
  if (!what) {
    cli_say(c, "error: usage: fix model pull NAME|URL [--sha256 HEX] [-o FILE]");
    return EXIT_USAGE;
  }
  cli_log_install(c);
  fix_interrupt_install();
  struct fix_err err;
  char *path = NULL;
  enum fix_status st = fix_model_pull(what, sha, out, progress, c, &path, &err);
  if (c->stderr_tty)
    fputc('\n', stderr);
  if (st) {
    cli_say(c, "error: %s", err.msg);
    return st == FIX_ERR_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_USAGE;
  }
  printf("%s\n", path);
  free(path);
  return EXIT_PASS;
}
