#include <stdio.h>
#include "lib.h"
static int twice(int x) { return int_from_text(x, x); }
int main(void) {
  int r = int_from_text(4, 2) + twice(1);
  printf("%d\n", r);
  return r == 53 ? 0 : 1;
}
