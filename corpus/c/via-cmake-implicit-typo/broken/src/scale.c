#include "scale.h"

int scale_value(int v) { return v * SCALE; }
