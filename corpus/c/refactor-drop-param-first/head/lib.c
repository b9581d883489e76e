#include "lib.h"
int combine(int base, int verbose, int step) { return base + step + 0 * verbose; }
