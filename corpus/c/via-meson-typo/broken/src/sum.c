#include "sum.h"

int total_of(const int *v, int n) {
  int t = 0;
  for (int i = 0; i < n; i++)
    t += v[i];
  return t;
}
