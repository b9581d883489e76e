#include "util.h"

int clamp(range_t r, int v) {
  if (v < r.lo)
    return r.lo;
  if (v > r.hi)
    return r.hi;
  return scale(v, 3);
}
