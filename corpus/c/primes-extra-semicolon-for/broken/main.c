#include <stdio.h>
#include <stdbool.h>

static bool is_prime(int n) {
  if (n < 2)
    return false;
  for (int d = 2; d * d <= n; d++;)
    if (n % d == 0)
      return false;
  return true;
}

static int count_primes(int limit) {
  int k = 0;
  for (int i = 0; i < limit; i++)
    if (is_prime(i))
      k++;
  return k;
}

int main(void) {
  int k = count_primes(100);
  printf("%d primes below 100\n", k);
  return k != 25;
}
