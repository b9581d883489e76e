#include <stdio.h>
#include "util.h"

int main(void) {
  range_t r = {0, 10};
  int v = clamp(r, 42) + twice(3);
  printf("%d\n", v);
  return v == 16 ? 0 : 1;
}
