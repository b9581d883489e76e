/* fault_inject.c — the fault-injecting fix_fault() of the test build fix-faulty.
 *
 *   FIX_FAULT="POINT@N:ACTION[,POINT@N:ACTION...]"
 *     POINT   a point's name (rename, replace, journal), or * for any point
 *     N       the N-th time that point is reached (1-based)
 *     ACTION  kill: SIGKILL at once, a crash between two durable steps
 *             fail: the step fails as a full disk would (errno ENOSPC)
 *   FIX_FAULT_LOG=FILE   each point reached is appended to FILE, one name a line, so that a test can
 *                        count a run's points and then stop it at each one in turn
 *   FIX_FAULT_ALLOC=N    every allocation of fix's own after the N-th fails (malloc, calloc and
 *                        realloc wrapped with the linker's --wrap) */
#include "fix/base.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long hits[16];
static long any_hits;

int fix_fault(const char *point) {
  const char *spec = getenv("FIX_FAULT"), *logp = getenv("FIX_FAULT_LOG");
  if (!spec && !logp)
    return 0;
  pthread_mutex_lock(&mu);
  if (logp) {
    int fd = open(logp, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
      char line[128];
      int n = snprintf(line, sizeof line, "%s\n", point);
      if (write(fd, line, (size_t)n) < 0) {
      }
      close(fd);
    }
  }
  any_hits++;
  int fail = 0;
  int k = 0;
  for (const char *p = spec; p && *p && k < 16; k++) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char item[128];
    if (len < sizeof item) {
      memcpy(item, p, len);
      item[len] = '\0';
      char *at = strchr(item, '@'), *colon = strrchr(item, ':');
      if (at && colon && colon > at) {
        *at = *colon = '\0';
        long n = atol(at + 1);
        int match = !strcmp(item, "*") || !strcmp(item, point);
        long count = !strcmp(item, "*") ? any_hits : (match ? ++hits[k] : hits[k]);
        if (match && count == n) {
          if (!strcmp(colon + 1, "kill"))
            raise(SIGKILL);
          fail = 1;
        }
      }
    }
    p = end ? end + 1 : NULL;
  }
  pthread_mutex_unlock(&mu);
  if (fail)
    errno = ENOSPC;
  return fail;
}

/* allocation failures */
void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);

static atomic_long allocs;
static long alloc_limit = -2; /* -2: not read yet; -1: no limit */
static atomic_int in_main;    /* allocations before main (the C++ and CUDA runtimes' static
                                 initialisers) are not fix's own: never failed, never counted */

int __real_main(int argc, char **argv);
int __wrap_main(int argc, char **argv);
int __wrap_main(int argc, char **argv) {
  atomic_store(&in_main, 1);
  return __real_main(argc, argv);
}

static int alloc_fails(void) {
  if (!atomic_load(&in_main))
    return 0;
  if (alloc_limit == -2) {
    const char *e = getenv("FIX_FAULT_ALLOC");
    alloc_limit = e && *e ? atol(e) : -1;
  }
  return alloc_limit >= 0 && atomic_fetch_add(&allocs, 1) >= alloc_limit;
}

void *__wrap_malloc(size_t n) { return alloc_fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t a, size_t b) { return alloc_fails() ? NULL : __real_calloc(a, b); }
void *__wrap_realloc(void *p, size_t n) { return alloc_fails() ? NULL : __real_realloc(p, n); }
