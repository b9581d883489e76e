#include "range.h"

int span(int lo, int hi) { return hi - lo; }
