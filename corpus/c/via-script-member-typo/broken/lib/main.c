#include <stdio.h>
#include "geom.h"

int main(void) {
  struct point p = {3, 4};
  printf("%d\n", shifted_x(p));
  return shifted_x(p) == 5 ? 0 : 1;
}
