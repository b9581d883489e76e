#include "c.h"

int counter_reset(int *c) {
  int old = *c;
  *c = 0;
  return old;
}
