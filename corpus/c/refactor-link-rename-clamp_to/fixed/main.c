#include <stdio.h>
int clamp_to(int v);
int main(void) {
  int r = clamp_to(21) + clamp_to(500);
  printf("%d\n", r);
  return r == 142 ? 0 : 1;
}
