#include <stdio.h>
#include "api.h"

int main(void) {
  int value = scale_valeu(4);
  printf("%d %d\n", value, doubled(value));
  return value == 12 && doubled(value) == 24 ? 0 : 1;
}
