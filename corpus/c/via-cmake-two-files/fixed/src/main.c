#include <stdio.h>
#include "stats.h"

int main(void) {
  int v[COUNT] = {2, 4, 6, 8};
  int m = mean(v, COUNT);
  printf("%d\n", m);
  return m == 5 ? 0 : 1;
}
