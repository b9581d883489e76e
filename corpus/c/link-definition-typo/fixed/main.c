#include <stdio.h>

#include "orders.h"

int main(void) {
  struct line_item cart[] = {
      {"pencil", 120, 3},
      {"notebook", 450, 2},
      {"eraser", 75, 4},
  };
  int n = (int)(sizeof cart / sizeof cart[0]);
  int cents = compute_total(cart, n);
  printf("%d items, total %d.%02d\n", count_units(cart, n), cents / 100, cents % 100);
  return 0;
}
