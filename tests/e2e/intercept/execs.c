/* execs.c — runs `cc -c NAME.c -o NAME.o` through each exec-family function and posix_spawn, one
 * child each, for intercept.sh: every route a build tool can take to a compiler. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int wait_for(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
  const char *cc = argc > 1 ? argv[1] : "/usr/bin/cc"; /* a path, for the non-p variants */
  static const char *names[] = {"execv", "execvp", "execvpe", "execl", "execle", "execlp", "spawn", "spawnp", "vfork"};
  int bad = 0;
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    char src[64], obj[64];
    snprintf(src, sizeof src, "%s.c", names[k]);
    snprintf(obj, sizeof obj, "%s.o", names[k]);
    char *args[] = {"cc", "-c", src, "-o", obj, NULL};
    pid_t pid;
    if (!strcmp(names[k], "spawn") || !strcmp(names[k], "spawnp")) {
      int r = names[k][5] ? posix_spawnp(&pid, "cc", NULL, NULL, args, environ)
                          : posix_spawn(&pid, cc, NULL, NULL, args, environ);
      if (r) {
        bad++;
        continue;
      }
    } else if (!strcmp(names[k], "vfork")) {
      pid = vfork();
      if (pid == 0) {
        execve(cc, args, environ);
        _exit(127);
      }
    } else {
      pid = fork();
      if (pid == 0) {
        if (!strcmp(names[k], "execv"))
          execv(cc, args);
        else if (!strcmp(names[k], "execvp"))
          execvp("cc", args);
        else if (!strcmp(names[k], "execvpe"))
          execvpe("cc", args, environ);
        else if (!strcmp(names[k], "execl"))
          execl(cc, "cc", "-c", src, "-o", obj, (char *)NULL);
        else if (!strcmp(names[k], "execle"))
          execle(cc, "cc", "-c", src, "-o", obj, (char *)NULL, environ);
        else
          execlp("cc", "cc", "-c", src, "-o", obj, (char *)NULL);
        _exit(127);
      }
    }
    int rc = wait_for(pid);
    printf("%s %d\n", names[k], rc);
    bad += rc != 0;
  }
  return bad ? 1 : 0;
}
