#include <stdio.h>
#include <string.h>

static void show(long n) {
  printf("%d\n", n);
}

int main(void) {
  show(42L);
  return 0;
}
