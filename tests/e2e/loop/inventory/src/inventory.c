#include "inventory.h"

double item_value(const struct item *it) {
  return it->qty * it->price;
}

int total_qty(const struct item *items, int n) {
  int total = 0;
  for (int i = 0; i < n; i++)
    total += items[i].quantity;
  return total;
}
