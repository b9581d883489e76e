#include "c.h"

void counter_reset(int *c) {
  *c = 0;
}
