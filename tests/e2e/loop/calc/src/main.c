#include "calc.h"

int main(void) {
  return scale(2, 3) == 6 ? 0 : 1;
}
