#ifndef ORDERS_H
#define ORDERS_H

struct line_item {
  const char *name;
  int unit_cents;
  int quantity;
};

int compute_total(const struct line_item *items, int n);
int count_units(const struct line_item *items, int n);

#endif
