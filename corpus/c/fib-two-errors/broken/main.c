#include <stdio.h>

static int fib(int n) {
  int a = 0, b = 1
  for (int i = 0; i < n; i++) {
    int t = a + b;
    a = b;
    b = t;
  }
  return a;
}

int main(void) {
  int expect[] = {0, 1, 1, 2, 3, 5, 8, 13};
  for (int i = 0; i < 8; i++)
    if (fib(i) != expect[i])
      return 1;
  printf("fib(20) = %d\n", fibb(20));
  return fib(20) != 6765;
}
