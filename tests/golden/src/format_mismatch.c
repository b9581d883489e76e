#include <stdio.h>
void f(long n, const char *s) {
  printf("%d %s\n", n, s);
  printf("%s\n", n);
}
