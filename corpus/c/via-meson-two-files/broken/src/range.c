#include "range.h"

int range_len(const struct range *r) {
  return r.hi - r->lo;
}
