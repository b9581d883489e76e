#include "lib.h"

int report(int level);

int main(void) {
  return report(2) == 2 && emit(3, "main") == 3 ? 0 : 1;
}
