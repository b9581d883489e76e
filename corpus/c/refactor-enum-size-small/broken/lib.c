#include "lib.h"
int lib_cap(void) { return SIZE_SMALL; }
