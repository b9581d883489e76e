#include <stdio.h>
#include "lib.h"
int main(void) {
  struct block x = {0};
  block_set(&x, 7);
  x.size += 2;
  unsigned long twice = x.size * 2;
  printf("%ld\n", (long)twice);
  return block_get(&x) == 9 && twice == 18 ? 0 : 1;
}
