#include <stdio.h>
#include "lib.h"
static int twice(int x) { return order_total(x, x); }
int main(void) {
  int r = order_total(4, 2) + twice(1);
  printf("%d\n", r);
  return r == 53 ? 0 : 1;
}
