#include <stdio.h>
#include "lib.h"
int main(void) {
  int a = combine(10, 0, 5);
  int b = combine(10, 0, 5);
  printf("%d\n", a + b);
  return a == b && a == 5 ? 0 : 1;
}
