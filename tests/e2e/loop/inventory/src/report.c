#include <stdio.h>
#include "report.h"

void print_report(const struct item *items, int n, const char *label) {
  double value = 0;
  for (int i = 0; i < n; i++)
    value += item_value(&items[i]);
  printf("total %d, value %.2f, first %s\n", total_qty(items, n), value, label);
}
