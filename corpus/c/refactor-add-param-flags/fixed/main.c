#include "lib.h"

int report(int level, unsigned flags);

int main(void) {
  unsigned flags = 1;
  return report(2, flags) == 4 && emit(3, flags, "main") == 4 ? 0 : 1;
}
