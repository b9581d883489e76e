#include <stdio.h>
#include "lib.h"
int main(void) {
  struct counter x = {0};
  counter_set(&x, 7);
  x.count += 2;
  long twice = x.count * 2;
  printf("%ld\n", (long)twice);
  return counter_get(&x) == 9 && twice == 18 ? 0 : 1;
}
