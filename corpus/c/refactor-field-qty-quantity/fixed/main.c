#include <stdio.h>
#include "lib.h"
int main(void) {
  struct item x = {0};
  item_set(&x, 7);
  x.quantity += 2;
  int twice = x.quantity * 2;
  printf("%ld\n", (long)twice);
  return item_get(&x) == 9 && twice == 18 ? 0 : 1;
}
