#include <stdio.h>

#include "lib.h"

int main(int argc, char **argv) {
  int v[] = {1, 2, 3};
  (void)argv;
  printf("%d\n", lib_sum(v, 3) + argc - 1);
  return 0;
}
