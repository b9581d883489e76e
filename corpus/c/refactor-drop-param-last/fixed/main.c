#include <stdio.h>
#include "lib.h"
int main(void) {
  int a = combine(10, 0);
  int b = combine(10, 0);
  printf("%d\n", a + b);
  return a == b && a == 10 ? 0 : 1;
}
