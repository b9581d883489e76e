#include <stdio.h>

#include "span.h"

int main(void) {
  int v[] = {7, 3, 12, 9, 4};
  struct span s = span_scan(v, 5);
  printf("min %d max %d width %d\n", *s.lo, *s.hi, span_width(v, 5));
  return 0;
}
