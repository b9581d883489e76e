#include "lib.h"
int rect_area(int a, int b) { return a * 10 + b; }
