#include <stdio.h>
#include "lib.h"
int main(void) {
  struct counter x = {0};
  counter_set(&x, 7);
  x.cnt += 2;
  long twice = x.cnt * 2;
  printf("%ld\n", (long)twice);
  return counter_get(&x) == 9 && twice == 18 ? 0 : 1;
}
