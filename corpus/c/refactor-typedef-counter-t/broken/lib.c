#include "lib.h"
int lib_cap(void) {
  counter_t c = CAP;
  return c;
}
