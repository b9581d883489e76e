#include <stdio.h>
#include "lib.h"
static int twice(int x) { return parse_int(x, x); }
int main(void) {
  int r = parse_int(4, 2) + twice(1);
  printf("%d\n", r);
  return r == 53 ? 0 : 1;
}
