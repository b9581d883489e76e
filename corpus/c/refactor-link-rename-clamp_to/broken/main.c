#include <stdio.h>
int clamp_int(int v);
int main(void) {
  int r = clamp_int(21) + clamp_int(500);
  printf("%d\n", r);
  return r == 142 ? 0 : 1;
}
