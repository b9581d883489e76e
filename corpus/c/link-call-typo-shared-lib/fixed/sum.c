#include "geo.h"

int total_area(const struct rect *rs, int n) {
  int total = 0;
  for (int i = 0; i < n; i++)
    total += area(&rs[i]);
  return total;
}
