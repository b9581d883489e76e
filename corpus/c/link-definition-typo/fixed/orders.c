#include "orders.h"

int compute_total(const struct line_item *items, int n) {
  int total = 0;
  for (int i = 0; i < n; i++)
    total += items[i].unit_cents * items[i].quantity;
  return total;
}

int count_units(const struct line_item *items, int n) {
  int units = 0;
  for (int i = 0; i < n; i++)
    units += items[i].quantity;
  return units;
}
