#include <stdio.h>

static unsigned gcd(unsigned a, unsigned b) {
  while (b) {
    unsigned t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static unsigned lcm(unsigned a, unsigned b) { return a / gcd(a, b) * b; }

int main(void) {
  unsigned g = gcd(84, 36), l = lcm(4, 6);
  printf("%u %u\n", g, l);
  return !(g == 12 && l == 12);
}
