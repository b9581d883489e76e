#include "stock.h"

int stock_units(const struct item *items, int n) {
  int units = 0;
  for (int i = 0; i < n; i++)
    units += items[i].count;
  return units;
}

int stock_value(const struct item *items, int n) {
  int value = 0;
  for (int i = 0; i < n; i++)
    value += items[i].count * items[i];
  return value;
}
