#include <stdio.h>
#include "sum.h"

int main(void) {
  int v[] = {1, 2, 3};
  int t = total_of(v, 3) * MODE;
  printf("%d\n", t);
  return t == 12 ? 0 : 1;
}
