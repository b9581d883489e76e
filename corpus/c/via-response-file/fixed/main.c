#include <stdio.h>
#include "shape.h"

int main(void) {
  int a = area(WIDTH, 2);
  printf("%d\n", a);
  return a == 16 ? 0 : 1;
}
