#include "lib.h"
int lib_cap(void) {
  len_t c = CAP;
  return c;
}
