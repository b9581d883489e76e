#ifndef INVENTORY_H
#define INVENTORY_H

struct item {
  const char *name;
  int qty;
  double price;
};

double item_value(const struct item *it);
int total_qty(const struct item *items, int n);

#endif
