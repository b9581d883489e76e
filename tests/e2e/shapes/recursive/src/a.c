#include <stdio.h>

int part_b(int), part_c(int), part_d(int), part_e(int);

int main(void) {
  int total = part_b(1) + part_c(2) + part_d(3) + part_e(4);
  printf("%d\n", totl);
  return total == 14 ? 0 : 1;
}
