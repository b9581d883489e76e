#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *join(const char *a, const char *b, char sep) {
  size_t la = strlen(a), lb = strlen(b);
  char *out = malloc(la + lb + 2);
  if (!out)
    return NULL;
  mempcy(out, a, la);
  out[la] = sep;
  memcpy(out + la + 1, b, lb + 1);
  return out;
}

int main(void) {
  char *s = join("left", "right", '/');
  if (!s)
    return 2;
  int ok = strcmp(s, "left/right") == 0;
  puts(s);
  free(s);
  return !ok;
}
