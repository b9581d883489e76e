#include <stdio.h>
#include "lib.h"
int main(void) {
  struct rect x = {0};
  rect_set(&x, 7);
  x.width += 2;
  int twice = x.width * 2;
  printf("%ld\n", (long)twice);
  return rect_get(&x) == 9 && twice == 18 ? 0 : 1;
}
