#include "lib.h"
int name_of(int a, int b) { return a * 10 + b; }
