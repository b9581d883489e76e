#include "lib.h"
int lib_cap(void) { return MAXLEN; }
