#include <stdio.h>
#include <ctype.h>

static int count_words(const char *s) {
  int n = 0, in = 0, last = 0;
  for (; *s; s++) {
    if (isspace((unsigned char)*s)) {
      in = 0;
    } else if (!in) {
      in = 1;
      n++;
    }
  }
  return n;
}

int main(void) {
  int n = count_words("  the quick  brown fox ");
  printf("%d words\n", n);
  return n != 4;
}
