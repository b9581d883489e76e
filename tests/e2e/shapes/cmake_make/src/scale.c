#include "api.h"

int scale_value(int v) { return v * SCALE; }
