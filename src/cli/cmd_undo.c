/* cmd_undo.c — `fix undo`: step back through the project's last fix sessions. */
#include "cli.h"

#include "fix/patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void list(struct cli *c, const char *root, const struct fix_journal_session *v, size_t n) {
  if (!n) {
    cli_say(c, "undo: no fix session is recorded for this project");
    return;
  }
  size_t next = n;
  while (next > 0 && !strcmp(v[next - 1].state, "undone"))
    next--;
  for (size_t i = n; i-- > 0;) {
    char when[32] = "?";
    time_t t = (time_t)v[i].started;
    struct tm tm;
    if (t > 0 && localtime_r(&t, &tm))
      strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    const char *what = !strcmp(v[i].state, "undone") ? "undone"
                       : !strcmp(v[i].state, "active") ? "running, or stopped before its end"
                       : !strcmp(v[i].state, "damaged") ? "damaged journal"
                                                        : "";
    printf("%s %3u  %s  %u write%s, %zu file%s%s%s\n", i + 1 == next ? "*" : " ", v[i].seq, when, v[i].writes,
           v[i].writes == 1 ? "" : "s", v[i].files.n, v[i].files.n == 1 ? "" : "s", what[0] ? "  (" : "",
           what[0] ? what : "");
    for (size_t k = 0; k < v[i].files.n; k++) {
      char *rel = fix_path_relative(root, v[i].files.v[k]);
      printf("        %s\n", rel ? rel : v[i].files.v[k]);
      free(rel);
    }
  }
  if (next)
    printf("(* is what 'fix undo' restores next; 'fix undo --all' goes back to before session %u)\n", v[0].seq);
}

int cmd_undo(struct cli *c, int argc, char **argv) {
  const char *jdir_opt = NULL;
  int all = 0, show = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-C") && i + 1 < argc)
      c->dir = argv[++i];
    else if (!strcmp(argv[i], "--force"))
      c->force = 1;
    else if (!strcmp(argv[i], "--all"))
      all = 1;
    else if (!strcmp(argv[i], "--list"))
      show = 1;
    else if (!strncmp(argv[i], "--journal-dir=", 14))
      jdir_opt = argv[i] + 14;
    else {
      cli_say(c, "error: unknown argument '%s' (usage: fix undo [-C DIR] [--list | --all] [--force])", argv[i]);
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
  enum fix_status st = FIX_OK;
  int lock = -1;
  if (show) {
    struct fix_journal_session *v;
    size_t n;
    st = fix_journal_list(jdir, &v, &n, &err);
    if (!st) {
      list(c, vcs.root, v, n);
      fix_journal_list_free(v, n);
    }
  } else if (!(st = fix_journal_lock(jdir, 0, NULL, NULL, &lock, &err))) {
    /* (the lock: a session running now would go on editing what undo puts back) */
    size_t n = 0, total = 0, sessions = 0;
    while (!(st = fix_journal_undo(jdir, c->force, &n, &err))) {
      total += n, sessions++;
      if (!all)
        break;
    }
    if (st == FIX_ERR_NOT_FOUND && sessions)
      st = FIX_OK; /* --all: down to the oldest */
    char more[48] = "";
    if (sessions > 1)
      snprintf(more, sizeof more, " (%zu sessions)", sessions);
    if (sessions)
      cli_say(c, "undo: restored %zu file%s%s", total, total == 1 ? "" : "s", more);
  } else if (st == FIX_ERR_CONFLICT) {
    char was[sizeof err.msg];
    memcpy(was, err.msg, sizeof was);
    fix_err_set(&err, st, "%.900s: run 'fix undo' once it has ended", was);
  }
  if (st)
    cli_say(c, "error: %s", err.msg);
  fix_journal_unlock(lock);
  free(jdir);
  free(workdir);
  fix_vcs_free(&vcs);
  return st ? (st == FIX_ERR_CONFLICT ? EXIT_FAIL : EXIT_USAGE) : EXIT_PASS;
}
