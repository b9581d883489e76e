#include "lib.h"
int parse_int(int a, int b) { return a * 10 + b; }
