#include <stdio.h>
#include "lib.h"
static int twice(int x) { return name_of(x, x); }
int main(void) {
  int r = name_of(4, 2) + twice(1);
  printf("%d\n", r);
  return r == 53 ? 0 : 1;
}
