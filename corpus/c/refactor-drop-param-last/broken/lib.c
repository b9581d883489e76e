#include "lib.h"
int combine(int base, int verbose) { return base + verbose; }
