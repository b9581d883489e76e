#include <stdio.h>
#include <string.h>
#include "escape.h"

/* an older variant nobody calls any more: same prefix, another parameter list */
static void escape_text_all(const char *s, char *out, size_t cap, int quotes) {
  snprintf(out, cap, quotes ? "\"%s\"" : "%s", s);
}

static void escape_text(const char *s, char *out, size_t cap) {
  size_t k = 0;
  for (; *s && k + 6 < cap; s++) {
    if (*s == '<')
      k += (size_t)snprintf(out + k, cap - k, "&lt;");
    else if (*s == '&')
      k += (size_t)snprintf(out + k, cap - k, "&amp;");
    else
      out[k++] = *s;
  }
  out[k] = '\0';
}

void render(const char *title, const char *body, char *out, size_t cap) {
  char t[64], b[256];
  escape_text(title, t, sizeof t);
  escape_text(body, b, sizeof b);
  snprintf(out, cap, "<h1>%s</h1><p>%s</p>", t, b);
}
