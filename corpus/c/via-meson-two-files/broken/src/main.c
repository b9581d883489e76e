#include <stdio.h>
#include "range.h"

int main(void) {
  struct range r = {LO, HI};
  int n = range_len(&r)
  printf("%d\n", n);
  return n == 3 ? 0 : 1;
}
