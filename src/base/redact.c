/* redact.c — credentials never leave fix in what it prints, logs or records.
 *
 * A remote server may echo the key it was given ("Incorrect API key provided: sk-..."), an SSE
 * error event may quote the Authorization header. Every message fix formats (fix_err_set,
 * fix_log) and every line the CLI prints or records passes through fix_redact: the registered
 * secrets (the API key in use) are replaced, and so is anything shaped like a credential ("Bearer
 * TOKEN", OpenAI-style "sk-..." keys, a URL's user:password@, ?api-key=... and the like) whether
 * or not fix knows it.
 *
 * Endpoint URLs live here too, because what makes them safe to show is the same knowledge of where
 * a credential sits in one: fix_url_check refuses what is not an http(s) URL with a host (before
 * anything is sent), fix_url_join puts an API path where it belongs (before the query, not after:
 * "/v1?api-key=K" + "/chat/completions" is "/v1/chat/completions?api-key=K"). */
#include "fix/base.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Query parameters whose value is a credential (Azure's api-key and subscription-key, Google's
 * key, signed URLs' sig, the usual token/password/secret). Matched whole, any case. */
static const char *const key_params[] = {"api-key", "api_key",       "apikey",        "x-api-key",        "key",
                                         "token",   "access_token",  "access-token",  "password",         "secret",
                                         "sig",     "client_secret", "subscription-key"};

static int key_param(const char *name, size_t n) {
  for (size_t i = 0; i < sizeof key_params / sizeof *key_params; i++)
    if (strlen(key_params[i]) == n && !strncasecmp(name, key_params[i], n))
      return 1;
  return 0;
}

/* Where a URL quoted in running text (a message, a log line, JSON) ends. */
static int url_stop(char c) {
  return (unsigned char)c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\';
}

static int masked(const char *p, size_t n) {
  size_t stars = 0;
  while (stars < n && p[stars] == '*')
    stars++;
  return stars == n || (n >= 10 && !strncmp(p, "[redacted]", 10));
}

/* Masks [at, at+n) with "***" (or as many stars as it has, when shorter). */
static void mask(char *s, size_t at, size_t n) {
  if (!n || masked(s + at, n))
    return;
  if (n >= 3)
    splice(s, at, n, "***");
  else
    memset(s + at, '*', n);
}

/* The userinfo of every "scheme://user:pass@host" in s: the password, or a lone user part (a
 * token used as the user name), becomes "***". */
static void redact_userinfo(char *s) {
  for (char *p = s; (p = strstr(p, "://"));) {
    char *a = p + 3, *e = a, *at = NULL;
    while (*e && !url_stop(*e) && *e != '/' && *e != '?' && *e != '#') {
      if (*e == '@')
        at = e;
      e++;
    }
    if (at && at > a) {
      char *colon = memchr(a, ':', (size_t)(at - a));
      char *from = colon ? colon + 1 : a;
      mask(s, (size_t)(from - s), (size_t)(at - from));
    }
    p = a;
  }
}

/* "?name=VALUE" and "&name=VALUE" for a key-like name: VALUE becomes "***". */
static void redact_query(char *s) {
  for (char *p = s; *p; p++) {
    if (*p != '?' && *p != '&')
      continue;
    char *name = p + 1, *q = name;
    while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-' || *q == '_' ||
           *q == '.')
      q++;
    if (*q != '=' || !key_param(name, (size_t)(q - name)))
      continue;
    char *v = q + 1, *e = v;
    while (*e && !url_stop(*e) && *e != '&' && *e != '#')
      e++;
    while (e > v && strchr(".,;:)]!", e[-1])) /* the sentence's, not the value's ("...?key=K: refused") */
      e--;
    mask(s, (size_t)(v - s), (size_t)(e - v));
    p = v;
  }
}

void fix_secret_add_url(const char *url) {
  const char *sep = url ? strstr(url, "://") : NULL;
  if (!sep)
    return;
  const char *a = sep + 3, *e = a + strcspn(a, "/?#"), *at = NULL;
  for (const char *q = a; q < e; q++)
    if (*q == '@')
      at = q;
  if (at) {
    const char *colon = memchr(a, ':', (size_t)(at - a));
    char *pw = colon ? fix_strndup(colon + 1, (size_t)(at - colon - 1)) : fix_strndup(a, (size_t)(at - a));
    fix_secret_add(pw);
    free(pw);
  }
  const char *q = strchr(a, '?');
  while (q && *q && *q != '#') {
    q++;
    size_t n = strcspn(q, "&#");
    const char *eq = memchr(q, '=', n);
    if (eq && key_param(q, (size_t)(eq - q))) {
      char *v = fix_strndup(eq + 1, n - (size_t)(eq + 1 - q));
      fix_secret_add(v);
      free(v);
    }
    q += n;
    if (*q != '&')
      break;
  }
}

enum fix_status fix_url_check(const char *url, struct fix_err *err) {
  if (!url || !*url)
    return fix_err_set(err, FIX_ERR_CONFIG, "the URL is empty");
  for (const char *p = url; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f)
      return fix_err_set(err, FIX_ERR_CONFIG, "a URL holds no spaces or control characters");
  size_t sl = 0;
  while ((url[sl] >= 'A' && url[sl] <= 'Z') || (url[sl] >= 'a' && url[sl] <= 'z') ||
         (sl && ((url[sl] >= '0' && url[sl] <= '9') || url[sl] == '+' || url[sl] == '-' || url[sl] == '.')))
    sl++;
  if (!sl || strncmp(url + sl, "://", 3) != 0)
    return fix_err_set(err, FIX_ERR_CONFIG, "no scheme: write http://HOST[:PORT]/PATH or https://...");
  if (!((sl == 4 && !strncasecmp(url, "http", 4)) || (sl == 5 && !strncasecmp(url, "https", 5))))
    return fix_err_set(err, FIX_ERR_CONFIG, "the scheme '%.*s' is not http or https", (int)(sl < 32 ? sl : 32), url);
  if (strchr(url, '#'))
    return fix_err_set(err, FIX_ERR_CONFIG, "a #fragment has no place in an endpoint URL");
  const char *a = url + sl + 3, *e = a + strcspn(a, "/?"), *h = a;
  for (const char *q = a; q < e; q++)
    if (*q == '@')
      h = q + 1;
  const char *he = h;
  if (*h == '[') { /* an IPv6 literal */
    he = h + 1;
    while (he < e && ((*he >= '0' && *he <= '9') || (*he >= 'a' && *he <= 'f') || (*he >= 'A' && *he <= 'F') ||
                      *he == ':' || *he == '.'))
      he++;
    if (he >= e || *he != ']' || he == h + 1)
      return fix_err_set(err, FIX_ERR_CONFIG, "the host is not a valid [IPv6] address");
    he++;
  } else {
    while (he < e && ((*he >= '0' && *he <= '9') || (*he >= 'a' && *he <= 'z') || (*he >= 'A' && *he <= 'Z') ||
                      *he == '-' || *he == '.' || *he == '_' || *he == '~' || *he == '%' ||
                      (unsigned char)*he >= 0x80)) /* (an internationalised name: libcurl's to convert) */
      he++;
    if (he == h)
      return fix_err_set(err, FIX_ERR_CONFIG, "no host after '%.*s://'", (int)sl, url);
  }
  if (he < e && *he != ':')
    return fix_err_set(err, FIX_ERR_CONFIG, "the host holds '%c', which no host name does", *he);
  if (he < e) {
    const char *port = he + 1;
    size_t pl = (size_t)(e - port);
    long v = 0;
    for (size_t i = 0; i < pl && v <= 65535; i++)
      v = port[i] >= '0' && port[i] <= '9' ? v * 10 + (port[i] - '0') : 99999999;
    if (!pl)
      return fix_err_set(err, FIX_ERR_CONFIG, "the port after ':' is empty (write HOST:PORT, or leave out the ':')");
    if (v < 1 || v > 65535)
      return fix_err_set(err, FIX_ERR_CONFIG, "the port '%.*s' is not a number from 1 to 65535", (int)(pl < 16 ? pl : 16),
                         port);
  }
  return FIX_OK;
}

char *fix_url_join(const char *base, const char *path) {
  if (!base || !path)
    return NULL;
  const char *sep = strstr(base, "://");
  size_t from = sep ? (size_t)(sep + 3 - base) : 0;
  size_t q = from + strcspn(base + from, "?#");
  size_t bl = q;
  while (bl > from && base[bl - 1] == '/')
    bl--;
  return fix_asprintf("%.*s%s%s", (int)bl, base, path, base + q);
}

void fix_redact(char *s) {
  if (!s)
    return;
  redact_userinfo(s);
  redact_query(s);
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
