#include <stdio.h>
#include "lib.h"
int main(void) {
  struct rect x = {0};
  rect_set(&x, 7);
  x.w += 2;
  int twice = x.w * 2;
  printf("%ld\n", (long)twice);
  return rect_get(&x) == 9 && twice == 18 ? 0 : 1;
}
