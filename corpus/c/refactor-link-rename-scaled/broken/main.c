#include <stdio.h>
int scale_value(int v);
int main(void) {
  int r = scale_value(21) + scale_value(500);
  printf("%d\n", r);
  return r == 142 ? 0 : 1;
}
