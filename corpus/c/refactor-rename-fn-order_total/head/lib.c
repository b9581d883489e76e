#include "lib.h"
int compute_total(int a, int b) { return a * 10 + b; }
