#include "clamp.h"
#include "scale.h"

int scale_percent(int value, int percent) {
  return value * clamp(percent, 0, 100) / 100;
}
