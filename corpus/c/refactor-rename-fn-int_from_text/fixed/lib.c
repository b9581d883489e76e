#include "lib.h"
int int_from_text(int a, int b) { return a * 10 + b; }
