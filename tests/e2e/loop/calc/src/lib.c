#include "calc.h"

int scale(int v) { return v * 3; }
