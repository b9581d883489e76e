#include <stdio.h>
#include "lib.h"
int main(void) {
  struct buffer x = {0};
  buffer_set(&x, 7);
  x.len += 2;
  unsigned twice = x.len * 2;
  printf("%ld\n", (long)twice);
  return buffer_get(&x) == 9 && twice == 18 ? 0 : 1;
}
