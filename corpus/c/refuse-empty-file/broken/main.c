#include <stdio.h>

#include "conv.h"

int main(void) {
  double c = 25.0;
  printf("%.1f C = %.1f F = %.2f K\n", c, to_fahrenheit(c), to_kelvin(c));
  return 0;
}
