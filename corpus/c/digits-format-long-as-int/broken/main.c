#include <stdio.h>

static int digits(long v) {
  int n = 1;
  if (v < 0)
    v = -v;
  while (v >= 10) {
    v /= 10;
    n++;
  }
  return n;
}

static long power(long base, int exp) {
  long r = 1;
  while (exp-- > 0)
    r *= base;
  return r;
}

int main(void) {
  long big = power(10, 12);
  int d = digits(big), e = digits(-45);
  printf("%d has %d digits\n", big, d);
  return !(d == 13 && e == 2);
}
