#include <stdio.h>

#include "cfg.h"

int main(void) {
  struct cfg c;
  if (load_cfg("40x25x3", &c) != 0) {
    fprintf(stderr, "bad configuration\n");
    return 1;
  }
  printf("%d cells in %d layers\n", c.width * c.height, c.depth);
  return 0;
}
