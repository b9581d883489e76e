#include <stdio.h>
#include "geo.h"

int main(void) {
  struct rect rs[] = {{2, 3}, {4, 5}};
  printf("total %d\n", total_area(rs, 2));
  return 0;
}
