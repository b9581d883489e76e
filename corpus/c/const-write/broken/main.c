#include <stdio.h>
#include <string.h>

static void upper(const char *s) {
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z')
      *s -= 32;
}

int main(void) {
  char buf[] = "abc";
  upper(buf);
  return strcmp(buf, "ABC") != 0;
}
