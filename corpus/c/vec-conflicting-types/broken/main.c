#include <stdio.h>

#include "vec.h"

int main(void) {
  struct vec v = {0};
  for (int i = 1; i <= 100; i++)
    if (vec_push(&v, i) != 0)
      return 2;
  long s = vec_sum(&v);
  size_t n = v.len;
  vec_free(&v);
  printf("%zu items, sum %ld\n", n, s);
  return !(n == 100 && s == 5050);
}
