#include "range.h"

int span(int lo, int hi) { return hi - lo; }
int clamp(range_t r, int v) { return v < r.lo ? r.lo : v > r.hi ? r.hi : v; }
