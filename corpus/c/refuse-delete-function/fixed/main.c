#include <stdio.h>

#include "stock.h"

int main(void) {
  struct item shelf[] = {{"bolt", 40, 15}, {"nut", 100, 4}, {"washer", 250, 2}};
  int n = 3;
  printf("%d units\n", stock_units(shelf, n));
  printf("worth %d cents\n", stock_value(shelf, n));
  return 0;
}
