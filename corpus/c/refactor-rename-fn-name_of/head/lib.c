#include "lib.h"
int get_name(int a, int b) { return a * 10 + b; }
