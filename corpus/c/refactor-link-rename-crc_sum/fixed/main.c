#include <stdio.h>
int crc_sum(int v);
int main(void) {
  int r = crc_sum(21) + crc_sum(500);
  printf("%d\n", r);
  return r == 142 ? 0 : 1;
}
