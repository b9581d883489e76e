#include <stdio.h>
#include "scale.h"

int main(void) {
  int v = scale_valeu(4);
  printf("%d\n", v);
  return v == 12 ? 0 : 1;
}
