#include "lib.h"
int lib_cap(void) { return COLOR_RED; }
