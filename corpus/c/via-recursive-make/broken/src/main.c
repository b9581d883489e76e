#include <stdio.h>

int lo(int), hi(int);

int main(void) {
  int span = hi(5) - lo(5);
  printf("%d\n", spn);
  return span == 20 ? 0 : 1;
}
