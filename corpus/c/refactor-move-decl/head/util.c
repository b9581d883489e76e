#include "util.h"

int clamp(range_t r, int v) { return v < r.lo ? r.lo : v > r.hi ? r.hi : v; }
int twice(int v) { return 2 * v; }
