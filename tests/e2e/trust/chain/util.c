#include "lib.h"

int escape_all(const char *src, int len) { return escape(src, len, 1); }
