#ifndef STOCK_H
#define STOCK_H

struct item {
  const char *name;
  int count;
  int price_cents;
};

int stock_units(const struct item *items, int n);
int stock_value(const struct item *items, int n);

#endif
