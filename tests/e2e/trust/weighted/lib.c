#include "lib.h"

int lib_sum(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return s;
}

int lib_weighted(const int *v, int n) {
  int total = 0;
  for (int i = 0; i < n; i++)
    total += v[i] * (i + 1);
  return totl;
}
