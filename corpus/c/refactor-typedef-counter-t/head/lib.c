#include "lib.h"
int lib_cap(void) {
  count_t c = CAP;
  return c;
}
