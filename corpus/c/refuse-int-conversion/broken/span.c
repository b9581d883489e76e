#include "span.h"

struct span span_scan(const int *v, int n) {
  struct span s = {v, v};
  for (int i = 1; i < n; i++) {
    if (v[i] < *s.lo)
      s.lo = &v[i];
    if (v[i] > *s.hi)
      s.hi = &v[i];
  }
  return s;
}

int span_width(const int *v, int n) {
  struct span s = span_scan(v, n);
  return s;
}
