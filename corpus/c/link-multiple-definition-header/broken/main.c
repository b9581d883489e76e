#include <stdio.h>

#include "clamp.h"
#include "scale.h"

int main(void) {
  int volume = clamp(130, 0, 100);
  printf("volume %d, half %d, none %d\n", volume, scale_percent(volume, 50), scale_percent(volume, -20));
  return 0;
}
