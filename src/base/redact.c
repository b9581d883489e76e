/* redact.c — credentials never leave fix in what it prints, logs or records.
 *
 * A remote server may echo the key it was given ("Incorrect API key provided: sk-..."), an SSE
 * error event may quote the Authorization header. Every message fix formats (fix_err_set,
 * fix_log) and every line the CLI prints or records passes through fix_redact: the registered
 * secrets (the API key in use) are replaced, and so is anything shaped like a credential ("Bearer
 * TOKEN", OpenAI-style "sk-..." keys) whether or not fix knows it. */
#include "fix/base.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECRETS 8

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char *secrets[MAX_SECRETS];
static int nsecrets;

void fix_secret_add(const char *s) {
  if (!s || strlen(s) < 6) /* too short to mask without mangling ordinary text */
    return;
  pthread_mutex_lock(&mu);
  int have = 0;
  for (int i = 0; i < nsecrets; i++)
    have |= !strcmp(secrets[i], s);
  if (!have && nsecrets < MAX_SECRETS) {
    char *c = strdup(s);
    if (c)
      secrets[nsecrets++] = c;
  }
  pthread_mutex_unlock(&mu);
}

static int token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

/* Replaces, in place, [at, at+len) with `with`, or with "***" when `with` would not fit: the
 * string only ever gets shorter. */
static void splice(char *s, size_t at, size_t len, const char *with) {
  size_t wl = strlen(with);
  if (wl > len) {
    with = "***";
    wl = 3;
  }
  memcpy(s + at, with, wl);
  memmove(s + at + wl, s + at + len, strlen(s + at + len) + 1);
}

void fix_redact(char *s) {
  if (!s)
    return;
  pthread_mutex_lock(&mu);
  for (int i = 0; i < nsecrets; i++) {
    size_t sl = strlen(secrets[i]);
    for (char *p = strstr(s, secrets[i]); p; p = strstr(p, secrets[i]))
      splice(s, (size_t)(p - s), sl, "[redacted]"), p += 3;
  }
  pthread_mutex_unlock(&mu);
  /* "Bearer TOKEN" (any case) */
  for (char *p = s; (p = strcasestr(p, "bearer ")); p += 7) {
    char *t = p + 7;
    while (*t == ' ')
      t++;
    size_t n = 0;
    while (token_char(t[n]))
      n++;
    if (n >= 6 && strncmp(t, "[redacted]", 10) != 0)
      splice(s, (size_t)(t - s), n, "[redacted]");
  }
  /* OpenAI-style keys: sk-... (also sk-proj-...) */
  for (char *p = s; (p = strstr(p, "sk-")); p += 3) {
    if (p > s && token_char(p[-1]))
      continue;
    size_t n = 3;
    while (token_char(p[n]))
      n++;
    if (n >= 3 + 16)
      splice(s, (size_t)(p - s) + 3, n - 3, "[redacted]");
  }
}
