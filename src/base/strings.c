/* strings.c — small owned-string helpers, string vectors and shell word splitting. */
#include "fix/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fix_strdup(const char *s) { return s ? strdup(s) : NULL; }

char *fix_strndup(const char *s, size_t n) {
  if (!s)
    return NULL;
  char *p = malloc(n + 1);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *fix_asprintf(const char *fmt, ...) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  va_list ap;
  va_start(ap, fmt);
  enum fix_status st = fix_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  if (st) {
    fix_buf_free(&b);
    return NULL;
  }
  return fix_buf_take(&b);
}

int fix_str_starts(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

int fix_str_ends(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int fix_is_ident(const char *s) {
  if (!s || !*s || (*s >= '0' && *s <= '9'))
    return 0;
  for (; *s; s++)
    if (!fix_ident_char((unsigned char)*s))
      return 0;
  return 1;
}

size_t fix_word_scan(const char *t, size_t n, const char *word, int code, int (*at)(void *ud, size_t off), void *ud) {
  size_t wl = strlen(word), hits = 0;
  if (!wl)
    return 0;
  for (size_t i = 0; i < n;) {
    char c = t[i];
    if (code && c == '/' && i + 1 < n && t[i + 1] == '/') {
      while (i < n && t[i] != '\n')
        i++;
    } else if (code && c == '/' && i + 1 < n && t[i + 1] == '*') {
      const char *e = memmem(t + i + 2, n - i - 2, "*/", 2);
      i = e ? (size_t)(e - t) + 2 : n;
    } else if (code && (c == '"' || (c == '\'' && i + 2 < n && (t[i + 2] == '\'' || t[i + 1] == '\\')))) {
      for (i++; i < n && t[i] != c && t[i] != '\n'; i++)
        if (t[i] == '\\')
          i++;
      i++;
    } else if (fix_ident_char((unsigned char)c)) {
      size_t s0 = i;
      while (i < n && fix_ident_char((unsigned char)t[i]))
        i++;
      if (i - s0 == wl && !memcmp(t + s0, word, wl)) {
        hits++;
        if (at && at(ud, s0))
          break;
      }
    } else {
      i++;
    }
  }
  return hits;
}

size_t fix_call_args(const char *t, size_t n, size_t open, size_t *starts, size_t *ends, size_t max) {
  size_t na = 0, a = open + 1;
  int depth = 0;
  for (size_t q = open + 1; q < n && na < max; q++) {
    char c = t[q];
    if (c == '"' || c == '\'') { /* skip a literal */
      for (q++; q < n && t[q] != c; q++)
        q += t[q] == '\\';
      continue;
    }
    if (c == '(' || c == '[' || c == '{')
      depth++;
    else if ((c == ')' || c == ']' || c == '}') && depth)
      depth--;
    else if (!depth && (c == ',' || c == ')')) {
      starts[na] = a, ends[na++] = q;
      a = q + 1;
      if (c == ')')
        return na;
    }
  }
  return 0;
}

uint64_t fix_hash64(const void *p, size_t n) {
  const unsigned char *s = p;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

/* ---- string vectors ---- */

static enum fix_status strv_grow(struct fix_strv *sv) {
  if (sv->n + 2 <= sv->cap)
    return FIX_OK;
  size_t cap = sv->cap ? sv->cap * 2 : 8;
  char **v = realloc(sv->v, cap * sizeof *v);
  if (!v)
    return FIX_ERR_NOMEM;
  sv->v = v;
  sv->cap = cap;
  return FIX_OK;
}

enum fix_status fix_strv_push_own(struct fix_strv *sv, char *s) {
  if (!s || strv_grow(sv)) {
    free(s);
    return FIX_ERR_NOMEM;
  }
  sv->v[sv->n++] = s;
  sv->v[sv->n] = NULL;
  return FIX_OK;
}

enum fix_status fix_strv_push(struct fix_strv *sv, const char *s) { return fix_strv_push_own(sv, fix_strdup(s)); }

void fix_strv_remove(struct fix_strv *sv, size_t at) {
  if (at >= sv->n)
    return;
  free(sv->v[at]);
  memmove(sv->v + at, sv->v + at + 1, (sv->n - at) * sizeof *sv->v);
  sv->n--;
}

void fix_strv_free(struct fix_strv *sv) {
  if (!sv)
    return;
  for (size_t i = 0; i < sv->n; i++)
    free(sv->v[i]);
  free(sv->v);
  sv->v = NULL;
  sv->n = sv->cap = 0;
}

int fix_strv_contains(const struct fix_strv *sv, const char *s) {
  for (size_t i = 0; i < sv->n; i++)
    if (strcmp(sv->v[i], s) == 0)
      return 1;
  return 0;
}

/* ---- shell words ---- */

enum fix_status fix_shell_split(const char *line, struct fix_strv *out, struct fix_err *err) {
  struct fix_buf w;
  fix_buf_init(&w, 0);
  const char *p = line;
  enum fix_status st = FIX_OK;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (!*p)
      break;
    fix_buf_clear(&w);
    st = fix_buf_append(&w, "", 0);
    while (!st && *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
      if (*p == '\'') {
        const char *e = strchr(p + 1, '\'');
        if (!e) {
          st = fix_err_set(err, FIX_ERR_PARSE, "unterminated single quote in command line");
          break;
        }
        st = fix_buf_append(&w, p + 1, (size_t)(e - p - 1));
        p = e + 1;
      } else if (*p == '"') {
        p++;
        while (!st && *p && *p != '"') {
          if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
            p++;
          st = fix_buf_append(&w, p, 1);
          p++;
        }
        if (!st && *p != '"') {
          st = fix_err_set(err, FIX_ERR_PARSE, "unterminated double quote in command line");
          break;
        }
        p++;
      } else if (*p == '\\' && p[1]) {
        st = fix_buf_append(&w, p + 1, 1);
        p += 2;
      } else {
        st = fix_buf_append(&w, p, 1);
        p++;
      }
    }
    if (!st)
      st = fix_strv_push(out, w.data);
    if (st)
      break;
  }
  fix_buf_free(&w);
  if (st == FIX_ERR_NOMEM)
    fix_err_set(err, st, "out of memory");
  return st;
}

char *fix_shell_quote(const char *word) {
  if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+:,@%") ==
                   strlen(word))
    return fix_strdup(word);
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_puts(&b, "'");
  for (const char *p = word; *p; p++) {
    if (*p == '\'')
      fix_buf_puts(&b, "'\\''");
    else
      fix_buf_append(&b, p, 1);
  }
  fix_buf_puts(&b, "'");
  return fix_buf_take(&b);
}

enum fix_status fix_parse_long(const char *s, long lo, long hi, long *out) {
  if (!s || !*s)
    return FIX_ERR_ARG;
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (*end || errno == ERANGE || x < lo || x > hi)
    return FIX_ERR_ARG;
  *out = x;
  return FIX_OK;
}

enum fix_status fix_parse_double(const char *s, double lo, double hi, double *out) {
  if (!s || !*s)
    return FIX_ERR_ARG;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end || errno == ERANGE || !(x >= lo && x <= hi)) /* NaN fails the comparison */
    return FIX_ERR_ARG;
  *out = x;
  return FIX_OK;
}
