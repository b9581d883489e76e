#include "util.h"

int twice(int v) { return 2 * v; }
