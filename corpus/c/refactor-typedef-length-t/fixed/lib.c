#include "lib.h"
int lib_cap(void) {
  length_t c = CAP;
  return c;
}
